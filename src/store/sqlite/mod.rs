//! The SQLite backend: the only code that touches rusqlite. Opening the file safely
//! (`files`), pragmas, embedded migrations, and the typed operations of each table
//! (`users`, `packages`, `sessions`, `audit`), which [`Backend`] exposes.

mod audit;
mod files;
mod packages;
mod sessions;
mod users;

use std::fs;
#[cfg(test)]
use std::os::unix::fs::PermissionsExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use files::euid;

use super::types::*;
use super::{Assignments, Audit, Maintenance, Packages, Sessions, Settings, Transactions, Users};
use crate::error::{Error, Kind, Result};
use crate::model::{fmt_ts, Checkpoint, Status, UserRef};

/// `PRAGMA application_id` of a gatehouse store ("GHSE"), so a foreign SQLite file is
/// recognised as such.
const APPLICATION_ID: i64 = 0x4748_5345;

/// Embedded migrations; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/sqlite/0001_init.sql"),
    include_str!("../../../migrations/sqlite/0002_name_order_index.sql"),
    include_str!("../../../migrations/sqlite/0003_package_name_key.sql"),
    include_str!("../../../migrations/sqlite/0004_login_attempts.sql"),
];

/// Where a migration hands over to code that SQL cannot express.
const BACKFILL: &str = "-- @backfill";

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A store in one SQLite file (WAL mode).
pub struct Sqlite {
    conn: Connection,
    path: PathBuf,
    now: Timestamp,
    /// The id and hash of the audit entry this transaction appended last, so a bulk
    /// write chains its entries without reading each one back.
    last_audit: std::cell::RefCell<Option<(i64, String)>>,
}

impl Sqlite {
    /// Opens an existing, initialized store, upgrading an older schema.
    /// With it, the warnings of the file checks (a store others can read).
    pub fn open(path: &Path, now: Timestamp, busy: Duration) -> Result<(Sqlite, Vec<String>)> {
        if let Err(e) = fs::metadata(path) {
            return Err(if e.kind() == std::io::ErrorKind::NotFound {
                Error::store(format!("store `{}` does not exist", path.display())).with_hint(
                    "create it with `gatehouse init`, or point --db / GATEHOUSE_DB at an existing store",
                )
            } else {
                Error::store(format!("cannot read store `{}`: {e}", path.display()))
            });
        }
        let files::Checked { real, warnings } = files::check_store(path)?;
        let conn = connect(&real, OpenFlags::SQLITE_OPEN_READ_WRITE, busy)?;
        let store = Sqlite {
            conn,
            path: path.to_path_buf(),
            now,
            last_audit: Default::default(),
        };
        match store.schema_state()? {
            SchemaState::Empty => {
                return Err(
                    Error::store(format!("store `{}` is not initialized", path.display()))
                        .with_hint("run `gatehouse init` to create the first admin"),
                )
            }
            SchemaState::Current => {}
            SchemaState::Older => {
                store.pragmas()?;
                store.begin()?;
                match store.apply_migrations() {
                    Ok(()) => store.commit()?,
                    Err(e) => {
                        let _ = store.rollback();
                        return Err(e);
                    }
                }
            }
        }
        store.pragmas()?;
        Ok((store, warnings))
    }

