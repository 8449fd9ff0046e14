//! Where a PostgreSQL store is and how to log in to it, by libpq's conventions: a
//! `postgres://` / `postgresql://` URL or a `key=value` string, `PGHOST`-style
//! variables for what neither says, and the password from `~/.pgpass` (or
//! `PGPASSFILE`) when none is given. This file owns [`ConnInfo`] and how its fields are
//! filled; the string's syntax is in `syntax`, the ways of securing and authenticating
//! a connection in `modes`, the pgpass file in `pgpass`.

mod modes;
mod pgpass;
mod syntax;

use std::path::{Path, PathBuf};

pub use modes::{AuthMethod, AuthMethods, ChannelBinding, SslMode};

use crate::env::Env;
use crate::error::{Error, Result};

/// Whether `--db` names a PostgreSQL store rather than a SQLite file.
pub fn is_postgres(db: &Path) -> bool {
    let s = db.to_string_lossy();
    s.starts_with("postgres://")
        || s.starts_with("postgresql://")
        || syntax::looks_like_keywords(&s)
}

/// `` `name` `` with a space before it, for a message, when `name` looks like a name
/// (at most `max` ASCII letters, digits or `also`); otherwise nothing, so that a stray
/// piece of a password is never shown.
fn shown_name(name: &str, max: usize, also: char) -> String {
    if name.len() <= max && name.chars().all(|c| c.is_ascii_alphanumeric() || c == also) {
        format!(" `{name}`")
    } else {
        String::new()
    }
}

/// A parsed connection string. `Debug` never shows the password.
#[derive(Clone, Default)]
pub struct ConnInfo {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub dbname: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub passfile: Option<PathBuf>,
    pub sslmode: SslMode,
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Option<u64>,
    pub application_name: Option<String>,
    pub options: Option<String>,
    /// How the server may log us in (`require_auth`; default SCRAM-SHA-256 only).
    pub require_auth: AuthMethods,
    pub require_auth_given: bool,
    /// `channel_binding`: disable, prefer (the default) or require.
    pub channel_binding: ChannelBinding,
    pub channel_binding_given: bool,
    /// The user came from `PGUSER`, not from the string itself.
    pub user_from_env: bool,
}

impl std::fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnInfo")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("dbname", &self.dbname)
            .field("user", &self.user)
            .field("sslmode", &self.sslmode)
            .field("require_auth", &self.require_auth)
            .finish_non_exhaustive()
    }
}

