//! `user import` and `user export`. Import writes in one transaction — all rows or none —
//! and reports every bad row of the file. A file under 1,000 rows (`BATCH`) is planned and its
//! passwords hashed (in parallel on all cores) before the write lock is taken; a larger
//! one is read as a stream and planned, hashed and written a batch at a time inside the
//! transaction, so memory does not grow with the file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Read, Seek, Write};

use rayon::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::{authorize, change_entry, policy, write_as, Ctx};
use crate::authz::Command;
use crate::cli::{ExportArgs, Format, ImportArgs, OnConflict, UnusableHash};
use crate::error::{Error, Kind, Problem, Result};
use crate::import::{self, InputFormat, Location, Parsed, Row, RowError};
use crate::model::{fmt_ts, Role, Status};
use crate::output::{UserView, USER_IMPORT_FIELDS};
use crate::password::{self, Owner};
use crate::store::{NewUser, Store, User, UserChanges};

/// What will happen to one row.
pub(super) enum Plan {
    Create {
        row: Row,
        secret: Secret,
    },
    Update {
        row: Row,
        user: Box<User>,
        secret: Option<Secret>,
    },
    Skip {
        row: Row,
        id: i64,
    },
    Unchanged {
        row: Row,
        id: i64,
    },
}

/// Where a row's password comes from.
pub(super) enum Secret {
    /// Plaintext from the file, or generated (then printed once).
    Plain { pw: SecretString, generated: bool },
    /// A PHC string from the file, stored as it is.
    Hash(String),
}

/// The whole input: a named file (read as the person, see `input::open_named`) or `-`.
pub(super) fn read_input(env: &crate::env::Env, file: &std::path::Path) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    open_input(env, file)?
        .read_to_end(&mut data)
        .map_err(|e| cannot_read(file, e))?;
    Ok(data)
}

fn cannot_read(file: &std::path::Path, e: std::io::Error) -> Error {
    Error::invalid(format!(
        "cannot read `{}`: {e}",
        crate::model::printable(&file.to_string_lossy())
    ))
}

/// The passwords generated for accounts really created (never a dry run's), to show once.
pub(super) fn generated_passwords<'a>(
    plans: &'a [Plan],
    created: &HashSet<&str>,
    dry_run: bool,
) -> Vec<(String, &'a SecretString)> {
    plans
        .iter()
        .filter_map(|p| match p {
            Plan::Create {
                row,
                secret:
                    Secret::Plain {
                        pw,
                        generated: true,
                    },
            } if !dry_run && created.contains(row.email.as_str()) => {
                Some((row.email.to_string(), pw))
            }
            _ => None,
        })
        .collect()
}

/// Rows planned, hashed and written at a time.
const BATCH: usize = 1000;

pub fn import(ctx: &Ctx<'_>, args: &ImportArgs) -> Result<()> {
    let (store, actor) = ctx.login()?;
    let label = args.file.display().to_string();
    authorize(&store, &actor.user, Command::UserImport, Some(&label))?;
    let mut input = open_input(ctx.env, &args.file)?;
    let mut head = read_head(&mut input, &args.file)?;
    // A workbook is read from its first sheet, as the CSV that sheet would save as.
    let workbook = args.input_format.is_none_or(|f| f == InputFormat::Csv)
        && import::is_workbook(args.file.to_str(), &head);
    if workbook {
        input.read_to_end(&mut head)?;
        head = import::workbook_to_csv(head)?;
        input = Box::new(std::io::empty());
    }
    let format = match args.input_format {
        Some(f) => f,
        // --passwd says what the file is.
        None if args.passwd.is_some() => InputFormat::Shadow,
        None if workbook => InputFormat::Csv,
        None => {
            // Another system's export would be refused column by column: name its preset.
            if let Some(r) = import::recognise(&head) {
                return Err(unnamed_export(r));
            }
            InputFormat::detect_in(args.file.to_str(), &head, args.encoding.as_deref())
        }
    };
    // Accounts of another system's export that are not people gatehouse holds.
    let mut left_out: Vec<(Location, import::LeftOut)> = Vec::new();
    let mut rows: import::Rows = match (format, &args.passwd, &args.email_domain) {
        (InputFormat::Supabase | InputFormat::Keycloak, None, None) => {
            let mut data = head;
            input.read_to_end(&mut data)?;
            let data = import::decode(data, args.encoding.as_deref())?;
            let preset = import::parse_preset(&data, format, args.delimiter)?;
            for w in &preset.warnings {
                ctx.out.warn(w);
            }
            left_out = preset.left_out;
            Box::new(preset.rows.into_iter().map(Ok))
        }
        (InputFormat::Shadow, Some(passwd), Some(domain)) => {
            let mut data = head;
            input.read_to_end(&mut data)?;
            let data = import::decode(data, args.encoding.as_deref())?;
            let mut passwd_data = Vec::new();
            crate::input::open_named(ctx.env, passwd, Kind::Invalid)?
                .read_to_end(&mut passwd_data)?;
            Box::new(import::parse_shadow(&data, &passwd_data, domain)?.into_iter().map(Ok))
        }
        (InputFormat::Shadow, _, _) => {
            return Err(Error::usage(
                "--input-format shadow needs --passwd FILE and --email-domain DOMAIN",
            )
            .with_hint("gatehouse user import /etc/shadow --input-format shadow --passwd /etc/passwd --email-domain example.com"))
        }
        (_, None, None) => {
            let opts = import::ReadOptions {
                day_first: args.day_first,
                unknown_columns: args.unknown_columns,
            };
            let (delimiter, encoding) = match workbook {
                true => (Some(b','), None),
                false => (args.delimiter, args.encoding.as_deref()),
            };
            let (rows, warnings) =
                import::rows_with(head, input, format, delimiter, encoding, opts)?;
            for w in &warnings {
                ctx.out.warn(w);
            }
            rows
        }
        _ => {
            return Err(Error::usage(
                "--passwd and --email-domain go with --input-format shadow",
            ))
        }
    };

    let json = matches!(ctx.out.format(), Format::Json | Format::Jsonl);
    let opts = Options::of(args, args.dry_run || json);
    let dry_run = args.dry_run;
    // Every row's outcome is kept (in a temporary file) only when the output lists them.
    let keep_rows = dry_run || json || ctx.out.format() == Format::Csv;
    let mut run = Run {
        planner: Planner::new(&opts, policy(&store)?),
        tally: Tally::new(keep_rows)?,
        generated: Vec::new(),
        hashes_given: 0,
    };
    let first = next_batch(&mut rows)?;
    // A file of one batch is planned and its passwords hashed before the write lock is
    // taken, so the slow part never holds up other commands; a larger one is read,
    // planned, hashed and written a batch at a time inside its one transaction, so
    // memory does not grow with the file.
    let mut start = if first.len() < BATCH {
        let p = run.prepare(ctx, &store, first, dry_run)?;
        if run.planner.has_problems() {
            run.planner.warn_ignored(ctx);
            return Err(run.planner.refusal(ctx));
        }
        Start::Planned(p)
    } else {
        Start::Stream(first)
    };
    // One transaction of many rows: a larger page cache keeps more of the indexes in
    // memory (and bounds what the import holds).
    store.set_cache_kib(16 * 1024)?;
    write_as(
        &store,
        &actor,
        Command::UserImport,
        Some(&label),
        !dry_run,
        |s, me| {
            let mut w = Writer::new(s, me, &opts);
            if let Start::Planned(p) = &start {
                // A transaction the server asks to retry writes the plan again.
                run.restart()?;
                run.write(&mut w, p, dry_run)?;
            } else if let Start::Stream(mut batch) = std::mem::replace(&mut start, Start::Consumed)
            {
                w.planned_inside = true;
                while !batch.is_empty() {
                    let p = run.prepare(ctx, s, batch, dry_run)?;
                    run.write(&mut w, &p, dry_run)?;
                    batch = next_batch(&mut rows)?;
                }
            } else {
                return Err(Error::new(
                    Kind::Busy,
                    "the store asked to retry the import, whose input was already read",
                )
                .with_hint("nothing was imported; run it again"));
            }
            // Every problem of the file is reported at once, and nothing is kept.
            if run.planner.has_problems() {
                run.planner.warn_ignored(ctx);
                return Err(run.planner.refusal(ctx));
            }
            Ok(())
        },
    )?;
    run.planner.warn_ignored(ctx);
    warn_hashes_on_server(ctx, &store, run.hashes_given);
    summary(ctx, run.tally, &run.generated, &left_out, dry_run)
}

