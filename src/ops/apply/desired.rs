//! What an `apply` file asks for: the file read as TOML, YAML or JSON into one
//! document, and its three sections — settings, packages, users — each entry checked,
//! every problem collected. A user's password comes from the environment, a file, a
//! hash or is generated; never from the file itself.

use std::collections::BTreeMap;
use std::path::Path;

use secrecy::SecretString;
use serde_json::{json, Map, Value};

use super::{DocFormat, Secrets};
use crate::error::{Error, Result};
use crate::input_formats::{self as formats, Location, Parsed, RowError, Section};
use crate::model::{printable, Description, PackageName, Status};
use crate::settings::Key;

/// What the file asks for, validated.
pub(super) struct Desired {
    pub settings: Vec<(Key, String)>,
    pub packages: Vec<DesiredPackage>,
    pub users: Vec<Parsed>,
    /// Whether the file has a `users` section at all (`--prune` needs one).
    pub has_users: bool,
    /// Problems outside the users' own fields (settings, packages, password sources).
    pub errors: Vec<RowError>,
}

pub(super) struct DesiredPackage {
    pub name: PackageName,
    /// `Some(None)`: no description.
    pub description: Option<Option<String>>,
    pub status: Option<Status>,
}

/// By the file's extension; otherwise by its look: JSON starts with `{`, TOML has
/// `key = value` lines or `[table]` headers, anything else is read as YAML.
pub(super) fn detect(file: &Path, data: &[u8]) -> DocFormat {
    match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => return DocFormat::Toml,
        Some(e) if e.eq_ignore_ascii_case("json") => return DocFormat::Json,
        Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
            return DocFormat::Yaml
        }
        _ => {}
    }
    let text = String::from_utf8_lossy(data);
    let lines = || {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    };
    if lines().next().is_some_and(|l| l.starts_with('{')) {
        return DocFormat::Json;
    }
    // What TOML reads is TOML; a file it cannot read is YAML unless it looks like TOML
    // (`key = value` or `[table]` first), so the error names the format meant.
    if toml::from_str::<toml::Table>(&text).is_ok() {
        return DocFormat::Toml;
    }
    let toml_like = |l: &str| {
        l.starts_with('[')
            || l.split_once('=')
                .is_some_and(|(k, _)| !k.contains(':') && !k.trim().is_empty())
    };
    if lines().next().is_some_and(toml_like) {
        DocFormat::Toml
    } else {
        DocFormat::Yaml
    }
}

fn bad_file(format: DocFormat, why: impl std::fmt::Display) -> Error {
    let name = match format {
        DocFormat::Toml => "TOML",
        DocFormat::Yaml => "YAML",
        DocFormat::Json => "JSON",
    };
    Error::invalid(format!("not valid {name}: {why}"))
        .with_hint("give the format with --input-format toml|yaml|json if it was guessed wrong")
}

/// The file as one JSON value, whatever its format.
pub(super) fn document(data: &[u8], format: DocFormat) -> Result<Value> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let text = std::str::from_utf8(body).map_err(|_| bad_file(format, "the file is not UTF-8"))?;
    match format {
        DocFormat::Json => serde_json::from_str(text)
            .map_err(|e| bad_file(format, format!("line {}: {e}", e.line()))),
        DocFormat::Yaml => {
            if text.trim().is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            serde_yaml_ng::from_str(text).map_err(|e| bad_file(format, e))
        }
        DocFormat::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| {
                bad_file(
                    format,
                    e.message().trim().to_string() + &toml_line(text, e.span()),
                )
            })?;
            Ok(toml_to_json(toml::Value::Table(table)))
        }
    }
}

fn toml_line(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| {
        let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
        format!(" (line {line})")
    })
    .unwrap_or_default()
}

/// TOML's dates (`expires_at = 2027-01-01`) become text, as they would be quoted.
fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn entry_error(location: &Location, column: Option<&str>, reason: impl Into<String>) -> RowError {
    RowError {
        location: location.clone(),
        column: column.map(String::from),
        reason: reason.into(),
    }
}

