//! The `gatehouse` binary: parse, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use gatehouse::{cli::Cli, Env, Error};

fn main() -> ExitCode {
    // `COMPLETE=bash gatehouse …`: a shell asking for completions (emails and package
    // names from the store); answered and done before anything else.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command).complete();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    let env = Env::from_process();
    if env.stdin_tty {
        gatehouse::prompt::restore_terminal_on_interrupt();
    }
    let out = gatehouse::output_for(&cli, &env);
    match gatehouse::run(&cli, &env, &out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message == "broken pipe" => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            let _ = out.flush();
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's own errors are usage errors (2), except a value our domain types rejected
/// (a malformed email, say), which keeps its own kind (7, invalid).
fn clap_exit(e: clap::Error) -> ExitCode {
    let ours = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<Error>());
    if let (ErrorKind::ValueValidation, Some(ours)) = (e.kind(), ours) {
        // clap would quote the raw value, control characters and all; our message
        // names the problem without echoing anything that could forge output.
        let arg = e
            .get(clap::error::ContextKind::InvalidArg)
            .map(|a| a.to_string())
            .unwrap_or_else(|| "a value".into());
        let arg = arg
            .split_whitespace()
            .next()
            .unwrap_or("a value")
            .to_string();
        gatehouse::output::clap_value_error(&arg, ours);
        return ExitCode::from(ours.exit_code());
    }
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => ExitCode::from(2),
    }
}
