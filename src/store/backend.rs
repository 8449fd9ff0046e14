//! What a database must do to hold a gatehouse store, as one small trait per concern:
//! the connection and its transactions, users, packages, assignments, settings,
//! sessions, the audit trail, and maintenance (schema, checks, copies). Each concern
//! that changes data is two traits: what reads it (`UserReads`) and, on top, what
//! changes it (`Users`), so the door can hand a decided read only the first.
//!
//! An operation whose SQL is the same on both engines is written once, here, as a
//! provided method: it builds its statement with [`super::sql`] and runs it through the
//! engine's [`Run`], decoding rows with [`super::rows`]. Each engine implements the rest,
//! one file per concern (`sqlite/users.rs` and `pg/users.rs` hold the same operations),
//! and [`Backend`] is simply all of them. Methods that change something run inside the
//! transaction the door opened; reads may run in or out of one. Rows come back as the
//! typed values of [`super::types`]; a UNIQUE violation is a conflict and a missing row a
//! not-found error, mapped by the engine.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use secrecy::SecretString;

use super::rows;
use super::run::{self, Run, Sealed, Size};
use super::sql::{self, Bind, Query, AUDIT_COLUMNS, BRIEF_COLUMNS, PACKAGE_COLUMNS};
use super::types::{
    package_taken, user_not_found, AccessPair, AssignmentRow, AttemptStart, AuditEntry,
    AuditFilter, AuditRow, ChainCheck, ChainVerifier, CopyRows, LoginAttempt, Member, NewUser,
    Package, Relation, SessionRow, User, UserBrief, UserChanges, UserCondition, UserFilter,
};
use crate::error::{Error, Result};
use crate::model::{fmt_ts, Checkpoint, Status, UserRef};

/// The connection and its transactions: what every other concern runs inside.
pub trait Transactions: Run {
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
    fn begin(&self, _: Sealed) -> Result<()>;
    /// Starts a read-only transaction: one consistent view, no lock held against writers.
    fn begin_read(&self, _: Sealed) -> Result<()>;
    fn commit(&self, _: Sealed) -> Result<()>;
    fn rollback(&self, _: Sealed) -> Result<()>;
    /// Whether a transaction is open.
    fn in_transaction(&self) -> bool;
    /// Whether commits must survive a power failure (login bookkeeping need not).
    fn set_durable(&self, durable: bool) -> Result<()> {
        let q = Query::plain(self.dialect().durability(durable));
        run::execute(self, &q).map(|_| ())
    }
    /// Room for one big transaction's pages (`user import`).
    fn set_cache_kib(&self, kib: u32) -> Result<()>;
}

/// The user records, read: lookups, counts and streams (what a decided read may do).
pub trait UserReads: Transactions {
    fn user(&self, r: &UserRef) -> Result<Option<User>> {
        match r {
            UserRef::Id(id) => user_where(self, "u.id", Bind::Int(*id)),
            UserRef::Email(e) => self.user_by_email(e.as_str()),
        }
    }
    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        user_where(self, "u.email", Bind::Text(email.to_string()))
    }
    /// Just the id of the user with this email, without reading the row.
    fn user_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        let sql = "SELECT id FROM users WHERE email = {1}";
        run::lookup(self, sql, vec![Bind::Text(email.into())], |r| r.int("id"))
    }
    /// The user, or a not-found error naming them.
    fn require_user(&self, r: &UserRef) -> Result<User> {
        self.user(r)?.ok_or_else(|| user_not_found(r))
    }
    fn user_by_id(&self, id: i64) -> Result<User> {
        self.require_user(&UserRef::Id(id))
    }
    fn count_users(&self) -> Result<i64> {
        run::one(
            self,
            &Query::plain("SELECT count(*) AS n FROM users"),
            |r| r.int("n"),
        )
    }
    /// How many users meet each condition, in one pass.
    fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>> {
        if conditions.is_empty() {
            return Ok(Vec::new());
        }
        let q = sql::count_users_each(self.dialect(), conditions);
        run::one(self, &q, |r| {
            (0..conditions.len())
                .map(|i| r.count(&format!("c{i}")))
                .collect()
        })
    }
    /// Active admins whom time alone cannot take away (no expiry date).
    fn count_lasting_admins(&self) -> Result<i64>;
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
    /// The users matching a filter, with their password hashes where this connection
    /// reads them (a copy, an export); `each` may use the store.
    fn for_each_user(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        let columns = sql::user_columns(self.dialect(), self.reads_hashes());
        users_read(self, Size::Any, f, &columns, each)
    }
    /// [`Users::for_each_user`] for a caller whose `each` never uses the store and
    /// only shows the users (a list, a review): without the password hashes, which
    /// are never shown, and the rows may stream as the server sends them.
    fn stream_users(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        let columns = sql::user_columns(self.dialect(), false);
        users_read(self, Size::Streamed, f, &columns, each)
    }
    /// The users matching a filter, with only what a table of them shows; `each` must
    /// not use the store (rows may stream as the server sends them).
    fn stream_user_briefs(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()> {
        let now = fmt_ts(self.now());
        let q = sql::users(self.dialect(), f, BRIEF_COLUMNS);
        run::each(
            self,
            Size::Streamed,
            &q,
            |r| rows::user_brief(r, &now),
            each,
        )
    }
}

