//! `gatehouse access …`: the package rule made visible — which arm allows a user to see
//! (and change) a package, and the whole users × packages grid.

use serde_json::{json, Value};

use super::{Ctx, Granted};
use crate::authz::{self, Arm, Command};
use crate::cli::ExplainArgs;
use crate::error::Result;
use crate::model::{Role, Status, UserRef};
use crate::store::{Relation, UserFilter};

pub fn explain(ctx: &Ctx<'_>, args: &ExplainArgs) -> Result<()> {
    let is_self = |me: &crate::store::User| {
        args.user.eq_ignore_ascii_case("me")
            || match args.user.parse::<UserRef>() {
                Ok(UserRef::Id(id)) => id == me.id,
                Ok(UserRef::Email(e)) => e.as_str() == me.email,
                Err(_) => false,
            }
    };
    let r = ctx.read_as_deciding(Some(&args.user), |me| Command::AccessExplain {
        about_self: is_self(me),
    })?;
    let about_self = is_self(r.me());
    let user = if about_self {
        r.me().clone()
    } else {
        r.users().require_user(&args.user.parse::<UserRef>()?)?
    };
    // Whoever asks learns nothing about a package they cannot see themselves.
    let (pkg, _) = r.package_for(&args.package, Command::AccessExplainPackage)?;
    let rel = r.assignments().relation(user.id, &pkg)?;
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
    if user.status != Status::Active || user.is_expired(r.now()) {
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
        "user_active": user.status == Status::Active && !user.is_expired(r.now()),
        "package_status": pkg.status,
    });
    ctx.out.record(&value, &lines)
}

/// The grid (users × packages) is drawn up to this many cells; beyond, the pairs.
const GRID_CELLS: u64 = 20_000;

/// The rule for everyone: in json, jsonl and csv one row per (user, package) pair the
/// user can reach, with the arm that reaches it, streamed by the store; for people a
/// grid of users × packages, or the pairs when the grid would be too large to read.
pub fn matrix(ctx: &Ctx<'_>) -> Result<()> {
    let r = ctx.read_as(Command::AccessMatrix, None)?;
    let grid = ctx.out.format() == crate::cli::Format::Table
        && (r.users().count_users()? as u64).saturating_mul(r.packages().count_packages()?)
            <= GRID_CELLS;
    if grid {
        return matrix_grid(ctx, r.store());
    }
    if ctx.out.format() == crate::cli::Format::Table {
        ctx.out.note(&format!(
            "more than {GRID_CELLS} user × package cells: listing the reachable pairs instead \
             (`--format csv` for a spreadsheet)"
        ));
    }
    let mut list = ctx
        .out
        .list(&["Name", "Email", "Package", "Arm"])
        .csv_from_items(&[
            "user_id", "email", "name", "role", "status", "package", "arm",
        ])
        .when_empty("no user reaches any package");
    r.assignments().for_each_access_pair(&mut |p| {
        let item = json!({
            "user_id": p.user_id, "email": p.email, "name": p.name, "role": p.role,
            "status": p.status, "package": p.package, "arm": p.arm,
        });
        let cells = vec![
            p.name.clone(),
            p.email.clone(),
            p.package.clone(),
            p.arm.as_str().into(),
        ];
        list.push(cells, &item)
    })?;
    list.finish()
}

/// Users × packages, a mark per reachable cell (small stores only).
fn matrix_grid(ctx: &Ctx<'_>, store: &crate::store::Store) -> Result<()> {
    let grid = grid(store, &UserFilter::default(), usize::MAX)?;
    let mut headers = vec!["Name".to_string(), "Email".to_string()];
    headers.extend(grid.packages.iter().map(|p| p.name.clone()));
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut list = ctx.out.list(&hdr);
    for (u, arms) in &grid.rows {
        let mut row = vec![u.name.clone(), u.email.clone()];
        row.extend(arms.iter().map(|arm| {
            match arm {
                Some(Arm::Admin) => "A",
                Some(Arm::Creator) => "C",
                Some(Arm::Assigned) => "✓",
                None => "",
            }
            .to_string()
        }));
        list.push(row, &Value::Null)?;
    }
    list.finish()?;
    ctx.out.note("A admin · C creator · ✓ assigned");
    Ok(())
}

/// Who reaches what, cell by cell: the users a filter picks against the first packages
/// (by name), each cell the arm of the rule that reaches it. Every cell's relation comes
/// from one query, so a grid costs three round trips whatever its size. `access matrix`
/// and `review` both draw theirs from here.
pub struct Grid {
    pub packages: Vec<crate::store::Package>,
    pub rows: Vec<(crate::store::User, Vec<Option<Arm>>)>,
}

pub fn grid(store: &crate::store::Store, users: &UserFilter, max_packages: usize) -> Result<Grid> {
    let mut packages = Vec::new();
    store.each_package(None, true, |p| {
        if packages.len() < max_packages {
            packages.push(p.clone());
        }
        Ok(())
    })?;
    let mut people = Vec::new();
    store.each_user(users, |u| {
        people.push(u.clone());
        Ok(())
    })?;
    let ids: Vec<i64> = people.iter().map(|u| u.id).collect();
    let pkg_ids: Vec<i64> = packages.iter().map(|p| p.id).collect();
    let assigned = store.assignments().assigned_among(&ids, &pkg_ids)?;
    let rows = people
        .into_iter()
        .map(|u| {
            let arms = packages
                .iter()
                .map(|p| {
                    let rel = Relation {
                        creator: p.created_by == Some(u.id),
                        assigned: assigned.contains(&(u.id, p.id)),
                    };
                    authz::can_see(u.role, rel)
                })
                .collect();
            (u, arms)
        })
        .collect();
    Ok(Grid { packages, rows })
}
