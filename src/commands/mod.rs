//! Command handlers, one file per noun. Each is thin: arguments in, authorize, one store
//! transaction, rows to the output.

pub mod access;
pub mod apply;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod config;
pub mod doctor;
pub mod export;
pub mod import;
pub mod init;
pub mod me;
pub mod package;
pub mod review;
pub mod storage;
pub mod user;

use std::path::PathBuf;
use std::time::Duration;

use crate::authz::{self, Command, Decision, Denial, Subject};
use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::model::PackageName;
use crate::output::Output;
use crate::password::Policy;
pub use crate::record::change_entry;
use crate::session::{self, Actor};
use crate::store::{self, AuditEntry, Package, Relation, Store, User};

/// What every handler gets: the environment, the printer, global flags, the store path.
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub out: &'a Output,
    pub yes: bool,
    pub db: PathBuf,
    /// `--as NAME`: which saved session is this command's.
    pub identity: Option<String>,
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

    /// The store's name for messages: its path, or a database URL without the password.
    pub fn store_name(&self) -> String {
        if crate::store::pg::is_postgres(&self.db) {
            crate::store::pg::ConnInfo::parse(&self.db.to_string_lossy(), self.env)
                .map(|c| c.display())
                .unwrap_or_else(|_| "the PostgreSQL store".into())
        } else {
            self.db.display().to_string()
        }
    }

    pub fn open(&self) -> Result<Store> {
        let store = Store::open_any(
            &self.db,
            self.env,
            self.busy_timeout()?,
            crate::store::pg::Login::Person(&session::Credentials::new(self.env, true)),
        )?;
        for w in &store.warnings {
            self.out.warn(w);
        }
        Ok(store)
    }

    /// Opens the store and authenticates the invoking user.
    pub fn login(&self) -> Result<(Store, Actor)> {
        let store = self.open()?;
        let actor = session::authenticate(&store, self.env, self.identity.as_deref(), true)?;
        Ok((store, actor))
    }

    /// Opens the store, authenticates the invoking user and decides `cmd` for them (a
    /// denial is recorded and returned): the preamble of every command.
    pub fn read_as(&self, cmd: Command, target: Option<&str>) -> Result<(Store, Actor)> {
        let (store, actor) = self.login()?;
        authorize(&store, &actor.user, cmd, target)?;
        Ok((store, actor))
    }

    /// Asks "… [y/N]" on a terminal unless `--yes`. Without a terminal nothing is asked
    /// (scripts are never prompted), so the command goes ahead.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes || !self.env.stdin_tty {
            return Ok(());
        }
        if crate::prompt::confirm(question, false)? {
            Ok(())
        } else {
            Err(Error::new(
                Kind::Cancelled,
                "cancelled; nothing was changed",
            ))
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

pub(crate) fn denial_error(cmd: Command, d: Denial, target: Option<&str>) -> Error {
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
            cmd.name()
        ))
        .with_hint("run `gatehouse me passwd`"),
        Denial::AdminOnly => {
            Error::denied(format!("permission denied: `{}` is for admins", cmd.name()))
        }
    }
}

/// Checks the rule for `me`. A denial is recorded in the audit trail — wherever it is
/// found, in a write transaction or not — and returned.
pub fn authorize(store: &Store, me: &User, cmd: Command, target: Option<&str>) -> Result<()> {
    match authz::decide(&subject(me), cmd) {
        Decision::Allow => Ok(()),
        Decision::Deny(d) => Err(deny(store, me, cmd, target, denial_error(cmd, d, target))),
    }
}

/// Records `err` as `me`'s refused attempt at `cmd`, and returns it.
pub(crate) fn deny(
    store: &Store,
    me: &User,
    cmd: Command,
    target: Option<&str>,
    err: Error,
) -> Error {
    store.record_denial(AuditEntry {
        actor_id: Some(me.id),
        actor_email: Some(me.email.clone()),
        action: cmd.audit_action(),
        target: target.map(str::to_string),
        details: serde_json::Value::Null,
        result: "denied",
        reason: Some(err.message.clone()),
    });
    err
}

/// The one way to a package: looks it up for `me` and decides `cmd` on it, in a write
/// transaction or not. The account gates come first, so their answer cannot differ
/// between a hidden package and a missing one; then a missing package and one `me` may
/// not see give the same not-found error and the same recorded denial — the same
/// answer, after the same work.
pub fn package_for(
    s: &Store,
    me: &User,
    name: &PackageName,
    cmd: fn(Relation) -> Command,
) -> Result<(Package, Relation)> {
    let target = Some(name.as_str());
    let unrelated = cmd(Relation::default());
    if let Err(d) = authz::gate(&subject(me), unrelated) {
        return Err(deny(
            s,
            me,
            unrelated,
            target,
            denial_error(unrelated, d, target),
        ));
    }
    let Some(pkg) = s.packages().package_by_name(name.as_str())? else {
        let err = store::package_not_found(name.as_str());
        return Err(deny(s, me, unrelated, target, err));
    };
    let rel = s.assignments().relation(me.id, &pkg)?;
    authorize(s, me, cmd(rel), target)?;
    Ok((pkg, rel))
}

