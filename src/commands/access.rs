//! `gatehouse access …`: the package rule made visible — which arm allows a user to see
//! (and change) a package, and the whole users × packages grid.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::{authorize, package_for, Ctx};
use crate::authz::{self, Arm, Command};
use crate::cli::ExplainArgs;
use crate::error::Result;
use crate::model::{Role, Status, UserRef};
use crate::store::{Relation, UserFilter};

pub fn explain(ctx: &Ctx<'_>, args: &ExplainArgs) -> Result<()> {
    let (store, actor) = ctx.login()?;
    let me = &actor.user;
    let about_self = args.user.eq_ignore_ascii_case("me")
        || match args.user.parse::<UserRef>() {
            Ok(UserRef::Id(id)) => id == me.id,
            Ok(UserRef::Email(e)) => e.as_str() == me.email,
            Err(_) => false,
        };
    authorize(
        &store,
        me,
        Command::AccessExplain { about_self },
        Some(&args.user),
    )?;
    let user = if about_self {
        me.clone()
    } else {
        store.require_user(&args.user.parse::<UserRef>()?)?
    };
    // Whoever asks learns nothing about a package they cannot see themselves.
    let (pkg, _) = package_for(&store, me, &args.package, Command::AccessExplainPackage)?;
    let rel = store.relation(user.id, &pkg)?;
    let see = authz::can_see(user.role, rel);
    let change = authz::can_change(user.role, rel);
    let arm_text = |a: Option<Arm>| match a {
        Some(Arm::Admin) => "the user is an admin".to_string(),
        Some(Arm::Creator) => "the user created it".to_string(),
        Some(Arm::Assigned) => "it is assigned to the user".to_string(),
        None => "no arm applies: not an admin, not the creator, not assigned".to_string(),
    };
    let mut lines = vec![
        format!(
            "{}: {} {} see `{}` — {}",
            if see.is_some() { "allowed" } else { "denied" },
            user.email,
            if see.is_some() { "can" } else { "cannot" },
            pkg.name,
            arm_text(see)
        ),
        format!(
            "change: {} — {}",
            if change.is_some() {
                "allowed"
            } else {
                "denied"
            },
            match change {
                Some(a) => arm_text(Some(a)),
                None => "only admins and the creator may change it".to_string(),
            }
        ),
        "rule: see = admin OR creator OR assigned; change = admin OR creator".to_string(),
    ];
    if user.status != Status::Active || user.is_expired(store.now()) {
        lines.push(format!(
            "note: {} cannot log in (inactive or expired), so the rule is moot until that changes",
            user.email
        ));
    }
    if pkg.status == Status::Inactive {
        lines.push(format!("note: `{}` is inactive", pkg.name));
    }
    let value = json!({
        "user": user.email,
        "package": pkg.name,
        "allowed": see.is_some(),
        "arm": see,
        "can_change": change.is_some(),
        "change_arm": change,
        "relation": { "admin": user.role == Role::Admin, "creator": rel.creator, "assigned": rel.assigned },
        "user_active": user.status == Status::Active && !user.is_expired(store.now()),
        "package_status": pkg.status,
    });
    ctx.out.record(&value, &lines)
}

pub fn matrix(ctx: &Ctx<'_>) -> Result<()> {
    let (store, _) = ctx.read_as(Command::AccessMatrix, None)?;
    let mut pkgs = Vec::new();
    store.each_package(None, true, |p| {
        pkgs.push(p.clone());
        Ok(())
    })?;
    let assigned: HashSet<(i64, i64)> = store.all_assignments()?.into_iter().collect();
    let creators: HashMap<i64, Vec<i64>> = pkgs.iter().fold(HashMap::new(), |mut m, p| {
        if let Some(c) = p.created_by {
            m.entry(c).or_default().push(p.id);
        }
        m
    });
    let mut headers = vec!["Name".to_string(), "Email".to_string()];
    headers.extend(pkgs.iter().map(|p| p.name.clone()));
    let mut rows = Vec::new();
    let mut items = Vec::new();
    store.each_user(&UserFilter::default(), |u| {
        let mut row = vec![u.name.clone(), u.email.clone()];
        let mut access = serde_json::Map::new();
        for p in &pkgs {
            let rel = Relation {
                creator: creators.get(&u.id).is_some_and(|c| c.contains(&p.id)),
                assigned: assigned.contains(&(u.id, p.id)),
            };
            let arm = authz::can_see(u.role, rel);
            row.push(match arm {
                Some(Arm::Admin) => "A",
                Some(Arm::Creator) => "C",
                Some(Arm::Assigned) => "✓",
                None => "",
            }
            .to_string());
            if let Some(a) = arm {
                access.insert(p.name.clone(), Value::String(a.as_str().into()));
            }
        }
        rows.push(row);
        items.push(json!({ "email": u.email, "name": u.name, "role": u.role, "status": u.status, "packages": access }));
        Ok(())
    })?;
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    ctx.out.rows(&hdr, &rows, &items)?;
    if ctx.out.format() == crate::cli::Format::Table {
        ctx.out.note("A admin · C creator · ✓ assigned");
    }
    Ok(())
}
