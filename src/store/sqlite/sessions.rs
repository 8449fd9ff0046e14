//! Logging in ([`Sessions`]): saved sessions, of which only a SHA-256 of each token is
//! stored (a copy of the store hands out no working token), and the lockout's
//! bookkeeping — failures on the user's row, verifications in flight in
//! `login_attempts` — which a login writes and nothing else does.

use jiff::Timestamp;
use rusqlite::params;

use super::Sqlite;
use crate::error::Result;
use crate::model::fmt_ts;
use crate::store::rows;
use crate::store::run;
use crate::store::sql::Query;
use crate::store::{AttemptStart, LoginAttempt, SessionRow, Sessions};

/// Consecutive failures that lock an account.
const LOCK_AFTER: i64 = 10;

impl crate::store::SessionReads for Sqlite {
    /// The live (unrevoked, unexpired) session with this token hash.
    fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let q = Query::new(
            "SELECT id, user_id, expires_at FROM sessions \
             WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
            vec![token_hash.into(), self.now_str().into()],
        );
        run::first(self, &q, |r| rows::session(r))
    }
}

impl Sessions for Sqlite {
    fn insert_session(&self, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<i64> {
        self.run(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user_id, self.now_str(), fmt_ts(expires)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn revoke_session(&self, id: i64) -> Result<()> {
        self.run(
            "UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
            params![self.now_str(), id],
        )?;
        Ok(())
    }

    /// Revokes every live session of a user, except `keep` (the caller's own, for
    /// `me passwd`). Returns how many were revoked.
    fn revoke_user_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<usize> {
        self.run(
            "UPDATE sessions SET revoked_at = ?1 \
             WHERE user_id = ?2 AND revoked_at IS NULL AND id IS NOT ?3",
            params![self.now_str(), user_id, keep],
        )
    }

    fn record_login_success(&self, id: i64) -> Result<()> {
        self.run(
            "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
            params![self.now_str(), id],
        )?;
        Ok(())
    }

    /// Admits a password verification, atomically with the lock check, so parallel
    /// guesses cannot all slip in before the first failure is written: at most as many
    /// verifications are in flight as failures are still allowed before the lock. An
    /// attempt is not counted as a failure before its password is known, so correct
    /// logins in parallel wait their turn instead of locking the account.
    fn begin_login_attempt(&self, id: i64) -> Result<AttemptStart> {
        let now = self.now_str();
        let stale = fmt_ts(self.now - jiff::SignedDuration::from_secs(60));
        self.run("DELETE FROM login_attempts WHERE started_at < ?1", [&stale])?;
        let q = Query::new(
            "SELECT failed_logins, locked_until, \
             (SELECT count(*) FROM login_attempts WHERE user_id = ?1) AS in_flight \
             FROM users WHERE id = ?1",
            vec![id.into()],
        );
        let state = run::first(self, &q, |r| {
            Ok((
                r.int("failed_logins")?,
                r.opt_text("locked_until")?,
                r.int("in_flight")?,
            ))
        })?;
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
        self.run(
            "INSERT INTO login_attempts (user_id, started_at) VALUES (?1, ?2)",
            params![id, now],
        )?;
        Ok(AttemptStart::Admitted(LoginAttempt {
            id: self.conn.last_insert_rowid(),
        }))
    }

    /// Records the outcome of an admitted attempt. From the 10th consecutive failure
    /// on, the account is locked for 15 minutes, doubling with each further failure
    /// (capped at 64 × 15 min). A success clears the failures, unless a lock was
    /// reached meanwhile.
    fn end_login_attempt(
        &self,
        id: i64,
        attempt: &LoginAttempt,
        verified: bool,
    ) -> Result<Option<Timestamp>> {
        self.run("DELETE FROM login_attempts WHERE id = ?1", [attempt.id])?;
        if verified {
            self.run(
                "UPDATE users SET failed_logins = 0, locked_until = NULL \
                 WHERE id = ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
                params![id, self.now_str()],
            )?;
            return Ok(None);
        }
        let q = Query::new(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 \
             RETURNING failed_logins",
            vec![id.into()],
        );
        let failures = run::one(self, &q, |r| r.int("failed_logins"))?;
        if failures < LOCK_AFTER {
            return Ok(None);
        }
        let doublings = (failures - LOCK_AFTER).min(6) as u32;
        let minutes = 15i64 * (1i64 << doublings);
        let until = self
            .now
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .unwrap_or(self.now);
        self.run(
            "UPDATE users SET locked_until = ?1 WHERE id = ?2",
            params![fmt_ts(until), id],
        )?;
        Ok(Some(until))
    }
}