/// The error for another system's export given without `--input-format`.
fn unnamed_export(r: import::Recognised) -> Error {
    let what = r.what;
    match r.preset {
        Some("shadow") => Error::usage(format!(
            "this looks like {what}: a host's accounts are read from /etc/shadow with /etc/passwd"
        ))
        .with_hint(
            "gatehouse user import /etc/shadow --passwd /etc/passwd --email-domain example.com",
        ),
        Some(preset) => Error::usage(format!(
            "this looks like {what}: read it with --input-format {preset}"
        ))
        .with_hint(format!(
            "gatehouse user import FILE --input-format {preset} (see `gatehouse user import --help`)"
        )),
        None => Error::usage(format!(
            "this looks like {what}, which gatehouse has no preset for: its passwords are \
             Firebase's modified scrypt, which needs the project's hash key"
        ))
        .with_hint(
            "make a CSV with the header `email,name` of its users (jq -r '.users[] | \
             select(.email) | [.email, (.email | split(\"@\")[0])] | @csv') and import \
             that with --generate-passwords",
        ),
    }
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

/// The input's first 64 KiB (or all of it), to tell its format and encoding by.
fn read_head(input: &mut Box<dyn Read>, file: &std::path::Path) -> Result<Vec<u8>> {
    let mut head = Vec::new();
    input
        .by_ref()
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| cannot_read(file, e))?;
    Ok(head)
}

/// Up to [`BATCH`] rows; a problem with the whole input ends the import.
fn next_batch(rows: &mut import::Rows) -> Result<Vec<Parsed>> {
    rows.by_ref().take(BATCH).collect()
}

/// Where the write transaction starts: a small file's plan, made before it, or the
/// first batch of a file read as a stream inside it.
enum Start {
    Planned(Prepared),
    Stream(Vec<Parsed>),
    Consumed,
}

/// A batch of rows planned, with the hashes of its plaintext passwords.
struct Prepared {
    plans: Vec<Plan>,
    hashes: HashMap<usize, String>,
}

/// An import under way: the planner (with what it has seen of the file), the outcomes
/// so far, and the passwords generated for new accounts.
struct Run<'a> {
    planner: Planner<'a>,
    tally: Tally,
    generated: Vec<(String, SecretString)>,
    /// Rows that carry a password hash rather than a password.
    hashes_given: usize,
}

impl Run<'_> {
    fn prepare(
        &mut self,
        ctx: &Ctx<'_>,
        store: &Store,
        batch: Vec<Parsed>,
        dry_run: bool,
    ) -> Result<Prepared> {
        let plans = self.planner.batch(store, batch)?;
        // Once the file has a bad row nothing will be kept: the rest is only checked
        // (and written, so that later rows are checked against it), never hashed.
        let doomed = self.planner.has_problems();
        let plans = if doomed {
            plans
        } else {
            settle_same_passwords(store, plans)?
        };
        // A dry run goes through the same transaction and checks (the last-admin guard
        // included) and rolls back; it needs no real hashes.
        let hashes = if dry_run || doomed {
            placeholder_hashes(&plans)
        } else {
            hash_all(ctx, &plans)?
        };
        Ok(Prepared { plans, hashes })
    }

    /// Forgets what an attempt at the transaction wrote.
    fn restart(&mut self) -> Result<()> {
        self.tally.clear()?;
        self.generated.clear();
        self.hashes_given = 0;
        Ok(())
    }

    fn write(&mut self, w: &mut Writer<'_>, p: &Prepared, dry_run: bool) -> Result<()> {
        let outcomes = w.rows(&p.plans, &p.hashes)?;
        self.planner.written(&outcomes);
        // Passwords are shown only for accounts that were really created with them.
        let created: HashSet<&str> = outcomes
            .iter()
            .filter(|o| o.result == "created")
            .map(|o| o.email.as_str())
            .collect();
        self.generated.extend(
            generated_passwords(&p.plans, &created, dry_run)
                .into_iter()
                .map(|(e, pw)| (e, pw.clone())),
        );
        self.hashes_given += hashes_given(&p.plans);
        self.tally.add(outcomes)
    }
}

/// How many plans store a hash from the input as it is.
pub(super) fn hashes_given(plans: &[Plan]) -> usize {
    plans
        .iter()
        .filter(|p| {
            matches!(
                p,
                Plan::Create {
                    secret: Secret::Hash(_),
                    ..
                } | Plan::Update {
                    secret: Some(Secret::Hash(_)),
                    ..
                }
            )
        })
        .count()
}

/// The database server logs people in by its own verifier, which only a password can
/// make: a hash carried over lets nobody in there, which is said.
pub(super) fn warn_hashes_on_server(ctx: &Ctx<'_>, store: &Store, hashed: usize) {
    if store.connected_role().is_some() && hashed > 0 {
        ctx.out.warn(&format!(
            "{hashed} user(s) got a password hash: the PostgreSQL server cannot log them in until they are given a password (`gatehouse user passwd EMAIL`)"
        ));
    }
}

/// Reports every problem planning found, in one pass, and the error that ends the run.
/// A package missing from many rows is one line with the rows listed compactly, since
/// the fix is one command rather than an edit per row.
pub(super) fn refusal(
    ctx: &Ctx<'_>,
    opts: &Options,
    errors: &[RowError],
    conflicts: &[RowError],
    missing: &BTreeMap<String, Vec<Location>>,
) -> Error {
    let mut problems = Vec::new();
    for e in errors.iter().chain(conflicts) {
        ctx.out.detail(&format!("  {e}"));
        problems.push(Problem {
            location: e.location.to_string(),
            field: e.column.clone(),
            reason: e.reason.clone(),
        });
    }
    for (name, rows) in missing {
        let count = match opts.source {
            Source::Import => rows_count(rows.len()),
            Source::Apply if rows.len() == 1 => "1 user".into(),
            Source::Apply => format!("{} users", rows.len()),
        };
        let line = format!("no package named `{name}` ({count}: {})", compact(rows));
        ctx.out.detail(&format!("  {line}"));
        problems.extend(rows.iter().map(|l| Problem {
            location: l.to_string(),
            field: Some("packages".into()),
            reason: format!("no package named `{name}`"),
        }));
    }
    let bad: HashSet<&Location> = errors
        .iter()
        .chain(conflicts)
        .map(|e| &e.location)
        .chain(missing.values().flatten())
        .collect();
    let only_conflicts = errors.is_empty() && missing.is_empty();
    let kind = if only_conflicts {
        Kind::Conflict
    } else {
        Kind::Invalid
    };
    let apply = opts.source == Source::Apply;
    let noun = if apply { "entries" } else { "rows" };
    let mut hint = if only_conflicts {
        "use --on-conflict skip or --on-conflict update for emails already in the store".to_string()
    } else {
        format!("fix the {noun} above and run again")
    };
    if !missing.is_empty() {
        let names: Vec<&str> = missing.keys().map(String::as_str).collect();
        let first = shell_word(names[0]);
        let s = if names.len() == 1 { "" } else { "s" };
        let others = if errors.is_empty() && conflicts.is_empty() {
            String::new()
        } else {
            format!("fix the other {noun}, and ")
        };
        hint = if apply {
            format!("{others}list the missing package{s} under `packages` in the file")
        } else {
            format!(
                "{others}create the missing package{s} first (`gatehouse package create {first}`{}) or rerun with --create-packages",
                if names.len() == 1 { "" } else { ", …" },
            )
        };
    }
    let n = bad.len();
    let message = match (apply, n) {
        (true, 1) => "1 bad entry; nothing was changed".to_string(),
        (true, _) => format!("{n} bad entries; nothing was changed"),
        (false, _) => format!(
            "{}; nothing was imported",
            rows_count(n).replace("row", "bad row")
        ),
    };
    Error::new(kind, message)
        .with_hint(hint)
        .with_problems(problems)
}