/// The `settings` section's entries, each a known key with a valid value.
fn settings_section(map: Map<String, Value>, desired: &mut Desired) {
    for (i, (k, v)) in map.into_iter().enumerate() {
        let loc = Location::Entry(Section::Settings, i + 1);
        let value = match v {
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => {
                let why = "expected a single value";
                desired.errors.push(entry_error(&loc, Some(&k), why));
                continue;
            }
        };
        match Key::parse(&k).and_then(|key| Ok((key, key.validate(&value)?))) {
            Ok(kv) => desired.settings.push(kv),
            Err(e) => desired.errors.push(entry_error(
                &loc,
                None,
                match e.hint {
                    Some(h) => format!("{}; {h}", e.message),
                    None => e.message,
                },
            )),
        }
    }
}

/// The file's three sections, each entry checked; every problem is collected.
pub(super) fn read_desired(secrets: &dyn Secrets, doc: Value, base: &Path) -> Result<Desired> {
    let Value::Object(mut top) = doc else {
        return Err(Error::invalid(
            "the file must be a table (a mapping) with `settings`, `packages` and `users`",
        ));
    };
    let mut desired = Desired {
        settings: Vec::new(),
        packages: Vec::new(),
        users: Vec::new(),
        has_users: top.contains_key("users"),
        errors: Vec::new(),
    };
    if let Some(k) = top
        .keys()
        .find(|k| !["settings", "packages", "users"].contains(&k.as_str()))
    {
        return Err(
            Error::invalid(format!("unknown section `{}`", printable(k)))
                .with_hint("a file has `settings`, `packages` and `users`"),
        );
    }
    match top.remove("settings") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => settings_section(map, &mut desired),
        Some(_) => return Err(Error::invalid("`settings` must be a table of key = value")),
    }
    let list = |v: Option<Value>, name: &str| match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(Error::invalid(format!("`{name}` must be a list"))),
    };
    let mut names = BTreeMap::new();
    for (i, item) in list(top.remove("packages"), "packages")?
        .into_iter()
        .enumerate()
    {
        let loc = Location::Entry(Section::Packages, i + 1);
        match package_entry(&loc, item) {
            Ok(p) => {
                if let Some(first) = names.insert(p.name.key(), loc.clone()) {
                    let why = format!("`{}` appears twice (also at {first})", p.name);
                    desired.errors.push(entry_error(&loc, Some("name"), why));
                } else {
                    desired.packages.push(p);
                }
            }
            Err(e) => desired.errors.push(e),
        }
    }
    for (i, item) in list(top.remove("users"), "users")?.into_iter().enumerate() {
        let loc = Location::Entry(Section::Users, i + 1);
        match user_entry(secrets, base, &loc, item)? {
            Ok(row) => desired.users.push(Ok(row)),
            Err(es) => desired.errors.extend(es),
        }
    }
    Ok(desired)
}

fn package_entry(loc: &Location, item: Value) -> std::result::Result<DesiredPackage, RowError> {
    let mut map = match item {
        Value::String(name) => Map::from_iter([("name".to_string(), Value::String(name))]),
        Value::Object(map) => map,
        _ => return Err(entry_error(loc, None, "expected a name or a table")),
    };
    if let Some(k) = map
        .keys()
        .find(|k| !["name", "description", "status"].contains(&k.as_str()))
    {
        let why = format!(
            "unknown field `{}` (a package has name, description, status)",
            printable(k)
        );
        return Err(entry_error(loc, None, why));
    }
    let text = |v: Option<Value>, col: &str| match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(entry_error(loc, Some(col), "expected text")),
    };
    let field_error = |col: &str, e: Error| entry_error(loc, Some(col), e.message);
    let name = text(map.remove("name"), "name")?
        .ok_or_else(|| entry_error(loc, Some("name"), "is missing"))?
        .parse::<PackageName>()
        .map_err(|e| field_error("name", e))?;
    let description = match map.remove("description") {
        None => None,
        v => Some(
            text(v, "description")?
                .unwrap_or_default()
                .parse::<Description>()
                .map_err(|e| field_error("description", e))?
                .0,
        ),
    };
    let status = text(map.remove("status"), "status")?
        .map(|s| {
            <Status as clap::ValueEnum>::from_str(s.trim(), true).map_err(|_| {
                let why = format!("`{}` is not active or inactive", printable(&s));
                entry_error(loc, Some("status"), why)
            })
        })
        .transpose()?;
    Ok(DesiredPackage {
        name,
        description,
        status,
    })
}