/// The user records, changed (in the write transaction the door opened).
pub trait Users: UserReads {
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
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User>;
    /// Stores a new password hash; clears a lockout. `must_change` sets the flag.
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User>;
    /// Replaces a hash only if it is still `old`; whether it did.
    fn upgrade_hash(&self, id: i64, old: &str, new: &str) -> Result<bool>;
    /// Deletes a user with their sessions and assignments; their packages stay.
    fn delete_user(&self, id: i64) -> Result<()>;
    fn unlock_user(&self, id: i64) -> Result<User>;
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()>;
}

/// The packages, read.
pub trait PackageReads: Transactions {
    /// The package of this name, regardless of letter case (by its canonical key).
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        let d = self.dialect();
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.name_key = {}",
            d.name_key("{1}")
        );
        let key = Bind::Text(d.name_key_value(name));
        run::lookup(self, &sql, vec![key], |r| rows::package(r))
    }
    fn package_by_id(&self, id: i64) -> Result<Package> {
        let sql = format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = {{1}}");
        run::lookup(self, &sql, vec![Bind::Int(id)], |r| rows::package(r))?
            .ok_or_else(|| Error::not_found(format!("no package with id `{id}`")))
    }
    /// Packages in name order: all, or those `visible_to` a regular user can see.
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::packages(self.dialect(), visible_to, include_inactive);
        run::each(self, Size::Bounded, &q, |r| rows::package(r), each)
    }
    fn count_packages(&self) -> Result<u64> {
        run::one(
            self,
            &Query::plain("SELECT count(*) AS n FROM packages"),
            |r| r.count("n"),
        )
    }
    /// Packages no active, unexpired regular user (at `now`) created or is assigned.
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let q = sql::count_admin_only_packages(self.dialect(), now);
        run::one(self, &q, |r| r.count("n"))
    }
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::admin_only_packages(self.dialect(), now, limit);
        run::each(self, Size::Bounded, &q, |r| rows::package(r), each)
    }
}

/// The packages, changed (who reaches them is [`Assignments`]).
pub trait Packages: PackageReads {
    /// A new package; a name already taken (in any letter case) is a conflict.
    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        let now = fmt_ts(self.now());
        let q = sql::insert_package(self.dialect(), name, description, created_by, &now);
        let id = run::one(self, &q, |r| r.int("id")).map_err(|e| name_taken(e, name))?;
        self.package_by_id(id)
    }
    /// Renames, re-describes or changes the status of a package (`Some(None)` clears
    /// the description).
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        let now = fmt_ts(self.now());
        let q = sql::update_package(self.dialect(), id, name, description, status, &now);
        run::execute(self, &q).map_err(|e| name_taken(e, name.unwrap_or_default()))?;
        self.package_by_id(id)
    }
    /// Deletes a package; its assignments go with it.
    fn delete_package(&self, id: i64) -> Result<()> {
        let q = self
            .dialect()
            .query("DELETE FROM packages WHERE id = {1}", vec![Bind::Int(id)]);
        run::execute(self, &q).map(|_| ())
    }
}

/// A UNIQUE violation on writing a package as its name being taken; another error as
/// it is.
fn name_taken(e: Error, name: &str) -> Error {
    if run::is_taken(&e) {
        package_taken(name)
    } else {
        e
    }
}