/// A name as one shell word, for a command to copy.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '@'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn rows_count(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// `lines 2–13, 15` or `items 1, 4`: runs of consecutive rows as ranges.
fn compact(rows: &[Location]) -> String {
    let number = |l: &Location| match l {
        Location::Line(n) => ("line", "lines", *n),
        Location::Item(n) => ("item", "items", *n as u64),
        Location::Entry(list, n) => (list.name(), list.name(), *n as u64),
    };
    let Some((one, many, _)) = rows.first().map(number) else {
        return String::new();
    };
    let mut nums: Vec<u64> = rows
        .iter()
        .map(number)
        .filter(|(w, _, _)| *w == one)
        .map(|(_, _, n)| n)
        .collect();
    nums.sort_unstable();
    nums.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        runs.push(match j - i {
            0 => nums[i].to_string(),
            1 => format!("{}, {}", nums[i], nums[j]),
            _ => format!("{}–{}", nums[i], nums[j]),
        });
        i = j + 1;
    }
    if let Some(Location::Entry(list, _)) = rows.first() {
        return format!("{}[{}]", list.name(), runs.join(", "));
    }
    format!(
        "{} {}",
        if nums.len() == 1 { one } else { many },
        runs.join(", ")
    )
}

/// Stand-ins for the hashes a dry run does not compute.
pub(super) fn placeholder_hashes(plans: &[Plan]) -> HashMap<usize, String> {
    plans
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            matches!(
                p,
                Plan::Create {
                    secret: Secret::Plain { .. },
                    ..
                } | Plan::Update {
                    secret: Some(Secret::Plain { .. }),
                    ..
                }
            )
        })
        .map(|(i, _)| (i, password::PLACEHOLDER_HASH.to_string()))
        .collect()
}

/// Validates every row against the store (read-only): duplicates in the file, unknown
/// packages, missing names or passwords, the password policy, conflicts.
pub(super) fn plan(
    store: &Store,
    parsed: Vec<Parsed>,
    opts: &Options,
    policy: password::Policy,
) -> Result<Planned> {
    let mut p = Planner::new(opts, policy);
    let plans = p.batch(store, parsed)?;
    Ok(Planned {
        plans,
        errors: p.errors,
        conflicts: p.conflicts,
        missing: p.missing,
    })
}

/// What planning found.
pub(super) struct Planned {
    pub plans: Vec<Plan>,
    pub errors: Vec<RowError>,
    pub conflicts: Vec<RowError>,
    /// Each package the file names that does not exist, and the rows that name it.
    pub missing: BTreeMap<String, Vec<Location>>,
}

/// How rows are planned and written: `user import`'s flags, or `apply`'s fixed choices.
pub(super) struct Options {
    pub source: Source,
    /// Whether each row's outcome keeps its field changes (JSON output, dry runs, plans);
    /// otherwise a large import would hold them all until its summary.
    pub keep_changes: bool,
    pub on_conflict: OnConflict,
    pub generate_passwords: bool,
    /// `--unusable-hash`: what a new user whose credential cannot be used gets.
    pub unusable_hash: UnusableHash,
    pub create_packages: bool,
    /// `--must-change-password`: what a new user's row that says nothing gets.
    pub must_change: bool,
    /// Keys of packages that do not exist yet but will when the rows are written.
    pub declared_packages: Vec<String>,
    /// What the audit trail calls a user created, and one changed.
    pub audit_create: Command,
    pub audit_update: Command,
}

/// Which command the rows come from, for its messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Import,
    Apply,
}

impl Options {
    fn of(args: &ImportArgs, keep_changes: bool) -> Options {
        Options {
            keep_changes,
            source: Source::Import,
            on_conflict: args.on_conflict,
            generate_passwords: args.generate_passwords,
            unusable_hash: args.unusable_hash,
            create_packages: args.create_packages,
            must_change: args.must_change_password,
            declared_packages: Vec::new(),
            audit_create: Command::UserImport,
            audit_update: Command::UserImport,
        }
    }
}

/// The plan being made, a batch of rows at a time: what the file holds so far (to find
/// an email given twice), package names known to exist, and the bad rows and conflicts
/// found.
pub(super) struct Planner<'a> {
    opts: &'a Options,
    policy: password::Policy,
    seen: Seen,
    /// Whether a package exists, by its key and by the spellings the file used.
    packages: HashMap<String, bool>,
    spelled: HashMap<String, bool>,
    errors: Vec<RowError>,
    conflicts: Vec<RowError>,
    missing: BTreeMap<String, Vec<Location>>,
    /// Rows whose password or hash --generate-passwords set aside.
    ignored_secrets: usize,
    /// Rows whose phone has neither a `+` nor a leading 0: a spreadsheet that took it
    /// for a number drops them.
    bare_phones: Vec<Location>,
}

/// Where each email of the file was first given. The rows already written are found
/// through the store (in the import's own transaction) and then by user id, so a large
/// file costs a few bytes per row rather than its emails.
#[derive(Default)]
struct Seen {
    /// This batch's rows.
    batch: HashMap<String, Location>,
    /// Rows that were not written (they have problems).
    unwritten: HashMap<String, Location>,
    /// Users created by earlier batches, by id: the number of the line (or item) they
    /// came from, as runs of consecutive ids from consecutive lines `(id, line, len)` —
    /// a handful for a whole file, however long.
    created: Vec<(i64, u64, u64)>,
    /// Users that existed before, given by earlier batches.
    existing: HashMap<i64, u64>,
}

impl Seen {
    /// The earlier row of the same email as the row at `here`, if any; `id` is the user
    /// the store has.
    fn earlier(&self, here: &Location, email: &str, id: Option<i64>) -> Option<Location> {
        if let Some(l) = self.batch.get(email).or_else(|| self.unwritten.get(email)) {
            return Some(l.clone());
        }
        let id = id?;
        // The last run that starts at or before the id.
        let run = self.created.partition_point(|(start, _, _)| *start <= id);
        let n = match run.checked_sub(1).map(|i| self.created[i]) {
            Some((start, line, len)) if id < start + len as i64 => line + (id - start) as u64,
            _ => *self.existing.get(&id)?,
        };
        Some(here.at(n))
    }

    fn created(&mut self, id: i64, n: u64) {
        match self.created.last_mut() {
            Some((start, line, len)) if id == *start + *len as i64 && n == *line + *len => {
                *len += 1
            }
            Some((start, _, _)) if id < *start => {
                self.created.push((id, n, 1));
                self.created.sort_unstable_by_key(|(start, _, _)| *start);
            }
            _ => self.created.push((id, n, 1)),
        }
    }
}

