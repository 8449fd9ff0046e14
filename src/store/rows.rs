//! Rows into typed values, by column name and fallibly, once for both engines.
//!
//! [`Columns`] reads one column of a row by its name; it is implemented for a
//! `rusqlite::Row` and a `postgres::Row`, which differ only in how a value is fetched
//! ([`Columns::cell`]): the rules — what is text, a number or a flag, and what a NULL
//! where none belongs means — are written here once. Both engines store timestamps as
//! text; a flag is an INTEGER 0/1 in SQLite and a `boolean` in PostgreSQL.
//!
//! The decoders below (`user`, `package`, `audit_row`, …) turn a row into one shape of
//! [`super::types`], naming the columns the queries of [`super::sql`] select. A NULL,
//! a value of another type or one gatehouse never writes is a damaged store: a
//! [`Kind::Integrity`] error (exit 8) naming the column, never a panic and never a
//! silent default.

use jiff::Timestamp;

use super::types::{
    AccessPair, AssignmentRow, AuditRow, Member, Package, Relation, SessionRow, User, UserBrief,
};
use crate::authz::Arm;
use crate::error::{Error, Kind, Result};
use crate::model::{Checkpoint, Role, Status};

/// One value of a row, as the engine handed it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    /// A value of a type gatehouse never stores (named for the message).
    Other(String),
}

/// Reading the columns of a row by name. An engine implements [`Columns::cell`] and
/// [`Columns::has`]; the typed readers are the same for every engine.
pub trait Columns {
    /// The value in column `name`; a column the query did not select is a bug.
    fn cell(&self, name: &str) -> Result<Cell>;

    /// Whether the query selected a column of this name.
    fn has(&self, name: &str) -> bool;

    fn text(&self, name: &str) -> Result<String> {
        self.opt_text(name)?.ok_or_else(|| drift(name, "NULL"))
    }

    fn opt_text(&self, name: &str) -> Result<Option<String>> {
        match self.cell(name)? {
            Cell::Null => Ok(None),
            Cell::Text(s) => Ok(Some(s)),
            other => Err(drift(name, other.kind())),
        }
    }

    fn int(&self, name: &str) -> Result<i64> {
        self.opt_int(name)?.ok_or_else(|| drift(name, "NULL"))
    }

    fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        match self.cell(name)? {
            Cell::Null => Ok(None),
            Cell::Int(i) => Ok(Some(i)),
            other => Err(drift(name, other.kind())),
        }
    }

    /// A count (never negative).
    fn count(&self, name: &str) -> Result<u64> {
        let n = self.int(name)?;
        u64::try_from(n).map_err(|_| drift(name, format!("the count {n}")))
    }

    /// A boolean: `boolean` in PostgreSQL, INTEGER 0 or 1 in SQLite.
    fn flag(&self, name: &str) -> Result<bool> {
        match self.cell(name)? {
            Cell::Bool(b) => Ok(b),
            Cell::Int(0) => Ok(false),
            Cell::Int(1) => Ok(true),
            Cell::Int(i) => Err(drift(name, format!("the integer {i}, not 0 or 1"))),
            other => Err(drift(name, other.kind())),
        }
    }

    /// A role, as the schema's CHECK allows it.
    fn role(&self, name: &str) -> Result<Role> {
        let s = self.text(name)?;
        Role::parse_db(&s).ok_or_else(|| drift(name, format!("the role `{s}`")))
    }

    /// A status, as the schema's CHECK allows it.
    fn status(&self, name: &str) -> Result<Status> {
        let s = self.text(name)?;
        Status::parse_db(&s).ok_or_else(|| drift(name, format!("the status `{s}`")))
    }
}

impl Cell {
    fn kind(&self) -> String {
        match self {
            Cell::Null => "NULL".into(),
            Cell::Int(i) => format!("the integer {i}"),
            Cell::Bool(b) => format!("the boolean {b}"),
            Cell::Text(_) => "text".into(),
            Cell::Other(t) => format!("a value of type {t}"),
        }
    }
}

