//! The PostgreSQL backend: the only code that talks to a PostgreSQL server. It connects
//! as the person's own login role, so the server's row-level security decides what each
//! statement may reach; the checks the commands make first give the same answers with
//! better messages. The schema, its policies and functions are the embedded migrations
//! in `migrations/postgres/`.

mod auth;
pub mod conninfo;
mod tls;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Row};
use secrecy::{ExposeSecret, SecretString};

pub use conninfo::{is_postgres, role_for, ConnInfo};

use super::types::*;
use super::{Assignments, Audit, Maintenance, Packages, Sessions, Settings, Transactions, Users};
use crate::authz::Arm;
use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::model::{fmt_ts, Checkpoint, Role, Status, UserRef};

/// Embedded migrations; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_init.sql"),
    include_str!("../../../migrations/postgres/0002_logins.sql"),
    include_str!("../../../migrations/postgres/0003_audit.sql"),
    include_str!("../../../migrations/postgres/0004_tool.sql"),
    include_str!("../../../migrations/postgres/0005_fast_policies.sql"),
    include_str!("../../../migrations/postgres/0006_statement_audit.sql"),
    include_str!("../../../migrations/postgres/0007_review_fixes.sql"),
    include_str!("../../../migrations/postgres/0008_faster_audit.sql"),
    include_str!("../../../migrations/postgres/0009_managed_servers.sql"),
];

pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Creates the owner and person group roles (if missing) and lets the installer act as
/// the owner (see `Postgres::install_roles`).
pub const INSTALL_ROLES: &str = "DO $$ BEGIN
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_owner') THEN
                 CREATE ROLE gatehouse_owner NOLOGIN CREATEROLE; END IF;
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_person') THEN
                 CREATE ROLE gatehouse_person NOLOGIN; END IF;
               IF current_setting('server_version_num')::int >= 160000 THEN
                 IF NOT (pg_has_role(current_user, 'gatehouse_owner', 'SET')
                         AND pg_has_role(current_user, 'gatehouse_owner', 'USAGE')) THEN
                   EXECUTE format('GRANT gatehouse_owner TO %I WITH INHERIT TRUE, SET TRUE',
                                  current_user);
                 END IF;
               ELSIF NOT pg_has_role(current_user, 'gatehouse_owner', 'USAGE') THEN
                 EXECUTE format('GRANT gatehouse_owner TO %I', current_user);
               END IF;
             END $$";

/// What the server's version asks of the schema (see `Postgres::server_fixups`).
pub const SERVER_FIXUPS: &str = "DO $$ BEGIN
               IF current_setting('server_version_num')::int >= 160000 THEN
                 SET LOCAL ROLE gatehouse_owner;
                 ALTER FUNCTION gatehouse.ensure_login(name, text)
                   SET createrole_self_grant = 'inherit';
                 RESET ROLE;
               END IF;
             END $$";

/// The advisory lock every gatehouse write took before schema 9 (which locks a table of
/// its own instead, one no person can lock): one writer at a time, as on SQLite.
const WRITE_LOCK: i64 = 7_238_457_012;

/// Rows fetched per round trip when streaming users.
const BATCH: usize = 10_000;

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Who connects: a person (every command) or the installer (`init`, `store copy`).
pub enum Login<'a> {
    Person,
    Installer,
    /// A person named by email, with a password (`store copy` into a new store).
    As(&'a str, &'a SecretString),
}

/// A store in a PostgreSQL database, reached as one role.
pub struct Postgres {
    client: RefCell<Client>,
    info: ConnInfo,
    key: PathBuf,
    now: Timestamp,
    in_tx: Cell<bool>,
    /// The connected role's user id, if it is a gatehouse user.
    me: Option<i64>,
    /// The role connected as.
    role: String,
    /// How connections to this server are encrypted (a password check opens another).
    tls: Tls,
    /// A hash a person set for themselves, sent with its verifier by `set_login`.
    own_hash: RefCell<Option<String>>,
    /// The acting admin's change to their own standing, written at the end of the
    /// transaction (see `update_user`).
    pending_self: RefCell<Option<UserChanges>>,
    /// The acting admin deletes themselves, at the end of the transaction.
    delete_self: Cell<bool>,
    /// A whole-store copy is under way (its audit triggers are off).
    copying: Cell<bool>,
    /// The schema version found when connecting (0: none yet).
    schema: Cell<i32>,
    /// The open transaction is a write (`begin`), not a read.
    writing: Cell<bool>,
}

impl Postgres {
    /// Connects and checks the schema: present and not newer than this build's. With
    /// it, what is worth a warning (plain text to a remote server).
    pub fn open(
        db: &Path,
        env: &Env,
        now: Timestamp,
        busy: Duration,
        login: Login<'_>,
    ) -> Result<(Postgres, Vec<String>)> {
        let info = ConnInfo::parse(&db.to_string_lossy(), env)?;
        let mut warnings = Vec::new();
        if info.is_remote()
            && matches!(
                info.sslmode,
                conninfo::SslMode::Disable | conninfo::SslMode::Allow | conninfo::SslMode::Prefer
            )
        {
            warnings.push(format!(
                "the connection to {} may not be encrypted and the server is not verified (sslmode={})",
                info.place(),
                info.sslmode.as_str()
            ));
        }
        let (client, role, tls) = connect(&info, env, busy, login)?;
        let key = PathBuf::from(info.display());
        let mut store = Postgres {
            client: RefCell::new(client),
            info,
            key,
            now,
            in_tx: Cell::new(false),
            me: None,
            role,
            tls,
            own_hash: RefCell::new(None),
            pending_self: RefCell::new(None),
            delete_self: Cell::new(false),
            copying: Cell::new(false),
            schema: Cell::new(0),
            writing: Cell::new(false),
        };
        store.schema.set(store.schema_version()?);
        store.me = store.own_id()?;
        Ok((store, warnings))
    }

    /// The version of the schema in the database (0: none).
    pub fn schema_version(&self) -> Result<i32> {
        let exists: bool = self
            .one(
                "SELECT to_regclass('gatehouse.schema_version') IS NOT NULL \
                 OR to_regclass('gatehouse.users') IS NOT NULL",
                &[],
            )?
            .col(0)?;
        if !exists {
            return Ok(0);
        }
        // Read as text: whoever owns the schema may have changed the column's type.
        let v: Option<String> = self
            .opt(
                "SELECT CASE WHEN to_regclass('gatehouse.schema_version') IS NULL THEN '3' \
                 ELSE (SELECT max(version)::text FROM gatehouse.schema_version) END",
                &[],
            )?
            .map(|r| r.col::<Option<String>>(0))
            .transpose()?
            .flatten();
        match v.as_deref().map(str::parse::<i32>) {
            None => Ok(3),
            Some(Ok(v)) if v >= 1 => Ok(v),
            // No gatehouse writes it: a damaged or forged store, not an old one.
            Some(_) => Err(Error::store(format!(
                "the store at {} has schema version `{}`, which no gatehouse writes",
                self.info.place(),
                crate::model::printable(v.as_deref().unwrap_or_default())
            ))
            .with_hint(
                "gatehouse.schema_version was changed by hand: ask the DBA to restore it from a backup",
            )),
        }
    }

    /// Refuses a schema this build does not know, or one older than it (which only the
    /// installer may upgrade).
    pub fn check_schema(&self) -> Result<()> {
        let v = self.schema_version()?;
        if v == 0 {
            return Err(Error::store(format!(
                "database {} holds no gatehouse store",
                self.info.place()
            ))
            .with_hint(
                "create one with `gatehouse init --db URL`, run by a role that may create roles",
            ));
        }
        if v > SCHEMA_VERSION {
            return Err(Error::store(format!(
                "the store at {} has schema version {v}, newer than this gatehouse supports ({SCHEMA_VERSION})",
                self.info.place()
            ))
            .with_hint("upgrade gatehouse to a version that knows this store"));
        }
        if v < SCHEMA_VERSION {
            return Err(Error::store(format!(
                "the store at {} has schema version {v}; this gatehouse needs {SCHEMA_VERSION}",
                self.info.place()
            ))
            .with_hint("the role that installed it upgrades it with `gatehouse init --if-not-exists --db URL`"));
        }
        Ok(())
    }

    fn own_id(&self) -> Result<Option<i64>> {
        if self.schema_version()? == 0 {
            return Ok(None);
        }
        self.one("SELECT gatehouse.own_id(current_user)", &[])?
            .col::<Option<i64>>(0)
    }

    /// Creates the owner and person group roles (if missing) and lets the installer act
    /// as the owner; inside the caller's transaction. From PostgreSQL 16 on, creating a
    /// role makes its creator a member WITH ADMIN OPTION only (no SET, no INHERIT): the
    /// installer grants itself exactly the two it needs, which that ADMIN OPTION allows.
    fn install_roles(&self) -> Result<()> {
        self.exec(INSTALL_ROLES)
    }

    /// What depends on the server's version rather than the schema's, so a cluster
    /// upgraded under the store is brought in line by `init --if-not-exists`: the owner
    /// is made a member of each person role it creates (it ends their sessions), and
    /// roles made before an upgrade to 16 get the ADMIN OPTION the owner then needs to
    /// manage them — where the installer may grant it. Returns the person roles that
    /// are still out of the owner's reach.
    fn server_fixups(&self) -> Result<Vec<String>> {
        self.exec(SERVER_FIXUPS)?;
        let unreachable = self.all(
            "SELECT r.rolname::text FROM gatehouse.users u \
             JOIN pg_catalog.pg_roles r ON r.rolname = u.role_name \
             WHERE gatehouse.is_person_role(u.role_name) \
               AND NOT gatehouse.owner_manages(u.role_name) ORDER BY 1",
            &[],
        )?;
        let mut left = Vec::new();
        for r in unreachable {
            let role: String = row_text(&r, "rolname")?;
            let grant = if self.server_version()? >= 160_000 {
                format!(
                    "GRANT {} TO gatehouse_owner WITH ADMIN TRUE, INHERIT TRUE, SET FALSE",
                    quote_ident(&role)
                )
            } else {
                format!("GRANT {} TO gatehouse_owner", quote_ident(&role))
            };
            self.exec("SAVEPOINT fixup")?;
            match self.exec(&grant) {
                Ok(()) => self.exec("RELEASE SAVEPOINT fixup")?,
                Err(_) => {
                    self.exec("ROLLBACK TO SAVEPOINT fixup")?;
                    left.push(role);
                }
            }
        }
        Ok(left)
    }