/// The entry's password: from `password_env`, `password_file`, or generated (a
/// `password_hash` stays in the row) — one source at most.
fn password_source(
    secrets: &dyn Secrets,
    base: &Path,
    loc: &Location,
    map: &mut Map<String, Value>,
    errors: &mut Vec<RowError>,
) -> (Option<SecretString>, bool) {
    let mut sources = Vec::new();
    let mut secret = None;
    if let Some(v) = map.remove("password_env") {
        sources.push("password_env");
        match v.as_str().map(|name| (name, secrets.var(name))) {
            Some((_, Some(pw))) if !pw.is_empty() => secret = Some(SecretString::from(pw)),
            Some((name, _)) => errors.push(entry_error(
                loc,
                Some("password_env"),
                format!("the environment variable `{}` is not set", printable(name)),
            )),
            None => errors.push(entry_error(
                loc,
                Some("password_env"),
                "expected a variable name",
            )),
        }
    }
    if let Some(v) = map.remove("password_file") {
        sources.push("password_file");
        match v.as_str() {
            Some(p) => match secrets.password_file(&base.join(p)) {
                Ok(pw) => secret = Some(pw),
                Err(e) => errors.push(entry_error(loc, Some("password_file"), e.message)),
            },
            None => errors.push(entry_error(loc, Some("password_file"), "expected a path")),
        }
    }
    let generate = match map.remove("generate") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => {
            sources.push("generate");
            true
        }
        Some(_) => {
            errors.push(entry_error(loc, Some("generate"), "expected true or false"));
            false
        }
    };
    if map.get("password_hash").is_some_and(|h| !h.is_null()) {
        sources.push("password_hash");
    }
    if sources.len() > 1 {
        let why = format!("give one password source, not {}", sources.join(" and "));
        errors.push(entry_error(loc, None, why));
    }
    (secret, generate)
}

/// A user entry: import's fields, with the password from `password_env`,
/// `password_file` or `password_hash`, or `generate = true`. A plaintext `password` in a
/// file kept in a repository is refused.
fn user_entry(secrets: &dyn Secrets, base: &Path, loc: &Location, item: Value) -> Result<Parsed> {
    let Value::Object(map) = item else {
        return Ok(Err(vec![entry_error(loc, None, "expected a table")]));
    };
    // Keys in any letter case, as import takes its columns.
    let mut map: Map<String, Value> = map
        .into_iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v))
        .collect();
    let mut errors = Vec::new();
    if map.remove("password").is_some() {
        errors.push(entry_error(
            loc,
            Some("password"),
            "a password is not written in the file: use password_env, password_file, password_hash or generate",
        ));
    }
    let (secret, generate) = password_source(secrets, base, loc, &mut map, &mut errors);
    let row = match formats::object_row(loc.clone(), Value::Object(map)) {
        Ok(r) => r,
        Err(e) => {
            let prefix = format!("{loc}: ");
            let why = e.message.strip_prefix(&prefix).unwrap_or(&e.message);
            return Ok(Err(vec![entry_error(loc, None, why)]));
        }
    };
    Ok(match row {
        Ok(mut row) if errors.is_empty() => {
            row.password = secret;
            row.generate_password = generate;
            Ok(row)
        }
        Ok(_) => Err(errors),
        Err(mut es) => {
            es.append(&mut errors);
            Err(es)
        }
    })
}
