//! The syntax of a connection string, as libpq reads it: a `postgres://` URL
//! (percent-decoded) or `key=value` words (quoted, `\`-escaped), both turned into
//! the same list of pairs, and the parameters gatehouse understands.

use crate::error::{Error, Result};

/// `host=… dbname=…`: one of the parameters, then `=`, at the start.
pub(super) fn looks_like_keywords(s: &str) -> bool {
    let s = s.trim_start();
    let word: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    KEYS.contains(&word.as_str()) && s[word.len()..].trim_start().starts_with('=')
}

/// The parameters gatehouse understands; anything else is refused rather than ignored.
pub(super) const KEYS: &[&str] = &[
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

/// `postgres://user:password@host:port/dbname?key=value&…`, percent-decoded. A host in
/// brackets is IPv6; a percent-encoded `/` makes it a socket directory.
pub(super) fn url_pairs(s: &str) -> Result<Vec<(String, String)>> {
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
pub(super) fn keyword_pairs(s: &str) -> Result<Vec<(String, String)>> {
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
