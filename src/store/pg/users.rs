//! The `users` table as the server keeps it: adding users one or a thousand at a time,
//! changing and deleting them (reading them is the shared SQL of
//! [`crate::store::Users`]). The acting admin's change to their
//! own standing waits for the end of the transaction (`flush_self`), since the policies
//! hide everyone else from them the moment they stop being an admin.

use jiff::Timestamp;
use postgres::error::SqlState;
use postgres::types::ToSql;

use super::Postgres;
use crate::error::{Error, Result};
use crate::model::{fmt_ts, Role, Status};
use crate::store::prelude::*;
use crate::store::rows::Columns;
use crate::store::types::*;
use crate::store::Users;

impl Postgres {
    /// Writes the acting admin's own pending change, if any.
    pub(super) fn flush_self(&self) -> Result<()> {
        let pending = self.pending_self.borrow_mut().take();
        let (Some(me), delete) = (self.me, self.delete_self.replace(false)) else {
            return Ok(());
        };
        if delete {
            // Deleted, the account's other pending changes are moot (and once demoted,
            // the admin could no longer delete it).
            self.run("DELETE FROM users WHERE id = $1", &[&me])?;
        } else if let Some(c) = pending {
            self.write_user(me, &c)?;
        }
        Ok(())
    }

    /// The UPDATE of `c` on user `id`.
    fn write_user(&self, id: i64, c: &UserChanges) -> Result<()> {
        let mut sets: Vec<String> = Vec::new();
        let mut vals: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut push = |col: &str, v: Box<dyn ToSql + Sync>| {
            vals.push(v);
            sets.push(format!("{col} = ${}", vals.len()));
        };
        if let Some(n) = &c.name {
            push("name", Box::new(n.clone()));
        }
        if let Some(v) = &c.full_name {
            push("full_name", Box::new(v.clone()));
        }
        if let Some(v) = &c.phone {
            push("phone", Box::new(v.clone()));
        }
        if let Some(r) = c.role {
            push("role", Box::new(r.as_str().to_string()));
        }
        if let Some(s) = c.status {
            push("status", Box::new(s.as_str().to_string()));
        }
        if let Some(m) = c.must_change_password {
            push("must_change_password", Box::new(m));
        }
        if let Some(e) = c.expires_at {
            push("expires_at", Box::new(e.map(fmt_ts)));
        }
        let nothing = c.name.is_none()
            && c.full_name.is_none()
            && c.phone.is_none()
            && c.role.is_none()
            && c.status.is_none()
            && c.must_change_password.is_none()
            && c.expires_at.is_none();
        if nothing {
            return Ok(());
        }
        push("updated_at", Box::new(self.now_str()));
        vals.push(Box::new(id));
        let sql = format!(
            "UPDATE users SET {} WHERE id = ${}",
            sets.join(", "),
            vals.len()
        );
        let refs: Vec<&(dyn ToSql + Sync)> = vals.iter().map(|v| v.as_ref()).collect();
        self.run(&sql, &refs).map(|_| ())
    }
}

/// `later` on top of `earlier`: each field the later change sets wins.
fn merge(earlier: UserChanges, later: &UserChanges) -> UserChanges {
    let l = later.clone();
    UserChanges {
        name: l.name.or(earlier.name),
        full_name: l.full_name.or(earlier.full_name),
        phone: l.phone.or(earlier.phone),
        role: l.role.or(earlier.role),
        status: l.status.or(earlier.status),
        expires_at: l.expires_at.or(earlier.expires_at),
        must_change_password: l.must_change_password.or(earlier.must_change_password),
    }
}

/// The user as `c` leaves them (for a change not yet written).
fn with_changes(mut u: User, c: &UserChanges, now: Timestamp) -> User {
    if let Some(n) = &c.name {
        u.name = n.clone();
    }
    if let Some(v) = &c.full_name {
        u.full_name = v.clone();
    }
    if let Some(v) = &c.phone {
        u.phone = v.clone();
    }
    if let Some(r) = c.role {
        u.role = r;
    }
    if let Some(s) = c.status {
        u.status = s;
    }
    if let Some(m) = c.must_change_password {
        u.must_change_password = m;
    }
    if let Some(e) = c.expires_at {
        u.expires_at = e.map(fmt_ts);
    }
    u.updated_at = fmt_ts(now);
    u.expired = u.is_expired(now);
    u
}

