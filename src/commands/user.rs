//! `gatehouse user …`: administration of other users (admins only).

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use super::{change_entry, policy, Ctx, Granted, Reader, Writer};
use crate::authz::Command;
use crate::cli::{
    Format, ListStatus, SortKey, UserAddArgs, UserEditArgs, UserListArgs, UserPasswdArgs,
    UserShowArgs,
};
use crate::error::{Error, Result};
use crate::input;
use crate::model::{Expiry, ExpiryInput, Role, Status, UserName, UserRef};
use crate::output::{UserListShape, UserView};
use crate::password::{self, Owner};
pub(crate) use crate::record::{diff, user_fields};
use crate::store::{NewUser, User, UserChanges, UserCondition, UserFilter, UserSort};

pub fn list(ctx: &Ctx<'_>, args: &UserListArgs) -> Result<()> {
    let r = ctx.read_as(Command::UserList, None)?;
    if let Some(p) = &args.package {
        if r.packages().package_by_name(p.as_str())?.is_none() {
            return Err(crate::store::package_not_found(p.as_str()));
        }
    }
    let now = crate::model::fmt_ts(r.now());
    let (status, condition) = match args.status {
        None => (None, None),
        Some(ListStatus::Active) => (Some(Status::Active), None),
        Some(ListStatus::Inactive) => (Some(Status::Inactive), None),
        Some(ListStatus::Locked) => (None, Some(UserCondition::LockedAt(now))),
        Some(ListStatus::Expired) => (None, Some(UserCondition::ExpiredBy(now))),
    };
    let filter = UserFilter {
        package: args.package.as_ref().map(|p| p.to_string()),
        role: args.role,
        status,
        search: args.search.clone(),
        sort: match args.sort {
            SortKey::Name => UserSort::Name,
            SortKey::Email => UserSort::Email,
            SortKey::Created => UserSort::Created,
            SortKey::LastLogin => UserSort::LastLogin,
        },
        limit: args.limit,
        offset: args.offset,
        condition,
    };
    let mut list = ctx.out.user_list_as(&UserListShape {
        columns: args.columns.as_deref(),
        headers: !args.no_headers,
        now: Some(r.now()),
    });
    // The rows only go to the output: the store may stream them as they come.
    if list.takes_briefs() {
        r.users()
            .stream_user_briefs(&filter, &mut |b| list.push_brief(b))?;
    } else {
        r.users().stream_users(&filter, &mut |u| list.push(u))?;
    }
    list.finish()
}

/// `--expires` on the store's clock; an expiry already past is kept (it is how an
/// account is ended on a given day after the fact) but said.
fn expiry(ctx: &Ctx<'_>, r: &Reader, e: Option<ExpiryInput>) -> Result<Option<Expiry>> {
    let Some(e) = e else { return Ok(None) };
    let now = r.now();
    let resolved = e.resolve(now)?;
    if let Some(at) = resolved.0.filter(|at| *at <= now) {
        ctx.out.warn(&format!(
            "the expiry {} is in the past: the account cannot log in from now on",
            crate::model::fmt_ts(at)
        ));
    }
    Ok(Some(resolved))
}

pub fn show(ctx: &Ctx<'_>, args: &UserShowArgs) -> Result<()> {
    let r = ctx.read_as(Command::UserShow, Some(&args.user.to_string()))?;
    let u = r.users().require_user(&args.user)?;
    ctx.out.user_detail(&u, r.now())
}

pub fn add(ctx: &Ctx<'_>, args: &UserAddArgs) -> Result<()> {
    let target = args.email.as_ref().map(|e| e.to_string());
    let r = ctx.read_as(Command::UserAdd, target.as_deref())?;
    if !ctx.env.stdin_tty {
        require_flags(args)?;
    }
    let expires = expiry(ctx, &r, args.expires)?;
    if let Some(existing) = already_there(&r, args, args.email.as_ref())? {
        return converge(ctx, &r, args, existing);
    }
    super::packages(&r, &args.packages)?;
    let a = answers(&r, args)?;
    if let Some(existing) = already_there(&r, args, Some(&a.email))? {
        return converge(ctx, &r, args, existing);
    }
    // Fail on a taken email before asking for a password.
    if r.users().user_by_email(a.email.as_str())?.is_some() {
        return Err(crate::store::email_taken(a.email.as_str()));
    }
    super::packages(&r, &a.packages)?;
    let new = match a.password.clone() {
        Some(secret) => input::NewPassword {
            secret,
            generated: a.generated,
        },
        None => input::new_password(args.password.source(), ctx.env)?,
    };
    let owner = Owner {
        email: a.email.as_str(),
        name: a.name.as_str(),
    };
    for w in password::check(&new.secret, &policy(&r)?, &owner)? {
        ctx.out.warn(&w);
    }
    // argon2 before the write lock: other writers are not held up by it.
    let hash = password::hash(&new.secret)?;
    match insert(&r, args, &a, hash, &new.secret, expires)? {
        Ok(u) => report_outcome(
            ctx,
            "created",
            &u,
            new.generated.then(|| new.secret.expose_secret()),
            Some(Outcome {
                created: true,
                changed: true,
            }),
        ),
        // Created by someone else between our check and our write.
        Err(existing) => report_unchanged(ctx, &existing),
    }
}

