//! The `gatehouse` binary: parse, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use gatehouse::{cli::Cli, Env, Error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    let env = Env::from_process();
    let out = gatehouse::output_for(&cli, &env);
    match gatehouse::run(&cli, &env, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message == "broken pipe" => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's own errors are usage errors (2), except a value our domain types rejected
/// (a malformed email, say), which keeps its SPEC kind (7, invalid).
fn clap_exit(e: clap::Error) -> ExitCode {
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => ExitCode::from(2),
        ErrorKind::ValueValidation => {
            let ours = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<Error>());
            if let Some(hint) = ours.and_then(|o| o.hint.as_deref()) {
                gatehouse::output::hint_line(hint);
            }
            ExitCode::from(ours.map_or(2, Error::exit_code))
        }
        _ => ExitCode::from(2),
    }
}