    /// The server's `server_version_num` (150004 for 15.4).
    fn server_version(&self) -> Result<i32> {
        let r = self.one(
            "SELECT current_setting('server_version_num')::int AS v",
            &[],
        )?;
        r.try_get::<_, i32>("v")
            .map_err(|e| Error::store(format!("the server's version: {e}")))
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.pg_error(e))
    }

    fn run(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        self.client
            .borrow_mut()
            .execute(sql, params)
            .map_err(|e| self.pg_error(e))
    }

    fn all(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        self.client
            .borrow_mut()
            .query(sql, params)
            .map_err(|e| self.pg_error(e))
    }

    fn one(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        self.client
            .borrow_mut()
            .query_one(sql, params)
            .map_err(|e| self.pg_error(e))
    }

    fn opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        self.client
            .borrow_mut()
            .query_opt(sql, params)
            .map_err(|e| self.pg_error(e))
    }

    fn now_str(&self) -> String {
        fmt_ts(self.now)
    }

    /// A server error as the same kinds the SQLite store gives.
    fn pg_error(&self, e: postgres::Error) -> Error {
        pg_error(&self.info, e)
    }

    /// Runs `sql` in a read transaction of its own (a cursor needs one) unless one is
    /// open, fetching `BATCH` rows at a time so memory stays flat whatever the count.
    fn stream(
        &self,
        sql: &str,
        params: Params<'_>,
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let own = !self.in_tx.get();
        if own {
            self.begin_read()?;
        }
        let result = (|| {
            self.run(
                &format!("DECLARE gh_rows NO SCROLL CURSOR FOR {sql}"),
                params,
            )?;
            loop {
                let rows = self.all(&format!("FETCH {BATCH} FROM gh_rows"), &[])?;
                for r in &rows {
                    each(r)?;
                }
                if rows.len() < BATCH {
                    break;
                }
            }
            self.exec("CLOSE gh_rows")
        })();
        if own {
            let ended = self.rollback();
            result.and(ended)
        } else {
            result
        }
    }

    /// Runs `sql` and hands each row to `each` as the server sends it: no round trip per
    /// batch, so the server's work and ours overlap, and the client library's one-row
    /// channel keeps memory flat. The connection is busy meanwhile: `each` must not use
    /// the store.
    fn stream_direct(
        &self,
        sql: &str,
        params: Params<'_>,
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut client = self.client.borrow_mut();
        let mut rows = client
            .query_raw(sql, params.iter().copied())
            .map_err(|e| pg_error(&self.info, e))?;
        while let Some(row) = rows.next().map_err(|e| pg_error(&self.info, e))? {
            each(&row)?;
        }
        Ok(())
    }

    /// Sets the login role's SCRAM-SHA-256 verifier for this password (computed here: the
    /// plaintext never reaches the server). An admin sets anyone's; a person their own,
    /// together with the hash `set_password` handed over.
    fn scram_login(&self, id: i64, secret: &SecretString) -> Result<()> {
        let verifier =
            postgres_protocol::password::scram_sha_256(secret.expose_secret().as_bytes());
        if Some(id) == self.me && !self.is_admin()? {
            let hash =
                self.own_hash.borrow_mut().take().ok_or_else(|| {
                    Error::internal("a person's own password is set with its hash")
                })?;
            self.run(
                "SELECT gatehouse.set_own_password(current_user, $1, $2, $3)",
                &[&hash, &verifier, &self.now_str()],
            )?;
            return Ok(());
        }
        let role: String = self
            .one("SELECT role_name FROM users WHERE id = $1", &[&id])?
            .col(0)?;
        if self.me.is_some() {
            self.run(
                "SELECT gatehouse.set_login(current_user, $1, $2)",
                &[&role, &verifier],
            )?;
        } else {
            // The installer (init), as a member of the owner role.
            self.run("SELECT gatehouse.ensure_login($1, $2)", &[&role, &verifier])?;
        }
        Ok(())
    }

    /// Writes the acting admin's own pending change, if any.
    fn flush_self(&self) -> Result<()> {
        let pending = self.pending_self.borrow_mut().take();
        let (Some(me), delete) = (self.me, self.delete_self.replace(false)) else {
            return Ok(());
        };
        if delete {
            // Deleted, the account's other pending changes are moot (and once demoted,
            // the admin could no longer delete it).
            self.run("DELETE FROM users WHERE id = $1", &[&me])?;
        } else if let Some(c) = pending {
            self.write_user(me, &c)?;
        }
        Ok(())
    }

    /// The UPDATE of `c` on user `id`.
    fn write_user(&self, id: i64, c: &UserChanges) -> Result<()> {
        let mut sets: Vec<String> = Vec::new();
        let mut vals: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut push = |col: &str, v: Box<dyn ToSql + Sync>| {
            vals.push(v);
            sets.push(format!("{col} = ${}", vals.len()));
        };
        if let Some(n) = &c.name {
            push("name", Box::new(n.clone()));
        }
        if let Some(v) = &c.full_name {
            push("full_name", Box::new(v.clone()));
        }
        if let Some(v) = &c.phone {
            push("phone", Box::new(v.clone()));
        }
        if let Some(r) = c.role {
            push("role", Box::new(r.as_str().to_string()));
        }
        if let Some(s) = c.status {
            push("status", Box::new(s.as_str().to_string()));
        }
        if let Some(m) = c.must_change_password {
            push("must_change_password", Box::new(m));
        }
        if let Some(e) = c.expires_at {
            push("expires_at", Box::new(e.map(fmt_ts)));
        }
        let nothing = c.name.is_none()
            && c.full_name.is_none()
            && c.phone.is_none()
            && c.role.is_none()
            && c.status.is_none()
            && c.must_change_password.is_none()
            && c.expires_at.is_none();
        if nothing {
            return Ok(());
        }
        push("updated_at", Box::new(self.now_str()));
        vals.push(Box::new(id));
        let sql = format!(
            "UPDATE users SET {} WHERE id = ${}",
            sets.join(", "),
            vals.len()
        );
        let refs: Vec<&(dyn ToSql + Sync)> = vals.iter().map(|v| v.as_ref()).collect();
        self.run(&sql, &refs).map(|_| ())
    }

    /// What a user row reads: with the password hash for the installer (a copy), whom
    /// no policy hides it from; without it for a person, who may not read it.
    fn user_columns(&self) -> &'static str {
        if self.me.is_none() {
            USER_COLUMNS_WITH_HASH
        } else {
            USER_COLUMNS
        }
    }

    fn is_admin(&self) -> Result<bool> {
        self.one("SELECT gatehouse.is_admin(current_user)", &[])?
            .col(0)
    }
}

/// `later` on top of `earlier`: each field the later change sets wins.
fn merge(earlier: UserChanges, later: &UserChanges) -> UserChanges {
    let l = later.clone();
    UserChanges {
        name: l.name.or(earlier.name),
        full_name: l.full_name.or(earlier.full_name),
        phone: l.phone.or(earlier.phone),
        role: l.role.or(earlier.role),
        status: l.status.or(earlier.status),
        expires_at: l.expires_at.or(earlier.expires_at),
        must_change_password: l.must_change_password.or(earlier.must_change_password),
    }
}

/// The user as `c` leaves them (for a change not yet written).
fn with_changes(mut u: User, c: &UserChanges, now: Timestamp) -> User {
    if let Some(n) = &c.name {
        u.name = n.clone();
    }
    if let Some(v) = &c.full_name {
        u.full_name = v.clone();
    }
    if let Some(v) = &c.phone {
        u.phone = v.clone();
    }
    if let Some(r) = c.role {
        u.role = r;
    }
    if let Some(s) = c.status {
        u.status = s;
    }
    if let Some(m) = c.must_change_password {
        u.must_change_password = m;
    }
    if let Some(e) = c.expires_at {
        u.expires_at = e.map(fmt_ts);
    }
    u.updated_at = fmt_ts(now);
    u.expired = u.is_expired(now);
    u
}

fn connect(
    info: &ConnInfo,
    env: &Env,
    busy: Duration,
    login: Login<'_>,
) -> Result<(Client, String, Tls)> {
    let tls = Tls::new(info, env)?;
    let mut info = info.clone();
    let mut password = info.password.clone().map(SecretString::from);
    match login {
        Login::As(email, pw) => {
            info.user = Some(role_for(email));
            password = Some(pw.clone());
        }
        Login::Installer => {
            if info.user.is_none() {
                info.user = env.var("USER").map(str::to_string);
            }
        }
        Login::Person => {
            // GATEHOUSE_EMAIL names the person unless the string itself names a user.
            if info.user_from_env && env.var("GATEHOUSE_EMAIL").is_some() {
                info.user = None;
            }
            if info.user.is_none() {
                let email = match env.var("GATEHOUSE_EMAIL") {
                    Some(e) => e.to_string(),
                    None if env.stdin_tty => crate::input::prompt_line("Email: ")?,
                    None => {
                        return Err(Error::auth("no credentials for the PostgreSQL store")
                            .with_hint(
                                "set GATEHOUSE_EMAIL (with GATEHOUSE_PASSWORD_FILE or a ~/.pgpass line), or put user= in the URL",
                            ))
                    }
                };
                info.user = Some(role_for(&conninfo::fold_email(&email)));
            }
            if password.is_none() {
                if let Some(pw) = env.var("GATEHOUSE_PASSWORD") {
                    password = Some(SecretString::from(pw.to_string()));
                } else if let Some(file) = env.var("GATEHOUSE_PASSWORD_FILE") {
                    password = Some(crate::input::read_password_file(
                        env,
                        Path::new(file),
                        Kind::Auth,
                    )?);
                }
            }
        }
    }
    if password.is_none() {
        password = env
            .var("PGPASSWORD")
            .map(|p| SecretString::from(p.to_string()))
            .or_else(|| info.pgpass(env).map(SecretString::from));
    }
    let user = info.user.clone().unwrap_or_default();
    let attempt = |pw: Option<&SecretString>| match pw {
        Some(pw) => connect_as(&info, &user, pw, &tls),
        None => config(&info, &user, &tls).connect(tls.guard.clone()),
    };
    let client = match attempt(password.as_ref()) {
        Ok(c) => c,
        Err(e) if password.is_none() && needs_password(&e) && env.stdin_tty => {
            let pw = crate::input::prompt_hidden(&format!("Password for {user}: "))?;
            attempt(Some(&pw)).map_err(|e| pg_error(&info, e))?
        }
        Err(e) => return Err(pg_error(&info, e)),
    };
    let mut client = client;
    let ms = busy.as_millis().clamp(1, i32::MAX as u128);
    client
        .batch_execute(&format!(
            "SET search_path = gatehouse, pg_catalog; SET lock_timeout = {ms}; \
             SET cursor_tuple_fraction = 1; \
             SET TIME ZONE 'UTC'"
        ))
        .map_err(|e| pg_error(&info, e))?;
    Ok((client, user, tls))
}

