//! Connecting to the server: who logs in (a person, the installer, or a named person),
//! where the password comes from (the string, GATEHOUSE_PASSWORD(_FILE), PGPASSWORD,
//! pgpass, or asked for through the session), and the client's settings, TLS and login guard for the server.

use std::time::Duration;

use postgres::Client;
use secrecy::{ExposeSecret, SecretString};

use super::errors::pg_error;
use super::{auth, conninfo, role_for, tls, ConnInfo, Credentials, Login};
use crate::env::Env;
use crate::error::{Error, Result};

/// Connects as `login` and sets the session up (search path, lock timeout, UTC): the
/// client, the role connected as, and how further connections to the server go.
pub(super) fn connect(
    info: &ConnInfo,
    env: &Env,
    busy: Duration,
    login: Login<'_>,
) -> Result<(Client, String, Tls)> {
    let tls = Tls::new(info, env)?;
    let mut info = info.clone();
    let mut password = info.password.clone().map(SecretString::from);
    let ask = match login {
        Login::Installer(creds) => {
            if info.user.is_none() {
                info.user = env.var("USER").map(str::to_string);
            }
            creds
        }
        Login::Person(creds) => {
            person(&mut info, &mut password, creds)?;
            creds
        }
    };
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
        Err(e) if password.is_none() && needs_password(&e) => match ask.ask_password(&user)? {
            Some(pw) => attempt(Some(&pw)).map_err(|e| pg_error(&info, e))?,
            None => return Err(pg_error(&info, e)),
        },
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

/// A person's role and password: the role the string names, else the one of
/// GATEHOUSE_EMAIL (which wins over a user taken from the environment) or of an email
/// asked for; the password the string gives, else one given ahead.
fn person(
    info: &mut ConnInfo,
    password: &mut Option<SecretString>,
    creds: &dyn Credentials,
) -> Result<()> {
    let given = creds.given_email();
    if info.user_from_env && given.is_some() {
        info.user = None;
    }
    if info.user.is_none() {
        let email = match given {
            Some(e) => e,
            None => creds.ask_email()?.ok_or_else(|| {
                Error::auth("no credentials for the PostgreSQL store").with_hint(
                    "set GATEHOUSE_EMAIL (with GATEHOUSE_PASSWORD_FILE or a ~/.pgpass line), or put user= in the URL",
                )
            })?,
        };
        info.user = Some(role_for(&conninfo::fold_email(&email)));
    }
    if password.is_none() {
        *password = creds.given_password()?;
    }
    Ok(())
}

/// The TLS side of connections to one server, by its `sslmode`, and the watch on how
/// the server logs us in (`require_auth`).
#[derive(Clone)]
pub(super) struct Tls {
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

/// The client's settings for `user` at `info`, without a password.
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

pub(super) fn connect_as(
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
