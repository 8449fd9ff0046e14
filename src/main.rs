//! The `gatehouse` binary: parse, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use gatehouse::{cli::Cli, Env, Error};

/// A bulk import allocates and frees a little for every row; mimalloc does that faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `COMPLETE=bash gatehouse …`: a shell asking for completions (emails and package
    // names from the store); answered and done before anything else.
    clap_complete::CompleteEnv::with_factory(|| {
        gatehouse::complete::attach(<Cli as clap::CommandFactory>::command())
    })
    .complete();
    let env = Env::from_process();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e, &env),
    };
    if env.stdin_tty {
        gatehouse::prompt::restore_terminal_on_interrupt();
    }
    let out = gatehouse::output_for(&cli, &env);
    match gatehouse::run(&cli, &env, &out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == gatehouse::error::Kind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            let _ = out.flush();
            ExitCode::from(e.exit_code())
        }
    }
}

/// Whether the command line (or GATEHOUSE_FORMAT) asks for JSON, read before clap has
/// made sense of it: a usage error is then also one JSON object on stderr's last line,
/// like every other error.
fn wants_json(env: &Env) -> bool {
    let json = |v: &str| matches!(v, "json" | "jsonl");
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut flag = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if a == "--json" {
            return true;
        }
        let value = match a.as_str() {
            "--format" | "-o" => args.get(i + 1).map(String::as_str),
            _ => a
                .strip_prefix("--format=")
                .or_else(|| a.strip_prefix("-o="))
                .or_else(|| a.strip_prefix("-o").filter(|v| !v.is_empty())),
        };
        if let Some(v) = value {
            flag = Some(json(v));
        }
    }
    flag.unwrap_or_else(|| env.var("GATEHOUSE_FORMAT").is_some_and(json))
}

fn json_error(kind: gatehouse::Kind, message: &str, hint: Option<&str>) {
    use std::io::Write;
    let obj = serde_json::json!({
        "error": { "kind": kind.name(), "message": message, "hint": hint }
    });
    let _ = writeln!(std::io::stderr(), "{obj}");
}

/// clap's own errors are usage errors (2), except a value our domain types rejected
/// (a malformed email, say), which keeps its own kind (7, invalid).
fn clap_exit(e: clap::Error, env: &Env) -> ExitCode {
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
        if wants_json(env) {
            let message = format!("{arg}: {}", ours.message);
            json_error(ours.kind, &message, ours.hint.as_deref());
        }
        return ExitCode::from(ours.exit_code());
    }
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => {
            if wants_json(env) {
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or("usage error");
                let message = first.strip_prefix("error: ").unwrap_or(first);
                json_error(
                    gatehouse::Kind::Usage,
                    message,
                    Some("see `gatehouse --help` or the command's --help"),
                );
            }
            ExitCode::from(2)
        }
    }
}
