//! Keeping the store: laying down and upgrading the schema (`apply_migrations`), a
//! whole-store copy into it by COPY (`copy_in`, `finish_copy`), and the checks `store
//! doctor` reports (in `doctor`).

use super::errors::pg_error;
use super::install::{MIGRATIONS, SCHEMA_VERSION};
use super::rows::Col;
use super::{doctor, role_for, Postgres};
use crate::error::{Error, Kind, Result};
use crate::store::{CopyRows, Maintenance, Settings, Users};

/// The statement to turn the audit triggers off for a copy (whose trail arrives whole),
/// or on again.
fn audit_triggers(how: &str) -> String {
    let mut sql = String::from("SET ROLE gatehouse_owner; ");
    for (table, events) in [
        ("users", &["insert", "update", "delete"][..]),
        ("packages", &["insert", "update", "delete"][..]),
        ("assignments", &["insert", "delete"][..]),
        ("settings", &["insert", "update", "delete"][..]),
    ] {
        for e in events {
            sql.push_str(&format!(
                "ALTER TABLE gatehouse.{table} {how} TRIGGER audit_{table}_{e}; "
            ));
        }
    }
    // Nor are the login roles of other databases on the server touched by a copy.
    sql.push_str(&format!(
        "ALTER TABLE gatehouse.users {how} TRIGGER users_leftover_roles; "
    ));
    // COPY FROM refuses a table whose row-level security applies to the one copying:
    // for the copy's own transaction (nobody else sees the tables meanwhile: ALTER TABLE
    // holds them exclusively until it ends) it is not forced on the owner, whose
    // privileges the installer has.
    let force = if how == "DISABLE" {
        "NO FORCE"
    } else {
        "FORCE"
    };
    for table in ["users", "packages", "assignments", "settings", "audit"] {
        sql.push_str(&format!(
            "ALTER TABLE gatehouse.{table} {force} ROW LEVEL SECURITY; "
        ));
    }
    sql.push_str("RESET ROLE");
    sql
}

/// A value as a field of COPY's text format.
fn copy_field(out: &mut String, v: Option<&str>) {
    match v {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// Rows in COPY's text format: fields tab-separated, one row a line.
fn copy_lines<'a>(rows: impl Iterator<Item = Vec<Option<String>>> + 'a) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, f) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            copy_field(&mut out, f.as_deref());
        }
        out.push('\n');
    }
    out
}

impl Postgres {
    /// Streams `data` into `COPY table (columns) FROM STDIN`.
    fn copy(&self, table_columns: &str, data: &str) -> Result<()> {
        use std::io::Write;
        let mut client = self.client.borrow_mut();
        let mut w = client
            .copy_in(&format!("COPY {table_columns} FROM STDIN"))
            .map_err(|e| pg_error(&self.info, e))?;
        w.write_all(data.as_bytes())
            .map_err(|e| Error::store(format!("copy to {}: {e}", self.info.place())))?;
        w.finish().map_err(|e| pg_error(&self.info, e))?;
        Ok(())
    }
}

