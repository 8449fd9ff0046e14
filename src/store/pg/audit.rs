//! The audit trail: written by the server's triggers in the connected role's name (and
//! refusals through one function), read and verified here, chain and all.

use super::rows::{binds, DIALECT};
use super::Postgres;
use crate::error::Result;
use crate::model::Checkpoint;
use crate::store::rows;
use crate::store::sql::{self, AUDIT_COLUMNS};
use crate::store::{Audit, AuditEntry, AuditFilter, AuditRow, ChainCheck, ChainVerifier};

impl Audit for Postgres {
    /// Changes are recorded by the server's triggers, in the same transaction and in
    /// the name of the connected role; a refusal, which changes nothing, is recorded
    /// through the one function that writes refusals in the caller's own name.
    fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        if e.result == "ok" {
            return Ok(());
        }
        if self.me.is_none() {
            return Ok(());
        }
        self.run(
            "SELECT gatehouse.record_refusal(current_user, $1, $2, $3, $4)",
            &[&e.action, &e.target, &e.result, &e.reason],
        )
        .map(|_| ())
    }
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        let q = sql::audit(DIALECT, f);
        self.stream(&q.sql, &binds(&q.values), &mut |r| {
            each(&rows::audit_row(r)?)
        })
    }
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        let mut chain = ChainVerifier::new(checkpoint);
        let mut broken = None;
        self.stream(
            &format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"),
            &[],
            &mut |r| {
                if broken.is_none() {
                    broken = chain.next(&rows::audit_row(r)?);
                }
                Ok(())
            },
        )?;
        Ok(broken.unwrap_or_else(|| chain.finish()))
    }
    fn audit_head(&self) -> Result<Option<Checkpoint>> {
        self.opt("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])?
            .map(|r| rows::checkpoint(&r))
            .transpose()
    }
}
