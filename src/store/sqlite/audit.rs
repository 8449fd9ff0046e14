//! The append-only audit trail ([`Audit`]). Each entry's hash covers the previous
//! entry's hash, so a changed, removed or reordered entry breaks the chain; triggers
//! refuse UPDATE and DELETE on the table. Entries are written here, by gatehouse, inside
//! the caller's transaction (PostgreSQL's server writes its own). Never put a password,
//! hash or token in `details`: write `"password_changed": true` instead.

use rusqlite::params;

use super::rows::binds;
use super::{Sqlite, DIALECT};
use crate::error::Result;
use crate::model::Checkpoint;
use crate::store::rows;
use crate::store::sql::{self, AUDIT_COLUMNS};
use crate::store::{
    entry_hash, Audit, AuditEntry, AuditFilter, AuditRow, ChainCheck, ChainVerifier, GENESIS,
};

impl Audit for Sqlite {
    fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        // Outside a transaction (or after SQLite ended one on its own) others may append.
        let cached = self
            .last_audit
            .take()
            .filter(|_| !self.conn.is_autocommit());
        let prev = match cached {
            Some(last) => Some(last),
            None => self.audit_head()?.map(|c| (c.entry, c.hash)),
        };
        let (id, prev_hash) = match prev {
            Some((id, h)) => (id + 1, h),
            None => (1, GENESIS.to_string()),
        };
        let at = self.now_str();
        let details = e.details.to_string();
        let version = env!("CARGO_PKG_VERSION");
        let hash = entry_hash(
            id,
            &prev_hash,
            &[
                &at,
                &e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                e.actor_email.as_deref().unwrap_or(""),
                &e.action,
                e.target.as_deref().unwrap_or(""),
                &details,
                e.result,
                e.reason.as_deref().unwrap_or(""),
                version,
            ],
        );
        self.run(
            "INSERT INTO audit (id, at, actor_id, actor_email, action, target, details, \
             result, reason, version, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                id,
                at,
                e.actor_id,
                e.actor_email,
                e.action,
                e.target,
                details,
                e.result,
                e.reason,
                version,
                prev_hash,
                hash
            ],
        )?;
        // Only inside a transaction is nobody else appending meanwhile.
        if !self.conn.is_autocommit() {
            self.last_audit.replace(Some((id, hash)));
        }
        Ok(())
    }

    /// Streams matching entries, newest first.
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        let q = sql::audit(DIALECT, f);
        self.each(
            &q.sql,
            binds(&q.values),
            |r| rows::audit_row(r),
            |a| each(&a),
        )
    }

    /// Walks the chain from the first entry: each id follows the last, each entry names
    /// the previous hash, and each hash matches the entry's content.
    /// With a checkpoint, the chain must also still hold that entry with that hash: a
    /// trail cut back before it, or recomputed from the start, fails.
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        let mut stmt = self.stmt(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"))?;
        let mut found = stmt.query([]).map_err(|e| self.sql_error(e))?;
        let mut chain = ChainVerifier::new(checkpoint);
        while let Some(row) = found.next().map_err(|e| self.sql_error(e))? {
            if let Some(broken) = chain.next(&rows::audit_row(row).map_err(|e| self.damaged(e))?) {
                return Ok(broken);
            }
        }
        Ok(chain.finish())
    }

    /// The chain's head: the last entry's number and hash (none in an empty trail).
    fn audit_head(&self) -> Result<Option<Checkpoint>> {
        self.opt(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| rows::checkpoint(r),
        )
    }
}