/// The client's settings for `user` at `info`, without a password.
/// The TLS side of connections to one server, by its `sslmode`, and the watch on how
/// the server logs us in (`require_auth`).
#[derive(Clone)]
pub struct Tls {
    guard: auth::Guard,
    /// The mode the client library is told: over TCP the guard negotiates TLS itself
    /// (so it sees plain connections too), and the library only hands it the socket.
    mode: postgres::config::SslMode,
    negotiation: postgres::config::SslNegotiation,
}

impl Tls {
    fn new(info: &ConnInfo, env: &Env) -> Result<Tls> {
        use postgres::config::{SslMode as Client, SslNegotiation};
        let (make, mode) = tls::connector(info, env)?;
        let over_tcp = !info
            .host
            .as_deref()
            .unwrap_or("/var/run/postgresql")
            .starts_with('/');
        let wanted = match mode {
            Client::Disable => conninfo::SslMode::Disable,
            Client::Require => conninfo::SslMode::Require,
            _ => conninfo::SslMode::Prefer,
        };
        let guard = auth::Guard::new(make, wanted, over_tcp, info.require_auth);
        Ok(if over_tcp {
            Tls {
                guard,
                mode: Client::Require,
                negotiation: SslNegotiation::Direct,
            }
        } else {
            Tls {
                guard,
                mode,
                negotiation: SslNegotiation::Postgres,
            }
        })
    }
}

fn config(info: &ConnInfo, user: &str, tls: &Tls) -> postgres::Config {
    let mut cfg = postgres::Config::new();
    cfg.host(info.host.as_deref().unwrap_or("/var/run/postgresql"))
        .port(info.port.unwrap_or(5432))
        .user(user)
        .dbname(info.dbname.as_deref().unwrap_or(user))
        .application_name(info.application_name.as_deref().unwrap_or("gatehouse"))
        .connect_timeout(Duration::from_secs(
            info.connect_timeout.unwrap_or(10).max(1),
        ))
        .ssl_mode(tls.mode)
        .ssl_negotiation(tls.negotiation)
        .channel_binding(match info.channel_binding {
            conninfo::ChannelBinding::Disable => postgres::config::ChannelBinding::Disable,
            conninfo::ChannelBinding::Prefer => postgres::config::ChannelBinding::Prefer,
            conninfo::ChannelBinding::Require => postgres::config::ChannelBinding::Require,
        });
    if let Some(o) = &info.options {
        cfg.options(o);
    }
    cfg
}

fn connect_as(
    info: &ConnInfo,
    user: &str,
    pw: &SecretString,
    tls: &Tls,
) -> Result<Client, postgres::Error> {
    let mut cfg = config(info, user, tls);
    cfg.password(pw.expose_secret());
    cfg.connect(tls.guard.clone())
}

fn needs_password(e: &postgres::Error) -> bool {
    e.to_string().contains("password missing")
}

/// A server or connection error as the kinds scripts know: unreachable → 9 naming the
/// server (never the password), bad credentials → 3, refused by a policy or grant → 4,
/// a lock or serialization conflict → 75, a constraint → 6.
pub(crate) fn pg_error(info: &ConnInfo, e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let msg = db.message();
        return if msg.contains("pg_hba.conf") {
            // Not a wrong password: the server takes no such connection at all.
            Error::auth(format!(
                "the server at {} refuses this connection",
                info.place()
            ))
            .with_hint(format!(
                "{msg}; it may take TLS only (sslmode=verify-full with sslrootcert)"
            ))
        } else if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            // The same answer as the SQLite store's, whatever the server's reason.
            Error::login_failed().with_hint(format!(
                "the server at {} refused the login; an inactive or expired account cannot log in",
                info.place()
            ))
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            Error::denied(format!("permission denied by the server: {msg}"))
        } else if *code == SqlState::RESERVED_NAME {
            // A user's role is named by their email, and PostgreSQL keeps `pg_…` names
            // for itself: such an email cannot have a login role on this store.
            Error::invalid(format!("{msg}: PostgreSQL keeps role names that start with `pg_` for itself"))
                .with_hint("each user's login role is named by their email: give this user an email that does not start with `pg_`")
        } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            Error::new(
                Kind::Busy,
                format!(
                    "the store at {} is busy: another transaction conflicted with this one",
                    info.place()
                ),
            )
            .with_hint("nothing was changed; it is safe to retry")
            .retryable()
        } else if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
            Error::new(
                Kind::Busy,
                format!(
                    "the store at {} is busy: another command holds its lock",
                    info.place()
                ),
            )
            .with_hint("nothing was changed; it is safe to retry")
        } else if *code == SqlState::CHECK_VIOLATION && msg.contains("active admin") {
            no_admin_left()
        } else if *code == SqlState::UNIQUE_VIOLATION {
            Error::conflict(format!("refused by the server: {msg}"))
                .with_hint("nothing was changed")
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            Error::store(format!("database {} does not exist", info.place()))
                .with_hint("create it (`createdb`), then run `gatehouse init --db URL`")
        } else if *code == SqlState::UNDEFINED_TABLE || *code == SqlState::INVALID_SCHEMA_NAME {
            Error::store(format!(
                "database {} holds no gatehouse store",
                info.place()
            ))
            .with_hint("create one with `gatehouse init --db URL`")
        } else if code.code().starts_with("08") || code.code().starts_with("57") {
            Error::store(format!("lost the connection to {}: {msg}", info.place()))
        } else {
            Error::internal(format!("database error at {}: {msg}", info.place()))
        };
    }
    if let Some(auth::Refused(method)) = auth::refused(&e) {
        use conninfo::AuthMethod;
        let how = match method {
            AuthMethod::Password => "the password in clear text",
            AuthMethod::Md5 => "an MD5 digest of the password",
            AuthMethod::None => "no password at all (trust, peer or ident)",
            AuthMethod::Gss => "GSSAPI",
            AuthMethod::Sspi => "SSPI",
            AuthMethod::ScramSha256 => "SCRAM-SHA-256",
        };
        return Error::auth(format!(
            "the server at {} asked for {how}, which require_auth does not allow (by default only SCRAM-SHA-256)",
            info.place()
        ))
        .with_hint(format!(
            "the password was not sent; a server that is not who it claims may ask this way: use sslmode=verify-full. If its pg_hba.conf really says `{}`, ask the DBA for scram-sha-256, or add require_auth={} to the connection string",
            match method {
                AuthMethod::None => "trust",
                m => m.as_str(),
            },
            method.as_str()
        ));
    }
    if e.is_closed() {
        return Error::store(format!("lost the connection to {}", info.place()));
    }
    let text = e.to_string();
    if text.contains("password missing") {
        return Error::auth(format!(
            "the server at {} asks for a password",
            info.place()
        ))
        .with_hint("set GATEHOUSE_PASSWORD_FILE, or add a line to ~/.pgpass (mode 0600)");
    }
    Error::store(format!(
        "cannot reach the PostgreSQL server at {}",
        info.place()
    ))
    .with_hint(format!(
        "check that the server runs and accepts connections there ({})",
        source_text(&e)
    ))
}