/// `--if-not-exists` found the user. With a password read from stdin or a file, a CI
/// job's seeding converges: the stored hash is checked against it and, only when it does
/// not match, replaced (sessions revoked, audited). A generated password is never
/// "converged": there is nothing to compare with.
fn converge(ctx: &Ctx<'_>, r: &Reader, args: &UserAddArgs, existing: User) -> Result<()> {
    if !(args.password.password_stdin || args.password.password_file.is_some()) {
        return report_unchanged(ctx, &existing);
    }
    let new = input::new_password(args.password.source(), ctx.env)?;
    if r.store().password_matches(&existing, &new.secret)? {
        return report_unchanged(ctx, &existing);
    }
    let after = set_password(
        ctx,
        r,
        &existing.email,
        &existing,
        &new.secret,
        args.must_change_password,
        json!({ "by": "user add --if-not-exists" }),
    )?;
    ctx.out.note(&format!(
        "{} already exists; its password was not the one given and has been set to it",
        after.email
    ));
    report_outcome(
        ctx,
        "password changed for",
        &after,
        None,
        Some(Outcome {
            created: false,
            changed: true,
        }),
    )
}

/// Without a terminal nothing is asked: the flags must say it all.
fn require_flags(args: &UserAddArgs) -> Result<()> {
    let missing: Vec<&str> = [
        ("--name", args.name.is_none()),
        ("--email", args.email.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(f, _)| *f)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::usage(format!("missing {}", missing.join(" and ")))
        .with_hint("gatehouse user add --name NAME --email EMAIL [--generate-password]"))
}

/// With `--if-not-exists`, the user who already has this email.
fn already_there(
    g: &impl Granted,
    args: &UserAddArgs,
    email: Option<&crate::model::Email>,
) -> Result<Option<User>> {
    let (true, Some(e)) = (args.if_not_exists, email) else {
        return Ok(None);
    };
    g.users().user_by_email(e.as_str())
}

/// The new user's fields: from the flags, or — on a terminal, with some missing — from
/// the Add User dialog.
fn answers(r: &Reader, args: &UserAddArgs) -> Result<crate::prompt::NewUserAnswers> {
    if let (Some(n), Some(e)) = (&args.name, &args.email) {
        return Ok(crate::prompt::NewUserAnswers {
            name: n.clone(),
            email: e.clone(),
            role: args.role.unwrap_or(Role::User),
            packages: args.packages.clone(),
            password: None,
            generated: false,
        });
    }
    let mut names = Vec::new();
    r.store().each_package(None, false, |p| {
        names.push(p.name.clone());
        Ok(())
    })?;
    let has_source = args.password.password_stdin
        || args.password.password_file.is_some()
        || args.password.generate_password;
    crate::prompt::add_user(
        crate::prompt::Known {
            name: args.name.as_ref(),
            email: args.email.as_ref(),
            role: args.role,
            packages: &args.packages,
            ask_password: !has_source,
        },
        &names,
        &|e| r.users().user_by_email(e.as_str()).ok().flatten().is_some(),
        &policy(r)?,
    )
}