/// A write transaction on behalf of `actor`, who is re-read under the write lock (a
/// demotion or deletion a moment ago counts). `commit: false` runs everything, the
/// last-admin check included, and rolls back (for `--dry-run`).
pub fn transaction_as<T>(
    store: &Store,
    actor: &Actor,
    commit: bool,
    mut f: impl FnMut(&Store, &User) -> Result<T>,
) -> Result<T> {
    store.write_then(commit, |s| {
        // Ids can be reused after a deletion: the email (which never changes) must match.
        let me = s
            .users()
            .user(&crate::model::UserRef::Id(actor.user.id))?
            .filter(|u| u.email == actor.user.email)
            .ok_or_else(|| Error::auth("your account no longer exists"))?;
        f(s, &me)
    })
}

/// [`transaction_as`], with `cmd` decided for the fresh actor first.
pub fn write_as<T>(
    store: &Store,
    actor: &Actor,
    cmd: Command,
    target: Option<&str>,
    commit: bool,
    mut f: impl FnMut(&Store, &User) -> Result<T>,
) -> Result<T> {
    transaction_as(store, actor, commit, |s, me| {
        authorize(s, me, cmd, target)?;
        f(s, me)
    })
}

/// [`transaction_as`] on a package: the lookup and `cmd` are decided on fresh rows under
/// the write lock, then `f` gets the package.
pub fn write_package<T>(
    store: &Store,
    actor: &Actor,
    name: &PackageName,
    cmd: fn(Relation) -> Command,
    mut f: impl FnMut(&Store, &User, Package, Relation) -> Result<T>,
) -> Result<T> {
    transaction_as(store, actor, true, |s, me| {
        let (pkg, rel) = package_for(s, me, name, cmd)?;
        f(s, me, pkg, rel)
    })
}

/// The one resolver: users by email or id, packages by name — each found once, in the
/// order given. Every unknown one is reported together, and nothing changes.
pub fn resolve<K: std::fmt::Display, T>(
    keys: &[K],
    (one, many): (&str, &str),
    see: &str,
    lookup: impl Fn(&K) -> Result<Option<T>>,
    id: impl Fn(&T) -> i64,
) -> Result<Vec<T>> {
    let (found, missing) = look_up_each(keys, lookup, id)?;
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { one } else { many };
        return Err(
            Error::not_found(format!("no such {noun}: {}", missing.join(", ")))
                .with_hint(format!("nothing was changed; see `gatehouse {see}`")),
        );
    }
    Ok(found)
}

/// What `keys` name, each once, in the order given, and the keys (quoted) that name
/// nothing.
pub fn look_up_each<K: std::fmt::Display, T>(
    keys: &[K],
    lookup: impl Fn(&K) -> Result<Option<T>>,
    id: impl Fn(&T) -> i64,
) -> Result<(Vec<T>, Vec<String>)> {
    let mut found: Vec<T> = Vec::with_capacity(keys.len());
    let mut missing = Vec::new();
    for k in keys {
        match lookup(k)? {
            Some(t) if !found.iter().any(|f| id(f) == id(&t)) => found.push(t),
            Some(_) => {}
            None => missing.push(format!("`{k}`")),
        }
    }
    Ok((found, missing))
}

/// For each wanted email, up to three existing ones within three edits of it, closest
/// first (a typo is the most common reason an email names nobody). One pass over the
/// users for all of them.
pub fn close_emails(s: &Store, wanted: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut close: Vec<Vec<(usize, String)>> = vec![Vec::new(); wanted.len()];
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    s.each_user(&store::UserFilter::default(), |u| {
        for (i, w) in wanted.iter().enumerate() {
            let d = distance(w, &u.email);
            if d <= 3 {
                close[i].push((d, u.email.clone()));
            }
        }
        Ok(())
    })?;
    Ok(close
        .into_iter()
        .map(|mut c| {
            c.sort();
            c.truncate(3);
            c.into_iter().map(|(_, e)| e).collect()
        })
        .collect())
}

/// Edit distance counting a swap of two neighbouring characters as one edit (optimal
/// string alignment), so `exmaple` is one step from `example`.
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The users named, each once; see [`resolve`].
pub fn users(s: &Store, refs: &[crate::model::UserRef]) -> Result<Vec<User>> {
    resolve(
        refs,
        ("user", "users"),
        "user list",
        |r| s.users().user(r),
        |u| u.id,
    )
}

/// The packages named, each once; see [`resolve`].
pub fn packages(s: &Store, names: &[PackageName]) -> Result<Vec<Package>> {
    resolve(
        names,
        ("package", "packages"),
        "package list",
        |n| s.packages().package_by_name(n.as_str()),
        |p| p.id,
    )
}

/// The password policy, with the store's settings applied.
pub fn policy(store: &Store) -> Result<Policy> {
    Ok(crate::settings::Settings::load(store)?.policy())
}

#[cfg(test)]
mod tests {
    #[test]
    fn typos_are_close() {
        assert_eq!(super::distance("alice@exmaple.com", "alice@example.com"), 1);
        assert_eq!(super::distance("alice@example.com", "alice@example.com"), 0);
        assert!(super::distance("bob@example.com", "alice@example.com") > 3);
    }
}
