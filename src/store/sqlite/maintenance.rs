//! The schema and the store as a whole ([`Maintenance`]): which file is a gatehouse
//! store and at which version, the embedded migrations (and the one backfill SQL cannot
//! express), whether `init` has completed, and copying a whole store in — rows exactly
//! as another store holds them, ids, hashes and the audit chain kept.

use rusqlite::params;

use super::Sqlite;
use crate::error::{Error, Result};
use crate::model::package_key;
use crate::store::prelude::*;
use crate::store::run;
use crate::store::sql::Query;
use crate::store::{AssignmentRow, AuditRow, CopyRows, Maintenance, Package, Settings, User};

/// `PRAGMA application_id` of a gatehouse store ("GHSE"), so a foreign SQLite file is
/// recognised as such.
pub(super) const APPLICATION_ID: i64 = 0x4748_5345;

/// Embedded migrations; the schema version is the number applied.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/sqlite/0001_init.sql"),
    include_str!("../../../migrations/sqlite/0002_name_order_index.sql"),
    include_str!("../../../migrations/sqlite/0003_package_name_key.sql"),
    include_str!("../../../migrations/sqlite/0004_login_attempts.sql"),
];

/// Where a migration hands over to code that SQL cannot express.
const BACKFILL: &str = "-- @backfill";

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What opening a file found.
pub(super) enum SchemaState {
    Empty,
    Older,
    Current,
}

impl Sqlite {
    /// Whether the file is a gatehouse store, and at which version; a foreign, damaged
    /// or newer one is refused.
    pub(super) fn schema_state(&self) -> Result<SchemaState> {
        let q = Query::plain(
            "SELECT (SELECT application_id FROM pragma_application_id) AS app_id, \
                    (SELECT user_version FROM pragma_user_version) AS version",
        );
        let (app_id, version) = run::one(self, &q, |r| Ok((r.int("app_id")?, r.int("version")?)))?;
        if app_id == 0 && version == 0 {
            let q = Query::plain("SELECT count(*) AS n FROM sqlite_schema");
            let tables = run::one(self, &q, |r| r.int("n"))?;
            return if tables == 0 {
                Ok(SchemaState::Empty)
            } else {
                Err(self.not_a_store())
            };
        }
        if app_id != APPLICATION_ID {
            return Err(self.not_a_store());
        }
        if version < 1 {
            // No gatehouse writes it: a damaged or forged file, not an old store.
            return Err(Error::store(format!(
                "store `{}` has schema version `{version}`, which no gatehouse writes",
                self.path.display()
            ))
            .with_hint("the file is damaged or was edited by hand: restore it from a backup"));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::store(format!(
                "store `{}` has schema version {version}, newer than this gatehouse supports ({SCHEMA_VERSION})",
                self.path.display()
            ))
            .with_hint("upgrade gatehouse to a version that knows this store"));
        }
        Ok(if version == SCHEMA_VERSION {
            SchemaState::Current
        } else {
            SchemaState::Older
        })
    }

    fn not_a_store(&self) -> Error {
        Error::store(format!(
            "`{}` is not a gatehouse store",
            self.path.display()
        ))
        .with_hint("point --db / GATEHOUSE_DB at a store created by `gatehouse init`")
    }

    /// Schema version 3: the canonical key of every existing package. Two names that
    /// only the new key finds equal stop the upgrade, naming both.
    fn backfill_package_keys(&self) -> Result<()> {
        let q = Query::plain("SELECT id, name FROM packages ORDER BY id");
        let rows = run::all(self, &q, |r| Ok((r.int("id")?, r.text("name")?)))?;
        let mut seen = std::collections::HashMap::new();
        for (id, name) in rows {
            let key = package_key(&name);
            if let Some(other) = seen.insert(key.clone(), name.clone()) {
                return Err(Error::store(format!(
                    "packages `{other}` and `{name}` differ only in letter case or Unicode form; \
                     this version keeps one name for both"
                ))
                .with_hint("rename one of them with the previous gatehouse, then upgrade"));
            }
            self.run(
                "UPDATE packages SET name_key = ?1 WHERE id = ?2",
                params![key, id],
            )?;
        }
        Ok(())
    }

    fn copy_users(&self, users: &[User]) -> Result<()> {
        let sql = "INSERT INTO users (id, email, name, full_name, phone, role, status, \
             password_hash, must_change_password, created_at, updated_at, last_login_at, \
             password_changed_at, expires_at, failed_logins, locked_until, email_notifications, \
             sms_notifications, shipment_updates, system_announcements) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
             ?17, ?18, ?19, ?20)";
        for u in users {
            self.run(
                sql,
                params![
                    u.id,
                    u.email,
                    u.name,
                    u.full_name,
                    u.phone,
                    u.role.as_str(),
                    u.status.as_str(),
                    u.password_hash,
                    u.must_change_password,
                    u.created_at,
                    u.updated_at,
                    u.last_login_at,
                    u.password_changed_at,
                    u.expires_at,
                    u.failed_logins,
                    u.locked_until,
                    u.email_notifications,
                    u.sms_notifications,
                    u.shipment_updates,
                    u.system_announcements,
                ],
            )?;
        }
        Ok(())
    }

    fn copy_packages(&self, packages: &[Package]) -> Result<()> {
        let sql = "INSERT INTO packages (id, name, name_key, description, status, created_by, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
        for p in packages {
            self.run(
                sql,
                params![
                    p.id,
                    p.name,
                    package_key(&p.name),
                    p.description,
                    p.status.as_str(),
                    p.created_by,
                    p.created_at,
                    p.updated_at,
                ],
            )?;
        }
        Ok(())
    }

    fn copy_assignments(&self, rows: &[AssignmentRow]) -> Result<()> {
        let sql = "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
             VALUES (?1, ?2, ?3, ?4)";
        for a in rows {
            self.run(
                sql,
                params![a.user_id, a.package_id, a.assigned_by, a.assigned_at],
            )?;
        }
        Ok(())
    }

    fn copy_audit(&self, rows: &[AuditRow]) -> Result<()> {
        self.last_audit.take();
        let sql = "INSERT INTO audit (id, at, actor_id, actor_email, action, target, details, \
             result, reason, version, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
        for a in rows {
            self.run(
                sql,
                params![
                    a.id,
                    a.at,
                    a.actor_id,
                    a.actor_email,
                    a.action,
                    a.target,
                    a.details,
                    a.result,
                    a.reason,
                    a.version,
                    a.prev_hash,
                    a.hash,
                ],
            )?;
        }
        Ok(())
    }
}