impl Maintenance for Postgres {
    /// By COPY, as the installer: the audit triggers are off for the copy (the chain
    /// arrives whole, as it was) and back on in `finish_copy`, in the same transaction.
    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        let s = |v: &str| Some(v.to_string());
        let b = |v: bool| Some(if v { "t" } else { "f" }.to_string());
        let n = |v: i64| Some(v.to_string());
        match rows {
            CopyRows::Users(users) => {
                if !self.copying.replace(true) {
                    self.exec(&audit_triggers("DISABLE"))?;
                }
                let data = copy_lines(users.iter().map(|u| {
                    vec![
                        n(u.id),
                        s(&u.email),
                        s(&u.name),
                        u.full_name.clone(),
                        u.phone.clone(),
                        s(u.role.as_str()),
                        s(u.status.as_str()),
                        u.password_hash.clone(),
                        b(u.must_change_password),
                        s(&u.created_at),
                        s(&u.updated_at),
                        u.last_login_at.clone(),
                        u.password_changed_at.clone(),
                        u.expires_at.clone(),
                        n(u.failed_logins),
                        u.locked_until.clone(),
                        b(u.email_notifications),
                        b(u.sms_notifications),
                        b(u.shipment_updates),
                        b(u.system_announcements),
                        s(&role_for(&u.email)),
                    ]
                }));
                self.copy(
                    "users (id, email, name, full_name, phone, role, status, password_hash, \
                     must_change_password, created_at, updated_at, last_login_at, \
                     password_changed_at, expires_at, failed_logins, locked_until, \
                     email_notifications, sms_notifications, shipment_updates, \
                     system_announcements, role_name)",
                    &data,
                )
            }
            CopyRows::Packages(packages) => {
                let data = copy_lines(packages.iter().map(|p| {
                    vec![
                        n(p.id),
                        s(&p.name),
                        p.description.clone(),
                        s(p.status.as_str()),
                        p.created_by.map(|c| c.to_string()),
                        s(&p.created_at),
                        s(&p.updated_at),
                    ]
                }));
                self.copy(
                    "packages (id, name, description, status, created_by, created_at, updated_at)",
                    &data,
                )
            }
            CopyRows::Assignments(rows) => {
                let data = copy_lines(rows.iter().map(|a| {
                    vec![
                        n(a.user_id),
                        n(a.package_id),
                        a.assigned_by.map(|c| c.to_string()),
                        s(&a.assigned_at),
                    ]
                }));
                self.copy(
                    "assignments (user_id, package_id, assigned_by, assigned_at)",
                    &data,
                )
            }
            CopyRows::Settings(rows) => {
                for (k, v) in rows {
                    self.set_setting(k, v)?;
                }
                Ok(())
            }
            CopyRows::Audit(rows) => {
                let data = copy_lines(rows.iter().map(|a| {
                    vec![
                        n(a.id),
                        s(&a.at),
                        a.actor_id.map(|c| c.to_string()),
                        a.actor_email.clone(),
                        s(&a.action),
                        a.target.clone(),
                        a.details.clone(),
                        s(&a.result),
                        a.reason.clone(),
                        s(&a.version),
                        s(&a.prev_hash),
                        s(&a.hash),
                    ]
                }));
                self.copy(
                    "audit (id, at, actor_id, actor_email, action, target, details, result, \
                     reason, version, prev_hash, hash)",
                    &data,
                )
            }
        }
    }
    /// Active users who have no login role yet — it is made with their first password
    /// (moved from another store, or imported with a hash): an admin must give them one.
    fn users_without_login(&self) -> Result<Option<Vec<String>>> {
        Ok(Some(
            self.all(
                "SELECT u.email FROM users u \
                 WHERE u.status = 'active' \
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = u.role_name) \
                 ORDER BY u.email",
                &[],
            )?
            .iter()
            .map(|r| r.col(0))
            .collect::<Result<_>>()?,
        ))
    }
    fn drift(&self) -> Result<Option<Vec<String>>> {
        doctor::doctor(self).map(Some)
    }
    fn acts_as_owner(&self) -> Result<bool> {
        let r = self.one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_owner') \
                    THEN pg_has_role(current_user, 'gatehouse_owner', 'USAGE') ELSE false END AS owner",
            &[],
        )?;
        r.try_get("owner").map_err(|e| Error::store(e.to_string()))
    }
    fn finish_copy(&self) -> Result<()> {
        self.exec(
            "SET ROLE gatehouse_owner; \
             SELECT setval(pg_get_serial_sequence('gatehouse.users', 'id'), \
                           greatest(coalesce(max(id), 0), 1)) FROM gatehouse.users; \
             SELECT setval(pg_get_serial_sequence('gatehouse.packages', 'id'), \
                           greatest(coalesce(max(id), 0), 1)) FROM gatehouse.packages; \
             RESET ROLE",
        )?;
        self.exec(&audit_triggers("ENABLE"))?;
        self.copying.set(false);
        Ok(())
    }
    /// Lays down or upgrades the schema (the installer only), in the caller's transaction.
    fn apply_migrations(&self) -> Result<()> {
        let v = self.schema_version()?;
        if v > SCHEMA_VERSION {
            return self.check_schema();
        }
        if v < 0 {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "the store at {} records schema version {v}, which no gatehouse wrote",
                    self.info.place()
                ),
            )
            .with_hint(
                "the table gatehouse.schema_version was changed by hand; restore it from a backup",
            ));
        }
        self.install_roles()?;
        for sql in &MIGRATIONS[v as usize..] {
            self.exec(sql)?;
        }
        if v < SCHEMA_VERSION {
            self.exec(&format!(
                "SET ROLE gatehouse_owner; UPDATE gatehouse.schema_version SET version = {SCHEMA_VERSION}; RESET ROLE"
            ))?;
        }
        // Roles the installer cannot hand to the owner are named by `store doctor`.
        self.server_fixups()?;
        Ok(())
    }
    fn is_initialized(&self) -> Result<bool> {
        if self.schema_version()? == 0 {
            return Ok(false);
        }
        Ok(self.count_users()? > 0)
    }
}