/// Who is assigned which package, read, and what the access rule makes of it.
pub trait AssignmentReads: Run {
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation> {
        let q = self.dialect().query(
            "SELECT EXISTS (SELECT 1 FROM assignments WHERE user_id = {1} AND package_id = {2}) \
             AS assigned",
            vec![Bind::Int(user_id), Bind::Int(package.id)],
        );
        Ok(Relation {
            creator: package.created_by == Some(user_id),
            assigned: run::one(self, &q, |r| r.flag("assigned"))?,
        })
    }
    /// Which of these users are assigned which of these packages, in one query (a grid of
    /// relations costs one round trip, not one per cell).
    fn assigned_among(&self, user_ids: &[i64], package_ids: &[i64]) -> Result<HashSet<(i64, i64)>>;
    /// Every (user, package) pair the rule reaches, with its arm, by email and name.
    /// `each` must not use the store: the rows may stream as the server sends them.
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()> {
        let q = sql::access_pairs(self.dialect());
        run::each(self, Size::Streamed, &q, |r| rows::access_pair(r), each)
    }
    fn members(&self, package: &Package) -> Result<Vec<Member>> {
        let q = sql::members(self.dialect(), package.id, package.created_by);
        run::all(self, &q, |r| rows::member(r))
    }
    /// Every assignment, as stored.
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>> {
        let q = Query::plain(
            "SELECT user_id, package_id, assigned_by, assigned_at FROM assignments \
             ORDER BY user_id, package_id",
        );
        run::all(self, &q, |r| rows::assignment(r))
    }
}

/// Who is assigned which package, changed.
pub trait Assignments: AssignmentReads {
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
}

/// The store's settings, read.
pub trait SettingReads: Run {
    /// A setting, or `None` when unset.
    fn setting(&self, key: &str) -> Result<Option<String>> {
        let sql = "SELECT value FROM settings WHERE key = {1}";
        run::lookup(self, sql, vec![Bind::Text(key.into())], |r| r.text("value"))
    }
    /// Every setting, by key.
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        let q = Query::plain("SELECT key, value FROM settings ORDER BY key");
        run::all(self, &q, |r| rows::setting(r))
    }
}

/// The store's settings, set.
pub trait Settings: SettingReads {
    /// Sets a setting; setting it to the value it has changes no row.
    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let q = self.dialect().query(
            "INSERT INTO settings (key, value) VALUES ({1}, {2}) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value \
             WHERE settings.value IS DISTINCT FROM excluded.value",
            vec![Bind::Text(key.to_string()), Bind::Text(value.to_string())],
        );
        run::execute(self, &q).map(|_| ())
    }
}

/// Logging in, read: a saved session, and whether a server accepts a password.
pub trait SessionReads {
    /// The unrevoked, unexpired session with this token hash.
    fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    /// Whether the database server accepts this password for the user with this email
    /// (`None`: the store checks passwords itself, against the hash).
    fn server_verifies(&self, _email: &str, _pw: &SecretString) -> Result<Option<bool>> {
        Ok(None)
    }
}

