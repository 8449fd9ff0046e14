//! The ways a connection may be secured and authenticated, as libpq names them:
//! `sslmode`, `require_auth` and `channel_binding`. Parsing a value refuses what libpq
//! would refuse, with a message that never echoes what may be part of a password.

use crate::error::{Error, Result};

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

    pub(super) fn parse(v: &str) -> Result<SslMode> {
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
    pub(super) const ALL: [AuthMethod; 6] = [
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
                let shown = super::shown_name(name, 20, '-');
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
    pub(super) fn parse(v: &str) -> Result<ChannelBinding> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pg::conninfo::{no_env, ConnInfo};

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
            &no_env(),
        )
        .unwrap();
        assert!(c.require_auth.allows(Md5) && !c.require_auth.allows(ScramSha256));
        assert_eq!(c.channel_binding, ChannelBinding::Require);
        let mut e = no_env();
        e.vars.insert("PGREQUIREAUTH".into(), "password".into());
        let c = ConnInfo::parse("host=h", &e).unwrap();
        assert!(c.require_auth.allows(Password));
        let c = ConnInfo::parse("host=h require_auth=md5", &e).unwrap();
        assert!(
            !c.require_auth.allows(Password),
            "the string beats the variable"
        );
    }
}
