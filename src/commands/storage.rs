//! `gatehouse store copy` and `store doctor`: moving a whole store between SQLite and
//! PostgreSQL, and checking a PostgreSQL store against what this version lays down.

use std::path::Path;

use secrecy::SecretString;
use serde_json::json;

use super::Ctx;
use crate::cli::StoreCopyArgs;
use crate::error::{Error, Kind, Result};
use crate::model::{Role, Status};
use crate::store::pg::{self, ConnInfo};
use crate::store::{AuditFilter, AuditRow, CopyRows, Store, User, UserFilter};

/// Rows written per batch (a COPY on PostgreSQL).
const CHUNK: usize = 5000;

/// A store's name for messages: the path, or the URL without its password.
fn name_of(ctx: &Ctx<'_>, db: &Path) -> String {
    if pg::is_postgres(db) {
        ConnInfo::parse(&db.to_string_lossy(), ctx.env)
            .map(|c| c.display())
            .unwrap_or_else(|_| "the PostgreSQL store".into())
    } else {
        db.display().to_string()
    }
}

/// Everything a store holds, read in one consistent view.
struct Whole {
    users: Vec<User>,
    packages: Vec<crate::store::Package>,
    assignments: Vec<crate::store::AssignmentRow>,
    settings: Vec<(String, String)>,
    audit: Vec<AuditRow>,
}

fn read_whole(s: &Store) -> Result<Whole> {
    s.read(|s| {
        let mut users = Vec::new();
        s.each_user(&UserFilter::default(), |u| {
            users.push(u.clone());
            Ok(())
        })?;
        let mut packages = Vec::new();
        s.each_package(None, true, |p| {
            packages.push(p.clone());
            Ok(())
        })?;
        let mut audit = Vec::new();
        s.each_audit(
            &AuditFilter {
                oldest_first: true,
                ..AuditFilter::default()
            },
            |a| {
                audit.push(a.clone());
                Ok(())
            },
        )?;
        Ok(Whole {
            users,
            packages,
            assignments: s.assignments().all_assignments()?,
            settings: s.settings().all_settings()?,
            audit,
        })
    })
}

/// The admin who keeps their password on a PostgreSQL target (its server logs people in
/// by verifiers only a password can make): named by GATEHOUSE_EMAIL with
/// GATEHOUSE_PASSWORD(_FILE), or asked on a terminal, and checked against the source.
fn keeper(ctx: &Ctx<'_>, source: &Store) -> Result<(User, SecretString)> {
    let env = ctx.env;
    let (email, pw) = match env.var("GATEHOUSE_EMAIL") {
        Some(email) => {
            let pw = if let Some(pw) = env.var("GATEHOUSE_PASSWORD") {
                SecretString::from(pw.to_string())
            } else if let Some(file) = env.var("GATEHOUSE_PASSWORD_FILE") {
                crate::input::read_password_file(env, Path::new(file), Kind::Auth)?
            } else {
                return Err(Error::auth(
                    "GATEHOUSE_EMAIL is set, but neither GATEHOUSE_PASSWORD nor GATEHOUSE_PASSWORD_FILE",
                ));
            };
            (email.to_string(), pw)
        }
        None if env.stdin_tty => (
            crate::input::prompt_line("Admin who keeps their password on the target (email): ")?,
            crate::input::prompt_hidden("Their password: ")?,
        ),
        None => {
            return Err(Error::auth(
                "copying a SQLite store needs an admin of it (on PostgreSQL they keep their password there)",
            )
            .with_hint(
                "set GATEHOUSE_EMAIL with GATEHOUSE_PASSWORD_FILE (an active admin's), or run on a terminal",
            ))
        }
    };
    let user = crate::session::password_login(source, email.trim(), &pw)?;
    if user.role != Role::Admin {
        return Err(Error::denied(format!(
            "`{}` is not an admin of the source store",
            user.email
        )));
    }
    Ok((user, pw))
}

