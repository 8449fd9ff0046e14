//! The store's settings, typed: every key once, with its default, its meaning and its
//! check, and [`Settings`] — all of them read at once — for the code that obeys them.
//! No other code names a key as a string.

use jiff::SignedDuration;

use crate::error::{Error, Result};
use crate::model::Ttl;
use crate::password::{self, Policy};
use crate::store::Store;

/// A setting people can list, get and set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    PackagesUsersCanCreate,
    PasswordBlocklist,
    PasswordMinLength,
    SessionTtl,
}

impl Key {
    pub const ALL: [Key; 4] = [
        Key::PackagesUsersCanCreate,
        Key::PasswordBlocklist,
        Key::PasswordMinLength,
        Key::SessionTtl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Key::PackagesUsersCanCreate => "packages.users_can_create",
            Key::PasswordBlocklist => "password.blocklist",
            Key::PasswordMinLength => "password.min_length",
            Key::SessionTtl => "session.ttl",
        }
    }

    pub fn default_value(self) -> &'static str {
        match self {
            Key::PackagesUsersCanCreate | Key::PasswordBlocklist => "on",
            Key::PasswordMinLength => "6",
            Key::SessionTtl => "1h",
        }
    }

    /// What it does, for `config list` and `config set --help`.
    pub fn meaning(self) -> &'static str {
        match self {
            Key::PackagesUsersCanCreate => "regular users may create packages (on/off)",
            Key::PasswordBlocklist => "refuse common passwords (on/off)",
            Key::PasswordMinLength => "shortest password, in characters (6 to 1024)",
            Key::SessionTtl => "lifetime of a `gatehouse login` session (1s to 24h)",
        }
    }

    /// The key of this name, or a not-found error listing the known ones.
    pub fn parse(name: &str) -> Result<Key> {
        Key::ALL
            .into_iter()
            .find(|k| k.name() == name.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
                Error::not_found(format!(
                    "no setting named `{}`",
                    crate::model::printable(name)
                ))
                .with_hint(format!("known settings: {}", known.join(", ")))
            })
    }

    /// The canonical form of a value, or why it is refused.
    pub fn validate(self, value: &str) -> Result<String> {
        let v = value.trim();
        let key = self.name();
        match self {
            Key::PackagesUsersCanCreate | Key::PasswordBlocklist => match parse_switch(v) {
                Some(true) => Ok("on".into()),
                Some(false) => Ok("off".into()),
                None => Err(Error::invalid(format!(
                    "`{key}` takes `on` or `off`, not `{}`",
                    crate::model::printable(v)
                ))),
            },
            Key::PasswordMinLength => match v.parse::<usize>() {
                Ok(n) if (password::MIN_LENGTH..=password::MAX_BYTES).contains(&n) => {
                    Ok(n.to_string())
                }
                _ => Err(Error::invalid(format!(
                    "`{key}` takes a number from {} to {}, not `{}`",
                    password::MIN_LENGTH,
                    password::MAX_BYTES,
                    crate::model::printable(v)
                ))
                .with_hint("the platform's minimum of 6 can be raised, never lowered")),
            },
            Key::SessionTtl => v.parse::<Ttl>().map(|_| v.to_string()),
        }
    }

    /// The value in force: the stored one, or the default.
    pub fn effective(self, s: &Store) -> Result<String> {
        Ok(s.settings()
            .setting(self.name())?
            .unwrap_or_else(|| self.default_value().to_string()))
    }
}

/// `on`/`off` and their usual spellings; `None` for anything else.
pub fn parse_switch(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Some(true),
        "off" | "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// Every setting, read from the store once and typed.
#[derive(Debug, Clone)]
pub struct Settings {
    pub users_can_create: bool,
    pub password_blocklist: bool,
    pub password_min_length: usize,
    pub session_ttl: SignedDuration,
}

impl Settings {
    /// Values were validated on the way in; one damaged by hand falls back to its
    /// default rather than loosening anything.
    pub fn load(s: &Store) -> Result<Settings> {
        let get = |k: Key| k.effective(s);
        let default_ttl = || {
            Key::SessionTtl
                .default_value()
                .parse::<Ttl>()
                .map(|t| t.0)
                .unwrap_or(SignedDuration::from_hours(1))
        };
        Ok(Settings {
            users_can_create: parse_switch(&get(Key::PackagesUsersCanCreate)?).unwrap_or(true),
            password_blocklist: parse_switch(&get(Key::PasswordBlocklist)?).unwrap_or(true),
            password_min_length: get(Key::PasswordMinLength)?
                .parse::<usize>()
                .unwrap_or(password::MIN_LENGTH)
                .max(password::MIN_LENGTH),
            session_ttl: get(Key::SessionTtl)?
                .parse::<Ttl>()
                .map(|t| t.0)
                .unwrap_or_else(|_| default_ttl()),
        })
    }

    /// The password policy these settings make.
    pub fn policy(&self) -> Policy {
        Policy {
            min_length: self.password_min_length,
            blocklist: self.password_blocklist,
        }
    }
}