impl<'a> Planner<'a> {
    pub(super) fn new(opts: &'a Options, policy: password::Policy) -> Planner<'a> {
        Planner {
            opts,
            policy,
            seen: Seen::default(),
            // Packages the caller will have made by the time the rows are written.
            packages: opts
                .declared_packages
                .iter()
                .map(|k| (k.clone(), true))
                .collect(),
            spelled: HashMap::new(),
            errors: Vec::new(),
            conflicts: Vec::new(),
            missing: BTreeMap::new(),
            ignored_secrets: 0,
            bare_phones: Vec::new(),
        }
    }

    /// Plans a batch of rows; their problems are kept for [`Planner::refusal`].
    fn batch(&mut self, store: &Store, parsed: Vec<Parsed>) -> Result<Vec<Plan>> {
        // Who exists already, asked in one round trip rather than one per row.
        let emails: Vec<&str> = parsed
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|r| r.email.as_str()))
            .collect();
        let mut known = HashMap::new();
        for chunk in emails.chunks(10_000) {
            known.extend(store.user_ids_by_email(chunk)?);
        }
        let mut plans = Vec::with_capacity(parsed.len());
        for parsed_row in parsed {
            match parsed_row {
                Ok(row) => {
                    let id = known.get(row.email.as_str()).copied();
                    if let Some(plan) = self.row(store, row, id)? {
                        plans.push(plan);
                    }
                }
                Err(mut es) => self.errors.append(&mut es),
            }
        }
        Ok(plans)
    }

    /// Notes who the batch's rows were written to, once they are.
    fn written(&mut self, outcomes: &[Outcome]) {
        for o in outcomes {
            let Some(id) = o.id else { continue };
            let n = o.location.number();
            if o.result == "created" {
                self.seen.created(id, n);
            } else {
                self.seen.existing.insert(id, n);
            }
        }
        self.seen.batch.clear();
    }

    pub(super) fn has_problems(&self) -> bool {
        !self.errors.is_empty() || !self.conflicts.is_empty() || !self.missing.is_empty()
    }

    /// Says how many rows' secrets --generate-passwords set aside, and which phones may
    /// have lost their leading zeros.
    fn warn_ignored(&self, ctx: &Ctx<'_>) {
        if !self.bare_phones.is_empty() {
            ctx.out.warn(&format!(
                "{} with a phone that has neither `+` nor a leading 0 ({}): a spreadsheet that \
                 read it as a number drops them — check those numbers",
                rows_count(self.bare_phones.len()),
                compact(&self.bare_phones)
            ));
        }
        if self.ignored_secrets > 0 {
            ctx.out.warn(&format!(
                "--generate-passwords: ignored the password or password_hash of {} row(s) of the file",
                self.ignored_secrets
            ));
        }
    }

    /// The error that ends the run, with every problem found reported.
    fn refusal(&self, ctx: &Ctx<'_>) -> Error {
        refusal(ctx, self.opts, &self.errors, &self.conflicts, &self.missing)
    }
}

fn row_error(row: &Row, column: &str, reason: String) -> RowError {
    RowError {
        location: row.location.clone(),
        column: Some(column.into()),
        reason,
    }
}

impl Planner<'_> {
    /// Plans one row; `None` if it has problems (kept) or repeats an earlier email.
    fn row(&mut self, store: &Store, row: Row, id: Option<i64>) -> Result<Option<Plan>> {
        if let Some(p) = row.phone.as_ref().and_then(|p| p.0.as_deref()) {
            let p = p.trim_start_matches(['(', ' ']);
            let import = self.opts.source == Source::Import;
            if import && !p.starts_with(['+', '0']) && self.bare_phones.len() < 10_000 {
                self.bare_phones.push(row.location.clone());
            }
        }
        if let Some(first) = self.seen.earlier(&row.location, row.email.as_str(), id) {
            let why = format!("`{}` appears twice (also at {first})", row.email);
            self.errors.push(row_error(&row, "email", why));
            return Ok(None);
        }
        let email = row.email.to_string();
        let location = row.location.clone();
        let plan = self.plan_row(store, row, id)?;
        // A row with problems is not written, so the store will not know its email.
        let seen = if plan.is_some() {
            &mut self.seen.batch
        } else {
            &mut self.seen.unwritten
        };
        seen.insert(email, location);
        Ok(plan)
    }

    fn plan_row(&mut self, store: &Store, row: Row, id: Option<i64>) -> Result<Option<Plan>> {
        // Most rows of a big import are new: ask for the id first, the full row only
        // when there is one.
        let existing = match id {
            Some(_) => store.user_by_email(row.email.as_str())?,
            None => None,
        };
        let names_missing = self.missing_packages(store, &row)?;
        let mut row_errors = self.check(store, &row, existing.as_ref());
        if !row_errors.is_empty() || names_missing {
            self.errors.append(&mut row_errors);
            return Ok(None);
        }
        // With --generate-passwords the file supplies no secrets: whoever wrote it must
        // not know any imported account's password.
        let has_secret =
            row.password.is_some() || row.password_hash.is_some() || row.unusable.is_some();
        if self.opts.generate_passwords && has_secret {
            self.ignored_secrets += 1;
        }
        let mut row = row;
        if !self.opts.generate_passwords {
            if let Some(why) = row.unusable.clone() {
                if let Some(e) = self.unusable(&mut row, existing.is_some(), why) {
                    self.errors.push(e);
                    return Ok(None);
                }
            }
        }
        let secret = match (&row.password, &row.password_hash) {
            // Nobody is told this one: the account waits for `user passwd`.
            _ if row.note == Some(import::Note::Inactive) => Some(Secret::Plain {
                pw: password::generate()?,
                generated: false,
            }),
            _ if self.opts.generate_passwords || row.generate_password => None,
            (Some(pw), _) => Some(Secret::Plain {
                pw: pw.clone(),
                generated: false,
            }),
            (None, Some(h)) => Some(Secret::Hash(h.clone())),
            (None, None) => None,
        };
        match existing {
            None => self.create(row, secret),
            Some(user) => Ok(self.existing(row, user, secret)),
        }
    }

    /// Decides for a row whose credential cannot be used, by `--unusable-hash`: its
    /// problem under `refuse`, else `None` with the row set to what the account gets. An
    /// existing user keeps the password they have.
    fn unusable(&mut self, row: &mut Row, exists: bool, why: String) -> Option<RowError> {
        let choice = match self.opts.source {
            Source::Import => self.opts.unusable_hash,
            Source::Apply => {
                let why = format!("{why}; give this user another password source");
                return Some(row_error(row, "password_hash", why));
            }
        };
        match choice {
            UnusableHash::Refuse => {
                let why = format!(
                    "{why}; give such users a new password with --unusable-hash generate, \
                     or import them inactive with --unusable-hash inactive (the other rows \
                     keep their hashes)"
                );
                Some(row_error(row, "password_hash", why))
            }
            _ if exists => None,
            UnusableHash::Generate => {
                row.generate_password = true;
                row.must_change_password = Some(true);
                row.note = Some(import::Note::Generated);
                None
            }
            UnusableHash::Inactive => {
                row.status = Some(Status::Inactive);
                row.must_change_password = Some(true);
                row.note = Some(import::Note::Inactive);
                None
            }
        }
    }

    /// Notes the packages a row names that do not exist; true if there are any. With
    /// --create-packages none is missing: the write creates them.
    fn missing_packages(&mut self, store: &Store, row: &Row) -> Result<bool> {
        if self.opts.create_packages {
            return Ok(false);
        }
        let mut any = false;
        for p in row.packages.iter().flatten() {
            // A name spelled as before is the same package, without folding it again.
            let exists = match self.spelled.get(p.as_str()) {
                Some(e) => *e,
                None => {
                    let e = match self.packages.get(&p.key()) {
                        Some(e) => *e,
                        None => {
                            let e = store.package_by_name(p.as_str())?.is_some();
                            self.packages.insert(p.key(), e);
                            e
                        }
                    };
                    self.spelled.insert(p.to_string(), e);
                    e
                }
            };
            if !exists {
                any = true;
                self.missing
                    .entry(p.to_string())
                    .or_default()
                    .push(row.location.clone());
            }
        }
        Ok(any)
    }

    /// A password the policy refuses.
    fn check(&mut self, store: &Store, row: &Row, existing: Option<&User>) -> Vec<RowError> {
        let mut errors = Vec::new();
        let now = store.now();
        for (column, at) in [
            ("created_at", row.created_at),
            ("last_login_at", row.last_login_at),
        ] {
            if at.is_some_and(|t| t > now) {
                errors.push(row_error(row, column, "is in the future".into()));
            }
        }
        // With --generate-passwords the file's password is not used, so not judged.
        if let Some(pw) = row
            .password
            .as_ref()
            .filter(|_| !self.opts.generate_passwords)
        {
            let name = row
                .name
                .as_ref()
                .map(|n| n.to_string())
                .or_else(|| existing.map(|u| u.name.clone()))
                .unwrap_or_default();
            let owner = Owner {
                email: row.email.as_str(),
                name: &name,
            };
            if let Err(e) = password::check(pw, &self.policy, &owner) {
                errors.push(row_error(row, "password", e.message));
            }
        }
        errors
    }

    fn create(&mut self, row: Row, secret: Option<Secret>) -> Result<Option<Plan>> {
        if row.name.is_none() {
            let why = "is missing (required for a new user)".into();
            self.errors.push(row_error(&row, "name", why));
            return Ok(None);
        }
        let secret = match secret {
            Some(s) => s,
            None if self.opts.generate_passwords || row.generate_password => Secret::Plain {
                pw: password::generate()?,
                generated: true,
            },
            None => {
                let why = match self.opts.source {
                    Source::Import => {
                        "a new user needs `password` or `password_hash` (or use --generate-passwords)"
                    }
                    Source::Apply => {
                        "a new user needs a password source: password_env, password_file, password_hash or generate = true"
                    }
                };
                self.errors.push(row_error(&row, "password", why.into()));
                return Ok(None);
            }
        };
        Ok(Some(Plan::Create { row, secret }))
    }

    fn existing(&mut self, row: Row, user: User, secret: Option<Secret>) -> Option<Plan> {
        match self.opts.on_conflict {
            OnConflict::Fail => {
                let why = format!("`{}` already exists", row.email);
                self.conflicts.push(row_error(&row, "email", why));
                None
            }
            OnConflict::Skip => Some(Plan::Skip { row, id: user.id }),
            OnConflict::Update => {
                // A hash equal to the stored one changes nothing; a plaintext password
                // always does (we cannot tell it is the same without hashing).
                let same_secret = match &secret {
                    None => true,
                    Some(Secret::Hash(h)) => Some(h) == user.password_hash.as_ref(),
                    Some(Secret::Plain { .. }) => false,
                };
                if same_secret && !differs(&row, &user) {
                    Some(Plan::Unchanged { row, id: user.id })
                } else {
                    Some(Plan::Update {
                        row,
                        user: Box::new(user),
                        secret,
                    })
                }
            }
        }
    }
}

