//! Commands that change many users at once — `user activate`, `deactivate`, `unlock`,
//! `offboard`, `delete` — over TARGETS: USERs, `--from FILE|-`, and filters. One
//! transaction: unknown users are listed and nothing changes; the last-admin guard
//! applies to the batch as a whole.

use std::io::Read;

use serde_json::json;

use super::user::diff;
use super::{change_entry, Ctx, Granted, Reader, Writer};
use crate::authz::Command;
use crate::cli::TargetArgs;
use crate::error::{Error, Result};
use crate::model::{printable, Email, Status, UserRef};
use crate::store::{User, UserChanges, UserFilter};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    Activate,
    Deactivate,
    Unlock,
    Offboard,
    Delete,
}

impl Bulk {
    fn action(self) -> Command {
        match self {
            Bulk::Activate => Command::UserActivate,
            Bulk::Deactivate => Command::UserDeactivate,
            Bulk::Unlock => Command::UserUnlock,
            Bulk::Offboard => Command::UserOffboard,
            Bulk::Delete => Command::UserDelete,
        }
    }
    fn verb(self) -> &'static str {
        match self {
            Bulk::Activate => "activated",
            Bulk::Deactivate => "deactivated",
            Bulk::Unlock => "unlocked",
            Bulk::Offboard => "offboarded",
            Bulk::Delete => "deleted",
        }
    }
    fn infinitive(self) -> &'static str {
        match self {
            Bulk::Activate => "activate",
            Bulk::Deactivate => "deactivate",
            Bulk::Unlock => "unlock",
            Bulk::Offboard => "offboard",
            Bulk::Delete => "delete",
        }
    }
    fn already(self) -> &'static str {
        match self {
            Bulk::Activate => "already active",
            Bulk::Deactivate => "already inactive",
            Bulk::Unlock => "not locked",
            Bulk::Offboard => "already offboarded",
            Bulk::Delete => "already gone",
        }
    }

    /// Applies the change to one user; `None` when there is nothing to do. Returns the
    /// user after the change (before it, for `delete`) and the audit details.
    pub(super) fn change(
        self,
        w: &Writer<'_>,
        u: &User,
    ) -> Result<Option<(User, serde_json::Value)>> {
        let set_status = |status| {
            w.store().change_user(
                u.id,
                &UserChanges {
                    status: Some(status),
                    ..Default::default()
                },
            )
        };
        match self {
            Bulk::Activate if u.status == Status::Active => Ok(None),
            Bulk::Deactivate if u.status == Status::Inactive => Ok(None),
            Bulk::Unlock if u.failed_logins == 0 && u.locked_until.is_none() => Ok(None),
            Bulk::Offboard if u.status == Status::Inactive && u.packages.is_empty() => {
                // Nothing to remove, but a stray live session still goes.
                w.sessions().revoke_user_sessions(u.id, None)?;
                Ok(None)
            }
            Bulk::Activate => {
                let (after, _) = set_status(Status::Active)?;
                Ok(Some((after.clone(), diff(u, &after))))
            }
            Bulk::Deactivate => {
                let (after, revoked) = set_status(Status::Inactive)?;
                let mut d = diff(u, &after);
                d["sessions_revoked"] = json!(revoked);
                Ok(Some((after, d)))
            }
            Bulk::Unlock => {
                let after = w.users().unlock_user(u.id)?;
                Ok(Some((
                    after,
                    json!({
                        "before": { "failed_logins": u.failed_logins, "locked_until": u.locked_until },
                        "after": { "failed_logins": 0, "locked_until": null },
                    }),
                )))
            }
            Bulk::Offboard => {
                let (_, revoked) = set_status(Status::Inactive)?;
                let removed = w.assignments().unassign_all(u.id)?;
                let after = w.users().user_by_id(u.id)?;
                let mut d = diff(u, &after);
                d["sessions_revoked"] = json!(revoked);
                d["packages_removed"] = json!(removed);
                Ok(Some((after, d)))
            }
            Bulk::Delete => {
                w.users().delete_user(u.id)?;
                Ok(Some((
                    u.clone(),
                    json!({ "before": super::user::user_fields(u), "deleted": true }),
                )))
            }
        }
    }
}

