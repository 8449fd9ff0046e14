//! `gatehouse me …`: what any active user may do to their own account.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{authorize, change_entry, policy, write_as, Ctx};
use crate::authz::Action;
use crate::cli::MePasswdArgs;
use crate::error::{Error, Result};
use crate::input;
use crate::password::{self, Owner};
use crate::session::password_login;

pub fn show(ctx: &Ctx<'_>) -> Result<()> {
    let (store, actor) = ctx.login()?;
    authorize(&store, &actor.user, Action::MeShow, None)?;
    ctx.out.user_detail(&actor.user, store.now())
}

/// Changes the caller's own password: the current one is verified first (a wrong one is
/// a failed login, exit 3); the caller's other sessions are revoked.
pub fn passwd(ctx: &Ctx<'_>, args: &MePasswdArgs) -> Result<()> {
    let (store, actor) = ctx.login()?;
    authorize(&store, &actor.user, Action::MePasswd, None)?;
    let (current, new_secret, generated): (SecretString, SecretString, bool) = if args
        .password
        .password_stdin
    {
        let mut stdin = std::io::stdin().lock();
        let current = input::read_secret_line(&mut stdin)?.ok_or_else(|| {
            Error::invalid("expected the current password on the first line of standard input")
        })?;
        let new = input::read_secret_line(&mut stdin)?.ok_or_else(|| {
            Error::invalid("expected the new password on the second line of standard input")
        })?;
        (current, new, false)
    } else if ctx.env.stdin_tty {
        let current = input::prompt_hidden("Current password: ")?;
        let new = input::new_password(&args.password, ctx.env)?;
        (current, new.secret, new.generated)
    } else {
        return Err(Error::usage("`me passwd` needs your current password and standard input is not a terminal")
            .with_hint("pipe two lines, the current password then the new one, into `gatehouse me passwd --password-stdin`"));
    };
    // A wrong current password counts as a failed login and changes nothing else.
    password_login(&store, &actor.user.email, &current)?;
    let owner = Owner {
        email: &actor.user.email,
        name: &actor.user.name,
    };
    for w in password::check(&new_secret, &policy(&store)?, &owner)? {
        ctx.out.warn(&w);
    }
    if password::verify(
        &new_secret,
        actor.user.password_hash.as_deref().unwrap_or(""),
    ) {
        return Err(Error::invalid(
            "the new password is the same as the current one",
        ));
    }
    let hash = password::hash(&new_secret)?;
    let after = write_as(&store, &actor, Action::MePasswd, None, true, |s, me| {
        let after = s.set_password(me.id, &hash, false)?;
        let revoked = s.revoke_user_sessions(me.id, actor.session_id)?;
        s.append_audit(&change_entry(
            me,
            Action::MePasswd,
            &me.email,
            json!({ "password_changed": true, "sessions_revoked": revoked }),
        ))?;
        Ok(after)
    })?;
    super::user::report_created(
        ctx,
        "password changed for",
        &after,
        generated.then(|| new_secret.expose_secret()),
    )
}
