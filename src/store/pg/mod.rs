//! The PostgreSQL backend: the only code that talks to a PostgreSQL server. It connects
//! as the person's own login role, so the server's row-level security decides what each
//! statement may reach; the checks the commands make first give the same answers with
//! better messages. The schema, its policies and functions are the embedded migrations
//! in `migrations/postgres/`.
//!
//! Laid out as the SQLite backend is: this file opens the connection and implements
//! [`Transactions`]; `rows` runs the SQL both engines share
//! ([`crate::store::run::Run`]); what the server does its own way has a file per
//! concern (`users`, `assignments`, `sessions`, `audit`, `maintenance`); packages and
//! settings need none. What only a server has is beside them: where it is
//! (`conninfo`), connecting and TLS (`connect`, `tls`, `auth`), its errors (`errors`),
//! what installing lays down (`install`), what the schema must hold (`expected`) and
//! `store doctor`'s checks of it (`doctor`).

mod assignments;
mod audit;
mod auth;
mod connect;
pub mod conninfo;
mod copy;
mod doctor;
mod errors;
mod expected;
mod install;
mod maintenance;
mod rows;
mod sessions;
mod tls;
mod users;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use postgres::types::ToSql;
use postgres::{Client, Row};
use secrecy::SecretString;

pub use conninfo::{is_postgres, role_for, ConnInfo};
pub use install::{INSTALL_ROLES, MIGRATIONS, SCHEMA_VERSION, SERVER_FIXUPS};

use super::types::*;
use super::Transactions;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::model::fmt_ts;
use crate::store::rows::Columns;
use crate::store::run::Sealed;
use connect::{connect, Tls};
use errors::pg_error;

/// The advisory lock every gatehouse write took before schema 9 (which locks a table of
/// its own instead, one no person can lock): one writer at a time, as on SQLite.
const WRITE_LOCK: i64 = 7_238_457_012;

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Who connects: a person (every command) or the installer (`init`, `store copy`), and
/// where their credentials come from.
pub enum Login<'a> {
    Person(&'a dyn Credentials),
    Installer(&'a dyn Credentials),
}

/// What the store may learn of the person connecting, asked for only when the connection
/// string and the server leave it open. The session answers (from the environment, or
/// at a terminal where it may ask): nothing under `store/` prompts or reads a terminal.
pub trait Credentials {
    /// An email given ahead (GATEHOUSE_EMAIL).
    fn given_email(&self) -> Option<String>;
    /// An email asked for now; `None` where nothing may be asked.
    fn ask_email(&self) -> Result<Option<String>>;
    /// A password given ahead (GATEHOUSE_PASSWORD, GATEHOUSE_PASSWORD_FILE).
    fn given_password(&self) -> Result<Option<SecretString>>;
    /// The password of the database role `role`, asked for now (the server wants one
    /// and none was found); `None` where nothing may be asked.
    fn ask_password(&self, role: &str) -> Result<Option<SecretString>>;
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
    /// Cursors declared so far: each `stream` names its own, so one nested in another's
    /// `each` (or one left open by a failed `each`) never collides with it.
    cursors: Cell<u64>,
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
            cursors: Cell::new(0),
        };
        store.schema.set(store.schema_version()?);
        store.me = store.own_id()?;
        Ok((store, warnings))
    }

    /// The version of the schema in the database (0: none).
    pub fn schema_version(&self) -> Result<i32> {
        let exists = self
            .one(
                "SELECT to_regclass('gatehouse.schema_version') IS NOT NULL \
                 OR to_regclass('gatehouse.users') IS NOT NULL AS present",
                &[],
            )?
            .flag("present")?;
        if !exists {
            return Ok(0);
        }
        // Read as text: whoever owns the schema may have changed the column's type.
        let v = self
            .one(
                "SELECT CASE WHEN to_regclass('gatehouse.schema_version') IS NULL THEN '3' \
                 ELSE (SELECT max(version)::text FROM gatehouse.schema_version) END AS version",
                &[],
            )?
            .opt_text("version")?;
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
        self.one("SELECT gatehouse.own_id(current_user) AS id", &[])?
            .opt_int("id")
    }

    /// The server's `server_version_num` (150004 for 15.4).
    fn server_version(&self) -> Result<i32> {
        let v = self
            .one(
                "SELECT current_setting('server_version_num')::int AS v",
                &[],
            )?
            .int("v")?;
        i32::try_from(v).map_err(|_| Error::store(format!("the server's version: {v}")))
    }

    /// One call of the client, its error mapped as the SQLite store's are.
    fn call<T>(
        &self,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        f(&mut self.client.borrow_mut()).map_err(|e| self.pg_error(e))
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.call(|c| c.batch_execute(sql))
    }

    fn run(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        self.call(|c| c.execute(sql, params))
    }

    fn all(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        self.call(|c| c.query(sql, params))
    }

    fn one(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        self.call(|c| c.query_one(sql, params))
    }

    fn now_str(&self) -> String {
        fmt_ts(self.now)
    }

    /// A server error as the same kinds the SQLite store gives.
    fn pg_error(&self, e: postgres::Error) -> Error {
        pg_error(&self.info, e)
    }

    fn is_admin(&self) -> Result<bool> {
        self.one("SELECT gatehouse.is_admin(current_user) AS admin", &[])?
            .flag("admin")
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
    fn begin(&self, _: Sealed) -> Result<()> {
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
            let _ = self.rollback(Sealed(()));
            return Err(e);
        }
        Ok(())
    }
    fn begin_read(&self, _: Sealed) -> Result<()> {
        self.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        self.in_tx.set(true);
        Ok(())
    }
    fn commit(&self, _: Sealed) -> Result<()> {
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
    fn rollback(&self, _: Sealed) -> Result<()> {
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
    fn set_cache_kib(&self, _kib: u32) -> Result<()> {
        Ok(())
    }
}