    /// Creates (or finishes creating) a store for `init`: the directory 0700 and the file
    /// 0600 when they are new. Refuses files that are not gatehouse stores.
    pub fn create(path: &Path, now: Timestamp, busy: Duration) -> Result<(Sqlite, Vec<String>)> {
        if let Err(e) = fs::metadata(path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(Error::store(format!(
                    "cannot read store `{}`: {e}",
                    path.display()
                )));
            }
            create_file(path)?;
        }
        // Whether new or found: a file someone else made is never adopted.
        let files::Checked { real, warnings } = files::check_store(path)?;
        let conn = connect(&real, OpenFlags::SQLITE_OPEN_READ_WRITE, busy)?;
        let store = Sqlite {
            conn,
            path: path.to_path_buf(),
            now,
            last_audit: Default::default(),
        };
        if let SchemaState::Empty = store.schema_state()? {
            store
                .conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| store.sql_error(e))?;
        }
        store.pragmas()?;
        // The schema itself is laid down by `init`, in the same transaction as the first
        // admin, so a half-initialized store cannot exist.
        Ok((store, warnings))
    }

    /// Whether `init` has completed on this store (schema present and a user exists).
    pub fn is_initialized(&self) -> Result<bool> {
        let has_table: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'users')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(has_table && self.count_users()? > 0)
    }

    pub(crate) fn now_str(&self) -> String {
        fmt_ts(self.now)
    }

    fn pragmas(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| self.sql_error(e))
    }

    fn schema_state(&self) -> Result<SchemaState> {
        let (app_id, version): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id), \
                        (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        if app_id == 0 && version == 0 {
            let tables: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(|e| self.sql_error(e))?;
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

    /// Brings the schema up to date inside the caller's write transaction. The version is
    /// re-read under the lock, so two processes never both migrate.
    pub(crate) fn apply_migrations(&self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("SELECT user_version FROM pragma_user_version", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql_error(e))?;
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
        self.conn
            .execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            ))
            .map_err(|e| self.sql_error(e))
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(|e| self.sql_error(e))
    }

    /// Active admins without an expiry date.
    pub fn count_lasting_admins(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active' \
                 AND expires_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))
    }

    /// Lets SQLite cache more pages for one big transaction (`user import`).
    pub fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.exec(&format!("PRAGMA cache_size = -{kib}"))
    }

    /// Reads a setting, or `None` when unset.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    pub(crate) fn sql_error(&self, e: rusqlite::Error) -> Error {
        sql_error(&self.path, e)
    }
}

impl Sqlite {
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM settings ORDER BY key")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_error(e));
        rows
    }

    fn all_assignments(&self) -> Result<Vec<AssignmentRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT user_id, package_id, assigned_by, assigned_at FROM assignments \
                 ORDER BY user_id, package_id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AssignmentRow {
                    user_id: r.get(0)?,
                    package_id: r.get(1)?,
                    assigned_by: r.get(2)?,
                    assigned_at: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_error(e));
        rows
    }

    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        use rusqlite::params;
        let e = |e| self.sql_error(e);
        match rows {
            CopyRows::Users(users) => {
                let mut st = self
                    .conn
                    .prepare_cached(
                        "INSERT INTO users (id, email, name, full_name, phone, role, status, \
                         password_hash, must_change_password, created_at, updated_at, \
                         last_login_at, password_changed_at, expires_at, failed_logins, \
                         locked_until, email_notifications, sms_notifications, shipment_updates, \
                         system_announcements) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
                         ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                    )
                    .map_err(e)?;
                for u in users {
                    st.execute(params![
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
                    ])
                    .map_err(e)?;
                }
            }
            CopyRows::Packages(packages) => {
                let mut st = self
                    .conn
                    .prepare_cached(
                        "INSERT INTO packages (id, name, name_key, description, status, \
                         created_by, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )
                    .map_err(e)?;
                for p in packages {
                    st.execute(params![
                        p.id,
                        p.name,
                        crate::model::package_key(&p.name),
                        p.description,
                        p.status.as_str(),
                        p.created_by,
                        p.created_at,
                        p.updated_at,
                    ])
                    .map_err(e)?;
                }
            }
            CopyRows::Assignments(rows) => {
                let mut st = self
                    .conn
                    .prepare_cached(
                        "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(e)?;
                for a in rows {
                    st.execute(params![
                        a.user_id,
                        a.package_id,
                        a.assigned_by,
                        a.assigned_at
                    ])
                    .map_err(e)?;
                }
            }
            CopyRows::Settings(rows) => {
                for (k, v) in rows {
                    self.set_setting(k, v)?;
                }
            }
            CopyRows::Audit(rows) => {
                self.last_audit.take();
                let mut st = self
                    .conn
                    .prepare_cached(
                        "INSERT INTO audit (id, at, actor_id, actor_email, action, target, \
                         details, result, reason, version, prev_hash, hash) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    )
                    .map_err(e)?;
                for a in rows {
                    st.execute(params![
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
                    ])
                    .map_err(e)?;
                }
            }
        }
        Ok(())
    }
}

/// The interface, answered by the methods in this module and its submodules.
impl Transactions for Sqlite {
    fn path(&self) -> &Path {
        &self.path
    }
    fn now(&self) -> Timestamp {
        self.now
    }
    /// `BEGIN IMMEDIATE`: the write lock is taken now, so the work inside never meets
    /// a lock upgrade failure halfway.
    fn begin(&self) -> Result<()> {
        self.last_audit.take();
        self.exec("BEGIN IMMEDIATE")
    }
    /// A deferred transaction: in WAL mode, one snapshot from its first read on.
    fn begin_read(&self) -> Result<()> {
        self.exec("BEGIN")
    }
    fn commit(&self) -> Result<()> {
        self.last_audit.take();
        self.exec("COMMIT")
    }
    fn rollback(&self) -> Result<()> {
        self.last_audit.take();
        self.exec("ROLLBACK")
    }
    fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }
    /// `synchronous = NORMAL` in WAL mode: the commit skips its fsyncs and stays atomic.
    fn set_durable(&self, durable: bool) -> Result<()> {
        self.exec(if durable {
            "PRAGMA synchronous = FULL"
        } else {
            "PRAGMA synchronous = NORMAL"
        })
    }
    fn set_cache_kib(&self, kib: u32) -> Result<()> {
        Sqlite::set_cache_kib(self, kib)
    }
}

