//! The `users` table: typed rows in and out, UNIQUE violations as conflicts and missing
//! rows as not-found, in one place.

use jiff::Timestamp;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::Sqlite;
use crate::error::Result;
use crate::model::{fmt_ts, Role, Status, UserRef};
use crate::store::prelude::*;
use crate::store::{
    email_taken, AttemptStart, LoginAttempt, NewUser, User, UserBrief, UserChanges, UserCondition,
    UserFilter, UserSort,
};

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, \
    u.password_hash, u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
    u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
    u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, \
    (SELECT group_concat(p.name, char(31)) FROM assignments a \
        JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id)";

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(5)?;
    let status: String = r.get(6)?;
    let packages: Option<String> = r.get(20)?;
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        full_name: r.get(3)?,
        phone: r.get(4)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        password_hash: r.get(7)?,
        must_change_password: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        last_login_at: r.get(11)?,
        password_changed_at: r.get(12)?,
        expires_at: r.get(13)?,
        failed_logins: r.get(14)?,
        locked_until: r.get(15)?,
        email_notifications: r.get(16)?,
        sms_notifications: r.get(17)?,
        shipment_updates: r.get(18)?,
        system_announcements: r.get(19)?,
        // Sorted here (as NOCASE orders them) rather than by SQLite: a sort per row
        // costs the query a fifth.
        packages: packages
            .map(|p| {
                let mut names: Vec<String> = p.split('\u{1f}').map(str::to_string).collect();
                names.sort_by_key(|n| n.to_ascii_lowercase());
                names
            })
            .unwrap_or_default(),
        expired: false,
    })
}

/// Consecutive failures that lock an account.
const LOCK_AFTER: i64 = 10;

impl Sqlite {
    fn with_expiry(&self, mut u: User) -> User {
        u.expired = u.is_expired(self.now);
        u
    }

    pub fn user(&self, r: &UserRef) -> Result<Option<User>> {
        match r {
            UserRef::Id(id) => self.user_by_column("u.id", id),
            UserRef::Email(e) => self.user_by_column("u.email", &e.as_str()),
        }
    }

