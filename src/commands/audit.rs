//! `gatehouse audit …`: reading the trail and checking its hash chain (admins).

use comfy_table::Width;
use serde_json::{json, Value};

use super::{Ctx, Granted};
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

/// The details for a person: what changed, field by field (`status: active → inactive`),
/// then anything else the entry records (`sessions_revoked: 2`), shortened for a cell.
fn readable(details: &Option<String>) -> String {
    let Some(v) = details
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
    else {
        return String::new();
    };
    let text = |v: &Value| match v {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "-".into(),
        other => crate::output::csv_cell(other),
    };
    let mut parts = Vec::new();
    let map = match &v {
        Value::Object(map) => map,
        Value::Null => return String::new(),
        other => return text(other),
    };
    match (map.get("before"), map.get("after")) {
        (Some(Value::Object(b)), Some(Value::Object(a))) if !b.is_empty() => {
            for (k, after) in a {
                let before = b.get(k).unwrap_or(&Value::Null);
                if before != after {
                    parts.push(format!("{k}: {} → {}", text(before), text(after)));
                }
            }
        }
        (before, Some(Value::Object(a)))
            if before.is_none_or(|b| b.as_object().is_some_and(|b| b.is_empty())) =>
        {
            // Something new: what it was made with, not the bookkeeping.
            for (k, after) in a {
                let unset = matches!(after, Value::Null | Value::Bool(false))
                    || after.as_array().is_some_and(|a| a.is_empty());
                if !unset
                    && ![
                        "id",
                        "email",
                        "created_at",
                        "updated_at",
                        "assigned_count",
                        "created_by",
                    ]
                    .contains(&k.as_str())
                {
                    parts.push(format!("{k}: {}", text(after)));
                }
            }
        }
        (Some(before), Some(after)) if !before.is_object() || !after.is_object() => {
            parts.push(format!("{} → {}", text(before), text(after)));
        }
        (Some(Value::Object(b)), None) => {
            for (k, before) in b {
                if !before.is_null() && !["id", "created_at", "updated_at"].contains(&k.as_str()) {
                    parts.push(format!("{k}: {}", text(before)));
                }
            }
        }
        _ => {}
    }
    for (k, v) in map.iter().filter(|(k, _)| *k != "before" && *k != "after") {
        match v {
            Value::Bool(true) => parts.push(k.replace('_', " ")),
            Value::Bool(false) | Value::Null => {}
            v => parts.push(format!("{k}: {}", text(v))),
        }
    }
    let joined = parts.join(", ");
    const MAX: usize = 160;
    if joined.chars().count() > MAX {
        let mut s: String = joined.chars().take(MAX).collect();
        s.push('…');
        s
    } else {
        joined
    }
}

pub fn list(ctx: &Ctx<'_>, args: &AuditListArgs) -> Result<()> {
    let r = ctx.read_as(Command::AuditList, None)?;
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
    // Six columns, so a table still reads at 80: a refusal shows in its action
    // (`login: failed`), and the time can wrap between the day and the hour.
    let mut list = ctx
        .out
        .list(&["ID", "Time", "Actor", "Action", "Target", "Details"])
        // (A width counts the cell's padding: 12 holds `2026-11-28`.)
        .column_min(1, Width::Fixed(12))
        .column_min(5, Width::Percentage(30))
        // CSV is data: the raw fields, the details as recorded.
        .csv_from_items(&[
            "id",
            "at",
            "actor_email",
            "action",
            "target",
            "result",
            "reason",
            "details",
        ]);
    r.store().each_audit(&filter, |e| {
        let details = match (&e.reason, readable(&e.details)) {
            (Some(r), d) if d.is_empty() => r.clone(),
            (Some(r), d) => format!("{r}; {d}"),
            (None, d) => d,
        };
        let action = if e.result == "ok" {
            e.action.clone()
        } else {
            format!("{}: {}", e.action, e.result)
        };
        let cells = vec![
            e.id.to_string(),
            e.at.replacen('T', " ", 1).trim_end_matches('Z').to_string(),
            e.actor_email.clone().unwrap_or_default(),
            action,
            e.target.clone().unwrap_or_default(),
            details,
        ];
        list.push(cells, &EntryView::from(e))
    })?;
    list.finish()
}

pub fn verify(ctx: &Ctx<'_>, args: &AuditVerifyArgs) -> Result<()> {
    let r = ctx.read_as(Command::AuditVerify, None)?;
    match r.audit().verify_audit(args.checkpoint.as_ref())? {
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
    let r = ctx.read_as(Command::AuditCheckpoint, None)?;
    let head = r.audit().audit_head()?.ok_or_else(|| {
        Error::not_found("the audit trail is empty").with_hint("there is nothing to checkpoint yet")
    })?;
    let text = format!("{}:{}", head.entry, head.hash);
    ctx.out.record(
        &json!({ "entry": head.entry, "hash": head.hash, "checkpoint": text }),
        std::slice::from_ref(&text),
    )
}
