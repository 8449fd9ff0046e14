//! Where a PostgreSQL store is and how to log in to it, by libpq's conventions: a
//! `postgres://` / `postgresql://` URL or a `key=value` string, `PGHOST`-style
//! variables for what neither says, and the password from `~/.pgpass` (or
//! `PGPASSFILE`) when none is given.

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::{Error, Result};

/// Whether `--db` names a PostgreSQL store rather than a SQLite file.
pub fn is_postgres(db: &Path) -> bool {
    let s = db.to_string_lossy();
    s.starts_with("postgres://") || s.starts_with("postgresql://") || looks_like_keywords(&s)
}

/// `host=… dbname=…`: one of the parameters, then `=`, at the start.
fn looks_like_keywords(s: &str) -> bool {
    let s = s.trim_start();
    let word: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    KEYS.contains(&word.as_str()) && s[word.len()..].trim_start().starts_with('=')
}

/// The parameters gatehouse understands; anything else is refused rather than ignored.
const KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "sslmode",
    "sslrootcert",
    "connect_timeout",
    "application_name",
    "options",
    "require_auth",
    "channel_binding",
];

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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(v: &str) -> Result<SslMode> {
        Ok(match v {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => {
                return Err(Error::usage(format!("unknown sslmode `{v}`"))
                    .with_hint("use disable, allow, prefer, require, verify-ca or verify-full"))
            }
        })
    }
}

/// A way the server may log a client in, as libpq's `require_auth` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// No exchange at all: `trust`, `peer`, `ident`, a client certificate.
    None,
    /// The password in clear text.
    Password,
    /// An MD5 digest of the password, salted by the server: a recorded exchange lets
    /// anyone log in until the password changes, and it is cheap to attack offline.
    Md5,
    Gss,
    Sspi,
    /// SCRAM-SHA-256 (with channel binding when TLS is on): the password never leaves.
    ScramSha256,
}

impl AuthMethod {
    const ALL: [AuthMethod; 6] = [
        AuthMethod::None,
        AuthMethod::Password,
        AuthMethod::Md5,
        AuthMethod::Gss,
        AuthMethod::Sspi,
        AuthMethod::ScramSha256,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::None => "none",
            AuthMethod::Password => "password",
            AuthMethod::Md5 => "md5",
            AuthMethod::Gss => "gss",
            AuthMethod::Sspi => "sspi",
            AuthMethod::ScramSha256 => "scram-sha-256",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The methods a connection accepts. libpq accepts any unless `require_auth` says
/// otherwise; gatehouse accepts only SCRAM-SHA-256 unless it says otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AuthMethods(u8);

impl Default for AuthMethods {
    fn default() -> AuthMethods {
        AuthMethods(AuthMethod::ScramSha256.bit())
    }
}

impl std::fmt::Debug for AuthMethods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                AuthMethod::ALL
                    .iter()
                    .filter(|m| self.allows(**m))
                    .map(|m| m.as_str()),
            )
            .finish()
    }
}

impl AuthMethods {
    pub fn allows(self, m: AuthMethod) -> bool {
        self.0 & m.bit() != 0
    }

    /// libpq's `require_auth`: a comma-separated list of methods the server must use
    /// one of (`scram-sha-256,none`), or, each with `!`, must not use (`!password,!md5`);
    /// the two kinds do not mix, and no method is named twice.
    pub fn parse(v: &str) -> Result<AuthMethods> {
        let hint = "use a comma-separated list of scram-sha-256, password, md5, gss, sspi and none, or the same each with `!` to forbid it";
        let mut named = 0u8;
        let mut negated = None;
        for item in v.split(',').map(str::trim) {
            let (neg, name) = match item.strip_prefix('!') {
                Some(name) => (true, name),
                None => (false, item),
            };
            let Some(method) = AuthMethod::ALL.into_iter().find(|m| m.as_str() == name) else {
                let shown = if name.len() <= 20
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    format!(" `{name}`")
                } else {
                    String::new()
                };
                return Err(
                    Error::usage(format!("unknown require_auth method{shown}")).with_hint(hint)
                );
            };
            if *negated.get_or_insert(neg) != neg {
                return Err(Error::usage(
                    "require_auth cannot mix methods with `!` and methods without",
                )
                .with_hint(hint));
            }
            if named & method.bit() != 0 {
                return Err(Error::usage(format!(
                    "require_auth names `{}` twice",
                    method.as_str()
                )));
            }
            named |= method.bit();
        }
        let all = AuthMethod::ALL.iter().fold(0, |a, m| a | m.bit());
        Ok(AuthMethods(if negated == Some(true) {
            all & !named
        } else {
            named
        }))
    }
}

