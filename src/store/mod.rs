//! The only door to the data: [`Store`] hands commands typed operations and never SQL.
//!
//! A database engine implements [`Backend`] — one small trait per concern (users,
//! packages, assignments, settings, sessions, the audit trail, maintenance) over plain
//! transaction control — in its own module (`sqlite/`, `pg/`). What both engines do the
//! same way is written once: the SQL in [`sql`], run through each engine's `Run` by the
//! traits' provided methods, and the decoders in [`rows`]. What is the same on every
//! engine beyond the SQL lives here:
//!
//! - every write goes through [`Store::write`]: begin, the caller's work, the store-wide
//!   invariant (an active admin remains), commit — so no command path can forget it;
//! - a denial found inside a write, which rolls the write back, is recorded right after
//!   it ([`Store::record_denial`]);
//! - the shapes of rows ([`types`]) and the audit chain's hash.

mod backend;
pub mod pg;
pub mod rows;
mod run;
pub mod sql;
mod sqlite;
mod types;

use std::cell::RefCell;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

pub use backend::{
    prelude, AssignmentReads, Assignments, Audit, AuditReads, Backend, Maintenance, PackageReads,
    Packages, SessionReads, Sessions, SettingReads, Settings, Transactions, UserReads, Users,
};
pub use sqlite::euid;
/// The schema version this build lays down and reads in a SQLite store.
pub const SQLITE_SCHEMA_VERSION: i64 = sqlite::SCHEMA_VERSION;
pub use types::{
    email_taken, no_admin_left, package_not_found, package_taken, user_not_found, AccessPair,
    AssignmentRow, AttemptStart, AuditEntry, AuditFilter, AuditRow, ChainCheck, ChainVerifier,
    CopyRows, LoginAttempt, Member, NewUser, Package, Relation, SessionRow, User, UserBrief,
    UserChanges, UserCondition, UserFilter, UserSort,
};
pub(crate) use types::{entry_hash, hex, GENESIS};

use crate::error::Result;
use crate::model::Status;
use run::Sealed;

/// How many times a write transaction is tried when the database gives up on it for
/// another's sake.
pub const ATTEMPTS: u32 = 3;

/// How long a command waits for another's write lock before giving up with exit 75.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open store: a backend, and what is the same on every backend.
pub struct Store {
    db: Box<dyn Backend>,
    /// What opening it found worth saying (a store others can read).
    pub warnings: Vec<String>,
    /// Denials found inside a write transaction, which the denial rolls back: written in
    /// their own transaction right after.
    pending_denials: RefCell<Vec<AuditEntry>>,
}

/// The store's data, one concern at a time. There is no way around these to the engine:
/// a handler names what it reads or changes (`s.users().user(…)`,
/// `s.assignments().assign(…)`), and transactions are only opened by [`Store::write`]
/// and [`Store::read`].
impl Store {
    pub fn users(&self) -> &dyn Users {
        &*self.db
    }
    pub fn packages(&self) -> &dyn Packages {
        &*self.db
    }
    pub fn assignments(&self) -> &dyn Assignments {
        &*self.db
    }
    pub fn settings(&self) -> &dyn Settings {
        &*self.db
    }
    pub fn sessions(&self) -> &dyn Sessions {
        &*self.db
    }
    pub fn audit(&self) -> &dyn Audit {
        &*self.db
    }
    pub fn maintenance(&self) -> &dyn Maintenance {
        &*self.db
    }

    /// Where the store is, for messages and for keying saved sessions.
    pub fn path(&self) -> &Path {
        self.db.path()
    }
    /// The clock every timestamp the store writes comes from.
    pub fn now(&self) -> Timestamp {
        self.db.now()
    }
    /// The user the database server logged in, on a store whose server does.
    pub fn connected_user(&self) -> Option<i64> {
        self.db.connected_user()
    }
    /// The database role connected as, on such a store.
    pub fn connected_role(&self) -> Option<&str> {
        self.db.connected_role()
    }
    /// Whether commits must survive a power failure (login bookkeeping need not).
    pub fn set_durable(&self, durable: bool) -> Result<()> {
        self.db.set_durable(durable)
    }
    /// Room for one big transaction's pages (`user import`).
    pub fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.db.set_cache_kib(kib)
    }
}

