//! The checks of `store doctor` on a server: what this build's migrations create —
//! row-level security, policies, triggers, grants, fixed search paths — against what
//! the database has, and what the roles need of each other on this server's version.

use super::expected::{self, DEFINER_SEARCH_PATHS, POLICIES, TRIGGERS};
use super::install::SCHEMA_VERSION;
use super::Postgres;
use crate::error::Result;
use crate::store::rows::Columns;

/// What the roles need of each other on this server version (the installer's own hold on
/// the owner is checked before the doctor reads anything): the owner manages every
/// person's role (after an upgrade to 16 it may not: a
/// role made before has no ADMIN OPTION for it); the function that makes roles leaves the
/// owner a member of them; no value was left unvalidated by an upgrade.
fn role_drift(s: &Postgres, v16: bool) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let unmanaged: Vec<String> = s
        .all(
            "SELECT u.role_name::text AS name FROM gatehouse.users u \
             WHERE gatehouse.is_person_role(u.role_name) \
               AND NOT gatehouse.owner_manages(u.role_name) ORDER BY 1",
            &[],
        )?
        .iter()
        .map(|r| r.text("name"))
        .collect::<Result<_>>()?;
    if let Some(first) = unmanaged.first() {
        drift.push(format!(
            "gatehouse_owner cannot manage the login roles of {} user(s) (roles made before the cluster's upgrade to PostgreSQL 16, e.g. `{first}`): deactivating, expiring or deleting them fails; a superuser repairs it with `gatehouse init --if-not-exists`, or runs GRANT \"ROLE\" TO gatehouse_owner WITH ADMIN TRUE, INHERIT TRUE for each",
            unmanaged.len()
        ));
    }
    if v16 {
        let set: bool = s
            .one(
                "SELECT coalesce(p.proconfig::text[] @> ARRAY['createrole_self_grant=inherit'], false) AS set \
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = 'gatehouse' AND p.proname = 'ensure_login'",
                &[],
            )?
            .flag("set")
            .unwrap_or(false);
        if !set {
            drift.push("the function that makes login roles does not keep gatehouse_owner a member of them (createrole_self_grant): run `gatehouse init --if-not-exists`".into());
        }
    }
    for r in s.all(
        "SELECT c.conname::text AS name FROM pg_constraint c \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'gatehouse' AND NOT c.convalidated ORDER BY 1",
        &[],
    )? {
        drift.push(format!(
            "constraint `{}` is not validated: a row holds a value gatehouse would not write (fix the row, then ALTER TABLE … VALIDATE CONSTRAINT as the owner)",
            r.text("name")?
        ));
    }
    Ok(drift)
}

/// The checks of `store doctor`: what this build's migrations create (see `expected`),
/// against what the database has. Each line names one drift.
pub(super) fn doctor(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let v = s.schema_version()?;
    if v != SCHEMA_VERSION {
        drift.push(format!(
            "schema version is {v}; this gatehouse expects {SCHEMA_VERSION}"
        ));
    }
    drift.extend(tables(s)?);
    drift.extend(policies(s)?);
    drift.extend(triggers(s)?);
    let v16 = s.server_version()? >= 160_000;
    drift.extend(privileged_persons(s, v16)?);
    drift.extend(role_drift(s, v16)?);
    drift.extend(grants(s)?);
    drift.extend(definer_search_paths(s)?);
    Ok(drift)
}

/// Row-level security on and forced on every table (but those `expected` exempts), and
/// every table owned by gatehouse_owner.
fn tables(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    for r in s.all(
        "SELECT c.relname::text AS name, c.relrowsecurity AS rls, \
                c.relforcerowsecurity AS forced, pg_get_userbyid(c.relowner)::text AS owner \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'gatehouse' AND c.relkind = 'r' ORDER BY 1",
        &[],
    )? {
        let (table, rls, forced, owner) = (
            r.text("name")?,
            r.flag("rls")?,
            r.flag("forced")?,
            r.text("owner")?,
        );
        if expected::forces_rls(&table) && !(rls && forced) {
            drift.push(format!("table `{table}` does not force row-level security"));
        }
        if owner != "gatehouse_owner" {
            drift.push(format!(
                "table `{table}` is owned by `{owner}`, not gatehouse_owner"
            ));
        }
    }
    Ok(drift)
}

