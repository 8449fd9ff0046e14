-- gatehouse schema, version 2: lists sort by name without regard to case, so the name
-- index must use that collation for `user list` to stream in index order instead of
-- sorting every row first.

DROP INDEX users_by_name;
CREATE INDEX users_by_name_nocase ON users (name COLLATE NOCASE, id);