/// Writes the new user and their assignments; `Err(existing)` when `--if-not-exists`
/// finds the email taken under the lock.
fn insert(
    r: &Reader,
    args: &UserAddArgs,
    a: &crate::prompt::NewUserAnswers,
    hash: String,
    secret: &secrecy::SecretString,
    expires: Option<Expiry>,
) -> Result<std::result::Result<User, User>> {
    let new_user = NewUser {
        email: a.email.clone(),
        name: a.name.to_string(),
        full_name: args.full_name.clone().and_then(|f| f.0),
        phone: args.phone.clone().and_then(|p| p.0),
        role: a.role,
        status: Status::Active,
        password_hash: Some(hash),
        must_change_password: args.must_change_password,
        expires_at: expires.and_then(|e| e.0),
        created_at: None,
        last_login_at: None,
    };
    r.write_as(Command::UserAdd, Some(a.email.as_str()), true, |w| {
        if let Some(existing) = already_there(w, args, Some(&a.email))? {
            return Ok(Err(existing));
        }
        let mut u = w.users().insert_user(&new_user)?;
        w.sessions().set_login(u.id, secret)?;
        if !a.packages.is_empty() {
            for p in super::packages(w, &a.packages)? {
                w.assignments().assign(u.id, p.id, w.me().id)?;
            }
            u = w.users().user_by_id(u.id)?;
        }
        w.audit().append_audit(&change_entry(
            w.me(),
            Command::UserAdd,
            &u.email,
            json!({ "after": user_fields(&u), "password_changed": true }),
        ))?;
        Ok(Ok(u))
    })
}

/// Prints a created user, and a generated password once.
pub fn report_created(ctx: &Ctx<'_>, verb: &str, u: &User, generated: Option<&str>) -> Result<()> {
    report_outcome(ctx, verb, u, generated, None)
}

/// A user just made (by `init`): with JSON, `"created": true, "changed": true`, as
/// `user add` says it.
pub fn report_new(ctx: &Ctx<'_>, verb: &str, u: &User, generated: Option<&str>) -> Result<()> {
    let created = Outcome {
        created: true,
        changed: true,
    };
    report_outcome(ctx, verb, u, generated, Some(created))
}

/// What `user add` did, for scripts that converge: whether the user was created, and
/// whether anything changed (a rerun with the same password changes nothing).
#[derive(Clone, Copy)]
struct Outcome {
    created: bool,
    changed: bool,
}

/// The user as the result of a command; in JSON with the generated password when there
/// is one, and with `created` / `changed` when the command says them.
fn report_outcome(
    ctx: &Ctx<'_>,
    verb: &str,
    u: &User,
    generated: Option<&str>,
    outcome: Option<Outcome>,
) -> Result<()> {
    match (ctx.out.format(), generated) {
        (Format::Table | Format::Html, Some(pw)) => {
            ctx.out.changed(verb, std::slice::from_ref(u), false)?;
            ctx.out.note("generated password (shown once):");
            ctx.out.print_line(pw)
        }
        (Format::Json | Format::Jsonl, _) if generated.is_some() || outcome.is_some() => {
            let mut v = serde_json::to_value(UserView::from(u))?;
            if let Value::Object(m) = &mut v {
                if let Some(pw) = generated {
                    m.insert("generated_password".into(), Value::String(pw.to_string()));
                }
                if let Some(o) = outcome {
                    m.insert("created".into(), Value::Bool(o.created));
                    m.insert("changed".into(), Value::Bool(o.changed));
                }
            }
            ctx.out.record(&v, &[])
        }
        (Format::Csv, Some(pw)) => ctx
            .out
            .print_line(&format!("email,password\n{},{pw}", u.email)),
        _ => ctx.out.changed(verb, std::slice::from_ref(u), false),
    }
}

fn report_unchanged(ctx: &Ctx<'_>, u: &User) -> Result<()> {
    ctx.out
        .note(&format!("{} already exists; nothing changed", u.email));
    report_outcome(
        ctx,
        "exists",
        u,
        None,
        Some(Outcome {
            created: false,
            changed: false,
        }),
    )
}