/// The innermost cause, which names what failed (refused, timed out, no such file).
fn source_text(e: &postgres::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, \
    u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
    u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
    u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, \
    (SELECT string_agg(p.name, chr(31)) FROM assignments a \
        JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id)";

/// The same, and the password hash: for the installer (a copy), whom no policy hides
/// it from.
const USER_COLUMNS_WITH_HASH: &str = "u.id, u.email, u.name, u.full_name, u.phone, u.role, \
    u.status, u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
    u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
    u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, \
    (SELECT string_agg(p.name, chr(31)) FROM assignments a \
        JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id), u.password_hash";

/// What a table of users shows.
const BRIEF_COLUMNS: &str = "u.name, u.email, u.role, u.status, u.expires_at, \
    (SELECT count(*) FROM assignments a WHERE a.user_id = u.id), u.id, u.last_login_at, \
    u.locked_until";

fn brief_from_row(r: &Row, now: &str) -> Result<UserBrief> {
    let role: String = r.col(2)?;
    let status: String = r.col(3)?;
    let expires: Option<String> = r.col(4)?;
    let locked: Option<String> = r.col(8)?;
    Ok(UserBrief {
        id: r.col(6)?,
        name: r.col(0)?,
        email: r.col(1)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        expired: expires.is_some_and(|e| e.as_str() <= now),
        locked: locked.is_some_and(|l| l.as_str() > now),
        package_count: r.col(5)?,
        last_login_at: r.col(7)?,
    })
}

fn user_from_row(r: &Row, now: Timestamp) -> Result<User> {
    let role: String = r.col(5)?;
    let status: String = r.col(6)?;
    let packages: Option<String> = r.col(19)?;
    let mut u = User {
        id: r.col(0)?,
        email: r.col(1)?,
        name: r.col(2)?,
        full_name: r.col(3)?,
        phone: r.col(4)?,
        role: Role::parse_db(&role).unwrap_or(Role::User),
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        // No person's role may read it; only a copy, by the installer, does.
        password_hash: if r.len() > 20 { r.col(20)? } else { None },
        must_change_password: r.col(7)?,
        created_at: r.col(8)?,
        updated_at: r.col(9)?,
        last_login_at: r.col(10)?,
        password_changed_at: r.col(11)?,
        expires_at: r.col(12)?,
        failed_logins: r.col(13)?,
        locked_until: r.col(14)?,
        email_notifications: r.col(15)?,
        sms_notifications: r.col(16)?,
        shipment_updates: r.col(17)?,
        system_announcements: r.col(18)?,
        packages: packages
            .map(|p| {
                let mut names: Vec<String> = p.split('\u{1f}').map(str::to_string).collect();
                names.sort_by_key(|n| n.to_ascii_lowercase());
                names
            })
            .unwrap_or_default(),
        expired: false,
    };
    u.expired = u.is_expired(now);
    Ok(u)
}

const PACKAGE_COLUMNS: &str = "p.id, p.name, p.description, p.status, p.created_by, \
    (SELECT email FROM users WHERE id = p.created_by), p.created_at, p.updated_at, \
    (SELECT count(*) FROM assignments a WHERE a.package_id = p.id)";

fn package_from_row(r: &Row) -> Result<Package> {
    let status: String = r.col(3)?;
    Ok(Package {
        id: r.col(0)?,
        name: r.col(1)?,
        description: r.col(2)?,
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        created_by: r.col(4)?,
        created_by_email: r.col(5)?,
        created_at: r.col(6)?,
        updated_at: r.col(7)?,
        assigned_count: r.col(8)?,
    })
}

const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor_email, action, target, details, result, reason, version, prev_hash, hash";

fn audit_from_row(r: &Row) -> Result<AuditRow> {
    Ok(AuditRow {
        id: r.col(0)?,
        at: r.col(1)?,
        actor_id: r.col(2)?,
        actor_email: r.col(3)?,
        action: r.col(4)?,
        target: r.col(5)?,
        details: r.col(6)?,
        result: r.col(7)?,
        reason: r.col(8)?,
        version: r.col(9)?,
        prev_hash: r.col(10)?,
        hash: r.col(11)?,
    })
}

/// A filter's WHERE clause over `users u` with `$n` placeholders, and its values.
fn user_where(f: &UserFilter) -> (String, Vec<String>) {
    let mut wheres: Vec<String> = Vec::new();
    let mut vals: Vec<String> = Vec::new();
    if let Some(r) = f.role {
        vals.push(r.as_str().into());
        wheres.push(format!("u.role = ${}", vals.len()));
    }
    if let Some(s) = f.status {
        vals.push(s.as_str().into());
        wheres.push(format!("u.status = ${}", vals.len()));
    }
    if let Some(p) = &f.package {
        vals.push(p.clone());
        wheres.push(format!(
            "EXISTS (SELECT 1 FROM assignments a JOIN packages p ON p.id = a.package_id \
             WHERE a.user_id = u.id AND p.name_key = gatehouse.name_key(${}))",
            vals.len()
        ));
    }
    if let Some(text) = &f.search {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        vals.push(format!("%{escaped}%"));
        let n = vals.len();
        wheres.push(format!(
            "(lower(u.email) LIKE ${n} OR lower(u.name) LIKE ${n} \
             OR lower(coalesce(u.full_name, '')) LIKE ${n})"
        ));
    }
    if let Some(c) = &f.condition {
        wheres.push(condition_sql(c, &mut vals));
    }
    let clause = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    (clause, vals)
}

fn condition_sql(c: &UserCondition, vals: &mut Vec<String>) -> String {
    let mut at = |t: &str| {
        vals.push(t.to_string());
        vals.len()
    };
    match c {
        UserCondition::Active => "u.status = 'active'".into(),
        UserCondition::Admins => "u.role = 'admin'".into(),
        UserCondition::InactiveHoldingPackages => "u.status = 'inactive' AND EXISTS \
            (SELECT 1 FROM assignments a WHERE a.user_id = u.id)"
            .into(),
        UserCondition::LastLoginBefore(t) => {
            format!("u.status = 'active' AND u.last_login_at < ${}", at(t))
        }
        UserCondition::NeverLoggedIn => "u.status = 'active' AND u.last_login_at IS NULL".into(),
        UserCondition::ExpiredBy(t) => format!("u.expires_at <= ${}", at(t)),
        UserCondition::ExpiringBetween(from, to) => {
            let (a, b) = (at(from), at(to));
            format!("u.expires_at > ${a} AND u.expires_at <= ${b}")
        }
        UserCondition::MustChangePassword => "u.must_change_password".into(),
        UserCondition::LockedAt(t) => format!("u.locked_until > ${}", at(t)),
    }
}

fn params(vals: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    vals.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A refusal that says why a server-side action could not happen to a user.
fn no_sessions() -> Error {
    Error::usage("a PostgreSQL store keeps no gatehouse sessions: the server logs you in on each connection")
        .with_hint("put your password in ~/.pgpass (or PGPASSFILE), or set GATEHOUSE_EMAIL with GATEHOUSE_PASSWORD_FILE")
}

/// The statement to turn the audit triggers off for a copy (whose trail arrives whole),
/// or on again.
fn audit_triggers(how: &str) -> String {
    let mut sql = String::from("SET ROLE gatehouse_owner; ");
    for (table, events) in [
        ("users", &["insert", "update", "delete"][..]),
        ("packages", &["insert", "update", "delete"][..]),
        ("assignments", &["insert", "delete"][..]),
        ("settings", &["insert", "update", "delete"][..]),
    ] {
        for e in events {
            sql.push_str(&format!(
                "ALTER TABLE gatehouse.{table} {how} TRIGGER audit_{table}_{e}; "
            ));
        }
    }
    // Nor are the login roles of other databases on the server touched by a copy.
    sql.push_str(&format!(
        "ALTER TABLE gatehouse.users {how} TRIGGER users_leftover_roles; "
    ));
    // COPY FROM refuses a table whose row-level security applies to the one copying:
    // for the copy's own transaction (nobody else sees the tables meanwhile: ALTER TABLE
    // holds them exclusively until it ends) it is not forced on the owner, whose
    // privileges the installer has.
    let force = if how == "DISABLE" {
        "NO FORCE"
    } else {
        "FORCE"
    };
    for table in ["users", "packages", "assignments", "settings", "audit"] {
        sql.push_str(&format!(
            "ALTER TABLE gatehouse.{table} {force} ROW LEVEL SECURITY; "
        ));
    }
    sql.push_str("RESET ROLE");
    sql
}

/// What the roles need of each other on this server version (the installer's own hold on
/// the owner is checked before the doctor reads anything): the owner manages every
/// person's role (after an upgrade to 16 it may not: a
/// role made before has no ADMIN OPTION for it); the function that makes roles leaves the
/// owner a member of them; no value was left unvalidated by an upgrade.
fn role_drift(s: &Postgres, v16: bool) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let unmanaged: Vec<String> = s
        .all(
            "SELECT u.role_name::text AS name FROM gatehouse.users u \
             WHERE gatehouse.is_person_role(u.role_name) \
               AND NOT gatehouse.owner_manages(u.role_name) ORDER BY 1",
            &[],
        )?
        .iter()
        .map(|r| row_text(r, "name"))
        .collect::<Result<_>>()?;
    if let Some(first) = unmanaged.first() {
        drift.push(format!(
            "gatehouse_owner cannot manage the login roles of {} user(s) (roles made before the cluster's upgrade to PostgreSQL 16, e.g. `{first}`): deactivating, expiring or deleting them fails; a superuser repairs it with `gatehouse init --if-not-exists`, or runs GRANT \"ROLE\" TO gatehouse_owner WITH ADMIN TRUE, INHERIT TRUE for each",
            unmanaged.len()
        ));
    }
    if v16 {
        let set: bool = s
            .one(
                "SELECT coalesce(p.proconfig::text[] @> ARRAY['createrole_self_grant=inherit'], false) AS set \
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = 'gatehouse' AND p.proname = 'ensure_login'",
                &[],
            )?
            .try_get("set")
            .unwrap_or(false);
        if !set {
            drift.push("the function that makes login roles does not keep gatehouse_owner a member of them (createrole_self_grant): run `gatehouse init --if-not-exists`".into());
        }
    }
    for r in s.all(
        "SELECT c.conname::text AS name FROM pg_constraint c \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'gatehouse' AND NOT c.convalidated ORDER BY 1",
        &[],
    )? {
        drift.push(format!(
            "constraint `{}` is not validated: a row holds a value gatehouse would not write (fix the row, then ALTER TABLE … VALIDATE CONSTRAINT as the owner)",
            row_text(&r, "name")?
        ));
    }
    Ok(drift)
}

/// Reading a column by position without panicking: a NULL where none belongs, or a value
/// of another type, is a damaged store (exit 8), never a crash.
trait Col {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T>;
}

impl Col for Row {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T> {
        self.try_get(i).map_err(|e| {
            let column = self.columns().get(i).map(|c| c.name()).unwrap_or("?");
            Error::new(
                Kind::Integrity,
                format!("a row of the store holds an unexpected value in `{column}`: {e}"),
            )
            .with_hint("run `gatehouse store doctor` as the installer; a hand-made change may have damaged it")
        })
    }
}

/// `name` quoted as an SQL identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A text column by name: a NULL or another type is a damaged store, not a panic.
fn row_text(r: &Row, column: &str) -> Result<String> {
    r.try_get::<_, String>(column).map_err(|e| {
        Error::new(
            Kind::Integrity,
            format!("unexpected value in column `{column}`: {e}"),
        )
    })
}

/// A value as a field of COPY's text format.
fn copy_field(out: &mut String, v: Option<&str>) {
    match v {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// Rows in COPY's text format: fields tab-separated, one row a line.
fn copy_lines<'a>(rows: impl Iterator<Item = Vec<Option<String>>> + 'a) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, f) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            copy_field(&mut out, f.as_deref());
        }
        out.push('\n');
    }
    out
}

