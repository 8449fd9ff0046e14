//! `completions/` and `man/` are generated from the clap definition. This test fails
//! when what is committed differs from what the code generates; regenerate with
//!
//!     UPDATE_GENERATED=1 cargo test --test cli generated
//!
//! It also checks the help text: every command has an example and the top-level help
//! lists every command.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use gatehouse::cli::{Cli, ROOT_HELP_TEMPLATE};

/// Sections of every page that clap does not know about: the exit codes and the
/// environment hold for every command.
const MAN_EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
ok (also \fB\-\-if\-not\-exists\fR when the user exists)
.TP
\fB1\fR
internal error: a bug; please report it
.TP
\fB2\fR
usage: unknown flag, missing argument, no password source without a terminal
.TP
\fB3\fR
auth: no or invalid credentials, expired session, inactive, locked or expired account
.TP
\fB4\fR
denied: authenticated but not allowed; a file named on the command line under \fBsudo\fR
.TP
\fB5\fR
not found: the user or package does not exist (or is not visible to you)
.TP
\fB6\fR
conflict: email or package name taken, store already initialized, last active admin, password changed meanwhile
.TP
\fB7\fR
invalid: bad email, short or common password, bad import row
.TP
\fB8\fR
integrity: \fBaudit verify\fR found a broken chain
.TP
\fB9\fR
store: missing, not initialized, not a gatehouse store, corrupt, newer schema, or its files or directory owned by another user or writable by others
.TP
\fB10\fR
cancelled: you answered no to a confirmation, or left a picker with Esc or q; nothing changed
.TP
\fB75\fR
busy: the store stayed locked past the busy timeout; nothing changed, safe to retry
.SH ENVIRONMENT
.TP
\fBGATEHOUSE_DB\fR
the store: a SQLite file or a PostgreSQL URL (as \fB\-\-db\fR)
.TP
\fBGATEHOUSE_FORMAT\fR
output format (as \fB\-\-format\fR)
.TP
\fBGATEHOUSE_TOKEN\fR
a session token from \fBgatehouse login \-\-print\-token\fR; checked first
.TP
\fBGATEHOUSE_EMAIL\fR, \fBGATEHOUSE_PASSWORD\fR, \fBGATEHOUSE_PASSWORD_FILE\fR
log in with a password (the file must not be readable by group or others)
.TP
\fBGATEHOUSE_BUSY_TIMEOUT\fR
how long a writer waits for the store's lock (default 10s, at most 1h)
.TP
\fBSUDO_UID\fR
under \fBsudo\fR, the person a saved session belongs to; files named on the command line are then refused
.TP
\fBGATEHOUSE_AS\fR
which saved session to use (as \fB\-\-as\fR, from \fBgatehouse login \-\-as\fR)
.TP
\fBPAGER\fR
the pager for tables on a terminal (default \fBless\fR, with \fBLESS=FRX\fR when \fBLESS\fR is unset); under \fBsudo\fR it is not run: only the system's \fBless\fR pages, with \fBLESSSECURE=1\fR
.TP
\fBNO_COLOR\fR
no colour with \fB\-\-color auto\fR
"#;

