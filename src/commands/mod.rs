//! Command handlers, one file per noun. Each is thin: arguments in, through the door,
//! one store transaction, rows to the output.
//!
//! This file is the door, and the only way a handler reaches the store: the [`Ctx`]
//! functions below open it, and a command about the store's data gets a handle
//! ([`Reader`], and in its write transaction a [`Writer`]) only once `authz` has decided
//! it for the user just read. The commands that work before or without such a user
//! (`init`, `login`, `logout --all`, `store copy`, `store doctor`, shell completion) go
//! through doors named for them (`unauthenticated_…`, `undecided_for_completion`), each
//! saying why.

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

use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::model::PackageName;
use crate::output::Output;
use crate::password::Policy;
pub use crate::record::change_entry;
use crate::store::{self, Package, User};
pub use door::{undecided_for_completion, Granted, Reader, Writer};

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

/// The ways in. Every store a command works on is opened here, by a function that says
/// why it may be opened the way it is. A command about the store's data gets a
/// [`Reader`] (and, in its write transaction, a [`Writer`]) only after `authz` has
/// decided it for the user just read; the few that must work before or without such a
/// user get a bare store from a door named for them (`unauthenticated_…`, and
/// `undecided_for_completion`). An inline
/// module, so that its privacy holds against the handlers too (children of `commands`,
/// they would see anything private at this file's top level): they cannot open a store,
/// skip a decision or make a handle.
mod door {
    use std::path::Path;
    use std::time::Duration;

    use super::Ctx;
    use crate::authz::{self, Command, Decision, Denial, Subject};
    use crate::env::Env;
    use crate::error::{Error, Result};
    use crate::model::PackageName;
    use crate::session::{self, Actor};
    use crate::store::{self, AuditEntry, Package, Relation, Store, User};

    /// `fn users(&self) -> &dyn store::UserReads { self.store().users() }`, and so on
    /// (`pub` in front for the [`Writer`]'s own).
    macro_rules! concerns {
        ($($vis:vis $name:ident: $concern:ident),*) => {$(
            $vis fn $name(&self) -> &dyn store::$concern {
                self.store().$name()
            }
        )*};
    }

    /// What the door hands a command once `authz` has allowed it: the store's data, one
    /// concern at a time, and the user the command was decided for. Two handles carry it,
    /// kanidm-style: a [`Reader`] from the door ([`Ctx::read_as`] and its kin), a [`Writer`]
    /// inside a write transaction. Only this module makes either (their fields are private),
    /// each right after the decision, so code that holds one was let in.
    pub trait Granted {
        /// The store whole, for what takes it so: the settings, the operations, one
        /// consistent read.
        fn store(&self) -> &Store;
        /// The user the command was decided for (in a write, as re-read under the lock).
        fn me(&self) -> &User;

        // The store's data, one concern at a time (`g.users()`, `g.audit()`), to read:
        // only a [`Writer`], inside the write transaction, can change it.
        concerns!(
            users: UserReads,
            packages: PackageReads,
            assignments: AssignmentReads,
            settings: SettingReads,
            sessions: SessionReads,
            audit: AuditReads
        );
        /// The store's clock.
        fn now(&self) -> jiff::Timestamp {
            self.store().now()
        }
    }

    /// The read handle: the store opened, the invoking user authenticated and the command
    /// decided for them. A write starts from it and is decided again under the lock
    /// ([`Reader::write_as`]).
    pub struct Reader {
        store: Store,
        actor: Actor,
    }

    impl Granted for Reader {
        fn store(&self) -> &Store {
            &self.store
        }
        fn me(&self) -> &User {
            &self.actor.user
        }
    }

    impl Reader {
        /// How the invoking user got in: the session the command runs under, and its file.
        pub fn actor(&self) -> &Actor {
            &self.actor
        }

        /// A further decision, on a package: looked up for this user and `cmd` decided on
        /// it, a missing package and a hidden one answered alike.
        pub fn package_for(
            &self,
            name: &PackageName,
            cmd: fn(Relation) -> Command,
        ) -> Result<(Package, Relation)> {
            package_for(&self.store, &self.actor.user, name, cmd)
        }