/// A value where the schema allows no such thing: the store was damaged or edited by
/// hand.
pub fn drift(column: &str, found: impl std::fmt::Display) -> Error {
    Error::new(
        Kind::Integrity,
        format!("a row of the store holds an unexpected value in `{column}`: {found}"),
    )
    .with_hint("run `gatehouse store doctor`")
}

/// A column the query did not select: gatehouse's own SQL and its decoder disagree.
fn missing(column: &str) -> Error {
    Error::internal(format!("a query of gatehouse selects no column `{column}`"))
}

/// A SQLite row with its statement's column names read once. rusqlite finds a column by
/// name with a case-insensitive scan of the statement's C strings on every call; at
/// twenty columns a row, that was half of what `user list` spent.
pub struct SqliteRow<'a, 'stmt> {
    row: &'a rusqlite::Row<'stmt>,
    names: &'a [String],
    next: Position,
}

impl<'a, 'stmt> SqliteRow<'a, 'stmt> {
    pub fn new(row: &'a rusqlite::Row<'stmt>, names: &'a [String]) -> Self {
        SqliteRow {
            row,
            names,
            next: Position::default(),
        }
    }
}

impl Columns for SqliteRow<'_, '_> {
    fn cell(&self, name: &str) -> Result<Cell> {
        let at = self
            .next
            .find(self.names.len(), |i| &self.names[i], name)
            .ok_or_else(|| missing(name))?;
        sqlite_cell(self.row.get_ref(at).map_err(|_| missing(name))?, name)
    }

    fn has(&self, name: &str) -> bool {
        self.next
            .locate(self.names.len(), |i| &self.names[i], name)
            .is_some()
    }
}

/// Where the next column read is likely to be. The decoders read a row's columns in the
/// order the query selects them, so the column after the last one found is tried
/// first, and a lookup by name costs one comparison instead of a scan.
#[derive(Default)]
struct Position(std::cell::Cell<usize>);

impl Position {
    /// The index of the column called `name` among `len` columns named by `name_at`;
    /// the next guess is the column after it.
    fn find<'n>(
        &self,
        len: usize,
        name_at: impl Fn(usize) -> &'n str,
        name: &str,
    ) -> Option<usize> {
        let at = self.locate(len, name_at, name)?;
        self.0.set(at + 1);
        Some(at)
    }

    /// [`Position::find`], leaving the guess where it is (asking whether a column is
    /// there does not read it).
    fn locate<'n>(
        &self,
        len: usize,
        name_at: impl Fn(usize) -> &'n str,
        name: &str,
    ) -> Option<usize> {
        let guess = self.0.get();
        if guess < len && name_at(guess) == name {
            return Some(guess);
        }
        (0..len).find(|&i| name_at(i) == name)
    }
}

fn sqlite_cell(value: rusqlite::types::ValueRef<'_>, name: &str) -> Result<Cell> {
    use rusqlite::types::ValueRef;
    Ok(match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(s) => Cell::Text(s.to_string()),
            Err(_) => return Err(drift(name, "text that is not UTF-8")),
        },
        ValueRef::Real(r) => Cell::Other(format!("REAL ({r})")),
        ValueRef::Blob(_) => Cell::Other("BLOB".into()),
    })
}

/// A PostgreSQL row, its columns found as [`SqliteRow`]'s are.
pub struct PgRow<'a> {
    row: &'a postgres::Row,
    next: Position,
}

impl<'a> PgRow<'a> {
    pub fn new(row: &'a postgres::Row) -> Self {
        PgRow {
            row,
            next: Position::default(),
        }
    }
}

