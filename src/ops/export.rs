//! `user export` as an operation: every user, by email, for the command to write out in
//! the fields `user import` reads. An export with password hashes is on the audit trail
//! before a byte of them is out.

use serde_json::json;

use super::Transact;
use crate::authz::Command;
use crate::error::Result;
use crate::record::change_entry;
use crate::store::{Store, User, UserFilter, UserSort};

/// `user export`'s choices.
pub struct ExportOptions {
    /// Whether the users' password hashes go out too (recorded first).
    pub with_password_hashes: bool,
}

/// What was exported.
pub struct ExportReport {
    pub users: usize,
}

/// Hands each user, by email, to `each`, as `tx`'s person, who was authorized for
/// `user export`.
pub fn export(
    store: &Store,
    tx: Transact<'_>,
    opts: &ExportOptions,
    each: &mut dyn FnMut(&User) -> Result<()>,
) -> Result<ExportReport> {
    if opts.with_password_hashes {
        // Who took everyone's hashes is on the record before a byte of them is out.
        tx(true, &mut |s, me| {
            s.audit().append_audit(&change_entry(
                me,
                Command::UserExport,
                "all users",
                json!({ "with_password_hashes": true }),
            ))
        })?;
    }
    let filter = UserFilter {
        sort: UserSort::Email,
        ..Default::default()
    };
    let mut users = 0;
    store.each_user(&filter, |u| {
        users += 1;
        each(u)
    })?;
    Ok(ExportReport { users })
}
