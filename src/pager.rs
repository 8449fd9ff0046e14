//! Paging long tables on a terminal, like git: `$PAGER` (unset: `less`, with `LESS=FRX`
//! when the person has no `LESS` of their own, so it exits at once when the text fits
//! the screen and keeps colours), started lazily by the first write so prompts come
//! first, and waited for when the output is dropped. `--no-pager`, an empty `PAGER`, or
//! `PAGER=cat` print straight to the terminal.
//!
//! Under sudo (and whenever the real and effective users differ) the pager runs with
//! rights that are not the person's: a pager that runs commands (`!sh` in `less`) or
//! opens files would hand them the store owner's account. There `$PAGER` is not run —
//! it is a command someone else chose — only the system's `less`, in its secure mode
//! (`LESSSECURE=1`: no shell, pipe, editor, log or other files); without one, no pager.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::env::Env;

/// Where the secure pager is looked for under sudo: the system's own directories, never
/// a `PATH` the person may have set.
const SYSTEM_LESS: &[&str] = &["/usr/bin/less", "/bin/less"];

/// Variables that make `less` run a program or read a file of someone's choosing; gone
/// from the secure pager's environment (its secure mode ignores most of them anyway).
const UNSAFE_LESS_VARS: &[&str] = &[
    "LESSOPEN",
    "LESSCLOSE",
    "LESSKEY",
    "LESSKEYIN",
    "LESSKEY_SYSTEM",
    "LESSKEYIN_SYSTEM",
    "LESSEDIT",
    "VISUAL",
    "EDITOR",
    "SHELL",
];

/// A pager to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagerCmd {
    /// The person's own `$PAGER` (or `less`), run by `sh -c` with their rights.
    Shell {
        cmd: String,
        /// Set `LESS=FRX`: the person has no `LESS` of their own.
        set_less: bool,
    },
    /// The system's `less` in secure mode, for someone else's rights.
    Secure {
        less: std::path::PathBuf,
        set_less: bool,
    },
}

/// The pager to run, or `None` for none (also when there is no `less` for the
/// default: output must never be lost to a pager that is not there).
pub fn command(env: &Env) -> Option<PagerCmd> {
    // As git: the person's own LESS (even an empty one) is theirs to keep.
    let set_less = !env.vars.contains_key("LESS");
    let pager = env.vars.get("PAGER").map(|p| p.trim());
    if matches!(pager, Some("") | Some("cat")) {
        return None;
    }
    if env.runs_with_someone_elses_rights() {
        let less = SYSTEM_LESS
            .iter()
            .map(std::path::Path::new)
            .find(|p| p.is_file())?;
        return Some(PagerCmd::Secure {
            less: less.to_path_buf(),
            set_less,
        });
    }
    let cmd = match pager {
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
        None => on_path(env, "less").then(|| "less".to_string()),
    }?;
    Some(PagerCmd::Shell { cmd, set_less })
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
    cmd: PagerCmd,
    child: Option<(Child, ChildStdin)>,
    direct: bool,
}

impl Pager {
    pub fn new(cmd: PagerCmd) -> Pager {
        Pager {
            cmd,
            child: None,
            direct: false,
        }
    }

    fn start(&mut self) {
        let (mut command, set_less) = match &self.cmd {
            PagerCmd::Shell { cmd, set_less } => {
                let mut c = Command::new("sh");
                c.args(["-c", cmd]);
                (c, *set_less)
            }
            PagerCmd::Secure { less, set_less } => {
                let mut c = Command::new(less);
                for var in UNSAFE_LESS_VARS {
                    c.env_remove(var);
                }
                c.env("LESSSECURE", "1").env("LESSHISTFILE", "-");
                (c, *set_less)
            }
        };
        if set_less {
            command.env("LESS", "FRX");
        }
        let spawned = command.stdin(Stdio::piped()).spawn();
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
