//! Every row the server sends, decoded: the columns each kind of row is read with
//! (`*_COLUMNS`) and the decoders (`*_from_row`), fallible throughout — a NULL where
//! none belongs, or a value of another type, is a damaged store (`Kind::Integrity`,
//! exit 8), never a panic. Kept in one file so the by-name decoder shared with SQLite
//! replaces it in one place.

use jiff::Timestamp;
use postgres::Row;

use super::Postgres;
use crate::authz::Arm;
use crate::error::{Error, Kind, Result};
use crate::model::{Checkpoint, Role, Status};
use crate::store::{
    AccessPair, AssignmentRow, AuditRow, Member, Package, Relation, User, UserBrief,
};

/// Reading a column by position without panicking: a NULL where none belongs, or a value
/// of another type, is a damaged store (exit 8), never a crash.
pub(super) trait Col {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T>;
}

impl Col for Row {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T> {
        self.try_get(i).map_err(|e| {
            let column = self.columns().get(i).map(|c| c.name()).unwrap_or("?");
            Error::new(
                Kind::Integrity,
                format!("a row of the store holds an unexpected value in `{column}`: {e}"),
            )
            .with_hint("run `gatehouse store doctor` as the installer; a hand-made change may have damaged it")
        })
    }
}

/// A text column by name: a NULL or another type is a damaged store, not a panic.
pub(super) fn row_text(r: &Row, column: &str) -> Result<String> {
    r.try_get::<_, String>(column).map_err(|e| {
        Error::new(
            Kind::Integrity,
            format!("unexpected value in column `{column}`: {e}"),
        )
    })
}

pub(super) const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, \
    u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
    u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
    u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, \
    (SELECT string_agg(p.name, chr(31)) FROM assignments a \
        JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id)";

/// The same, and the password hash: for the installer (a copy), whom no policy hides
/// it from.
const USER_COLUMNS_WITH_HASH: &str = "u.id, u.email, u.name, u.full_name, u.phone, u.role, \
    u.status, u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
    u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
    u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, \
    (SELECT string_agg(p.name, chr(31)) FROM assignments a \
        JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id), u.password_hash";

/// What a table of users shows.
pub(super) const BRIEF_COLUMNS: &str = "u.name, u.email, u.role, u.status, u.expires_at, \
    (SELECT count(*) FROM assignments a WHERE a.user_id = u.id), u.id, u.last_login_at, \
    u.locked_until";

pub(super) fn brief_from_row(r: &Row, now: &str) -> Result<UserBrief> {
    let role: String = r.col(2)?;
    let status: String = r.col(3)?;
    let expires: Option<String> = r.col(4)?;
    let locked: Option<String> = r.col(8)?;
    Ok(UserBrief {
        id: r.col(6)?,
        name: r.col(0)?,
        email: r.col(1)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        expired: expires.is_some_and(|e| e.as_str() <= now),
        locked: locked.is_some_and(|l| l.as_str() > now),
        package_count: r.col(5)?,
        last_login_at: r.col(7)?,
    })
}

pub(super) fn user_from_row(r: &Row, now: Timestamp) -> Result<User> {
    let role: String = r.col(5)?;
    let status: String = r.col(6)?;
    let packages: Option<String> = r.col(19)?;
    let mut u = User {
        id: r.col(0)?,
        email: r.col(1)?,
        name: r.col(2)?,
        full_name: r.col(3)?,
        phone: r.col(4)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        // No person's role may read it; only a copy, by the installer, does.
        password_hash: if r.len() > 20 { r.col(20)? } else { None },
        must_change_password: r.col(7)?,
        created_at: r.col(8)?,
        updated_at: r.col(9)?,
        last_login_at: r.col(10)?,
        password_changed_at: r.col(11)?,
        expires_at: r.col(12)?,
        failed_logins: r.col(13)?,
        locked_until: r.col(14)?,
        email_notifications: r.col(15)?,
        sms_notifications: r.col(16)?,
        shipment_updates: r.col(17)?,
        system_announcements: r.col(18)?,
        packages: packages
            .map(|p| {
                let mut names: Vec<String> = p.split('\u{1f}').map(str::to_string).collect();
                names.sort_by_key(|n| n.to_ascii_lowercase());
                names
            })
            .unwrap_or_default(),
        expired: false,
    };
    u.expired = u.is_expired(now);
    Ok(u)
}

