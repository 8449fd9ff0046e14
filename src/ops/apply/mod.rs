//! `apply FILE` as an operation: makes the store match a file of settings, packages and
//! users, in one transaction, and reports the plan — each object created, updated
//! (field by field) or unchanged, and with `--prune` each user deactivated for not
//! being listed.
//!
//! Users go through the same planning and writing as `user import --on-conflict
//! update`: a password counts as changed only when the stored hash does not verify it,
//! so the same file applied twice changes nothing the second time. What the file leaves
//! out of an object is not managed: a user without `packages` keeps theirs,
//! `packages = []` removes them all.

mod desired;
mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde_json::Value;

use super::import::{
    generated_passwords, hash_all, hashes_given, placeholder_hashes, plan, refusal,
    settle_same_passwords, write_rows, OnConflict, Planned, RowOptions, RowResult, Source,
    UnusableHash,
};
use super::{Observer, Transact};
use crate::authz::Command;
use crate::error::{Error, Kind as ErrorKind, Result};
use crate::input_formats::Location;
use crate::settings::{Key, Settings};
use crate::store::Store;
use desired::Desired;

/// The formats of an `apply` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Toml,
    Yaml,
    Json,
}

/// Where the passwords a file names come from, read by the command (as the person
/// running it).
pub trait Secrets {
    /// An environment variable's value.
    fn var(&self, name: &str) -> Option<String>;
    /// A password file's password.
    fn password_file(&self, path: &Path) -> Result<SecretString>;
}

/// `apply`'s choices.
pub struct ApplyOptions<'a> {
    /// The file's bytes, read by the command.
    pub data: Vec<u8>,
    /// Its name (`-`: standard input): its format by extension, and where a relative
    /// `password_file` is found.
    pub path: PathBuf,
    /// `--input-format`; by default detected.
    pub format: Option<DocFormat>,
    pub prune: bool,
    pub dry_run: bool,
    pub secrets: &'a dyn Secrets,
}

/// What kind of object a line of the plan is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Setting,
    Package,
    User,
}

/// What the plan does to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Deactivate,
}

/// One object's line of the plan.
pub struct Change {
    pub kind: Kind,
    pub name: String,
    pub action: Action,
    /// `{"before": {…}, "after": {…}}` for a change, null otherwise.
    pub changes: Value,
}

/// The report of `apply`.
pub struct ApplyReport {
    /// The plan, in order: settings, packages, users, users deactivated.
    pub changes: Vec<Change>,
    /// The passwords generated for users really created, to be shown once.
    pub generated: Vec<(String, SecretString)>,
    /// Whether `--prune` spared the person running it, who is not in the file.
    pub spared_me: bool,
    /// Users given a password hash where the database server logs people in.
    pub hashes_on_server: usize,
    pub dry_run: bool,
}

/// Applies the file as `tx`'s person, who was authorized for `apply`.
pub fn apply(
    store: &Store,
    tx: Transact<'_>,
    opts: ApplyOptions<'_>,
    observer: &dyn Observer,
) -> Result<ApplyReport> {
    let desired = read_file(&opts)?;
    let (row_opts, policy) = user_rules(store, &desired)?;
    let listed: HashSet<String> = desired
        .users
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|r| r.email.to_string()))
        .collect();
    let Desired {
        settings,
        packages,
        users,
        errors: entry_errors,
        ..
    } = desired;
    let Planned {
        plans,
        mut errors,
        conflicts,
        missing,
    } = plan(store, users, &row_opts, policy)?;
    errors.extend(entry_errors);
    if !errors.is_empty() || !conflicts.is_empty() || !missing.is_empty() {
        errors.sort_by_key(|e| match &e.location {
            Location::Entry(list, n) => (list.name().to_string(), *n),
            other => (other.to_string(), 0),
        });
        return Err(refusal(observer, &row_opts, &errors, &conflicts, &missing));
    }
    let plans = settle_same_passwords(store, plans)?;
    let hashes = if opts.dry_run {
        placeholder_hashes(&plans)
    } else {
        hash_all(observer, &plans)?
    };
    let mut changes = Vec::new();
    let mut spared_me = false;
    tx(!opts.dry_run, &mut |s, me| {
        changes = write::apply_settings(s, me, &settings)?;
        changes.extend(write::apply_packages(s, me, &packages)?);
        for o in write_rows(s, me, &plans, &hashes, &row_opts)? {
            changes.push(user_change(o)?);
        }
        spared_me = false;
        if opts.prune {
            let (pruned, me_unlisted) = write::prune(s, me, &listed)?;
            changes.extend(pruned);
            spared_me = me_unlisted;
        }
        Ok(())
    })?;
    let created: HashSet<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::User && c.action == Action::Create)
        .map(|c| c.name.as_str())
        .collect();
    let generated = generated_passwords(&plans, &created, opts.dry_run)
        .into_iter()
        .map(|(e, pw)| (e, pw.clone()))
        .collect();
    let on_server = store.connected_role().is_some();
    Ok(ApplyReport {
        hashes_on_server: if on_server { hashes_given(&plans) } else { 0 },
        changes,
        generated,
        spared_me,
        dry_run: opts.dry_run,
    })
}

/// The file's sections, read and checked.
fn read_file(opts: &ApplyOptions<'_>) -> Result<Desired> {
    let format = opts
        .format
        .unwrap_or_else(|| desired::detect(&opts.path, &opts.data));
    let doc = desired::document(&opts.data, format)?;
    // A relative password_file is found next to the file that names it.
    let base = match opts.path.parent() {
        Some(p) if opts.path.as_os_str() != "-" && !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let desired = desired::read_desired(opts.secrets, doc, &base)?;
    if opts.prune && !desired.has_users {
        // A file of settings or packages alone says nothing about who should stay.
        return Err(Error::usage("--prune needs a `users` section in the file")
            .with_hint("list the users to keep; an empty list (`users = []`) keeps only you"));
    }
    Ok(desired)
}

/// How the file's users are planned: as `user import --on-conflict update`, the
/// packages the file declares counted as existing, and the passwords judged by the
/// file's own password settings.
fn user_rules(store: &Store, desired: &Desired) -> Result<(RowOptions, crate::password::Policy)> {
    let mut settings = Settings::load(store)?;
    for (key, value) in &desired.settings {
        match key {
            Key::PasswordMinLength => {
                settings.password_min_length = value.parse().unwrap_or(settings.password_min_length)
            }
            Key::PasswordBlocklist => settings.password_blocklist = value == "on",
            _ => {}
        }
    }
    let opts = RowOptions {
        source: Source::Apply,
        keep_changes: true,
        on_conflict: OnConflict::Update,
        generate_passwords: false,
        unusable_hash: UnusableHash::Refuse,
        create_packages: false,
        must_change: false,
        declared_packages: desired.packages.iter().map(|p| p.name.key()).collect(),
        audit_create: Command::UserAdd,
        audit_update: Command::UserEdit,
    };
    Ok((opts, settings.policy()))
}

/// A user's line of the plan. A user skipped was made by someone else since the plan
/// was: the plan is stale.
fn user_change(o: super::import::Outcome) -> Result<Change> {
    let action = match o.result {
        RowResult::Created => Action::Create,
        RowResult::Updated => Action::Update,
        RowResult::Unchanged => Action::Unchanged,
        RowResult::Skipped => {
            return Err(Error::new(
                ErrorKind::Busy,
                format!("`{}` was created by someone else meanwhile", o.email),
            )
            .with_hint("nothing was changed; run apply again"))
        }
    };
    Ok(Change {
        kind: Kind::User,
        name: o.email,
        action,
        changes: o.changes,
    })
}
