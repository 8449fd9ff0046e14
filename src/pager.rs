//! Paging long tables on a terminal, like git: `$PAGER` (unset: `less -FRX`, which exits
//! at once when the text fits the screen and keeps colours), started lazily by the
//! first write so prompts come first, and waited for when the output is dropped.
//! `--no-pager`, an empty `PAGER`, or `PAGER=cat` print straight to the terminal.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::env::Env;

/// The pager to run, or `None` for none (also when there is no `less` for the
/// default: output must never be lost to a pager that is not there).
pub fn command(env: &Env) -> Option<String> {
    match env.vars.get("PAGER").map(|p| p.trim()) {
        Some("") | Some("cat") => None,
        // A pager that is not there would swallow the output: check its program.
        Some(p) => {
            let program = p.split_whitespace().next().unwrap_or("");
            let found = if program.contains('/') {
                std::path::Path::new(program).is_file()
            } else {
                on_path(env, program) || is_shell_builtin(program)
            };
            found.then(|| p.to_string())
        }
        None => on_path(env, "less").then(|| "less -FRX".to_string()),
    }
}

/// Words `sh -c` runs without a program on PATH.
fn is_shell_builtin(word: &str) -> bool {
    matches!(word, "echo" | "printf" | "exec" | "cd" | ":" | "true")
}

fn on_path(env: &Env, program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    env.var("PATH").is_some_and(|path| {
        std::env::split_paths(path).any(|dir| {
            std::fs::metadata(dir.join(program))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Standard output through a pager, started on the first write. If the pager cannot
/// start, output goes to the terminal directly.
pub struct Pager {
    cmd: String,
    child: Option<(Child, ChildStdin)>,
    direct: bool,
}

impl Pager {
    pub fn new(cmd: String) -> Pager {
        Pager {
            cmd,
            child: None,
            direct: false,
        }
    }

    fn start(&mut self) {
        let spawned = Command::new("sh")
            .args(["-c", &self.cmd])
            .stdin(Stdio::piped())
            .env("LESS", "FRX")
            .spawn();
        match spawned {
            Ok(mut child) => match child.stdin.take() {
                Some(stdin) => {
                    // Ctrl-C belongs to the pager now (less uses it), as with git: this
                    // process waits for the pager, and ends when it does.
                    // SAFETY: setting a signal's disposition to ignored.
                    unsafe {
                        libc::signal(libc::SIGINT, libc::SIG_IGN);
                    }
                    self.child = Some((child, stdin))
                }
                None => self.direct = true,
            },
            Err(_) => self.direct = true,
        }
    }
}

impl Write for Pager {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.child.is_none() && !self.direct {
            self.start();
        }
        match &mut self.child {
            Some((_, stdin)) => stdin.write(buf),
            None => io::stdout().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.child {
            Some((_, stdin)) => stdin.flush(),
            None => io::stdout().flush(),
        }
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        if let Some((mut child, stdin)) = self.child.take() {
            // End of input; the person reads on until they quit the pager.
            drop(stdin);
            let _ = child.wait();
        }
    }
}
