-- gatehouse on PostgreSQL, schema version 1: the same data as the SQLite store, and the
-- access rule enforced by the server with row-level security, so a person who connects
-- as their own role with psql sees and changes exactly what gatehouse would let them.
--
-- Run by a role that may create roles and schemas, after:
--   CREATE ROLE gatehouse_owner NOLOGIN;    -- owns everything below; nobody logs in as it
--   CREATE ROLE gatehouse_person NOLOGIN;   -- every person's login role is a member
-- Person roles hold no CREATEROLE, BYPASSRLS, superuser or ownership: what they may do
-- comes from the grants and policies here.

CREATE SCHEMA gatehouse AUTHORIZATION gatehouse_owner;
SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email                text NOT NULL UNIQUE,
    role_name            text NOT NULL UNIQUE,  -- the login role, derived from the email
    name                 text NOT NULL,
    full_name            text,
    phone                text,
    role                 text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    password_hash        text,
    must_change_password boolean NOT NULL DEFAULT false,
    created_at           text NOT NULL,
    updated_at           text NOT NULL,
    last_login_at        text,
    password_changed_at  text,
    expires_at           text,
    failed_logins        bigint NOT NULL DEFAULT 0,
    locked_until         text,
    email_notifications  boolean NOT NULL DEFAULT true,
    sms_notifications    boolean NOT NULL DEFAULT false,
    shipment_updates     boolean NOT NULL DEFAULT true,
    system_announcements boolean NOT NULL DEFAULT true
);

CREATE TABLE packages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    name_key    text NOT NULL UNIQUE,
    description text,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  text NOT NULL,
    updated_at  text NOT NULL
);
CREATE INDEX packages_by_creator ON packages (created_by);

CREATE TABLE assignments (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    assigned_by bigint REFERENCES users (id) ON DELETE SET NULL,
    assigned_at text NOT NULL,
    PRIMARY KEY (user_id, package_id)
);
CREATE INDEX assignments_by_package ON assignments (package_id);

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Every function below names its tables with the schema and keeps pg_temp last on its
-- search_path: otherwise a person could create a temporary table `users` that the
-- function, running as the owner, would read first (and so make themselves admin).

