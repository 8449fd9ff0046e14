//! `gatehouse apply FILE`: makes the store match a file of settings, packages and users,
//! in one transaction, and prints the plan — each object created, updated (field by
//! field) or unchanged, and with `--prune` each user deactivated for not being listed.
//!
//! Users go through the same planning and writing as `user import --on-conflict update`:
//! a password counts as changed only when the stored hash does not verify it, so the
//! same file applied twice changes nothing the second time. What the file leaves out of
//! an object is not managed: a user without `packages` keeps theirs, `packages = []`
//! removes them all.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Map, Value};

use super::import::{
    field_changes, generated_passwords, hash_all, hashes_given, placeholder_hashes, plan,
    read_input, refusal, settle_same_passwords, warn_hashes_on_server, write_rows, Options,
    Planned, Source,
};
use super::{authorize, change_entry, write_as, Ctx};
use crate::authz::Command;
use crate::cli::{ApplyArgs, FileFormat, Format, OnConflict};
use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::import::{self, Location, Row, RowError, Section};
use crate::model::{printable, Description, PackageName, Status};
use crate::settings::{Key, Settings};
use crate::store::{Relation, Store, User, UserFilter};

/// What the file asks for, validated.
struct Desired {
    settings: Vec<(Key, String)>,
    packages: Vec<DesiredPackage>,
    users: Vec<std::result::Result<Row, Vec<RowError>>>,
    /// Whether the file has a `users` section at all (`--prune` needs one).
    has_users: bool,
    /// Problems outside the users' own fields (settings, packages, password sources).
    errors: Vec<RowError>,
}

struct DesiredPackage {
    name: PackageName,
    /// `Some(None)`: no description.
    description: Option<Option<String>>,
    status: Option<Status>,
}

/// One object's line of the plan.
struct Change {
    kind: &'static str,
    name: String,
    /// create, update, unchanged, deactivate (or skipped: made by someone else meanwhile).
    action: &'static str,
    /// `{"before": {…}, "after": {…}}` for a change, null otherwise.
    changes: Value,
}

pub fn apply(ctx: &Ctx<'_>, args: &ApplyArgs) -> Result<()> {
    let (store, actor) = ctx.login()?;
    let label = args.file.display().to_string();
    authorize(&store, &actor.user, Command::Apply, Some(&label))?;
    let data = read_input(ctx.env, &args.file)?;
    let format = args
        .input_format
        .unwrap_or_else(|| detect(&args.file, &data));
    let doc = document(&data, format)?;
    drop(data);
    // A relative password_file is found next to the file that names it.
    let base = match args.file.parent() {
        Some(p) if args.file.as_os_str() != "-" && !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let desired = read_desired(ctx.env, doc, &base)?;
    if args.prune && !desired.has_users {
        // A file of settings or packages alone says nothing about who should stay.
        return Err(Error::usage("--prune needs a `users` section in the file")
            .with_hint("list the users to keep; an empty list (`users = []`) keeps only you"));
    }

    // The file's own password settings judge its passwords.
    let mut settings = Settings::load(&store)?;
    for (key, value) in &desired.settings {
        match key {
            Key::PasswordMinLength => {
                settings.password_min_length = value.parse().unwrap_or(settings.password_min_length)
            }
            Key::PasswordBlocklist => settings.password_blocklist = value == "on",
            _ => {}
        }
    }
    let opts = Options {
        source: Source::Apply,
        keep_changes: true,
        on_conflict: OnConflict::Update,
        generate_passwords: false,
        unusable_hash: crate::cli::UnusableHash::Refuse,
        create_packages: false,
        must_change: false,
        declared_packages: desired.packages.iter().map(|p| p.name.key()).collect(),
        audit_create: Command::UserAdd,
        audit_update: Command::UserEdit,
    };
    let listed: HashSet<String> = desired
        .users
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|r| r.email.to_string()))
        .collect();
    let Planned {
        plans,
        mut errors,
        conflicts,
        missing,
    } = plan(&store, desired.users, &opts, settings.policy())?;
    errors.extend(desired.errors);
    if !errors.is_empty() || !conflicts.is_empty() || !missing.is_empty() {
        errors.sort_by_key(|e| match &e.location {
            Location::Entry(list, n) => (list.name().to_string(), *n),
            other => (other.to_string(), 0),
        });
        return Err(refusal(ctx, &opts, &errors, &conflicts, &missing));
    }
    let plans = settle_same_passwords(&store, plans)?;
    let hashes = if args.dry_run {
        placeholder_hashes(&plans)
    } else {
        hash_all(ctx, &plans)?
    };
    let (changes, pruned_me) = write_as(
        &store,
        &actor,
        Command::Apply,
        Some(&label),
        !args.dry_run,
        |s, me| {
            let mut changes = apply_settings(s, me, &desired.settings)?;
            changes.extend(apply_packages(s, me, &desired.packages)?);
            for o in write_rows(s, me, &plans, &hashes, &opts)? {
                if o.result == "skipped" {
                    // Made by someone else since the plan: the plan is stale.
                    return Err(Error::new(
                        Kind::Busy,
                        format!("`{}` was created by someone else meanwhile", o.email),
                    )
                    .with_hint("nothing was changed; run apply again"));
                }
                changes.push(Change {
                    kind: "user",
                    name: o.email,
                    action: match o.result {
                        "created" => "create",
                        "updated" => "update",
                        "unchanged" => "unchanged",
                        other => other,
                    },
                    changes: o.changes,
                });
            }
            let mut spared_me = false;
            if args.prune {
                let (pruned, me_unlisted) = prune(s, me, &listed)?;
                changes.extend(pruned);
                spared_me = me_unlisted;
            }
            Ok((changes, spared_me))
        },
    )?;
    warn_hashes_on_server(ctx, &store, hashes_given(&plans));
    if pruned_me {
        ctx.out.warn(&format!(
            "{} is not in the file but was kept: --prune never deactivates the account running it",
            actor.user.email
        ));
    }
    let created: HashSet<&str> = changes
        .iter()
        .filter(|c| c.kind == "user" && c.action == "create")
        .map(|c| c.name.as_str())
        .collect();
    let generated = generated_passwords(&plans, &created, args.dry_run);
    report(ctx, &changes, &generated, args.dry_run)
}

