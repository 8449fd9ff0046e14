-- gatehouse on PostgreSQL, schema version 9: what running on managed servers (PostgreSQL
-- 14 to 18, installed by a role without SUPERUSER) and an attack with psql asked for.
--
-- * A caller's standing is read as committed now, not from the caller's snapshot: a
--   fired admin inside an old REPEATABLE READ transaction could still set logins. Every
--   function that acts for a caller locks the caller's row (FOR SHARE): under REPEATABLE
--   READ a row changed since the snapshot is a serialization failure; under READ
--   COMMITTED the newest row is read. Every audited write does the same.
-- * Every change of who can log in (`set_login`, `disable_login`) is an audit entry.
-- * An audit entry's actor is a gatehouse user (or the installer, whose entries have no
--   actor): a group such as gatehouse_person cannot write entries.
-- * Writers are serialized by locks on gatehouse's own tables, taken by the owner, not by
--   advisory locks that any role may hold forever.
-- * A person who may not act reads no assignment rows, not even their own.
-- * The server refuses values the tool would refuse: settings, names, contact details,
--   package names and descriptions, and times.
-- * A deactivated or deleted person's open connections are ended (where the owner may).

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

-- Taken (EXCLUSIVE) by every gatehouse write and by the last-admin check; no person may
-- read or lock it.
CREATE TABLE write_lock (one boolean PRIMARY KEY DEFAULT true CHECK (one));
ALTER TABLE write_lock ENABLE ROW LEVEL SECURITY;
ALTER TABLE write_lock FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON write_lock TO gatehouse_owner USING (true) WITH CHECK (true);

-- The caller's standing as committed now: their row, locked so it cannot change until
-- the caller's transaction ends. Nothing for a role that is not the caller's own.
CREATE FUNCTION standing_now(who name)
RETURNS TABLE (id bigint, email text, admin boolean, active boolean, gated boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (who = session_user OR pg_catalog.pg_has_role(session_user, who, 'MEMBER')) THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT u.id, u.email, u.role = 'admin',
               u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > gatehouse.now_text()),
               u.must_change_password
        FROM gatehouse.users u WHERE u.role_name = who FOR SHARE;
END
$$;