impl Postgres {
    /// Streams `data` into `COPY table (columns) FROM STDIN`.
    fn copy(&self, table_columns: &str, data: &str) -> Result<()> {
        use std::io::Write;
        let mut client = self.client.borrow_mut();
        let mut w = client
            .copy_in(&format!("COPY {table_columns} FROM STDIN"))
            .map_err(|e| pg_error(&self.info, e))?;
        w.write_all(data.as_bytes())
            .map_err(|e| Error::store(format!("copy to {}: {e}", self.info.place())))?;
        w.finish().map_err(|e| pg_error(&self.info, e))?;
        Ok(())
    }
}

impl Transactions for Postgres {
    fn path(&self) -> &Path {
        &self.key
    }
    fn now(&self) -> Timestamp {
        self.now
    }
    fn connected_user(&self) -> Option<i64> {
        self.me
    }
    fn connected_role(&self) -> Option<&str> {
        Some(&self.role)
    }
    /// One writer at a time: the transaction takes gatehouse's write lock first — a
    /// table only the owner may lock, through a function that lets in a caller who may
    /// act (or the installer); before schema 9, an advisory lock.
    fn begin(&self) -> Result<()> {
        self.exec("BEGIN")?;
        self.in_tx.set(true);
        self.writing.set(true);
        let locked = if self.schema.get() >= 9 {
            self.run("SELECT gatehouse.begin_write(current_user)", &[])
        } else {
            self.run("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        };
        if let Err(e) = locked {
            // Not left in a failed transaction: the caller never got one.
            let _ = self.rollback();
            return Err(e);
        }
        Ok(())
    }
    fn begin_read(&self) -> Result<()> {
        self.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        self.in_tx.set(true);
        Ok(())
    }
    fn commit(&self) -> Result<()> {
        let r = self.flush_self().and_then(|()| self.exec("COMMIT"));
        if r.is_err() {
            let _ = self.exec("ROLLBACK");
        }
        self.in_tx.set(false);
        if r.is_ok() && self.writing.replace(false) && self.me.is_some() && self.schema.get() >= 9 {
            // Once committed, the connections of anyone who can no longer log in end
            // (the server's triggers end them before commit, when a reconnect could still
            // slip in). Best effort: the change itself has committed.
            let _ = self.exec("SELECT gatehouse.end_stale_sessions(current_user)");
        }
        r
    }
    fn rollback(&self) -> Result<()> {
        self.writing.set(false);
        self.pending_self.borrow_mut().take();
        self.delete_self.set(false);
        self.own_hash.borrow_mut().take();
        self.copying.set(false);
        let r = self.exec("ROLLBACK");
        self.in_tx.set(false);
        r
    }
    fn in_transaction(&self) -> bool {
        self.in_tx.get()
    }
    fn set_durable(&self, durable: bool) -> Result<()> {
        self.exec(if durable {
            "SET synchronous_commit = on"
        } else {
            "SET synchronous_commit = off"
        })
    }
    fn set_cache_kib(&self, _kib: u32) -> Result<()> {
        Ok(())
    }
}

impl Users for Postgres {
    fn count_lasting_admins(&self) -> Result<i64> {
        self.flush_self()?;
        self.one("SELECT gatehouse.lasting_admins()", &[])?.col(0)
    }
    fn user(&self, r: &UserRef) -> Result<Option<User>> {
        match r {
            UserRef::Id(id) => Ok(self
                .opt(
                    &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"),
                    &[id],
                )?
                .map(|r| user_from_row(&r, self.now))
                .transpose()?),
            UserRef::Email(e) => self.user_by_email(e.as_str()),
        }
    }
    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.opt(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"),
            &[&email],
        )?
        .map(|r| user_from_row(&r, self.now))
        .transpose()
    }
    fn user_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        self.opt("SELECT id FROM users WHERE email = $1", &[&email])?
            .map(|r| r.col(0))
            .transpose()
    }
    fn count_users(&self) -> Result<i64> {
        self.one("SELECT count(*) FROM users", &[])?.col(0)
    }
    fn count_users_each(&self, conditions: &[UserCondition]) -> Result<Vec<u64>> {
        if conditions.is_empty() {
            return Ok(Vec::new());
        }
        let mut vals = Vec::new();
        let sums: Vec<String> = conditions
            .iter()
            .map(|c| format!("count(*) FILTER (WHERE {})", condition_sql(c, &mut vals)))
            .collect();
        let row = self.one(
            &format!("SELECT {} FROM users u", sums.join(", ")),
            &params(&vals),
        )?;
        (0..conditions.len())
            .map(|i| Ok(row.col::<i64>(i)? as u64))
            .collect::<Result<_>>()
    }
    fn insert_user_id(&self, u: &NewUser) -> Result<i64> {
        let now = self.now_str();
        let res = self.client.borrow_mut().query_one(
            "INSERT INTO users (email, name, full_name, phone, role, status, password_hash, \
             must_change_password, created_at, updated_at, password_changed_at, expires_at, \
             last_login_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($12, $9), $9, $10, $11, $13) \
             RETURNING id",
            &[
                &u.email.as_str(),
                &u.name,
                &u.full_name,
                &u.phone,
                &u.role.as_str(),
                &u.status.as_str(),
                &u.password_hash,
                &u.must_change_password,
                &now,
                &u.password_hash.as_ref().map(|_| now.clone()),
                &u.expires_at.map(fmt_ts),
                &u.created_at.map(fmt_ts),
                &u.last_login_at.map(fmt_ts),
            ],
        );
        match res {
            Ok(r) => Ok(r.col(0)?),
            // The email's own key; any other unique key is reported as what it is.
            Err(e)
                if e.as_db_error()
                    .and_then(|d| d.constraint())
                    .is_some_and(|c| c == "users_email_key") =>
            {
                Err(email_taken(u.email.as_str()))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    /// One INSERT per 1,000 users: the policies and the audit trigger run once per
    /// statement, not once per user. The rows go as one array per column, so the
    /// statement is short to send, parse and plan however many rows it carries.
    fn insert_users(&self, users: &[NewUser]) -> Result<Vec<i64>> {
        let now = self.now_str();
        let mut ids = Vec::with_capacity(users.len());
        for chunk in users.chunks(1000) {
            let text = |f: &dyn Fn(&NewUser) -> Option<String>| -> Vec<Option<String>> {
                chunk.iter().map(f).collect()
            };
            let emails = text(&|u| Some(u.email.as_str().to_string()));
            let names = text(&|u| Some(u.name.clone()));
            let full_names = text(&|u| u.full_name.clone());
            let phones = text(&|u| u.phone.clone());
            let roles = text(&|u| Some(u.role.as_str().to_string()));
            let statuses = text(&|u| Some(u.status.as_str().to_string()));
            let hashes = text(&|u| u.password_hash.clone());
            let must: Vec<bool> = chunk.iter().map(|u| u.must_change_password).collect();
            let changed = text(&|u| u.password_hash.as_ref().map(|_| now.clone()));
            let expires = text(&|u| u.expires_at.map(fmt_ts));
            let created = text(&|u| u.created_at.map(fmt_ts));
            let last_login = text(&|u| u.last_login_at.map(fmt_ts));
            // created_at is the carried-over time or now ($13, also updated_at).
            let sql = "INSERT INTO users (email, name, full_name, phone, role, status, \
                 password_hash, must_change_password, created_at, updated_at, \
                 password_changed_at, expires_at, last_login_at) \
                 SELECT e, n, f, p, r, s, h, m, coalesce(c, $13), $13, pc, x, l \
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                             $6::text[], $7::text[], $8::boolean[], $9::text[], $10::text[], \
                             $11::text[], $12::text[]) WITH ORDINALITY \
                      AS t(e, n, f, p, r, s, h, m, pc, x, c, l, i) \
                 ORDER BY i RETURNING id, email";
            let refs: [&(dyn ToSql + Sync); 13] = [
                &emails,
                &names,
                &full_names,
                &phones,
                &roles,
                &statuses,
                &hashes,
                &must,
                &changed,
                &expires,
                &created,
                &last_login,
                &now,
            ];
            let rows = match self.client.borrow_mut().query(sql, &refs) {
                Ok(rows) => rows,
                Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    // The transaction is void now: no lookup of which one. The import
                    // checked them all under the lock, so someone outside gatehouse
                    // added one meanwhile.
                    return Err(Error::conflict(
                        "an email of this import was taken meanwhile, outside gatehouse",
                    )
                    .with_hint("nothing was changed; run the import again"));
                }
                Err(e) => return Err(self.pg_error(e)),
            };
            let by_email: std::collections::HashMap<String, i64> = rows
                .iter()
                .map(|r| Ok((r.col(1)?, r.col(0)?)))
                .collect::<Result<_>>()?;
            for u in chunk {
                ids.push(*by_email.get(u.email.as_str()).ok_or_else(|| {
                    Error::internal(format!("no id came back for `{}`", u.email))
                })?);
            }
        }
        Ok(ids)
    }
    fn user_ids_by_email(&self, emails: &[&str]) -> Result<std::collections::HashMap<String, i64>> {
        let list: Vec<&str> = emails.to_vec();
        self.all(
            "SELECT email, id FROM users WHERE email = ANY($1)",
            &[&list],
        )?
        .iter()
        .map(|r| Ok((r.col(0)?, r.col(1)?)))
        .collect::<Result<_>>()
    }
    fn update_user(&self, id: i64, c: &UserChanges) -> Result<User> {
        let demotes = c.role == Some(Role::User)
            || c.status == Some(Status::Inactive)
            || matches!(c.expires_at, Some(Some(_)));
        let pending = self.pending_self.borrow().is_some();
        if Some(id) == self.me && (demotes || pending) && self.in_tx.get() {
            // From the moment the acting admin stops being one the policies hide every
            // other user from them: their own change waits for the end of the
            // transaction, where the last-admin check sees it.
            let before = self.user_by_id(id)?;
            let mut pending = self.pending_self.borrow_mut();
            let merged = merge(pending.take().unwrap_or_default(), c);
            let after = with_changes(before, &merged, self.now);
            *pending = Some(merged);
            return Ok(after);
        }
        self.write_user(id, c)?;
        self.user_by_id(id)
    }
    fn set_password(&self, id: i64, hash: &str, must_change: bool) -> Result<User> {
        if Some(id) == self.me && !must_change && !self.is_admin()? {
            // A person's own: written with its verifier by `set_login`, in one call.
            *self.own_hash.borrow_mut() = Some(hash.to_string());
            return self.user_by_id(id);
        }
        let now = self.now_str();
        self.run(
            "UPDATE users SET password_hash = $1, must_change_password = $2, \
             password_changed_at = $3, updated_at = $3, failed_logins = 0, locked_until = NULL \
             WHERE id = $4",
            &[&hash, &must_change, &now, &id],
        )?;
        self.user_by_id(id)
    }
    fn upgrade_hash(&self, _id: i64, _old: &str, _new: &str) -> Result<bool> {
        // The server verifies passwords here; gatehouse never reads a hash to upgrade.
        Ok(false)
    }
    fn delete_user(&self, id: i64) -> Result<()> {
        if Some(id) == self.me && self.in_tx.get() {
            // As with a demotion of oneself: at the end of the transaction.
            self.delete_self.set(true);
            return Ok(());
        }
        self.run("DELETE FROM users WHERE id = $1", &[&id])
            .map(|_| ())
    }
    fn unlock_user(&self, id: i64) -> Result<User> {
        self.run(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $1 \
             WHERE id = $2 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
            &[&self.now_str(), &id],
        )?;
        self.user_by_id(id)
    }
    fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()> {
        self.run(
            "UPDATE users SET email_notifications = $1, sms_notifications = $2, \
             shipment_updates = $3, system_announcements = $4, updated_at = $5 WHERE id = $6",
            &[
                &prefs[0],
                &prefs[1],
                &prefs[2],
                &prefs[3],
                &self.now_str(),
                &id,
            ],
        )
        .map(|_| ())
    }
    fn for_each_user(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        let (sql, vals) = users_query(f, self.user_columns());
        self.stream(&sql, &params(&vals), &mut |r| {
            each(&user_from_row(r, self.now)?)
        })
    }
    fn stream_users(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&User) -> Result<()>,
    ) -> Result<()> {
        let (sql, vals) = users_query(f, self.user_columns());
        self.stream_direct(&sql, &params(&vals), &mut |r| {
            each(&user_from_row(r, self.now)?)
        })
    }
    fn stream_user_briefs(
        &self,
        f: &UserFilter,
        each: &mut dyn FnMut(&UserBrief) -> Result<()>,
    ) -> Result<()> {
        let now = self.now_str();
        let (sql, vals) = users_query(f, BRIEF_COLUMNS);
        self.stream_direct(&sql, &params(&vals), &mut |r| {
            each(&brief_from_row(r, &now)?)
        })
    }
}

impl Packages for Postgres {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        self.opt(
            &format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages p \
                     WHERE p.name_key = gatehouse.name_key($1)"
            ),
            &[&name],
        )?
        .map(|r| package_from_row(&r))
        .transpose()
    }
    fn package_by_id(&self, id: i64) -> Result<Package> {
        self.opt(
            &format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = $1"),
            &[&id],
        )?
        .map(|r| package_from_row(&r))
        .ok_or_else(|| Error::not_found(format!("no package with id `{id}`")))?
    }
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let mut wheres = Vec::new();
        if visible_to.is_some() {
            wheres.push(
                "(p.created_by = $1 OR EXISTS (SELECT 1 FROM assignments a \
                 WHERE a.package_id = p.id AND a.user_id = $1))",
            );
        }
        if !include_inactive {
            wheres.push("p.status = 'active'");
        }
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {} ORDER BY lower(p.name), p.id",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            }
        );
        let rows = match visible_to {
            Some(id) => self.all(&sql, &[&id])?,
            None => self.all(&sql, &[])?,
        };
        for r in &rows {
            each(&package_from_row(r)?)?;
        }
        Ok(())
    }
    fn count_packages(&self) -> Result<u64> {
        Ok(self
            .one("SELECT count(*) FROM packages", &[])?
            .col::<i64>(0)? as u64)
    }
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let n: i64 = self
            .one(
                &format!("SELECT count(*) FROM packages p {ADMIN_ONLY_WHERE}"),
                &[&now],
            )?
            .col(0)?;
        Ok(n as u64)
    }
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {ADMIN_ONLY_WHERE} \
             ORDER BY lower(p.name), p.id LIMIT {}",
            limit.map_or("ALL".to_string(), |l| l.to_string())
        );
        for r in &self.all(&sql, &[&now])? {
            each(&package_from_row(r)?)?;
        }
        Ok(())
    }
    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        let now = self.now_str();
        let res = self.client.borrow_mut().query_one(
            "INSERT INTO packages (name, description, status, created_by, created_at, \
             updated_at) VALUES ($1, $2, 'active', $3, $4, $4) RETURNING id",
            &[&name, &description, &created_by, &now],
        );
        match res {
            Ok(r) => self.package_by_id(r.col(0)?),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(package_taken(name)),
            Err(e) => Err(self.pg_error(e)),
        }
    }
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        let now = self.now_str();
        let res = self.client.borrow_mut().execute(
            "UPDATE packages SET name = coalesce($1, name), \
             description = CASE WHEN $2 THEN $3 ELSE description END, \
             status = coalesce($4, status), updated_at = $5 WHERE id = $6",
            &[
                &name,
                &description.is_some(),
                &description.flatten(),
                &status.map(Status::as_str),
                &now,
                &id,
            ],
        );
        match res {
            Ok(_) => self.package_by_id(id),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(package_taken(name.unwrap_or_default()))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    fn delete_package(&self, id: i64) -> Result<()> {
        self.run("DELETE FROM packages WHERE id = $1", &[&id])
            .map(|_| ())
    }
}

