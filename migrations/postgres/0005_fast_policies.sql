-- gatehouse on PostgreSQL, schema version 5: the same policies, evaluated once per
-- statement instead of once per row. A function call in a policy runs for every row it
-- judges; wrapped in a scalar subquery that does not depend on the row, PostgreSQL runs
-- it once (an "InitPlan"), and a set of ids is built once and probed per row. Listing a
-- million users then costs what listing them without row-level security does. What each
-- policy allows is unchanged (the differential test compares it with authz::decide).
-- And the indexes every check needs.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

-- The caller's id if they may reach packages at all: active, unexpired, and not made to
-- change their password first.
CREATE FUNCTION able_id(who name) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$ SELECT a.id FROM gatehouse.acting(who) a WHERE NOT a.gated $$;

-- The packages such a caller is assigned. (Admins see all by their own arm; a creator
-- by the row's own `created_by`, which also judges a row being inserted, not yet in any
-- snapshot.)
CREATE FUNCTION assigned_package_ids(who name) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
    SELECT s.package_id FROM gatehouse.assignments s WHERE s.user_id = gatehouse.able_id(who)
$$;

-- The packages such a caller may change: the ones they created.
CREATE FUNCTION changeable_package_ids(who name) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$ SELECT p.id FROM gatehouse.packages p WHERE p.created_by = gatehouse.able_id(who) $$;

REVOKE ALL ON FUNCTION able_id(name), assigned_package_ids(name), changeable_package_ids(name)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION able_id(name), assigned_package_ids(name), changeable_package_ids(name)
    TO gatehouse_person;

ALTER POLICY see_users ON users
    USING ((SELECT gatehouse.is_admin(current_user))
           OR id = (SELECT gatehouse.own_id(current_user)));
ALTER POLICY add_users ON users
    WITH CHECK ((SELECT gatehouse.is_admin(current_user)));
ALTER POLICY change_users ON users
    USING ((SELECT gatehouse.is_admin(current_user))
           OR id = (SELECT gatehouse.acting_id(current_user)))
    WITH CHECK ((SELECT gatehouse.is_admin(current_user))
                OR id = (SELECT gatehouse.acting_id(current_user)));
ALTER POLICY delete_users ON users
    USING ((SELECT gatehouse.is_admin(current_user)));

ALTER POLICY see_packages ON packages
    USING ((SELECT gatehouse.is_admin(current_user))
           OR created_by = (SELECT gatehouse.able_id(current_user))
           OR id IN (SELECT gatehouse.assigned_package_ids(current_user)));
ALTER POLICY change_packages ON packages
    USING ((SELECT gatehouse.is_admin(current_user))
           OR created_by = (SELECT gatehouse.able_id(current_user)))
    WITH CHECK ((SELECT gatehouse.is_admin(current_user))
                OR created_by = (SELECT gatehouse.able_id(current_user)));
ALTER POLICY delete_packages ON packages
    USING ((SELECT gatehouse.is_admin(current_user))
           OR created_by = (SELECT gatehouse.able_id(current_user)));

ALTER POLICY see_assignments ON assignments
    USING ((SELECT gatehouse.is_admin(current_user))
           OR user_id = (SELECT gatehouse.own_id(current_user))
           OR package_id IN (SELECT gatehouse.changeable_package_ids(current_user)));
ALTER POLICY assign ON assignments
    WITH CHECK ((SELECT gatehouse.is_admin(current_user)));
ALTER POLICY unassign ON assignments
    USING ((SELECT gatehouse.is_admin(current_user)));

ALTER POLICY read_settings ON settings
    USING ((SELECT gatehouse.acting_id(current_user)) IS NOT NULL);
ALTER POLICY write_settings ON settings
    USING ((SELECT gatehouse.is_admin(current_user)))
    WITH CHECK ((SELECT gatehouse.is_admin(current_user)));

ALTER POLICY admins_read ON audit
    USING ((SELECT gatehouse.is_admin(current_user)));

-- Every lookup of a person is by their role, a `name`: as `text`, the column's unique
-- index could not serve those comparisons, and each one read the whole table.
ALTER TABLE users ALTER COLUMN role_name TYPE name;
-- The last-admin check counts admins on every change of a user.
CREATE INDEX users_by_role_status ON users (role, status);

UPDATE schema_version SET version = 5;

RESET ROLE;