/// Logging in, written: saved sessions, the lockout bookkeeping, and a server's own
/// logins.
pub trait Sessions: SessionReads {
    fn insert_session(&self, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<i64>;
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
}

/// The audit trail, read and verified.
pub trait AuditReads: Run {
    /// The entries a filter keeps, newest first unless it asks otherwise.
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        let q = sql::audit(self.dialect(), f);
        run::each(self, Size::Any, &q, |r| rows::audit_row(r), each)
    }
    /// Walks the chain from the first entry (see [`ChainVerifier`]); with a checkpoint,
    /// the chain must also still hold that entry with that hash. The first break is the
    /// answer: the entries after it are not decoded, so a damaged one cannot change it.
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        let mut chain = ChainVerifier::new(checkpoint);
        let mut broken = None;
        let q = Query::plain(format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"));
        self.rows_batched(Sealed(()), &q, &mut |row| {
            if broken.is_none() {
                let entry = rows::audit_row(row).map_err(|e| self.damaged(e))?;
                broken = chain.next(&entry);
            }
            Ok(())
        })?;
        Ok(broken.unwrap_or_else(|| chain.finish()))
    }
    /// The last entry's number and hash (none in an empty trail).
    fn audit_head(&self) -> Result<Option<Checkpoint>> {
        let q = Query::plain("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
        run::first(self, &q, |r| rows::checkpoint(r))
    }
}

/// The audit trail, appended to: an append-only hash chain.
pub trait Audit: AuditReads {
    fn append_audit(&self, e: &AuditEntry) -> Result<()>;
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

/// The user whose `column` (of `users u`) is `value`, if any: a lookup of one user, with
/// the password hash where the store checks passwords itself ([`Run::hash_in_lookups`]).
fn user_where<R: Transactions + ?Sized>(r: &R, column: &str, value: Bind) -> Result<Option<User>> {
    let columns = sql::user_columns(r.dialect(), r.hash_in_lookups());
    let sql = format!("SELECT {columns} FROM users u WHERE {column} = {{1}}");
    run::lookup(r, &sql, vec![value], |row| rows::user(row, r.now()))
}

/// The users matching a filter, read as `size` says, with `columns`.
fn users_read<R: Transactions + ?Sized>(
    r: &R,
    size: Size,
    f: &UserFilter,
    columns: &str,
    each: &mut dyn FnMut(&User) -> Result<()>,
) -> Result<()> {
    let q = sql::users(r.dialect(), f, columns);
    run::each(r, size, &q, |row| rows::user(row, r.now()), each)
}

/// Packages, settings and reading the audit trail are the same on every engine:
/// everything about them is the shared SQL above.
impl<T: Transactions> PackageReads for T {}
impl<T: Transactions> Packages for T {}
impl<T: Run> SettingReads for T {}
impl<T: Run> Settings for T {}
impl<T: Run> AuditReads for T {}

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
        AssignmentReads as _, Assignments as _, Audit as _, AuditReads as _, Maintenance as _,
        PackageReads as _, Packages as _, SessionReads as _, Sessions as _, SettingReads as _,
        Settings as _, Transactions as _, UserReads as _, Users as _,
    };
}

#[cfg(test)]
mod tests {
    use crate::authz::can_see;
    use crate::model::{Role, Status};
    use crate::store::{NewUser, Store, DEFAULT_BUSY_TIMEOUT};

    /// The SQL that lists a user's packages is the rule's `see` arm written again: check
    /// it against `authz::can_see` for every role and relation.
    #[test]
    fn the_visibility_sql_agrees_with_the_rule() {
        let dir = tempfile::tempdir().unwrap();
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let store = Store::create(&dir.path().join("g.db"), now, DEFAULT_BUSY_TIMEOUT).unwrap();
        let user = |s: &Store, email: &str, role: Role| {
            s.users().insert_user_id(&NewUser {
                email: email.parse().unwrap(),
                name: email.into(),
                full_name: None,
                phone: None,
                role,
                status: Status::Active,
                password_hash: None,
                must_change_password: false,
                expires_at: None,
                created_at: None,
                last_login_at: None,
            })
        };
        let users = store
            .write(|s| {
                s.maintenance().apply_migrations()?;
                let admin = user(s, "root@example.com", Role::Admin)?;
                let mut users = vec![(admin, Role::Admin)];
                for (i, role) in [Role::Admin, Role::User].into_iter().enumerate() {
                    for rel in 0..4 {
                        let id = user(s, &format!("u{i}{rel}@example.com"), role)?;
                        let creator = if rel & 1 == 1 { id } else { admin };
                        let p =
                            s.packages()
                                .insert_package(&format!("p{i}{rel}"), None, creator)?;
                        if rel & 2 == 2 {
                            s.assignments().assign(id, p.id, admin)?;
                        }
                        users.push((id, role));
                    }
                }
                Ok(users)
            })
            .unwrap();
        for (id, role) in users {
            let mut listed = Vec::new();
            let visible_to = (role != Role::Admin).then_some(id);
            store
                .each_package(visible_to, true, |p| {
                    listed.push(p.name.clone());
                    Ok(())
                })
                .unwrap();
            let mut expected = Vec::new();
            store
                .each_package(None, true, |p| {
                    let rel = store.assignments().relation(id, p)?;
                    if can_see(role, rel).is_some() {
                        expected.push(p.name.clone());
                    }
                    Ok(())
                })
                .unwrap();
            assert_eq!(listed, expected, "user {id} ({role:?})");
        }
    }
}