impl Users for Sqlite {
    fn count_lasting_admins(&self) -> Result<i64> {
        Sqlite::count_lasting_admins(self)
    }
    fn user(&self, r: &UserRef) -> Result<Option<User>> {
        Sqlite::user(self, r)
    }
    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Sqlite::user_by_email(self, email)
    }
    fn user_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        Sqlite::user_id_by_email(self, email)
    }
    fn count_users(&self) -> Result<i64> {
        Sqlite::count_users(self)
    }
    fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>> {
        Sqlite::count_users_each(self, conditions)
    }
    fn insert_user_id(&self, u: &NewUser) -> Result<i64> {
        Sqlite::insert_user_id(self, u)
    }
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User> {
        Sqlite::update_user(self, id, c)
    }
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User> {
        Sqlite::set_password(self, id, hash, must_change)
    }
    fn upgrade_hash(&self, id: i64, old: &str, new: &str) -> Result<bool> {
        Sqlite::upgrade_hash(self, id, old, new)
    }
    fn delete_user(&self, id: i64) -> Result<()> {
        Sqlite::delete_user(self, id)
    }
    fn unlock_user(&self, id: i64) -> Result<User> {
        Sqlite::unlock_user(self, id)
    }
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()> {
        Sqlite::set_notifications(self, id, prefs)
    }
    fn for_each_user(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        Sqlite::each_user(self, f, each)
    }
    fn stream_user_briefs(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()> {
        Sqlite::each_user_brief(self, f, each)
    }
}

impl Packages for Sqlite {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        Sqlite::package_by_name(self, name)
    }
    fn package_by_id(&self, id: i64) -> Result<Package> {
        Sqlite::package_by_id(self, id)
    }
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        Sqlite::each_package(self, visible_to, include_inactive, each)
    }
    fn count_packages(&self) -> Result<u64> {
        Sqlite::count_packages(self)
    }
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        Sqlite::count_admin_only_packages(self, now)
    }
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        Sqlite::each_admin_only_package(self, now, limit, each)
    }
    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        Sqlite::insert_package(self, name, description, created_by)
    }
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        Sqlite::update_package(self, id, name, description, status)
    }
    fn delete_package(&self, id: i64) -> Result<()> {
        Sqlite::delete_package(self, id)
    }
}

