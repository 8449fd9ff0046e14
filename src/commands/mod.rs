//! Command handlers, one file per noun. Each is thin: arguments in, authorize, one store
//! transaction, rows to the output.

pub mod access;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod config;
pub mod doctor;
pub mod import;
pub mod init;
pub mod me;
pub mod package;
pub mod review;
pub mod user;

use std::path::PathBuf;
use std::time::Duration;

use crate::authz::{self, Action, Decision, Denial, Subject};
use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::output::Output;
use crate::password::Policy;
use crate::session::{self, Actor};
use crate::store::{self, AuditEntry, Store, User};

/// What every handler gets: the environment, the printer, global flags, the store path.
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub out: &'a Output,
    pub yes: bool,
    pub db: PathBuf,
}

impl Ctx<'_> {
    /// `GATEHOUSE_BUSY_TIMEOUT`: how long to wait for another command's lock, at most
    /// an hour (SQLite counts it in milliseconds of an `int`).
    pub fn busy_timeout(&self) -> Result<Duration> {
        const MAX: Duration = Duration::from_secs(3600);
        match self.env.var("GATEHOUSE_BUSY_TIMEOUT") {
            None => Ok(store::DEFAULT_BUSY_TIMEOUT),
            Some(v) => v
                .parse::<jiff::SignedDuration>()
                .ok()
                .and_then(|d| Duration::try_from(d).ok())
                .filter(|d| *d <= MAX)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "invalid GATEHOUSE_BUSY_TIMEOUT `{}`",
                        crate::model::printable(v)
                    ))
                    .with_hint("use a duration from `0s` to `1h`, such as `10s` or `500ms`")
                }),
        }
    }

    pub fn open(&self) -> Result<Store> {
        let store = Store::open(&self.db, self.env.now, self.busy_timeout()?)?;
        for w in &store.warnings {
            self.out.warn(w);
        }
        Ok(store)
    }

    /// Opens the store and authenticates the invoking user.
    pub fn login(&self) -> Result<(Store, Actor)> {
        let store = self.open()?;
        let actor = session::authenticate(&store, self.env)?;
        Ok((store, actor))
    }

    /// Asks "… [y/N]" on a terminal unless `--yes`. Without a terminal nothing is asked
    /// (SPEC §4: scripts are never prompted), so the command goes ahead.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes || !self.env.stdin_tty {
            return Ok(());
        }
        let answer = crate::input::prompt_line(&format!("{question} [y/N] "))?;
        if matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            Ok(())
        } else {
            Err(Error::new(Kind::Usage, "cancelled; nothing was changed"))
        }
    }
}

pub(crate) fn subject(u: &User) -> Subject {
    Subject {
        role: u.role,
        status: u.status,
        must_change_password: u.must_change_password,
    }
}

pub(crate) fn denial_error(action: Action, d: Denial, target: Option<&str>) -> Error {
    match d {
        Denial::NotVisible => store::package_not_found(target.unwrap_or_default()),
        Denial::NotCreator => Error::denied(format!(
            "permission denied: only the creator of `{}` or an admin may change it",
            target.unwrap_or_default()
        )),
        Denial::CreateDisabled => {
            Error::denied("permission denied: regular users may not create packages").with_hint(
                "an admin can allow it with `gatehouse config set packages.users_can_create on`",
            )
        }
        Denial::Inactive => Error::auth("your account is not active"),
        Denial::MustChangePassword => Error::denied(format!(
            "`{}` is not allowed until you change your password",
            action.command()
        ))
        .with_hint("run `gatehouse me passwd`"),
        Denial::AdminOnly => Error::denied(format!(
            "permission denied: `{}` is for admins",
            action.command()
        )),
    }
}

/// Checks the rule for `me`; a denial is written to the audit trail and returned.
pub fn authorize(store: &Store, me: &User, action: Action, target: Option<&str>) -> Result<()> {
    match authz::decide(&subject(me), action) {
        Decision::Allow => Ok(()),
        Decision::Deny(d) => {
            let err = denial_error(action, d, target);
            audit_denied(store, me, action, target, &err);
            Err(err)
        }
    }
}

/// Records a refusal in its own transaction (the refused one was rolled back).
pub(crate) fn audit_denied(
    store: &Store,
    me: &User,
    action: Action,
    target: Option<&str>,
    err: &Error,
) {
    // Best effort: failing to record a denial must not turn it into another error.
    let _ = store.write(|s| {
        s.append_audit(&AuditEntry {
            actor_id: Some(me.id),
            actor_email: Some(me.email.clone()),
            action: action.command().replace(' ', "."),
            target: target.map(str::to_string),
            details: serde_json::Value::Null,
            result: "denied",
            reason: Some(err.message.clone()),
        })
    });
}

/// A write transaction on behalf of `actor`: the actor is re-read and re-authorized
/// under the write lock (a demotion a moment ago counts), then `f` runs. `commit: false`
/// runs everything, the last-admin check included, and rolls back (for `--dry-run`).
pub fn write_as<T>(
    store: &Store,
    actor: &Actor,
    action: Action,
    target: Option<&str>,
    commit: bool,
    f: impl FnOnce(&Store, &User) -> Result<T>,
) -> Result<T> {
    let mut denied_as: Option<User> = None;
    let res = store.write_then(commit, |s| {
        // Deleted a moment ago by someone else: that is a credentials problem now.
        // Ids can be reused after a deletion: the email (which never changes) must match.
        let me = s
            .user(&crate::model::UserRef::Id(actor.user.id))?
            .filter(|u| u.email == actor.user.email)
            .ok_or_else(|| Error::auth("your account no longer exists"))?;
        if let Decision::Deny(d) = authz::decide(&subject(&me), action) {
            denied_as = Some(me);
            return Err(denial_error(action, d, target));
        }
        f(s, &me)
    });
    if let (Err(e), Some(me)) = (&res, &denied_as) {
        audit_denied(store, me, action, target, e);
    }
    res
}

/// An audit entry for a change made by `me`.
pub fn change_entry(
    me: &User,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(me.id),
        actor_email: Some(me.email.clone()),
        action: action.command().replace(' ', "."),
        target: Some(target.to_string()),
        details,
        result: "ok",
        reason: None,
    }
}

/// The password policy, with the store's settings applied.
pub fn policy(store: &Store) -> Result<Policy> {
    let mut p = Policy::default();
    if let Some(v) = store.setting("password.min_length")? {
        if let Ok(n) = v.parse::<usize>() {
            p.min_length = n.max(p.min_length);
        }
    }
    if let Some(v) = store.setting("password.blocklist")? {
        p.blocklist = config::is_on(&v);
    }
    Ok(p)
}
