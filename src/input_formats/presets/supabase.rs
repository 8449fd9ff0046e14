//! Supabase's `auth.users`, as CSV, a JSON array or JSON lines.

use std::collections::HashMap;

use serde_json::Value;

use super::{LeftOut, Mapped};
use crate::error::Result;
use crate::input_formats::{bad_input, csv::Csv, json, Field, Location};

/// Supabase's `auth.users` as the dashboard, `psql \copy (…) to … csv header` or a JSON
/// query writes it. Each row is mapped to gatehouse's columns and the table's other
/// columns are ignored:
///
/// - `email`; `name` from the user metadata's `name`, `user_name` or
///   `preferred_username`, else the email's local part; `full_name` from the metadata;
/// - `encrypted_password` (GoTrue's bcrypt) becomes `password_hash`;
/// - a `banned_until` or `deleted_at` makes the user inactive;
/// - `role` (a joined `profiles.role`, or the app metadata's `role`) of `admin` makes an
///   admin; anything else (`authenticated`, …) a user;
/// - `phone` when set;
/// - `created_at`, and `last_sign_in_at` as `last_login_at`.
pub(super) fn records(
    data: &[u8],
    delimiter: Option<u8>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Location, Mapped)>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let objects: Vec<(Location, Value)> = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => json::items(body)?,
        Some(b'{') => {
            let text = std::str::from_utf8(body)
                .map_err(|_| bad_input("not valid UTF-8 (try --encoding)".into()))?;
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let loc = Location::Line(i as u64 + 1);
                let v: Value = serde_json::from_str(line)
                    .map_err(|e| bad_input(format!("{loc}: not valid JSON: {e}")))?;
                out.push((loc, v));
            }
            out
        }
        _ => supabase_csv(body, delimiter)?,
    };
    objects
        .into_iter()
        .map(|(loc, v)| match v {
            Value::Object(m) => {
                let mapped = supabase_row(&m, &loc, warnings);
                Ok((loc, mapped))
            }
            _ => Err(bad_input(format!("{loc}: expected an object"))),
        })
        .collect()
}

/// A CSV export of `auth.users` as JSON objects of text (an empty cell is SQL NULL).
fn supabase_csv(body: &[u8], delimiter: Option<u8>) -> Result<Vec<(Location, Value)>> {
    let input = Box::new(std::io::Cursor::new(body.to_vec()));
    let (mut csv, _) = Csv::new(body, input, delimiter)?;
    if !csv.headers.iter().any(|h| h == "email") {
        return Err(bad_input(
            "the CSV header has no `email` column: is this an export of auth.users?".into(),
        ));
    }
    let mut out = Vec::new();
    while let Some(line) = csv.next_record() {
        let m: serde_json::Map<String, Value> = csv
            .headers
            .iter()
            .zip(csv.record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), Value::String(v.to_string())))
            .collect();
        out.push((Location::Line(line?), Value::Object(m)));
    }
    Ok(out)
}

/// A field's text: a non-blank string (trimmed) or a number.
fn text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Metadata is an object in JSON and the object's JSON text in CSV — which a
/// spreadsheet may have cut or mangled: said, since the role and names come from it.
fn metadata(
    m: &serde_json::Map<String, Value>,
    key: &str,
    what: &str,
    loc: &Location,
    warnings: &mut Vec<String>,
) -> serde_json::Map<String, Value> {
    let object = match m.get(key) {
        Some(Value::Object(o)) => Some(o.clone()),
        Some(Value::String(s)) => match serde_json::from_str(s) {
            Ok(Value::Object(o)) => Some(o),
            _ => None,
        },
        Some(Value::Null) | None => Some(serde_json::Map::new()),
        Some(_) => None,
    };
    object.unwrap_or_else(|| {
        warnings.push(format!(
            "{loc}: `{key}` is not a JSON object, so {what} were not read from it"
        ));
        serde_json::Map::new()
    })
}

/// Why a row has no usable password: OAuth users have an empty password, SSO users
/// none — said by how they sign in.
fn no_password(
    m: &serde_json::Map<String, Value>,
    app_meta: &serde_json::Map<String, Value>,
) -> String {
    let sso = matches!(m.get("is_sso_user"), Some(Value::Bool(true)))
        || text(m.get("is_sso_user")).is_some_and(|v| v == "t" || v == "true");
    let provider = text(app_meta.get("provider"));
    if sso || provider.as_deref().is_some_and(|p| p.starts_with("sso:")) {
        "no password: signs in through SSO".to_string()
    } else {
        match provider.as_deref() {
            Some(p) if p != "email" => format!("no password: signs in with {p}"),
            _ => "no password in `encrypted_password`".to_string(),
        }
    }
}

/// One `auth.users` row as gatehouse's fields (see [`records`]); a row without
/// an email (a phone-only or anonymous user) is left out.
fn supabase_row(
    m: &serde_json::Map<String, Value>,
    loc: &Location,
    warnings: &mut Vec<String>,
) -> Mapped {
    let email = text(m.get("email"));
    if email.is_none() {
        return Mapped::LeftOut(LeftOut::NoEmail);
    }
    let user_meta = metadata(
        m,
        "raw_user_meta_data",
        "the name and full name",
        loc,
        warnings,
    );
    let app_meta = metadata(
        m,
        "raw_app_meta_data",
        "the role (admin) and sign-in provider",
        loc,
        warnings,
    );
    let no_password = no_password(m, &app_meta);
    let mut f = HashMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), Field::Text(v));
        }
    };
    let name = ["name", "user_name", "preferred_username"]
        .iter()
        .find_map(|k| text(user_meta.get(*k)))
        .or_else(|| {
            email
                .as_deref()
                .and_then(|e| e.split_once('@'))
                .map(|(local, _)| local.to_string())
        });
    put("name", name);
    put("full_name", text(user_meta.get("full_name")));
    put("phone", text(m.get("phone")));
    put("password_hash", text(m.get("encrypted_password")));
    put("created_at", text(m.get("created_at")));
    put("last_login_at", text(m.get("last_sign_in_at")));
    let gone = text(m.get("banned_until")).is_some() || text(m.get("deleted_at")).is_some();
    put(
        "status",
        Some(if gone { "inactive" } else { "active" }.into()),
    );
    let admin = [text(m.get("role")), text(app_meta.get("role"))]
        .into_iter()
        .flatten()
        .any(|r| r.eq_ignore_ascii_case("admin"));
    put("role", Some(if admin { "admin" } else { "user" }.into()));
    put("email", email);
    Mapped::Row(f, Some(no_password))
}
