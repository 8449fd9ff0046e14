//! The append-only audit trail. Each entry's hash covers the previous entry's hash, so
//! a changed, removed or reordered entry breaks the chain; triggers refuse UPDATE and
//! DELETE on the table. Entries are written inside the caller's transaction.

use rusqlite::{params, OptionalExtension};

use super::Sqlite;
use crate::error::Result;
use crate::model::Checkpoint;
use crate::store::{
    entry_hash, AuditEntry, AuditFilter, AuditRow, ChainCheck, ChainVerifier, GENESIS,
};

/// One audit entry as the caller describes it. Never put a password, hash or token in
/// `details`: write `"password_changed": true` instead.
impl Sqlite {
    pub fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        // Outside a transaction (or after SQLite ended one on its own) others may append.
        let cached = self
            .last_audit
            .take()
            .filter(|_| !self.conn.is_autocommit());
        let prev: Option<(i64, String)> = match cached {
            Some(last) => Some(last),
            None => self
                .conn
                .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
                .and_then(|mut st| st.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
                .map_err(|e| self.sql_error(e))?,
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
        self.conn
            .prepare_cached(
                "INSERT INTO audit (id, at, actor_id, actor_email, action, target, details, \
                 result, reason, version, prev_hash, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .and_then(|mut st| {
                st.execute(params![
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
                ])
            })
            .map_err(|e| self.sql_error(e))?;
        // Only inside a transaction is nobody else appending meanwhile.
        if !self.conn.is_autocommit() {
            self.last_audit.replace(Some((id, hash)));
        }
        Ok(())
    }
}

/// SHA-256 over the id, the previous hash and each field, length-prefixed so that no
/// two different entries serialize alike.
fn audit_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        actor_id: r.get(2)?,
        actor_email: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        details: r.get(6)?,
        result: r.get(7)?,
        reason: r.get(8)?,
        version: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor_email, action, target, details, result, reason, version, prev_hash, hash";

impl Sqlite {
    /// Streams matching entries, newest first.
    pub fn each_audit(
        &self,
        f: &AuditFilter,
        mut each: impl FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        use rusqlite::types::Value;
        let mut wheres = Vec::new();
        let mut vals: Vec<Value> = Vec::new();
        let mut push = |clause: &str, v: &Option<String>| {
            if let Some(v) = v {
                vals.push(Value::Text(v.clone()));
                wheres.push(clause.replace('?', &format!("?{}", vals.len())));
            }
        };
        push("at >= ?", &f.since);
        push("at <= ?", &f.until);
        push("lower(actor_email) = lower(?)", &f.actor);
        push("action = ?", &f.action);
        push("lower(target) = lower(?)", &f.target);
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit {} ORDER BY id {} LIMIT {}",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
            if f.oldest_first { "ASC" } else { "DESC" },
            f.limit.map(|l| l as i64).unwrap_or(-1)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(vals))
            .map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(&audit_from_row(row).map_err(|e| self.sql_error(e))?)?;
        }
        Ok(())
    }

    /// Walks the chain from the first entry: each id follows the last, each entry names
    /// the previous hash, and each hash matches the entry's content.
    /// With a checkpoint, the chain must also still hold that entry with that hash: a
    /// trail cut back before it, or recomputed from the start, fails.
    pub fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"))
            .map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_error(e))?;
        let mut chain = ChainVerifier::new(checkpoint);
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            if let Some(broken) = chain.next(&audit_from_row(row).map_err(|e| self.sql_error(e))?) {
                return Ok(broken);
            }
        }
        Ok(chain.finish())
    }

    /// The chain's head: the last entry's number and hash (none in an empty trail).
    pub fn audit_head(&self) -> Result<Option<Checkpoint>> {
        self.conn
            .query_row(
                "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(Checkpoint {
                        entry: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }
}