/// The policies this build creates, by table and name: none missing, none added.
fn policies(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let found: Vec<(String, String)> = s
        .all(
            "SELECT tablename::text AS table_name, policyname::text AS policy FROM pg_policies \
             WHERE schemaname = 'gatehouse' ORDER BY 1, 2",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.text("table_name")?, r.text("policy")?)))
        .collect::<Result<_>>()?;
    for (t, p) in POLICIES {
        if !found.iter().any(|(ft, fp)| ft == t && fp == p) {
            drift.push(format!("policy `{p}` on `{t}` is missing"));
        }
    }
    for (t, p) in &found {
        if !POLICIES.iter().any(|(et, ep)| et == t && ep == p) {
            drift.push(format!("policy `{p}` on `{t}` is not one gatehouse made"));
        }
    }
    Ok(drift)
}

/// The triggers this build creates: present and enabled.
fn triggers(s: &Postgres) -> Result<Vec<String>> {
    let found: Vec<(String, String, String)> = s
        .all(
            "SELECT c.relname::text AS table_name, t.tgname::text AS name, \
                    t.tgenabled::text AS enabled FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'gatehouse' AND NOT t.tgisinternal",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.text("table_name")?, r.text("name")?, r.text("enabled")?)))
        .collect::<Result<_>>()?;
    let mut drift = Vec::new();
    for e in TRIGGERS {
        let (table, name) = (e.table, e.name);
        match found.iter().find(|(t, n, _)| t == table && n == name) {
            None => drift.push(format!("trigger `{name}` on `{table}` is missing")),
            Some((_, _, enabled)) if enabled != "O" => drift.push(format!(
                "trigger `{name}` on `{table}` is disabled or set to fire only for replicas: changes there go unchecked or unaudited"
            )),
            Some(_) => {}
        }
    }
    Ok(drift)
}

/// No person may bypass the rule: no superuser, BYPASSRLS or CREATEROLE among the
/// members of gatehouse_person. From PostgreSQL 16 on, a membership WITH ADMIN OPTION
/// alone (what creating a role leaves its creator, such as the installer) passes on
/// none of the group's privileges: not a person.
fn privileged_persons(s: &Postgres, v16: bool) -> Result<Vec<String>> {
    let members = if v16 {
        "SELECT DISTINCT r.rolname::text AS name, r.rolsuper, r.rolbypassrls, r.rolcreaterole \
         FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid \
         JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person' \
         WHERE (m.inherit_option OR m.set_option) \
           AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole) \
           AND r.rolname <> 'gatehouse_owner' ORDER BY 1"
    } else {
        "SELECT DISTINCT r.rolname::text AS name, r.rolsuper, r.rolbypassrls, r.rolcreaterole \
         FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid \
         JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person' \
         WHERE (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole) \
           AND r.rolname <> 'gatehouse_owner' ORDER BY 1"
    };
    let mut drift = Vec::new();
    for r in s.all(members, &[])? {
        let name = r.text("name")?;
        let flag = |c: &str| r.flag(c).unwrap_or(true);
        drift.push(format!(
            "person role `{name}` holds {}: it bypasses or can rewrite the rule",
            [
                (flag("rolsuper"), "SUPERUSER"),
                (flag("rolbypassrls"), "BYPASSRLS"),
                (flag("rolcreaterole"), "CREATEROLE")
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(", ")
        ));
    }
    Ok(drift)
}

/// Grants: the password hash readable by no person, the audit trail written by none.
fn grants(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let hash_readable: bool = s
        .one(
            "SELECT has_column_privilege('gatehouse_person', 'gatehouse.users', \
             'password_hash', 'SELECT') AS granted",
            &[],
        )?
        .flag("granted")?;
    if hash_readable {
        drift.push("persons may read `users.password_hash`".into());
    }
    for privilege in ["INSERT", "UPDATE", "DELETE", "TRUNCATE"] {
        let granted: bool = s
            .one(
                "SELECT has_table_privilege('gatehouse_person', 'gatehouse.audit', $1) AS granted",
                &[&privilege],
            )?
            .flag("granted")?;
        if granted {
            drift.push(format!("persons hold {privilege} on the audit trail"));
        }
    }
    Ok(drift)
}

/// Every SECURITY DEFINER function keeps a fixed search_path.
fn definer_search_paths(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    for r in s.all(
        "SELECT p.proname::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'gatehouse' AND p.prosecdef \
           AND NOT coalesce(p.proconfig::text[] && $1::text[], false) \
         ORDER BY 1",
        &[&DEFINER_SEARCH_PATHS],
    )? {
        let name = r.text("name")?;
        drift.push(format!(
            "function `{name}` runs as its owner without a fixed search_path"
        ));
    }
    Ok(drift)
}