impl Store {
    fn new(db: Box<dyn Backend>, warnings: Vec<String>) -> Store {
        Store {
            db,
            warnings,
            pending_denials: RefCell::default(),
        }
    }

    /// Opens an existing, initialized store, upgrading an older schema.
    pub fn open(path: &Path, now: Timestamp, busy: Duration) -> Result<Store> {
        let (db, warnings) = sqlite::Sqlite::open(path, now, busy)?;
        Ok(Store::new(Box::new(db), warnings))
    }

    /// Opens the store `--db` names: a SQLite file, or a PostgreSQL database (reached
    /// as the person the environment names, or as the installer for `init`).
    pub fn open_any(
        db: &Path,
        env: &crate::env::Env,
        busy: Duration,
        login: pg::Login<'_>,
    ) -> Result<Store> {
        if !pg::is_postgres(db) {
            return Store::open(db, env.now, busy);
        }
        let (db, warnings) = pg::Postgres::open(db, env, env.now, busy, login)?;
        db.check_schema()?;
        Ok(Store::new(Box::new(db), warnings))
    }

    /// A PostgreSQL store for `init` or a copy: reached as the installer, schema not yet
    /// required.
    pub fn install(
        db: &Path,
        env: &crate::env::Env,
        busy: Duration,
        creds: &dyn pg::Credentials,
    ) -> Result<Store> {
        let login = pg::Login::Installer(creds);
        let (db, warnings) = pg::Postgres::open(db, env, env.now, busy, login)?;
        Ok(Store::new(Box::new(db), warnings))
    }

    /// An existing PostgreSQL store, reached as the installer (to copy it whole, or
    /// check it); a SQLite store as it is.
    pub fn open_installer(
        db: &Path,
        env: &crate::env::Env,
        busy: Duration,
        creds: &dyn pg::Credentials,
    ) -> Result<Store> {
        Store::open_any(db, env, busy, pg::Login::Installer(creds))
    }

    /// Creates (or finishes creating) a store for `init`; its schema is laid down by
    /// `init` in the same transaction as the first admin.
    pub fn create(path: &Path, now: Timestamp, busy: Duration) -> Result<Store> {
        let (db, warnings) = sqlite::Sqlite::create(path, now, busy)?;
        Ok(Store::new(Box::new(db), warnings))
    }

    /// Runs `f` in a write transaction. Before committing, checks that an active admin
    /// remains; otherwise everything is rolled back with a conflict.
    pub fn write<T>(&self, f: impl FnMut(&Store) -> Result<T>) -> Result<T> {
        self.write_then(true, f)
    }

    /// A write whose commit need not survive a power failure (it stays atomic): login
    /// bookkeeping such as `last_login_at`, which would otherwise cost a
    /// password-authenticated command more than its argon2 verification.
    pub fn write_relaxed<T>(&self, f: impl FnMut(&Store) -> Result<T>) -> Result<T> {
        self.set_durable(false)?;
        let result = self.write(f);
        self.set_durable(true)?;
        result
    }

    /// Like [`Store::write`], but with `commit: false` rolls back after the checks: a dry
    /// run that is refused exactly when the real run would be.
    ///
    /// A transaction the database gave up on for another's sake (a serialization
    /// failure or deadlock) is run again, up to [`ATTEMPTS`] times in all, then refused
    /// as busy (exit 75). So `f` may run more than once and must be idempotent apart from
    /// the store: it reads what it needs through the store each time, and whatever it
    /// collects outside (counters, printed lines) it must reset at its start or only
    /// keep from the run that returns.
    pub fn write_then<T>(&self, commit: bool, mut f: impl FnMut(&Store) -> Result<T>) -> Result<T> {
        let mut attempt = 1;
        loop {
            match self.write_once(commit, &mut f) {
                Err(e) if e.retry && attempt < ATTEMPTS => {
                    attempt += 1;
                    // A short pause, longer each time, so the two do not meet again.
                    std::thread::sleep(Duration::from_millis(20 * attempt as u64));
                }
                result => return result,
            }
        }
    }