-- Gatehouse's write lock, for a caller who may act as committed now (or the installer);
-- their row stays locked until they commit, so a demotion waits for them or they see it.
-- Any active person can take it and leave their transaction idle, as they can hold any
-- lock their writes take; so an admin's write ends a person's transaction that has sat
-- idle for more than two seconds holding gatehouse's write lock or the trail's.
CREATE FUNCTION begin_write(actor name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    installer boolean := pg_catalog.pg_has_role(session_user, 'gatehouse_owner', 'USAGE');
    admin     boolean := true;
    p         integer;
BEGIN
    IF NOT installer THEN
        SELECT a.admin AND NOT a.gated INTO admin FROM gatehouse.acting(actor) a;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'permission denied: your account is not active'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF admin THEN
        FOR p IN SELECT DISTINCT a.pid FROM pg_catalog.pg_locks l
                 JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                 WHERE l.relation IN ('gatehouse.write_lock'::regclass, 'gatehouse.audit'::regclass)
                   AND l.mode = 'ExclusiveLock' AND l.granted
                   AND a.state IN ('idle in transaction', 'idle in transaction (aborted)')
                   AND a.state_change < pg_catalog.clock_timestamp() - interval '2 seconds'
                   AND a.pid <> pg_catalog.pg_backend_pid()
                   AND gatehouse.is_person_role(a.usename) LOOP
            BEGIN
                PERFORM pg_catalog.pg_terminate_backend(p);
            EXCEPTION WHEN insufficient_privilege THEN
                NULL;
            END;
        END LOOP;
    END IF;
    LOCK TABLE gatehouse.write_lock IN EXCLUSIVE MODE;
    -- Under the lock (so a demotion by another writer has committed or not begun), the
    -- standing as committed now, kept by a lock on the caller's row.
    IF NOT installer AND NOT EXISTS (SELECT 1 FROM gatehouse.standing_now(actor) s WHERE s.active) THEN
        RAISE EXCEPTION 'permission denied: your account is not active'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- After a change has committed, the open connections of persons who can no longer log
-- in (inactive, expired, deleted) are ended: the triggers end them already, but before
-- commit, so a reconnect in between would outlive the change. For an active admin; a
-- no-op for anyone else.
CREATE FUNCTION end_stale_sessions(actor name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    r name;
BEGIN
    IF NOT gatehouse.is_admin(actor) THEN
        RETURN;
    END IF;
    FOR r IN SELECT DISTINCT a.usename FROM pg_catalog.pg_stat_activity a
             WHERE gatehouse.is_person_role(a.usename)
               AND NOT EXISTS (SELECT 1 FROM gatehouse.users u
                               WHERE u.role_name = a.usename AND u.status = 'active'
                                 AND (u.expires_at IS NULL OR u.expires_at > gatehouse.now_text())) LOOP
        PERFORM gatehouse.end_sessions(r);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION standing_now(name), begin_write(name), end_stale_sessions(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION begin_write(name), end_stale_sessions(name) TO gatehouse_person;

-- Only an active admin, as committed now, manages logins.
DROP FUNCTION managed_role(name, name);
CREATE FUNCTION managed_role(actor name, target name) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    target_email text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM gatehouse.standing_now(actor) s
                   WHERE s.admin AND s.active AND NOT s.gated) THEN
        RAISE EXCEPTION 'permission denied: only an active admin manages logins'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT u.email INTO target_email FROM gatehouse.users u WHERE u.role_name = target;
    IF target_email IS NULL THEN
        RAISE EXCEPTION 'no gatehouse user has the role %', target
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN target_email;
END
$$;
REVOKE ALL ON FUNCTION managed_role(name, name) FROM PUBLIC;

CREATE OR REPLACE FUNCTION set_login(actor name, target name, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    target_email text := gatehouse.managed_role(actor, target);
BEGIN
    PERFORM gatehouse.ensure_login(target, verifier);
    PERFORM gatehouse.chain_append(actor, 'user.login', target_email,
                                   '{"after":{"password_set":true}}', 'ok', NULL);
END
$$;

CREATE OR REPLACE FUNCTION disable_login(actor name, target name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    target_email text := gatehouse.managed_role(actor, target);
BEGIN
    IF gatehouse.is_person_role(target) THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', target);
        PERFORM gatehouse.end_sessions(target);
        PERFORM gatehouse.chain_append(actor, 'user.login', target_email,
                                       '{"after":{"login":false}}', 'ok', NULL);
    END IF;
END
$$;

-- Ends a person's open connections (but never the caller's own). The owner may where it
-- is a member of the person's role (roles it made on this server version; `store
-- doctor` names the others).
CREATE FUNCTION end_sessions(target name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    p integer;
BEGIN
    FOR p IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
             WHERE a.usename = target AND a.pid <> pg_catalog.pg_backend_pid() LOOP
        BEGIN
            PERFORM pg_catalog.pg_terminate_backend(p);
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION end_sessions(name) FROM PUBLIC;

-- Whether the owner holds what it needs over a person's role: ADMIN OPTION to change or
-- drop it (from PostgreSQL 16 on; CREATEROLE sufficed before) and its privileges, to end
-- its sessions. A role made before the cluster was upgraded to 16 has neither.
CREATE FUNCTION owner_manages(target name) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    RETURN pg_catalog.pg_has_role('gatehouse_owner', target, 'USAGE')
       AND (pg_catalog.current_setting('server_version_num')::int < 160000
            OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid AND r.rolname = target
                       JOIN pg_catalog.pg_roles o ON o.oid = m.member AND o.rolname = 'gatehouse_owner'
                       WHERE m.admin_option));
END
$$;
REVOKE ALL ON FUNCTION owner_manages(name) FROM PUBLIC;

-- A person's own password: as committed now, the account may still act.
CREATE OR REPLACE FUNCTION set_own_password(actor name, hash text, verifier text, at text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    me bigint;
    stamp text := gatehouse.now_text();
BEGIN
    SELECT s.id INTO me FROM gatehouse.standing_now(actor) s WHERE s.active;
    IF me IS NULL THEN
        RAISE EXCEPTION 'your account is not active' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\$[1-9][0-9]{3,6}:[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$'
       OR hash !~ '^\$argon2id\$v=19\$m=[0-9]{1,7},t=[0-9]{1,3},p=[0-9]{1,2}\$[A-Za-z0-9+/]{11,64}\$[A-Za-z0-9+/]{16,128}$' THEN
        RAISE EXCEPTION 'not a password hash and SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_catalog.set_config('gatehouse.acting_for', actor, true);
    UPDATE gatehouse.users SET password_hash = hash, must_change_password = false,
        password_changed_at = stamp, updated_at = stamp, failed_logins = 0, locked_until = NULL
        WHERE id = me;
    PERFORM gatehouse.ensure_login(actor, verifier);
END
$$;

-- The login role follows its row; a deactivated or deleted person's connections end.
CREATE OR REPLACE FUNCTION users_login_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    r name;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD.role_name;
        IF gatehouse.is_person_role(r) THEN
            PERFORM gatehouse.end_sessions(r);
            BEGIN
                EXECUTE format('DROP ROLE %I', r);
            EXCEPTION WHEN dependent_objects_still_exist OR object_in_use THEN
                EXECUTE format('ALTER ROLE %I NOLOGIN', r);
            END;
        END IF;
        RETURN NULL;
    END IF;
    r := NEW.role_name;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
        RETURN NULL;
    END IF;
    IF NOT gatehouse.is_person_role(r) THEN
        RAISE EXCEPTION 'role % exists and is not a gatehouse person', r
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I %s VALID UNTIL %L', r,
                   CASE WHEN NEW.status = 'active' THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   coalesce(NEW.expires_at, 'infinity'));
    IF NEW.status <> 'active' THEN
        PERFORM gatehouse.end_sessions(r);
    END IF;
    RETURN NULL;
END
$$;

-- The login role of a user; made with the owner as a member of it (so the owner can
-- end its sessions): from PostgreSQL 16 on by `createrole_self_grant`, set on this
-- function by the installer, before that by a grant.
CREATE OR REPLACE FUNCTION ensure_login(target name, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    u record;
BEGIN
    IF verifier !~ '^SCRAM-SHA-256\$[1-9][0-9]{3,6}:[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$' THEN
        RAISE EXCEPTION 'not a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT status, expires_at INTO u FROM gatehouse.users WHERE role_name = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no gatehouse user has the role %', target USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = target) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE gatehouse_person', target);
        IF pg_catalog.current_setting('server_version_num')::int < 160000 THEN
            EXECUTE format('GRANT %I TO gatehouse_owner', target);
        END IF;
    ELSIF NOT gatehouse.is_person_role(target) THEN
        RAISE EXCEPTION 'role % is not a gatehouse person', target
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I %s PASSWORD %L VALID UNTIL %L', target,
                   CASE WHEN u.status = 'active' THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   verifier, coalesce(u.expires_at, 'infinity'));
END
$$;

-- The last-admin check, serialized by the owner's lock rather than an advisory one.
CREATE OR REPLACE FUNCTION keep_an_admin() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    LOCK TABLE gatehouse.write_lock IN EXCLUSIVE MODE;
    IF gatehouse.lasting_admins() = 0 THEN
        RAISE EXCEPTION 'refused: this would leave the store without an active admin'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

-- Who an entry names: a gatehouse user, or — for the installer's own changes — nobody.
CREATE FUNCTION audit_actor(actor name, OUT id bigint, OUT email text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    SELECT u.id, u.email INTO id, email FROM gatehouse.users u WHERE u.role_name = actor;
    IF id IS NULL AND NOT pg_catalog.pg_has_role(session_user, 'gatehouse_owner', 'USAGE') THEN
        -- A person's own role whose row this very transaction deleted (an admin deleting
        -- themselves) is named by it; a group or any other role never is.
        IF gatehouse.is_person_role(actor) THEN
            email := actor;
        ELSE
            RAISE EXCEPTION 'audit entries name a gatehouse user; `%` is none', actor
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION audit_actor(name) FROM PUBLIC;

-- The chain's appender: the audit table's own lock (which no person can take in a mode
-- that blocks it) instead of an advisory one, and an actor who is a gatehouse user.
CREATE OR REPLACE FUNCTION chain_append(actor name, action text, target text, details text,
                                        result text, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    who      record;
    last_id  bigint;
    prev     text;
    at_text  text := gatehouse.now_text();
    version  text := 'postgres-4';
    fields   text[];
    f        text;
    buf      bytea;
BEGIN
    SELECT * INTO who FROM gatehouse.audit_actor(actor);
    LOCK TABLE gatehouse.audit IN EXCLUSIVE MODE;
    SELECT a.id, a.hash INTO last_id, prev FROM gatehouse.audit a ORDER BY a.id DESC LIMIT 1;
    last_id := coalesce(last_id, 0) + 1;
    prev := coalesce(prev, repeat('0', 64));
    fields := ARRAY[at_text, coalesce(who.id::text, ''), coalesce(who.email, ''), action,
                    coalesce(target, ''), coalesce(details, ''), result,
                    coalesce(reason, ''), version];
    buf := int8send(last_id) || convert_to(prev, 'UTF8');
    FOREACH f IN ARRAY fields LOOP
        buf := buf || int8send(octet_length(f)::bigint) || convert_to(f, 'UTF8');
    END LOOP;
    INSERT INTO gatehouse.audit (id, at, actor_id, actor_email, action, target, details,
                                 result, reason, version, prev_hash, hash)
    VALUES (last_id, at_text, who.id, who.email, action, target, details, result, reason,
            version, prev, encode(sha256(buf), 'hex'));
END
$$;

CREATE OR REPLACE FUNCTION append_audit_many(actor name, actions text[], targets text[],
                                             user_ids bigint[], details text[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    who      record;
    last_id  bigint;
    prev     text;
    at_text  text := gatehouse.now_text();
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
    SELECT * INTO who FROM gatehouse.audit_actor(actor);
    IF who.id IS NOT NULL THEN
        -- The writer's row, locked: under REPEATABLE READ, a writer whose standing
        -- changed after their snapshot was taken fails here (a serialization failure)
        -- instead of writing with the rights they had.
        PERFORM 1 FROM gatehouse.users u WHERE u.id = who.id FOR SHARE;
    END IF;
    IF n = 0 THEN
        RETURN;
    END IF;
    LOCK TABLE gatehouse.audit IN EXCLUSIVE MODE;
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

-- A person who may not act reads no assignment rows.
ALTER POLICY see_assignments ON assignments
    USING ((SELECT gatehouse.is_admin(current_user))
           OR user_id = (SELECT gatehouse.able_id(current_user))
           OR package_id IN (SELECT gatehouse.changeable_package_ids(current_user)));

-- What the tool would write, and nothing else. Text fields: trimmed, one line, no
-- control characters, no invisible formatting characters, within the tool's lengths.
-- SQL-standard bodies: parsed once, here, so no caller's search_path (an operator of
-- their own) or string setting (standard_conforming_strings) can change what they test.
CREATE FUNCTION one_line(v text, max integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.char_length(v) BETWEEN 1 AND max
   AND v !~ '^[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]|[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]$'
   AND v !~ '[\u0001-\u001f\u007f-\u009f\u2028\u2029\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]';
CREATE FUNCTION is_time(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$';
GRANT EXECUTE ON FUNCTION one_line(text, integer), is_time(text) TO gatehouse_person;

ALTER TABLE users ADD CONSTRAINT users_values CHECK (
        gatehouse.one_line(name, 64)
    AND (full_name IS NULL OR gatehouse.one_line(full_name, 128))
    AND (phone IS NULL OR (phone ~ '^[0-9 +().-]{1,32}$' AND phone !~ '^\s|\s$'
                           AND pg_catalog.char_length(pg_catalog.regexp_replace(phone, '[^0-9]', '', 'g')) BETWEEN 3 AND 20))
    AND gatehouse.is_time(created_at) AND gatehouse.is_time(updated_at)
    AND (last_login_at IS NULL OR gatehouse.is_time(last_login_at))
    AND (password_changed_at IS NULL OR gatehouse.is_time(password_changed_at))
    AND (expires_at IS NULL OR gatehouse.is_time(expires_at))
    AND (locked_until IS NULL OR gatehouse.is_time(locked_until))) NOT VALID;
ALTER TABLE packages ADD CONSTRAINT packages_values CHECK (
        gatehouse.one_line(name, 64) AND name !~ '[,;]'
    AND (description IS NULL OR gatehouse.one_line(description, 256))
    AND gatehouse.is_time(created_at) AND gatehouse.is_time(updated_at)) NOT VALID;
ALTER TABLE assignments ADD CONSTRAINT assignments_values CHECK (
        gatehouse.is_time(assigned_at)) NOT VALID;
ALTER TABLE settings ADD CONSTRAINT settings_values CHECK (
    CASE key
        WHEN 'packages.users_can_create' THEN value IN ('on', 'off')
        WHEN 'password.blocklist' THEN value IN ('on', 'off')
        WHEN 'password.min_length' THEN value ~ '^[1-9][0-9]{0,3}$' AND value::integer BETWEEN 6 AND 1024
        WHEN 'session.ttl' THEN gatehouse.one_line(value, 64)
        ELSE false
    END) NOT VALID;

-- Rows from before are checked now where they pass; a store with a value the tool would
-- not have written keeps the constraint unvalidated, and `store doctor` says so.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES ('users', 'users_values'), ('packages', 'packages_values'),
                                   ('assignments', 'assignments_values'),
                                   ('settings', 'settings_values')) AS x(t, n) LOOP
        BEGIN
            EXECUTE format('ALTER TABLE gatehouse.%I VALIDATE CONSTRAINT %I', c.t, c.n);
        EXCEPTION WHEN check_violation THEN
            RAISE WARNING 'gatehouse.% holds values gatehouse would not write; `gatehouse store doctor` names the constraint', c.t;
        END;
    END LOOP;
END $$;

UPDATE schema_version SET version = 9;

RESET ROLE;
