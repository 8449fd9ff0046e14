//! gatehouse: user and package-access administration for the logistics platform.
//!
//! The binary parses the command line and calls [`run`]; everything else — the store,
//! the authorization rule, password handling, output — lives here so it can be tested
//! in-process as well as end to end.

pub mod authz;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod env;
pub mod error;
pub mod import;
pub mod input;
pub mod input_formats;
pub mod model;
pub mod ops;
pub mod output;
pub mod pager;
pub mod password;
pub mod prompt;
pub mod record;
pub mod session;
pub mod settings;
pub mod store;

use cli::{
    AccessCommand, AuditCommand, Cli, Command, ConfigCommand, MeCommand, PackageCommand,
    StoreCommand, UserCommand,
};
use commands::bulk::Bulk;
use commands::Ctx;
pub use env::Env;
pub use error::{Error, Kind, Result};
use model::Status;
use output::Output;

/// Builds the printer the global flags ask for, onto the process's standard streams.
/// A table for a person at a terminal goes through their pager, started only when the
/// first byte of output is written (after any prompt).
pub fn output_for(cli: &Cli, env: &Env) -> Output {
    let format = cli.global.effective_format();
    let pager = (env.stdout_tty
        && format == cli::Format::Table
        && !cli.global.no_pager
        && !matches!(cli.command, Command::Completions(_) | Command::Version))
    .then(|| pager::command(env))
    .flatten();
    let stdout: Box<dyn std::io::Write> = match pager {
        Some(cmd) => Box::new(pager::Pager::new(cmd)),
        None => Box::new(std::io::stdout()),
    };
    Output::new(
        format,
        cli.global.color,
        cli.global.quiet,
        env.color_preference(),
        env.stdout_tty,
        env.stderr_tty,
        Box::new(std::io::BufWriter::new(stdout)),
        Box::new(std::io::stderr()),
    )
}

/// Runs one parsed command.
pub fn run(cli: &Cli, env: &Env, out: &Output) -> Result<()> {
    match &cli.command {
        // These need no store and no credentials.
        Command::Completions(a) => return completions(a.shell, out),
        Command::Version => return version(out),
        _ => {}
    }
    let db = match &cli.global.db {
        Some(p) => p.clone(),
        None => env.default_db().ok_or_else(|| {
            Error::store("cannot find a data directory for the default store")
                .with_hint("pass --db PATH or set GATEHOUSE_DB")
        })?,
    };
    if out.is_html() && !matches!(cli.command, Command::Review(_)) {
        return Err(
            Error::usage("`--format html` is only for `gatehouse review`")
                .with_hint("use table, json, jsonl or csv"),
        );
    }
    let ctx = Ctx {
        env,
        out,
        yes: confirmed(&cli.command),
        db,
        identity: cli.global.identity.clone(),
    };
    match &cli.command {
        Command::Init(a) => commands::init::run(&ctx, a),
        Command::Login(a) => commands::auth::login(&ctx, a),
        Command::Logout(a) => commands::auth::logout(&ctx, a),
        Command::Whoami => commands::auth::whoami(&ctx),
        Command::User(c) => user(&ctx, c),
        Command::Package(c) => package(&ctx, c),
        Command::Access(c) => match c {
            AccessCommand::Explain(a) => commands::access::explain(&ctx, a),
            AccessCommand::Matrix => commands::access::matrix(&ctx),
        },
        Command::Me(c) => match c {
            MeCommand::Show => commands::me::show(&ctx),
            MeCommand::Edit(a) => commands::me::edit(&ctx, a),
            MeCommand::Notifications(a) => commands::me::notifications(&ctx, a),
            MeCommand::Passwd(a) => commands::me::passwd(&ctx, a),
        },
        Command::Audit(c) => match c {
            AuditCommand::List(a) => commands::audit::list(&ctx, a),
            AuditCommand::Verify(a) => commands::audit::verify(&ctx, a),
            AuditCommand::Checkpoint => commands::audit::checkpoint(&ctx),
        },
        Command::Review(a) => commands::review::run(&ctx, a),
        Command::Apply(a) => commands::apply::apply(&ctx, a),
        Command::Store(c) => match c {
            StoreCommand::Copy(a) => commands::storage::copy(&ctx, a),
            StoreCommand::Doctor => commands::storage::doctor(&ctx),
        },
        Command::Completions(_) => Ok(()),
        Command::Version => Ok(()),
        Command::Config(c) => match c {
            ConfigCommand::List => commands::config::list(&ctx),
            ConfigCommand::Get(a) => commands::config::get(&ctx, a),
            ConfigCommand::Set(a) => commands::config::set(&ctx, a),
        },
    }
}

