//! Planning: each parsed row checked against the store (read-only) and the rest of the
//! file — an email given twice, unknown packages, a missing name or password, the
//! password policy, a conflict with an existing user — and turned into a [`Plan`]: what
//! will happen to it. Every problem is kept, so one run reports them all. Shared by
//! `user import` and `apply`, whose users go through the same rules.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::outcome::{Outcome, RowResult};
use super::refusal::{compact, refusal, rows_count};
use super::types::{OnConflict, Plan, RowOptions, Secret, Source, UnusableHash};
use crate::error::{Error, Result};
use crate::input_formats::{Location, Note, Parsed, Row, RowError};
use crate::model::{fmt_ts, Status};
use crate::ops::Observer;
use crate::password::{self, Owner};
use crate::store::{Store, User, UserChanges};

/// Validates every row against the store (read-only): duplicates in the file, unknown
/// packages, missing names or passwords, the password policy, conflicts.
pub(crate) fn plan(
    store: &Store,
    parsed: Vec<Parsed>,
    opts: &RowOptions,
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
pub(crate) struct Planned {
    pub plans: Vec<Plan>,
    pub errors: Vec<RowError>,
    pub conflicts: Vec<RowError>,
    /// Each package the file names that does not exist, and the rows that name it.
    pub missing: BTreeMap<String, Vec<Location>>,
}

/// The plan being made, a batch of rows at a time: what the file holds so far (to find
/// an email given twice), package names known to exist, and the bad rows and conflicts
/// found.
pub(crate) struct Planner<'a> {
    opts: &'a RowOptions,
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
    pub(crate) fn new(opts: &'a RowOptions, policy: password::Policy) -> Planner<'a> {
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
    pub(super) fn batch(&mut self, store: &Store, parsed: Vec<Parsed>) -> Result<Vec<Plan>> {
        // Who exists already, asked in one round trip rather than one per row.
        let emails: Vec<&str> = parsed
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|r| r.email.as_str()))
            .collect();
        let mut known = HashMap::new();
        for chunk in emails.chunks(10_000) {
            known.extend(store.users().user_ids_by_email(chunk)?);
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
    pub(super) fn written(&mut self, outcomes: &[Outcome]) {
        for o in outcomes {
            let Some(id) = o.id else { continue };
            let n = o.location.number();
            if o.result == RowResult::Created {
                self.seen.created(id, n);
            } else {
                self.seen.existing.insert(id, n);
            }
        }
        self.seen.batch.clear();
    }

    pub(super) fn options(&self) -> &'a RowOptions {
        self.opts
    }

    pub(crate) fn has_problems(&self) -> bool {
        !self.errors.is_empty() || !self.conflicts.is_empty() || !self.missing.is_empty()
    }

    /// Says how many rows' secrets --generate-passwords set aside, and which phones may
    /// have lost their leading zeros.
    pub(super) fn warn_ignored(&self, observer: &dyn Observer) {
        if !self.bare_phones.is_empty() {
            observer.warn(&format!(
                "{} with a phone that has neither `+` nor a leading 0 ({}): a spreadsheet that \
                 read it as a number drops them — check those numbers",
                rows_count(self.bare_phones.len()),
                compact(&self.bare_phones)
            ));
        }
        if self.ignored_secrets > 0 {
            observer.warn(&format!(
                "--generate-passwords: ignored the password or password_hash of {} row(s) of the file",
                self.ignored_secrets
            ));
        }
    }

    /// The error that ends the run, with every problem found reported.
    pub(super) fn refusal(&self, observer: &dyn Observer) -> Error {
        refusal(
            observer,
            self.opts,
            &self.errors,
            &self.conflicts,
            &self.missing,
        )
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
            Some(_) => store.users().user_by_email(row.email.as_str())?,
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
            _ if row.note == Some(Note::Inactive) => Some(Secret::Plain {
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
                row.note = Some(Note::Generated);
                None
            }
            UnusableHash::Inactive => {
                row.status = Some(Status::Inactive);
                row.must_change_password = Some(true);
                row.note = Some(Note::Inactive);
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
                            let e = store.packages().package_by_name(p.as_str())?.is_some();
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
pub(super) fn changes(row: &Row) -> UserChanges {
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
pub(super) fn differs(row: &Row, u: &User) -> bool {
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
