//! The only door to the data: [`Store`] hands commands typed operations and never SQL.
//!
//! A database backend implements [`Backend`] — users, packages, assignments, sessions,
//! settings, the audit trail, and plain transaction control — and owns its SQL, its
//! migrations and its error mapping in its own module (`sqlite/`). Everything that is
//! the same on every backend lives here, once:
//!
//! - every write goes through [`Store::write`]: begin, the caller's work, the store-wide
//!   invariant (an active admin remains), commit — so no command path can forget it;
//! - a denial found inside a write, which rolls the write back, is recorded right after
//!   it ([`Store::record_denial`]);
//! - the shapes of rows ([`types`]) and the audit chain's hash.

pub mod pg;
mod sqlite;
mod types;

use std::cell::RefCell;
use std::ops::Deref;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

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
use crate::model::{Checkpoint, Status, UserRef};

/// How many times a write transaction is tried when the database gives up on it for
/// another's sake.
pub const ATTEMPTS: u32 = 3;

/// How long a command waits for another's write lock before giving up with exit 75.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a database must do to hold a gatehouse store. Methods that change something
/// run inside the transaction [`Store::write`] opened; reads may run in or out of one.
/// Rows come back as the typed values of [`types`]; a UNIQUE violation is a conflict
/// and a missing row a not-found error, mapped by the backend.
pub trait Backend {
    /// Where the store is, for messages and for keying saved sessions.
    fn path(&self) -> &Path;
    /// The user the server logged in (a store that authenticates connections itself).
    fn connected_user(&self) -> Option<i64> {
        None
    }
    /// The database role connected as, on such a store.
    fn connected_role(&self) -> Option<&str> {
        None
    }
    /// Lets the user log in to the database server itself with this password (a store
    /// whose server authenticates people); the hash is set by `set_password`.
    fn set_login(&self, _id: i64, _secret: &secrecy::SecretString) -> Result<()> {
        Ok(())
    }
    /// Whether the database server accepts this password for the user with this email
    /// (`None`: the store checks passwords itself, against the hash).
    fn server_verifies(&self, _email: &str, _pw: &secrecy::SecretString) -> Result<Option<bool>> {
        Ok(None)
    }
    /// The clock every timestamp the backend writes comes from.
    fn now(&self) -> Timestamp;

    /// Starts a write transaction that holds the store's write lock.
    fn begin(&self) -> Result<()>;
    /// Starts a read-only transaction: one consistent view, no lock held against writers.
    fn begin_read(&self) -> Result<()>;
    fn commit(&self) -> Result<()>;
    fn rollback(&self) -> Result<()>;
    /// Whether a transaction is open.
    fn in_transaction(&self) -> bool;
    /// Whether commits must survive a power failure (login bookkeeping need not).
    fn set_durable(&self, durable: bool) -> Result<()>;
    /// Room for one big transaction's pages (`user import`).
    fn set_cache_kib(&self, kib: u32) -> Result<()>;
    /// Brings the schema up to date; inside a write transaction.
    fn apply_migrations(&self) -> Result<()>;
    /// Whether `init` has completed (schema present and a user exists).
    fn is_initialized(&self) -> Result<bool>;
    /// Active admins whom time alone cannot take away (no expiry date).
    fn count_lasting_admins(&self) -> Result<i64>;

    fn setting(&self, key: &str) -> Result<Option<String>>;
    fn set_setting(&self, key: &str, value: &str) -> Result<()>;

