-- gatehouse on PostgreSQL, schema version 4: what the tool itself needs to run as each
-- person's own role. Admins write users directly (the policies and a guard trigger say
-- which rows and columns); the server keeps each user's login role in step with the row
-- (created on insert, NOLOGIN when inactive, VALID UNTIL the expiry, dropped on delete);
-- a person changes their own password through one function; the last active admin
-- cannot be removed by anyone; refused attempts are audited in the caller's own name.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

-- The schema version, for the tool to refuse a newer one and upgrade an older one.
CREATE TABLE schema_version (version integer NOT NULL);
INSERT INTO schema_version VALUES (4);
GRANT SELECT ON schema_version TO gatehouse_person;

-- A user's login role: the email itself when it fits PostgreSQL's 63-byte names,
-- otherwise a fixed prefix and a digest of it. Derived from the immutable email only.
CREATE FUNCTION role_for(email text) RETURNS name
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN octet_length(email) <= 63 THEN email::name
           ELSE ('gh~' || left(encode(sha256(convert_to(email, 'UTF8')), 'hex'), 56))::name END
$$;

-- The key that makes package names unique: NFC, then case folded (`Straße`, `STRASSE`
-- and `strasse` are one name), whatever the database's own locale — by ICU's
-- locale-independent rules where the server has ICU, else by `lower` (which in a
-- non-UTF-8 or C locale folds ASCII only: give such a database ICU).
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collname = 'und-x-icu') THEN
        CREATE FUNCTION gatehouse.name_key(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        SET search_path = pg_catalog, pg_temp
        AS $f$ SELECT normalize(lower(upper(normalize(name, NFC) COLLATE "und-x-icu")
                                      COLLATE "und-x-icu"), NFC) $f$;
    ELSE
        CREATE FUNCTION gatehouse.name_key(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        SET search_path = pg_catalog, pg_temp
        AS $f$ SELECT normalize(lower(normalize(name, NFC)), NFC) $f$;
    END IF;
END $$;
GRANT EXECUTE ON FUNCTION name_key(text) TO gatehouse_person;

CREATE OR REPLACE FUNCTION package_name_key() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'gatehouse_owner', 'USAGE')
       OR NEW.name_key IS NULL THEN
        NEW.name_key := gatehouse.name_key(NEW.name);
    END IF;
    RETURN NEW;
END
$$;

-- The caller's own user id, if the account may act (active, unexpired).
CREATE FUNCTION acting_id(who name) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$ SELECT a.id FROM gatehouse.acting(who) a $$;

-- Active admins without an expiry date: the store must always keep one.
CREATE FUNCTION lasting_admins() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT count(*) FROM gatehouse.users
    WHERE role = 'admin' AND status = 'active' AND expires_at IS NULL
$$;

-- The chain's one appender (owner only): ids gapless, each entry hashing the last.
CREATE FUNCTION chain_append(actor name, action text, target text, details text,
                             result text, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    who      record;
    last_id  bigint;
    prev     text;
    at_text  text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    version  text := 'postgres-4';
    fields   text[];
    f        text;
    buf      bytea;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(7238457011);
    SELECT u.id, u.email INTO who FROM gatehouse.users u WHERE u.role_name = actor;
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
REVOKE ALL ON FUNCTION chain_append(name, text, text, text, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION append_audit(actor name, action text, target text, details text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.pg_trigger_depth() < 1
       OR NOT (actor = session_user OR pg_catalog.pg_has_role(session_user, actor, 'MEMBER')) THEN
        RAISE EXCEPTION 'audit entries are written by the server only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM gatehouse.chain_append(actor, action, target, details, 'ok', NULL);
END
$$;

-- A refused attempt, in the caller's own name: it changes nothing, so no trigger sees
-- it. Nobody can write a successful entry this way, nor one in another's name.
CREATE FUNCTION record_refusal(actor name, action text, target text, result text,
                               reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (actor = session_user OR pg_catalog.pg_has_role(session_user, actor, 'MEMBER'))
       OR result NOT IN ('denied', 'failed')
       OR NOT EXISTS (SELECT 1 FROM gatehouse.users WHERE role_name = actor) THEN
        RAISE EXCEPTION 'refusals are recorded in the caller''s own name only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM gatehouse.chain_append(actor, left(action, 100), left(target, 500), NULL,
                                   result, left(reason, 500));
END
$$;

-- Users: admins insert, change and delete; an acting person changes only their own
-- name, contact details and notification choices (the guard below).
CREATE POLICY add_users ON users FOR INSERT TO gatehouse_person
    WITH CHECK (is_admin(current_user));
CREATE POLICY change_users ON users FOR UPDATE TO gatehouse_person
    USING (is_admin(current_user) OR id = acting_id(current_user))
    WITH CHECK (is_admin(current_user) OR id = acting_id(current_user));
CREATE POLICY delete_users ON users FOR DELETE TO gatehouse_person
    USING (is_admin(current_user));
-- The hash is written, never read: no column list a person may SELECT includes it.
GRANT INSERT (email, name, full_name, phone, role, status, password_hash,
              must_change_password, created_at, updated_at, password_changed_at,
              expires_at, last_login_at),
      UPDATE (name, full_name, phone, role, status, password_hash, must_change_password,
              updated_at, password_changed_at, expires_at, failed_logins, locked_until,
              last_login_at, email_notifications, sms_notifications, shipment_updates,
              system_announcements),
      DELETE
    ON users TO gatehouse_person;

-- Before a row is written: the role name comes from the email alone; the email never
-- changes; a person who is not an admin changes only their own harmless columns.
CREATE FUNCTION users_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.pg_has_role(current_user, 'gatehouse_owner', 'USAGE') THEN
        NEW.role_name := gatehouse.role_for(NEW.email);
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.role_name := gatehouse.role_for(NEW.email);
        RETURN NEW;
    END IF;
    IF NEW.email IS DISTINCT FROM OLD.email OR NEW.role_name IS DISTINCT FROM OLD.role_name
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'a user''s email never changes' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT gatehouse.is_admin(current_user) AND (
           NEW.role IS DISTINCT FROM OLD.role OR NEW.status IS DISTINCT FROM OLD.status
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
        OR NEW.must_change_password IS DISTINCT FROM OLD.must_change_password
        OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
        OR NEW.password_changed_at IS DISTINCT FROM OLD.password_changed_at
        OR NEW.failed_logins IS DISTINCT FROM OLD.failed_logins
        OR NEW.locked_until IS DISTINCT FROM OLD.locked_until) THEN
        RAISE EXCEPTION 'permission denied: only an admin changes a user''s role, status, expiry or password'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER users_guard BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_guard();

-- After a row is written: its login role follows it. Runs as the owner (which holds
-- CREATEROLE) only for rows the policies let the caller write. The role itself is made
-- with the user's first password (`ensure_login`): a user without one has nothing to log
-- in with, and a bulk import or copy creates no roles it does not need.
CREATE FUNCTION users_login_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    r name;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD.role_name;
        IF gatehouse.is_person_role(r) THEN
            BEGIN
                EXECUTE format('DROP ROLE %I', r);
            EXCEPTION WHEN dependent_objects_still_exist OR object_in_use THEN
                -- Owns something elsewhere, or is the one connected: it cannot log in.
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
    IF TG_OP = 'INSERT' THEN
        -- A role left behind by an earlier user of this email: no password it had
        -- carries over to the new account.
        EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', r);
        RETURN NULL;
    END IF;
    EXECUTE format('ALTER ROLE %I %s VALID UNTIL %L', r,
                   CASE WHEN NEW.status = 'active' THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   coalesce(NEW.expires_at, 'infinity'));
    RETURN NULL;
END
$$;
CREATE TRIGGER users_login_role AFTER INSERT OR DELETE OR UPDATE OF status, expires_at
    ON users FOR EACH ROW EXECUTE FUNCTION users_login_role();

-- The login role of a user, made or updated with a verifier, logging in only while the
-- row is active and until its expiry. The owner's own (callers check who may).
CREATE FUNCTION ensure_login(target name, verifier text) RETURNS void
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
    ELSIF NOT gatehouse.is_person_role(target) THEN
        RAISE EXCEPTION 'role % is not a gatehouse person', target
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I %s PASSWORD %L VALID UNTIL %L', target,
                   CASE WHEN u.status = 'active' THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   verifier, coalesce(u.expires_at, 'infinity'));
END
$$;
REVOKE ALL ON FUNCTION ensure_login(name, text) FROM PUBLIC;

-- Setting another's password is for admins; the role is made with it.
CREATE OR REPLACE FUNCTION set_login(actor name, target name, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM gatehouse.managed_role(actor, target);
    PERFORM gatehouse.ensure_login(target, verifier);
END
$$;

-- The store never loses its last active admin without an expiry, whoever writes: checked
-- at commit, one writer at a time, so two admins demoting each other leave one.
CREATE FUNCTION keep_an_admin() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(7238457012);
    IF gatehouse.lasting_admins() = 0 THEN
        RAISE EXCEPTION 'refused: this would leave the store without an active admin'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER keep_an_admin AFTER UPDATE OF role, status, expires_at OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keep_an_admin();

-- Users' changes are audited like the rest; the hash never reaches the trail.
CREATE OR REPLACE FUNCTION audit_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    noun   text := CASE TG_TABLE_NAME WHEN 'packages' THEN 'package'
                                      WHEN 'assignments' THEN 'package'
                                      WHEN 'users' THEN 'user'
                                      ELSE 'config' END;
    verb   text;
    target text;
    details jsonb;
    row_now jsonb;
    before jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'password_hash' END;
    after  jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'password_hash' END;
BEGIN
    verb := CASE
        WHEN TG_TABLE_NAME = 'assignments' AND TG_OP = 'INSERT' THEN 'assign'
        WHEN TG_TABLE_NAME = 'assignments' THEN 'unassign'
        WHEN TG_TABLE_NAME = 'settings' THEN 'set'
        WHEN TG_TABLE_NAME = 'users' AND TG_OP = 'INSERT' THEN 'add'
        WHEN TG_OP = 'INSERT' THEN 'create'
        WHEN TG_OP = 'UPDATE' THEN 'edit'
        ELSE 'delete' END;
    IF TG_OP = 'UPDATE' THEN
        -- Only what changed, and whether the password did.
        -- A login's time stamp alone is no change worth an entry.
        SELECT jsonb_object_agg(k, before -> k) INTO before
            FROM jsonb_object_keys(before) k
            WHERE before -> k IS DISTINCT FROM after -> k
              AND k NOT IN ('last_login_at', 'updated_at');
        SELECT jsonb_object_agg(k, after -> k) INTO after
            FROM jsonb_object_keys(after) k
            WHERE (to_jsonb(OLD) -> k) IS DISTINCT FROM after -> k
              AND k NOT IN ('last_login_at', 'updated_at');
        IF (to_jsonb(NEW) ->> 'password_hash') IS DISTINCT FROM (to_jsonb(OLD) ->> 'password_hash') THEN
            after := coalesce(after, '{}'::jsonb) || '{"password_changed": true}'::jsonb;
        END IF;
        IF before IS NULL AND after IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;
    details := jsonb_strip_nulls(jsonb_build_object('before', before, 'after', after));
    row_now := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    target := CASE TG_TABLE_NAME
        WHEN 'packages' THEN row_now ->> 'name'
        WHEN 'settings' THEN row_now ->> 'key'
        WHEN 'users' THEN row_now ->> 'email'
        ELSE (SELECT u.email FROM gatehouse.users u
              WHERE u.id = (row_now ->> 'user_id')::bigint) END;
    -- Inside gatehouse's own functions (running as the owner) the person is the one the
    -- function acts for.
    PERFORM gatehouse.append_audit(
        CASE WHEN current_user = 'gatehouse_owner'
             THEN coalesce(nullif(current_setting('gatehouse.acting_for', true), ''),
                           session_user)::name
             ELSE current_user END,
        noun || '.' || verb, target, details::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_change();

-- A person's own password: the argon2id hash and the role's SCRAM verifier (computed
-- by the client), at once. Allowed to an active, unexpired account even when it must
-- change its password — that is how the flag is cleared.
CREATE FUNCTION set_own_password(actor name, hash text, verifier text, at text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    me bigint;
BEGIN
    SELECT a.id INTO me FROM gatehouse.acting(actor) a;
    IF me IS NULL THEN
        RAISE EXCEPTION 'your account is not active' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\$[1-9][0-9]{3,6}:[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$'
       OR hash !~ '^\$argon2id\$' THEN
        RAISE EXCEPTION 'not a password hash and SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Written as the owner: the audit trigger names the person this acts for.
    PERFORM pg_catalog.set_config('gatehouse.acting_for', actor, true);
    UPDATE gatehouse.users SET password_hash = hash, must_change_password = false,
        password_changed_at = at, updated_at = at, failed_logins = 0, locked_until = NULL
        WHERE id = me;
    PERFORM gatehouse.ensure_login(actor, verifier);
END
$$;

REVOKE ALL ON FUNCTION role_for(text), acting_id(name), lasting_admins(),
    record_refusal(name, text, text, text, text), users_guard(), users_login_role(),
    keep_an_admin(), set_own_password(name, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION role_for(text), acting_id(name), lasting_admins(),
    record_refusal(name, text, text, text, text), set_own_password(name, text, text, text)
    TO gatehouse_person;

RESET ROLE;