/// libpq's `channel_binding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChannelBinding {
    Disable,
    /// Bind when the server offers SCRAM-SHA-256-PLUS (over TLS).
    #[default]
    Prefer,
    /// Log in only with channel binding: TLS and SCRAM-SHA-256-PLUS.
    Require,
}

impl ChannelBinding {
    fn parse(v: &str) -> Result<ChannelBinding> {
        Ok(match v {
            "disable" => ChannelBinding::Disable,
            "prefer" => ChannelBinding::Prefer,
            "require" => ChannelBinding::Require,
            _ => {
                return Err(Error::usage(format!(
                    "unknown channel_binding `{}`",
                    crate::model::printable(v)
                ))
                .with_hint("use disable, prefer or require"))
            }
        })
    }
}

impl ConnInfo {
    /// Parses a URL or `key=value` string, then fills what it leaves out from the
    /// `PG*` variables as libpq does.
    pub fn parse(s: &str, env: &Env) -> Result<ConnInfo> {
        let pairs = if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            url_pairs(s)?
        } else {
            keyword_pairs(s)?
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
                // Shown only when it looks like a parameter name, not a stray piece of
                // a password.
                let shown = if other.len() <= 40
                    && other.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    format!(" `{other}`")
                } else {
                    String::new()
                };
                return Err(
                    Error::usage(format!("unknown parameter{shown} in the database URL"))
                        .with_hint(format!("gatehouse understands: {}", KEYS.join(", "))),
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

    /// The password from the pgpass file for this host, port, database and user
    /// (`*` matches anything). Like libpq, a file others can read is ignored.
    pub fn pgpass(&self, env: &Env) -> Option<String> {
        use std::os::unix::fs::PermissionsExt;
        let file = self
            .passfile
            .clone()
            .or_else(|| env.var("HOME").map(|h| Path::new(h).join(".pgpass")))?;
        let meta = std::fs::metadata(&file).ok()?;
        if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
        let text = std::fs::read_to_string(&file).ok()?;
        let host = match self.host.as_deref() {
            None => "localhost".to_string(),
            Some(h) if h.starts_with('/') => "localhost".to_string(),
            Some(h) => h.to_string(),
        };
        let port = self.port.unwrap_or(5432).to_string();
        let user = self.user.clone().unwrap_or_default();
        let db = self.dbname.clone().unwrap_or_else(|| user.clone());
        let wanted = [host.as_str(), &port, &db, &user];
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .find_map(|line| {
                let fields = split_pgpass(line);
                if fields.len() < 5 {
                    return None;
                }
                let matches = fields[..4].iter().zip(wanted).all(|(f, w)| f.matches(w));
                matches.then(|| fields[4].text.clone())
            })
    }
}

/// A pgpass line's fields: `:` separates, `\` escapes `:` and `\`.
/// A pgpass field: its text, and whether it is the wildcard (a bare `*`; an escaped
/// `\*` is a literal star).
struct PassField {
    text: String,
    escaped: bool,
}

impl PassField {
    fn matches(&self, wanted: &str) -> bool {
        (self.text == "*" && !self.escaped) || self.text == wanted
    }
}

/// A pgpass line's fields: `:` separates, `\` escapes `:`, `\` and `*`.
fn split_pgpass(line: &str) -> Vec<PassField> {
    let new = || PassField {
        text: String::new(),
        escaped: false,
    };
    let mut fields = vec![new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let f = fields.len();
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    let last = &mut fields[f - 1];
                    last.text.push(n);
                    last.escaped = true;
                }
            }
            ':' if f < 5 => fields.push(new()),
            c => fields[f - 1].text.push(c),
        }
    }
    fields
}

/// `postgres://user:password@host:port/dbname?key=value&…`, percent-decoded. A host in
/// brackets is IPv6; a percent-encoded `/` makes it a socket directory.
fn url_pairs(s: &str) -> Result<Vec<(String, String)>> {
    let rest = s.split_once("://").map(|(_, r)| r).unwrap_or(s);
    // The user and password end at the last `@`: whatever they hold (even an unencoded
    // `/` or `?`) never spills into the host, the database or the parameters — nor into
    // an error message about them.
    let (userinfo, rest) = match rest.rsplit_once('@') {
        Some((u, r)) => (Some(u), r),
        None => (None, rest),
    };
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (hostport, path) = main.split_once('/').unwrap_or((main, ""));
    let mut pairs = Vec::new();
    if let Some(u) = userinfo {
        let (user, pw) = match u.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (u, None),
        };
        if !user.is_empty() {
            pairs.push(("user".into(), decode(user)?));
        }
        if let Some(p) = pw {
            pairs.push(("password".into(), decode(p)?));
        }
    }
    if !hostport.is_empty() {
        let (host, port) = if let Some(h) = hostport.strip_prefix('[') {
            let (h, after) = h
                .split_once(']')
                .ok_or_else(|| Error::usage("unclosed `[` in the database URL's host"))?;
            (h.to_string(), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        if !host.is_empty() {
            pairs.push(("host".into(), decode(&host)?));
        }
        if let Some(p) = port.filter(|p| !p.is_empty()) {
            pairs.push(("port".into(), decode(p)?));
        }
    }
    if !path.is_empty() {
        pairs.push(("dbname".into(), decode(path)?));
    }
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| Error::usage("a parameter in the database URL has no value"))?;
        pairs.push((decode(k)?, decode(v)?));
    }
    Ok(pairs)
}

