//! A whole-store copy into a server, by COPY: the tables and columns it fills, each
//! row as COPY's text-format fields, and the stream to the server. (What the copy sets
//! aside meanwhile is in `maintenance`, from the lists in `expected`.)

use std::io::Write;

use super::errors::pg_error;
use super::{role_for, Postgres};
use crate::error::{Error, Result};
use crate::store::{AssignmentRow, AuditRow, Package, User};

pub(super) const USERS: &str = "users (id, email, name, full_name, phone, role, status, \
    password_hash, must_change_password, created_at, updated_at, last_login_at, \
    password_changed_at, expires_at, failed_logins, locked_until, email_notifications, \
    sms_notifications, shipment_updates, system_announcements, role_name)";

pub(super) const PACKAGES: &str =
    "packages (id, name, description, status, created_by, created_at, updated_at)";

pub(super) const ASSIGNMENTS: &str = "assignments (user_id, package_id, assigned_by, assigned_at)";

pub(super) const AUDIT: &str = "audit (id, at, actor_id, actor_email, action, target, details, \
    result, reason, version, prev_hash, hash)";

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn b(v: bool) -> Option<String> {
    Some(if v { "t" } else { "f" }.to_string())
}

fn n(v: i64) -> Option<String> {
    Some(v.to_string())
}

/// A user as the fields of `USERS`.
pub(super) fn user_fields(u: &User) -> Vec<Option<String>> {
    vec![
        n(u.id),
        s(&u.email),
        s(&u.name),
        u.full_name.clone(),
        u.phone.clone(),
        s(u.role.as_str()),
        s(u.status.as_str()),
        u.password_hash.clone(),
        b(u.must_change_password),
        s(&u.created_at),
        s(&u.updated_at),
        u.last_login_at.clone(),
        u.password_changed_at.clone(),
        u.expires_at.clone(),
        n(u.failed_logins),
        u.locked_until.clone(),
        b(u.email_notifications),
        b(u.sms_notifications),
        b(u.shipment_updates),
        b(u.system_announcements),
        s(&role_for(&u.email)),
    ]
}

/// A package as the fields of `PACKAGES`.
pub(super) fn package_fields(p: &Package) -> Vec<Option<String>> {
    vec![
        n(p.id),
        s(&p.name),
        p.description.clone(),
        s(p.status.as_str()),
        p.created_by.map(|c| c.to_string()),
        s(&p.created_at),
        s(&p.updated_at),
    ]
}

/// An assignment as the fields of `ASSIGNMENTS`.
pub(super) fn assignment_fields(a: &AssignmentRow) -> Vec<Option<String>> {
    vec![
        n(a.user_id),
        n(a.package_id),
        a.assigned_by.map(|c| c.to_string()),
        s(&a.assigned_at),
    ]
}

/// An audit entry as the fields of `AUDIT`.
pub(super) fn audit_fields(a: &AuditRow) -> Vec<Option<String>> {
    vec![
        n(a.id),
        s(&a.at),
        a.actor_id.map(|c| c.to_string()),
        a.actor_email.clone(),
        s(&a.action),
        a.target.clone(),
        a.details.clone(),
        s(&a.result),
        a.reason.clone(),
        s(&a.version),
        s(&a.prev_hash),
        s(&a.hash),
    ]
}

/// A value as a field of COPY's text format.
fn copy_field(out: &mut String, v: Option<&str>) {
    match v {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// Rows in COPY's text format: fields tab-separated, one row a line.
fn copy_lines(rows: impl Iterator<Item = Vec<Option<String>>>) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, f) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            copy_field(&mut out, f.as_deref());
        }
        out.push('\n');
    }
    out
}

impl Postgres {
    /// Streams `rows` into `COPY table (columns) FROM STDIN`.
    pub(super) fn copy(
        &self,
        table_columns: &str,
        rows: impl Iterator<Item = Vec<Option<String>>>,
    ) -> Result<()> {
        let data = copy_lines(rows);
        let mut client = self.client.borrow_mut();
        let mut w = client
            .copy_in(&format!("COPY {table_columns} FROM STDIN"))
            .map_err(|e| pg_error(&self.info, e))?;
        w.write_all(data.as_bytes())
            .map_err(|e| Error::store(format!("copy to {}: {e}", self.info.place())))?;
        w.finish().map_err(|e| pg_error(&self.info, e))?;
        Ok(())
    }
}
