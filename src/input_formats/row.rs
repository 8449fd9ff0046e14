//! One record's fields checked into a [`Row`]: each field parsed into its domain type,
//! every problem of the row collected.

use std::collections::HashMap;

use secrecy::SecretString;

use super::{Field, Location, Parsed, ReadOptions, Row, RowError};
use crate::error::Error;
use crate::model::{Email, Expiry, FullName, PackageName, Phone, Role, Status, UserName};

/// Text that is a password hash rather than a password: the prefixes of the formats
/// people export (bcrypt, argon2, the crypt family, Django, passlib).
fn looks_like_a_hash(pw: &str) -> bool {
    let p = pw.trim();
    [
        "$2a$", "$2b$", "$2y$", "$argon2", "$1$", "$5$", "$6$", "$y$", "$7$", "$pbkdf2", "pbkdf2_",
    ]
    .iter()
    .any(|prefix| p.starts_with(prefix))
}

/// A time from another system's history: RFC 3339, PostgreSQL's text form
/// (`2024-01-15 10:23:45.123+00`) or a date. (Planning refuses one in the future.)
fn past_time(raw: Option<String>, col: &str, p: &mut Problems) -> Option<jiff::Timestamp> {
    let raw = raw?;
    let s = raw.trim();
    let parsed = s.parse::<jiff::Timestamp>().ok().or_else(|| {
        // PostgreSQL writes a bare `+00` offset.
        let padded = format!("{s}:00");
        padded.parse::<jiff::Timestamp>().ok()
    });
    let parsed = parsed.or_else(|| {
        s.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    });
    match parsed {
        Some(t) => Some(t),
        None => {
            p.add(
                col,
                "is not a time; use RFC 3339 (`2024-01-31T18:00:00Z`) or a date (`2024-01-31`)"
                    .into(),
            );
            None
        }
    }
}

/// Validates one record into a [`Row`], collecting every problem.
pub(super) fn row(location: Location, fields: HashMap<String, Field>) -> Parsed {
    row_with(location, fields, ReadOptions::default())
}

/// A date as spreadsheets write it in some locales — `01/31/2027` (month first, as
/// Excel and LibreOffice in the US), `31.01.2027` (day first, as in Germany), `1/31/27` —
/// as `2027-01-31`; anything else is left as it is. A slashed date that could be either
/// order is read month first unless `day_first`; one that can only be day first
/// (`31/01/2027`) without `day_first` is refused, so a file of day-first dates is not
/// half misread.
fn spreadsheet_date(raw: &str, day_first: bool) -> std::result::Result<String, String> {
    let s = raw.trim();
    let (sep, dotted) = if s.contains('/') {
        ('/', false)
    } else if s.contains('.') {
        ('.', true)
    } else {
        return Ok(raw.to_string());
    };
    let parts: Vec<&str> = s.split(sep).collect();
    let nums: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())?
        })
        .collect();
    let Some([a, b, y]) = nums.and_then(|n| <[u32; 3]>::try_from(n).ok()) else {
        return Ok(raw.to_string());
    };
    if !matches!(parts[2].len(), 2 | 4) || parts[0].len() > 2 || parts[1].len() > 2 {
        return Ok(raw.to_string());
    }
    let year = if parts[2].len() == 2 { 2000 + y } else { y };
    let (day, month) = if dotted || day_first {
        (a, b)
    } else if a > 12 && b <= 12 {
        return Err(format!(
            "`{s}` reads as day/month (there is no month {a}); say so with --day-first"
        ));
    } else {
        (b, a)
    };
    let date = i16::try_from(year)
        .ok()
        .and_then(|y| jiff::civil::Date::new(y, month as i8, day as i8).ok());
    match date {
        Some(d) => Ok(d.to_string()),
        None if dotted || day_first => Err(format!("`{s}` is not a date (day.month.year)")),
        None => Err(format!(
            "`{s}` is not a date (month/day/year; --day-first for day/month)"
        )),
    }
}

/// The problems of one row, as they are found.
struct Problems {
    location: Location,
    list: Vec<RowError>,
}

impl Problems {
    fn add(&mut self, column: &str, reason: String) {
        self.list.push(RowError {
            location: self.location.clone(),
            column: Some(column.into()),
            reason,
        });
    }
}

/// A record's fields as text, each taken out once.
struct Raw {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    status: Option<String>,
    password: Option<String>,
    hash: Option<String>,
    full_name: Option<String>,
    phone: Option<String>,
    must_change_password: Option<String>,
    expires_at: Option<String>,
    created_at: Option<String>,
    last_login_at: Option<String>,
    packages: Option<Vec<String>>,
}

/// The record's fields; an empty one is absent, and a list where one value is expected
/// is a problem.
fn raw_fields(mut fields: HashMap<String, Field>, p: &mut Problems) -> Raw {
    let mut text = |name: &str| -> Option<String> {
        match fields.remove(name) {
            Some(Field::Text(s)) if !s.is_empty() => Some(s),
            Some(Field::Text(_)) | None => None,
            Some(Field::List(_)) => {
                p.add(name, "expected a single value, not a list".into());
                None
            }
        }
    };
    let mut raw = Raw {
        email: text("email"),
        name: text("name"),
        role: text("role"),
        status: text("status"),
        password: text("password"),
        // Whitespace around a hash (a spreadsheet's padding) is not part of it.
        hash: text("password_hash").map(|h| h.trim().to_string()),
        full_name: text("full_name"),
        phone: text("phone"),
        must_change_password: text("must_change_password"),
        expires_at: text("expires_at"),
        created_at: text("created_at"),
        last_login_at: text("last_login_at"),
        packages: None,
    };
    raw.packages = match fields.remove("packages") {
        Some(Field::List(l)) => Some(l),
        Some(Field::Text(t)) => Some(
            t.split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        None => None,
    };
    raw
}

/// A field parsed into its domain type; the type's refusal is the row's problem.
fn parsed<T: std::str::FromStr<Err = Error>>(
    raw: Option<String>,
    col: &str,
    p: &mut Problems,
) -> Option<T> {
    raw.and_then(|r| match r.parse::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            // The hint says what would be accepted (the date formats, say).
            p.add(
                col,
                match e.hint {
                    Some(h) => format!("{}; {h}", e.message),
                    None => e.message,
                },
            );
            None
        }
    })
}

