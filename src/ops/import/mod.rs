//! `user import` as an operation: rows read from an input, planned against the store
//! and written in one transaction — all rows or none — with every bad row of the file
//! reported. A file under 1,000 rows (`BATCH`) is planned and its passwords hashed (in
//! parallel on all cores) before the write lock is taken; a larger one is read as a
//! stream and planned, hashed and written a batch at a time inside the transaction, so
//! memory does not grow with the file.
//!
//! The planning and writing are shared with `apply` (`plan`, `secrets`, `write`,
//! `refusal`); the input is read by `source` through [`crate::input_formats`].

mod outcome;
mod plan;
mod refusal;
mod report;
mod secrets;
mod source;
mod types;
mod write;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;

use secrecy::SecretString;

pub use outcome::{Flag, Outcome, RowResult};
pub(crate) use plan::{plan, Planned};
pub(crate) use refusal::refusal;
pub use refusal::{compact, rows_count};
pub use report::{ImportReport, Tally};
pub(crate) use secrets::{
    generated_passwords, hash_all, hashes_given, placeholder_hashes, settle_same_passwords,
};
pub(crate) use source::cannot_read;
pub use types::{OnConflict, UnusableHash};
pub(crate) use types::{RowOptions, Source};
pub(crate) use write::write_rows;

use self::plan::Planner;
use self::types::Plan;
use self::write::Writer;
use super::{Observer, Transact};
use crate::authz::Command;
use crate::error::{Error, Kind, Result};
use crate::input_formats::{InputFormat, Parsed, ReadOptions, Rows};
use crate::store::{Store, User};

/// Reads a named file (as the person running the command) when it is needed.
pub type ReadFile = Box<dyn FnOnce() -> Result<Vec<u8>>>;

/// What `user import` reads, and how.
pub struct Input {
    /// The input, opened by the command.
    pub reader: Box<dyn Read>,
    /// Its name, for its format by extension and for messages (`-`: standard input).
    pub path: PathBuf,
    /// `--input-format`; by default detected.
    pub format: Option<InputFormat>,
    /// `--passwd`: the passwd file that goes with a shadow file.
    pub passwd: Option<ReadFile>,
    /// `--email-domain`: a shadow file's logins become `LOGIN@domain`.
    pub email_domain: Option<String>,
    /// `--delimiter`; by default detected from the CSV header.
    pub delimiter: Option<u8>,
    /// `--encoding`; by default UTF-8, or UTF-16 by its byte-order mark.
    pub encoding: Option<String>,
    pub read: ReadOptions,
}

/// `user import`'s choices.
pub struct ImportOptions {
    pub input: Input,
    pub on_conflict: OnConflict,
    pub generate_passwords: bool,
    pub unusable_hash: UnusableHash,
    pub create_packages: bool,
    /// What a new user's row that says nothing about `must_change_password` gets.
    pub must_change_password: bool,
    pub dry_run: bool,
    /// Whether each row's outcome keeps its field changes (a large import would
    /// otherwise hold them all until its report).
    pub keep_changes: bool,
    /// Whether the report lists every row's outcome (kept in a temporary file).
    pub keep_rows: bool,
}

/// Rows planned, hashed and written at a time.
const BATCH: usize = 1000;

