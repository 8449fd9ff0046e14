//! `gatehouse package …`: packages and assignments. Every decision goes through the
//! rule in `authz`; a package the caller may not see is reported exactly like one that
//! does not exist.

use serde_json::{json, Value};

use super::{change_entry, Ctx, Granted, Writer};
use crate::authz::{self, Command};
use crate::cli::{AssignArgs, PackageArg, PackageCreateArgs, PackageEditArgs, PackageListArgs};
use crate::error::{Error, Result};
use crate::model::{PackageName, Role, Status, UserRef};
use crate::output::status_label;
pub use crate::record::package_json;
use crate::store::{Package, Relation, User};

fn package_row(p: &Package) -> Vec<String> {
    vec![
        p.name.clone(),
        status_label(p.status).to_string(),
        p.description.clone().unwrap_or_default(),
        p.created_by_email.clone().unwrap_or_else(|| "-".into()),
        p.assigned_count.to_string(),
    ]
}

const PACKAGE_HEADERS: &[&str] = &["Name", "Status", "Description", "Created by", "Assigned"];

pub fn list(ctx: &Ctx<'_>, args: &PackageListArgs) -> Result<()> {
    let r = ctx.read_as(Command::PackageList, None)?;
    let visible_to = (r.me().role != Role::Admin).then_some(r.me().id);
    // CSV is data like JSON: the same fields, ids included, statuses as words.
    let mut list = ctx.out.list(PACKAGE_HEADERS).csv_from_items(&[
        "id",
        "name",
        "description",
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "assigned_count",
    ]);
    r.store().each_package(visible_to, args.all, |p| {
        list.push(package_row(p), &package_json(p))
    })?;
    list.finish()
}

pub fn show(ctx: &Ctx<'_>, args: &PackageArg) -> Result<()> {
    let (_, p, _) = ctx.read_package(&args.package, Command::PackageShow)?;
    print_package(ctx, &p)
}

fn print_package(ctx: &Ctx<'_>, p: &Package) -> Result<()> {
    ctx.out.object(
        &[
            ("ID", p.id.to_string()),
            ("Name", p.name.clone()),
            (
                "Description",
                p.description.clone().unwrap_or_else(|| "-".into()),
            ),
            ("Status", status_label(p.status).to_string()),
            (
                "Created by",
                p.created_by_email.clone().unwrap_or_else(|| "-".into()),
            ),
            ("Created", p.created_at.clone()),
            ("Updated", p.updated_at.clone()),
            ("Assigned users", p.assigned_count.to_string()),
        ],
        &package_json(p),
    )
}

pub fn create(ctx: &Ctx<'_>, args: &PackageCreateArgs) -> Result<()> {
    let name = args.name.as_str();
    let description = args.description.as_ref().and_then(|d| d.0.as_deref());
    // The setting that may allow it is read under the lock.
    let allowed_by = |settings: &crate::settings::Settings| Command::PackageCreate {
        users_can_create: settings.users_can_create,
    };
    let gated = Command::PackageCreate {
        users_can_create: false,
    };
    let r = ctx.read_gated(gated, Some(name))?;
    let (p, created) = r.write_per_settings(Some(name), allowed_by, |w, cmd| {
        let me = w.me();
        if args.if_not_exists {
            // Only a package the caller can see counts as there; a hidden one is a
            // refused name like any other.
            if let Some(p) = w.packages().package_by_name(name)? {
                let rel = w.assignments().relation(me.id, &p)?;
                if authz::can_see(me.role, rel).is_some() {
                    return Ok((p, false));
                }
            }
        }
        let p = w
            .packages()
            .insert_package(name, description, me.id)
            .map_err(|e| name_refused(w, cmd, name, e))?;
        w.audit().append_audit(&change_entry(
            me,
            cmd,
            &p.name,
            json!({ "after": package_json(&p) }),
        ))?;
        Ok((p, true))
    })?;
    let verb = if created {
        "created package"
    } else {
        "package exists, unchanged:"
    };
    let mut item = package_json(&p);
    item["created"] = json!(created);
    ctx.out.changes(&[format!("{verb} {}", p.name)], &[item])
}