/// The row's changes to an existing user, as the store understands them.
fn changes(row: &Row) -> UserChanges {
    UserChanges {
        name: row.name.as_ref().map(|n| n.to_string()),
        full_name: row.full_name.clone().map(|f| f.0),
        phone: row.phone.clone().map(|p| p.0),
        role: row.role,
        status: row.status,
        expires_at: row.expires_at.map(|e| e.0),
        must_change_password: row.must_change_password,
    }
}

/// Whether applying the row (without its password) would change the user.
fn differs(row: &Row, u: &User) -> bool {
    let c = changes(row);
    let field = |new: Option<&Option<String>>, old: &Option<String>| new.is_some_and(|n| n != old);
    let mut d = c.name.as_ref().is_some_and(|n| *n != u.name)
        || field(c.full_name.as_ref(), &u.full_name)
        || field(c.phone.as_ref(), &u.phone)
        || c.role.is_some_and(|r| r != u.role)
        || c.status.is_some_and(|s| s != u.status)
        || c.must_change_password
            .is_some_and(|m| m != u.must_change_password)
        || c.expires_at.is_some_and(|e| e.map(fmt_ts) != u.expires_at);
    if let Some(pkgs) = &row.packages {
        let wanted: HashSet<String> = pkgs.iter().map(|p| p.key()).collect();
        let have: HashSet<String> = u
            .packages
            .iter()
            .map(|p| crate::model::package_key(p))
            .collect();
        d |= wanted != have;
    }
    d
}

/// An update row whose plaintext password is the one the user already has changes no
/// password: checked in parallel against the stored hash, such a row keeps its sessions
/// and, with nothing else to change, counts as unchanged. So `export | import
/// --on-conflict update` with a password column converges too.
pub(super) fn settle_same_passwords(store: &Store, plans: Vec<Plan>) -> Result<Vec<Plan>> {
    let same: HashSet<usize> = if store.connected_role().is_some() {
        // The database server holds the passwords: it answers, one login at a time.
        let mut same = HashSet::new();
        for (i, p) in plans.iter().enumerate() {
            if let Plan::Update {
                user,
                secret: Some(Secret::Plain { pw, .. }),
                ..
            } = p
            {
                if store.password_matches(user, pw)? {
                    same.insert(i);
                }
            }
        }
        same
    } else {
        plans
            .par_iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Plan::Update {
                    user,
                    secret: Some(Secret::Plain { pw, .. }),
                    ..
                } => user
                    .password_hash
                    .as_deref()
                    .is_some_and(|h| password::verify(pw, h))
                    .then_some(i),
                _ => None,
            })
            .collect()
    };
    if same.is_empty() {
        return Ok(plans);
    }
    let plans = plans
        .into_iter()
        .enumerate()
        .map(|(i, p)| match p {
            Plan::Update { row, user, .. } if same.contains(&i) => {
                if differs(&row, &user) {
                    Plan::Update {
                        row,
                        user,
                        secret: None,
                    }
                } else {
                    Plan::Unchanged { id: user.id, row }
                }
            }
            p => p,
        })
        .collect();
    Ok(plans)
}

