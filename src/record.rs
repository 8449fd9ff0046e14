//! What a change writes into the audit trail: the entry for an act, and the JSON
//! shapes of what changed (a user's fields before and after, a package). Commands and
//! operations both record through here, so an import and a hand-made change leave the
//! same trace.

use serde_json::{json, Map, Value};

use crate::authz::Command;
use crate::output::UserView;
use crate::store::{AuditEntry, Package, User};

/// An audit entry for a change made by `me`.
pub fn change_entry(
    me: &User,
    cmd: Command,
    target: &str,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(me.id),
        actor_email: Some(me.email.clone()),
        action: cmd.audit_action(),
        target: Some(target.to_string()),
        details,
        result: "ok",
        reason: None,
    }
}

/// The fields an audit entry records for a user (never the password hash).
pub fn user_fields(u: &User) -> Value {
    UserView::from(u).only(crate::output::USER_IMPORT_FIELDS)
}

/// `{"before": {...}, "after": {...}}` with only the fields that differ.
pub fn diff(before: &User, after: &User) -> Value {
    let (b, a) = (user_fields(before), user_fields(after));
    let (mut bm, mut am) = (Map::new(), Map::new());
    if let (Value::Object(b), Value::Object(a)) = (b, a) {
        for (k, av) in a {
            let bv = b.get(&k).cloned().unwrap_or(Value::Null);
            if bv != av {
                bm.insert(k.clone(), bv);
                am.insert(k, av);
            }
        }
    }
    json!({ "before": bm, "after": am })
}

/// The JSON shape of a package.
pub fn package_json(p: &Package) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "status": p.status,
        "created_by": p.created_by_email,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "assigned_count": p.assigned_count,
    })
}