fn decode(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| Error::usage("a bad percent escape in the database URL"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::usage("the database URL is not UTF-8"))
}

/// `key=value key='quoted value'`, `\` escaping inside quotes, as libpq reads them.
fn keyword_pairs(s: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(
                Error::usage("a word in the database string has no `=value`").with_hint(
                    "write key=value pairs, and quote values with spaces: password='a b'",
                ),
            );
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(Error::usage("an unclosed quote in the database string")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        value.push(n);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        let mut e = Env::from_process();
        e.vars.clear();
        e
    }

    #[test]
    fn require_auth_reads_as_libpq_does() {
        use AuthMethod::*;
        let allowed = |v: &str| {
            let m = AuthMethods::parse(v).unwrap();
            AuthMethod::ALL
                .into_iter()
                .filter(|x| m.allows(*x))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            AuthMethod::ALL
                .into_iter()
                .filter(|x| AuthMethods::default().allows(*x))
                .collect::<Vec<_>>(),
            [ScramSha256]
        );
        assert_eq!(allowed("password"), [Password]);
        assert_eq!(allowed("scram-sha-256,none"), [None, ScramSha256]);
        assert_eq!(allowed("!password,!md5"), [None, Gss, Sspi, ScramSha256]);
        for bad in ["scram", "md5,!password", "md5,md5", "password,"] {
            let e = AuthMethods::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
        let c = ConnInfo::parse(
            "postgres://h/db?require_auth=md5&channel_binding=require",
            &env(),
        )
        .unwrap();
        assert!(c.require_auth.allows(Md5) && !c.require_auth.allows(ScramSha256));
        assert_eq!(c.channel_binding, ChannelBinding::Require);
        let mut e = env();
        e.vars.insert("PGREQUIREAUTH".into(), "password".into());
        let c = ConnInfo::parse("host=h", &e).unwrap();
        assert!(c.require_auth.allows(Password));
        let c = ConnInfo::parse("host=h require_auth=md5", &e).unwrap();
        assert!(
            !c.require_auth.allows(Password),
            "the string beats the variable"
        );
    }

    #[test]
    fn urls_and_keyword_strings_say_the_same() {
        let a = ConnInfo::parse(
            "postgres://alice%40example.com:s%3Acret@db.example.com:6543/gh?sslmode=require&application_name=x",
            &env(),
        )
        .unwrap();
        let b = ConnInfo::parse(
            "host=db.example.com port=6543 dbname=gh user=alice@example.com password='s:cret' sslmode=require application_name=x",
            &env(),
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
            let e = ConnInfo::parse(bad, &env()).err();
            let text = format!("{e:?}");
            for piece in ["ss?wd", "s3cret", "secret", "notaport"] {
                assert!(!text.contains(piece), "{bad}: {text}");
            }
        }
        // An unencoded `/` or `?` in the password stays in the password.
        let c = ConnInfo::parse("postgres://u:pa/ss?wd@h/db", &env()).unwrap();
        assert_eq!(c.password.as_deref(), Some("pa/ss?wd"));
        assert_eq!(c.dbname.as_deref(), Some("db"));
    }

    #[test]
    fn an_unknown_parameter_is_a_usage_error() {
        let e = ConnInfo::parse("postgres://h/db?sslmod=require", &env()).unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::Usage);
        assert!(e.message.contains("sslmod"), "{}", e.message);
        let e = ConnInfo::parse("host=h colour=blue", &env()).unwrap_err();
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
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:*:no\ndb.example.com:*:gh:\\*:literal-star\n\
             db.example.com:*:gh:alice@example.com:pa\\:ss\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut c =
            ConnInfo::parse("postgres://alice%40example.com@db.example.com/gh", &env()).unwrap();
        c.passfile = Some(file.clone());
        assert_eq!(c.pgpass(&env()).as_deref(), Some("pa:ss"));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(c.pgpass(&env()), None, "a readable pgpass is ignored");
    }

    #[test]
    fn an_ipv6_host_keeps_its_brackets_in_messages() {
        let c = ConnInfo::parse("postgres://[::1]:6543/gh", &env()).unwrap();
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
