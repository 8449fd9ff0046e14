//! What planning and writing share: the choices rows are planned and written by
//! ([`RowOptions`]), and what will happen to one row ([`Plan`]).

use secrecy::SecretString;

use crate::authz::Command;
use crate::input_formats::Row;
use crate::store::User;

/// What will happen to one row.
pub(crate) enum Plan {
    Create {
        row: Row,
        secret: Secret,
    },
    Update {
        row: Row,
        user: Box<User>,
        secret: Option<Secret>,
    },
    Skip {
        row: Row,
        id: i64,
    },
    Unchanged {
        row: Row,
        id: i64,
    },
}

/// Where a row's password comes from.
pub(crate) enum Secret {
    /// Plaintext from the file, or generated (then printed once).
    Plain { pw: SecretString, generated: bool },
    /// A PHC string from the file, stored as it is.
    Hash(String),
}

/// How rows are planned and written: `user import`'s flags, or `apply`'s fixed choices.
pub(crate) struct RowOptions {
    pub source: Source,
    /// Whether each row's outcome keeps its field changes (JSON output, dry runs, plans);
    /// otherwise a large import would hold them all until its summary.
    pub keep_changes: bool,
    pub on_conflict: OnConflict,
    pub generate_passwords: bool,
    /// `--unusable-hash`: what a new user whose credential cannot be used gets.
    pub unusable_hash: UnusableHash,
    pub create_packages: bool,
    /// `--must-change-password`: what a new user's row that says nothing gets.
    pub must_change: bool,
    /// Keys of packages that do not exist yet but will when the rows are written.
    pub declared_packages: Vec<String>,
    /// What the audit trail calls a user created, and one changed.
    pub audit_create: Command,
    pub audit_update: Command,
}

/// Which command the rows come from, for its messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Import,
    Apply,
}

/// `--on-conflict`: what a row does whose email is already a user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    Fail,
    Skip,
    Update,
}

/// `--unusable-hash`: what a new user whose credential cannot be used gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnusableHash {
    Refuse,
    Generate,
    Inactive,
}