/// A field that is one of a few words (in any case), or a problem naming `what` it may be.
fn choice<T: Copy>(
    raw: Option<String>,
    col: &str,
    words: &[(&str, T)],
    what: &str,
    p: &mut Problems,
) -> Option<T> {
    let raw = raw?;
    let word = raw.trim().to_lowercase();
    match words.iter().find(|(w, _)| *w == word) {
        Some((_, v)) => Some(*v),
        None => {
            p.add(
                col,
                format!("`{}` is not {what}", crate::model::printable(&raw)),
            );
            None
        }
    }
}

/// The password and the hash: not both, no hash in the password column, and a hash that
/// cannot be verified set aside with why (the flags decide what becomes of it:
/// --generate-passwords ignores it, --unusable-hash says what the account gets).
fn secrets(
    password: Option<&str>,
    hash: Option<String>,
    p: &mut Problems,
) -> (Option<String>, Option<String>) {
    if password.is_some() && hash.is_some() {
        p.add(
            "password_hash",
            "give `password` or `password_hash`, not both".into(),
        );
    }
    let (hash, unusable) = match hash {
        Some(h) => match crate::password::check_stored(&h) {
            Ok(()) => (Some(h), None),
            Err(why) => (None, Some(why)),
        },
        None => (None, None),
    };
    // A hash in the `password` column would become the password itself.
    if password.is_some_and(looks_like_a_hash) {
        p.add(
            "password",
            "this looks like a password hash; put it in the `password_hash` column".into(),
        );
    }
    (hash, unusable)
}

/// The three times: dates as spreadsheets write them become ISO dates first.
fn times(
    raw: (Option<String>, Option<String>, Option<String>),
    day_first: bool,
    p: &mut Problems,
) -> (
    Option<Expiry>,
    Option<jiff::Timestamp>,
    Option<jiff::Timestamp>,
) {
    let mut date = |raw: Option<String>, col: &str| {
        raw.and_then(|r| match spreadsheet_date(&r, day_first) {
            Ok(d) => Some(d),
            Err(why) => {
                p.add(col, why);
                None
            }
        })
    };
    let expires = date(raw.0, "expires_at");
    let created = date(raw.1, "created_at");
    let last_login = date(raw.2, "last_login_at");
    (
        parsed::<Expiry>(expires, "expires_at", p),
        past_time(created, "created_at", p),
        past_time(last_login, "last_login_at", p),
    )
}

/// How a role and a status are written (in any case).
const ROLES: &[(&str, Role)] = &[("admin", Role::Admin), ("user", Role::User)];
const STATUSES: &[(&str, Status)] = &[("active", Status::Active), ("inactive", Status::Inactive)];

/// How `must_change_password` may be written.
const YES_NO: &[(&str, bool)] = &[
    ("true", true),
    ("yes", true),
    ("1", true),
    ("false", false),
    ("no", false),
    ("0", false),
];

/// The packages a row names; each name that is not one is a problem.
fn package_names(names: &[String], p: &mut Problems) -> Vec<PackageName> {
    names
        .iter()
        .filter_map(|n| match n.parse::<PackageName>() {
            Ok(pkg) => Some(pkg),
            Err(e) => {
                p.add("packages", e.message);
                None
            }
        })
        .collect()
}

/// Validates one record into a [`Row`], collecting every problem (in the order of the
/// columns checked).
pub(super) fn row_with(
    location: Location,
    fields: HashMap<String, Field>,
    opts: ReadOptions,
) -> Parsed {
    let mut p = Problems {
        location: location.clone(),
        list: Vec::new(),
    };
    let raw = raw_fields(fields, &mut p);
    let email = match raw.email {
        None => {
            p.add("email", "is missing".into());
            None
        }
        some => parsed::<Email>(some, "email", &mut p),
    };
    let name = parsed::<UserName>(raw.name, "name", &mut p);
    let role = choice(raw.role, "role", ROLES, "`admin` or `user`", &mut p);
    let status = choice(
        raw.status,
        "status",
        STATUSES,
        "`active` or `inactive`",
        &mut p,
    );
    let packages = raw.packages.map(|names| package_names(&names, &mut p));
    let (password_hash, unusable) = secrets(raw.password.as_deref(), raw.hash, &mut p);
    let full_name = parsed::<FullName>(raw.full_name, "full_name", &mut p);
    let phone = parsed::<Phone>(raw.phone, "phone", &mut p);
    let must = raw.must_change_password;
    let must_change_password = choice(
        must,
        "must_change_password",
        YES_NO,
        "true or false",
        &mut p,
    );
    let times_raw = (raw.expires_at, raw.created_at, raw.last_login_at);
    let (expires_at, created_at, last_login_at) = times(times_raw, opts.day_first, &mut p);
    match email {
        Some(email) if p.list.is_empty() => Ok(Row {
            location,
            email,
            name,
            role,
            status,
            packages,
            password: raw.password.map(SecretString::from),
            password_hash,
            full_name,
            phone,
            must_change_password,
            expires_at,
            created_at,
            last_login_at,
            generate_password: false,
            unusable,
            note: None,
        }),
        _ => Err(p.list),
    }
}