/// Sections only `gatehouse(1)` has.
const ROOT_MAN_EXTRA: &str = r#".SH FILES
.TP
\fI~/.local/share/gatehouse/gatehouse.db\fR
the default store (the platform data directory); created 0600 in a 0700 directory
.TP
\fI~/.config/gatehouse/sessions/\fR
sessions saved by \fBgatehouse login\fR, one file per store and person, mode 0600
.SH EXAMPLES
.nf
gatehouse init \-\-email admin@example.com \-\-name admin
gatehouse login
gatehouse user add \-\-name alice \-\-email alice@example.com \-\-generate\-password
gatehouse user import staff.csv \-\-generate\-passwords > passwords.csv
gatehouse user offboard \-\-from leavers.txt \-\-yes
export GATEHOUSE_TOKEN=$(gatehouse login \-\-email admin@example.com \-\-print\-token \-\-password\-stdin < pw)
.fi
"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file: path relative to the repository, and contents.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "gatehouse.bash"),
        (Shell::Zsh, "_gatehouse"),
        (Shell::Fish, "gatehouse.fish"),
        (Shell::Elvish, "gatehouse.elv"),
        (Shell::PowerShell, "_gatehouse.ps1"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "gatehouse", &mut buf);
        files.push((PathBuf::from("completions").join(name), buf));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    fn walk(cmd: &clap::Command, out: &mut Vec<(PathBuf, Vec<u8>)>, is_root: bool) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out, false);
        }
        let man = clap_mangen::Man::new(cmd.clone())
            .date("")
            .source(format!("gatehouse {}", env!("CARGO_PKG_VERSION")))
            .manual("gatehouse manual");
        let mut buf = Vec::new();
        man.render(&mut buf).unwrap();
        let mut page = with_value_names(&tidy(&String::from_utf8(buf).unwrap()), cmd);
        page.push_str(MAN_EXTRA);
        if is_root {
            page.push_str(ROOT_MAN_EXTRA);
        } else {
            page.push_str(".SH \"SEE ALSO\"\n\\fBgatehouse\\fR(1)\n");
        }
        out.push((
            PathBuf::from("man").join(man.get_filename()),
            page.into_bytes(),
        ));
    }
    walk(&cmd, &mut files, true);
    files.sort();
    files
}

/// The pages' date: when what they say last changed in substance.
const MAN_DATE: &str = "2026-11-28";

