//! `gatehouse config …`: the store's settings (admins). Only known keys, each validated.

use serde_json::json;

use super::{change_entry, write_as, Ctx};
use crate::authz::Command;
use crate::cli::{ConfigGetArgs, ConfigSetArgs};
use crate::error::{Error, Result};
use crate::model::Ttl;
use crate::password;
use crate::store::Store;

/// Each setting with its default.
const SETTINGS: &[(&str, &str)] = &[
    ("packages.users_can_create", "on"),
    ("password.blocklist", "on"),
    ("password.min_length", "6"),
    ("session.ttl", "1h"),
];

/// `on`/`off` and their usual spellings; `None` for anything else.
pub fn parse_switch(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Some(true),
        "off" | "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// A stored switch; settings are validated on the way in, so anything else is "on".
pub fn is_on(v: &str) -> bool {
    parse_switch(v).unwrap_or(true)
}

/// The canonical form of a value for `key`, or why it is refused.
fn validate(key: &str, value: &str) -> Result<String> {
    let v = value.trim();
    match key {
        "packages.users_can_create" | "password.blocklist" => match parse_switch(v) {
            Some(true) => Ok("on".into()),
            Some(false) => Ok("off".into()),
            None => Err(Error::invalid(format!(
                "`{key}` takes `on` or `off`, not `{v}`"
            ))),
        },
        "password.min_length" => match v.parse::<usize>() {
            Ok(n) if (password::MIN_LENGTH..=password::MAX_BYTES).contains(&n) => Ok(n.to_string()),
            _ => Err(Error::invalid(format!(
                "`{key}` takes a number from {} to {}, not `{v}`",
                password::MIN_LENGTH,
                password::MAX_BYTES
            ))
            .with_hint("the platform's minimum of 6 can be raised, never lowered")),
        },
        "session.ttl" => v.parse::<Ttl>().map(|_| v.to_string()),
        _ => Err(unknown_key(key)),
    }
}

fn unknown_key(key: &str) -> Error {
    let known: Vec<&str> = SETTINGS.iter().map(|(k, _)| *k).collect();
    Error::not_found(format!("no setting named `{key}`"))
        .with_hint(format!("known settings: {}", known.join(", ")))
}

fn effective(s: &Store, key: &str) -> Result<String> {
    let default = SETTINGS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, d)| *d)
        .ok_or_else(|| unknown_key(key))?;
    Ok(s.setting(key)?.unwrap_or_else(|| default.to_string()))
}

pub fn list(ctx: &Ctx<'_>) -> Result<()> {
    let (store, _) = ctx.read_as(Command::ConfigList, None)?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for (key, default) in SETTINGS {
        let value = effective(&store, key)?;
        rows.push(vec![key.to_string(), value.clone(), default.to_string()]);
        items.push(json!({ "key": key, "value": value, "default": default }));
    }
    ctx.out.rows(&["Key", "Value", "Default"], &rows, &items)
}

pub fn get(ctx: &Ctx<'_>, args: &ConfigGetArgs) -> Result<()> {
    let (store, _) = ctx.read_as(Command::ConfigGet, Some(&args.key))?;
    let value = effective(&store, &args.key)?;
    ctx.out.record(
        &json!({ "key": args.key, "value": value }),
        std::slice::from_ref(&value),
    )
}

pub fn set(ctx: &Ctx<'_>, args: &ConfigSetArgs) -> Result<()> {
    let (store, actor) = ctx.read_as(Command::ConfigSet, Some(&args.key))?;
    let value = validate(&args.key, &args.value)?;
    write_as(
        &store,
        &actor,
        Command::ConfigSet,
        Some(&args.key),
        true,
        |s, me| {
            let before = effective(s, &args.key)?;
            s.set_setting(&args.key, &value)?;
            s.append_audit(&change_entry(
                me,
                Command::ConfigSet,
                &args.key,
                json!({ "before": before, "after": value }),
            ))
        },
    )?;
    ctx.out.changes(
        &[format!("set {} = {value}", args.key)],
        &[json!({ "key": args.key, "value": value })],
    )
}
