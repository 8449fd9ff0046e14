-- gatehouse on PostgreSQL, schema version 6: the audit trail written once per statement.
-- A trigger per row cost a function call, a lookup of the chain's head and an INSERT
-- for every row: an import of 100k users with their packages took minutes. Now one
-- trigger per statement reads the rows it changed (transition tables), builds their
-- entries in one query, and one call appends them all to the chain — the same chain
-- format, the actor still the connected role, in the same transaction. Assignments are
-- recorded per user and statement: "package.assign alice@…: north, south".

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

-- What changed between two versions of a row, without the hash and the bookkeeping
-- stamps; NULL when nothing worth an entry did.
CREATE FUNCTION row_change(b jsonb, a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN d.before IS NULL AND d.after IS NULL AND NOT d.pw THEN NULL
           ELSE jsonb_strip_nulls(jsonb_build_object(
               'before', d.before,
               'after', CASE WHEN d.pw
                             THEN coalesce(d.after, '{}'::jsonb) || '{"password_changed": true}'::jsonb
                             ELSE d.after END)) END
    FROM (SELECT
        (SELECT jsonb_object_agg(k, b -> k) FROM jsonb_object_keys(b) k
         WHERE k NOT IN ('password_hash', 'last_login_at', 'updated_at')
           AND b -> k IS DISTINCT FROM a -> k) AS before,
        (SELECT jsonb_object_agg(k, a -> k) FROM jsonb_object_keys(a) k
         WHERE k NOT IN ('password_hash', 'last_login_at', 'updated_at')
           AND b -> k IS DISTINCT FROM a -> k) AS after,
        (b ->> 'password_hash') IS DISTINCT FROM (a ->> 'password_hash') AS pw) d
$$;

-- A field as the chain hashes it: its length (8 bytes, big endian), then its bytes.
CREATE FUNCTION chain_field(f text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT int8send(octet_length(f)::bigint) || convert_to(f, 'UTF8') $$;

-- Appends entries — parallel arrays of actions, targets (or, for assignments, the
-- user's id, whose email becomes the target) and details — to the chain, in order, for
-- the role that made the change. Only from inside a trigger, and only in the caller's
-- own name. Everything but the chaining itself is done for all entries at once; the
-- loop only hashes each entry onto the one before.
CREATE FUNCTION append_audit_many(actor name, actions text[], targets text[],
                                  user_ids bigint[], details text[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    who      record;
    last_id  bigint;
    prev     text;
    at_text  text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    version  text := 'postgres-6';
    head     bytea;
    tails    bytea[];
    prevs    text[];
    hashes   text[];
    n        integer := coalesce(array_length(actions, 1), 0);
BEGIN
    IF pg_catalog.pg_trigger_depth() < 1
       OR NOT (actor = session_user OR pg_catalog.pg_has_role(session_user, actor, 'MEMBER')) THEN
        RAISE EXCEPTION 'audit entries are written by the server only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF n = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(7238457011);
    SELECT u.id, u.email INTO who FROM gatehouse.users u WHERE u.role_name = actor;
    SELECT a.id, a.hash INTO last_id, prev FROM gatehouse.audit a ORDER BY a.id DESC LIMIT 1;
    last_id := coalesce(last_id, 0);
    prev := coalesce(prev, repeat('0', 64));
    IF user_ids IS NOT NULL THEN
        SELECT array_agg(u.email ORDER BY x.i) INTO targets
        FROM unnest(user_ids) WITH ORDINALITY AS x(id, i)
        LEFT JOIN gatehouse.users u ON u.id = x.id;
    END IF;
    head := gatehouse.chain_field(at_text) || gatehouse.chain_field(coalesce(who.id::text, ''))
            || gatehouse.chain_field(coalesce(who.email, ''));
    SELECT array_agg(head || gatehouse.chain_field(x.a) || gatehouse.chain_field(coalesce(x.t, ''))
                     || gatehouse.chain_field(coalesce(x.d, '')) || gatehouse.chain_field('ok')
                     || gatehouse.chain_field('') || gatehouse.chain_field(version) ORDER BY x.i)
      INTO tails
    FROM unnest(actions, targets, details) WITH ORDINALITY AS x(a, t, d, i);
    prevs := array_fill(NULL::text, ARRAY[n]);
    hashes := array_fill(NULL::text, ARRAY[n]);
    FOR i IN 1..n LOOP
        prevs[i] := prev;
        prev := encode(sha256(int8send(last_id + i) || convert_to(prev, 'UTF8') || tails[i]), 'hex');
        hashes[i] := prev;
    END LOOP;
    INSERT INTO gatehouse.audit (id, at, actor_id, actor_email, action, target, details,
                                 result, reason, version, prev_hash, hash)
    SELECT last_id + x.i, at_text, who.id, who.email, x.a, x.t, x.d, 'ok', NULL, version, x.p, x.h
    FROM unnest(actions, targets, details, prevs, hashes) WITH ORDINALITY AS x(a, t, d, p, h, i);
END
$$;

-- The statement trigger: the entries of every row the statement changed, in key order.
-- It runs with the rights of whoever made the change, so `current_user` is that person;
-- inside gatehouse's own functions (running as the owner) it is the person they act for.
CREATE FUNCTION audit_rows() RETURNS trigger
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

-- A new user's login role exists only if an earlier user of the same email left it
-- behind: looked for once per statement, and stripped of any password it had.
CREATE FUNCTION users_leftover_roles() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT n.role_name FROM new_rows n
             JOIN pg_catalog.pg_roles g ON g.rolname = n.role_name LOOP
        IF NOT gatehouse.is_person_role(r) THEN
            RAISE EXCEPTION 'role % exists and is not a gatehouse person', r
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', r);
    END LOOP;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION users_leftover_roles() FROM PUBLIC;
DROP TRIGGER users_login_role ON users;
CREATE TRIGGER users_login_role AFTER DELETE OR UPDATE OF status, expires_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_login_role();
CREATE TRIGGER users_leftover_roles AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_leftover_roles();

DROP TRIGGER audit_users ON users;
DROP TRIGGER audit_packages ON packages;
DROP TRIGGER audit_assignments ON assignments;
DROP TRIGGER audit_settings ON settings;

CREATE TRIGGER audit_users_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_users_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_users_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_packages_insert AFTER INSERT ON packages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_packages_update AFTER UPDATE ON packages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_packages_delete AFTER DELETE ON packages
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_assignments_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_assignments_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();
CREATE TRIGGER audit_settings_delete AFTER DELETE ON settings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows();

REVOKE ALL ON FUNCTION append_audit_many(name, text[], text[], bigint[], text[]), audit_rows(),
    row_change(jsonb, jsonb), chain_field(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_audit_many(name, text[], text[], bigint[], text[]),
    row_change(jsonb, jsonb), chain_field(text) TO gatehouse_person;

UPDATE schema_version SET version = 6;

RESET ROLE;
