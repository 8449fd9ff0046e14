//! `gatehouse init`: the store and its first admin, in one transaction.

use secrecy::ExposeSecret;

use super::Ctx;
use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::input;
use crate::model::{Email, Role, Status, UserName};
use crate::password::{self, Owner, Policy};
use crate::store::{AuditEntry, NewUser};

pub fn run(ctx: &Ctx<'_>, args: &InitArgs) -> Result<()> {
    let busy = ctx.busy_timeout()?;
    let on_server = crate::store::pg::is_postgres(&ctx.db);
    // An existing store with users is refused before anything is asked or created.
    if (on_server || ctx.db.exists()) && existing(ctx, args, busy, on_server)? {
        return Ok(());
    }
    let email = match &args.email {
        Some(e) => e.clone(),
        None if ctx.env.stdin_tty => input::prompt_line("Admin email: ")?.parse::<Email>()?,
        None => {
            return Err(Error::usage("missing --email for the first admin")
                .with_hint("gatehouse init --email admin@example.com --name admin"))
        }
    };
    let name = match &args.name {
        Some(n) => n.clone(),
        None => email.local_part().parse::<UserName>()?,
    };
    let owner = Owner {
        email: email.as_str(),
        name: name.as_str(),
    };
    // A fresh store has default settings.
    let new = input::new_password_checked(args.password.source(), ctx.env, &|pw| {
        password::check(pw, &Policy::default(), &owner).map(|_| ())
    })?;
    // A fresh store has default settings.
    for w in password::check(&new.secret, &Policy::default(), &owner)? {
        ctx.out.warn(&w);
    }
    let hash = password::hash(&new.secret)?;

    let store = ctx.unauthenticated_to_lay_down(&ctx.db, busy)?;
    for w in &store.warnings {
        ctx.out.warn(w);
    }
    let user = store.write(|s| {
        s.maintenance().apply_migrations()?;
        if s.users().count_users()? > 0 {
            return Err(already_initialized(ctx));
        }
        let user = s.users().insert_user(&NewUser {
            email: email.clone(),
            name: name.to_string(),
            full_name: None,
            phone: None,
            role: Role::Admin,
            status: Status::Active,
            password_hash: Some(hash.clone()),
            must_change_password: false,
            expires_at: None,
            created_at: None,
            last_login_at: None,
        })?;
        s.sessions().set_login(user.id, &new.secret)?;
        s.audit().append_audit(&AuditEntry {
            actor_id: Some(user.id),
            actor_email: Some(user.email.clone()),
            action: "init".into(),
            target: Some(user.email.clone()),
            details: serde_json::json!({ "role": "admin", "password_changed": true }),
            result: "ok",
            reason: None,
        })?;
        Ok(user)
    })?;
    ctx.out
        .note(&format!("initialized store `{}`", ctx.store_name()));
    super::user::report_new(
        ctx,
        "created admin",
        &user,
        new.generated.then(|| new.secret.expose_secret()),
    )?;
    next_steps(ctx, &user, on_server);
    Ok(())
}

/// An already initialized store: brought up to date on a server, then left alone with
/// `--if-not-exists` (true) or refused. False: there is no store yet.
fn existing(
    ctx: &Ctx<'_>,
    args: &InitArgs,
    busy: std::time::Duration,
    on_server: bool,
) -> Result<bool> {
    let store = ctx.unauthenticated_to_lay_down(&ctx.db, busy)?;
    if !store.maintenance().is_initialized()? {
        return Ok(false);
    }
    if on_server {
        // An older schema is brought up to date by the role that installed it.
        store.write(|s| s.maintenance().apply_migrations())?;
    }
    if !args.if_not_exists {
        return Err(already_initialized(ctx));
    }
    ctx.out.note(&format!(
        "store `{}` is already initialized; nothing changed",
        ctx.store_name()
    ));
    ctx.out.record(
        &serde_json::json!({ "store": ctx.store_name(), "created": false, "changed": false }),
        &[],
    )?;
    Ok(true)
}

/// How the new admin gets in next.
fn next_steps(ctx: &Ctx<'_>, user: &crate::store::User, on_server: bool) {
    if on_server {
        ctx.out.note(&format!(
            "next: connect as the admin, e.g. `GATEHOUSE_EMAIL={} gatehouse --db URL whoami` (or a ~/.pgpass line for the role `{}`)",
            user.email,
            crate::store::pg::role_for(&user.email)
        ));
    } else {
        ctx.out.note(&format!(
            "next: log in with `gatehouse login --email {}`",
            user.email
        ));
    }
}

fn already_initialized(ctx: &Ctx<'_>) -> Error {
    Error::conflict(format!(
        "store `{}` is already initialized",
        ctx.store_name()
    ))
    .with_hint("log in with `gatehouse login`, or choose another store with --db")
}