/// Imports the input's rows as `tx`'s person, who was authorized for `user import`.
pub fn import(
    store: &Store,
    tx: Transact<'_>,
    opts: ImportOptions,
    observer: &dyn Observer,
) -> Result<ImportReport> {
    let (mut rows, left_out) = source::rows(opts.input, observer)?;
    let row_opts = RowOptions {
        keep_changes: opts.keep_changes,
        source: Source::Import,
        on_conflict: opts.on_conflict,
        generate_passwords: opts.generate_passwords,
        unusable_hash: opts.unusable_hash,
        create_packages: opts.create_packages,
        must_change: opts.must_change_password,
        declared_packages: Vec::new(),
        audit_create: Command::UserImport,
        audit_update: Command::UserImport,
    };
    let policy = crate::settings::Settings::load(store)?.policy();
    let mut run = Run {
        planner: Planner::new(&row_opts, policy),
        tally: Tally::new(opts.keep_rows)?,
        generated: Vec::new(),
        hashes_given: 0,
        observer,
        dry_run: opts.dry_run,
    };
    let first = next_batch(&mut rows)?;
    // A file of one batch is planned and its passwords hashed before the write lock is
    // taken, so the slow part never holds up other commands; a larger one is read,
    // planned, hashed and written a batch at a time inside its one transaction, so
    // memory does not grow with the file.
    let mut start = if first.len() < BATCH {
        let p = run.prepare(store, first)?;
        if run.planner.has_problems() {
            return Err(run.refused());
        }
        Start::Planned(p)
    } else {
        Start::Stream(first)
    };
    // One transaction of many rows: a larger page cache keeps more of the indexes in
    // memory (and bounds what the import holds).
    store.set_cache_kib(16 * 1024)?;
    tx(!opts.dry_run, &mut |s, me| {
        run.transaction(s, me, &mut start, &mut rows)
    })?;
    run.planner.warn_ignored(observer);
    let on_server = store.connected_role().is_some();
    Ok(ImportReport {
        hashes_on_server: if on_server { run.hashes_given } else { 0 },
        tally: run.tally,
        generated: run.generated,
        left_out,
        dry_run: opts.dry_run,
    })
}

/// Up to [`BATCH`] rows; a problem with the whole input ends the import.
fn next_batch(rows: &mut Rows) -> Result<Vec<Parsed>> {
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
    observer: &'a dyn Observer,
    dry_run: bool,
}

impl Run<'_> {
    /// The body of the write transaction.
    fn transaction(
        &mut self,
        s: &Store,
        me: &User,
        start: &mut Start,
        rows: &mut Rows,
    ) -> Result<()> {
        let mut w = Writer::new(s, me, self.planner.options());
        if let Start::Planned(p) = start {
            // A transaction the server asks to retry writes the plan again.
            self.restart()?;
            self.write(&mut w, p)?;
        } else if let Start::Stream(mut batch) = std::mem::replace(start, Start::Consumed) {
            w.planned_inside = true;
            while !batch.is_empty() {
                let p = self.prepare(s, batch)?;
                self.write(&mut w, &p)?;
                batch = next_batch(rows)?;
            }
        } else {
            return Err(Error::new(
                Kind::Busy,
                "the store asked to retry the import, whose input was already read",
            )
            .with_hint("nothing was imported; run it again"));
        }
        // Every problem of the file is reported at once, and nothing is kept.
        if self.planner.has_problems() {
            return Err(self.refused());
        }
        Ok(())
    }

    /// The warnings, and the error that ends a run whose file has problems.
    fn refused(&self) -> Error {
        self.planner.warn_ignored(self.observer);
        self.planner.refusal(self.observer)
    }

    fn prepare(&mut self, store: &Store, batch: Vec<Parsed>) -> Result<Prepared> {
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
        let hashes = if self.dry_run || doomed {
            placeholder_hashes(&plans)
        } else {
            hash_all(self.observer, &plans)?
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

    fn write(&mut self, w: &mut Writer<'_>, p: &Prepared) -> Result<()> {
        let outcomes = w.rows(&p.plans, &p.hashes)?;
        self.planner.written(&outcomes);
        // Passwords are shown only for accounts that were really created with them.
        let created: HashSet<&str> = outcomes
            .iter()
            .filter(|o| o.result == RowResult::Created)
            .map(|o| o.email.as_str())
            .collect();
        self.generated.extend(
            generated_passwords(&p.plans, &created, self.dry_run)
                .into_iter()
                .map(|(e, pw)| (e, pw.clone())),
        );
        self.hashes_given += hashes_given(&p.plans);
        self.tally.add(outcomes)
    }
}