impl Assignments for Sqlite {
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>> {
        Sqlite::all_assignments(self)
    }
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation> {
        Sqlite::relation(self, user_id, package)
    }
    fn assigned_among(
        &self,
        user_ids: &[i64],
        package_ids: &[i64],
    ) -> Result<std::collections::HashSet<(i64, i64)>> {
        Sqlite::assigned_among(self, user_ids, package_ids)
    }
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()> {
        Sqlite::each_access_pair(self, each)
    }
    fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool> {
        Sqlite::assign(self, user_id, package_id, by)
    }
    fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()> {
        Sqlite::set_assignments(self, user_id, package_ids, by)
    }
    fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool> {
        Sqlite::unassign(self, user_id, package_id)
    }
    fn unassign_all(&self, user_id: i64) -> Result<Vec<String>> {
        Sqlite::unassign_all(self, user_id)
    }
    fn members(&self, package: &Package) -> Result<Vec<Member>> {
        Sqlite::members(self, package)
    }
}

impl Settings for Sqlite {
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        Sqlite::all_settings(self)
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        Sqlite::setting(self, key)
    }
    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        Sqlite::set_setting(self, key, value)
    }
}

impl Sessions for Sqlite {
    fn record_login_success(&self, id: i64) -> Result<()> {
        Sqlite::record_login_success(self, id)
    }
    fn begin_login_attempt(&self, id: i64) -> Result<AttemptStart> {
        Sqlite::begin_login_attempt(self, id)
    }
    fn end_login_attempt(
        &self,
        id: i64,
        attempt: &LoginAttempt,
        verified: bool,
    ) -> Result<Option<Timestamp>> {
        Sqlite::end_login_attempt(self, id, attempt, verified)
    }
    fn insert_session(&self, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<i64> {
        Sqlite::insert_session(self, token_hash, user_id, expires)
    }
    fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        Sqlite::live_session(self, token_hash)
    }
    fn revoke_session(&self, id: i64) -> Result<()> {
        Sqlite::revoke_session(self, id)
    }
    fn revoke_user_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<usize> {
        Sqlite::revoke_user_sessions(self, user_id, keep)
    }
}

impl Audit for Sqlite {
    fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        Sqlite::append_audit(self, e)
    }
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        Sqlite::each_audit(self, f, each)
    }
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        Sqlite::verify_audit(self, checkpoint)
    }
    fn audit_head(&self) -> Result<Option<Checkpoint>> {
        Sqlite::audit_head(self)
    }
}

impl Maintenance for Sqlite {
    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        Sqlite::copy_in(self, rows)
    }
    fn finish_copy(&self) -> Result<()> {
        Ok(())
    }
    fn apply_migrations(&self) -> Result<()> {
        Sqlite::apply_migrations(self)
    }
    fn is_initialized(&self) -> Result<bool> {
        Sqlite::is_initialized(self)
    }
}

enum SchemaState {
    Empty,
    Older,
    Current,
}

fn connect(path: &Path, flags: OpenFlags, busy: Duration) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| sql_error(path, e))?;
    conn.busy_timeout(busy).map_err(|e| sql_error(path, e))?;
    // The last connection to close checkpoints the WAL into the database file. That
    // costs a few fsyncs per write command, and keeps `gatehouse.db` complete on its own
    // between commands, so a plain `cp` of it is a full backup.
    Ok(conn)
}

/// Creates a new store file 0600 (and its directory 0700 when missing), never opening
/// something that is already there or following a symbolic link.
fn create_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| {
                    Error::store(format!("cannot create directory `{}`: {e}", dir.display()))
                })?;
        }
        files::check_dir(dir)?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        // Another `init` won the race; the ownership checks that follow sort it out.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::store(format!(
            "cannot create store `{}`: {e}",
            path.display()
        ))),
    }
}