impl ConnInfo {
    /// Parses a URL or `key=value` string, then fills what it leaves out from the
    /// `PG*` variables as libpq does.
    pub fn parse(s: &str, env: &Env) -> Result<ConnInfo> {
        let pairs = if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            syntax::url_pairs(s)?
        } else {
            syntax::keyword_pairs(s)?
        };
        let mut c = ConnInfo::default();
        let mut sslmode = None;
        let given_user = pairs.iter().any(|(k, _)| k == "user");
        for (k, v) in pairs {
            c.set(&k, v, &mut sslmode)?;
        }
        for (var, key) in [
            ("PGHOST", "host"),
            ("PGPORT", "port"),
            ("PGDATABASE", "dbname"),
            ("PGUSER", "user"),
            ("PGPASSFILE", "passfile"),
            ("PGSSLMODE", "sslmode"),
            ("PGSSLROOTCERT", "sslrootcert"),
            ("PGCONNECT_TIMEOUT", "connect_timeout"),
            ("PGREQUIREAUTH", "require_auth"),
            ("PGCHANNELBINDING", "channel_binding"),
        ] {
            if let Some(v) = env.var(var) {
                let given = c.has(key) || (key == "sslmode" && sslmode.is_some());
                if !given {
                    c.set(key, v.to_string(), &mut sslmode)?;
                }
            }
        }
        c.sslmode = sslmode.unwrap_or_default();
        c.user_from_env = !given_user && c.user.is_some();
        c.refuse_named_files_under_sudo(env)?;
        Ok(c)
    }

    /// Under `sudo -u OWNER` gatehouse reads files with the owner's rights: a pgpass
    /// file or root certificate named by the person (in the string or by `PGPASSFILE`,
    /// `PGSSLROOTCERT`) is refused, as a `--from` file is — a pgpass line the owner can
    /// read would otherwise log in to a server of the person's choosing.
    fn refuse_named_files_under_sudo(&self, env: &Env) -> Result<()> {
        if !env.reads_files_for_someone_else() {
            return Ok(());
        }
        for (what, file, hint) in [
            (
                "passfile",
                &self.passfile,
                "under sudo, leave out passfile and PGPASSFILE: give the password with GATEHOUSE_PASSWORD or at the prompt",
            ),
            (
                "sslrootcert",
                &self.sslrootcert,
                "under sudo, leave out sslrootcert and PGSSLROOTCERT: the store owner's ~/.postgresql/root.crt is used",
            ),
        ] {
            if let Some(file) = file {
                return Err(crate::error::Error::denied(format!(
                    "refusing to read {what} `{}`: under sudo, gatehouse would read it with the store owner's rights, not yours",
                    crate::model::printable(&file.to_string_lossy())
                ))
                .with_hint(hint));
            }
        }
        Ok(())
    }

    fn has(&self, key: &str) -> bool {
        match key {
            "host" => self.host.is_some(),
            "port" => self.port.is_some(),
            "dbname" => self.dbname.is_some(),
            "user" => self.user.is_some(),
            "passfile" => self.passfile.is_some(),
            "sslrootcert" => self.sslrootcert.is_some(),
            "connect_timeout" => self.connect_timeout.is_some(),
            "require_auth" => self.require_auth_given,
            "channel_binding" => self.channel_binding_given,
            _ => false,
        }
    }

    fn set(&mut self, key: &str, v: String, sslmode: &mut Option<SslMode>) -> Result<()> {
        // The value is not shown: a mistake in the string may have put part of the
        // password here.
        let bad = |what: &str| Error::usage(format!("invalid {what} in the database URL"));
        match key {
            "host" => self.host = Some(v),
            // An address to connect to; a host name, when given too, stays the name.
            "hostaddr" => {
                if self.host.is_none() {
                    self.host = Some(v);
                }
            }
            "port" => self.port = Some(v.parse().map_err(|_| bad("port"))?),
            "dbname" => self.dbname = Some(v),
            "user" => self.user = Some(v),
            "password" => self.password = Some(v),
            "passfile" => self.passfile = Some(PathBuf::from(v)),
            "sslmode" => *sslmode = Some(SslMode::parse(&v)?),
            "sslrootcert" => self.sslrootcert = Some(PathBuf::from(v)),
            "connect_timeout" => {
                self.connect_timeout = Some(v.parse().map_err(|_| bad("connect_timeout"))?)
            }
            "application_name" => self.application_name = Some(v),
            "options" => self.options = Some(v),
            "require_auth" => {
                // Empty is unset, as in libpq.
                if !v.trim().is_empty() {
                    self.require_auth = AuthMethods::parse(&v)?;
                }
                self.require_auth_given = true;
            }
            "channel_binding" => {
                self.channel_binding = ChannelBinding::parse(&v)?;
                self.channel_binding_given = true;
            }
            other => {
                let shown = shown_name(other, 40, '_');
                return Err(
                    Error::usage(format!("unknown parameter{shown} in the database URL"))
                        .with_hint(format!(
                            "gatehouse understands: {}",
                            syntax::KEYS.join(", ")
                        )),
                );
            }
        }
        Ok(())
    }

    /// Where the server is, for messages: host (or socket directory) and port.
    pub fn place(&self) -> String {
        let host = self.host.as_deref().unwrap_or("/var/run/postgresql");
        let port = self.port.unwrap_or(5432);
        let db = self
            .dbname
            .as_deref()
            .or(self.user.as_deref())
            .unwrap_or("");
        if host.starts_with('/') {
            format!("{host} (socket, port {port}), database `{db}`")
        } else {
            format!("{host}:{port}, database `{db}`")
        }
    }

    /// A key for saved sessions and messages that never holds the password.
    pub fn display(&self) -> String {
        let host = self.host.as_deref().unwrap_or("/var/run/postgresql");
        format!(
            "postgres://{}{}/{}",
            if host.starts_with('/') {
                host.replace('/', "%2F")
            } else if host.contains(':') {
                format!("[{host}]")
            } else {
                host.to_string()
            },
            self.port.map(|p| format!(":{p}")).unwrap_or_default(),
            self.dbname.as_deref().unwrap_or("")
        )
    }

    /// Whether the server is another machine (so plain text crosses a network).
    pub fn is_remote(&self) -> bool {
        match self.host.as_deref() {
            None => false,
            Some(h) => !(h.starts_with('/') || h == "localhost" || h == "127.0.0.1" || h == "::1"),
        }
    }
}