pub(super) const PACKAGE_COLUMNS: &str = "p.id, p.name, p.description, p.status, p.created_by, \
    (SELECT email FROM users WHERE id = p.created_by), p.created_at, p.updated_at, \
    (SELECT count(*) FROM assignments a WHERE a.package_id = p.id)";

pub(super) fn package_from_row(r: &Row) -> Result<Package> {
    let status: String = r.col(3)?;
    Ok(Package {
        id: r.col(0)?,
        name: r.col(1)?,
        description: r.col(2)?,
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        created_by: r.col(4)?,
        created_by_email: r.col(5)?,
        created_at: r.col(6)?,
        updated_at: r.col(7)?,
        assigned_count: r.col(8)?,
    })
}

pub(super) const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor_email, action, target, details, result, reason, version, prev_hash, hash";

pub(super) fn audit_from_row(r: &Row) -> Result<AuditRow> {
    Ok(AuditRow {
        id: r.col(0)?,
        at: r.col(1)?,
        actor_id: r.col(2)?,
        actor_email: r.col(3)?,
        action: r.col(4)?,
        target: r.col(5)?,
        details: r.col(6)?,
        result: r.col(7)?,
        reason: r.col(8)?,
        version: r.col(9)?,
        prev_hash: r.col(10)?,
        hash: r.col(11)?,
    })
}

/// The head of the audit trail (`id, hash`).
pub(super) fn checkpoint_from_row(r: &Row) -> Result<Checkpoint> {
    Ok(Checkpoint {
        entry: r.col(0)?,
        hash: r.col(1)?,
    })
}

pub(super) const ASSIGNMENT_COLUMNS: &str = "user_id, package_id, assigned_by, assigned_at";

pub(super) fn assignment_from_row(r: &Row) -> Result<AssignmentRow> {
    Ok(AssignmentRow {
        user_id: r.col(0)?,
        package_id: r.col(1)?,
        assigned_by: r.col(2)?,
        assigned_at: r.col(3)?,
    })
}

/// A (user, package) pair, by the columns' names.
pub(super) fn pair_from_row(r: &Row) -> Result<(i64, i64)> {
    let get = |c: &str| {
        r.try_get::<_, i64>(c)
            .map_err(|e| Error::new(Kind::Integrity, format!("assignment row: {e}")))
    };
    Ok((get("user_id")?, get("package_id")?))
}

/// The user's columns of an access pair; then the package's name, the arm (`admin`,
/// `creator` or `assigned`) and the package's name key.
pub(super) const ACCESS_USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.status";

pub(super) fn access_pair_from_row(r: &Row) -> Result<AccessPair> {
    let role: String = r.col(3)?;
    let status: String = r.col(4)?;
    let arm: String = r.col(6)?;
    Ok(AccessPair {
        user_id: r.col(0)?,
        email: r.col(1)?,
        name: r.col(2)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        package: r.col(5)?,
        arm: match arm.as_str() {
            "admin" => Arm::Admin,
            "creator" => Arm::Creator,
            _ => Arm::Assigned,
        },
    })
}

/// A member of a package: user id, email, name, is an admin, is its creator, holds it,
/// by whom (email) and when.
pub(super) fn member_from_row(r: &Row) -> Result<Member> {
    Ok(Member {
        user_id: r.col(0)?,
        email: r.col(1)?,
        name: r.col(2)?,
        is_admin: r.col(3)?,
        relation: Relation {
            creator: r.col(4)?,
            assigned: r.col(5)?,
        },
        assigned_by: r.col(6)?,
        assigned_at: r.col(7)?,
    })
}

impl Postgres {
    /// What a user row reads: with the password hash for the installer (a copy), whom
    /// no policy hides it from; without it for a person, who may not read it.
    pub(super) fn user_columns(&self) -> &'static str {
        if self.me.is_none() {
            USER_COLUMNS_WITH_HASH
        } else {
            USER_COLUMNS
        }
    }
}
