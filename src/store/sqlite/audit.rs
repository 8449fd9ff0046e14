//! The append-only audit trail ([`Audit`]). Each entry's hash covers the previous
//! entry's hash, so a changed, removed or reordered entry breaks the chain; triggers
//! refuse UPDATE and DELETE on the table. Entries are written here, by gatehouse, inside
//! the caller's transaction (PostgreSQL's server writes its own). Never put a password,
//! hash or token in `details`: write `"password_changed": true` instead.

use rusqlite::params;

use super::Sqlite;
use crate::error::Result;
use crate::store::prelude::*;
use crate::store::{entry_hash, Audit, AuditEntry, GENESIS};

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
}
