//! `user import`: the flags turned into [`ops::import::ImportOptions`], the operation
//! run as the person, and its report printed — a summary line, every row's outcome
//! (JSON, CSV, a dry run's plan) and the passwords generated, shown once. Also what
//! `apply` and `user export` print through: the observer that shows an operation's
//! warnings, problems and progress, and the transaction an operation writes in.

use std::collections::BTreeMap;
use std::io::Read;

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use super::{Ctx, Granted, Reader};
use crate::authz::Command;
use crate::cli::{Format, ImportArgs, OnConflict, UnusableHash};
use crate::error::{Kind, Result};
use crate::input_formats::{LeftOut, Location, ReadOptions};
use crate::ops::import::{self as op, compact, rows_count, ImportReport, Outcome, RowResult};
use crate::ops::{Observer, Progress, Work};
use crate::output::Output;

pub fn import(ctx: &Ctx<'_>, args: &ImportArgs) -> Result<()> {
    let label = args.file.display().to_string();
    let r = ctx.read_as(Command::UserImport, Some(&label))?;
    let json = matches!(ctx.out.format(), Format::Json | Format::Jsonl);
    let opts = op::ImportOptions {
        input: input(ctx, args)?,
        on_conflict: match args.on_conflict {
            OnConflict::Fail => op::OnConflict::Fail,
            OnConflict::Skip => op::OnConflict::Skip,
            OnConflict::Update => op::OnConflict::Update,
        },
        generate_passwords: args.generate_passwords,
        unusable_hash: match args.unusable_hash {
            UnusableHash::Refuse => op::UnusableHash::Refuse,
            UnusableHash::Generate => op::UnusableHash::Generate,
            UnusableHash::Inactive => op::UnusableHash::Inactive,
        },
        create_packages: args.create_packages,
        must_change_password: args.must_change_password,
        dry_run: args.dry_run,
        keep_changes: args.dry_run || json,
        // Every row's outcome is kept (in a temporary file) only when the output lists them.
        keep_rows: args.dry_run || json || ctx.out.format() == Format::Csv,
    };
    let tx = as_actor(&r, Command::UserImport, Some(&label));
    let mut report = op::import(r.store(), &tx, opts, &Shown(ctx))?;
    warn_hashes_on_server(ctx, report.hashes_on_server);
    summary(ctx, &mut report)
}

/// The input as the flags name it: the file opened as the person (or standard input).
fn input(ctx: &Ctx<'_>, args: &ImportArgs) -> Result<op::Input> {
    let passwd = args.passwd.clone().map(|path| {
        let env = ctx.env.clone();
        Box::new(move || {
            let mut data = Vec::new();
            crate::input::open_named(&env, &path, Kind::Invalid)?.read_to_end(&mut data)?;
            Ok(data)
        }) as op::ReadFile
    });
    Ok(op::Input {
        reader: open_input(ctx.env, &args.file)?,
        path: args.file.clone(),
        format: args.input_format,
        passwd,
        email_domain: args.email_domain.clone(),
        delimiter: args.delimiter,
        encoding: args.encoding.clone(),
        read: ReadOptions {
            day_first: args.day_first,
            unknown_columns: args.unknown_columns,
        },
    })
}