/// clap_mangen's output as `mandoc -T lint` wants it: an empty line between two `.br`
/// is a paragraph break written twice, and an empty date must be quoted to count.
fn tidy(page: &str) -> String {
    page.replace(".br\n\n.br\n", ".sp\n")
        .lines()
        .map(|l| match l.strip_prefix(".TH ") {
            Some(rest) => {
                let (title, rest) = rest.split_once(' ').unwrap_or((rest, ""));
                let manual = rest.split_once(' ').map(|(_, m)| m.trim()).unwrap_or("");
                format!(".TH {title} 1 \"{MAN_DATE}\" {manual}")
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The SYNOPSIS with each option's value (`--db PATH|URL`), which clap_mangen leaves out.
fn with_value_names(page: &str, cmd: &clap::Command) -> String {
    let mut lines: Vec<String> = page.lines().map(str::to_string).collect();
    let Some(at) = lines.iter().position(|l| l == ".SH SYNOPSIS") else {
        return page.to_string();
    };
    if let Some(synopsis) = lines.get_mut(at + 1) {
        for arg in cmd.get_arguments() {
            let Some(long) = arg.get_long() else {
                continue;
            };
            let value = arg
                .get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.to_string())
                .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
            if !arg.get_action().takes_values() {
                continue;
            }
            let flag = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
            let named = format!("{flag} \\fI{}\\fR", value.replace('-', "\\-"));
            *synopsis = synopsis.replace(&format!("{flag}]"), &format!("{named}]"));
        }
    }
    lines.join("\n") + "\n"
}

fn committed(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .map(|rd| {
            rd.map(|e| Path::new(dir).join(e.unwrap().file_name()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn completions_and_man_pages_are_current() {
    let files = generated();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        for dir in ["completions", "man"] {
            let _ = std::fs::remove_dir_all(root().join(dir));
            std::fs::create_dir_all(root().join(dir)).unwrap();
        }
        for (path, data) in &files {
            std::fs::write(root().join(path), data).unwrap();
        }
        return;
    }
    let regenerate =
        "regenerate with `UPDATE_GENERATED=1 cargo test --test cli generated` and commit";
    let mut expected: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    expected.sort();
    let mut present = committed("completions");
    present.extend(committed("man"));
    present.sort();
    assert_eq!(
        present, expected,
        "the set of generated files changed; {regenerate}"
    );
    for (path, data) in &files {
        let on_disk = std::fs::read(root().join(path)).unwrap();
        assert!(
            on_disk == *data,
            "{} is stale; {regenerate}",
            path.display()
        );
    }
}

#[test]
fn the_bash_script_parses() {
    let out = std::process::Command::new("bash")
        .arg("-n")
        .arg(root().join("completions/gatehouse.bash"))
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_man_page_documents_exit_codes_environment_files_and_examples() {
    let page = std::fs::read_to_string(root().join("man/gatehouse.1")).unwrap();
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
        assert!(
            page.contains(&format!(".SH {section}"))
                || page.contains(&format!(".SH \"{section}\"")),
            "{section}"
        );
    }
    for code in [
        "\\fB0\\fR",
        "\\fB3\\fR",
        "\\fB6\\fR",
        "\\fB9\\fR",
        "\\fB75\\fR",
    ] {
        assert!(page.contains(code), "exit code {code} missing");
    }
    assert!(root().join("man/gatehouse-user-add.1").exists());
    assert!(root().join("man/gatehouse-package-assign.1").exists());
}

#[test]
fn every_command_has_an_example_and_the_top_help_lists_it() {
    let mut cmd = Cli::command();
    cmd.build();
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{path} {}", sub.get_name());
            if sub.has_subcommands() {
                walk(sub, &name, missing);
            } else {
                let help = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                if !help.contains("gatehouse ") {
                    missing.push(name);
                }
            }
        }
    }
    let mut missing = Vec::new();
    walk(&cmd, "gatehouse", &mut missing);
    assert!(
        missing.is_empty(),
        "commands without an example in --help: {missing:?}"
    );
    for sub in cmd.get_subcommands() {
        assert!(
            ROOT_HELP_TEMPLATE.contains(&format!("\n  {} ", sub.get_name())),
            "`{}` is missing from the grouped top-level help",
            sub.get_name()
        );
    }
}

#[test]
fn completions_command_prints_the_script() {
    let env = crate::support::TestEnv::empty();
    let r = env.cmd(&["completions", "bash"]).run().ok();
    let committed = std::fs::read_to_string(root().join("completions/gatehouse.bash")).unwrap();
    assert_eq!(r.stdout, committed);
    // Values are completed: roles, statuses, formats, shells.
    for v in ["admin", "inactive", "jsonl", "powershell"] {
        assert!(committed.contains(v), "{v} is not completed");
    }
}

/// Every page is clean under `mandoc -T lint` (warnings included). Needs mandoc: CI
/// installs it and sets GATEHOUSE_REQUIRE_MANDOC=1, which turns its absence into a
/// failure; elsewhere a missing mandoc is said in one line.
#[test]
#[allow(clippy::print_stderr)] // the one line that says the lint did not run
fn man_pages_pass_mandoc_lint() {
    let has_mandoc = std::process::Command::new("mandoc")
        .arg("-V")
        .output()
        .is_ok();
    if !has_mandoc {
        assert!(
            std::env::var_os("GATEHOUSE_REQUIRE_MANDOC").is_none(),
            "mandoc is required (GATEHOUSE_REQUIRE_MANDOC is set): apt-get install mandoc"
        );
        eprintln!("skipped: mandoc is not installed (apt-get install mandoc)");
        return;
    }
    let pages = committed("man");
    assert!(pages.len() > 40, "{pages:?}");
    for page in pages {
        let out = std::process::Command::new("mandoc")
            .args(["-T", "lint", "-W", "warning"])
            .arg(root().join(&page))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(said.trim().is_empty(), "{}:\n{said}", page.display());
    }
}

#[test]
fn every_man_page_has_exit_status_and_environment() {
    for page in committed("man") {
        let text = std::fs::read_to_string(root().join(&page)).unwrap();
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", "\\fB10\\fR"] {
            assert!(text.contains(section), "{}: {section}", page.display());
        }
        // The synopsis names each option's value.
        let synopsis = text
            .lines()
            .skip_while(|l| *l != ".SH SYNOPSIS")
            .nth(1)
            .unwrap();
        assert!(
            synopsis.contains("[\\fB\\-\\-db\\fR \\fIPATH|URL\\fR]"),
            "{}: {synopsis}",
            page.display()
        );
    }
}
