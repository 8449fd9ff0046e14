//! The writes of `apply` other than its users': settings and packages made to match the
//! file, and with `--prune` the active users it does not list deactivated — each with
//! its audit entry and its line of the plan.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::desired::DesiredPackage;
use super::{Action, Change, Kind};
use crate::authz::Command;
use crate::error::Result;
use crate::model::Status;
use crate::record::change_entry;
use crate::settings::Key;
use crate::store::{Relation, Store, User, UserChanges, UserFilter};

pub(super) fn apply_settings(
    s: &Store,
    me: &User,
    wanted: &[(Key, String)],
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for (key, value) in wanted {
        let before = key.effective(s)?;
        let changes = if before == *value {
            Value::Null
        } else {
            s.settings().set_setting(key.name(), value)?;
            s.audit().append_audit(&change_entry(
                me,
                Command::ConfigSet,
                key.name(),
                json!({ "before": before, "after": value }),
            ))?;
            json!({ "before": { "value": before }, "after": { "value": value } })
        };
        out.push(Change {
            kind: Kind::Setting,
            name: key.name().to_string(),
            action: if changes.is_null() {
                Action::Unchanged
            } else {
                Action::Update
            },
            changes,
        });
    }
    Ok(out)
}

pub(super) fn apply_packages(
    s: &Store,
    me: &User,
    wanted: &[DesiredPackage],
) -> Result<Vec<Change>> {
    use crate::record::package_json;
    let mut out = Vec::new();
    for p in wanted {
        let name = p.name.as_str();
        let description = p.description.as_ref().map(|d| d.as_deref());
        let (action, changes) = match s.packages().package_by_name(name)? {
            None => {
                let mut created =
                    s.packages()
                        .insert_package(name, description.flatten(), me.id)?;
                if let Some(status) = p.status.filter(|st| *st != created.status) {
                    created = s
                        .packages()
                        .update_package(created.id, None, None, Some(status))?;
                }
                s.audit().append_audit(&change_entry(
                    me,
                    Command::PackageCreate {
                        users_can_create: false,
                    },
                    &created.name,
                    json!({ "after": package_json(&created) }),
                ))?;
                let after = json!({ "description": created.description, "status": created.status });
                (Action::Create, json!({ "before": {}, "after": after }))
            }
            Some(before) => {
                let new_description = description.filter(|d| *d != before.description.as_deref());
                let new_status = p.status.filter(|st| *st != before.status);
                if new_description.is_none() && new_status.is_none() {
                    (Action::Unchanged, Value::Null)
                } else {
                    let after = s.packages().update_package(
                        before.id,
                        None,
                        new_description,
                        new_status,
                    )?;
                    s.audit().append_audit(&change_entry(
                        me,
                        Command::PackageEdit(Relation::default()),
                        &after.name,
                        json!({ "before": package_json(&before), "after": package_json(&after) }),
                    ))?;
                    let (mut b, mut a) = (Map::new(), Map::new());
                    if new_description.is_some() {
                        b.insert("description".into(), json!(before.description));
                        a.insert("description".into(), json!(after.description));
                    }
                    if new_status.is_some() {
                        b.insert("status".into(), json!(before.status));
                        a.insert("status".into(), json!(after.status));
                    }
                    (Action::Update, json!({ "before": b, "after": a }))
                }
            }
        };
        out.push(Change {
            kind: Kind::Package,
            name: name.to_string(),
            action,
            changes,
        });
    }
    Ok(out)
}

/// Deactivates the active users the file does not list, never the one running it.
/// Returns the changes and whether the runner was unlisted (and so spared).
pub(super) fn prune(s: &Store, me: &User, listed: &HashSet<String>) -> Result<(Vec<Change>, bool)> {
    let mut unlisted = Vec::new();
    let active = UserFilter {
        status: Some(Status::Active),
        ..Default::default()
    };
    s.each_user(&active, |u| {
        if !listed.contains(&u.email) {
            unlisted.push(u.clone());
        }
        Ok(())
    })?;
    let mut spared_me = false;
    let mut out = Vec::new();
    for u in unlisted {
        if u.id == me.id {
            spared_me = true;
            continue;
        }
        let (after, details) = deactivate(s, &u)?;
        s.audit().append_audit(&change_entry(
            me,
            Command::UserDeactivate,
            &after.email,
            details.clone(),
        ))?;
        out.push(Change {
            kind: Kind::User,
            name: after.email,
            action: Action::Deactivate,
            changes: json!({ "before": details["before"], "after": details["after"] }),
        });
    }
    Ok((out, spared_me))
}

/// Deactivates an active user, ending their sessions: the user after, and the audit
/// entry's details (as `user deactivate` records them).
fn deactivate(s: &Store, u: &User) -> Result<(User, Value)> {
    let inactive = UserChanges {
        status: Some(Status::Inactive),
        ..Default::default()
    };
    let (after, revoked) = s.change_user(u.id, &inactive)?;
    let mut details = crate::record::diff(u, &after);
    details["sessions_revoked"] = json!(revoked);
    Ok((after, details))
}