        /// A write transaction as this handle's user, re-read under the write lock (a
        /// demotion or deletion a moment ago counts) and decided `cmd` again; `f` gets the
        /// [`Writer`]. `commit: false` runs everything, the last-admin check included, and
        /// rolls back (for `--dry-run`). A retried transaction runs `f` again.
        pub fn write_as<T>(
            &self,
            cmd: Command,
            target: Option<&str>,
            commit: bool,
            mut f: impl FnMut(&Writer<'_>) -> Result<T>,
        ) -> Result<T> {
            transaction_as(&self.store, &self.actor, commit, |s, me| {
                authorize(s, me, cmd, target)?;
                f(&Writer { store: s, me })
            })
        }

        /// [`Reader::write_as`] on a package: the lookup and `cmd` are decided on fresh rows
        /// under the write lock, then `f` gets the handle and the package.
        pub fn write_package<T>(
            &self,
            name: &PackageName,
            cmd: fn(Relation) -> Command,
            f: impl FnMut(&Writer<'_>, Package, Relation) -> Result<T>,
        ) -> Result<T> {
            write_package(&self.store, &self.actor, name, cmd, f)
        }

        /// [`Reader::write_as`] for a command that depends on the store's settings
        /// (whether regular users may create packages): they are read under the write
        /// lock, `cmd` is made from them and decided for the user re-read there, and `f`
        /// gets the handle and the command.
        pub fn write_per_settings<T>(
            &self,
            target: Option<&str>,
            cmd: impl Fn(&crate::settings::Settings) -> Command,
            mut f: impl FnMut(&Writer<'_>, Command) -> Result<T>,
        ) -> Result<T> {
            transaction_as(&self.store, &self.actor, true, |s, me| {
                let cmd = cmd(&crate::settings::Settings::load(s)?);
                authorize(s, me, cmd, target)?;
                f(&Writer { store: s, me }, cmd)
            })
        }
    }

    /// The write handle: the store under the write lock and the user re-read under it, the
    /// command decided for them there. It lives for one run of the transaction's closure.
    pub struct Writer<'a> {
        store: &'a Store,
        me: &'a User,
    }

    impl Granted for Writer<'_> {
        fn store(&self) -> &Store {
            self.store
        }
        fn me(&self) -> &User {
            self.me
        }
    }

    impl Writer<'_> {
        // The store's data to read and change, inside the write transaction; these
        // stand in front of [`Granted`]'s read-only accessors of the same names.
        concerns!(
            pub users: Users,
            pub packages: Packages,
            pub assignments: Assignments,
            pub settings: Settings,
            pub sessions: Sessions,
            pub audit: Audit
        );

        /// Records `err` as this user's refused attempt at `cmd` (after the rollback it
        /// causes), and returns it: a refusal found in the write itself.
        pub fn deny(&self, cmd: Command, target: Option<&str>, err: Error) -> Error {
            deny(self.store, self.me, cmd, target, err)
        }
    }