impl Columns for PgRow<'_> {
    fn cell(&self, name: &str) -> Result<Cell> {
        use postgres::types::Type;
        let columns = self.row.columns();
        let at = self
            .next
            .find(columns.len(), |i| columns[i].name(), name)
            .ok_or_else(|| missing(name))?;
        let row = self.row;
        let bad = |e: postgres::Error| drift(name, e);
        let cell = |v: Option<Cell>| v.unwrap_or(Cell::Null);
        Ok(match *columns[at].type_() {
            Type::INT8 => cell(
                row.try_get::<_, Option<i64>>(at)
                    .map_err(bad)?
                    .map(Cell::Int),
            ),
            Type::INT4 => cell(
                row.try_get::<_, Option<i32>>(at)
                    .map_err(bad)?
                    .map(|i| Cell::Int(i.into())),
            ),
            Type::INT2 => cell(
                row.try_get::<_, Option<i16>>(at)
                    .map_err(bad)?
                    .map(|i| Cell::Int(i.into())),
            ),
            Type::BOOL => cell(
                row.try_get::<_, Option<bool>>(at)
                    .map_err(bad)?
                    .map(Cell::Bool),
            ),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => cell(
                row.try_get::<_, Option<String>>(at)
                    .map_err(bad)?
                    .map(Cell::Text),
            ),
            ref other => Cell::Other(other.name().to_string()),
        })
    }

    fn has(&self, name: &str) -> bool {
        let columns = self.row.columns();
        self.next
            .locate(columns.len(), |i| columns[i].name(), name)
            .is_some()
    }
}

/// A one-off row (a `RETURNING`, a count) read without a [`PgRow`] of its own.
impl Columns for postgres::Row {
    fn cell(&self, name: &str) -> Result<Cell> {
        PgRow::new(self).cell(name)
    }

    fn has(&self, name: &str) -> bool {
        PgRow::new(self).has(name)
    }
}

/// A user: the columns of [`super::sql::user_columns`]. `password_hash` is read when
/// selected (a PostgreSQL person never may). `now` decides `expired`.
pub fn user<R: Columns + ?Sized>(r: &R, now: Timestamp) -> Result<User> {
    let mut u = User {
        id: r.int("id")?,
        email: r.text("email")?,
        name: r.text("name")?,
        full_name: r.opt_text("full_name")?,
        phone: r.opt_text("phone")?,
        role: r.role("role")?,
        status: r.status("status")?,
        password_hash: None,
        must_change_password: r.flag("must_change_password")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
        last_login_at: r.opt_text("last_login_at")?,
        password_changed_at: r.opt_text("password_changed_at")?,
        expires_at: r.opt_text("expires_at")?,
        failed_logins: r.int("failed_logins")?,
        locked_until: r.opt_text("locked_until")?,
        email_notifications: r.flag("email_notifications")?,
        sms_notifications: r.flag("sms_notifications")?,
        shipment_updates: r.flag("shipment_updates")?,
        system_announcements: r.flag("system_announcements")?,
        packages: package_names(r.opt_text("packages")?),
        expired: false,
    };
    // Selected last, when at all: read in the order of the columns.
    if r.has("password_hash") {
        u.password_hash = r.opt_text("password_hash")?;
    }
    u.expired = u.is_expired(now);
    Ok(u)
}

/// The assigned packages' names, joined by the unit separator (U+001F), sorted here (as
/// an ASCII-case-insensitive order) rather than by the database: a sort per row costs
/// the query a fifth.
fn package_names(joined: Option<String>) -> Vec<String> {
    let Some(joined) = joined else {
        return Vec::new();
    };
    let mut names: Vec<String> = joined.split('\u{1f}').map(str::to_string).collect();
    names.sort_by_key(|n| n.to_ascii_lowercase());
    names
}

