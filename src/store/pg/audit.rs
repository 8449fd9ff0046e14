//! The audit trail, as the server writes it: changes by its triggers in the connected
//! role's name, refusals through one function. Reading and verifying the chain is the
//! shared SQL of [`crate::store::Audit`].

use super::Postgres;
use crate::error::Result;
use crate::store::{Audit, AuditEntry};

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
}
