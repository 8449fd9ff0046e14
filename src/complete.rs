//! Dynamic shell completion: emails and package names come from the store, for shells
//! set up with `source <(COMPLETE=bash gatehouse)` (see the README). The clap surface
//! knows nothing of it: [`attach`] finds the arguments that take a user or a package by
//! their types and hangs the completers on them from the side. The store is the one
//! `GATEHOUSE_DB` names (or the default); the caller is whoever `GATEHOUSE_TOKEN` or a
//! saved session says — never a password (a Tab must not cost an argon2 check, count a
//! failed login or lock an account) and never a prompt. Emails are offered to admins
//! only, packages to whoever may see them; anything that fails offers nothing.

use std::ffi::OsStr;

use clap_complete::{ArgValueCompleter, CompletionCandidate};

use crate::env::Env;
use crate::error::Result;
use crate::model::{PackageList, PackageName, Role, UserRef};
use crate::store::{Store, User, UserFilter};

/// `cmd` with the store's completers on every argument that names a user or a package
/// (found by the type its value is parsed into, so a new argument needs nothing here).
pub fn attach(mut cmd: clap::Command) -> clap::Command {
    use std::any::TypeId;
    let users_at = [
        TypeId::of::<UserRef>(),
        TypeId::of::<crate::cli::UserWord>(),
    ];
    let packages_at = [TypeId::of::<PackageName>(), TypeId::of::<PackageList>()];
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let ty = a.get_value_parser().type_id();
            // `user explain USER` also takes `me`, so it is a plain string.
            if users_at.iter().any(|t| ty == *t) || a.get_id() == "user" {
                a.add(ArgValueCompleter::new(users))
            } else if packages_at.iter().any(|t| ty == *t) {
                a.add(ArgValueCompleter::new(packages))
            } else {
                a
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, attach);
    }
    cmd
}

/// At most this many candidates: a shell shows no more anyway.
const MAX: usize = 200;

fn with_caller(f: impl FnOnce(&Store, &User) -> Result<Vec<String>>) -> Vec<String> {
    let env = Env::from_process();
    let db = match env.var("GATEHOUSE_DB") {
        Some(db) => std::path::PathBuf::from(db),
        None => match env.default_db() {
            Some(db) => db,
            None => return Vec::new(),
        },
    };
    if env.var("GATEHOUSE_TOKEN").is_none() && env.var("GATEHOUSE_EMAIL").is_some() {
        // A password login, each Tab: not for completion.
        return Vec::new();
    }
    let identity = match env.var("GATEHOUSE_AS").map(crate::session::parse_identity) {
        None => None,
        Some(Ok(name)) => Some(name),
        Some(Err(_)) => return Vec::new(),
    };
    let run = || -> Result<Vec<String>> {
        let (store, me) =
            crate::commands::undecided_for_completion(&env, &db, identity.as_deref())?;
        f(&store, &me)
    };
    run().unwrap_or_default()
}

fn candidates(values: Vec<String>, current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy().to_lowercase();
    values
        .into_iter()
        .filter(|v| v.to_lowercase().starts_with(&prefix))
        .take(MAX)
        .map(CompletionCandidate::new)
        .collect()
}

/// Users' emails, for an admin.
pub fn users(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy().to_string();
    let emails = with_caller(|store, me| {
        if me.role != Role::Admin {
            return Ok(Vec::new());
        }
        let filter = UserFilter {
            search: (!prefix.is_empty()).then(|| prefix.clone()),
            sort: crate::store::UserSort::Email,
            limit: Some(MAX as u64 * 4),
            ..Default::default()
        };
        let mut out = Vec::new();
        store.users().stream_user_briefs(&filter, &mut |b| {
            out.push(b.email.clone());
            Ok(())
        })?;
        Ok(out)
    });
    candidates(emails, current)
}

/// The packages the caller can see.
pub fn packages(current: &OsStr) -> Vec<CompletionCandidate> {
    let names = with_caller(|store, me| {
        let visible_to = (me.role != Role::Admin).then_some(me.id);
        let mut out = Vec::new();
        store.each_package(visible_to, true, |p| {
            out.push(p.name.clone());
            Ok(())
        })?;
        Ok(out)
    });
    candidates(names, current)
}