/// What a table of users shows: [`super::sql::BRIEF_COLUMNS`]. `now` (formatted)
/// decides `expired` and `locked`.
pub fn user_brief<R: Columns + ?Sized>(r: &R, now: &str) -> Result<UserBrief> {
    // In the order of the columns.
    let (id, name, email) = (r.int("id")?, r.text("name")?, r.text("email")?);
    let (role, status) = (r.role("role")?, r.status("status")?);
    let expires = r.opt_text("expires_at")?;
    let package_count = r.int("package_count")?;
    let last_login_at = r.opt_text("last_login_at")?;
    let locked = r.opt_text("locked_until")?;
    Ok(UserBrief {
        id,
        name,
        email,
        role,
        status,
        expired: expires.is_some_and(|e| e.as_str() <= now),
        locked: locked.is_some_and(|l| l.as_str() > now),
        package_count,
        last_login_at,
    })
}

/// A package: [`super::sql::PACKAGE_COLUMNS`].
pub fn package<R: Columns + ?Sized>(r: &R) -> Result<Package> {
    Ok(Package {
        id: r.int("id")?,
        name: r.text("name")?,
        description: r.opt_text("description")?,
        status: r.status("status")?,
        created_by: r.opt_int("created_by")?,
        created_by_email: r.opt_text("created_by_email")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
        assigned_count: r.int("assigned_count")?,
    })
}