/// Maps SQLite failures to error kinds: a lock held past the busy timeout is 75 (retry),
/// a damaged or foreign file is 9, anything unexpected is a bug.
pub(crate) fn sql_error(path: &Path, e: rusqlite::Error) -> Error {
    let p = path.display();
    if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
        return match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::new(
                Kind::Busy,
                format!("store `{p}` is busy: another command holds its lock"),
            )
            .with_hint("nothing was changed; it is safe to retry"),
            ErrorCode::NotADatabase => Error::store(format!("`{p}` is not a gatehouse store"))
                .with_hint("point --db / GATEHOUSE_DB at a store created by `gatehouse init`"),
            ErrorCode::DatabaseCorrupt => Error::store(format!("store `{p}` is corrupt"))
                .with_hint("restore it from a backup"),
            ErrorCode::DiskFull => {
                Error::store(format!("cannot write store `{p}`: the disk is full"))
                    .with_hint("nothing was changed; free some space and retry")
            }
            ErrorCode::ReadOnly => {
                Error::store(format!("cannot write store `{p}`: it is read-only"))
                    .with_hint("check the permissions of the store file and its directory")
            }
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                Error::store(format!("cannot open store `{p}`"))
                    .with_hint("check that the file and its directory exist and are accessible")
            }
            ErrorCode::SystemIoFailure => Error::store(format!(
                "i/o error on store `{p}`{}",
                msg.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
            )),
            _ => Error::internal(format!("database error on `{p}`: {e}")),
        };
    }
    match e {
        // A value of the wrong type where the schema allows no such thing: the file was
        // damaged or edited behind our back.
        rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
            Error::store(format!(
                "store `{p}` is corrupt: a row does not match the schema ({e})"
            ))
            .with_hint("restore it from a backup")
        }
        _ => Error::internal(format!("database error on `{p}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DEFAULT_BUSY_TIMEOUT;

    fn now() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn create_then_open_sets_schema_and_modes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/g.db");
        let (store, _) = Sqlite::create(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        store.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        store.apply_migrations().unwrap();
        store.conn.execute_batch("COMMIT").unwrap();
        drop(store);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dmode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dmode, 0o700);
        // No users yet: opening works at the schema level.
        let (store, _) = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        let jm: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(jm, "wal");
    }

    #[test]
    fn an_older_schema_is_upgraded_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;"
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO users (email, name, role, status, created_at, updated_at) \
             VALUES ('a@example.com', 'a', 'admin', 'active', 'x', 'x')",
            [],
        )
        .unwrap();
        drop(conn);
        let (store, _) = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mut stmt = store
            .conn
            .prepare("EXPLAIN QUERY PLAN SELECT id FROM users ORDER BY name COLLATE NOCASE, id")
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains("users_by_name_nocase"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    #[test]
    fn foreign_and_newer_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.db");
        fs::write(&junk, vec![b'x'; 4096]).unwrap();
        let err = Sqlite::open(&junk, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert_eq!(err.kind, Kind::Store);

        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let err = Sqlite::open(&other, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert!(err.message.contains("not a gatehouse store"), "{err:?}");

        let newer = dir.path().join("newer.db");
        Connection::open(&newer)
            .unwrap()
            .execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .unwrap();
        Connection::open(&newer)
            .unwrap()
            .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        let err = Sqlite::open(&newer, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert!(err.message.contains("newer"), "{err:?}");

        let missing = dir.path().join("missing.db");
        let err = Sqlite::open(&missing, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert!(err.message.contains("does not exist"));
        assert!(!missing.exists());
    }

    fn version2_store(names: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 2;"
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
        let (_dir, path) = version2_store(&["North", "Äpfel"]);
        let (store, _) = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT).unwrap();
        let found = store.package_by_name("äPFEL").unwrap().unwrap();
        assert_eq!(found.name, "Äpfel");
        assert!(store.package_by_name("NORTH").unwrap().is_some());
    }

    #[test]
    fn version_3_refuses_names_only_the_new_key_finds_equal() {
        // NOCASE folds ASCII only: a version 2 store could hold both.
        let (_dir, path) = version2_store(&["Äpfel", "äpfel"]);
        let err = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT)
            .err()
            .unwrap();
        assert_eq!(err.kind, Kind::Store);
        assert!(err.message.contains("`Äpfel` and `äpfel`"), "{err:?}");
        // Nothing was changed: the store is still at version 2.
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 2);
    }
}
