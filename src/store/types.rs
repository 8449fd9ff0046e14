//! What every store holds, whatever the database: users, packages, assignments,
//! sessions, audit entries, as typed values. Backends turn rows into these and back;
//! commands see nothing else. The audit chain's hash is defined here, once, so a chain
//! copied between stores still verifies.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::model::{fmt_ts, Email, Role, Status, UserRef};

/// A user as stored. `password_hash` never leaves the process: output has its own view.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub status: Status,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
    pub password_changed_at: Option<String>,
    pub expires_at: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub email_notifications: bool,
    pub sms_notifications: bool,
    pub shipment_updates: bool,
    pub system_announcements: bool,
    /// Names of the assigned packages, sorted.
    pub packages: Vec<String>,
    /// Past `expires_at` at the store's clock (set when the row is read).
    pub expired: bool,
}

impl std::fmt::Debug for User {
    // Hand-written so the password hash never reaches a log or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl User {
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at
            .as_deref()
            .is_some_and(|e| e <= fmt_ts(now).as_str())
    }

    pub fn locked_until(&self, now: Timestamp) -> Option<&str> {
        self.locked_until
            .as_deref()
            .filter(|l| *l > fmt_ts(now).as_str())
    }
}

/// What `user add` / `init` / import insert.
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub status: Status,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub expires_at: Option<Timestamp>,
    /// History carried over from another system (an import); `None` is now / never.
    pub created_at: Option<Timestamp>,
    pub last_login_at: Option<Timestamp>,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Default, Clone)]
pub struct UserChanges {
    pub name: Option<String>,
    pub full_name: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub expires_at: Option<Option<Timestamp>>,
    pub must_change_password: Option<bool>,
}

/// What a table of users shows, and no more: read without the rest of the row.
#[derive(Debug, Clone)]
pub struct UserBrief {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub status: Status,
    pub expired: bool,
    /// Locked out now by failed logins.
    pub locked: bool,
    pub package_count: i64,
    pub last_login_at: Option<String>,
}

/// A condition of the access review, as a filter on users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCondition {
    /// Active accounts.
    Active,
    /// Everyone with the admin role.
    Admins,
    /// Inactive users who still hold an assignment.
    InactiveHoldingPackages,
    /// Active users whose last login is before this time.
    LastLoginBefore(String),
    /// Active users who never logged in.
    NeverLoggedIn,
    /// Accounts whose expiry is at or before this time.
    ExpiredBy(String),
    /// Accounts that expire after the first time and at or before the second.
    ExpiringBetween(String, String),
    MustChangePassword,
    /// Accounts locked by failed logins past this time.
    LockedAt(String),
}

#[derive(Default)]
pub struct UserFilter {
    /// Only users assigned to the package of this name.
    pub package: Option<String>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub search: Option<String>,
    pub sort: UserSort,
    pub limit: Option<u64>,
    pub offset: u64,
    pub condition: Option<UserCondition>,
}

#[derive(Default, Clone, Copy)]
pub enum UserSort {
    #[default]
    Name,
    Email,
    Created,
    LastLogin,
}

/// A password verification admitted by the lockout, until its outcome is recorded.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt {
    pub id: i64,
}

/// Whether a password may be verified now.
#[derive(Debug, Clone, Copy)]
pub enum AttemptStart {
    Admitted(LoginAttempt),
    /// Locked: the password must not be tried.
    Locked,
    /// As many verifications are in flight as failures are still allowed: wait.
    Full,
}

pub fn user_not_found(r: &UserRef) -> Error {
    match r {
        UserRef::Id(id) => Error::not_found(format!("no user with id `{id}`")),
        UserRef::Email(e) => Error::not_found(format!("no user with email `{e}`")),
    }
    .with_hint("see `gatehouse user list`")
}

/// The refusal of a change that would leave the store without an active admin.
pub fn no_admin_left() -> Error {
    Error::conflict("refused: this would leave the store without an active admin")
        .with_hint("promote or activate another admin (one without an expiry date) first")
}

pub fn email_taken(email: &str) -> Error {
    Error::conflict(format!("a user with email `{email}` already exists"))
        .with_hint("use `--if-not-exists` to accept an existing user, or pick another email")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub status: Status,
    pub created_by: Option<i64>,
    pub created_by_email: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// How many users are assigned.
    pub assigned_count: i64,
}

pub use crate::model::Relation;

/// A (user, package) pair the rule lets the user reach, and the arm that does.
#[derive(Debug, Clone)]
pub struct AccessPair {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
    pub package: String,
    pub arm: crate::authz::Arm,
}