/// An audit entry: [`super::sql::AUDIT_COLUMNS`].
pub fn audit_row<R: Columns + ?Sized>(r: &R) -> Result<AuditRow> {
    Ok(AuditRow {
        id: r.int("id")?,
        at: r.text("at")?,
        actor_id: r.opt_int("actor_id")?,
        actor_email: r.opt_text("actor_email")?,
        action: r.text("action")?,
        target: r.opt_text("target")?,
        details: r.opt_text("details")?,
        result: r.text("result")?,
        reason: r.opt_text("reason")?,
        version: r.text("version")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

/// The head of the trail: columns `id` and `hash`.
pub fn checkpoint<R: Columns + ?Sized>(r: &R) -> Result<Checkpoint> {
    Ok(Checkpoint {
        entry: r.int("id")?,
        hash: r.text("hash")?,
    })
}

/// A member of a package: [`super::sql::members`].
pub fn member<R: Columns + ?Sized>(r: &R) -> Result<Member> {
    Ok(Member {
        user_id: r.int("user_id")?,
        email: r.text("email")?,
        name: r.text("name")?,
        is_admin: r.flag("is_admin")?,
        relation: Relation {
            creator: r.flag("creator")?,
            assigned: r.flag("assigned")?,
        },
        assigned_by: r.opt_text("assigned_by")?,
        assigned_at: r.opt_text("assigned_at")?,
    })
}

/// A pair the rule reaches: [`super::sql::access_pairs`].
pub fn access_pair<R: Columns + ?Sized>(r: &R) -> Result<AccessPair> {
    Ok(AccessPair {
        user_id: r.int("user_id")?,
        email: r.text("email")?,
        name: r.text("name")?,
        role: r.role("role")?,
        status: r.status("status")?,
        package: r.text("package")?,
        arm: match r.text("arm")?.as_str() {
            "admin" => Arm::Admin,
            "creator" => Arm::Creator,
            "assigned" => Arm::Assigned,
            other => return Err(drift("arm", format!("the arm `{other}`"))),
        },
    })
}

/// An assignment as stored: `user_id, package_id, assigned_by, assigned_at`.
pub fn assignment<R: Columns + ?Sized>(r: &R) -> Result<AssignmentRow> {
    Ok(AssignmentRow {
        user_id: r.int("user_id")?,
        package_id: r.int("package_id")?,
        assigned_by: r.opt_int("assigned_by")?,
        assigned_at: r.text("assigned_at")?,
    })
}

/// A live session: `id, user_id, expires_at`.
pub fn session<R: Columns + ?Sized>(r: &R) -> Result<SessionRow> {
    Ok(SessionRow {
        id: r.int("id")?,
        user_id: r.int("user_id")?,
        expires_at: r.text("expires_at")?,
    })
}

/// A setting: `key, value`.
pub fn setting<R: Columns + ?Sized>(r: &R) -> Result<(String, String)> {
    Ok((r.text("key")?, r.text("value")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_row<T>(sql: &str, f: impl FnOnce(&SqliteRow<'_, '_>) -> T) -> T {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let mut rows = stmt.query([]).unwrap();
        let row = rows.next().unwrap().unwrap();
        f(&SqliteRow::new(row, &names))
    }

    #[test]
    fn sqlite_values_are_read_by_name() {
        with_row(
            "SELECT 'x' AS t, NULL AS n, 7 AS i, 1 AS yes, 0 AS no, 'admin' AS r",
            |r| {
                assert_eq!(r.text("t").unwrap(), "x");
                assert_eq!(r.opt_text("n").unwrap(), None);
                assert_eq!(r.opt_int("n").unwrap(), None);
                assert_eq!(r.int("i").unwrap(), 7);
                assert_eq!(r.count("i").unwrap(), 7);
                assert!(r.flag("yes").unwrap());
                assert!(!r.flag("no").unwrap());
                assert_eq!(r.role("r").unwrap(), Role::Admin);
                assert!(r.has("t"));
                assert!(!r.has("absent"));
            },
        );
    }

    #[test]
    fn sqlite_null_and_drift_are_integrity_errors_naming_the_column() {
        with_row(
            "SELECT NULL AS email, 'x' AS id, 2 AS flag, 1.5 AS r, x'00' AS b, 'boss' AS role, \
             -1 AS n",
            |r| {
                for (err, column) in [
                    (r.text("email").unwrap_err(), "email"),
                    (r.int("id").unwrap_err(), "id"),
                    (r.flag("flag").unwrap_err(), "flag"),
                    (r.text("r").unwrap_err(), "r"),
                    (r.opt_text("b").unwrap_err(), "b"),
                    (r.role("role").unwrap_err(), "role"),
                    (r.count("n").unwrap_err(), "n"),
                ] {
                    assert_eq!(err.kind, Kind::Integrity, "{err:?}");
                    assert!(err.message.contains(&format!("`{column}`")), "{err:?}");
                    assert_eq!(
                        err.hint.as_deref(),
                        Some("run `gatehouse store doctor`"),
                        "{err:?}"
                    );
                }
                assert_eq!(r.text("nope").unwrap_err().kind, Kind::Internal);
            },
        );
    }

    #[test]
    fn a_user_decodes_and_a_damaged_one_names_its_column() {
        let cols = "1 AS id, 'a@example.com' AS email, 'A' AS name, NULL AS full_name, \
            NULL AS phone, 'user' AS role, 'active' AS status, 0 AS must_change_password, \
            't0' AS created_at, 't0' AS updated_at, NULL AS last_login_at, \
            NULL AS password_changed_at, '2000-01-01T00:00:00Z' AS expires_at, \
            0 AS failed_logins, NULL AS locked_until, 1 AS email_notifications, \
            0 AS sms_notifications, 1 AS shipment_updates, 1 AS system_announcements";
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let sql = format!("SELECT {cols}, 'b' || char(31) || 'A' AS packages");
        let u = with_row(&sql, |r| user(r, now)).unwrap();
        assert_eq!(u.packages, ["A", "b"]);
        assert!(u.expired);
        assert_eq!(u.password_hash, None);
        let sql = format!("SELECT {cols}, NULL AS packages, 'h' AS password_hash");
        let u = with_row(&sql, |r| user(r, now)).unwrap();
        assert_eq!(u.password_hash.as_deref(), Some("h"));
        assert!(u.packages.is_empty());
        let sql = format!("SELECT {cols}, NULL AS packages")
            .replace("'t0' AS created_at", "NULL AS created_at");
        let err = with_row(&sql, |r| user(r, now)).unwrap_err();
        assert_eq!(err.kind, Kind::Integrity);
        assert!(err.message.contains("`created_at`"), "{err:?}");
    }
}
