//! `login`, `logout`, `whoami`.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::{change_entry, Ctx, Granted};
use crate::authz::Command;
use crate::cli::{Format, LoginArgs, LogoutArgs};
use crate::error::{Error, Kind, Result};
use crate::input;
use crate::model::fmt_ts;
use crate::session::{self, password_login};
use crate::store::AuditEntry;

pub fn login(ctx: &Ctx<'_>, args: &LoginArgs) -> Result<()> {
    let store = ctx.unauthenticated_for_login()?;
    let (email, pw) = credentials(ctx, args)?;
    let user = password_login(&store, &email, &pw)?;

    let ttl = match args.ttl {
        Some(t) => t.0,
        None => crate::settings::Settings::load(&store)?.session_ttl,
    };
    let expires = ctx
        .env
        .now
        .checked_add(ttl)
        .map_err(|e| Error::invalid(e.to_string()))?;
    let token = session::new_token()?;
    // A saved session this one replaces ends with it; someone else's is said.
    let identity = ctx.identity.as_deref();
    let replaced = match (
        args.print_token,
        session::session_file(ctx.env, store.path(), identity),
    ) {
        (false, Some(file)) => session::saved_session_owner(&store, &file),
        _ => None,
    };
    if let Some((_, old)) = replaced.as_ref().filter(|(_, old)| old.id != user.id) {
        ctx.out.warn(&format!(
            "this replaces the saved session of {}{}; to keep both, log in with --as NAME",
            old.email,
            identity.map(|n| format!(" (--as {n})")).unwrap_or_default()
        ));
    }
    let new_id = start_session(&store, &user, &token, expires)?;
    if user.must_change_password {
        ctx.out
            .warn("you must change your password before anything else: run `gatehouse me passwd`");
    }
    if args.print_token {
        return ctx.out.print_line(token.expose_secret());
    }
    let file = match session::save_session(ctx.env, store.path(), identity, &token) {
        Ok(file) => file,
        Err(e) => {
            // Nobody holds the new token: it ends here, and the old session stays.
            let _ = store.write(|s| s.sessions().revoke_session(new_id));
            return Err(e);
        }
    };
    // Only now, with the new session saved, does the one it replaced end.
    if let Some((sid, old)) = &replaced {
        let details = serde_json::json!({ "replaced_by": user.email });
        store.write(|s| {
            s.sessions().revoke_session(*sid)?;
            s.audit().append_audit(&logout_entry(old, details.clone()))
        })?;
    }
    let value = serde_json::json!({
        "email": user.email,
        "expires_at": fmt_ts(expires),
        "session_file": file.display().to_string(),
    });
    ctx.out.record(
        &value,
        &[format!(
            "logged in as {} until {}",
            user.email,
            fmt_ts(expires)
        )],
    )
}

/// Who logs in, and their password: `--email`, GATEHOUSE_EMAIL or a prompt; then
/// `--password-stdin`, GATEHOUSE_PASSWORD, GATEHOUSE_PASSWORD_FILE or a prompt.
fn credentials(ctx: &Ctx<'_>, args: &LoginArgs) -> Result<(String, SecretString)> {
    let no_terminal = || {
        Error::auth("no credentials to log in with and standard input is not a terminal").with_hint(
            "use --email with --password-stdin, or set GATEHOUSE_EMAIL and GATEHOUSE_PASSWORD_FILE",
        )
    };
    let email = match (&args.email, ctx.env.var("GATEHOUSE_EMAIL")) {
        (Some(e), _) => e.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) if ctx.env.stdin_tty => input::prompt_line("Email: ")?,
        (None, None) => return Err(no_terminal()),
    };
    let pw: SecretString = if args.password_stdin {
        input::read_stdin_line("the password")?
    } else if let Some(pw) = ctx.env.var("GATEHOUSE_PASSWORD") {
        SecretString::from(pw.to_string())
    } else if let Some(file) = ctx.env.var("GATEHOUSE_PASSWORD_FILE") {
        input::read_password_file(ctx.env, Path::new(file), Kind::Auth)?
    } else if ctx.env.stdin_tty {
        input::prompt_hidden("Password: ")?
    } else {
        return Err(no_terminal());
    };
    Ok((email, pw))
}