impl crate::store::UserReads for Postgres {
    fn count_lasting_admins(&self) -> Result<i64> {
        self.flush_self()?;
        self.one("SELECT gatehouse.lasting_admins() AS n", &[])?
            .int("n")
    }
    fn user_ids_by_email(&self, emails: &[&str]) -> Result<std::collections::HashMap<String, i64>> {
        let list: Vec<&str> = emails.to_vec();
        self.all(
            "SELECT email, id FROM users WHERE email = ANY($1)",
            &[&list],
        )?
        .iter()
        .map(|r| Ok((r.text("email")?, r.int("id")?)))
        .collect::<Result<_>>()
    }
}

impl Users for Postgres {
    fn insert_user_id(&self, u: &NewUser) -> Result<i64> {
        let now = self.now_str();
        let res = self.client.borrow_mut().query_one(
            "INSERT INTO users (email, name, full_name, phone, role, status, password_hash, \
             must_change_password, created_at, updated_at, password_changed_at, expires_at, \
             last_login_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($12, $9), $9, $10, $11, $13) \
             RETURNING id",
            &[
                &u.email.as_str(),
                &u.name,
                &u.full_name,
                &u.phone,
                &u.role.as_str(),
                &u.status.as_str(),
                &u.password_hash,
                &u.must_change_password,
                &now,
                &u.password_hash.as_ref().map(|_| now.clone()),
                &u.expires_at.map(fmt_ts),
                &u.created_at.map(fmt_ts),
                &u.last_login_at.map(fmt_ts),
            ],
        );
        match res {
            Ok(r) => r.int("id"),
            // The email's own key; any other unique key is reported as what it is.
            Err(e)
                if e.as_db_error()
                    .and_then(|d| d.constraint())
                    .is_some_and(|c| c == "users_email_key") =>
            {
                Err(email_taken(u.email.as_str()))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    /// One INSERT per 1,000 users: the policies and the audit trigger run once per
    /// statement, not once per user. The rows go as one array per column, so the
    /// statement is short to send, parse and plan however many rows it carries.
    fn insert_users(&self, users: &[NewUser]) -> Result<Vec<i64>> {
        let now = self.now_str();
        let mut ids = Vec::with_capacity(users.len());
        for chunk in users.chunks(1000) {
            let text = |f: &dyn Fn(&NewUser) -> Option<String>| -> Vec<Option<String>> {
                chunk.iter().map(f).collect()
            };
            let emails = text(&|u| Some(u.email.as_str().to_string()));
            let names = text(&|u| Some(u.name.clone()));
            let full_names = text(&|u| u.full_name.clone());
            let phones = text(&|u| u.phone.clone());
            let roles = text(&|u| Some(u.role.as_str().to_string()));
            let statuses = text(&|u| Some(u.status.as_str().to_string()));
            let hashes = text(&|u| u.password_hash.clone());
            let must: Vec<bool> = chunk.iter().map(|u| u.must_change_password).collect();
            let changed = text(&|u| u.password_hash.as_ref().map(|_| now.clone()));
            let expires = text(&|u| u.expires_at.map(fmt_ts));
            let created = text(&|u| u.created_at.map(fmt_ts));
            let last_login = text(&|u| u.last_login_at.map(fmt_ts));
            // created_at is the carried-over time or now ($13, also updated_at).
            let sql = "INSERT INTO users (email, name, full_name, phone, role, status, \
                 password_hash, must_change_password, created_at, updated_at, \
                 password_changed_at, expires_at, last_login_at) \
                 SELECT e, n, f, p, r, s, h, m, coalesce(c, $13), $13, pc, x, l \
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                             $6::text[], $7::text[], $8::boolean[], $9::text[], $10::text[], \
                             $11::text[], $12::text[]) WITH ORDINALITY \
                      AS t(e, n, f, p, r, s, h, m, pc, x, c, l, i) \
                 ORDER BY i RETURNING id, email";
            let refs: [&(dyn ToSql + Sync); 13] = [
                &emails,
                &names,
                &full_names,
                &phones,
                &roles,
                &statuses,
                &hashes,
                &must,
                &changed,
                &expires,
                &created,
                &last_login,
                &now,
            ];
            let rows = match self.client.borrow_mut().query(sql, &refs) {
                Ok(rows) => rows,
                Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    // The transaction is void now: no lookup of which one. The import
                    // checked them all under the lock, so someone outside gatehouse
                    // added one meanwhile.
                    return Err(Error::conflict(
                        "an email of this import was taken meanwhile, outside gatehouse",
                    )
                    .with_hint("nothing was changed; run the import again"));
                }
                Err(e) => return Err(self.pg_error(e)),
            };
            let by_email: std::collections::HashMap<String, i64> = rows
                .iter()
                .map(|r| Ok((r.text("email")?, r.int("id")?)))
                .collect::<Result<_>>()?;
            for u in chunk {
                ids.push(*by_email.get(u.email.as_str()).ok_or_else(|| {
                    Error::internal(format!("no id came back for `{}`", u.email))
                })?);
            }
        }
        Ok(ids)
    }
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User> {
        let demotes = c.role == Some(Role::User)
            || c.status == Some(Status::Inactive)
            || matches!(c.expires_at, Some(Some(_)));
        let pending = self.pending_self.borrow().is_some();
        if Some(id) == self.me && (demotes || pending) && self.in_tx.get() {
            // From the moment the acting admin stops being one the policies hide every
            // other user from them: their own change waits for the end of the
            // transaction, where the last-admin check sees it.
            let before = self.user_by_id(id)?;
            let mut pending = self.pending_self.borrow_mut();
            let merged = merge(pending.take().unwrap_or_default(), c);
            let after = with_changes(before, &merged, self.now);
            *pending = Some(merged);
            return Ok(after);
        }
        self.write_user(id, c)?;
        self.user_by_id(id)
    }
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User> {
        if Some(id) == self.me && !must_change && !self.is_admin()? {
            // A person's own: written with its verifier by `set_login`, in one call.
            *self.own_hash.borrow_mut() = Some(hash.to_string());
            return self.user_by_id(id);
        }
        let now = self.now_str();
        self.run(
            "UPDATE users SET password_hash = $1, must_change_password = $2, \
             password_changed_at = $3, updated_at = $3, failed_logins = 0, locked_until = NULL \
             WHERE id = $4",
            &[&hash, &must_change, &now, &id],
        )?;
        self.user_by_id(id)
    }
    fn upgrade_hash(&self, _id: i64, _old: &str, _new: &str) -> Result<bool> {
        // The server verifies passwords here; gatehouse never reads a hash to upgrade.
        Ok(false)
    }
    fn delete_user(&self, id: i64) -> Result<()> {
        if Some(id) == self.me && self.in_tx.get() {
            // As with a demotion of oneself: at the end of the transaction.
            self.delete_self.set(true);
            return Ok(());
        }
        self.run("DELETE FROM users WHERE id = $1", &[&id])
            .map(|_| ())
    }
    fn unlock_user(&self, id: i64) -> Result<User> {
        self.run(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $1 \
             WHERE id = $2 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
            &[&self.now_str(), &id],
        )?;
        self.user_by_id(id)
    }
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()> {
        self.run(
            "UPDATE users SET email_notifications = $1, sms_notifications = $2, \
             shipment_updates = $3, system_announcements = $4, updated_at = $5 WHERE id = $6",
            &[
                &prefs[0],
                &prefs[1],
                &prefs[2],
                &prefs[3],
                &self.now_str(),
                &id,
            ],
        )
        .map(|_| ())
    }
}
