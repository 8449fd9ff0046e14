//! `gatehouse config …`: the store's settings (admins). Only known keys, each validated.

use serde_json::json;

use super::{change_entry, Ctx, Granted};
use crate::authz::Command;
use crate::cli::{ConfigGetArgs, ConfigSetArgs};
use crate::error::Result;
use crate::settings::Key;

pub fn list(ctx: &Ctx<'_>) -> Result<()> {
    let r = ctx.read_as(Command::ConfigList, None)?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for key in Key::ALL {
        let (name, default) = (key.name(), key.default_value());
        let value = key.effective(r.store())?;
        rows.push(vec![
            name.to_string(),
            value.clone(),
            default.to_string(),
            key.meaning().to_string(),
        ]);
        items.push(
            json!({ "key": name, "value": value, "default": default, "meaning": key.meaning() }),
        );
    }
    ctx.out
        .rows(&["Key", "Value", "Default", "Meaning"], &rows, &items)
}

pub fn get(ctx: &Ctx<'_>, args: &ConfigGetArgs) -> Result<()> {
    let r = ctx.read_as(Command::ConfigGet, Some(&args.key))?;
    let value = Key::parse(&args.key)?.effective(r.store())?;
    ctx.out.record(
        &json!({ "key": args.key, "value": value }),
        std::slice::from_ref(&value),
    )
}

pub fn set(ctx: &Ctx<'_>, args: &ConfigSetArgs) -> Result<()> {
    let r = ctx.read_as(Command::ConfigSet, Some(&args.key))?;
    let key = Key::parse(&args.key)?;
    let value = key.validate(&args.value)?;
    r.write_as(Command::ConfigSet, Some(&args.key), true, |w| {
        let before = key.effective(w.store())?;
        w.settings().set_setting(key.name(), &value)?;
        w.audit().append_audit(&change_entry(
            w.me(),
            Command::ConfigSet,
            &args.key,
            json!({ "before": before, "after": value }),
        ))
    })?;
    ctx.out.changes(
        &[format!("set {} = {value}", args.key)],
        &[json!({ "key": args.key, "value": value })],
    )
}