/// TARGETS as given: explicit users (arguments and `--from`) and an optional filter.
struct Targets {
    refs: Vec<UserRef>,
    filter: Option<UserFilter>,
    label: String,
    /// `--ignore-missing`: named users that do not exist are skipped, not refused.
    ignore_missing: bool,
}

/// Reads `--from FILE|-`: one email per line, `#` comments and blank lines skipped;
/// every bad line is reported (exit 7) before anything happens — by number and reason,
/// never by content: the file may be one that should not be shown.
pub(crate) fn read_from(env: &crate::env::Env, path: &std::path::Path) -> Result<Vec<UserRef>> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        crate::input::open_named(env, path, crate::error::Kind::Invalid)?.read_to_string(&mut text)
    };
    read.map_err(|e| Error::invalid(format!("cannot read `{}`: {e}", path.display())))?;
    let mut refs = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        match Email::parse_reason(entry) {
            Ok(e) => refs.push(UserRef::Email(e)),
            Err(why) => bad.push(format!("line {}: not an email ({why})", i + 1)),
        }
    }
    if !bad.is_empty() {
        let shown = bad.len().min(10);
        let more = if bad.len() > shown {
            format!("; and {} more", bad.len() - shown)
        } else {
            String::new()
        };
        return Err(Error::invalid(format!(
            "`{}` has {} bad line(s): {}{more}",
            printable(&path.to_string_lossy()),
            bad.len(),
            bad[..shown].join("; ")
        ))
        .with_hint("nothing was changed; the file holds one email per line"));
    }
    Ok(refs)
}

fn targets(env: &crate::env::Env, args: &TargetArgs) -> Result<Targets> {
    let mut refs: Vec<UserRef> = args.users.iter().filter_map(|w| w.0.clone()).collect();
    if let Some(path) = &args.from {
        refs.extend(read_from(env, path)?);
    }
    let filtered =
        args.all || args.role.is_some() || args.status.is_some() || args.package.is_some();
    let filter = filtered.then(|| UserFilter {
        role: args.role,
        status: args.status,
        package: args.package.as_ref().map(|p| p.to_string()),
        ..Default::default()
    });
    Ok(Targets {
        refs,
        filter,
        label: label(args),
        ignore_missing: args.ignore_missing,
    })
}

/// How the audit trail names TARGETS, without reading `--from`.
fn label(args: &TargetArgs) -> String {
    let mut parts: Vec<String> = args
        .users
        .iter()
        .filter_map(|w| w.0.as_ref().map(ToString::to_string))
        .collect();
    if let Some(p) = &args.from {
        parts.push(format!("--from {}", p.display()));
    }
    if args.all || args.role.is_some() || args.status.is_some() || args.package.is_some() {
        parts.push("(filter)".into());
    }
    printable(&parts.join(","))
}

/// The users TARGETS name, each once, in the order given (then filter order), and with
/// `--ignore-missing` the names that were skipped.
fn resolve_targets(s: &impl Granted, t: &Targets) -> Result<(Vec<User>, Vec<String>)> {
    let (mut users, missing) = super::look_up_each(&t.refs, |r| s.users().user(r), |u| u.id)?;
    if !t.ignore_missing && !missing.is_empty() {
        let noun = if missing.len() == 1 { "user" } else { "users" };
        // The caller is an admin (decided before): they may see which emails exist.
        let unknown: Vec<&str> = t
            .refs
            .iter()
            .filter_map(|r| match r {
                UserRef::Email(e) if !users.iter().any(|u| u.email == e.as_str()) => {
                    Some(e.as_str())
                }
                _ => None,
            })
            .collect();
        let guesses: Vec<String> = unknown
            .iter()
            .zip(super::close_emails(s, &unknown)?)
            .filter_map(|(w, close)| close.first().map(|c| format!("`{c}` for `{w}`")))
            .collect();
        let did_you_mean = if guesses.is_empty() {
            String::new()
        } else {
            format!("did you mean {}? ", guesses.join(", "))
        };
        return Err(
            Error::not_found(format!("no such {noun}: {}", missing.join(", "))).with_hint(format!(
                "{did_you_mean}nothing was changed; --ignore-missing skips the users that do not exist"
            )),
        );
    }
    if let Some(f) = &t.filter {
        if let Some(p) = &f.package {
            if s.packages().package_by_name(p)?.is_none() {
                return Err(crate::store::package_not_found(p));
            }
        }
        let mut seen: std::collections::HashSet<i64> = users.iter().map(|u| u.id).collect();
        s.store().each_user(f, |u| {
            if seen.insert(u.id) {
                users.push(u.clone());
            }
            Ok(())
        })?;
    }
    Ok((users, missing))
}

