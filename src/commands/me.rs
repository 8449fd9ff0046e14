//! `gatehouse me …`: what any active user may do to their own account.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{change_entry, policy, Ctx, Granted, Reader};
use crate::authz::Command;
use crate::cli::{MeEditArgs, MePasswdArgs, NotificationArgs};
use crate::error::{Error, Result};
use crate::input;
use crate::model::UserName;
use crate::password::{self, Owner};
use crate::session::password_login_hash;
use crate::store::UserChanges;

pub fn show(ctx: &Ctx<'_>) -> Result<()> {
    let r = ctx.read_as(Command::MeShow, None)?;
    ctx.out.user_detail(r.me(), r.now())
}

/// Changes the caller's own name, full name or phone — nothing else: role, status,
/// email and packages have no flag here at all.
pub fn edit(ctx: &Ctx<'_>, args: &MeEditArgs) -> Result<()> {
    let r = ctx.read_as(Command::MeEdit, None)?;
    if args.name.is_none() && args.full_name.is_none() && args.phone.is_none() {
        return Err(
            Error::usage("nothing to change").with_hint("give --name, --full-name and/or --phone")
        );
    }
    let changes = UserChanges {
        name: args.name.as_ref().map(UserName::to_string),
        full_name: args.full_name.clone().map(|f| f.0),
        phone: args.phone.clone().map(|p| p.0),
        ..Default::default()
    };
    let after = r.write_as(Command::MeEdit, None, true, |w| {
        let me = w.me();
        if changes.phone == Some(None) && me.sms_notifications {
            return Err(Error::invalid(
                "cannot remove your phone number while SMS notifications are on",
            )
            .with_hint("turn them off first: `gatehouse me notifications --sms off`"));
        }
        let (after, _) = w.store().change_user(me.id, &changes)?;
        w.audit().append_audit(&change_entry(
            me,
            Command::MeEdit,
            &me.email,
            super::user::diff(me, &after),
        ))?;
        Ok(after)
    })?;
    ctx.out
        .changed("updated", std::slice::from_ref(&after), false)
}

fn prefs_value(u: &crate::store::User) -> serde_json::Value {
    json!({
        "email": u.email_notifications,
        "sms": u.sms_notifications,
        "shipment_updates": u.shipment_updates,
        "system_announcements": u.system_announcements,
    })
}

/// Shows the caller's notification preferences, or changes the ones given.
pub fn notifications(ctx: &Ctx<'_>, args: &NotificationArgs) -> Result<()> {
    let r = ctx.read_as(Command::MeNotifications, None)?;
    let any = args.email.is_some()
        || args.sms.is_some()
        || args.shipment_updates.is_some()
        || args.system_announcements.is_some();
    let user = if !any {
        r.me().clone()
    } else {
        r.write_as(Command::MeNotifications, None, true, |w| {
            let me = w.me();
            let prefs = [
                args.email.map_or(me.email_notifications, |v| v.is_on()),
                args.sms.map_or(me.sms_notifications, |v| v.is_on()),
                args.shipment_updates
                    .map_or(me.shipment_updates, |v| v.is_on()),
                args.system_announcements
                    .map_or(me.system_announcements, |v| v.is_on()),
            ];
            if prefs[1] && me.phone.is_none() {
                return Err(Error::invalid("SMS notifications need a phone number")
                    .with_hint("add one first: `gatehouse me edit --phone NUMBER`"));
            }
            w.users().set_notifications(me.id, prefs)?;
            let after = w.users().user_by_id(me.id)?;
            w.audit().append_audit(&change_entry(
                me,
                Command::MeNotifications,
                &me.email,
                json!({ "before": prefs_value(me), "after": prefs_value(&after) }),
            ))?;
            Ok(after)
        })?
    };
    let onoff = |b: bool| if b { "on" } else { "off" }.to_string();
    ctx.out.object(
        &[
            ("Email", onoff(user.email_notifications)),
            ("SMS", onoff(user.sms_notifications)),
            ("Shipment updates", onoff(user.shipment_updates)),
            ("System announcements", onoff(user.system_announcements)),
        ],
        &prefs_value(&user),
    )
}

/// The current password and the new one (and whether it was generated): two lines of
/// standard input with `--password-stdin`, else asked at the terminal.
fn passwords(
    ctx: &Ctx<'_>,
    args: &MePasswdArgs,
    r: &Reader,
) -> Result<(SecretString, SecretString, bool)> {
    Ok(if args.password.password_stdin {
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
        let new = super::new_password_for(ctx, r, r.me(), args.password.source())?;
        (current, new.secret, new.generated)
    } else {
        return Err(Error::usage("`me passwd` needs your current password and standard input is not a terminal")
            .with_hint("pipe two lines, the current password then the new one, into `gatehouse me passwd --password-stdin`"));
    })
}

/// Changes the caller's own password: the current one is verified first (a wrong one is
/// a failed login, exit 3); the caller's other sessions are revoked.
pub fn passwd(ctx: &Ctx<'_>, args: &MePasswdArgs) -> Result<()> {
    let r = ctx.read_as(Command::MePasswd, None)?;
    let actor = r.actor();
    let (current, new_secret, generated) = passwords(ctx, args, &r)?;
    // A wrong current password counts as a failed login and changes nothing else.
    // Where the database server logs people in, it checks the current password too.
    let verified_hash = match r.sessions().server_verifies(&actor.user.email, &current)? {
        Some(true) => None,
        Some(false) => return Err(Error::login_failed()),
        None => Some(password_login_hash(r.store(), &actor.user.email, &current)?.1),
    };
    let owner = Owner {
        email: &actor.user.email,
        name: &actor.user.name,
    };
    for w in password::check(&new_secret, &policy(&r)?, &owner)? {
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
    let after = r.write_as(Command::MePasswd, None, true, |w| {
        let me = w.me();
        // An admin's reset (or another `me passwd`) since the current password was
        // verified wins: this change would silently undo it.
        if verified_hash.is_some() && me.password_hash != verified_hash {
            return Err(Error::conflict(
                "your password was changed after you entered the current one; nothing was changed",
            )
            .with_hint(
                "log in with the new password (ask the admin who reset it), then try again",
            ));
        }
        let (after, revoked) = w
            .store()
            .change_password(me.id, &hash, false, actor.session_id)?;
        w.sessions().set_login(me.id, &new_secret)?;
        w.audit().append_audit(&change_entry(
            me,
            Command::MePasswd,
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