    fn user_by_column(&self, column: &str, value: &dyn rusqlite::ToSql) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {column} = ?1");
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sql_error(e))?;
        Ok(stmt
            .query_row([value], user_from_row)
            .optional()
            .map_err(|e| self.sql_error(e))?
            .map(|u| self.with_expiry(u)))
    }

    pub fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.user_by_column("u.email", &email)
    }

    /// Just the id of the user with this email, without reading the row.
    pub fn user_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM users WHERE email = ?1")
            .and_then(|mut st| st.query_row([email], |r| r.get(0)).optional())
            .map_err(|e| self.sql_error(e))
    }

    pub fn count_users(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }

    /// Inserts a user; an email already taken (in any letter case) is a conflict.
    /// Inserts a user and returns only its id (bulk import needs no read-back).
    pub fn insert_user_id(&self, u: &NewUser) -> Result<i64> {
        let now = self.now_str();
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO users (email, name, full_name, phone, role, status, password_hash, \
             must_change_password, created_at, updated_at, password_changed_at, expires_at, \
             last_login_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?12, ?9), ?9, ?10, ?11, ?13)",
            )
            .map_err(|e| self.sql_error(e))?;
        let res = stmt.execute(params![
            u.email.as_str(),
            u.name,
            u.full_name,
            u.phone,
            u.role.as_str(),
            u.status.as_str(),
            u.password_hash,
            u.must_change_password,
            now,
            u.password_hash.as_ref().map(|_| now.clone()),
            u.expires_at.map(fmt_ts),
            u.created_at.map(fmt_ts),
            u.last_login_at.map(fmt_ts),
        ]);
        match res {
            Ok(_) => Ok(self.conn.last_insert_rowid()),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(email_taken(u.email.as_str()))
            }
            Err(e) => Err(self.sql_error(e)),
        }
    }

    /// Applies `c` to user `id`; returns the user after the change.
    pub fn update_user(&self, id: i64, c: &UserChanges) -> Result<User> {
        let mut sets: Vec<&str> = Vec::new();
        let mut vals: Vec<rusqlite::types::Value> = Vec::new();
        use rusqlite::types::Value;
        let opt = |v: &Option<String>| v.clone().map(Value::Text).unwrap_or(Value::Null);
        if let Some(n) = &c.name {
            sets.push("name");
            vals.push(Value::Text(n.clone()));
        }
        if let Some(v) = &c.full_name {
            sets.push("full_name");
            vals.push(opt(v));
        }
        if let Some(v) = &c.phone {
            sets.push("phone");
            vals.push(opt(v));
        }
        if let Some(r) = c.role {
            sets.push("role");
            vals.push(Value::Text(r.as_str().into()));
        }
        if let Some(s) = c.status {
            sets.push("status");
            vals.push(Value::Text(s.as_str().into()));
        }
        if let Some(m) = c.must_change_password {
            sets.push("must_change_password");
            vals.push(Value::Integer(m.into()));
        }
        if let Some(e) = c.expires_at {
            sets.push("expires_at");
            vals.push(opt(&e.map(fmt_ts)));
        }
        if !sets.is_empty() {
            sets.push("updated_at");
            vals.push(Value::Text(self.now_str()));
            let assignments: Vec<String> = sets
                .iter()
                .enumerate()
                .map(|(i, col)| format!("{col} = ?{}", i + 1))
                .collect();
            vals.push(Value::Integer(id));
            let sql = format!(
                "UPDATE users SET {} WHERE id = ?{}",
                assignments.join(", "),
                vals.len()
            );
            self.conn
                .execute(&sql, params_from_iter(vals))
                .map_err(|e| self.sql_error(e))?;
        }
        self.user_by_id(id)
    }

    /// Stores a new password hash; clears a lockout. `must_change` sets the flag.
    pub fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User> {
        let now = self.now_str();
        self.conn
            .execute(
                "UPDATE users SET password_hash = ?1, must_change_password = ?2, \
                 password_changed_at = ?3, updated_at = ?3, failed_logins = 0, locked_until = NULL \
                 WHERE id = ?4",
                params![hash, must_change, now, id],
            )
            .map_err(|e| self.sql_error(e))?;
        self.user_by_id(id)
    }

    /// Replaces a hash only if it is still the one verified (a login's re-hash must not
    /// undo a password change that happened meanwhile).
    pub fn upgrade_hash(&self, id: i64, old: &str, new: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
                params![new, id, old],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(n == 1)
    }

    /// Deletes a user; their sessions and assignments go with them (foreign keys), the
    /// packages they created stay, without a creator.
    pub fn delete_user(&self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM users WHERE id = ?1", [id])
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn unlock_user(&self, id: i64) -> Result<User> {
        self.conn
            .execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?1 \
                 WHERE id = ?2",
                params![self.now_str(), id],
            )
            .map_err(|e| self.sql_error(e))?;
        self.user_by_id(id)
    }

    pub fn record_login_success(&self, id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
                params![self.now_str(), id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Admits a password verification, atomically with the lock check, so parallel
    /// guesses cannot all slip in before the first failure is written: at most as many
    /// verifications are in flight as failures are still allowed before the lock. An
    /// attempt is not counted as a failure before its password is known, so correct
    /// logins in parallel wait their turn instead of locking the account.
    pub fn begin_login_attempt(&self, id: i64) -> Result<AttemptStart> {
        use rusqlite::OptionalExtension;
        let now = self.now_str();
        let stale = fmt_ts(self.now - jiff::SignedDuration::from_secs(60));
        self.conn
            .execute("DELETE FROM login_attempts WHERE started_at < ?1", [&stale])
            .map_err(|e| self.sql_error(e))?;
        let state: Option<(i64, Option<String>, i64)> = self
            .conn
            .query_row(
                "SELECT failed_logins, locked_until, \
                 (SELECT count(*) FROM login_attempts WHERE user_id = ?1) \
                 FROM users WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let Some((failures, locked_until, in_flight)) = state else {
            return Ok(AttemptStart::Locked);
        };
        if locked_until.is_some_and(|l| l > now) {
            return Ok(AttemptStart::Locked);
        }
        // Before the first lock, the failures left until it; after a lock has run out,
        // one at a time (each further failure locks again, for longer).
        let room = if failures < LOCK_AFTER {
            LOCK_AFTER - failures
        } else {
            1
        };
        if in_flight >= room {
            return Ok(AttemptStart::Full);
        }
        self.conn
            .execute(
                "INSERT INTO login_attempts (user_id, started_at) VALUES (?1, ?2)",
                params![id, now],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(AttemptStart::Admitted(LoginAttempt {
            id: self.conn.last_insert_rowid(),
        }))
    }

    /// Records the outcome of an admitted attempt. From the 10th consecutive failure
    /// on, the account is locked for 15 minutes, doubling with each further failure
    /// (capped at 64 × 15 min). A success clears the failures, unless a lock was
    /// reached meanwhile.
    pub fn end_login_attempt(
        &self,
        id: i64,
        attempt: &LoginAttempt,
        verified: bool,
    ) -> Result<Option<Timestamp>> {
        self.conn
            .execute("DELETE FROM login_attempts WHERE id = ?1", [attempt.id])
            .map_err(|e| self.sql_error(e))?;
        if verified {
            self.conn
                .execute(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL \
                     WHERE id = ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
                    params![id, self.now_str()],
                )
                .map_err(|e| self.sql_error(e))?;
            return Ok(None);
        }
        let failures: i64 = self
            .conn
            .query_row(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 \
                 RETURNING failed_logins",
                [id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        if failures < LOCK_AFTER {
            return Ok(None);
        }
        let doublings = (failures - LOCK_AFTER).min(6) as u32;
        let minutes = 15i64 * (1i64 << doublings);
        let until = self
            .now
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .unwrap_or(self.now);
        self.conn
            .execute(
                "UPDATE users SET locked_until = ?1 WHERE id = ?2",
                params![fmt_ts(until), id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(Some(until))
    }

    /// The WHERE clause and its values for a filter.
    fn user_where(f: &UserFilter) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut wheres: Vec<String> = Vec::new();
        let mut vals: Vec<Value> = Vec::new();
        if let Some(r) = f.role {
            vals.push(Value::Text(r.as_str().into()));
            wheres.push(format!("u.role = ?{}", vals.len()));
        }
        if let Some(s) = f.status {
            vals.push(Value::Text(s.as_str().into()));
            wheres.push(format!("u.status = ?{}", vals.len()));
        }
        if let Some(p) = &f.package {
            vals.push(Value::Text(crate::model::package_key(p)));
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM assignments a JOIN packages p ON p.id = a.package_id \
                 WHERE a.user_id = u.id AND p.name_key = ?{})",
                vals.len()
            ));
        }
        if let Some(text) = &f.search {
            let escaped = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            vals.push(Value::Text(format!("%{escaped}%")));
            let n = vals.len();
            wheres.push(format!(
                "(u.email LIKE ?{n} ESCAPE '\\' OR lower(u.name) LIKE ?{n} ESCAPE '\\' \
                 OR lower(coalesce(u.full_name, '')) LIKE ?{n} ESCAPE '\\')"
            ));
        }
        if let Some(c) = &f.condition {
            wheres.push(Self::condition_sql(c, &mut vals));
        }
        let clause = if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        };
        (clause, vals)
    }

    /// A review condition as SQL over `users u`, its values appended to `vals`.
    fn condition_sql(c: &UserCondition, vals: &mut Vec<rusqlite::types::Value>) -> String {
        let mut at = |t: &str| {
            vals.push(rusqlite::types::Value::Text(t.to_string()));
            vals.len()
        };
        match c {
            UserCondition::Active => "u.status = 'active'".into(),
            UserCondition::Admins => "u.role = 'admin'".into(),
            UserCondition::InactiveHoldingPackages => "u.status = 'inactive' AND EXISTS \
                (SELECT 1 FROM assignments a WHERE a.user_id = u.id)"
                .into(),
            UserCondition::LastLoginBefore(t) => {
                format!("u.status = 'active' AND u.last_login_at < ?{}", at(t))
            }
            UserCondition::NeverLoggedIn => {
                "u.status = 'active' AND u.last_login_at IS NULL".into()
            }
            UserCondition::ExpiredBy(t) => format!("u.expires_at <= ?{}", at(t)),
            UserCondition::ExpiringBetween(from, to) => {
                let (a, b) = (at(from), at(to));
                format!("u.expires_at > ?{a} AND u.expires_at <= ?{b}")
            }
            UserCondition::MustChangePassword => "u.must_change_password".into(),
            UserCondition::LockedAt(t) => format!("u.locked_until > ?{}", at(t)),
        }
    }

    /// How many users meet each condition, in one pass over the users.
    pub fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>> {
        if conditions.is_empty() {
            return Ok(Vec::new());
        }
        let mut vals = Vec::new();
        let sums: Vec<String> = conditions
            .iter()
            .map(|c| format!("coalesce(sum({}), 0)", Self::condition_sql(c, &mut vals)))
            .collect();
        let sql = format!("SELECT {} FROM users u", sums.join(", "));
        self.conn
            .query_row(&sql, params_from_iter(vals), |r| {
                (0..conditions.len())
                    .map(|i| r.get::<_, i64>(i).map(|n| n as u64))
                    .collect()
            })
            .map_err(|e| self.sql_error(e))
    }

    /// Like [`Sqlite::each_user`], reading only what a table of users shows.
    pub fn each_user_brief(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()> {
        let now = self.now_str();
        self.query_users(
            f,
            "u.name, u.email, u.role, u.status, u.expires_at, \
             (SELECT count(*) FROM assignments a WHERE a.user_id = u.id), \
             u.id, u.last_login_at, u.locked_until",
            &mut |row| {
                let brief = (|| -> rusqlite::Result<UserBrief> {
                    let role: String = row.get(2)?;
                    let status: String = row.get(3)?;
                    let expires: Option<String> = row.get(4)?;
                    let locked: Option<String> = row.get(8)?;
                    Ok(UserBrief {
                        id: row.get(6)?,
                        name: row.get(0)?,
                        email: row.get(1)?,
                        role: Role::parse_db(&role).unwrap_or(Role::User),
                        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
                        expired: expires.is_some_and(|e| e <= now),
                        locked: locked.is_some_and(|l| l > now),
                        package_count: row.get(5)?,
                        last_login_at: row.get(7)?,
                    })
                })()
                .map_err(|e| self.sql_error(e))?;
                each(&brief)
            },
        )
    }

    pub fn each_user(
        &self,
        f: &UserFilter,
        mut each: impl FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        self.query_users(f, USER_COLUMNS, &mut |row| {
            let u = self.with_expiry(user_from_row(row).map_err(|e| self.sql_error(e))?);
            each(&u)
        })
    }

    /// Runs a filter's query for `columns`, handing each row to `each`.
    fn query_users(
        &self,
        f: &UserFilter,
        columns: &str,
        each: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let (clause, vals) = Self::user_where(f);
        let order = match f.sort {
            UserSort::Name => "u.name COLLATE NOCASE, u.id",
            UserSort::Email => "u.email, u.id",
            UserSort::Created => "u.created_at, u.id",
            UserSort::LastLogin => "u.last_login_at IS NULL, u.last_login_at DESC, u.id",
        };
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let sql = format!(
            "SELECT {columns} FROM users u {clause} ORDER BY {order} LIMIT {limit} OFFSET {}",
            f.offset as i64,
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let mut rows = stmt
            .query(params_from_iter(vals))
            .map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(row)?;
        }
        Ok(())
    }
}