/// A member of a package: a user who can see it.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub relation: Relation,
    pub assigned_by: Option<String>,
    pub assigned_at: Option<String>,
}

pub fn package_taken(name: &str) -> Error {
    Error::conflict(format!("a package named `{name}` already exists"))
        .with_hint("package names are unique regardless of letter case")
}

/// The one message for a package that does not exist *or* that the caller may not see.
pub fn package_not_found(name: &str) -> Error {
    Error::not_found(format!("no package named `{name}`")).with_hint("see `gatehouse package list`")
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: serde_json::Value,
    pub result: &'static str,
    pub reason: Option<String>,
}

/// The hash before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub(crate) fn entry_hash(id: i64, prev_hash: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(id.to_be_bytes());
    h.update(prev_hash.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// An audit entry as stored.

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: Option<String>,
    pub result: String,
    pub reason: Option<String>,
    pub version: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An assignment as stored (for a whole-store copy).
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    pub user_id: i64,
    pub package_id: i64,
    pub assigned_by: Option<i64>,
    pub assigned_at: String,
}

/// Rows of each table, exactly as another store holds them (a whole-store copy).
pub enum CopyRows<'a> {
    Users(&'a [User]),
    Packages(&'a [Package]),
    Assignments(&'a [AssignmentRow]),
    Settings(&'a [(String, String)]),
    Audit(&'a [AuditRow]),
}

#[derive(Default)]
pub struct AuditFilter {
    pub since: Option<String>,
    pub until: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub limit: Option<u64>,
    /// In the order written (otherwise newest first).
    pub oldest_first: bool,
}

/// What `audit verify` found.
/// Checks a trail entry by entry, in id order, whatever store it comes from: ids
/// without gaps, each entry naming the previous one's hash, each hash matching its
/// entry, and — with a checkpoint — that entry still there with that hash.
pub struct ChainVerifier<'a> {
    checkpoint: Option<&'a crate::model::Checkpoint>,
    expected_id: i64,
    prev: String,
}

impl<'a> ChainVerifier<'a> {
    pub fn new(checkpoint: Option<&'a crate::model::Checkpoint>) -> Self {
        ChainVerifier {
            checkpoint,
            expected_id: 1,
            prev: GENESIS.to_string(),
        }
    }

    /// The next entry; `Some` when the chain breaks there.
    pub fn next(&mut self, e: &AuditRow) -> Option<ChainCheck> {
        let broken = |id, why: String| Some(ChainCheck::Broken { id, why });
        if e.id != self.expected_id {
            let id = self.expected_id;
            return broken(
                id,
                format!("entry {id} is missing (the next one is {})", e.id),
            );
        }
        if e.prev_hash != self.prev {
            return broken(
                e.id,
                format!("entry {} does not follow entry {}", e.id, e.id - 1),
            );
        }
        let actor_id = e.actor_id.map(|i| i.to_string()).unwrap_or_default();
        let computed = entry_hash(
            e.id,
            &e.prev_hash,
            &[
                &e.at,
                &actor_id,
                e.actor_email.as_deref().unwrap_or(""),
                &e.action,
                e.target.as_deref().unwrap_or(""),
                e.details.as_deref().unwrap_or(""),
                &e.result,
                e.reason.as_deref().unwrap_or(""),
                &e.version,
            ],
        );
        if computed != e.hash {
            let why = format!(
                "entry {} was altered: its content does not match its hash",
                e.id
            );
            return broken(e.id, why);
        }
        if self
            .checkpoint
            .is_some_and(|c| c.entry == e.id && c.hash != e.hash)
        {
            let why = format!(
                "entry {} does not match the checkpoint: the trail was rewritten",
                e.id
            );
            return broken(e.id, why);
        }
        self.prev = e.hash.clone();
        self.expected_id += 1;
        None
    }

    /// After the last entry: intact, unless a checkpoint names an entry that is gone.
    pub fn finish(self) -> ChainCheck {
        let n = self.expected_id - 1;
        match self.checkpoint.filter(|c| c.entry > n) {
            Some(c) => ChainCheck::Broken {
                id: n + 1,
                why: format!(
                    "the trail ends at entry {n}, but the checkpoint names entry {}: entries were removed",
                    c.entry
                ),
            },
            None => ChainCheck::Intact { entries: n as u64 },
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainCheck {
    Intact { entries: u64 },
    Broken { id: i64, why: String },
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub expires_at: String,
}