/// By the file's extension; otherwise by its look: JSON starts with `{`, TOML has
/// `key = value` lines or `[table]` headers, anything else is read as YAML.
fn detect(file: &Path, data: &[u8]) -> FileFormat {
    match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => return FileFormat::Toml,
        Some(e) if e.eq_ignore_ascii_case("json") => return FileFormat::Json,
        Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
            return FileFormat::Yaml
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
        return FileFormat::Json;
    }
    // What TOML reads is TOML; a file it cannot read is YAML unless it looks like TOML
    // (`key = value` or `[table]` first), so the error names the format meant.
    if toml::from_str::<toml::Table>(&text).is_ok() {
        return FileFormat::Toml;
    }
    let toml_like = |l: &str| {
        l.starts_with('[')
            || l.split_once('=')
                .is_some_and(|(k, _)| !k.contains(':') && !k.trim().is_empty())
    };
    if lines().next().is_some_and(toml_like) {
        FileFormat::Toml
    } else {
        FileFormat::Yaml
    }
}

fn bad_file(format: FileFormat, why: impl std::fmt::Display) -> Error {
    let name = match format {
        FileFormat::Toml => "TOML",
        FileFormat::Yaml => "YAML",
        FileFormat::Json => "JSON",
    };
    Error::invalid(format!("not valid {name}: {why}"))
        .with_hint("give the format with --input-format toml|yaml|json if it was guessed wrong")
}