/// A package name that is taken. Names are unique across the store, so a name can be
/// taken by a package the caller cannot see: a regular user gets one answer for every
/// taken name, visible or not ("not available", never "exists"), and every refusal is
/// recorded, so probing for names shows up in the trail.
fn name_refused(w: &Writer<'_>, cmd: Command, name: &str, e: Error) -> Error {
    if e.kind != crate::error::Kind::Conflict {
        return e;
    }
    let e = if w.me().role == Role::Admin {
        e
    } else {
        Error::conflict(format!("the package name `{name}` is not available"))
            .with_hint("package names are unique across the whole store, including packages you cannot see; choose another name")
    };
    w.deny(cmd, Some(name), e)
}

fn package_changed(ctx: &Ctx<'_>, verb: &str, p: &Package) -> Result<()> {
    ctx.out
        .changes(&[format!("{verb} {}", p.name)], &[package_json(p)])
}

pub fn edit(ctx: &Ctx<'_>, args: &PackageEditArgs) -> Result<()> {
    if args.name.is_none() && args.description.is_none() {
        return Err(Error::usage("nothing to change").with_hint("give --name and/or --description"));
    }
    let description = args.description.as_ref().map(|d| d.0.as_deref());
    let new_name = args.name.as_ref().map(PackageName::as_str);
    let gated = Command::PackageEdit(Relation::default());
    let r = ctx.read_gated(gated, Some(args.package.as_str()))?;
    let after = r.write_package(&args.package, Command::PackageEdit, |w, before, rel| {
        let cmd = Command::PackageEdit(rel);
        let after = w
            .packages()
            .update_package(before.id, new_name, description, None)
            .map_err(|e| name_refused(w, cmd, new_name.unwrap_or_default(), e))?;
        w.audit().append_audit(&change_entry(
            w.me(),
            cmd,
            &after.name,
            json!({ "before": package_json(&before), "after": package_json(&after) }),
        ))?;
        Ok(after)
    })?;
    package_changed(ctx, "updated package", &after)
}

pub fn set_status(ctx: &Ctx<'_>, args: &PackageArg, status: Status) -> Result<()> {
    let cmd = match status {
        Status::Active => Command::PackageActivate,
        Status::Inactive => Command::PackageDeactivate,
    };
    let r = ctx.read_gated(cmd(Relation::default()), Some(args.package.as_str()))?;
    let after = r.write_package(&args.package, cmd, |w, before, rel| {
        if before.status == status {
            return Ok(before);
        }
        let after = w
            .packages()
            .update_package(before.id, None, None, Some(status))?;
        w.audit().append_audit(&change_entry(
            w.me(),
            cmd(rel),
            &after.name,
            json!({ "before": { "status": before.status }, "after": { "status": after.status } }),
        ))?;
        Ok(after)
    })?;
    let verb = match status {
        Status::Active => "activated package",
        Status::Inactive => "deactivated package",
    };
    package_changed(ctx, verb, &after)
}

pub fn delete(ctx: &Ctx<'_>, args: &PackageArg) -> Result<()> {
    // Looked up first only to ask; the decision that counts is made under the lock.
    let (r, p, _) = ctx.read_package(&args.package, Command::PackageDelete)?;
    ctx.confirm(&format!(
        "Delete package `{}` and its {} assignment(s)?",
        p.name, p.assigned_count
    ))?;
    let gone = r.write_package(&args.package, Command::PackageDelete, |w, p, rel| {
        w.packages().delete_package(p.id)?;
        w.audit().append_audit(&change_entry(
            w.me(),
            Command::PackageDelete(rel),
            &p.name,
            json!({ "before": package_json(&p), "deleted": true }),
        ))?;
        Ok(p)
    })?;
    package_changed(ctx, "deleted package", &gone)
}

/// Resolves every package and user of an assign/unassign; all unknown names are
/// reported together and nothing changes.
fn resolve_pairs(
    w: &Writer<'_>,
    args: &AssignArgs,
    listed: &[UserRef],
) -> Result<(Vec<Package>, Vec<User>)> {
    let pkgs = super::packages(w, &args.packages)?;
    let refs: Vec<UserRef> = args.users.iter().chain(listed).cloned().collect();
    let users = super::users(w, &refs)?;
    Ok((pkgs, users))
}