/// Hashes every plaintext password in parallel on all cores, with a progress bar on a
/// terminal. Returns the PHC strings by plan index.
pub(super) fn hash_all(ctx: &Ctx<'_>, plans: &[Plan]) -> Result<HashMap<usize, String>> {
    let todo: Vec<(usize, &SecretString)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Plan::Create {
                secret: Secret::Plain { pw, .. },
                ..
            }
            | Plan::Update {
                secret: Some(Secret::Plain { pw, .. }),
                ..
            } => Some((i, pw)),
            _ => None,
        })
        .collect();
    // Each worker's hashing memory is large and zeroed: none when there is nothing to hash.
    if todo.is_empty() {
        return Ok(HashMap::new());
    }
    let bar = if ctx.env.stderr_tty {
        let b = indicatif::ProgressBar::new(todo.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("hashing passwords {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let hashed: Vec<(usize, Result<String>)> = todo
        .par_iter()
        .map_init(password::new_memory, |memory, (i, pw)| {
            let h = password::hash_with_memory(pw, memory);
            bar.inc(1);
            (*i, h)
        })
        .collect();
    bar.finish_and_clear();
    hashed.into_iter().map(|(i, h)| h.map(|h| (i, h))).collect()
}

/// One row's outcome, for the summary.
pub(super) struct Outcome {
    pub location: Location,
    pub email: String,
    pub id: Option<i64>,
    pub result: &'static str,
    /// The fields it sets: `{"before": {…}, "after": {…}}`.
    pub changes: Value,
    /// What an admin must look at before trusting the file.
    pub flags: Vec<&'static str>,
}

const GRANTS_ADMIN: &str = "grants admin";
/// `--unusable-hash generate` and `inactive`: who got which.
const NOTE_GENERATED: &str = "no usable password: generated one, to be changed at first login";
const NOTE_INACTIVE: &str = "no usable password: left inactive";
const REPLACES_ADMIN_PASSWORD: &str = "replaces an admin's password";

/// Writes the plans inside the caller's transaction, one outcome per row.
pub(super) fn write_rows(
    s: &Store,
    me: &User,
    plans: &[Plan],
    hashes: &HashMap<usize, String>,
    opts: &Options,
) -> Result<Vec<Outcome>> {
    Writer::new(s, me, opts).rows(plans, hashes)
}

impl<'a> Writer<'a> {
    fn new(s: &'a Store, me: &'a User, opts: &'a Options) -> Writer<'a> {
        Writer {
            s,
            me,
            package_ids: HashMap::new(),
            spelled: HashMap::new(),
            opts,
            planned_inside: false,
        }
    }

    /// Writes the plans inside the caller's transaction, one outcome per row.
    fn rows(&mut self, plans: &[Plan], hashes: &HashMap<usize, String>) -> Result<Vec<Outcome>> {
        let (s, on_conflict, w) = (self.s, self.opts.on_conflict, self);
        let mut out = Vec::with_capacity(plans.len());
        // Rows to create are written a batch at a time (one statement each for the lookup,
        // the users and their assignments); anything else flushes the batch first, so the
        // outcomes and the audit trail keep the file's order.
        let mut batch: Vec<(&Row, String, Option<&SecretString>)> = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let hash = |secret: &Secret| match secret {
                Secret::Hash(h) => h.clone(),
                Secret::Plain { .. } => hashes[&i].clone(),
            };
            if let Plan::Create { row, secret } = plan {
                let pw = match secret {
                    Secret::Plain { pw, .. } => Some(pw),
                    Secret::Hash(_) => None,
                };
                batch.push((row, hash(secret), pw));
                if batch.len() == CREATE_BATCH {
                    out.extend(w.create_batch(std::mem::take(&mut batch), on_conflict)?);
                }
                continue;
            }
            out.extend(w.create_batch(std::mem::take(&mut batch), on_conflict)?);
            let outcome = match plan {
                Plan::Create { .. } => unreachable!("handled above"),
                Plan::Update { row, user, secret } => {
                    w.update(row, user, secret.as_ref().map(hash))?
                }
                Plan::Skip { row, id } => Outcome::plain(row, *id, "skipped"),
                Plan::Unchanged { row, id } => Outcome::plain(row, *id, "unchanged"),
            };
            // Where the database server logs people in, a password also becomes their login.
            if let (
                Plan::Update {
                    secret: Some(Secret::Plain { pw, .. }),
                    ..
                },
                Some(id),
            ) = (plan, outcome.id)
            {
                if outcome.result == "updated" {
                    s.set_login(id, pw)?;
                }
            }
            out.push(outcome);
        }
        out.extend(w.create_batch(batch, on_conflict)?);
        Ok(out)
    }
}

/// Rows created per batch.
const CREATE_BATCH: usize = 1000;

impl Outcome {
    /// A row that changed nothing.
    fn plain(row: &Row, id: i64, result: &'static str) -> Outcome {
        Outcome {
            location: row.location.clone(),
            email: row.email.to_string(),
            id: Some(id),
            result,
            changes: Value::Null,
            flags: Vec::new(),
        }
    }
}

/// The import's writes, with package ids looked up once per name.
struct Writer<'a> {
    s: &'a Store,
    me: &'a User,
    /// Package ids by key, and by the spellings the file used.
    package_ids: HashMap<String, i64>,
    spelled: HashMap<String, i64>,
    opts: &'a Options,
    /// Whether the rows were planned inside the transaction they are written in.
    planned_inside: bool,
}

impl Writer<'_> {
    fn package_id(&mut self, name: &str) -> Result<i64> {
        // A name spelled as before is the same package, without folding it again.
        if let Some(id) = self.spelled.get(name) {
            return Ok(*id);
        }
        let key = crate::model::package_key(name);
        if let Some(id) = self.package_ids.get(&key).copied() {
            self.spelled.insert(name.to_string(), id);
            return Ok(id);
        }
        let p = match self.s.package_by_name(name)? {
            Some(p) => p,
            None if self.opts.create_packages => {
                let p = self.s.insert_package(name, None, self.me.id)?;
                self.s.append_audit(&change_entry(
                    self.me,
                    Command::PackageCreate {
                        users_can_create: false,
                    },
                    &p.name,
                    json!({ "after": crate::commands::package::package_json(&p) }),
                ))?;
                p
            }
            None => return Err(crate::store::package_not_found(name)),
        };
        self.package_ids.insert(key, p.id);
        self.spelled.insert(name.to_string(), p.id);
        Ok(p.id)
    }

    /// Creates a batch of rows: who exists already (created after we planned) in one
    /// lookup, the rest in one insert, their packages in one more. Each row's outcome,
    /// audit entry and — with a password — database login, in the batch's order.
    fn create_batch(
        &mut self,
        batch: Vec<(&Row, String, Option<&SecretString>)>,
        on_conflict: OnConflict,
    ) -> Result<Vec<Outcome>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let s = self.s;
        // Rows planned in this transaction cannot have been created by anyone since.
        let existing = if self.planned_inside {
            HashMap::new()
        } else {
            let emails: Vec<&str> = batch.iter().map(|(r, _, _)| r.email.as_str()).collect();
            s.user_ids_by_email(&emails)?
        };
        // Someone created these after we planned: the same policy, under the lock.
        if on_conflict == OnConflict::Fail {
            if let Some((r, _, _)) = batch
                .iter()
                .find(|(r, _, _)| existing.contains_key(r.email.as_str()))
            {
                return Err(crate::store::email_taken(r.email.as_str()));
            }
        }
        let mut new_users = Vec::new();
        for (row, hash, _) in batch
            .iter()
            .filter(|(r, _, _)| !existing.contains_key(r.email.as_str()))
        {
            new_users.push(NewUser {
                email: row.email.clone(),
                name: row.name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                full_name: row.full_name.clone().and_then(|f| f.0),
                phone: row.phone.clone().and_then(|p| p.0),
                role: row.role.unwrap_or(Role::User),
                status: row.status.unwrap_or(Status::Active),
                password_hash: Some(hash.clone()),
                must_change_password: row.must_change_password.unwrap_or(self.opts.must_change),
                expires_at: row.expires_at.and_then(|e| e.0),
                created_at: row.created_at,
                last_login_at: row.last_login_at,
            });
        }
        let ids = s.insert_users(&new_users)?;
        let mut created = ids.into_iter();
        let mut pairs = Vec::new();
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut logins = Vec::new();
        for (row, _, pw) in &batch {
            if let Some(id) = existing.get(row.email.as_str()) {
                outcomes.push(Outcome::plain(row, *id, "skipped"));
                continue;
            }
            let id = created
                .next()
                .ok_or_else(|| crate::error::Error::internal("fewer ids than users inserted"))?;
            for p in row.packages.iter().flatten() {
                pairs.push((id, self.package_id(p.as_str())?));
            }
            if let Some(pw) = pw {
                logins.push((id, *pw));
            }
            let role = row.role.unwrap_or(Role::User);
            let mut changes = json!({
                "before": {},
                "after": {
                    "name": row.name, "role": role,
                    "status": row.status.unwrap_or(Status::Active),
                    "packages": row.packages,
                },
            });
            // The optional fields the row sets, so a plan shows them too.
            let after = &mut changes["after"];
            if let Some(f) = row.full_name.as_ref().and_then(|f| f.0.as_ref()) {
                after["full_name"] = json!(f);
            }
            if let Some(p) = row.phone.as_ref().and_then(|p| p.0.as_ref()) {
                after["phone"] = json!(p);
            }
            if let Some(at) = row.expires_at.and_then(|e| e.0) {
                after["expires_at"] = json!(fmt_ts(at));
            }
            if row.must_change_password.unwrap_or(self.opts.must_change) {
                after["must_change_password"] = json!(true);
            }
            let mut details = changes.clone();
            details["result"] = json!("created");
            details["password_changed"] = json!(true);
            s.append_audit(&change_entry(
                self.me,
                self.opts.audit_create,
                row.email.as_str(),
                details,
            ))?;
            outcomes.push(Outcome {
                location: row.location.clone(),
                email: row.email.to_string(),
                id: Some(id),
                result: "created",
                changes: if self.opts.keep_changes {
                    changes
                } else {
                    Value::Null
                },
                flags: (role == Role::Admin)
                    .then_some(GRANTS_ADMIN)
                    .into_iter()
                    .chain(row.note.map(|n| match n {
                        import::Note::Generated => NOTE_GENERATED,
                        import::Note::Inactive => NOTE_INACTIVE,
                    }))
                    .collect(),
            });
        }
        s.assign_many(&pairs, self.me.id)?;
        // Where the database server logs people in, a password also becomes their login.
        for (id, pw) in logins {
            s.set_login(id, pw)?;
        }
        Ok(outcomes)
    }

    fn update(&mut self, row: &Row, user: &User, hash: Option<String>) -> Result<Outcome> {
        let s = self.s;
        let before = s.user_by_id(user.id)?;
        let (mut after, _) = s.change_user(before.id, &changes(row))?;
        // The same hash again is no password change.
        let new_hash = hash.filter(|h| before.password_hash.as_ref() != Some(h));
        let password_changed = new_hash.is_some();
        if let Some(h) = new_hash {
            (after, _) = s.change_password(before.id, &h, after.must_change_password, None)?;
        }
        if let Some(pkgs) = &row.packages {
            let wanted: Vec<i64> = pkgs
                .iter()
                .map(|p| self.package_id(p.as_str()))
                .collect::<Result<_>>()?;
            s.set_assignments(before.id, &wanted, self.me.id)?;
            after = s.user_by_id(before.id)?;
        }
        let changes = super::user::diff(&before, &after);
        let mut details = changes.clone();
        details["result"] = json!("updated");
        if password_changed {
            details["password_changed"] = json!(true);
        }
        s.append_audit(&change_entry(
            self.me,
            self.opts.audit_update,
            &after.email,
            details,
        ))?;
        let mut flags = Vec::new();
        if after.role == Role::Admin && before.role != Role::Admin {
            flags.push(GRANTS_ADMIN);
        }
        if password_changed && before.role == Role::Admin {
            flags.push(REPLACES_ADMIN_PASSWORD);
        }
        Ok(Outcome {
            location: row.location.clone(),
            email: after.email,
            id: Some(after.id),
            result: "updated",
            changes: if self.opts.keep_changes {
                changes
            } else {
                Value::Null
            },
            flags,
        })
    }
}