pub fn edit(ctx: &Ctx<'_>, args: &UserEditArgs) -> Result<()> {
    let target = args.user.to_string();
    let r = ctx.read_as(Command::UserEdit, Some(&target))?;
    if args.email.is_some() {
        return Err(
            Error::invalid("email cannot be changed; create a new account").with_hint(
                "add the new address with `gatehouse user add`, then deactivate this one",
            ),
        );
    }
    let changes = UserChanges {
        name: args.name.as_ref().map(UserName::to_string),
        full_name: args.full_name.clone().map(|f| f.0),
        phone: args.phone.clone().map(|p| p.0),
        role: args.role,
        status: args.status,
        expires_at: expiry(ctx, &r, args.expires)?.map(|e| e.0),
        must_change_password: None,
    };
    let touches_packages = args.packages.is_some()
        || !args.add_packages.is_empty()
        || !args.remove_packages.is_empty();
    if args.name.is_none()
        && args.full_name.is_none()
        && args.phone.is_none()
        && args.role.is_none()
        && args.status.is_none()
        && args.expires.is_none()
        && !touches_packages
    {
        return Err(Error::usage("nothing to change").with_hint(
            "give at least one of --name, --full-name, --phone, --role, --status, --expires, \
             --packages, --add-package, --remove-package",
        ));
    }
    let after = r.write_as(Command::UserEdit, Some(&target), true, |w| {
        let before = w.users().require_user(&args.user)?;
        let (mut after, _) = w.store().change_user(before.id, &changes)?;
        if touches_packages {
            edit_packages(w, &after, args)?;
            after = w.users().user_by_id(after.id)?;
        }
        let changed = diff(&before, &after);
        if changed["after"].as_object().is_some_and(|m| !m.is_empty()) {
            w.audit().append_audit(&change_entry(
                w.me(),
                Command::UserEdit,
                &after.email,
                changed,
            ))?;
        }
        Ok(after)
    })?;
    ctx.out
        .changed("updated", std::slice::from_ref(&after), false)
}

/// `--packages` (replace), `--add-package`, `--remove-package`; every name must exist.
fn edit_packages(w: &Writer<'_>, u: &User, args: &UserEditArgs) -> Result<()> {
    use crate::model::PackageName;
    let names = |v: &[PackageName]| super::packages(w, v);
    let me = w.me();
    if let Some(list) = &args.packages {
        let wanted: Vec<i64> = names(&list.0)?.iter().map(|p| p.id).collect();
        w.assignments().set_assignments(u.id, &wanted, me.id)?;
    }
    for p in names(&args.add_packages)? {
        w.assignments().assign(u.id, p.id, me.id)?;
    }
    for p in names(&args.remove_packages)? {
        w.assignments().unassign(u.id, p.id)?;
    }
    Ok(())
}

/// Gives `user` (named `target` on the command line) the password `secret`: the policy's warnings, argon2 before the write
/// lock, then under it the hash, the user's sessions revoked (the caller's own survives
/// a reset of their own password) and one audit entry with `note`'s fields added.
fn set_password(
    ctx: &Ctx<'_>,
    r: &Reader,
    target: &str,
    user: &User,
    secret: &secrecy::SecretString,
    must_change: bool,
    note: Value,
) -> Result<User> {
    let owner = Owner {
        email: &user.email,
        name: &user.name,
    };
    for w in password::check(secret, &policy(r)?, &owner)? {
        ctx.out.warn(&w);
    }
    let hash = password::hash(secret)?;
    let actor = r.actor();
    r.write_as(Command::UserPasswd, Some(target), true, |w| {
        // By email, which never changes: an id could have been reused meanwhile.
        let u = w
            .users()
            .require_user(&UserRef::Email(user.email.parse()?))?;
        let keep = (u.id == actor.user.id)
            .then_some(actor.session_id)
            .flatten();
        let (after, revoked) = w.store().change_password(u.id, &hash, must_change, keep)?;
        w.sessions().set_login(u.id, secret)?;
        let mut details = json!({
            "password_changed": true,
            "sessions_revoked": revoked,
        });
        if let (Value::Object(d), Value::Object(n)) = (&mut details, note.clone()) {
            d.extend(n);
        }
        w.audit().append_audit(&change_entry(
            w.me(),
            Command::UserPasswd,
            &u.email,
            details,
        ))?;
        Ok(after)
    })
}

pub fn passwd(ctx: &Ctx<'_>, args: &UserPasswdArgs) -> Result<()> {
    let target = args.user.to_string();
    let r = ctx.read_as(Command::UserPasswd, Some(&target))?;
    let user = r.users().require_user(&args.user)?;
    let new = super::new_password_for(ctx, &r, &user, args.password.source())?;
    let after = set_password(
        ctx,
        &r,
        &target,
        &user,
        &new.secret,
        args.must_change_password,
        json!({ "must_change_password": args.must_change_password }),
    )?;
    report_created(
        ctx,
        "password changed for",
        &after,
        new.generated.then(|| new.secret.expose_secret()),
    )
}
