//! What a database must do to hold a gatehouse store, as one small trait per concern:
//! the connection and its transactions, users, packages, assignments, settings,
//! sessions, the audit trail, and maintenance (schema, checks, copies).
//!
//! Each engine implements every trait, one file per concern (`sqlite/users.rs` and
//! `pg/users.rs` hold the same operations), and [`Backend`] is simply all of them. Methods
//! that change something run inside the transaction the door opened; reads may run in or
//! out of one. Rows come back as the typed values of [`super::types`]; a UNIQUE violation
//! is a conflict and a missing row a not-found error, mapped by the engine.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use secrecy::SecretString;

use super::types::{
    user_not_found, AccessPair, AssignmentRow, AttemptStart, AuditEntry, AuditFilter, AuditRow,
    ChainCheck, CopyRows, LoginAttempt, Member, NewUser, Package, Relation, SessionRow, User,
    UserBrief, UserChanges, UserCondition, UserFilter,
};
use crate::error::Result;
use crate::model::{Checkpoint, Status, UserRef};

/// The connection and its transactions: what every other concern runs inside.
pub trait Transactions {
    /// Where the store is, for messages and for keying saved sessions.
    fn path(&self) -> &Path;
    /// The clock every timestamp the backend writes comes from.
    fn now(&self) -> Timestamp;
    /// The user the server logged in (a store that authenticates connections itself).
    fn connected_user(&self) -> Option<i64> {
        None
    }
    /// The database role connected as, on such a store.
    fn connected_role(&self) -> Option<&str> {
        None
    }
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
}

/// The user records: lookups, counts, streams and changes.
pub trait Users {
    fn user(&self, r: &UserRef) -> Result<Option<User>>;
    fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// Just the id of the user with this email, without reading the row.
    fn user_id_by_email(&self, email: &str) -> Result<Option<i64>>;
    /// The user, or a not-found error naming them.
    fn require_user(&self, r: &UserRef) -> Result<User> {
        self.user(r)?.ok_or_else(|| user_not_found(r))
    }
    fn user_by_id(&self, id: i64) -> Result<User> {
        self.require_user(&UserRef::Id(id))
    }
    fn count_users(&self) -> Result<i64>;
    /// How many users meet each condition, in one pass.
    fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>>;
    /// Active admins whom time alone cannot take away (no expiry date).
    fn count_lasting_admins(&self) -> Result<i64>;
    /// Inserts a user and returns only its id (bulk import needs no read-back).
    fn insert_user_id(&self, u: &NewUser) -> Result<i64>;
    fn insert_user(&self, u: &NewUser) -> Result<User> {
        let id = self.insert_user_id(u)?;
        self.user_by_id(id)
    }
    /// Inserts users, returning their ids in the same order (a bulk import's batch).
    fn insert_users(&self, users: &[NewUser]) -> Result<Vec<i64>> {
        users.iter().map(|u| self.insert_user_id(u)).collect()
    }
    /// The ids of those of these emails that belong to a user.
    fn user_ids_by_email(&self, emails: &[&str]) -> Result<HashMap<String, i64>> {
        let mut found = HashMap::new();
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
    fn for_each_user(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()>;
    /// [`Users::for_each_user`] for a caller whose `each` never uses the store (it
    /// only writes output): a backend may then stream rows as the server sends them.
    fn stream_users(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        self.for_each_user(f, each)
    }
    /// The users matching a filter, with only what a table of them shows; `each` must
    /// not use the store (rows may stream as the server sends them).
    fn stream_user_briefs(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()>;
}

/// The packages themselves (who reaches them is [`Assignments`]).
pub trait Packages {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>>;
    fn package_by_id(&self, id: i64) -> Result<Package>;
    /// Packages in name order: all, or those `visible_to` a regular user can see.
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()>;
    fn count_packages(&self) -> Result<u64>;
    /// Packages no active, unexpired regular user (at `now`) created or is assigned.
    fn count_admin_only_packages(&self, now: &str) -> Result<u64>;
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()>;
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
}

/// Who is assigned which package, and what the access rule makes of it.
pub trait Assignments {
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation>;
    /// Which of these users are assigned which of these packages, in one query (a grid of
    /// relations costs one round trip, not one per cell).
    fn assigned_among(&self, user_ids: &[i64], package_ids: &[i64]) -> Result<HashSet<(i64, i64)>>;
    /// Every (user, package) pair the rule reaches, with its arm, by email and name.
    /// `each` must not use the store: the rows may stream as the server sends them.
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()>;
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
    /// Every assignment, as stored.
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>>;
}

/// The store's settings, by key.
pub trait Settings {
    fn setting(&self, key: &str) -> Result<Option<String>>;
    fn set_setting(&self, key: &str, value: &str) -> Result<()>;
    /// Every setting, by key.
    fn all_settings(&self) -> Result<Vec<(String, String)>>;
}

/// Logging in: saved sessions, the lockout bookkeeping, and a server's own logins.
pub trait Sessions {
    fn insert_session(&self, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<i64>;
    /// The unrevoked, unexpired session with this token hash.
    fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    fn revoke_session(&self, id: i64) -> Result<()>;
    /// Revokes every live session of a user but `keep`; how many.
    fn revoke_user_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<usize>;
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
    /// Lets the user log in to the database server itself with this password (a store
    /// whose server authenticates people); the hash is set by `set_password`.
    fn set_login(&self, _id: i64, _secret: &SecretString) -> Result<()> {
        Ok(())
    }
    /// Whether the database server accepts this password for the user with this email
    /// (`None`: the store checks passwords itself, against the hash).
    fn server_verifies(&self, _email: &str, _pw: &SecretString) -> Result<Option<bool>> {
        Ok(None)
    }
}

/// The audit trail: an append-only hash chain.
pub trait Audit {
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
}

/// Laying the schema down, checking it, and copying a whole store in.
pub trait Maintenance {
    /// Brings the schema up to date; inside a write transaction.
    fn apply_migrations(&self) -> Result<()>;
    /// Whether `init` has completed (schema present and a user exists).
    fn is_initialized(&self) -> Result<bool>;
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
}

/// A whole engine: every concern. Implemented for any type that implements them all.
pub trait Backend:
    Transactions + Users + Packages + Assignments + Settings + Sessions + Audit + Maintenance
{
}

impl<T> Backend for T where
    T: Transactions + Users + Packages + Assignments + Settings + Sessions + Audit + Maintenance
{
}

/// The concern traits, imported without their names, so their methods can be called on
/// an engine.
pub mod prelude {
    pub use super::{
        Assignments as _, Audit as _, Maintenance as _, Packages as _, Sessions as _,
        Settings as _, Transactions as _, Users as _,
    };
}