    impl Ctx<'_> {
        fn open(&self) -> Result<Store> {
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

        /// Opens the store and authenticates the invoking user (`ask`: on a terminal, as a
        /// last resort). Nothing is decided yet, so this stays in this module.
        fn login(&self, ask: bool) -> Result<(Store, Actor)> {
            let store = self.open()?;
            let actor = session::authenticate(&store, self.env, self.identity.as_deref(), ask)?;
            Ok((store, actor))
        }

        /// The preamble of every command that reads: opens the store, authenticates the
        /// invoking user and decides `cmd` for them (a denial is recorded and returned).
        pub fn read_as(&self, cmd: Command, target: Option<&str>) -> Result<Reader> {
            self.read_deciding(true, target, |_| cmd)
        }

        /// [`Ctx::read_as`] for a command whose meaning depends on who asks (`access
        /// explain` about oneself or about another).
        pub fn read_as_deciding(
            &self,
            target: Option<&str>,
            cmd: impl FnOnce(&User) -> Command,
        ) -> Result<Reader> {
            self.read_deciding(true, target, cmd)
        }

        /// [`Ctx::read_as`] that never asks for credentials: `whoami` says who is logged in,
        /// and logged out it says so (exit 3) rather than logging someone in.
        pub fn read_as_never_asking(&self, cmd: Command) -> Result<Reader> {
            self.read_deciding(false, None, |_| cmd)
        }

        fn read_deciding(
            &self,
            ask: bool,
            target: Option<&str>,
            cmd: impl FnOnce(&User) -> Command,
        ) -> Result<Reader> {
            let (store, actor) = self.login(ask)?;
            authorize(&store, &actor.user, cmd(&actor.user), target)?;
            Ok(Reader { store, actor })
        }

        /// The preamble of a command on one package: the store opened, the invoking user
        /// authenticated, the package looked up and `cmd` decided on it (as
        /// [`Reader::package_for`] does).
        pub fn read_package(
            &self,
            name: &PackageName,
            cmd: fn(Relation) -> Command,
        ) -> Result<(Reader, Package, Relation)> {
            let (store, actor) = self.login(true)?;
            let (pkg, rel) = package_for(&store, &actor.user, name, cmd)?;
            Ok((Reader { store, actor }, pkg, rel))
        }

        /// The preamble of a command whose rule is decided in its write, under the lock,
        /// on fresh rows (a package changed, a package created as the settings allow): the
        /// account gates for `cmd` — which depend on neither the package nor the settings
        /// — are decided now, the rest by [`Reader::write_package`] or
        /// [`Reader::write_per_settings`].
        pub fn read_gated(&self, cmd: Command, target: Option<&str>) -> Result<Reader> {
            let (store, actor) = self.login(true)?;
            gate(&store, &actor.user, cmd, target)?;
            Ok(Reader { store, actor })
        }

        /// `login`: nobody is authenticated yet — checking the password given is the
        /// command's whole work, and it records every failure itself.
        pub fn unauthenticated_for_login(&self) -> Result<Store> {
            self.open()
        }

        /// `logout --all`: every session saved for this store on this machine ends, whoever's
        /// it is. Holding the token is what a session is, so the files are the authority,
        /// not a logged-in user (who may well be logged out already).
        pub fn unauthenticated_for_saved_sessions(&self) -> Result<Store> {
            self.open()
        }

        /// A store with no users yet, for `init` to lay down or `store copy` to copy into: a
        /// new SQLite file, or a PostgreSQL database reached as the installing role (one that
        /// may create roles and a schema). There is nobody to decide for until it is filled.
        pub fn unauthenticated_to_lay_down(&self, db: &Path, busy: Duration) -> Result<Store> {
            if crate::store::pg::is_postgres(db) {
                Store::install(
                    db,
                    self.env,
                    busy,
                    &session::Credentials::new(self.env, true),
                )
            } else {
                Store::create(db, self.env.now, busy)
            }
        }

        /// An existing store reached as the role that installed it, not as a gatehouse user:
        /// `store copy` reads its source whole (a SQLite source then names an admin of it
        /// itself) and `store doctor` checks what the server holds. The server decides what
        /// that role may do; a SQLite store opens as it is.
        pub fn unauthenticated_as_installer(&self, db: &Path, busy: Duration) -> Result<Store> {
            Store::open_installer(
                db,
                self.env,
                busy,
                &session::Credentials::new(self.env, true),
            )
        }
    }

    /// Shell completion: the store `GATEHOUSE_DB` names, and whoever a token or a saved
    /// session says is asking — never a password, never a prompt. Nothing is decided and
    /// nothing recorded (a Tab is not a command): what it offers is narrowed to what the
    /// caller may see by the completer itself, and anything that fails offers nothing.
    pub fn undecided_for_completion(
        env: &Env,
        db: &Path,
        identity: Option<&str>,
    ) -> Result<(Store, User)> {
        let store = Store::open_any(
            db,
            env,
            store::DEFAULT_BUSY_TIMEOUT,
            store::pg::Login::Person(&session::Credentials::new(env, false)),
        )?;
        let actor = session::authenticate(&store, env, identity, false)?;
        Ok((store, actor.user))
    }

    /// Checks the rule for `me`. A denial is recorded in the audit trail — wherever it is
    /// found, in a write transaction or not — and returned.
    fn authorize(store: &Store, me: &User, cmd: Command, target: Option<&str>) -> Result<()> {
        match authz::decide(&subject(me), cmd) {
            Decision::Allow => Ok(()),
            Decision::Deny(d) => Err(deny(store, me, cmd, target, denial_error(cmd, d, target))),
        }
    }

    /// The account gates alone ([`authz::gate`]), a denial recorded like any other.
    fn gate(store: &Store, me: &User, cmd: Command, target: Option<&str>) -> Result<()> {
        authz::gate(&subject(me), cmd)
            .map_err(|d| deny(store, me, cmd, target, denial_error(cmd, d, target)))
    }

