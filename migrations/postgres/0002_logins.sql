-- gatehouse on PostgreSQL, schema version 2: each person's login role, managed only
-- through these functions. They run as gatehouse_owner (which the installer gives
-- CREATEROLE: `ALTER ROLE gatehouse_owner CREATEROLE`), check that `actor` is an active
-- admin — `actor` is the caller's `current_user`, and `acting` accepts it only from the
-- session that is, or may become, that role — and touch only roles that belong to a
-- gatehouse user and to gatehouse_person. Passwords arrive as SCRAM-SHA-256 verifiers
-- computed by the client: the plaintext never reaches the server or its logs.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog;

-- A role made for a person: a direct member of gatehouse_person, no superuser, not one
-- of gatehouse's own roles.
CREATE FUNCTION is_person_role(target name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles r
        JOIN pg_catalog.pg_auth_members m ON m.member = r.oid
        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person'
        WHERE r.rolname = target AND NOT r.rolsuper
          AND r.rolname NOT IN ('gatehouse_person', 'gatehouse_owner'))
$$;

CREATE FUNCTION managed_role(actor name, target name) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT gatehouse.is_admin(actor) THEN
        RAISE EXCEPTION 'permission denied: only an active admin manages logins'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM gatehouse.users WHERE role_name = target) THEN
        RAISE EXCEPTION 'no gatehouse user has the role %', target
            USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

-- Creates the person's login role, or sets its password and lets it log in again.
CREATE FUNCTION set_login(actor name, target name, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM gatehouse.managed_role(actor, target);
    -- Exactly a verifier (iterations, a base64 salt, two 32-byte keys): anything else
    -- the server would take for a plaintext password and hash itself.
    IF verifier !~ '^SCRAM-SHA-256\$[1-9][0-9]{3,6}:[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$' THEN
        RAISE EXCEPTION 'not a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = target) THEN
        IF NOT gatehouse.is_person_role(target) THEN
            RAISE EXCEPTION 'role % is not a gatehouse person', target
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', target, verifier);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE gatehouse_person PASSWORD %L', target, verifier);
    END IF;
END
$$;

-- The role can no longer log in (deactivation, expiry). The policies already deny an
-- inactive or expired user at once, open connections included.
CREATE FUNCTION disable_login(actor name, target name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM gatehouse.managed_role(actor, target);
    IF gatehouse.is_person_role(target) THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', target);
    END IF;
END
$$;

REVOKE ALL ON FUNCTION is_person_role(name), managed_role(name, name),
    set_login(name, name, text), disable_login(name, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_login(name, name, text), disable_login(name, name)
    TO gatehouse_person;

RESET ROLE;
