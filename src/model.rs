//! Domain types that reject bad input at parse time, so handlers never re-validate
//! strings: an [`Email`] is always trimmed, lower-cased and well-formed, a [`UserName`]
//! is 1–64 printable characters, and so on.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::Serialize;

use crate::error::{Error, Result};

/// `as_str` and `Display` for a type that is text already checked: the text as it is.
macro_rules! checked_text {
    ($($t:ident),*) => {
        $(
            impl $t {
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl fmt::Display for $t {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.0)
                }
            }
        )*
    };
}

checked_text!(Email, UserName, PackageName);

/// A valid email address, trimmed and lower-cased.
///
/// ```
/// use gatehouse::model::Email;
/// let e: Email = "  Alice@Example.COM ".parse().unwrap();
/// assert_eq!(e.as_str(), "alice@example.com");
/// assert!("alice@@example.com".parse::<Email>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or("")
    }
}

impl Email {
    /// Parses an email, or says why not without quoting it (for input read from a file,
    /// whose lines must not be echoed).
    pub fn parse_reason(raw: &str) -> std::result::Result<Email, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("it is empty");
        }
        if s.len() > 254 {
            return Err("it is longer than 254 characters");
        }
        if s.chars().any(|c| breaks_lines(c) || c.is_whitespace()) {
            return Err("it contains spaces or control characters");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("it has no `@`");
        };
        if domain.contains('@') {
            return Err("it has more than one `@`");
        }
        if local.is_empty() || local.len() > 64 {
            return Err("the part before `@` must be 1 to 64 characters");
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err("the part before `@` has a misplaced `.`");
        }
        if local
            .chars()
            .any(|c| "()<>[]:;,\\\"".contains(c) || (c.is_ascii() && !c.is_ascii_graphic()))
        {
            return Err("the part before `@` contains a character not allowed there");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err("the domain needs a dot, as in `example.com`");
        }
        for label in &labels {
            let ok = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-');
            if !ok {
                return Err("the domain is not a valid host name");
            }
        }
        let tld = labels[labels.len() - 1];
        if tld.len() < 2 || tld.chars().all(|c| c.is_ascii_digit()) {
            return Err("the domain is not a valid host name");
        }
        Ok(Email(s))
    }
}

impl FromStr for Email {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        Email::parse_reason(raw).map_err(|why| {
            Error::invalid(format!("invalid email `{}`: {why}", printable(raw.trim())))
                .with_hint("an email looks like `name@example.com`")
        })
    }
}

/// Characters that would break a line of output: control characters (C0, C1, DEL)
/// and the Unicode line and paragraph separators.
pub fn breaks_lines(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Invisible characters that change how text around them reads: bidirectional
/// overrides, embeddings and isolates (which can make `evil` display as `live`) and
/// zero-width characters (which make two different names look the same).
pub fn is_deceptive(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Replace line-breaking characters so a value can be quoted in one line of an error.
pub fn printable(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(80)
        .map(|c| {
            if breaks_lines(c) || is_deceptive(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Trimmed text of 1 to `max` characters on one line (no control characters or line
/// separators), or why not; `what` names the field in the message.
fn one_line(raw: &str, what: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err(Error::invalid(format!("invalid {what}: it is empty")));
    }
    if n > max {
        return Err(Error::invalid(format!(
            "invalid {what}: it has {n} characters, at most {max} are allowed"
        )));
    }
    if s.chars().any(breaks_lines) {
        return Err(Error::invalid(format!(
            "invalid {what}: it contains control characters or line breaks"
        )));
    }
    if s.chars().any(is_deceptive) {
        return Err(Error::invalid(format!(
            "invalid {what}: it contains invisible formatting characters \
             (bidirectional overrides or zero-width characters)"
        )));
    }
    Ok(s.to_string())
}

/// [`one_line`] for a field that may be cleared: the empty string is `None`.
fn optional_line(raw: &str, what: &str, max: usize) -> Result<Option<String>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    one_line(raw, what, max).map(Some)
}

/// The name shown everywhere: 1–64 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UserName(String);

impl FromStr for UserName {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        one_line(raw, "name", 64).map(UserName)
    }
}

/// An optional free-text field (full name): at most 128 characters, no control
/// characters; the empty string clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(pub Option<String>);

impl FromStr for FullName {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        optional_line(raw, "full name", 128).map(FullName)
    }
}

/// `N:HASH`: an audit entry's number and its SHA-256 (64 hex digits), as `audit
/// checkpoint` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub entry: i64,
    pub hash: String,
}

impl FromStr for Checkpoint {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let bad = || {
            Error::usage(
                "invalid checkpoint: expected N:HASH as `gatehouse audit checkpoint` prints it",
            )
        };
        let (n, hash) = raw.trim().split_once(':').ok_or_else(bad)?;
        let entry: i64 = n.parse().ok().filter(|n| *n >= 1).ok_or_else(bad)?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Checkpoint { entry, hash })
    }
}