impl Maintenance for Sqlite {
    /// Brings the schema up to date inside the caller's write transaction. The version is
    /// re-read under the lock, so two processes never both migrate.
    fn apply_migrations(&self) -> Result<()> {
        let q = Query::plain("SELECT user_version AS version FROM pragma_user_version");
        let version = run::one(self, &q, |r| r.int("version"))?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        // Checked when the store was opened; read again under the lock, so again here.
        let Some(pending) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v..))
        else {
            return Err(Error::store(format!(
                "store `{}` has schema version `{version}`, which no gatehouse writes",
                self.path.display()
            )));
        };
        for sql in pending {
            match sql.split_once(BACKFILL) {
                None => self.exec(sql)?,
                Some((before, rest)) => {
                    // The marker's line is a comment to its end.
                    let after = rest.split_once('\n').map_or("", |(_, after)| after);
                    self.exec(before)?;
                    self.backfill_package_keys()?;
                    self.exec(after)?;
                }
            }
        }
        self.exec(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))
    }

    /// Whether `init` has completed on this store (schema present and a user exists).
    fn is_initialized(&self) -> Result<bool> {
        let q = Query::plain(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'users') \
             AS has_table",
        );
        let has_table = run::one(self, &q, |r| r.flag("has_table"))?;
        Ok(has_table && self.count_users()? > 0)
    }

    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        match rows {
            CopyRows::Users(users) => self.copy_users(users),
            CopyRows::Packages(packages) => self.copy_packages(packages),
            CopyRows::Assignments(rows) => self.copy_assignments(rows),
            CopyRows::Settings(rows) => rows.iter().try_for_each(|(k, v)| self.set_setting(k, v)),
            CopyRows::Audit(rows) => self.copy_audit(rows),
        }
    }

    /// Nothing was set aside: SQLite's ids follow the largest one on their own.
    fn finish_copy(&self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use rusqlite::Connection;

    use super::super::tests::now;
    use super::*;
    use crate::error::Kind;
    use crate::store::DEFAULT_BUSY_TIMEOUT;

    #[test]
    fn an_older_schema_is_upgraded_on_open() {
        let (_dir, path) = old_store(1, &[]);
        let (store, _) = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get("user_version"))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mut stmt = store
            .conn
            .prepare("EXPLAIN QUERY PLAN SELECT id FROM users ORDER BY name COLLATE NOCASE, id")
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>("detail"))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains("users_by_name_nocase"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    /// A store as version `version` of the schema left it: one admin, and these packages.
    fn old_store(version: usize, names: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{version}.db"));
        let conn = Connection::open(&path).unwrap();
        for m in &MIGRATIONS[..version] {
            conn.execute_batch(m).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version};"
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO users (email, name, role, status, created_at, updated_at) \
             VALUES ('a@example.com', 'a', 'admin', 'active', 'x', 'x')",
            [],
        )
        .unwrap();
        for n in names {
            conn.execute(
                "INSERT INTO packages (name, created_at, updated_at) VALUES (?1, 'x', 'x')",
                [n],
            )
            .unwrap();
        }
        (dir, path)
    }

    #[test]
    fn version_3_gives_every_package_its_canonical_key() {
        let (_dir, path) = old_store(2, &["North", "Äpfel"]);
        let (store, _) = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        let found = store.package_by_name("äPFEL").unwrap().unwrap();
        assert_eq!(found.name, "Äpfel");
        assert!(store.package_by_name("NORTH").unwrap().is_some());
    }

    #[test]
    fn version_3_refuses_names_only_the_new_key_finds_equal() {
        // NOCASE folds ASCII only: a version 2 store could hold both.
        let (_dir, path) = old_store(2, &["Äpfel", "äpfel"]);
        let err = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert_eq!(err.kind, Kind::Store);
        assert!(err.message.contains("`Äpfel` and `äpfel`"), "{err:?}");
        // Nothing was changed: the store is still at version 2.
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get("user_version"))
            .unwrap();
        assert_eq!(v, 2);
    }
}
