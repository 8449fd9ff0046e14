//! Keeping the store: laying down and upgrading the schema (`apply_migrations`), a
//! whole-store copy into it by COPY (`copy_in`, `finish_copy`), and the checks `store
//! doctor` reports (in `doctor`).

use super::expected::{TABLES, TRIGGERS};
use super::install::{MIGRATIONS, SCHEMA_VERSION};
use super::{copy, doctor, Postgres};
use crate::error::{Error, Kind, Result};
use crate::store::prelude::*;
use crate::store::rows::Columns;
use crate::store::{CopyRows, Maintenance, Settings};

/// The statement that sets aside what a copy must not run into (whose trail arrives
/// whole): the triggers `expected` marks `off_for_copy` are disabled and row-level
/// security is not forced on the tables it writes — or, with `on`, puts them back.
fn set_aside_for_copy(on: bool) -> String {
    let (how, force) = if on {
        ("ENABLE", "FORCE")
    } else {
        ("DISABLE", "NO FORCE")
    };
    let mut sql = String::from("SET ROLE gatehouse_owner; ");
    for t in TRIGGERS.iter().filter(|t| t.off_for_copy) {
        sql.push_str(&format!(
            "ALTER TABLE gatehouse.{} {how} TRIGGER {}; ",
            t.table, t.name
        ));
    }
    // COPY FROM refuses a table whose row-level security applies to the one copying:
    // for the copy's own transaction (nobody else sees the tables meanwhile: ALTER TABLE
    // holds them exclusively until it ends) it is not forced on the owner, whose
    // privileges the installer has.
    for t in TABLES.iter().filter(|t| t.copied) {
        sql.push_str(&format!(
            "ALTER TABLE gatehouse.{} {force} ROW LEVEL SECURITY; ",
            t.name
        ));
    }
    sql.push_str("RESET ROLE");
    sql
}

impl Maintenance for Postgres {
    /// By COPY, as the installer: the audit triggers are off for the copy (the chain
    /// arrives whole, as it was) and back on in `finish_copy`, in the same transaction.
    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        match rows {
            CopyRows::Users(users) => {
                if !self.copying.replace(true) {
                    self.exec(&set_aside_for_copy(false))?;
                }
                self.copy(copy::USERS, users.iter().map(copy::user_fields))
            }
            CopyRows::Packages(rows) => {
                self.copy(copy::PACKAGES, rows.iter().map(copy::package_fields))
            }
            CopyRows::Assignments(rows) => {
                self.copy(copy::ASSIGNMENTS, rows.iter().map(copy::assignment_fields))
            }
            CopyRows::Settings(rows) => {
                for (k, v) in rows {
                    self.set_setting(k, v)?;
                }
                Ok(())
            }
            CopyRows::Audit(rows) => self.copy(copy::AUDIT, rows.iter().map(copy::audit_fields)),
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
            .map(|r| r.text("email"))
            .collect::<Result<_>>()?,
        ))
    }
    fn drift(&self) -> Result<Option<Vec<String>>> {
        doctor::doctor(self).map(Some)
    }
    fn acts_as_owner(&self) -> Result<bool> {
        self.one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_owner') \
                    THEN pg_has_role(current_user, 'gatehouse_owner', 'USAGE') ELSE false END AS owner",
            &[],
        )?
        .flag("owner")
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
        self.exec(&set_aside_for_copy(true))?;
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