impl Assignments for Postgres {
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>> {
        self.all(
            "SELECT user_id, package_id, assigned_by, assigned_at FROM assignments \
                 ORDER BY user_id, package_id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(AssignmentRow {
                user_id: r.col(0)?,
                package_id: r.col(1)?,
                assigned_by: r.col(2)?,
                assigned_at: r.col(3)?,
            })
        })
        .collect::<Result<_>>()
    }
    fn assign_many(&self, pairs: &[(i64, i64)], by: i64) -> Result<u64> {
        let now = self.now_str();
        let mut n = 0;
        for chunk in pairs.chunks(5000) {
            let users: Vec<i64> = chunk.iter().map(|p| p.0).collect();
            let packages: Vec<i64> = chunk.iter().map(|p| p.1).collect();
            n += self.run(
                "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
                 SELECT u, p, $3, $4 FROM unnest($1::bigint[], $2::bigint[]) AS x(u, p) \
                 ON CONFLICT DO NOTHING",
                &[&users, &packages, &by, &now],
            )?;
        }
        Ok(n)
    }
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation> {
        let assigned: bool = self
            .one(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE user_id = $1 AND package_id = $2)",
                &[&user_id, &package.id],
            )?
            .col(0)?;
        Ok(Relation {
            creator: package.created_by == Some(user_id),
            assigned,
        })
    }
    fn assigned_among(
        &self,
        user_ids: &[i64],
        package_ids: &[i64],
    ) -> Result<std::collections::HashSet<(i64, i64)>> {
        let mut pairs = std::collections::HashSet::new();
        for r in self.all(
            "SELECT user_id, package_id FROM assignments \
             WHERE user_id = ANY($1) AND package_id = ANY($2)",
            &[&user_ids, &package_ids],
        )? {
            let get = |c: &str| {
                r.try_get::<_, i64>(c)
                    .map_err(|e| Error::new(Kind::Integrity, format!("assignment row: {e}")))
            };
            pairs.insert((get("user_id")?, get("package_id")?));
        }
        Ok(pairs)
    }
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()> {
        const USER: &str = "u.id, u.email, u.name, u.role, u.status";
        let sql = format!(
            "SELECT {USER}, p.name, 'admin', p.name_key FROM users u CROSS JOIN packages p \
               WHERE u.role = 'admin' \
             UNION ALL \
             SELECT {USER}, p.name, 'creator', p.name_key FROM packages p \
               JOIN users u ON u.id = p.created_by WHERE u.role = 'user' \
             UNION ALL \
             SELECT {USER}, p.name, 'assigned', p.name_key FROM assignments a \
               JOIN users u ON u.id = a.user_id JOIN packages p ON p.id = a.package_id \
               WHERE u.role = 'user' AND p.created_by IS DISTINCT FROM u.id \
             ORDER BY 2, 8"
        );
        // One statement; `each` only writes output (see Backend): the rows stream as the
        // server sends them.
        self.stream_direct(&sql, &[], &mut |r| {
            let role: String = r.col(3)?;
            let status: String = r.col(4)?;
            let arm: String = r.col(6)?;
            each(&AccessPair {
                user_id: r.col(0)?,
                email: r.col(1)?,
                name: r.col(2)?,
                role: Role::parse_db(&role).unwrap_or(Role::User),
                status: Status::parse_db(&status).unwrap_or(Status::Inactive),
                package: r.col(5)?,
                arm: match arm.as_str() {
                    "admin" => Arm::Admin,
                    "creator" => Arm::Creator,
                    _ => Arm::Assigned,
                },
            })
        })
    }
    fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool> {
        let n = self.run(
            "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&user_id, &package_id, &by, &self.now_str()],
        )?;
        Ok(n == 1)
    }
    fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()> {
        let current: Vec<i64> = self
            .all(
                "SELECT package_id FROM assignments WHERE user_id = $1",
                &[&user_id],
            )?
            .iter()
            .map(|r| r.col(0))
            .collect::<Result<_>>()?;
        for id in current.iter().filter(|id| !package_ids.contains(id)) {
            self.unassign(user_id, *id)?;
        }
        for id in package_ids {
            self.assign(user_id, *id, by)?;
        }
        Ok(())
    }
    fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool> {
        let n = self.run(
            "DELETE FROM assignments WHERE user_id = $1 AND package_id = $2",
            &[&user_id, &package_id],
        )?;
        Ok(n == 1)
    }
    fn unassign_all(&self, user_id: i64) -> Result<Vec<String>> {
        self.all(
            "DELETE FROM assignments a WHERE a.user_id = $1 \
                 RETURNING (SELECT name FROM packages WHERE id = a.package_id)",
            &[&user_id],
        )?
        .iter()
        .map(|r| r.col(0))
        .collect::<Result<_>>()
    }
    fn members(&self, package: &Package) -> Result<Vec<Member>> {
        self.all(
            "SELECT u.id, u.email, u.name, u.role = 'admin', \
                        u.id IS NOT DISTINCT FROM $2, a.user_id IS NOT NULL, \
                        (SELECT email FROM users WHERE id = a.assigned_by), a.assigned_at \
                 FROM users u LEFT JOIN assignments a ON a.user_id = u.id AND a.package_id = $1 \
                 WHERE u.role = 'admin' OR u.id IS NOT DISTINCT FROM $2 OR a.user_id IS NOT NULL \
                 ORDER BY lower(u.name), u.id",
            &[&package.id, &package.created_by],
        )?
        .iter()
        .map(|r| {
            Ok(Member {
                user_id: r.col(0)?,
                email: r.col(1)?,
                name: r.col(2)?,
                is_admin: r.col(3)?,
                relation: Relation {
                    creator: r.col(4)?,
                    assigned: r.col(5)?,
                },
                assigned_by: r.col(6)?,
                assigned_at: r.col(7)?,
            })
        })
        .collect::<Result<_>>()
    }
}