/// An email as a person typed it (`GATEHOUSE_EMAIL`, the prompt), as the store keeps
/// it: trimmed and lower-cased, as on the SQLite store, so `Alice@Example.com` logs in
/// as `alice@example.com` on both.
pub fn fold_email(typed: &str) -> String {
    crate::model::Email::parse_reason(typed)
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|_| typed.trim().to_lowercase())
}

/// The login role of the user with this email: the email itself when it fits
/// PostgreSQL's 63-byte names, else `gh~` and a digest (as the server's `role_for`).
pub fn role_for(email: &str) -> String {
    use sha2::{Digest, Sha256};
    if email.len() <= 63 {
        email.to_string()
    } else {
        let digest = crate::store::hex(&Sha256::digest(email.as_bytes()));
        format!("gh~{}", &digest[..56])
    }
}

/// An environment with no variables, for tests of parsing.
#[cfg(test)]
fn no_env() -> Env {
    let mut e = Env::from_process();
    e.vars.clear();
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_keyword_strings_say_the_same() {
        let a = ConnInfo::parse(
            "postgres://alice%40example.com:s%3Acret@db.example.com:6543/gh?sslmode=require&application_name=x",
            &no_env(),
        )
        .unwrap();
        let b = ConnInfo::parse(
            "host=db.example.com port=6543 dbname=gh user=alice@example.com password='s:cret' sslmode=require application_name=x",
            &no_env(),
        )
        .unwrap();
        for c in [&a, &b] {
            assert_eq!(c.host.as_deref(), Some("db.example.com"));
            assert_eq!(c.port, Some(6543));
            assert_eq!(c.dbname.as_deref(), Some("gh"));
            assert_eq!(c.user.as_deref(), Some("alice@example.com"));
            assert_eq!(c.password.as_deref(), Some("s:cret"));
            assert_eq!(c.sslmode, SslMode::Require);
        }
        assert!(!format!("{a:?}").contains("s:cret"));
        assert!(!a.display().contains("s:cret"));
    }

    #[test]
    fn errors_never_show_what_may_be_part_of_a_password() {
        for bad in [
            "postgres://u:pa/ss?wd@h:5x/db",
            "postgres://u:s3cret@h:notaport/db",
            "host=h password=my secret",
        ] {
            let e = ConnInfo::parse(bad, &no_env()).err();
            let text = format!("{e:?}");
            for piece in ["ss?wd", "s3cret", "secret", "notaport"] {
                assert!(!text.contains(piece), "{bad}: {text}");
            }
        }
        // An unencoded `/` or `?` in the password stays in the password.
        let c = ConnInfo::parse("postgres://u:pa/ss?wd@h/db", &no_env()).unwrap();
        assert_eq!(c.password.as_deref(), Some("pa/ss?wd"));
        assert_eq!(c.dbname.as_deref(), Some("db"));
    }

    #[test]
    fn an_unknown_parameter_is_a_usage_error() {
        let e = ConnInfo::parse("postgres://h/db?sslmod=require", &no_env()).unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::Usage);
        assert!(e.message.contains("sslmod"), "{}", e.message);
        let e = ConnInfo::parse("host=h colour=blue", &no_env()).unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::Usage);
    }

    #[test]
    fn only_database_strings_are_taken_for_postgres() {
        assert!(is_postgres(Path::new("postgres://h/db")));
        assert!(is_postgres(Path::new("postgresql:///db")));
        assert!(is_postgres(Path::new("host=/tmp dbname=x")));
        assert!(!is_postgres(Path::new("/srv/gatehouse.db")));
        assert!(!is_postgres(Path::new("gatehouse.db")));
    }

    #[test]
    fn an_ipv6_host_keeps_its_brackets_in_messages() {
        let c = ConnInfo::parse("postgres://[::1]:6543/gh", &no_env()).unwrap();
        assert_eq!(c.host.as_deref(), Some("::1"));
        assert_eq!(c.display(), "postgres://[::1]:6543/gh");
    }

    #[test]
    fn long_emails_get_a_digest_role() {
        assert_eq!(role_for("a@example.com"), "a@example.com");
        let long = format!("{}@example.com", "x".repeat(60));
        let r = role_for(&long);
        assert!(r.starts_with("gh~") && r.len() == 59, "{r}");
    }
}
