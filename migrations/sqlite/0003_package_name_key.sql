-- gatehouse schema, version 3: package names are unique by one canonical key, the name
-- in Unicode NFC with full Unicode case folding, so `Äpfel`, `äpfel` and a decomposed
-- `A\u0308pfel` are one name (the NOCASE collation folded only ASCII letters).

ALTER TABLE packages ADD COLUMN name_key TEXT;

-- @backfill: gatehouse computes name_key for every existing package here.

CREATE UNIQUE INDEX packages_by_name_key ON packages (name_key);
