-- gatehouse on PostgreSQL, schema version 7: what a review of the server side found.
--
-- * A person's no-op `UPDATE users SET status = status` ran the login-role trigger and
--   so turned a login an admin had switched off back on: it now runs only when the
--   status or the expiry really changes.
-- * `set_own_password` took the time and the hash from the caller: the time is now the
--   server's, and the hash must look like the argon2id PHC string gatehouse makes.
-- * A person could write any `last_login_at` on their own row (and fool the access
--   review): only the server's present time is accepted from a non-admin.
-- * A setting's key could be renamed, which the audit (matching rows by key) missed:
--   people may change a setting's value only.
-- * From PostgreSQL 16 on, adding a member to gatehouse_person needs ADMIN OPTION on it.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

DROP TRIGGER users_login_role ON users;
CREATE TRIGGER users_login_role AFTER UPDATE OF status, expires_at ON users
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
    EXECUTE FUNCTION users_login_role();
CREATE TRIGGER users_drop_login_role AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_login_role();

-- The server's clock, in the format every stored time has.
CREATE FUNCTION now_text() RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
GRANT EXECUTE ON FUNCTION now_text() TO gatehouse_person;

CREATE OR REPLACE FUNCTION set_own_password(actor name, hash text, verifier text, at text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    me bigint;
    stamp text := gatehouse.now_text();
BEGIN
    SELECT a.id INTO me FROM gatehouse.acting(actor) a;
    IF me IS NULL THEN
        RAISE EXCEPTION 'your account is not active' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\$[1-9][0-9]{3,6}:[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$'
       OR hash !~ '^\$argon2id\$v=19\$m=[0-9]{1,7},t=[0-9]{1,3},p=[0-9]{1,2}\$[A-Za-z0-9+/]{11,64}\$[A-Za-z0-9+/]{16,128}$' THEN
        RAISE EXCEPTION 'not a password hash and SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Written as the owner: the audit trigger names the person this acts for.
    PERFORM pg_catalog.set_config('gatehouse.acting_for', actor, true);
    UPDATE gatehouse.users SET password_hash = hash, must_change_password = false,
        password_changed_at = stamp, updated_at = stamp, failed_logins = 0, locked_until = NULL
        WHERE id = me;
    PERFORM gatehouse.ensure_login(actor, verifier);
END
$$;

CREATE OR REPLACE FUNCTION users_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' OR pg_catalog.pg_has_role(current_user, 'gatehouse_owner', 'USAGE') THEN
        NEW.role_name := gatehouse.role_for(NEW.email);
        IF TG_OP = 'INSERT' THEN
            RETURN NEW;
        END IF;
        IF pg_catalog.pg_has_role(current_user, 'gatehouse_owner', 'USAGE') THEN
            RETURN NEW;
        END IF;
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
        OR NEW.locked_until IS DISTINCT FROM OLD.locked_until
        OR (NEW.last_login_at IS DISTINCT FROM OLD.last_login_at
            AND NEW.last_login_at IS DISTINCT FROM gatehouse.now_text())) THEN
        RAISE EXCEPTION 'permission denied: only an admin changes a user''s role, status, expiry, password or login time'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

REVOKE UPDATE ON settings FROM gatehouse_person;
GRANT UPDATE (value) ON settings TO gatehouse_person;

UPDATE schema_version SET version = 7;

RESET ROLE;

-- Run by the installer, who may: gatehouse_owner adds people to gatehouse_person.
DO $$ BEGIN
    EXECUTE 'GRANT gatehouse_person TO gatehouse_owner WITH ADMIN OPTION';
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'could not give gatehouse_owner ADMIN OPTION on gatehouse_person (needed from PostgreSQL 16 on)';
END $$;