/// `gatehouse completions SHELL`: the shell's static completion script.
fn completions(shell: clap_complete::Shell, out: &Output) -> Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "gatehouse", &mut buf);
    out.raw(&String::from_utf8_lossy(&buf))
}

/// `gatehouse version`: the build and the schema versions it lays down.
fn version(out: &Output) -> Result<()> {
    let commit = env!("GATEHOUSE_COMMIT");
    let (sqlite, postgres) = (store::SQLITE_SCHEMA_VERSION, store::pg::SCHEMA_VERSION);
    out.record(
        &serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "commit": commit,
            "schema": { "sqlite": sqlite, "postgres": postgres },
        }),
        &[format!(
            "gatehouse {} (commit {commit}); store schema: SQLite {sqlite}, PostgreSQL {postgres}",
            env!("CARGO_PKG_VERSION")
        )],
    )
}

/// `-y`, on the commands that ask before they act.
fn confirmed(c: &Command) -> bool {
    match c {
        Command::User(
            UserCommand::Activate(t)
            | UserCommand::Deactivate(t)
            | UserCommand::Unlock(t)
            | UserCommand::Offboard(t)
            | UserCommand::Delete(t),
        ) => t.confirm.yes,
        Command::Package(PackageCommand::Delete(a)) => a.confirm.yes,
        _ => false,
    }
}

fn user(ctx: &Ctx<'_>, c: &UserCommand) -> Result<()> {
    match c {
        UserCommand::List(a) => commands::user::list(ctx, a),
        UserCommand::Show(a) => commands::user::show(ctx, a),
        UserCommand::Add(a) => commands::user::add(ctx, a),
        UserCommand::Edit(a) => commands::user::edit(ctx, a),
        UserCommand::Passwd(a) => commands::user::passwd(ctx, a),
        UserCommand::Activate(a) => commands::bulk::run(ctx, a, Bulk::Activate),
        UserCommand::Deactivate(a) => commands::bulk::run(ctx, a, Bulk::Deactivate),
        UserCommand::Unlock(a) => commands::bulk::run(ctx, a, Bulk::Unlock),
        UserCommand::Offboard(a) => commands::bulk::run(ctx, a, Bulk::Offboard),
        UserCommand::Delete(a) => commands::bulk::run(ctx, a, Bulk::Delete),
        UserCommand::Import(a) => commands::import::import(ctx, a),
        UserCommand::Export(args) => commands::export::export(ctx, args),
        UserCommand::Doctor(a) => commands::doctor::run(ctx, a),
    }
}

fn package(ctx: &Ctx<'_>, c: &PackageCommand) -> Result<()> {
    match c {
        PackageCommand::List(a) => commands::package::list(ctx, a),
        PackageCommand::Show(a) => commands::package::show(ctx, a),
        PackageCommand::Create(a) => commands::package::create(ctx, a),
        PackageCommand::Edit(a) => commands::package::edit(ctx, a),
        PackageCommand::Activate(a) => commands::package::set_status(ctx, a, Status::Active),
        PackageCommand::Deactivate(a) => commands::package::set_status(ctx, a, Status::Inactive),
        PackageCommand::Delete(a) => commands::package::delete(ctx, &a.package),
        PackageCommand::Assign(a) => commands::package::assign(ctx, a, true),
        PackageCommand::Unassign(a) => commands::package::assign(ctx, a, false),
        PackageCommand::Members(a) => commands::package::members(ctx, a),
    }
}