    fn user(&self, r: &UserRef) -> Result<Option<User>>;
    fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// Just the id of the user with this email, without reading the row.
    fn user_id_by_email(&self, email: &str) -> Result<Option<i64>>;
    fn count_users(&self) -> Result<i64>;
    /// How many users match a filter (its sort, limit and offset aside).
    fn count_users_where(&self, f: &UserFilter) -> Result<u64>;
    /// How many users meet each condition, in one pass.
    fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>>;
    /// Inserts a user and returns only its id (bulk import needs no read-back).
    fn insert_user_id(&self, u: &NewUser) -> Result<i64>;
    /// Inserts users, returning their ids in the same order (a bulk import's batch).
    fn insert_users(&self, users: &[NewUser]) -> Result<Vec<i64>> {
        users.iter().map(|u| self.insert_user_id(u)).collect()
    }
    /// The ids of those of these emails that belong to a user.
    fn user_ids_by_email(&self, emails: &[&str]) -> Result<std::collections::HashMap<String, i64>> {
        let mut found = std::collections::HashMap::new();
        for e in emails {
            if let Some(id) = self.user_id_by_email(e)? {
                found.insert((*e).to_string(), id);
            }
        }
        Ok(found)
    }
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User>;
    /// Stores a new password hash; clears a lockout. `must_change` sets the flag.
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User>;
    /// Replaces a hash only if it is still `old`; whether it did.
    fn upgrade_hash(&self, id: i64, old: &str, new: &str) -> Result<bool>;
    /// Deletes a user with their sessions and assignments; their packages stay.
    fn delete_user(&self, id: i64) -> Result<()>;
    fn unlock_user(&self, id: i64) -> Result<User>;
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()>;
    fn record_login_success(&self, id: i64) -> Result<()>;
    /// Admits a password verification for the user, atomically with the lock check.
    fn begin_login_attempt(&self, id: i64) -> Result<AttemptStart>;
    /// Records an admitted attempt's outcome: a wrong password is a failure (the lock
    /// it sets, if it reaches one, is returned); a right one clears the failures unless
    /// a lock was reached meanwhile.
    fn end_login_attempt(
        &self,
        id: i64,
        attempt: &LoginAttempt,
        verified: bool,
    ) -> Result<Option<Timestamp>>;
    fn for_each_user(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()>;
    /// The same users, with only what a table of them shows.
    fn for_each_user_brief(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()>;

    /// [`Backend::for_each_user`] for a caller whose `each` never uses the store (it
    /// only writes output): a backend may then stream rows as the server sends them.
    fn stream_users(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        self.for_each_user(f, each)
    }
    /// The same for [`Backend::for_each_user_brief`].
    fn stream_user_briefs(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()> {
        self.for_each_user_brief(f, each)
    }

    fn package_by_name(&self, name: &str) -> Result<Option<Package>>;
    fn package_by_id(&self, id: i64) -> Result<Package>;
    /// Packages in name order: all, or those `visible_to` a regular user can see.
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()>;
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation>;
    /// Which of these users are assigned which of these packages, in one query (a grid of
    /// relations costs one round trip, not one per cell).
    fn assigned_among(
        &self,
        user_ids: &[i64],
        package_ids: &[i64],
    ) -> Result<std::collections::HashSet<(i64, i64)>>;
    fn count_packages(&self) -> Result<u64>;
    /// Packages no active, unexpired regular user (at `now`) created or is assigned.
    fn count_admin_only_packages(&self, now: &str) -> Result<u64>;
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()>;
    /// Every (user, package) pair the rule reaches, with its arm, by email and name.
    /// `each` must not use the store: the rows may stream as the server sends them.
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()>;
    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package>;
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package>;
    fn delete_package(&self, id: i64) -> Result<()>;
    /// Whether the assignment is new.
    fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool>;
    /// Assigns many (user, package) pairs at once; how many were new.
    fn assign_many(&self, pairs: &[(i64, i64)], by: i64) -> Result<u64> {
        let mut n = 0;
        for (u, p) in pairs {
            n += u64::from(self.assign(*u, *p, by)?);
        }
        Ok(n)
    }
    /// Makes a user's assignments exactly these.
    fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()>;
    /// Whether there was an assignment to remove.
    fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool>;
    /// Removes every assignment of a user; the names of the packages.
    fn unassign_all(&self, user_id: i64) -> Result<Vec<String>>;
    fn members(&self, package: &Package) -> Result<Vec<Member>>;

    fn insert_session(&self, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<i64>;
    /// The unrevoked, unexpired session with this token hash.
    fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    fn revoke_session(&self, id: i64) -> Result<()>;
    /// Revokes every live session of a user but `keep`; how many.
    fn revoke_user_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<usize>;

    fn append_audit(&self, e: &AuditEntry) -> Result<()>;
    /// Entries newest first.
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()>;
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck>;
    /// The last entry's number and hash.
    fn audit_head(&self) -> Result<Option<Checkpoint>>;

    /// Every setting, by key.
    fn all_settings(&self) -> Result<Vec<(String, String)>>;
    /// Every assignment, as stored.
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>>;
    /// Writes rows exactly as another store holds them — ids, password hashes and the
    /// audit chain kept — into an empty store, inside a write transaction.
    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()>;
    /// After a copy: what copying set aside is put back (id counters, triggers).
    fn finish_copy(&self) -> Result<()>;
    /// Active users the database server cannot log in yet, on a store whose server
    /// logs people in (`None` elsewhere: there the hash is the login).
    fn users_without_login(&self) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
    /// What differs from the schema, policies, grants and roles this version makes, on
    /// a store whose server enforces them (`None` elsewhere).
    fn drift(&self) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
    /// Whether the connection holds the privileges of the store's owner (the installer
    /// does; a person does not). A store without roles: always.
    fn acts_as_owner(&self) -> Result<bool> {
        Ok(true)
    }

    /// The user, or a not-found error naming them.
    fn require_user(&self, r: &UserRef) -> Result<User> {
        self.user(r)?.ok_or_else(|| user_not_found(r))
    }

    fn user_by_id(&self, id: i64) -> Result<User> {
        self.require_user(&UserRef::Id(id))
    }

    fn insert_user(&self, u: &NewUser) -> Result<User> {
        let id = self.insert_user_id(u)?;
        self.user_by_id(id)
    }
}

/// An open store: a backend, and what is the same on every backend.
pub struct Store {
    db: Box<dyn Backend>,
    /// What opening it found worth saying (a store others can read).
    pub warnings: Vec<String>,
    /// Denials found inside a write transaction, which the denial rolls back: written in
    /// their own transaction right after.
    pending_denials: RefCell<Vec<AuditEntry>>,
}

impl Deref for Store {
    type Target = dyn Backend;

    fn deref(&self) -> &Self::Target {
        &*self.db
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
    pub fn install(db: &Path, env: &crate::env::Env, busy: Duration) -> Result<Store> {
        let (db, warnings) = pg::Postgres::open(db, env, env.now, busy, pg::Login::Installer)?;
        Ok(Store::new(Box::new(db), warnings))
    }

    /// An existing PostgreSQL store, reached as the installer (to copy it whole, or
    /// check it); a SQLite store as it is.
    pub fn open_installer(db: &Path, env: &crate::env::Env, busy: Duration) -> Result<Store> {
        if !pg::is_postgres(db) {
            return Store::open(db, env.now, busy);
        }
        let (db, warnings) = pg::Postgres::open(db, env, env.now, busy, pg::Login::Installer)?;
        db.check_schema()?;
        Ok(Store::new(Box::new(db), warnings))
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
    /// as busy (exit 75).
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
        self.begin()?;
        let result = f(self).and_then(|value| {
            self.check_active_admin()?;
            Ok(value)
        });
        let result = match result {
            Ok(value) if commit => match self.commit() {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.rollback();
                    Err(e)
                }
            },
            Ok(value) => self.rollback().map(|()| value),
            Err(e) => {
                let _ = self.rollback();
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
        if self.count_lasting_admins()? == 0 {
            // Counting only admins without an expiry means time alone can never leave the
            // store without one.
            return Err(no_admin_left());
        }
        Ok(())
    }

    /// Runs `f` on one consistent view of the store (a report whose counts and rows
    /// must agree while others write).
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.begin_read()?;
        let result = f(self);
        let ended = self.rollback();
        result.and_then(|v| ended.map(|()| v))
    }

    /// Records a refused attempt in the audit trail: at once, or — inside a write
    /// transaction, which the refusal is about to roll back — right after it. So a
    /// denial is recorded wherever it is found.
    pub fn record_denial(&self, entry: AuditEntry) {
        if self.in_transaction() {
            self.pending_denials.borrow_mut().push(entry);
        } else {
            let _ = self.append_denials(std::slice::from_ref(&entry));
        }
    }

    /// Writes denial entries in a transaction of their own (they change nothing else).
    fn append_denials(&self, entries: &[AuditEntry]) -> Result<()> {
        self.begin()?;
        let written = entries.iter().try_for_each(|e| self.append_audit(e));
        let ended = if written.is_ok() {
            self.commit()
        } else {
            self.rollback()
        };
        written.and(ended)
    }

    /// Applies `c` to a user. A user made inactive loses every session at once — the one
    /// place where that happens. Returns the user and how many sessions were revoked.
    pub fn change_user(&self, id: i64, c: &UserChanges) -> Result<(User, usize)> {
        let after = self.update_user(id, c)?;
        let revoked = if c.status == Some(Status::Inactive) {
            self.revoke_user_sessions(id, None)?
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
        let after = self.set_password(id, hash, must_change)?;
        let revoked = self.revoke_user_sessions(id, keep)?;
        Ok((after, revoked))
    }

    /// Whether `pw` is the user's password: the database server's answer where it logs
    /// people in, else the stored hash's.
    pub fn password_matches(&self, user: &User, pw: &secrecy::SecretString) -> Result<bool> {
        Ok(match self.server_verifies(&user.email, pw)? {
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
        self.for_each_user(f, &mut each)
    }

    /// Streams packages to `each`; see [`Backend::for_each_package`].
    pub fn each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        mut each: impl FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        self.for_each_package(visible_to, include_inactive, &mut each)
    }

    /// Streams audit entries, newest first.
    pub fn each_audit(
        &self,
        f: &AuditFilter,
        mut each: impl FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        self.for_each_audit(f, &mut each)
    }
}