pub fn run(ctx: &Ctx<'_>, args: &TargetArgs, op: Bulk) -> Result<()> {
    let action = op.action();
    // Authorized before `--from` is read: a refused caller consumes no input.
    let r = ctx.read_as(action, Some(&label(args)))?;
    let mut t = targets(ctx.env, args)?;
    if args.interactive {
        match pick(ctx, &r, &t, op)? {
            Some(picked) => t = picked,
            None => {
                ctx.out.note("no users picked; nothing to do");
                return Ok(());
            }
        }
    }
    let (found, missing) = resolve_targets(&r, &t)?;
    if !missing.is_empty() {
        let (who, verb) = match missing.len() {
            1 => ("1 user".to_string(), "does"),
            n => (format!("{n} users"), "do"),
        };
        ctx.out.warn(&format!(
            "skipped {who} that {verb} not exist: {}",
            printable(&missing.join(", "))
        ));
    }
    if found.is_empty() {
        ctx.out.note("no users match; nothing to do");
        return ctx.out.changed(op.verb(), &[], true);
    }
    // Picking from the list was the confirmation, except for a deletion.
    if !args.dry_run && (op == Bulk::Delete || (found.len() > 1 && !args.interactive)) {
        let who = confirmation_names(&found);
        ctx.confirm(&format!("{} {who}?", capitalize(op.infinitive())))?;
    }
    let (changed, unchanged) = r.write_as(action, Some(&t.label), !args.dry_run, |w| {
        let mut changed = Vec::new();
        let mut unchanged = Vec::new();
        for u in resolve_targets(w, &t)?.0 {
            match op.change(w, &u)? {
                Some((after, details)) => {
                    w.audit()
                        .append_audit(&change_entry(w.me(), action, &u.email, details))?;
                    changed.push(after);
                }
                None => unchanged.push(u),
            }
        }
        Ok((changed, unchanged))
    })?;
    for u in &unchanged {
        ctx.out
            .note(&format!("{} is {}; unchanged", u.email, op.already()));
    }
    if args.dry_run {
        ctx.out.note("dry run: nothing was changed");
        return ctx
            .out
            .changed(&format!("would {}", op.infinitive()), &changed, true);
    }
    ctx.out.changed(op.verb(), &changed, true)
}

/// Who a confirmation is about: everyone by email when that fits on a line or two, else
/// the first few and a count.
fn confirmation_names(users: &[User]) -> String {
    const SHOWN: usize = 5;
    let emails: Vec<String> = users
        .iter()
        .take(SHOWN)
        .map(|u| printable(&u.email))
        .collect();
    match users.len() {
        1 => emails[0].clone(),
        n if n <= SHOWN => format!("{} ({n} users)", emails.join(", ")),
        n => format!("{} and {} more ({n} users)", emails.join(", "), n - SHOWN),
    }
}

/// `--interactive`: the users to pick from (the targets given, or everyone) as a
/// checkbox list; the picked ones become the targets. `None`: nobody was picked.
fn pick(ctx: &Ctx<'_>, r: &Reader, t: &Targets, op: Bulk) -> Result<Option<Targets>> {
    if !ctx.env.stdin_tty {
        return Err(Error::usage("--interactive needs a terminal")
            .with_hint("name the users, or use --from FILE or filters"));
    }
    let candidates = if !t.refs.is_empty() || t.filter.is_some() {
        resolve_targets(r, t)?.0
    } else {
        let mut all = Vec::new();
        r.store().each_user(&UserFilter::default(), |u| {
            all.push(u.clone());
            Ok(())
        })?;
        all
    };
    let picked = crate::prompt::pick_users(&capitalize(op.infinitive()), &candidates)?;
    if picked.is_empty() {
        return Ok(None);
    }
    let emails: Vec<&str> = picked.iter().map(|u| u.email.as_str()).collect();
    Ok(Some(Targets {
        refs: picked.iter().map(|u| UserRef::Id(u.id)).collect(),
        filter: None,
        label: printable(&emails.join(",")),
        ignore_missing: false,
    }))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