pub fn copy(ctx: &Ctx<'_>, args: &StoreCopyArgs) -> Result<()> {
    let busy = ctx.busy_timeout()?;
    let (from, to) = match (&args.to, &args.from) {
        (Some(to), None) => (ctx.db.clone(), to.clone()),
        (None, Some(from)) => (from.clone(), ctx.db.clone()),
        _ => {
            return Err(Error::usage("name one of --to and --from")
                .with_hint("gatehouse store copy --to postgres://host/db"))
        }
    };
    let (from_name, to_name) = (name_of(ctx, &from), name_of(ctx, &to));
    let source = ctx.unauthenticated_as_installer(&from, busy)?;
    // A SQLite file answers to whoever can read it: its copy is an admin's act, on the
    // record (a PostgreSQL source is read by its installer, whom the server knows).
    let from_sqlite = !pg::is_postgres(&from);
    let keeper = if from_sqlite {
        Some(keeper(ctx, &source)?)
    } else {
        None
    };
    let target = ctx.unauthenticated_to_lay_down(&to, busy)?;
    for w in source.warnings.iter().chain(&target.warnings) {
        ctx.out.warn(w);
    }
    let already = || {
        Error::conflict(format!("`{to_name}` already holds a gatehouse store"))
            .with_hint("copy into a new SQLite file or a database without one; nothing was changed")
    };
    if target.maintenance().is_initialized()? {
        return Err(already());
    }
    // The copy in the source's trail: begun, and — should it fail — not done.
    let record = |result: &'static str, reason: Option<String>| -> Result<()> {
        let Some((admin, _)) = &keeper else {
            return Ok(());
        };
        source.write(|s| {
            s.audit().append_audit(&crate::store::AuditEntry {
                actor_id: Some(admin.id),
                actor_email: Some(admin.email.clone()),
                action: "store.copy".into(),
                target: Some(to_name.clone()),
                details: json!({ "to": to_name }),
                result,
                reason: reason.clone(),
            })
        })
    };
    record("ok", None)?;
    let whole = copy_whole(&source, &target, keeper.as_ref(), &to, &to_name).inspect_err(|e| {
        let _ = record("failed", Some(crate::model::printable(&e.to_string())));
    })?;
    let need_password: Vec<String> = match target.maintenance().users_without_login()? {
        Some(list) => list,
        None => whole
            .users
            .iter()
            .filter(|u| u.status == Status::Active && u.password_hash.is_none())
            .map(|u| u.email.clone())
            .collect(),
    };
    report_copy(ctx, &from_name, &to_name, &whole, &need_password)
}

/// What a copy says: the counts, who needs a new password, and the record.
fn report_copy(
    ctx: &Ctx<'_>,
    from_name: &str,
    to_name: &str,
    whole: &Whole,
    need_password: &[String],
) -> Result<()> {
    ctx.out.note(&format!(
        "copied `{from_name}` to `{to_name}`: {} users, {} packages, {} assignments, {} settings, {} audit entries; the audit chain verifies",
        whole.users.len(),
        whole.packages.len(),
        whole.assignments.len(),
        whole.settings.len(),
        whole.audit.len()
    ));
    if !need_password.is_empty() {
        const SHOWN: usize = 5;
        let mut names = need_password
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if need_password.len() > SHOWN {
            names.push_str(&format!(" and {} more", need_password.len() - SHOWN));
        }
        ctx.out.warn(&format!(
            "{} user(s) need a new password on the target before they can log in: {names}",
            need_password.len()
        ));
    }
    ctx.out.record(
        &json!({
            "from": from_name,
            "to": to_name,
            "users": whole.users.len(),
            "packages": whole.packages.len(),
            "assignments": whole.assignments.len(),
            "settings": whole.settings.len(),
            "audit_entries": whole.audit.len(),
            // copy_whole succeeds only on a chain that verifies on the target.
            "audit_intact": true,
            "need_password": need_password,
        }),
        &[],
    )
}