/// Records the new session and its login in the trail; its id.
fn start_session(
    store: &crate::store::Store,
    user: &crate::store::User,
    token: &SecretString,
    expires: jiff::Timestamp,
) -> Result<i64> {
    store.write(|s| {
        let id = s.sessions().insert_session(
            &session::token_hash(token.expose_secret()),
            user.id,
            expires,
        )?;
        s.audit().append_audit(&AuditEntry {
            actor_id: Some(user.id),
            actor_email: Some(user.email.clone()),
            action: "login".into(),
            target: Some(user.email.clone()),
            details: serde_json::json!({ "expires_at": fmt_ts(expires) }),
            result: "ok",
            reason: None,
        })?;
        Ok(id)
    })
}

pub fn logout(ctx: &Ctx<'_>, args: &LogoutArgs) -> Result<()> {
    if args.all {
        return logout_all(ctx);
    }
    let r = ctx.read_as(Command::Logout, None)?;
    let actor = r.actor();
    let Some(session_id) = actor.session_id else {
        ctx.out
            .note("no session to end: you authenticated with a password");
        return Ok(());
    };
    r.write_as(Command::Logout, None, true, |w| {
        w.sessions().revoke_session(session_id)?;
        w.audit().append_audit(&change_entry(
            w.me(),
            Command::Logout,
            &w.me().email,
            serde_json::Value::Null,
        ))
    })?;
    if let Some(file) = &actor.session_file {
        let _ = std::fs::remove_file(file);
    }
    ctx.out.record(
        &serde_json::json!({ "email": actor.user.email, "logged_out": true }),
        &[format!("logged out {}", actor.user.email)],
    )
}

/// A saved session ended on its owner's behalf (replaced, or `logout --all`).
fn logout_entry(user: &crate::store::User, details: serde_json::Value) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user.id),
        actor_email: Some(user.email.clone()),
        action: "logout".into(),
        target: Some(user.email.clone()),
        details,
        result: "ok",
        reason: None,
    }
}

/// `logout --all`: every session saved for this store on this machine ends, whoever's it
/// is (holding the token is what a session is), and its file goes.
fn logout_all(ctx: &Ctx<'_>) -> Result<()> {
    let store = ctx.unauthenticated_for_saved_sessions()?;
    let files = session::saved_sessions(ctx.env, store.path());
    let mut ended = Vec::new();
    for file in &files {
        if let Some((sid, user)) = session::saved_session_owner(&store, file) {
            store.write(|s| {
                s.sessions().revoke_session(sid)?;
                s.audit()
                    .append_audit(&logout_entry(&user, serde_json::json!({ "all": true })))
            })?;
            ended.push(user.email);
        }
        let _ = std::fs::remove_file(file);
    }
    if files.is_empty() {
        ctx.out.note("no saved sessions for this store");
    }
    ctx.out.record(
        &serde_json::json!({ "logged_out": ended, "files_removed": files.len() }),
        &ended
            .iter()
            .map(|e| format!("logged out {e}"))
            .collect::<Vec<_>>(),
    )
}

/// Who is logged in — never a prompt: logged out, it says so (exit 3).
pub fn whoami(ctx: &Ctx<'_>) -> Result<()> {
    let r = ctx.read_as_never_asking(Command::Whoami)?;
    let u = r.me();
    if ctx.out.format() == Format::Table {
        ctx.out
            .print_line(&format!("{} <{}> ({})", u.name, u.email, u.role.label()))
    } else {
        ctx.out.user_detail(u, r.now())
    }
}
