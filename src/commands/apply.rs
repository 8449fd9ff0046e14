//! `gatehouse apply FILE`: the flags and the file turned into
//! [`ops::apply::ApplyOptions`](crate::ops::apply::ApplyOptions), the operation run as
//! the person, and its plan printed — each object created, updated (field by field),
//! unchanged or deactivated, the counts, and generated passwords, shown once.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::import::{
    as_actor, field_changes, print_passwords, read_input, warn_hashes_on_server, Shown,
};
use super::{Ctx, Granted};
use crate::authz::Command;
use crate::cli::{ApplyArgs, FileFormat, Format};
use crate::error::{Kind, Result};
use crate::ops::apply::{self as op, Action, ApplyReport, Change, DocFormat};

pub fn apply(ctx: &Ctx<'_>, args: &ApplyArgs) -> Result<()> {
    let label = args.file.display().to_string();
    let r = ctx.read_as(Command::Apply, Some(&label))?;
    let opts = op::ApplyOptions {
        data: read_input(ctx.env, &args.file)?,
        path: args.file.clone(),
        format: args.input_format.map(|f| match f {
            FileFormat::Toml => DocFormat::Toml,
            FileFormat::Yaml => DocFormat::Yaml,
            FileFormat::Json => DocFormat::Json,
        }),
        prune: args.prune,
        dry_run: args.dry_run,
        secrets: &Secrets(ctx.env),
    };
    let tx = as_actor(&r, Command::Apply, Some(&label));
    let report = op::apply(r.store(), &tx, opts, &Shown(ctx))?;
    warn_hashes_on_server(ctx, report.hashes_on_server);
    if report.spared_me {
        ctx.out.warn(&format!(
            "{} is not in the file but was kept: --prune never deactivates the account running it",
            r.me().email
        ));
    }
    print(ctx, &report)
}

/// The passwords a file names, read as the person running `apply`.
struct Secrets<'a>(&'a crate::env::Env);

impl op::Secrets for Secrets<'_> {
    fn var(&self, name: &str) -> Option<String> {
        self.0.var(name).map(str::to_string)
    }

    fn password_file(&self, path: &Path) -> Result<SecretString> {
        crate::input::read_password_file(self.0, path, Kind::Invalid)
    }
}

fn kind(c: &Change) -> &'static str {
    match c.kind {
        op::Kind::Setting => "setting",
        op::Kind::Package => "package",
        op::Kind::User => "user",
    }
}

fn action(c: &Change) -> &'static str {
    match c.action {
        Action::Create => "create",
        Action::Update => "update",
        Action::Unchanged => "unchanged",
        Action::Deactivate => "deactivate",
    }
}

/// The password generated for a change's user, if any.
fn password_of<'a>(report: &'a ApplyReport, c: &Change) -> Option<&'a SecretString> {
    report
        .generated
        .iter()
        .find(|(e, _)| c.kind == op::Kind::User && *e == c.name)
        .map(|(_, pw)| pw)
}

/// The plan, object by object, and the counts; generated passwords are printed once.
fn print(ctx: &Ctx<'_>, report: &ApplyReport) -> Result<()> {
    let count = |a: Action| report.changes.iter().filter(|c| c.action == a).count();
    let (created, updated, deactivated, unchanged) = (
        count(Action::Create),
        count(Action::Update),
        count(Action::Deactivate),
        count(Action::Unchanged),
    );
    let total = created + updated + deactivated;
    let would = if report.dry_run { "would be " } else { "" };
    let summary = format!(
        "{total} change{} ({created} {would}created, {updated} {would}updated, {deactivated} {would}deactivated), {unchanged} unchanged{}",
        if total == 1 { "" } else { "s" },
        if report.dry_run { " (dry run: nothing was changed)" } else { "" }
    );
    match ctx.out.format() {
        Format::Jsonl => {
            // One object per object of the plan; the counts are for people, on stderr.
            ctx.out.note(&summary);
            print_jsonl(ctx, report)
        }
        Format::Json => {
            let mut v = json!({
                "dry_run": report.dry_run,
                "changes": total,
                "created": created,
                "updated": updated,
                "deactivated": deactivated,
                "unchanged": unchanged,
                "plan": report.changes.iter().map(|c| json!({
                    "kind": kind(c), "name": c.name, "action": action(c), "changes": c.changes,
                })).collect::<Vec<_>>(),
            });
            if !report.generated.is_empty() {
                v["generated_passwords"] = report
                    .generated
                    .iter()
                    .map(|(e, pw)| json!({ "email": e, "password": pw.expose_secret() }))
                    .collect();
            }
            ctx.out.record(&v, &[])
        }
        Format::Csv => print_csv(ctx, report),
        Format::Table | Format::Html => print_table(ctx, report, summary),
    }
}

fn print_jsonl(ctx: &Ctx<'_>, report: &ApplyReport) -> Result<()> {
    let mut list = ctx.out.list(&[]);
    for c in &report.changes {
        let mut v = json!({
            "kind": kind(c), "name": c.name, "action": action(c), "changes": c.changes,
            "dry_run": report.dry_run,
        });
        if let Some(pw) = password_of(report, c) {
            v["generated_password"] = json!(pw.expose_secret());
        }
        list.push(Vec::new(), &v)?;
    }
    list.finish()
}

/// One table; a generated password is in the row of the user it was made for.
fn print_csv(ctx: &Ctx<'_>, report: &ApplyReport) -> Result<()> {
    let mut list = ctx
        .out
        .list(&["kind", "name", "action", "changes", "password"]);
    for c in &report.changes {
        let fields = if c.changes.is_null() {
            String::new()
        } else {
            field_changes(&c.changes)
        };
        let pw = password_of(report, c)
            .map(|pw| pw.expose_secret().to_string())
            .unwrap_or_default();
        list.push(
            vec![kind(c).into(), c.name.clone(), action(c).into(), fields, pw],
            &Value::Null,
        )?;
    }
    list.finish()
}

fn print_table(ctx: &Ctx<'_>, report: &ApplyReport, summary: String) -> Result<()> {
    let mut lines: Vec<String> = report
        .changes
        .iter()
        .map(|c| {
            let head = format!("{:<10} {} {}", action(c), kind(c), c.name);
            if c.changes.is_null() {
                head
            } else {
                format!("{head}: {}", field_changes(&c.changes))
            }
        })
        .collect();
    lines.push(summary);
    if report.generated.is_empty() {
        return ctx.out.record(&Value::Null, &lines);
    }
    // The passwords are the data on stdout; the plan goes to stderr.
    for l in &lines {
        ctx.out.note(l);
    }
    print_passwords(ctx.out, &report.generated)
}
