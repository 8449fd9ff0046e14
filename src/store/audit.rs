//! The append-only audit trail. Each entry's hash covers the previous entry's hash, so
//! a changed, removed or reordered entry breaks the chain; triggers refuse UPDATE and
//! DELETE on the table. Entries are written inside the caller's transaction.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Result;

/// One audit entry as the caller describes it. Never put a password, hash or token in
/// `details`: write `"password_changed": true` instead.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: serde_json::Value,
    pub result: &'static str,
    pub reason: Option<String>,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Store {
    pub fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        let prev: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
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
        self.conn
            .execute(
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
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }
}

/// SHA-256 over the id, the previous hash and each field, length-prefixed so that no
/// two different entries serialize alike.
pub(crate) fn entry_hash(id: i64, prev_hash: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(id.to_be_bytes());
    h.update(prev_hash.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