/// The transaction an operation writes in: as the reader's user, re-read under the
/// write lock and decided `cmd` on `target` again ([`Reader::write_as`]).
pub(super) fn as_actor<'a>(
    r: &'a Reader,
    cmd: Command,
    target: Option<&'a str>,
) -> impl Fn(bool, Work<'_>) -> Result<()> + 'a {
    move |commit: bool, f: Work<'_>| r.write_as(cmd, target, commit, |w| f(w.store(), w.me()))
}

/// Shows what an operation says while it runs: warnings and a refused input's
/// problems on stderr, and a progress bar on a terminal.
pub(super) struct Shown<'a, 'c>(pub &'a Ctx<'c>);

impl Observer for Shown<'_, '_> {
    fn warn(&self, message: &str) {
        self.0.out.warn(message);
    }

    fn problem(&self, line: &str) {
        self.0.out.detail(line);
    }

    fn progress(&self, total: u64) -> Box<dyn Progress> {
        if !self.0.env.stderr_tty {
            return Box::new(Bar(indicatif::ProgressBar::hidden()));
        }
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template("hashing passwords {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Box::new(Bar(b))
    }
}

struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn step(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The whole input: a named file (read as the person, see `input::open_named`) or `-`.
pub(super) fn read_input(env: &crate::env::Env, file: &std::path::Path) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    open_input(env, file)?
        .read_to_end(&mut data)
        .map_err(|e| op::cannot_read(file, e))?;
    Ok(data)
}

/// The input: a named file (read as the person, see `input::open_named`) or `-`.
fn open_input(env: &crate::env::Env, file: &std::path::Path) -> Result<Box<dyn Read>> {
    if file.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    Ok(Box::new(crate::input::open_named(
        env,
        file,
        Kind::Invalid,
    )?))
}

/// The database server logs people in by its own verifier, which only a password can
/// make: a hash carried over lets nobody in there, which is said.
pub(super) fn warn_hashes_on_server(ctx: &Ctx<'_>, hashed: usize) {
    if hashed > 0 {
        ctx.out.warn(&format!(
            "{hashed} user(s) got a password hash: the PostgreSQL server cannot log them in until they are given a password (`gatehouse user passwd EMAIL`)"
        ));
    }
}

/// For people: a dry run lists every row it would create or update with its fields
/// (`role: user → admin`), and both runs warn about each row that grants admin or
/// replaces an admin's password — the rows a planted import file would need.
fn report_rows(ctx: &Ctx<'_>, report: &mut ImportReport) -> Result<()> {
    if matches!(ctx.out.format(), Format::Json | Format::Jsonl) {
        return Ok(());
    }
    let flags = |location: &Location, email: &str, flags: &[op::Flag]| {
        if !flags.is_empty() {
            let words: Vec<&str> = flags.iter().map(|f| f.text()).collect();
            ctx.out
                .warn(&format!("{location}: {email} {}", words.join(", ")));
        }
    };
    for (location, email, fl) in &report.tally.flagged {
        flags(location, email, fl);
    }
    let dry_run = report.dry_run;
    report.tally.each_row(|o| {
        let verb = match o.result {
            RowResult::Created => Some("create"),
            RowResult::Updated => Some("update"),
            RowResult::Skipped | RowResult::Unchanged => None,
        };
        if let Some(verb) = verb.filter(|_| dry_run) {
            ctx.out.note(&format!(
                "{}: {verb} {}: {}",
                o.location,
                o.email,
                field_changes(&o.changes)
            ));
        }
        flags(&o.location, &o.email, &o.flags);
        Ok(())
    })
}

/// `{"before": {"role": "user"}, "after": {"role": "admin"}}` as `role: user → admin`.
pub(super) fn field_changes(changes: &Value) -> String {
    let Some(after) = changes["after"].as_object() else {
        return String::new();
    };
    let show = |v: &Value| match v {
        Value::Null => "-".to_string(),
        other => crate::output::csv_cell(other),
    };
    let parts: Vec<String> = after
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match changes["before"].get(k) {
            Some(b) => format!("{k}: {} → {}", show(b), show(v)),
            None => format!("{k}: {}", show(v)),
        })
        .collect();
    if parts.is_empty() {
        "password".into()
    } else {
        parts.join(", ")
    }
}

/// The counts, as one line for people.
fn summary_line(report: &ImportReport) -> String {
    let t = &report.tally;
    let left = if report.left_out.is_empty() {
        String::new()
    } else {
        format!(", {} left out", report.left_out.len())
    };
    let would = if report.dry_run { "would be " } else { "" };
    // Who got what instead of a credential that cannot be used (each row is named above).
    let mut unusable = Vec::new();
    if t.generated_for_unusable > 0 {
        let n = t.generated_for_unusable;
        unusable.push(format!("{n} {would}given a generated password"));
    }
    if t.inactive_for_unusable > 0 {
        unusable.push(format!("{} {would}left inactive", t.inactive_for_unusable));
    }
    let unusable = if unusable.is_empty() {
        String::new()
    } else {
        format!(" ({} for want of a usable password)", unusable.join(", "))
    };
    format!(
        "{} {would}created{unusable}, {} {would}updated, {} {would}skipped, {} unchanged{left}{}",
        t.created,
        t.updated,
        t.skipped,
        t.unchanged,
        if report.dry_run {
            " (dry run: nothing was changed)"
        } else {
            ""
        }
    )
}

/// Counts, the per-row results, and generated passwords (printed once).
fn summary(ctx: &Ctx<'_>, report: &mut ImportReport) -> Result<()> {
    report_rows(ctx, report)?;
    // The accounts of an export left out, by why, with where they are.
    let mut why_left: BTreeMap<LeftOut, Vec<Location>> = BTreeMap::new();
    for (loc, why) in &report.left_out {
        why_left.entry(*why).or_default().push(loc.clone());
    }
    for (why, locs) in &why_left {
        ctx.out.note(&format!(
            "left out {} {}: {}",
            rows_count(locs.len()),
            why.why(),
            compact(locs)
        ));
    }
    let line = summary_line(report);
    match ctx.out.format() {
        Format::Jsonl => {
            // One object per row (a dry run's too), for `jq -c` and `while read`; the
            // counts are for people, on stderr.
            ctx.out.note(&line);
            print_jsonl(ctx.out, report)
        }
        Format::Json => print_json(ctx.out, report, &why_left),
        Format::Csv if report.generated.is_empty() => {
            let mut list = ctx.out.list(&["email", "id", "result"]);
            report.tally.each_row(|o| {
                let id = o.id.map(|i| i.to_string()).unwrap_or_default();
                let cells = vec![o.email.clone(), id, o.result.as_str().into()];
                list.push(cells, &Value::Null)
            })?;
            list.finish()
        }
        Format::Table | Format::Html | Format::Csv if report.generated.is_empty() => {
            ctx.out.record(&Value::Null, &[line])
        }
        Format::Table | Format::Html | Format::Csv => {
            // The passwords are the data on stdout; the summary goes to stderr.
            ctx.out.note(&line);
            print_passwords(ctx.out, &report.generated)
        }
    }
}

/// The passwords generated, as CSV on stdout.
pub(super) fn print_passwords(
    out: &Output,
    generated: &[(String, secrecy::SecretString)],
) -> Result<()> {
    let mut list = out.list_in(Format::Csv, &["email", "password"]);
    for (e, pw) in generated {
        list.push(
            vec![e.clone(), pw.expose_secret().to_string()],
            &Value::Null,
        )?;
    }
    list.finish()
}

/// A row's id for the output: a dry run's new rows were rolled back and have none.
fn shown_id(o: &Outcome, dry_run: bool) -> Value {
    match (dry_run, o.result) {
        (true, RowResult::Created) => Value::Null,
        _ => json!(o.id),
    }
}

/// A row's flags as their words.
fn flag_words(o: &Outcome) -> Vec<&'static str> {
    o.flags.iter().map(|f| f.text()).collect()
}