pub fn assign(ctx: &Ctx<'_>, args: &AssignArgs, add: bool) -> Result<()> {
    let cmd = if add {
        Command::PackageAssign
    } else {
        Command::PackageUnassign
    };
    let target = args
        .packages
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let r = ctx.read_as(cmd, Some(&target))?;
    // Read after the decision: a refused caller consumes no input.
    let listed = match &args.from {
        Some(path) => super::bulk::read_from(ctx.env, path)?,
        None => Vec::new(),
    };
    let (lines, users, inactive) = r.write_as(cmd, Some(&target), !args.dry_run, |w| {
        apply_assignments(w, args, &listed, cmd)
    })?;
    for email in &inactive {
        ctx.out.warn(&format!(
            "{email} is inactive: the assignment takes effect only if they are activated"
        ));
    }
    if args.dry_run {
        ctx.out.note("dry run: nothing was changed");
        let lines: Vec<String> = lines.iter().map(|l| format!("would have {l}")).collect();
        let items: Vec<Value> = lines.iter().map(|l| json!({ "would": l })).collect();
        return ctx.out.changes(&lines, &items);
    }
    let items: Vec<Value> = users
        .iter()
        .map(|u| serde_json::to_value(crate::output::UserView::from(u)))
        .collect::<serde_json::Result<_>>()?;
    ctx.out.changes(&lines, &items)
}

fn apply_assignments(
    w: &Writer<'_>,
    args: &AssignArgs,
    listed: &[UserRef],
    cmd: Command,
) -> Result<(Vec<String>, Vec<User>, Vec<String>)> {
    let add = cmd == Command::PackageAssign;
    let me = w.me();
    let (pkgs, users) = resolve_pairs(w, args, listed)?;
    let mut lines = Vec::new();
    // Assigning to an inactive user is allowed (it waits for their return), and said.
    let inactive: Vec<String> = users
        .iter()
        .filter(|u| add && u.status == crate::model::Status::Inactive)
        .map(|u| u.email.clone())
        .collect();
    for u in &users {
        for p in &pkgs {
            let changed = if add {
                w.assignments().assign(u.id, p.id, me.id)?
            } else {
                w.assignments().unassign(u.id, p.id)?
            };
            let (verb, prep) = if add {
                ("assigned", "to")
            } else {
                ("unassigned", "from")
            };
            if changed {
                let mut details =
                    json!({ "package": p.name, if add { "assigned" } else { "unassigned" }: true });
                if inactive.contains(&u.email) {
                    details["user_inactive"] = json!(true);
                }
                w.audit()
                    .append_audit(&change_entry(me, cmd, &u.email, details))?;
                lines.push(format!("{verb} {} {prep} {}", p.name, u.email));
            } else if add {
                lines.push(format!("already assigned {} to {}", p.name, u.email));
            } else {
                lines.push(format!("{} was not assigned to {}", p.name, u.email));
            }
        }
    }
    let after = users
        .iter()
        .map(|u| w.users().require_user(&UserRef::Id(u.id)))
        .collect::<Result<Vec<_>>>()?;
    Ok((lines, after, inactive))
}

pub fn members(ctx: &Ctx<'_>, args: &PackageArg) -> Result<()> {
    let (r, p, _) = ctx.read_package(&args.package, Command::PackageMembers)?;
    let members = r.assignments().members(&p)?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    // Who the admins are is not a regular user's business: they are one line.
    let admin_view = r.me().role == Role::Admin;
    if !admin_view && members.iter().any(|m| m.is_admin) {
        rows.push(vec!["all admins".into(), "-".into(), "admin".into()]);
        items.push(json!({
            "id": null, "email": null, "name": "all admins", "reasons": ["admin"],
            "assigned_by": null, "assigned_at": null,
        }));
    }
    for m in members.iter().filter(|m| admin_view || !m.is_admin) {
        let mut why = Vec::new();
        if m.is_admin {
            why.push("admin");
        }
        if m.relation.creator {
            why.push("creator");
        }
        if m.relation.assigned {
            why.push("assigned");
        }
        rows.push(vec![m.name.clone(), m.email.clone(), why.join(", ")]);
        items.push(json!({
            "id": m.user_id,
            "email": m.email,
            "name": m.name,
            "reasons": why,
            "assigned_by": m.assigned_by,
            "assigned_at": m.assigned_at,
        }));
    }
    ctx.out.rows(&["Name", "Email", "Why"], &rows, &items)
}
