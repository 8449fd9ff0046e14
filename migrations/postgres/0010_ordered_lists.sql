-- gatehouse on PostgreSQL, schema version 10: lists read in gatehouse's order from an
-- index.
--
-- gatehouse orders the same way on every engine and in every database locale: emails
-- and package keys byte by byte (COLLATE "C"), names with ASCII letters folded
-- (lower(name COLLATE "C")), each then by id. The unique index on email is built with
-- the database's collation, so under any locale but C it cannot hand out rows in that
-- order, and `user list --sort email --limit 50` sorted every visible user to return
-- fifty. These indexes hold the lists' own order, so a page is read, not sorted.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

CREATE INDEX users_by_email_bytes ON users (email COLLATE "C", id);
CREATE INDEX users_by_name_order ON users (lower(name COLLATE "C"), id);
CREATE INDEX packages_by_key_bytes ON packages (name_key COLLATE "C", id);

UPDATE schema_version SET version = 10;

RESET ROLE;