/// What the import did: the counts, the rows to warn about, and — when the output lists
/// every row — each row's outcome, kept in a temporary file (a JSON line each) so that
/// a large import does not hold them in memory.
struct Tally {
    created: usize,
    updated: usize,
    skipped: usize,
    unchanged: usize,
    /// New users without a usable credential, by what they got (`--unusable-hash`).
    generated_for_unusable: usize,
    inactive_for_unusable: usize,
    /// Rows that grant admin or replace an admin's password, when the rows are not kept.
    flagged: Vec<(Location, String, Vec<&'static str>)>,
    spool: Option<std::io::BufWriter<std::fs::File>>,
}

impl Tally {
    fn new(keep_rows: bool) -> Result<Tally> {
        let spool = match keep_rows {
            true => Some(std::io::BufWriter::new(tempfile::tempfile().map_err(
                |e| Error::internal(format!("cannot make a temporary file: {e}")),
            )?)),
            false => None,
        };
        Ok(Tally {
            created: 0,
            updated: 0,
            skipped: 0,
            unchanged: 0,
            generated_for_unusable: 0,
            inactive_for_unusable: 0,
            flagged: Vec::new(),
            spool,
        })
    }

    fn add(&mut self, outcomes: Vec<Outcome>) -> Result<()> {
        for o in outcomes {
            match o.result {
                "created" => self.created += 1,
                "updated" => self.updated += 1,
                "skipped" => self.skipped += 1,
                _ => self.unchanged += 1,
            }
            self.generated_for_unusable += o.flags.iter().filter(|f| **f == NOTE_GENERATED).count();
            self.inactive_for_unusable += o.flags.iter().filter(|f| **f == NOTE_INACTIVE).count();
            match &mut self.spool {
                Some(w) => {
                    let v = json!({
                        "location": o.location.to_string(), "email": o.email, "id": o.id,
                        "result": o.result, "changes": o.changes, "flags": o.flags,
                    });
                    serde_json::to_writer(&mut *w, &v)?;
                    w.write_all(b"\n")?;
                }
                None if !o.flags.is_empty() => self.flagged.push((o.location, o.email, o.flags)),
                None => {}
            }
        }
        Ok(())
    }

    /// Back to nothing counted or kept (the spool file is reused).
    fn clear(&mut self) -> Result<()> {
        (self.created, self.updated, self.skipped, self.unchanged) = (0, 0, 0, 0);
        (self.generated_for_unusable, self.inactive_for_unusable) = (0, 0);
        self.flagged.clear();
        if let Some(w) = &mut self.spool {
            w.flush()?;
            let file = w.get_mut();
            file.set_len(0)?;
            file.seek(std::io::SeekFrom::Start(0))?;
        }
        Ok(())
    }