    fn write_once<T>(&self, commit: bool, f: &mut impl FnMut(&Store) -> Result<T>) -> Result<T> {
        self.db.begin(Sealed(()))?;
        let result = f(self).and_then(|value| {
            self.check_active_admin()?;
            Ok(value)
        });
        let result = match result {
            Ok(value) if commit => match self.db.commit(Sealed(())) {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.db.rollback(Sealed(()));
                    Err(e)
                }
            },
            Ok(value) => self.db.rollback(Sealed(())).map(|()| value),
            Err(e) => {
                let _ = self.db.rollback(Sealed(()));
                Err(e)
            }
        };
        let pending = self.pending_denials.take();
        if !pending.is_empty() {
            // Best effort: failing to record a denial must not change the answer.
            let _ = self.append_denials(&pending);
        }
        result
    }

    fn check_active_admin(&self) -> Result<()> {
        if self.db.count_lasting_admins()? == 0 {
            // Counting only admins without an expiry means time alone can never leave the
            // store without one.
            return Err(no_admin_left());
        }
        Ok(())
    }

    /// Runs `f` on one consistent view of the store (a report whose counts and rows
    /// must agree while others write).
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.db.begin_read(Sealed(()))?;
        let result = f(self);
        let ended = self.db.rollback(Sealed(()));
        result.and_then(|v| ended.map(|()| v))
    }

    /// Records a refused attempt in the audit trail: at once, or — inside a write
    /// transaction, which the refusal is about to roll back — right after it. So a
    /// denial is recorded wherever it is found.
    pub fn record_denial(&self, entry: AuditEntry) {
        if self.db.in_transaction() {
            self.pending_denials.borrow_mut().push(entry);
        } else {
            let _ = self.append_denials(std::slice::from_ref(&entry));
        }
    }

    /// Writes denial entries in a transaction of their own (they change nothing else).
    fn append_denials(&self, entries: &[AuditEntry]) -> Result<()> {
        self.db.begin(Sealed(()))?;
        let written = entries.iter().try_for_each(|e| self.db.append_audit(e));
        let ended = if written.is_ok() {
            self.db.commit(Sealed(()))
        } else {
            self.db.rollback(Sealed(()))
        };
        written.and(ended)
    }

    /// Applies `c` to a user. A user made inactive loses every session at once — the one
    /// place where that happens. Returns the user and how many sessions were revoked.
    pub fn change_user(&self, id: i64, c: &UserChanges) -> Result<(User, usize)> {
        let after = self.db.update_user(id, c)?;
        let revoked = if c.status == Some(Status::Inactive) {
            self.db.revoke_user_sessions(id, None)?
        } else {
            0
        };
        Ok((after, revoked))
    }

    /// Stores a new password hash (clearing a lockout); every session of the user but
    /// `keep` — the caller's own, when they change their own — is revoked.
    pub fn change_password(
        &self,
        id: i64,
        hash: &str,
        must_change: bool,
        keep: Option<i64>,
    ) -> Result<(User, usize)> {
        let after = self.db.set_password(id, hash, must_change)?;
        let revoked = self.db.revoke_user_sessions(id, keep)?;
        Ok((after, revoked))
    }

    /// Whether `pw` is the user's password: the database server's answer where it logs
    /// people in, else the stored hash's.
    pub fn password_matches(&self, user: &User, pw: &secrecy::SecretString) -> Result<bool> {
        Ok(match self.db.server_verifies(&user.email, pw)? {
            Some(yes) => yes,
            None => user
                .password_hash
                .as_deref()
                .is_some_and(|h| crate::password::verify(pw, h)),
        })
    }

    /// Streams the users matching `f` to `each`, one at a time.
    pub fn each_user(
        &self,
        f: &UserFilter,
        mut each: impl FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        self.db.for_each_user(f, &mut each)
    }

    /// Streams packages to `each`; see [`Backend::for_each_package`].
    pub fn each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        mut each: impl FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        self.db
            .for_each_package(visible_to, include_inactive, &mut each)
    }

    /// Streams audit entries, newest first.
    pub fn each_audit(
        &self,
        f: &AuditFilter,
        mut each: impl FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        self.db.for_each_audit(f, &mut each)
    }
}