impl Settings for Postgres {
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        self.all("SELECT key, value FROM settings ORDER BY key", &[])?
            .iter()
            .map(|r| Ok((r.col(0)?, r.col(1)?)))
            .collect::<Result<_>>()
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.col(0))
            .transpose()
    }
    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.run(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value \
             WHERE settings.value IS DISTINCT FROM excluded.value",
            &[&key, &value],
        )
        .map(|_| ())
    }
}

impl Sessions for Postgres {
    fn set_login(&self, id: i64, secret: &SecretString) -> Result<()> {
        self.scram_login(id, secret)
    }
    /// A connection as that user's role with this password: the server's answer.
    fn server_verifies(&self, email: &str, pw: &SecretString) -> Result<Option<bool>> {
        match connect_as(&self.info, &role_for(email), pw, &self.tls) {
            Ok(_) => Ok(Some(true)),
            Err(e)
                if e.as_db_error().is_some_and(|d| {
                    *d.code() == SqlState::INVALID_PASSWORD
                        || *d.code() == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                }) =>
            {
                Ok(Some(false))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    /// By the server's clock: a person may stamp their own login with no other time.
    fn record_login_success(&self, id: i64) -> Result<()> {
        self.run(
            "UPDATE users SET last_login_at = gatehouse.now_text() WHERE id = $1",
            &[&id],
        )
        .map(|_| ())
    }
    fn begin_login_attempt(&self, _id: i64) -> Result<AttemptStart> {
        Err(no_sessions())
    }
    fn end_login_attempt(
        &self,
        _id: i64,
        _attempt: &LoginAttempt,
        _verified: bool,
    ) -> Result<Option<Timestamp>> {
        Err(no_sessions())
    }
    fn insert_session(&self, _token_hash: &str, _user_id: i64, _expires: Timestamp) -> Result<i64> {
        Err(no_sessions())
    }
    fn live_session(&self, _token_hash: &str) -> Result<Option<SessionRow>> {
        Ok(None)
    }
    fn revoke_session(&self, _id: i64) -> Result<()> {
        Ok(())
    }
    fn revoke_user_sessions(&self, _user_id: i64, _keep: Option<i64>) -> Result<usize> {
        // Deactivation takes the role's login away and the policies deny it at once.
        Ok(0)
    }
}

impl Audit for Postgres {
    /// Changes are recorded by the server's triggers, in the same transaction and in
    /// the name of the connected role; a refusal, which changes nothing, is recorded
    /// through the one function that writes refusals in the caller's own name.
    fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        if e.result == "ok" {
            return Ok(());
        }
        if self.me.is_none() {
            return Ok(());
        }
        self.run(
            "SELECT gatehouse.record_refusal(current_user, $1, $2, $3, $4)",
            &[&e.action, &e.target, &e.result, &e.reason],
        )
        .map(|_| ())
    }
    fn for_each_audit(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(&AuditRow) -> Result<()>,
    ) -> Result<()> {
        let mut wheres = Vec::new();
        let mut vals: Vec<String> = Vec::new();
        let mut push = |clause: &str, v: &Option<String>| {
            if let Some(v) = v {
                vals.push(v.clone());
                wheres.push(clause.replace('?', &format!("${}", vals.len())));
            }
        };
        push("at >= ?", &f.since);
        push("at <= ?", &f.until);
        push("lower(actor_email) = lower(?)", &f.actor);
        push("action = ?", &f.action);
        push("lower(target) = lower(?)", &f.target);
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit {} ORDER BY id {} LIMIT {}",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
            if f.oldest_first { "ASC" } else { "DESC" },
            f.limit.map_or("ALL".to_string(), |l| l.to_string())
        );
        self.stream(&sql, &params(&vals), &mut |r| each(&audit_from_row(r)?))
    }
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<ChainCheck> {
        let mut chain = ChainVerifier::new(checkpoint);
        let mut broken = None;
        self.stream(
            &format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"),
            &[],
            &mut |r| {
                if broken.is_none() {
                    broken = chain.next(&audit_from_row(r)?);
                }
                Ok(())
            },
        )?;
        Ok(broken.unwrap_or_else(|| chain.finish()))
    }
    fn audit_head(&self) -> Result<Option<Checkpoint>> {
        self.opt("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])?
            .map(|r| -> Result<Checkpoint> {
                Ok(Checkpoint {
                    entry: r.col(0)?,
                    hash: r.col(1)?,
                })
            })
            .transpose()
    }
}

impl Maintenance for Postgres {
    /// By COPY, as the installer: the audit triggers are off for the copy (the chain
    /// arrives whole, as it was) and back on in `finish_copy`, in the same transaction.
    fn copy_in(&self, rows: CopyRows<'_>) -> Result<()> {
        let s = |v: &str| Some(v.to_string());
        let b = |v: bool| Some(if v { "t" } else { "f" }.to_string());
        let n = |v: i64| Some(v.to_string());
        match rows {
            CopyRows::Users(users) => {
                if !self.copying.replace(true) {
                    self.exec(&audit_triggers("DISABLE"))?;
                }
                let data = copy_lines(users.iter().map(|u| {
                    vec![
                        n(u.id),
                        s(&u.email),
                        s(&u.name),
                        u.full_name.clone(),
                        u.phone.clone(),
                        s(u.role.as_str()),
                        s(u.status.as_str()),
                        u.password_hash.clone(),
                        b(u.must_change_password),
                        s(&u.created_at),
                        s(&u.updated_at),
                        u.last_login_at.clone(),
                        u.password_changed_at.clone(),
                        u.expires_at.clone(),
                        n(u.failed_logins),
                        u.locked_until.clone(),
                        b(u.email_notifications),
                        b(u.sms_notifications),
                        b(u.shipment_updates),
                        b(u.system_announcements),
                        s(&role_for(&u.email)),
                    ]
                }));
                self.copy(
                    "users (id, email, name, full_name, phone, role, status, password_hash, \
                     must_change_password, created_at, updated_at, last_login_at, \
                     password_changed_at, expires_at, failed_logins, locked_until, \
                     email_notifications, sms_notifications, shipment_updates, \
                     system_announcements, role_name)",
                    &data,
                )
            }
            CopyRows::Packages(packages) => {
                let data = copy_lines(packages.iter().map(|p| {
                    vec![
                        n(p.id),
                        s(&p.name),
                        p.description.clone(),
                        s(p.status.as_str()),
                        p.created_by.map(|c| c.to_string()),
                        s(&p.created_at),
                        s(&p.updated_at),
                    ]
                }));
                self.copy(
                    "packages (id, name, description, status, created_by, created_at, updated_at)",
                    &data,
                )
            }
            CopyRows::Assignments(rows) => {
                let data = copy_lines(rows.iter().map(|a| {
                    vec![
                        n(a.user_id),
                        n(a.package_id),
                        a.assigned_by.map(|c| c.to_string()),
                        s(&a.assigned_at),
                    ]
                }));
                self.copy(
                    "assignments (user_id, package_id, assigned_by, assigned_at)",
                    &data,
                )
            }
            CopyRows::Settings(rows) => {
                for (k, v) in rows {
                    self.set_setting(k, v)?;
                }
                Ok(())
            }
            CopyRows::Audit(rows) => {
                let data = copy_lines(rows.iter().map(|a| {
                    vec![
                        n(a.id),
                        s(&a.at),
                        a.actor_id.map(|c| c.to_string()),
                        a.actor_email.clone(),
                        s(&a.action),
                        a.target.clone(),
                        a.details.clone(),
                        s(&a.result),
                        a.reason.clone(),
                        s(&a.version),
                        s(&a.prev_hash),
                        s(&a.hash),
                    ]
                }));
                self.copy(
                    "audit (id, at, actor_id, actor_email, action, target, details, result, \
                     reason, version, prev_hash, hash)",
                    &data,
                )
            }
        }
    }
    /// Active users who have no login role yet — it is made with their first password
    /// (moved from another store, or imported with a hash): an admin must give them one.
    fn users_without_login(&self) -> Result<Option<Vec<String>>> {
        Ok(Some(
            self.all(
                "SELECT u.email FROM users u \
                 WHERE u.status = 'active' \
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = u.role_name) \
                 ORDER BY u.email",
                &[],
            )?
            .iter()
            .map(|r| r.col(0))
            .collect::<Result<_>>()?,
        ))
    }
    fn drift(&self) -> Result<Option<Vec<String>>> {
        doctor(self).map(Some)
    }
    fn acts_as_owner(&self) -> Result<bool> {
        let r = self.one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_owner') \
                    THEN pg_has_role(current_user, 'gatehouse_owner', 'USAGE') ELSE false END AS owner",
            &[],
        )?;
        r.try_get("owner").map_err(|e| Error::store(e.to_string()))
    }
    fn finish_copy(&self) -> Result<()> {
        self.exec(
            "SET ROLE gatehouse_owner; \
             SELECT setval(pg_get_serial_sequence('gatehouse.users', 'id'), \
                           greatest(coalesce(max(id), 0), 1)) FROM gatehouse.users; \
             SELECT setval(pg_get_serial_sequence('gatehouse.packages', 'id'), \
                           greatest(coalesce(max(id), 0), 1)) FROM gatehouse.packages; \
             RESET ROLE",
        )?;
        self.exec(&audit_triggers("ENABLE"))?;
        self.copying.set(false);
        Ok(())
    }
    /// Lays down or upgrades the schema (the installer only), in the caller's transaction.
    fn apply_migrations(&self) -> Result<()> {
        let v = self.schema_version()?;
        if v > SCHEMA_VERSION {
            return self.check_schema();
        }
        if v < 0 {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "the store at {} records schema version {v}, which no gatehouse wrote",
                    self.info.place()
                ),
            )
            .with_hint(
                "the table gatehouse.schema_version was changed by hand; restore it from a backup",
            ));
        }
        self.install_roles()?;
        for sql in &MIGRATIONS[v as usize..] {
            self.exec(sql)?;
        }
        if v < SCHEMA_VERSION {
            self.exec(&format!(
                "SET ROLE gatehouse_owner; UPDATE gatehouse.schema_version SET version = {SCHEMA_VERSION}; RESET ROLE"
            ))?;
        }
        // Roles the installer cannot hand to the owner are named by `store doctor`.
        self.server_fixups()?;
        Ok(())
    }
    fn is_initialized(&self) -> Result<bool> {
        if self.schema_version()? == 0 {
            return Ok(false);
        }
        Ok(self.count_users()? > 0)
    }
}

