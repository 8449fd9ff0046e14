//! The `sessions` table. Only a SHA-256 of each token is stored, so a copy of the store
//! does not hand out working tokens.

use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};

use super::Sqlite;
use crate::error::Result;
use crate::model::fmt_ts;
use crate::store::SessionRow;

impl Sqlite {
    pub fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires: Timestamp,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, user_id, self.now_str(), fmt_ts(expires)],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The live (unrevoked, unexpired) session with this token hash.
    pub fn live_session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, user_id, expires_at FROM sessions \
                 WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
            )
            .map_err(|e| self.sql_error(e))?;
        stmt.query_row(params![token_hash, self.now_str()], |r| {
            Ok(SessionRow {
                id: r.get(0)?,
                user_id: r.get(1)?,
                expires_at: r.get(2)?,
            })
        })
        .optional()
        .map_err(|e| self.sql_error(e))
    }

    pub fn revoke_session(&self, id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                params![self.now_str(), id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Revokes every live session of a user, except `keep` (the caller's own, for
    /// `me passwd`). Returns how many were revoked.
    pub fn revoke_user_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE sessions SET revoked_at = ?1 \
                 WHERE user_id = ?2 AND revoked_at IS NULL AND id IS NOT ?3",
                params![self.now_str(), user_id, keep],
            )
            .map_err(|e| self.sql_error(e))
    }
}