    /// Each kept row's outcome, in the file's order.
    fn each_row(&mut self, mut f: impl FnMut(&Value) -> Result<()>) -> Result<()> {
        let Some(w) = &mut self.spool else {
            return Ok(());
        };
        w.flush()?;
        let file = w.get_mut();
        file.seek(std::io::SeekFrom::Start(0))?;
        for line in std::io::BufReader::new(&*file).lines() {
            f(&serde_json::from_str(&line?)?)?;
        }
        Ok(())
    }
}

/// For people: a dry run lists every row it would create or update with its fields
/// (`role: user → admin`), and both runs warn about each row that grants admin or
/// replaces an admin's password — the rows a planted import file would need.
fn report_rows(ctx: &Ctx<'_>, tally: &mut Tally, dry_run: bool) -> Result<()> {
    if matches!(ctx.out.format(), Format::Json | Format::Jsonl) {
        return Ok(());
    }
    let flags = |location: &str, email: &str, flags: &[&str]| {
        if !flags.is_empty() {
            ctx.out
                .warn(&format!("{location}: {email} {}", flags.join(", ")));
        }
    };
    for (location, email, fl) in &tally.flagged {
        flags(&location.to_string(), email, fl);
    }
    tally.each_row(|o| {
        let (location, email) = (str_of(&o["location"]), str_of(&o["email"]));
        let result = str_of(&o["result"]);
        if dry_run && matches!(result, "created" | "updated") {
            ctx.out.note(&format!(
                "{location}: {} {email}: {}",
                if result == "created" {
                    "create"
                } else {
                    "update"
                },
                field_changes(&o["changes"])
            ));
        }
        let fl: Vec<&str> = o["flags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        flags(location, email, &fl);
        Ok(())
    })
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
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

/// Counts, the per-row results, and generated passwords (printed once).
fn summary(
    ctx: &Ctx<'_>,
    mut tally: Tally,
    generated: &[(String, SecretString)],
    left_out: &[(Location, import::LeftOut)],
    dry_run: bool,
) -> Result<()> {
    report_rows(ctx, &mut tally, dry_run)?;
    // The accounts of an export left out, by why, with where they are.
    let mut why_left: BTreeMap<&str, Vec<Location>> = BTreeMap::new();
    for (loc, why) in left_out {
        why_left.entry(why.why()).or_default().push(loc.clone());
    }
    for (why, locs) in &why_left {
        ctx.out.note(&format!(
            "left out {} {why}: {}",
            rows_count(locs.len()),
            compact(locs)
        ));
    }
    let left = if left_out.is_empty() {
        String::new()
    } else {
        format!(", {} left out", left_out.len())
    };
    let would = if dry_run { "would be " } else { "" };
    // Who got what instead of a credential that cannot be used (each row is named above).
    let mut unusable = Vec::new();
    if tally.generated_for_unusable > 0 {
        unusable.push(format!(
            "{} {would}given a generated password",
            tally.generated_for_unusable
        ));
    }
    if tally.inactive_for_unusable > 0 {
        unusable.push(format!(
            "{} {would}left inactive",
            tally.inactive_for_unusable
        ));
    }
    let unusable = if unusable.is_empty() {
        String::new()
    } else {
        format!(" ({} for want of a usable password)", unusable.join(", "))
    };
    let line = format!(
        "{} {would}created{unusable}, {} {would}updated, {} {would}skipped, {} unchanged{left}{}",
        tally.created,
        tally.updated,
        tally.skipped,
        tally.unchanged,
        if dry_run {
            " (dry run: nothing was changed)"
        } else {
            ""
        }
    );
    // A dry run's new rows were rolled back: they have no id.
    let id = |o: &Value| match (dry_run, str_of(&o["result"])) {
        (true, "created") => Value::Null,
        _ => o["id"].clone(),
    };
    match ctx.out.format() {
        Format::Jsonl => {
            // One object per row (a dry run's too), for `jq -c` and `while read`; the
            // counts are for people, on stderr.
            ctx.out.note(&line);
            let mut list = ctx.out.list(&[]);
            tally.each_row(|o| {
                let mut v = json!({
                    "location": o["location"], "email": o["email"], "id": id(o),
                    "result": o["result"], "changes": o["changes"], "flags": o["flags"],
                    "dry_run": dry_run,
                });
                if let Some((_, pw)) = generated.iter().find(|(e, _)| e == str_of(&o["email"])) {
                    v["generated_password"] = json!(pw.expose_secret());
                }
                list.push(Vec::new(), &v)
            })?;
            list.finish()
        }
        Format::Json => {
            // One line, its keys in order (as the store's other JSON), the rows streamed.
            let counts = |out: &crate::output::Output, pairs: &[(&str, Value)]| {
                pairs
                    .iter()
                    .try_for_each(|(k, v)| out.raw(&format!(",\"{k}\":{v}")))
            };
            ctx.out.raw(&format!("{{\"created\":{}", tally.created))?;
            counts(ctx.out, &[("dry_run", json!(dry_run))])?;
            if !generated.is_empty() {
                let list: Vec<Value> = generated
                    .iter()
                    .map(|(e, pw)| json!({ "email": e, "password": pw.expose_secret() }))
                    .collect();
                counts(ctx.out, &[("generated_passwords", Value::Array(list))])?;
            }
            if !why_left.is_empty() {
                let v: serde_json::Map<String, Value> = why_left
                    .iter()
                    .map(|(why, locs)| (why.to_string(), json!(locs.len())))
                    .collect();
                counts(ctx.out, &[("left_out", Value::Object(v))])?;
            }
            if tally.generated_for_unusable + tally.inactive_for_unusable > 0 {
                let v = json!({
                    "generated": tally.generated_for_unusable,
                    "inactive": tally.inactive_for_unusable,
                });
                counts(ctx.out, &[("no_usable_password", v)])?;
            }
            ctx.out.raw(",\"rows\":[")?;
            let mut first = true;
            tally.each_row(|o| {
                let row = json!({
                    "email": o["email"], "id": id(o), "result": o["result"],
                    "changes": o["changes"], "flags": o["flags"],
                });
                ctx.out.raw(if first { "" } else { "," })?;
                first = false;
                ctx.out.raw(&row.to_string())
            })?;
            ctx.out.raw("]")?;
            counts(
                ctx.out,
                &[
                    ("skipped", json!(tally.skipped)),
                    ("unchanged", json!(tally.unchanged)),
                    ("updated", json!(tally.updated)),
                ],
            )?;
            ctx.out.raw("}\n")
        }
        Format::Csv if generated.is_empty() => {
            let mut list = ctx.out.list(&["email", "id", "result"]);
            tally.each_row(|o| {
                let id = o["id"].as_i64().map(|i| i.to_string()).unwrap_or_default();
                let cells = vec![
                    str_of(&o["email"]).to_string(),
                    id,
                    str_of(&o["result"]).into(),
                ];
                list.push(cells, &Value::Null)
            })?;
            list.finish()
        }
        Format::Table | Format::Html | Format::Csv if generated.is_empty() => {
            ctx.out.record(&Value::Null, &[line])
        }
        Format::Table | Format::Html | Format::Csv => {
            // The passwords are the data on stdout; the summary goes to stderr.
            ctx.out.note(&line);
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

/// `user export`: exactly the fields `user import` reads, without secrets — CSV for
/// people (it is for re-import), JSON for scripts.
pub fn export(ctx: &Ctx<'_>, args: &ExportArgs) -> Result<()> {
    let (store, actor) = ctx.read_as(Command::UserExport, None)?;
    // With the history an access review reads, so a move to a new store keeps it.
    let mut fields = USER_IMPORT_FIELDS.to_vec();
    fields.extend(["created_at", "last_login_at"]);
    if args.with_password_hashes {
        // Who took everyone's hashes is on the record before a byte of them is out.
        write_as(&store, &actor, Command::UserExport, None, true, |s, me| {
            s.append_audit(&change_entry(
                me,
                Command::UserExport,
                "all users",
                json!({ "with_password_hashes": true }),
            ))
        })?;
        fields.push("password_hash");
    }
    let format = match ctx.out.format() {
        Format::Table | Format::Html => Format::Csv,
        f => f,
    };
    let filter = crate::store::UserFilter {
        sort: crate::store::UserSort::Email,
        ..Default::default()
    };
    let mut list = ctx.out.list_in(format, &[]).csv_from_items(&fields);
    store.each_user(&filter, |u| {
        let mut item = UserView::from(u).only(&fields);
        if args.with_password_hashes {
            item["password_hash"] = json!(u.password_hash);
        }
        list.push(Vec::new(), &item)
    })?;
    list.finish()
}