/// Reads the source whole and writes it into the target in one transaction; the trail
/// must then verify there and end where the source's does.
fn copy_whole(
    source: &Store,
    target: &Store,
    keeper: Option<&(User, SecretString)>,
    to: &Path,
    to_name: &str,
) -> Result<Whole> {
    let already = || {
        Error::conflict(format!("`{to_name}` already holds a gatehouse store"))
            .with_hint("copy into a new SQLite file or a database without one; nothing was changed")
    };
    let whole = read_whole(source)?;
    target.write(|t| {
        t.maintenance().apply_migrations()?;
        if t.users().count_users()? > 0 {
            return Err(already());
        }
        for chunk in whole.users.chunks(CHUNK) {
            t.maintenance().copy_in(CopyRows::Users(chunk))?;
        }
        for chunk in whole.packages.chunks(CHUNK) {
            t.maintenance().copy_in(CopyRows::Packages(chunk))?;
        }
        for chunk in whole.assignments.chunks(CHUNK) {
            t.maintenance().copy_in(CopyRows::Assignments(chunk))?;
        }
        t.maintenance()
            .copy_in(CopyRows::Settings(&whole.settings))?;
        for chunk in whole.audit.chunks(CHUNK) {
            t.maintenance().copy_in(CopyRows::Audit(chunk))?;
        }
        t.maintenance().finish_copy()?;
        if let (Some((user, pw)), true) = (keeper, pg::is_postgres(to)) {
            t.sessions().set_login(user.id, pw)?;
        }
        Ok(())
    })?;
    // The trail arrived whole: it verifies on the target and ends where the source's does.
    let check = target.audit().verify_audit(None)?;
    let (src_head, dst_head) = (source.audit().audit_head()?, target.audit().audit_head()?);
    let intact = matches!(check, crate::store::ChainCheck::Intact { .. }) && src_head == dst_head;
    if !intact {
        return Err(Error::new(
            Kind::Integrity,
            format!("the audit trail copied to `{to_name}` does not verify"),
        )
        .with_hint("keep using the source; run `gatehouse audit verify` on both"));
    }
    Ok(whole)
}

pub fn doctor(ctx: &Ctx<'_>) -> Result<()> {
    if !pg::is_postgres(&ctx.db) {
        return Err(Error::usage(
            "`store doctor` checks a PostgreSQL store's policies, grants and roles",
        )
        .with_hint("for a SQLite store, `gatehouse audit verify` checks the trail"));
    }
    let needs_installer = || {
        Error::denied("`store doctor` runs as the role that installed the store (the one that ran `init`), not as a gatehouse user")
            .with_hint("name that role in the URL: gatehouse --db 'postgres://INSTALLER@HOST/DB' store doctor")
    };
    // A gatehouse user names themselves by GATEHOUSE_EMAIL; the installer is named in the
    // connection string (or PGUSER).
    let info = ConnInfo::parse(&ctx.db.to_string_lossy(), ctx.env)?;
    if info.user.is_none() && ctx.env.var("GATEHOUSE_EMAIL").is_some() {
        return Err(needs_installer());
    }
    // A role without gatehouse_owner's privileges cannot even read the schema's version.
    let lacks_owner = |role: &str| {
        Error::denied(format!(
            "`{role}` does not hold gatehouse_owner's privileges, which `store doctor` reads with"
        ))
        .with_hint(format!(
            "run it as the role that installed the store; one that lost them (a dump restored on PostgreSQL 16 or later) gets them back from a superuser: GRANT gatehouse_owner TO \"{role}\" WITH INHERIT TRUE, SET TRUE"
        ))
    };
    let named = info
        .user
        .clone()
        .or_else(|| ctx.env.var("USER").map(str::to_string))
        .unwrap_or_else(|| "this role".into());
    let store = ctx
        .unauthenticated_as_installer(&ctx.db, ctx.busy_timeout()?)
        .map_err(|e| {
            if e.kind == Kind::Denied {
                lacks_owner(&named)
            } else {
                e
            }
        })?;
    if store.connected_user().is_some() {
        return Err(needs_installer());
    }
    if !store.maintenance().acts_as_owner()? {
        return Err(lacks_owner(store.connected_role().unwrap_or(&named)));
    }
    let drift = store.maintenance().drift()?.unwrap_or_default();
    let name = ctx.store_name();
    if drift.is_empty() {
        ctx.out.note(&format!(
            "`{name}` matches this version: schema {}, row-level security forced on every table, the policies, grants and roles it expects",
            pg::SCHEMA_VERSION
        ));
        return ctx
            .out
            .record(&json!({ "store": name, "drift": drift }), &[]);
    }
    for d in &drift {
        ctx.out.warn(d);
    }
    ctx.out
        .record(&json!({ "store": name, "drift": drift }), &[])?;
    Err(Error::new(
        Kind::Integrity,
        format!("`{name}` differs from what this version expects in {} way(s)", drift.len()),
    )
    .with_hint("run `gatehouse init --if-not-exists` as the installing role to restore what it lays down; undo grants made by hand"))
}