/// The file as one JSON value, whatever its format.
fn document(data: &[u8], format: FileFormat) -> Result<Value> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let text = std::str::from_utf8(body).map_err(|_| bad_file(format, "the file is not UTF-8"))?;
    match format {
        FileFormat::Json => serde_json::from_str(text)
            .map_err(|e| bad_file(format, format!("line {}: {e}", e.line()))),
        FileFormat::Yaml => {
            if text.trim().is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            serde_yaml_ng::from_str(text).map_err(|e| bad_file(format, e))
        }
        FileFormat::Toml => {
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

/// The file's three sections, each entry checked; every problem is collected.
fn read_desired(env: &Env, doc: Value, base: &Path) -> Result<Desired> {
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
        Some(Value::Object(map)) => {
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
        match user_entry(env, base, &loc, item)? {
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

/// A user entry: import's fields, with the password from `password_env`,
/// `password_file` or `password_hash`, or `generate = true`. A plaintext `password` in a
/// file kept in a repository is refused.
fn user_entry(
    env: &Env,
    base: &Path,
    loc: &Location,
    item: Value,
) -> Result<std::result::Result<Row, Vec<RowError>>> {
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
    let mut sources = Vec::new();
    let mut secret = None;
    if let Some(v) = map.remove("password_env") {
        sources.push("password_env");
        match v.as_str().map(|name| (name, env.var(name))) {
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
            Some(p) => match crate::input::read_password_file(env, &base.join(p), Kind::Invalid) {
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
    let row = match import::object_row(loc.clone(), Value::Object(map)) {
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

fn apply_settings(s: &Store, me: &User, wanted: &[(Key, String)]) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for (key, value) in wanted {
        let before = key.effective(s)?;
        let changes = if before == *value {
            Value::Null
        } else {
            s.set_setting(key.name(), value)?;
            s.append_audit(&change_entry(
                me,
                Command::ConfigSet,
                key.name(),
                json!({ "before": before, "after": value }),
            ))?;
            json!({ "before": { "value": before }, "after": { "value": value } })
        };
        out.push(Change {
            kind: "setting",
            name: key.name().to_string(),
            action: if changes.is_null() {
                "unchanged"
            } else {
                "update"
            },
            changes,
        });
    }
    Ok(out)
}

fn apply_packages(s: &Store, me: &User, wanted: &[DesiredPackage]) -> Result<Vec<Change>> {
    use super::package::package_json;
    let mut out = Vec::new();
    for p in wanted {
        let name = p.name.as_str();
        let description = p.description.as_ref().map(|d| d.as_deref());
        let (action, changes) = match s.package_by_name(name)? {
            None => {
                let mut created = s.insert_package(name, description.flatten(), me.id)?;
                if let Some(status) = p.status.filter(|st| *st != created.status) {
                    created = s.update_package(created.id, None, None, Some(status))?;
                }
                s.append_audit(&change_entry(
                    me,
                    Command::PackageCreate {
                        users_can_create: false,
                    },
                    &created.name,
                    json!({ "after": package_json(&created) }),
                ))?;
                let after = json!({ "description": created.description, "status": created.status });
                ("create", json!({ "before": {}, "after": after }))
            }
            Some(before) => {
                let new_description = description.filter(|d| *d != before.description.as_deref());
                let new_status = p.status.filter(|st| *st != before.status);
                if new_description.is_none() && new_status.is_none() {
                    ("unchanged", Value::Null)
                } else {
                    let after = s.update_package(before.id, None, new_description, new_status)?;
                    s.append_audit(&change_entry(
                        me,
                        Command::PackageEdit(Relation::default()),
                        &after.name,
                        json!({ "before": package_json(&before), "after": package_json(&after) }),
                    ))?;
                    let (mut b, mut a) = (Map::new(), Map::new());
                    if new_description.is_some() {
                        b.insert("description".into(), json!(before.description));
                        a.insert("description".into(), json!(after.description));
                    }
                    if new_status.is_some() {
                        b.insert("status".into(), json!(before.status));
                        a.insert("status".into(), json!(after.status));
                    }
                    ("update", json!({ "before": b, "after": a }))
                }
            }
        };
        out.push(Change {
            kind: "package",
            name: name.to_string(),
            action,
            changes,
        });
    }
    Ok(out)
}

/// Deactivates the active users the file does not list, never the one running it.
/// Returns the changes and whether the runner was unlisted (and so spared).
fn prune(s: &Store, me: &User, listed: &HashSet<String>) -> Result<(Vec<Change>, bool)> {
    let mut unlisted = Vec::new();
    let active = UserFilter {
        status: Some(Status::Active),
        ..Default::default()
    };
    s.each_user(&active, |u| {
        if !listed.contains(&u.email) {
            unlisted.push(u.clone());
        }
        Ok(())
    })?;
    let mut spared_me = false;
    let mut out = Vec::new();
    for u in unlisted {
        if u.id == me.id {
            spared_me = true;
            continue;
        }
        let Some((after, details)) = super::bulk::Bulk::Deactivate.change(s, &u)? else {
            continue;
        };
        s.append_audit(&change_entry(
            me,
            Command::UserDeactivate,
            &after.email,
            details.clone(),
        ))?;
        out.push(Change {
            kind: "user",
            name: after.email,
            action: "deactivate",
            changes: json!({ "before": details["before"], "after": details["after"] }),
        });
    }
    Ok((out, spared_me))
}

/// The plan, object by object, and the counts; generated passwords are printed once.
fn report(
    ctx: &Ctx<'_>,
    changes: &[Change],
    generated: &[(String, &SecretString)],
    dry_run: bool,
) -> Result<()> {
    let count = |a: &str| changes.iter().filter(|c| c.action == a).count();
    let (created, updated, deactivated, unchanged) = (
        count("create"),
        count("update"),
        count("deactivate"),
        count("unchanged"),
    );
    let total = created + updated + deactivated;
    let would = if dry_run { "would be " } else { "" };
    let summary = format!(
        "{total} change{} ({created} {would}created, {updated} {would}updated, {deactivated} {would}deactivated), {unchanged} unchanged{}",
        if total == 1 { "" } else { "s" },
        if dry_run { " (dry run: nothing was changed)" } else { "" }
    );
    match ctx.out.format() {
        Format::Jsonl => {
            // One object per object of the plan; the counts are for people, on stderr.
            ctx.out.note(&summary);
            let mut list = ctx.out.list(&[]);
            for c in changes {
                let mut v = json!({
                    "kind": c.kind, "name": c.name, "action": c.action, "changes": c.changes,
                    "dry_run": dry_run,
                });
                if let Some((_, pw)) = generated
                    .iter()
                    .find(|(e, _)| c.kind == "user" && *e == c.name)
                {
                    v["generated_password"] = json!(pw.expose_secret());
                }
                list.push(Vec::new(), &v)?;
            }
            list.finish()
        }
        Format::Json => {
            let mut v = json!({
                "dry_run": dry_run,
                "changes": total,
                "created": created,
                "updated": updated,
                "deactivated": deactivated,
                "unchanged": unchanged,
                "plan": changes.iter().map(|c| json!({
                    "kind": c.kind, "name": c.name, "action": c.action, "changes": c.changes,
                })).collect::<Vec<_>>(),
            });
            if !generated.is_empty() {
                v["generated_passwords"] = generated
                    .iter()
                    .map(|(e, pw)| json!({ "email": e, "password": pw.expose_secret() }))
                    .collect();
            }
            ctx.out.record(&v, &[])
        }
        Format::Csv => {
            // One table; a generated password is in the row of the user it was made for.
            let mut list = ctx
                .out
                .list(&["kind", "name", "action", "changes", "password"]);
            for c in changes {
                let fields = if c.changes.is_null() {
                    String::new()
                } else {
                    field_changes(&c.changes)
                };
                let pw = generated
                    .iter()
                    .find(|(e, _)| c.kind == "user" && *e == c.name)
                    .map(|(_, pw)| pw.expose_secret().to_string())
                    .unwrap_or_default();
                list.push(
                    vec![c.kind.into(), c.name.clone(), c.action.into(), fields, pw],
                    &Value::Null,
                )?;
            }
            list.finish()
        }
        Format::Table | Format::Html => {
            let mut lines: Vec<String> = changes
                .iter()
                .map(|c| {
                    let head = format!("{:<10} {} {}", c.action, c.kind, c.name);
                    if c.changes.is_null() {
                        head
                    } else {
                        format!("{head}: {}", field_changes(&c.changes))
                    }
                })
                .collect();
            lines.push(summary);
            if generated.is_empty() {
                ctx.out.record(&Value::Null, &lines)
            } else {
                // The passwords are the data on stdout; the plan goes to stderr.
                for l in &lines {
                    ctx.out.note(l);
                }
                let mut list = ctx.out.list_in(Format::Csv, &["email", "password"]);
                for (e, pw) in generated {
                    list.push(
                        vec![e.clone(), pw.expose_secret().to_string()],
                        &Value::Null,
                    )?;
                }
                list.finish()
            }
        }
    }
}