fn print_jsonl(out: &Output, report: &mut ImportReport) -> Result<()> {
    let dry_run = report.dry_run;
    let generated = &report.generated;
    let mut list = out.list(&[]);
    report.tally.each_row(|o| {
        let mut v = json!({
            "location": o.location.to_string(), "email": o.email, "id": shown_id(o, dry_run),
            "result": o.result.as_str(), "changes": o.changes, "flags": flag_words(o),
            "dry_run": dry_run,
        });
        if let Some((_, pw)) = generated.iter().find(|(e, _)| *e == o.email) {
            v["generated_password"] = json!(pw.expose_secret());
        }
        list.push(Vec::new(), &v)
    })?;
    list.finish()
}

/// One line, its keys in order (as the store's other JSON), the rows streamed.
fn print_json(
    out: &Output,
    report: &mut ImportReport,
    why_left: &BTreeMap<LeftOut, Vec<Location>>,
) -> Result<()> {
    let counts = |pairs: &[(&str, Value)]| {
        pairs
            .iter()
            .try_for_each(|(k, v)| out.raw(&format!(",\"{k}\":{v}")))
    };
    let (dry_run, t) = (report.dry_run, &report.tally);
    out.raw(&format!("{{\"created\":{}", t.created))?;
    counts(&[("dry_run", json!(dry_run))])?;
    if !report.generated.is_empty() {
        let list: Vec<Value> = report
            .generated
            .iter()
            .map(|(e, pw)| json!({ "email": e, "password": pw.expose_secret() }))
            .collect();
        counts(&[("generated_passwords", Value::Array(list))])?;
    }
    if !why_left.is_empty() {
        let v: serde_json::Map<String, Value> = why_left
            .iter()
            .map(|(why, locs)| (why.why().to_string(), json!(locs.len())))
            .collect();
        counts(&[("left_out", Value::Object(v))])?;
    }
    if t.generated_for_unusable + t.inactive_for_unusable > 0 {
        let v = json!({
            "generated": t.generated_for_unusable,
            "inactive": t.inactive_for_unusable,
        });
        counts(&[("no_usable_password", v)])?;
    }
    out.raw(",\"rows\":[")?;
    let mut first = true;
    report.tally.each_row(|o| {
        let row = json!({
            "email": o.email, "id": shown_id(o, dry_run), "result": o.result.as_str(),
            "changes": o.changes, "flags": flag_words(o),
        });
        out.raw(if first { "" } else { "," })?;
        first = false;
        out.raw(&row.to_string())
    })?;
    out.raw("]")?;
    let t = &report.tally;
    counts(&[
        ("skipped", json!(t.skipped)),
        ("unchanged", json!(t.unchanged)),
        ("updated", json!(t.updated)),
    ])?;
    out.raw("}\n")
}
