//! `gatehouse user doctor USER`: in plain sentences, why a user cannot log in (or that
//! nothing prevents it) and which packages they can see and why. For an unknown email it
//! suggests the closest existing ones — a typo is the most common cause.

use serde_json::json;

use super::{Ctx, Granted, Reader};
use crate::authz::{self, Command};
use crate::cli::UserShowArgs;
use crate::error::{Error, Result};
use crate::model::{Role, Status, UserRef};
use crate::store::User;

pub fn run(ctx: &Ctx<'_>, args: &UserShowArgs) -> Result<()> {
    let r = ctx.read_as(Command::UserDoctor, Some(&args.user.to_string()))?;
    let Some(u) = r.users().user(&args.user)? else {
        return Err(not_found_with_suggestions(&r, &args.user)?);
    };
    let now = r.now();
    let problems = problems(&u, now);
    let notes = notes(&u, now);
    let packages = packages(&r, &u)?;
    let mut lines = Vec::new();
    if problems.is_empty() {
        lines.push(format!("nothing prevents {} from logging in", u.email));
    } else {
        lines.push(format!("{} cannot log in:", u.email));
        for (_, what, fix) in &problems {
            lines.push(format!("  - {what}; fix: `{fix}`"));
        }
    }
    lines.extend(notes.iter().map(|n| format!("note: {n}")));
    if packages.is_empty() {
        lines.push(format!("{} can see no packages", u.email));
    } else {
        lines.push(format!(
            "{} can see {} package(s):",
            u.email,
            packages.len()
        ));
        for (name, arm, status) in &packages {
            let why = match arm {
                authz::Arm::Admin => "as an admin",
                authz::Arm::Creator => "created it",
                authz::Arm::Assigned => "assigned",
            };
            let inactive = if *status == Status::Inactive {
                " (inactive)"
            } else {
                ""
            };
            lines.push(format!("  - {name}{inactive}: {why}"));
        }
    }
    let value = json!({
        "email": u.email,
        "can_log_in": problems.is_empty(),
        "problems": problems.iter().map(|(code, what, fix)| json!({ "code": code, "message": what, "fix": fix })).collect::<Vec<_>>(),
        "notes": notes,
        "packages": packages.iter().map(|(n, a, s)| json!({ "name": n, "arm": a, "status": s })).collect::<Vec<_>>(),
    });
    ctx.out.record(&value, &lines)
}

/// What stops the user from logging in: a code, the sentence, the command that fixes it.
fn problems(u: &User, now: jiff::Timestamp) -> Vec<(&'static str, String, String)> {
    let mut problems = Vec::new();
    if u.status == Status::Inactive {
        problems.push((
            "inactive",
            format!("{} is inactive", u.email),
            format!("gatehouse user activate {}", u.email),
        ));
    }
    if let Some(until) = u.locked_until(now) {
        problems.push((
            "locked",
            format!(
                "{} is locked until {until} after {} failed logins",
                u.email, u.failed_logins
            ),
            format!("gatehouse user unlock {}", u.email),
        ));
    }
    if u.is_expired(now) {
        problems.push((
            "expired",
            format!(
                "the account expired at {}",
                u.expires_at.as_deref().unwrap_or("?")
            ),
            format!("gatehouse user edit {} --expires never", u.email),
        ));
    }
    if u.password_hash.is_none() {
        problems.push((
            "no_password",
            "no password has ever been set".to_string(),
            format!("gatehouse user passwd {} --generate-password", u.email),
        ));
    }
    problems
}

/// What is worth knowing though it does not stop a login.
fn notes(u: &User, now: jiff::Timestamp) -> Vec<String> {
    let mut notes = Vec::new();
    if u.must_change_password {
        notes.push(format!(
            "{} must change the password: they can log in, but only `me passwd`, `whoami` and `logout` work until they do",
            u.email
        ));
    }
    if u.failed_logins > 0 && u.locked_until(now).is_none() {
        notes.push(format!(
            "{} failed login(s) since the last success (10 lock the account)",
            u.failed_logins
        ));
    }
    if let Some(exp) = u.expires_at.as_deref().filter(|_| !u.is_expired(now)) {
        notes.push(format!("the account expires at {exp}"));
    }
    notes.push(match &u.last_login_at {
        Some(t) => format!("last login {t}"),
        None => "has never logged in".to_string(),
    });
    notes
}

/// The packages the user can see, with the arm of the rule and the package's status.
fn packages(r: &Reader, u: &User) -> Result<Vec<(String, authz::Arm, Status)>> {
    let visible_to = (u.role != Role::Admin).then_some(u.id);
    let mut packages = Vec::new();
    r.store().each_package(visible_to, true, |p| {
        if let Some(arm) = authz::can_see(u.role, r.assignments().relation(u.id, p)?) {
            packages.push((p.name.clone(), arm, p.status));
        }
        Ok(())
    })?;
    Ok(packages)
}

fn not_found_with_suggestions(r: &Reader, who: &UserRef) -> Result<Error> {
    let base = crate::store::user_not_found(who);
    let UserRef::Email(wanted) = who else {
        return Ok(base);
    };
    let close = super::close_emails(r, &[wanted.as_str()])?.remove(0);
    if close.is_empty() {
        return Ok(base);
    }
    let names: Vec<String> = close.iter().map(|e| format!("`{e}`")).collect();
    Ok(Error::not_found(base.message).with_hint(format!(
        "did you mean {}? check if the email was entered correctly",
        names.join(" or ")
    )))
}