/// A package's description: one line of at most 256 characters, held to the same rules
/// as names (it is shown in tables); the empty string clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description(pub Option<String>);

impl FromStr for Description {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        optional_line(raw, "description", 256).map(Description)
    }
}

/// A phone number: digits with the usual separators; the empty string clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(pub Option<String>);

impl FromStr for Phone {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(Phone(None));
        }
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || !(3..=20).contains(&digits) || s.len() > 32 {
            return Err(
                Error::invalid(format!("invalid phone number `{}`", printable(s))).with_hint(
                    "use digits with optional `+`, spaces, `-`, `(`, `)`, e.g. `+49 30 1234567`",
                ),
            );
        }
        Ok(Phone(Some(s.to_string())))
    }
}

/// A package name: 1–64 characters, no control characters, trimmed. Unique without
/// regard to letter case (the store enforces that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PackageName(String);

impl FromStr for PackageName {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = one_line(raw, "package name", 64)?;
        if let Some(sep) = s.chars().find(|c| matches!(c, ',' | ';')) {
            return Err(
                Error::invalid(format!("invalid package name: it contains `{sep}`"))
                    .with_hint("`,` separates names in `--packages P,Q` and `;` in import files"),
            );
        }
        Ok(PackageName(s))
    }
}

/// The one key by which package names are compared and kept unique: NFC, then full
/// Unicode case folding (so `Äpfel`, `äpfel`, `ÄPFEL` and a decomposed `Äpfel` are one
/// name; `Straße` and `STRASSE` too).
pub fn package_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = name.nfc().collect();
    caseless::default_case_fold_str(&nfc).nfc().collect()
}

impl PackageName {
    /// See [`package_key`].
    pub fn key(&self) -> String {
        package_key(&self.0)
    }
}

/// `--packages P,Q`: a comma-separated list (empty: no packages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageList(pub Vec<PackageName>);

impl FromStr for PackageList {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        raw.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>>>()
            .map(PackageList)
    }
}

/// `on` / `off` for switches such as notification preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn is_on(self) -> bool {
        self == Switch::On
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::User => "User",
        }
    }
    pub fn parse_db(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "user" => Some(Role::User),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Inactive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
        }
    }
    pub fn parse_db(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Status::Active),
            "inactive" => Some(Status::Inactive),
            _ => None,
        }
    }
}

/// How a command names a user: a numeric id or an email (any letter case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(i64),
    Email(Email),
}

impl FromStr for UserRef {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
            return s
                .parse()
                .map(UserRef::Id)
                .map_err(|_| Error::invalid(format!("invalid user id `{s}`")));
        }
        Ok(UserRef::Email(s.parse()?))
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Id(id) => write!(f, "{id}"),
            UserRef::Email(e) => write!(f, "{e}"),
        }
    }
}

/// `--expires`: an RFC 3339 instant, a date (the end of that day, UTC), or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry(pub Option<Timestamp>);

/// `--expires` as typed on the command line: what [`Expiry`] takes, or a time from now —
/// a span (`90d`, `12h`, `2w`) or `today` / `tomorrow` (the end of that day, UTC). The
/// command turns it into an [`Expiry`] with its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryInput {
    At(Expiry),
    In(jiff::SignedDuration),
    /// The end of the day this many days from today.
    EndOfDay(i64),
}

impl ExpiryInput {
    pub fn resolve(self, now: Timestamp) -> Result<Expiry> {
        let too_far = || Error::invalid("the expiry is too far in the future");
        match self {
            ExpiryInput::At(e) => Ok(e),
            ExpiryInput::In(d) => now
                .checked_add(d)
                .map(|t| Expiry(Some(t)))
                .map_err(|_| too_far()),
            ExpiryInput::EndOfDay(days) => {
                let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
                let day = today
                    .checked_add(jiff::Span::new().days(days))
                    .map_err(|_| too_far())?;
                let end = day
                    .at(23, 59, 59, 0)
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .map_err(|_| too_far())?;
                Ok(Expiry(Some(end.timestamp())))
            }
        }
    }
}

impl FromStr for ExpiryInput {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim().to_ascii_lowercase();
        match s.as_str() {
            "today" => return Ok(ExpiryInput::EndOfDay(0)),
            "tomorrow" => return Ok(ExpiryInput::EndOfDay(1)),
            _ => {}
        }
        let span = [('h', 1), ('d', 24), ('w', 24 * 7)]
            .into_iter()
            .find_map(|(unit, per)| Some((s.strip_suffix(unit)?.parse::<i64>().ok()?, per)));
        if let Some((n, per)) = span {
            if !(1..=100_000).contains(&n) {
                return Err(Error::invalid(format!(
                    "invalid expiry `{}`: a span from now is 1 or more",
                    printable(raw.trim())
                )));
            }
            return Ok(ExpiryInput::In(jiff::SignedDuration::from_hours(n * per)));
        }
        raw.parse::<Expiry>().map(ExpiryInput::At).map_err(|e| {
            e.with_hint("use a date (`2027-01-31`), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow` or `never`")
        })
    }
}

