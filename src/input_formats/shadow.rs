//! A Linux host's `/etc/shadow` with its `/etc/passwd`: its human accounts as rows.

use std::collections::HashMap;

use super::{bad_input, row::row, Field, Location, Parsed, RowError};
use crate::error::{Error, Result};

/// Human accounts get UIDs from here up to [`UID_MAX`] (`login.defs`' defaults); the
/// rest are the system's own (root, daemons, `nobody`).
const UID_MIN: u32 = 1000;
const UID_MAX: u32 = 60000;

/// A host's `/etc/shadow` with its `/etc/passwd`, as rows. Only human accounts (UIDs
/// 1000–60000) are imported, each as `LOGIN@domain`:
///
/// - the GECOS field's first part is the full name; the login is the name;
/// - a hash (`$6$…`, `$2b$…`, …) becomes `password_hash`; a `!` in front (a locked
///   account) makes the user inactive and keeps the hash behind it;
/// - no password at all (`*`, `!`, `!!`, empty) makes the user inactive with a
///   generated password (printed once) that must be changed;
/// - a last change of `0` (a forced change) sets `must_change_password`;
/// - the expiry day becomes `expires_at` (the start of that day, UTC).
///
/// A malformed line is named by its number, never echoed: it may hold a hash.
pub fn parse_shadow(shadow: &[u8], passwd: &[u8], domain: &str) -> Result<Vec<Parsed>> {
    let domain = domain.trim().trim_start_matches('@');
    if domain.is_empty() || domain.contains(['@', ' ', ':']) || !domain.contains('.') {
        return Err(Error::usage(format!(
            "--email-domain takes a domain like `example.com`, not `{}`",
            crate::model::printable(domain)
        )));
    }
    let accounts = accounts(&utf8(passwd, "passwd")?)?;
    let shadow = utf8(shadow, "shadow")?;
    let mut rows = Vec::new();
    for (i, line) in lines(&shadow) {
        let location = Location::Line(i as u64 + 1);
        let f: Vec<&str> = line.split(':').collect();
        if f.len() < 2 || f[0].is_empty() {
            return Err(bad_input(format!(
                "{location}: expected `login:password:lastchg:…` as in /etc/shadow (is this the shadow file?)"
            )));
        }
        let Some((uid, full_name)) = accounts.get(f[0]) else {
            rows.push(Err(vec![RowError {
                location,
                column: Some("login".into()),
                reason: "has no entry in the passwd file".into(),
            }]));
            continue;
        };
        if (UID_MIN..=UID_MAX).contains(uid) {
            rows.push(account_row(location, &f, full_name, domain));
        }
    }
    Ok(rows)
}

fn utf8(data: &[u8], file: &str) -> Result<String> {
    std::str::from_utf8(data)
        .map(str::to_string)
        .map_err(|_| bad_input(format!("the {file} file is not UTF-8")))
}

/// The lines that are not blank or comments, with their index.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .enumerate()
        .filter(|(_, line)| !(line.trim().is_empty() || line.starts_with('#')))
}

/// The passwd file's accounts: each login's UID and full name (the GECOS field's first
/// part).
fn accounts(passwd: &str) -> Result<HashMap<String, (u32, String)>> {
    let mut accounts = HashMap::new();
    for (i, line) in lines(passwd) {
        let f: Vec<&str> = line.split(':').collect();
        let uid = f.get(2).and_then(|u| u.parse::<u32>().ok());
        let (Some(uid), true) = (uid, f.len() >= 5) else {
            return Err(bad_input(format!(
                "passwd line {}: expected `login:x:uid:gid:gecos:home:shell`",
                i + 1
            )));
        };
        let full_name = f[4].split(',').next().unwrap_or("").trim().to_string();
        accounts.insert(f[0].to_string(), (uid, full_name));
    }
    Ok(accounts)
}

/// One human account's shadow fields `f` as a row.
fn account_row(location: Location, f: &[&str], full_name: &str, domain: &str) -> Parsed {
    let login = f[0];
    let mut fields = HashMap::new();
    let mut put = |k: &str, v: String| {
        fields.insert(k.to_string(), Field::Text(v));
    };
    put("email", format!("{login}@{domain}"));
    put("name", login.to_string());
    put("full_name", full_name.to_string());
    let pw = f[1];
    let locked = pw.starts_with('!');
    let hash = pw.trim_start_matches('!');
    let has_hash = hash.starts_with('$');
    if has_hash {
        put("password_hash", hash.to_string());
    }
    let inactive = locked || !has_hash;
    put(
        "status",
        if inactive { "inactive" } else { "active" }.into(),
    );
    let forced = f.get(2).is_some_and(|d| d.trim() == "0");
    if forced || !has_hash {
        put("must_change_password", "true".into());
    }
    if let Some(days) = f.get(7).map(|d| d.trim()).filter(|d| !d.is_empty()) {
        match days
            .parse::<i64>()
            .ok()
            .and_then(|d| jiff::Timestamp::from_second(d.checked_mul(86_400)?).ok())
        {
            Some(at) => put("expires_at", at.to_string()),
            None => {
                return Err(vec![RowError {
                    location,
                    column: Some("expire".into()),
                    reason: "expected a number of days since 1970-01-01".into(),
                }])
            }
        }
    }
    row(location, fields).map(|mut r| {
        r.generate_password = !has_hash;
        r
    })
}