    /// Records `err` as `me`'s refused attempt at `cmd`, and returns it.
    fn deny(store: &Store, me: &User, cmd: Command, target: Option<&str>, err: Error) -> Error {
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

    fn subject(u: &User) -> Subject {
        Subject {
            role: u.role,
            status: u.status,
            must_change_password: u.must_change_password,
        }
    }

    fn denial_error(cmd: Command, d: Denial, target: Option<&str>) -> Error {
        match d {
            Denial::NotVisible => store::package_not_found(target.unwrap_or_default()),
            Denial::NotCreator => Error::denied(format!(
                "permission denied: only the creator of `{}` or an admin may change it",
                target.unwrap_or_default()
            )),
            Denial::CreateDisabled => Error::denied(
                "permission denied: regular users may not create packages",
            )
            .with_hint(
                "an admin can allow it with `gatehouse config set packages.users_can_create on`",
            ),
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

    /// The one way to a package: looks it up for `me` and decides `cmd` on it, in a write
    /// transaction or not. The account gates come first, so their answer cannot differ
    /// between a hidden package and a missing one; then a missing package and one `me` may
    /// not see give the same not-found error and the same recorded denial — the same
    /// answer, after the same work.
    fn package_for(
        s: &Store,
        me: &User,
        name: &PackageName,
        cmd: fn(Relation) -> Command,
    ) -> Result<(Package, Relation)> {
        let target = Some(name.as_str());
        let unrelated = cmd(Relation::default());
        gate(s, me, unrelated, target)?;
        let Some(pkg) = s.packages().package_by_name(name.as_str())? else {
            let err = store::package_not_found(name.as_str());
            return Err(deny(s, me, unrelated, target, err));
        };
        let rel = s.assignments().relation(me.id, &pkg)?;
        authorize(s, me, cmd(rel), target)?;
        Ok((pkg, rel))
    }

    /// A write transaction on behalf of `actor`, who is re-read under the write lock (a
    /// demotion or deletion a moment ago counts); the callers decide the command for the
    /// fresh user before they hand out a [`Writer`].
    fn transaction_as<T>(
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

    fn write_package<T>(
        store: &Store,
        actor: &Actor,
        name: &PackageName,
        cmd: fn(Relation) -> Command,
        mut f: impl FnMut(&Writer<'_>, Package, Relation) -> Result<T>,
    ) -> Result<T> {
        transaction_as(store, actor, true, |s, me| {
            let (pkg, rel) = package_for(s, me, name, cmd)?;
            f(&Writer { store: s, me }, pkg, rel)
        })
    }
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
pub fn close_emails(s: &impl Granted, wanted: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut close: Vec<Vec<(usize, String)>> = vec![Vec::new(); wanted.len()];
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    s.store().each_user(&store::UserFilter::default(), |u| {
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
pub fn users(s: &impl Granted, refs: &[crate::model::UserRef]) -> Result<Vec<User>> {
    resolve(
        refs,
        ("user", "users"),
        "user list",
        |r| s.users().user(r),
        |u| u.id,
    )
}

/// The packages named, each once; see [`resolve`].
pub fn packages(s: &impl Granted, names: &[PackageName]) -> Result<Vec<Package>> {
    resolve(
        names,
        ("package", "packages"),
        "package list",
        |n| s.packages().package_by_name(n.as_str()),
        |p| p.id,
    )
}

/// The password policy, with the store's settings applied.
pub fn policy(g: &impl Granted) -> Result<Policy> {
    Ok(crate::settings::Settings::load(g.store())?.policy())
}

/// A new password for `user` from `source`; one typed at the terminal is checked against
/// the store's policy (and the user's own name and email) as it is given, and asked again.
pub fn new_password_for(
    ctx: &Ctx<'_>,
    g: &impl Granted,
    user: &User,
    source: crate::input::PasswordSource<'_>,
) -> Result<crate::input::NewPassword> {
    let rules = policy(g)?;
    let owner = crate::password::Owner {
        email: &user.email,
        name: &user.name,
    };
    crate::input::new_password_checked(source, ctx.env, &|pw| {
        crate::password::check(pw, &rules, &owner).map(|_| ())
    })
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