const ADMIN_ONLY_WHERE: &str = "WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by \
       AND u.role = 'user' AND u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > $1)) \
     AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id \
       WHERE a.package_id = p.id AND u.role = 'user' AND u.status = 'active' \
       AND (u.expires_at IS NULL OR u.expires_at > $1))";

fn users_query(f: &UserFilter, columns: &str) -> (String, Vec<String>) {
    let (clause, vals) = user_where(f);
    let order = match f.sort {
        UserSort::Name => "lower(u.name), u.id",
        UserSort::Email => "u.email, u.id",
        UserSort::Created => "u.created_at, u.id",
        UserSort::LastLogin => "u.last_login_at IS NULL, u.last_login_at DESC, u.id",
    };
    let sql = format!(
        "SELECT {columns} FROM users u {clause} ORDER BY {order} LIMIT {} OFFSET {}",
        f.limit.map_or("ALL".to_string(), |l| l.to_string()),
        f.offset
    );
    (sql, vals)
}

/// The checks of `store doctor`: what this build's migrations create, against what the
/// database has. Each line names one drift.
fn doctor(s: &Postgres) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    let v = s.schema_version()?;
    if v != SCHEMA_VERSION {
        drift.push(format!(
            "schema version is {v}; this gatehouse expects {SCHEMA_VERSION}"
        ));
    }
    // Row-level security on and forced on every table.
    for r in s.all(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, \
                pg_get_userbyid(c.relowner) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'gatehouse' AND c.relkind = 'r' ORDER BY 1",
        &[],
    )? {
        let (table, rls, forced, owner): (String, bool, bool, String) =
            (r.col(0)?, r.col(1)?, r.col(2)?, r.col(3)?);
        if table != "schema_version" && !(rls && forced) {
            drift.push(format!("table `{table}` does not force row-level security"));
        }
        if owner != "gatehouse_owner" {
            drift.push(format!(
                "table `{table}` is owned by `{owner}`, not gatehouse_owner"
            ));
        }
    }
    // The policies this build creates, by table and name.
    let expected: &[(&str, &str)] = &[
        ("assignments", "assign"),
        ("assignments", "owner_all"),
        ("assignments", "see_assignments"),
        ("assignments", "unassign"),
        ("audit", "admins_read"),
        ("audit", "owner_all"),
        ("packages", "change_packages"),
        ("packages", "create_packages"),
        ("packages", "delete_packages"),
        ("packages", "owner_all"),
        ("packages", "see_packages"),
        ("settings", "owner_all"),
        ("settings", "read_settings"),
        ("settings", "write_settings"),
        ("users", "add_users"),
        ("users", "change_users"),
        ("users", "delete_users"),
        ("users", "owner_all"),
        ("users", "see_users"),
        ("write_lock", "owner_all"),
    ];
    let found: Vec<(String, String)> = s
        .all(
            "SELECT tablename::text, policyname::text FROM pg_policies \
             WHERE schemaname = 'gatehouse' ORDER BY 1, 2",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.col(0)?, r.col(1)?)))
        .collect::<Result<_>>()?;
    for (t, p) in expected {
        if !found.iter().any(|(ft, fp)| ft == t && fp == p) {
            drift.push(format!("policy `{p}` on `{t}` is missing"));
        }
    }
    for (t, p) in &found {
        if !expected.iter().any(|(et, ep)| et == t && ep == p) {
            drift.push(format!("policy `{p}` on `{t}` is not one gatehouse made"));
        }
    }
    // The triggers that audit every change, guard what a person may change of their own
    // row, keep login roles in step and keep an admin: present and enabled.
    let triggers: Vec<(String, String, String)> = s
        .all(
            "SELECT c.relname::text, t.tgname::text, t.tgenabled::text FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'gatehouse' AND NOT t.tgisinternal",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.col(0)?, r.col(1)?, r.col(2)?)))
        .collect::<Result<_>>()?;
    let mut expected_triggers: Vec<(String, String)> = [
        ("users", "users_guard"),
        ("users", "users_login_role"),
        ("users", "users_drop_login_role"),
        ("users", "users_leftover_roles"),
        ("users", "keep_an_admin"),
        ("packages", "package_name_key"),
    ]
    .iter()
    .map(|(t, n)| (t.to_string(), n.to_string()))
    .collect();
    for (table, events) in [
        ("users", &["insert", "update", "delete"][..]),
        ("packages", &["insert", "update", "delete"][..]),
        ("assignments", &["insert", "delete"][..]),
        ("settings", &["insert", "update", "delete"][..]),
    ] {
        for e in events {
            expected_triggers.push((table.to_string(), format!("audit_{table}_{e}")));
        }
    }
    for (table, name) in &expected_triggers {
        match triggers.iter().find(|(t, n, _)| t == table && n == name) {
            None => drift.push(format!("trigger `{name}` on `{table}` is missing")),
            Some((_, _, enabled)) if enabled != "O" => drift.push(format!(
                "trigger `{name}` on `{table}` is disabled or set to fire only for replicas: changes there go unchecked or unaudited"
            )),
            Some(_) => {}
        }
    }
    // No person may bypass the rule: no superuser, BYPASSRLS or CREATEROLE among the
    // members of gatehouse_person, and none owns a table. From PostgreSQL 16 on, a
    // membership WITH ADMIN OPTION alone (what creating a role leaves its creator, such
    // as the installer) passes on none of the group's privileges: not a person.
    let v16 = s.server_version()? >= 160_000;
    let members = if v16 {
        "SELECT DISTINCT r.rolname::text AS name, r.rolsuper, r.rolbypassrls, r.rolcreaterole \
         FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid \
         JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person' \
         WHERE (m.inherit_option OR m.set_option) \
           AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole) \
           AND r.rolname <> 'gatehouse_owner' ORDER BY 1"
    } else {
        "SELECT DISTINCT r.rolname::text AS name, r.rolsuper, r.rolbypassrls, r.rolcreaterole \
         FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid \
         JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person' \
         WHERE (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole) \
           AND r.rolname <> 'gatehouse_owner' ORDER BY 1"
    };
    for r in s.all(members, &[])? {
        let name = row_text(&r, "name")?;
        let flag = |c: &str| r.try_get::<_, bool>(c).unwrap_or(true);
        drift.push(format!(
            "person role `{name}` holds {}: it bypasses or can rewrite the rule",
            [
                (flag("rolsuper"), "SUPERUSER"),
                (flag("rolbypassrls"), "BYPASSRLS"),
                (flag("rolcreaterole"), "CREATEROLE")
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(", ")
        ));
    }
    drift.extend(role_drift(s, v16)?);
    // Grants: the password hash readable by no person, the audit trail written by none.
    let hash_readable: bool = s
        .one(
            "SELECT has_column_privilege('gatehouse_person', 'gatehouse.users', \
             'password_hash', 'SELECT')",
            &[],
        )?
        .col(0)?;
    if hash_readable {
        drift.push("persons may read `users.password_hash`".into());
    }
    for privilege in ["INSERT", "UPDATE", "DELETE", "TRUNCATE"] {
        let granted: bool = s
            .one(
                "SELECT has_table_privilege('gatehouse_person', 'gatehouse.audit', $1)",
                &[&privilege],
            )?
            .col(0)?;
        if granted {
            drift.push(format!("persons hold {privilege} on the audit trail"));
        }
    }
    // Every SECURITY DEFINER function keeps a fixed search_path.
    for r in s.all(
        "SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'gatehouse' AND p.prosecdef \
           AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=gatehouse, pg_catalog, pg_temp'], false) \
           AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=pg_catalog, pg_temp'], false) \
         ORDER BY 1",
        &[],
    )? {
        let name: String = r.col(0)?;
        drift.push(format!(
            "function `{name}` runs as its owner without a fixed search_path"
        ));
    }
    Ok(drift)
}