-- Who is acting: the user whose login role is `who`, if that account may act at all
-- (active, not expired). Policies pass `current_user`, evaluated where the query runs, so
-- a service that `SET ROLE`s to a person acts as that person. Called directly, it answers
-- only for the caller's own role(s), so nobody learns another's standing.
CREATE FUNCTION acting(who name)
RETURNS TABLE (id bigint, admin boolean, gated boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT u.id, u.role = 'admin', u.must_change_password
    FROM gatehouse.users u
    WHERE u.role_name = who
      AND (who = session_user OR pg_has_role(session_user, who, 'MEMBER'))
      AND u.status = 'active'
      AND (u.expires_at IS NULL
           OR u.expires_at > to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
$$;

-- The rule, once: see a package = admin OR creator OR assigned; change it = admin OR
-- creator; an account that must change its password reaches no package. The policies
-- pass the row's own columns, so a row being inserted is judged by what it says.
CREATE FUNCTION can_see(who name, pkg bigint, creator bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM gatehouse.acting(who) a
        WHERE NOT a.gated
          AND (a.admin OR creator = a.id
               OR EXISTS (SELECT 1 FROM gatehouse.assignments s
                          WHERE s.user_id = a.id AND s.package_id = pkg)))
$$;

CREATE FUNCTION can_change(who name, creator bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM gatehouse.acting(who) a
        WHERE NOT a.gated AND (a.admin OR creator = a.id))
$$;

-- `can_change` for a package named by id (for its assignments).
CREATE FUNCTION can_change_package(who name, pkg bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM gatehouse.packages p
                   WHERE p.id = pkg AND gatehouse.can_change(who, p.created_by))
$$;

CREATE FUNCTION is_admin(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM gatehouse.acting(who) a WHERE a.admin AND NOT a.gated)
$$;

CREATE FUNCTION may_create_package(who name, creator bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM gatehouse.acting(who) a
        WHERE a.id = creator AND NOT a.gated
          AND (a.admin OR coalesce((SELECT value FROM gatehouse.settings
                                    WHERE key = 'packages.users_can_create'), 'on') = 'on'))
$$;

-- The person's own row, whatever their standing (to see why they cannot act).
CREATE FUNCTION own_id(who name) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT u.id FROM gatehouse.users u
    WHERE u.role_name = who
      AND (who = session_user OR pg_has_role(session_user, who, 'MEMBER'))
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA gatehouse FROM PUBLIC;
GRANT USAGE ON SCHEMA gatehouse TO gatehouse_person;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA gatehouse TO gatehouse_person;

-- Every table: row-level security forced, one policy for the owner (the helpers run as
-- it), the person policies for the group.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE packages FORCE ROW LEVEL SECURITY;
ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assignments FORCE ROW LEVEL SECURITY;
ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE settings FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON users TO gatehouse_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON packages TO gatehouse_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON assignments TO gatehouse_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON settings TO gatehouse_owner USING (true) WITH CHECK (true);

-- Users: an admin sees everyone; anyone sees their own row. Changes to users go through
-- gatehouse's functions (a later version); no person writes the table directly.
CREATE POLICY see_users ON users FOR SELECT TO gatehouse_person
    USING (is_admin(current_user) OR id = own_id(current_user));
-- Every column but the password hash, which no person's role may read.
GRANT SELECT (id, email, role_name, name, full_name, phone, role, status, must_change_password,
              created_at, updated_at, last_login_at, password_changed_at, expires_at,
              failed_logins, locked_until, email_notifications, sms_notifications,
              shipment_updates, system_announcements)
    ON users TO gatehouse_person;

-- Packages: the rule.
CREATE POLICY see_packages ON packages FOR SELECT TO gatehouse_person
    USING (can_see(current_user, id, created_by));
CREATE POLICY create_packages ON packages FOR INSERT TO gatehouse_person
    WITH CHECK (may_create_package(current_user, created_by));
CREATE POLICY change_packages ON packages FOR UPDATE TO gatehouse_person
    USING (can_change(current_user, created_by)) WITH CHECK (can_change(current_user, created_by));
CREATE POLICY delete_packages ON packages FOR DELETE TO gatehouse_person
    USING (can_change(current_user, created_by));
GRANT SELECT, DELETE ON packages TO gatehouse_person;
GRANT INSERT (name, description, status, created_by, created_at, updated_at),
      UPDATE (name, description, status, updated_at)
    ON packages TO gatehouse_person;

-- A person never supplies the uniqueness key: the server derives it from the name (NFC,
-- then lower case by the database's locale — give it a UTF-8 one; gatehouse itself writes
-- full Unicode case folding as the owner).
CREATE FUNCTION package_name_key() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'gatehouse_owner', 'USAGE')
       OR NEW.name_key IS NULL THEN
        NEW.name_key := pg_catalog.lower(pg_catalog.normalize(NEW.name, 'NFC'));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER package_name_key BEFORE INSERT OR UPDATE OF name ON packages
    FOR EACH ROW EXECUTE FUNCTION package_name_key();

-- Assignments: admins manage them; a person sees their own and those of packages they
-- may change (its members).
CREATE POLICY see_assignments ON assignments FOR SELECT TO gatehouse_person
    USING (user_id = own_id(current_user) OR is_admin(current_user)
           OR can_change_package(current_user, package_id));
CREATE POLICY assign ON assignments FOR INSERT TO gatehouse_person
    WITH CHECK (is_admin(current_user));
CREATE POLICY unassign ON assignments FOR DELETE TO gatehouse_person
    USING (is_admin(current_user));
GRANT SELECT, INSERT, DELETE ON assignments TO gatehouse_person;

-- Settings: read by everyone who may act, written by admins.
CREATE POLICY read_settings ON settings FOR SELECT TO gatehouse_person
    USING (EXISTS (SELECT 1 FROM gatehouse.acting(current_user)));
CREATE POLICY write_settings ON settings FOR ALL TO gatehouse_person
    USING (is_admin(current_user)) WITH CHECK (is_admin(current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON settings TO gatehouse_person;

RESET ROLE;