impl FromStr for Expiry {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.eq_ignore_ascii_case("never") {
            return Ok(Expiry(None));
        }
        if let Ok(ts) = s.parse::<Timestamp>() {
            return Ok(Expiry(Some(ts)));
        }
        if let Ok(date) = s.parse::<jiff::civil::Date>() {
            let end = date
                .at(23, 59, 59, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|e| Error::invalid(format!("invalid expiry `{s}`: {e}")))?;
            return Ok(Expiry(Some(end.timestamp())));
        }
        Err(
            Error::invalid(format!("invalid expiry `{}`", printable(s))).with_hint(
                "use an RFC 3339 time (`2027-01-31T18:00:00Z`), a date (`2027-01-31`) or `never`",
            ),
        )
    }
}

/// A point in time for filters: RFC 3339, or a date (its start for `--since`; the
/// caller decides). Kept as the text we compare against stored timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instant {
    pub start: String,
    pub end: String,
}

impl FromStr for Instant {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if let Ok(ts) = s.parse::<Timestamp>() {
            let t = fmt_ts(ts);
            return Ok(Instant {
                start: t.clone(),
                end: t,
            });
        }
        if let Ok(date) = s.parse::<jiff::civil::Date>() {
            return Ok(Instant {
                start: format!("{date}T00:00:00Z"),
                end: format!("{date}T23:59:59Z"),
            });
        }
        Err(Error::invalid(format!("invalid time `{}`", printable(s)))
            .with_hint("use an RFC 3339 time (`2026-11-28T09:00:00Z`) or a date (`2026-11-28`)"))
    }
}

/// A session lifetime such as `30m`, `1h`, `8h30m`; at most 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttl(pub jiff::SignedDuration);

pub const MAX_TTL_SECS: i64 = 24 * 3600;

impl FromStr for Ttl {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        let d: jiff::SignedDuration = s.parse().map_err(|_| {
            Error::invalid(format!("invalid duration `{}`", printable(s)))
                .with_hint("use a duration such as `30m`, `1h` or `8h30m`")
        })?;
        if d.as_secs() < 1 {
            return Err(Error::invalid("the session lifetime must be at least 1s"));
        }
        if d.as_secs() > MAX_TTL_SECS {
            return Err(Error::invalid(format!(
                "the session lifetime `{s}` is longer than the maximum of 24h"
            )));
        }
        Ok(Ttl(d))
    }
}

/// Timestamps are stored and printed as RFC 3339 UTC with second precision, so that
/// text order is time order.
pub fn fmt_ts(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How a user stands to a package, apart from their role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    pub creator: bool,
    pub assigned: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        let e: Email = "  Alice@Example.COM ".parse().unwrap();
        assert_eq!(e.as_str(), "alice@example.com");
        assert_eq!(e.local_part(), "alice");
        for bad in [
            "",
            "alice",
            "a@b",
            "a@@b.com",
            "a@b@c.com",
            "a b@c.com",
            "a\u{7}@c.com",
            "@c.com",
            "a@.com",
            "a@-x.com",
            "a.@x.com",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(long.parse::<Email>().is_err());
    }

    #[test]
    fn names_are_bounded() {
        assert!("".parse::<UserName>().is_err());
        assert!("a".repeat(65).parse::<UserName>().is_err());
        assert!("a\nb".parse::<UserName>().is_err());
        assert!("a\u{2028}b".parse::<UserName>().is_err());
        assert!("a\u{2029}b".parse::<PackageName>().is_err());
        assert_eq!(
            "a".repeat(64).parse::<UserName>().unwrap().as_str().len(),
            64
        );
    }

    #[test]
    fn expiry_and_ttl_parse() {
        assert_eq!("never".parse::<Expiry>().unwrap(), Expiry(None));
        let e = "2027-01-31".parse::<Expiry>().unwrap().0.unwrap();
        assert_eq!(fmt_ts(e), "2027-01-31T23:59:59Z");
        assert!("soon".parse::<Expiry>().is_err());
        assert_eq!("1h".parse::<Ttl>().unwrap().0.as_secs(), 3600);
        assert_eq!("8h30m".parse::<Ttl>().unwrap().0.as_secs(), 8 * 3600 + 1800);
        assert!("25h".parse::<Ttl>().is_err());
        assert!("0s".parse::<Ttl>().is_err());
    }

    #[test]
    fn user_refs() {
        assert_eq!("42".parse::<UserRef>().unwrap(), UserRef::Id(42));
        assert!(
            matches!("Bob@x.org".parse::<UserRef>().unwrap(), UserRef::Email(e) if e.as_str() == "bob@x.org")
        );
    }
}
