//! The SQLite engine: a store in one file (WAL mode), and the only code that touches
//! rusqlite. This module opens the file — after `files` has checked it can be trusted —
//! holds the connection and runs its transactions ([`Transactions`]); `rows` runs the
//! SQL both engines share ([`crate::store::run::Run`]), reading rows by column name.
//! What SQLite does its own way is in a file per concern, with its SQL: `users` (adding
//! and changing them), `assignments`, `sessions`, `audit` (the chain is written here)
//! and `maintenance` (migrations, copies, checks). Packages and settings have no file:
//! everything about them is the shared SQL of [`crate::store::backend`].

mod assignments;
mod audit;
mod files;
mod maintenance;
mod rows;
mod sessions;
mod users;

use std::fs;
#[cfg(test)]
use std::os::unix::fs::PermissionsExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{ffi, Connection, ErrorCode, OpenFlags};

pub use files::euid;
use maintenance::SchemaState;
pub use maintenance::SCHEMA_VERSION;

use super::sql::Dialect;
use super::{Maintenance, Transactions};
use crate::error::{Error, Kind, Result};
use crate::model::fmt_ts;
use crate::store::run::Sealed;

/// How the shared statements of [`crate::store::sql`] are written for SQLite.
const DIALECT: Dialect = Dialect::Sqlite;

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
    /// Connects to the store file once `files` has checked it can be trusted (the path
    /// it checked is the one opened); with the checks' warnings.
    fn checked(path: &Path, now: Timestamp, busy: Duration) -> Result<(Sqlite, Vec<String>)> {
        let files::Checked { real, warnings } = files::check_store(path)?;
        let conn = connect(&real, OpenFlags::SQLITE_OPEN_READ_WRITE, busy)?;
        let store = Sqlite {
            conn,
            path: path.to_path_buf(),
            now,
            last_audit: Default::default(),
        };
        Ok((store, warnings))
    }

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
        let (store, warnings) = Sqlite::checked(path, now, busy)?;
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
                store.begin(Sealed(()))?;
                match store.apply_migrations() {
                    Ok(()) => store.commit(Sealed(()))?,
                    Err(e) => {
                        let _ = store.rollback(Sealed(()));
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
        let (store, warnings) = Sqlite::checked(path, now, busy)?;
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

    pub(crate) fn now_str(&self) -> String {
        fmt_ts(self.now)
    }

    fn pragmas(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| self.sql_error(e))
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(|e| self.sql_error(e))
    }

    pub(crate) fn sql_error(&self, e: rusqlite::Error) -> Error {
        sql_error(&self.path, e)
    }
}

impl Transactions for Sqlite {
    fn path(&self) -> &Path {
        &self.path
    }
    fn now(&self) -> Timestamp {
        self.now
    }
    /// `BEGIN IMMEDIATE`: the write lock is taken now, so the work inside never meets
    /// a lock upgrade failure halfway.
    fn begin(&self, _: Sealed) -> Result<()> {
        self.last_audit.take();
        self.exec("BEGIN IMMEDIATE")
    }
    /// A deferred transaction: in WAL mode, one snapshot from its first read on.
    fn begin_read(&self, _: Sealed) -> Result<()> {
        self.exec("BEGIN")
    }
    fn commit(&self, _: Sealed) -> Result<()> {
        self.last_audit.take();
        self.exec("COMMIT")
    }
    fn rollback(&self, _: Sealed) -> Result<()> {
        self.last_audit.take();
        self.exec("ROLLBACK")
    }
    fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }
    /// Lets SQLite cache more pages for one big transaction (`user import`).
    fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.exec(&format!("PRAGMA cache_size = -{kib}"))
    }
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
/// a damaged or foreign file is 9, a UNIQUE or PRIMARY KEY violation a conflict (6, as
/// on PostgreSQL), anything unexpected is a bug.
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
            // A UNIQUE or PRIMARY KEY constraint, as PostgreSQL's unique violation is;
            // the operation that can meet one names what was taken.
            ErrorCode::ConstraintViolation
                if matches!(
                    f.extended_code,
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
            {
                Error::conflict(format!("refused: {e}"))
                    .with_hint("nothing was changed")
                    .with_source(crate::store::run::Taken)
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
    use super::maintenance::APPLICATION_ID;
    use super::*;
    use crate::store::DEFAULT_BUSY_TIMEOUT;

    /// The clock of the engine's tests.
    pub(super) fn now() -> Timestamp {
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
            .query_row("PRAGMA journal_mode", [], |r| r.get("journal_mode"))
            .unwrap();
        assert_eq!(jm, "wal");
    }

    #[test]
    fn foreign_and_newer_files_are_refused() {
        /// What is at the path before gatehouse opens it.
        enum Before {
            Junk,
            Sqlite(String),
            Nothing,
        }
        let dir = tempfile::tempdir().unwrap();
        let newer = format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {}",
            SCHEMA_VERSION + 1
        );
        let cases = [
            ("junk.db", Before::Junk, "not a gatehouse store"),
            (
                "other.db",
                Before::Sqlite("CREATE TABLE t(x)".into()),
                "not a gatehouse store",
            ),
            ("newer.db", Before::Sqlite(newer), "newer"),
            ("missing.db", Before::Nothing, "does not exist"),
        ];
        for (name, before, says) in cases {
            let path = dir.path().join(name);
            match before {
                Before::Junk => fs::write(&path, vec![b'x'; 4096]).unwrap(),
                Before::Sqlite(sql) => Connection::open(&path)
                    .unwrap()
                    .execute_batch(&sql)
                    .unwrap(),
                Before::Nothing => {}
            }
            let err = Sqlite::open(&path, now(), DEFAULT_BUSY_TIMEOUT)
                .err()
                .unwrap();
            assert_eq!(err.kind, Kind::Store, "{name}: {err:?}");
            assert!(err.message.contains(says), "{name}: {err:?}");
        }
        assert!(!dir.path().join("missing.db").exists());
    }
}
