//! `gatehouse audit …`: reading the trail and checking its hash chain (admins).

use serde_json::json;

use super::Ctx;
use crate::authz::Command;
use crate::cli::{AuditListArgs, AuditVerifyArgs};
use crate::error::{Error, Kind, Result};
use crate::store::{AuditFilter, AuditRow, ChainCheck};

/// An audit entry as JSON. `details` is stored as JSON text and written as it is.
#[derive(serde::Serialize)]
struct EntryView<'a> {
    id: i64,
    at: &'a str,
    actor_id: Option<i64>,
    actor_email: Option<&'a str>,
    action: &'a str,
    target: Option<&'a str>,
    details: Option<&'a serde_json::value::RawValue>,
    result: &'a str,
    reason: Option<&'a str>,
    version: &'a str,
    hash: &'a str,
}

impl<'a> From<&'a AuditRow> for EntryView<'a> {
    fn from(e: &'a AuditRow) -> Self {
        EntryView {
            id: e.id,
            at: &e.at,
            actor_id: e.actor_id,
            actor_email: e.actor_email.as_deref(),
            action: &e.action,
            target: e.target.as_deref(),
            // Text that is not JSON (a store edited by hand) is left out.
            details: e
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
            result: &e.result,
            reason: e.reason.as_deref(),
            version: &e.version,
            hash: &e.hash,
        }
    }
}

/// The details, shortened for a table cell.
fn short(details: &Option<String>) -> String {
    let d = details.as_deref().unwrap_or("");
    if d == "null" {
        return String::new();
    }
    let mut s: String = d.chars().take(80).collect();
    if d.chars().count() > 80 {
        s.push('…');
    }
    s
}

pub fn list(ctx: &Ctx<'_>, args: &AuditListArgs) -> Result<()> {
    let (store, _) = ctx.read_as(Command::AuditList, None)?;
    let filter = AuditFilter {
        since: args.since.as_ref().map(|i| i.start.clone()),
        until: args.until.as_ref().map(|i| i.end.clone()),
        actor: args.actor.clone(),
        // `user add` and `user.add` both name the action.
        action: args.action.as_ref().map(|a| a.trim().replace(' ', ".")),
        target: args.target.clone(),
        limit: args.limit,
        oldest_first: false,
    };
    let mut list = ctx.out.list(&[
        "ID", "Time", "Actor", "Action", "Target", "Result", "Details",
    ]);
    store.each_audit(&filter, |e| {
        let details = match (&e.reason, short(&e.details)) {
            (Some(r), d) if d.is_empty() => r.clone(),
            (Some(r), d) => format!("{r}; {d}"),
            (None, d) => d,
        };
        let cells = vec![
            e.id.to_string(),
            e.at.clone(),
            e.actor_email.clone().unwrap_or_default(),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            e.result.clone(),
            details,
        ];
        list.push(cells, &EntryView::from(e))
    })?;
    list.finish()
}

pub fn verify(ctx: &Ctx<'_>, args: &AuditVerifyArgs) -> Result<()> {
    let (store, _) = ctx.read_as(Command::AuditVerify, None)?;
    match store.verify_audit(args.checkpoint.as_ref())? {
        ChainCheck::Intact { entries } => {
            let mut line = format!("audit trail intact: {entries} entries");
            if let Some(c) = &args.checkpoint {
                line.push_str(&format!(", extending checkpoint {}", c.entry));
            }
            ctx.out.record(
                &json!({
                    "intact": true,
                    "entries": entries,
                    "checkpoint": args.checkpoint.as_ref().map(|c| format!("{}:{}", c.entry, c.hash)),
                }),
                &[line],
            )
        }
        ChainCheck::Broken { id, why } => Err(Error::new(
            Kind::Integrity,
            format!("audit trail broken at entry {id}: {why}"),
        )
        .with_hint("entries before it are intact; compare with a backup of the store")),
    }
}

/// Prints the head of the chain, `N:HASH`, for `audit verify --checkpoint`.
pub fn checkpoint(ctx: &Ctx<'_>) -> Result<()> {
    let (store, _) = ctx.read_as(Command::AuditCheckpoint, None)?;
    let head = store.audit_head()?.ok_or_else(|| {
        Error::not_found("the audit trail is empty").with_hint("there is nothing to checkpoint yet")
    })?;
    let text = format!("{}:{}", head.entry, head.hash);
    ctx.out.record(
        &json!({ "entry": head.entry, "hash": head.hash, "checkpoint": text }),
        std::slice::from_ref(&text),
    )
}
