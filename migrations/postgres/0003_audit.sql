-- gatehouse on PostgreSQL, schema version 3: the audit trail, written by the server in
-- the same transaction as every change to packages, assignments and settings, whoever
-- makes it (gatehouse or psql), with the actor taken from the connected role. Entries
-- form the same SHA-256 chain as the SQLite store's: entry N hashes N (8 bytes, big
-- endian), the previous hash, then each field as its length (8 bytes) and its bytes — so
-- `audit verify` checks both alike and a copied chain still verifies. Nobody but the
-- owner writes the table; admins read it.

SET ROLE gatehouse_owner;
SET search_path = gatehouse, pg_catalog, pg_temp;

CREATE TABLE audit (
    id          bigint PRIMARY KEY,
    at          text NOT NULL,
    actor_id    bigint,
    actor_email text,
    action      text NOT NULL,
    target      text,
    details     text,
    result      text NOT NULL,
    reason      text,
    version     text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);

-- Appends one entry to the chain. One appender at a time (a transaction-scoped lock),
-- so ids stay gapless and each entry follows the last.
CREATE FUNCTION append_audit(actor name, action text, target text, details text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    who      record;
    last_id  bigint;
    prev     text;
    at_text  text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    version  text := 'postgres-1';
    fields   text[];
    f        text;
    buf      bytea;
BEGIN
    -- Only from inside a trigger, for the role the change is made by: nobody writes an
    -- entry by calling this directly, or in another's name.
    IF pg_catalog.pg_trigger_depth() < 1
       OR NOT (actor = session_user OR pg_catalog.pg_has_role(session_user, actor, 'MEMBER')) THEN
        RAISE EXCEPTION 'audit entries are written by the server only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(7238457011);
    SELECT u.id, u.email INTO who FROM gatehouse.users u WHERE u.role_name = actor;
    SELECT a.id, a.hash INTO last_id, prev FROM gatehouse.audit a ORDER BY a.id DESC LIMIT 1;
    last_id := coalesce(last_id, 0) + 1;
    prev := coalesce(prev, repeat('0', 64));
    fields := ARRAY[at_text, coalesce(who.id::text, ''), coalesce(who.email, ''), action,
                    coalesce(target, ''), coalesce(details, ''), 'ok', '', version];
    buf := int8send(last_id) || convert_to(prev, 'UTF8');
    FOREACH f IN ARRAY fields LOOP
        buf := buf || int8send(octet_length(f)::bigint) || convert_to(f, 'UTF8');
    END LOOP;
    INSERT INTO gatehouse.audit (id, at, actor_id, actor_email, action, target, details,
                                 result, reason, version, prev_hash, hash)
    VALUES (last_id, at_text, who.id, who.email, action, target, details, 'ok', NULL,
            version, prev, encode(sha256(buf), 'hex'));
END
$$;

-- The trigger: the action's name as gatehouse gives it, before and after as JSON. It
-- runs with the rights of whoever made the change, so `current_user` is that person.
CREATE FUNCTION audit_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = gatehouse, pg_catalog, pg_temp
AS $$
DECLARE
    noun   text := CASE TG_TABLE_NAME WHEN 'packages' THEN 'package'
                                      WHEN 'assignments' THEN 'package'
                                      ELSE 'config' END;
    verb   text;
    target text;
    details jsonb;
    row_now jsonb;
BEGIN
    verb := CASE
        WHEN TG_TABLE_NAME = 'assignments' AND TG_OP = 'INSERT' THEN 'assign'
        WHEN TG_TABLE_NAME = 'assignments' THEN 'unassign'
        WHEN TG_TABLE_NAME = 'settings' THEN 'set'
        WHEN TG_OP = 'INSERT' THEN 'create'
        WHEN TG_OP = 'UPDATE' THEN 'edit'
        ELSE 'delete' END;
    details := jsonb_strip_nulls(jsonb_build_object(
        'before', CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
        'after', CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END));
    row_now := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    target := CASE TG_TABLE_NAME
        WHEN 'packages' THEN row_now ->> 'name'
        WHEN 'settings' THEN row_now ->> 'key'
        ELSE (SELECT u.email FROM gatehouse.users u
              WHERE u.id = (row_now ->> 'user_id')::bigint) END;
    PERFORM gatehouse.append_audit(current_user, noun || '.' || verb, target, details::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_packages AFTER INSERT OR UPDATE OR DELETE ON packages
    FOR EACH ROW EXECUTE FUNCTION audit_change();
CREATE TRIGGER audit_assignments AFTER INSERT OR DELETE ON assignments
    FOR EACH ROW EXECUTE FUNCTION audit_change();
CREATE TRIGGER audit_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION audit_change();

REVOKE ALL ON FUNCTION append_audit(name, text, text, text), audit_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_audit(name, text, text, text) TO gatehouse_person;

ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON audit TO gatehouse_owner USING (true) WITH CHECK (true);
CREATE POLICY admins_read ON audit FOR SELECT TO gatehouse_person
    USING (is_admin(current_user));
GRANT SELECT ON audit TO gatehouse_person;

RESET ROLE;
