//! The user records ([`Users`]), as SQLite writes them: every change to a `users` row
//! but the login bookkeeping (`sessions`). An email already taken is a conflict and a
//! missing user a not-found error, here in one place. Lookups, counts and the filtered
//! lists are the shared SQL of the trait itself.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use super::Sqlite;
use crate::error::Result;
use crate::model::fmt_ts;
use crate::store::prelude::*;
use crate::store::run;
use crate::store::sql::Query;
use crate::store::Users;
use crate::store::{email_taken, NewUser, User, UserChanges};

impl crate::store::UserReads for Sqlite {
    /// Active admins without an expiry date.
    fn count_lasting_admins(&self) -> Result<i64> {
        let q = Query::plain(
            "SELECT count(*) AS n FROM users WHERE role = 'admin' AND status = 'active' \
             AND expires_at IS NULL",
        );
        run::one(self, &q, |r| r.int("n"))
    }
}

impl Users for Sqlite {
    /// Inserts a user; an email already taken (in any letter case) is a conflict.
    fn insert_user_id(&self, u: &NewUser) -> Result<i64> {
        let now = self.now_str();
        let mut stmt = self.stmt(
            "INSERT INTO users (email, name, full_name, phone, role, status, password_hash, \
             must_change_password, created_at, updated_at, password_changed_at, expires_at, \
             last_login_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?12, ?9), ?9, ?10, ?11, ?13)",
        )?;
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
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User> {
        let mut sets: Vec<&str> = Vec::new();
        let mut vals: Vec<Value> = Vec::new();
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
            self.run(&sql, params_from_iter(vals))?;
        }
        self.user_by_id(id)
    }

    /// Stores a new password hash; clears a lockout. `must_change` sets the flag.
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User> {
        self.run(
            "UPDATE users SET password_hash = ?1, must_change_password = ?2, \
             password_changed_at = ?3, updated_at = ?3, failed_logins = 0, locked_until = NULL \
             WHERE id = ?4",
            params![hash, must_change, self.now_str(), id],
        )?;
        self.user_by_id(id)
    }

    /// Replaces a hash only if it is still the one verified (a login's re-hash must not
    /// undo a password change that happened meanwhile).
    fn upgrade_hash(&self, id: i64, old: &str, new: &str) -> Result<bool> {
        let n = self.run(
            "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
            params![new, id, old],
        )?;
        Ok(n == 1)
    }

    /// Deletes a user; their sessions and assignments go with them (foreign keys), the
    /// packages they created stay, without a creator.
    fn delete_user(&self, id: i64) -> Result<()> {
        self.run("DELETE FROM users WHERE id = ?1", [id])?;
        Ok(())
    }

    fn unlock_user(&self, id: i64) -> Result<User> {
        self.run(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?1 \
             WHERE id = ?2",
            params![self.now_str(), id],
        )?;
        self.user_by_id(id)
    }

    /// Sets the four notification preferences of a user.
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()> {
        self.run(
            "UPDATE users SET email_notifications = ?1, sms_notifications = ?2, \
             shipment_updates = ?3, system_announcements = ?4, updated_at = ?5 WHERE id = ?6",
            params![prefs[0], prefs[1], prefs[2], prefs[3], self.now_str(), id],
        )?;
        Ok(())
    }
}
