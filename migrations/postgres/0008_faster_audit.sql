-- gatehouse on PostgreSQL, schema version 8: bulk writes audited faster.
--
-- An import of 100k users spent most of its time in the audit of its statements. A
-- field of the chain was a function call per row and field: the function had a SET
-- clause of its own and claimed IMMUTABLE over a STABLE body, either of which keeps the
-- planner from inlining it. It now names everything by schema (so no search_path can
-- redirect it) and is declared STABLE, and is inlined. A user.add entry is built from the
-- new rows' columns rather than from their JSON, sorted once. The entries and the chain
-- are as before.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION chain_field(f text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT pg_catalog.int8send(pg_catalog.octet_length(f)::pg_catalog.int8)
           OPERATOR(pg_catalog.||) pg_catalog.convert_to(f, 'UTF8')
$$;

CREATE OR REPLACE FUNCTION audit_rows() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    actor    name := CASE WHEN current_user = 'gatehouse_owner'
                          THEN coalesce(nullif(current_setting('gatehouse.acting_for', true), ''),
                                        session_user)::name
                          ELSE current_user END;
    noun     text := CASE TG_TABLE_NAME WHEN 'users' THEN 'user' WHEN 'packages' THEN 'package'
                                        ELSE 'config' END;
    actions  text[];
    targets  text[];
    user_ids bigint[];
    details  text[];
BEGIN
    IF TG_TABLE_NAME = 'assignments' THEN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg('package.assign'::text ORDER BY s.user_id), array_agg(s.user_id ORDER BY s.user_id),
                   array_agg(jsonb_build_object('packages', s.names)::text ORDER BY s.user_id)
              INTO actions, user_ids, details
            FROM (SELECT n.user_id, jsonb_agg(coalesce(p.name, n.package_id::text) ORDER BY n.package_id) AS names
                  FROM new_rows n LEFT JOIN gatehouse.packages p ON p.id = n.package_id
                  GROUP BY n.user_id) s;
        ELSE
            SELECT array_agg('package.unassign'::text ORDER BY s.user_id), array_agg(s.user_id ORDER BY s.user_id),
                   array_agg(jsonb_build_object('packages', s.names)::text ORDER BY s.user_id)
              INTO actions, user_ids, details
            FROM (SELECT o.user_id, jsonb_agg(coalesce(p.name, o.package_id::text) ORDER BY o.package_id) AS names
                  FROM old_rows o LEFT JOIN gatehouse.packages p ON p.id = o.package_id
                  GROUP BY o.user_id) s;
        END IF;
    ELSIF TG_OP = 'INSERT' AND TG_TABLE_NAME = 'users' THEN
        -- The bulk case (an import): the columns read directly, one sort by id.
        SELECT array_agg('user.add'::text ORDER BY n.id), array_agg(n.email ORDER BY n.id),
               array_agg(jsonb_build_object('after', jsonb_strip_nulls(to_jsonb(n) - 'password_hash'))::text
                         ORDER BY n.id)
          INTO actions, targets, details
        FROM new_rows n;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(CASE TG_TABLE_NAME WHEN 'users' THEN 'user.add'
                                            WHEN 'packages' THEN 'package.create'
                                            ELSE 'config.set' END ORDER BY x.k),
               array_agg(x.t ORDER BY x.k),
               array_agg(jsonb_build_object('after', jsonb_strip_nulls(x.r - 'password_hash'))::text ORDER BY x.k)
          INTO actions, targets, details
        FROM (SELECT r, coalesce(r ->> 'email', r ->> 'name', r ->> 'key') AS t,
                     coalesce(lpad(r ->> 'id', 20, '0'), r ->> 'key') AS k
              FROM (SELECT to_jsonb(n) AS r FROM new_rows n) y) x;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(CASE TG_TABLE_NAME WHEN 'users' THEN 'user.delete'
                                            WHEN 'packages' THEN 'package.delete'
                                            ELSE 'config.set' END ORDER BY x.k),
               array_agg(x.t ORDER BY x.k),
               array_agg(jsonb_build_object('before', x.r - 'password_hash')::text ORDER BY x.k)
          INTO actions, targets, details
        FROM (SELECT r, coalesce(r ->> 'email', r ->> 'name', r ->> 'key') AS t,
                     coalesce(lpad(r ->> 'id', 20, '0'), r ->> 'key') AS k
              FROM (SELECT to_jsonb(o) AS r FROM old_rows o) y) x;
    ELSE
        SELECT array_agg(noun || CASE WHEN noun = 'config' THEN '.set' ELSE '.edit' END ORDER BY x.k),
               array_agg(x.t ORDER BY x.k), array_agg(x.c::text ORDER BY x.k)
          INTO actions, targets, details
        FROM (SELECT coalesce(b.n ->> 'email', b.n ->> 'name', b.n ->> 'key') AS t,
                     coalesce(lpad(b.n ->> 'id', 20, '0'), b.n ->> 'key') AS k,
                     gatehouse.row_change(a.o, b.n) AS c
              FROM (SELECT to_jsonb(o) AS o FROM old_rows o) a
              JOIN (SELECT to_jsonb(n) AS n FROM new_rows n) b
                ON coalesce(a.o ->> 'id', a.o ->> 'key') = coalesce(b.n ->> 'id', b.n ->> 'key')) x
        WHERE x.c IS NOT NULL;
    END IF;
    PERFORM gatehouse.append_audit_many(actor, actions, targets, user_ids, details);
    RETURN NULL;
END
$$;

UPDATE schema_version SET version = 8;

RESET ROLE;
