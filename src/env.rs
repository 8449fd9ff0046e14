//! The process environment as an input: variables, which standard streams are
//! terminals, and the clock. `main` reads them once; tests build their own.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use jiff::Timestamp;

#[derive(Clone)]
pub struct Env {
    pub vars: HashMap<String, String>,
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub now: Timestamp,
    /// The kernel's login uid (`/proc/self/loginuid`): who logged in, even after `su`.
    pub login_uid: Option<u32>,
}

impl std::fmt::Debug for Env {
    // By hand: the variables may hold GATEHOUSE_PASSWORD or GATEHOUSE_TOKEN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("vars", &format_args!("<{} variables>", self.vars.len()))
            .field("stdin_tty", &self.stdin_tty)
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl Env {
    // The one place that reads the process environment and the clock.
    #[allow(clippy::disallowed_methods)]
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            stdin_tty: std::io::stdin().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
            now: Timestamp::now(),
            login_uid: std::fs::read_to_string("/proc/self/loginuid")
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
                // (uid_t)-1: no login recorded (containers, daemons).
                .filter(|uid| *uid != u32::MAX),
        }
    }

    /// The person behind this command, as far as the system can tell: `sudo` names the
    /// one who ran it (`SUDO_UID`), else the login uid, else the uid we run as. A saved
    /// session belongs to this person, so a shared store account does not hand one
    /// person's session to the next.
    pub fn invoking_uid(&self) -> u32 {
        self.sudo_uid().or(self.login_uid).unwrap_or_else(euid)
    }

    /// `SUDO_UID`, when this command runs under sudo.
    pub fn sudo_uid(&self) -> Option<u32> {
        self.var("SUDO_UID").and_then(|v| v.parse().ok())
    }

    /// Whether a file named on the command line would be read with rights the person
    /// running the command may not have: under `sudo -u OWNER`, gatehouse runs as the
    /// store's owner, not as the person who typed the path.
    pub fn reads_files_for_someone_else(&self) -> bool {
        let me = euid();
        self.sudo_uid().is_some_and(|u| u != me && u != 0)
    }

    /// Whether this command runs with rights that are not those of the person at the
    /// terminal: under `sudo` (`SUDO_UID` or `SUDO_USER` set), or set-uid (real and
    /// effective users differ). Then nothing the person can reach may run a command or
    /// open a file for them (the pager).
    pub fn runs_with_someone_elses_rights(&self) -> bool {
        // SAFETY: getuid and geteuid have no preconditions and cannot fail.
        let (real, effective) = unsafe { (libc::getuid(), libc::geteuid()) };
        self.var("SUDO_UID").is_some() || self.var("SUDO_USER").is_some() || real != effective
    }

    /// A variable's value; unset and empty are the same.
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// What the environment says about colour with `--color auto`, by the usual
    /// conventions: `NO_COLOR` turns it off, `CLICOLOR_FORCE` (not `0`) on even when not
    /// a terminal, `CLICOLOR=0` off. `None`: decide by whether it is a terminal.
    pub fn color_preference(&self) -> Option<bool> {
        if self.var("NO_COLOR").is_some() {
            Some(false)
        } else if self.var("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
            Some(true)
        } else if self.var("CLICOLOR") == Some("0") {
            Some(false)
        } else {
            None
        }
    }

    /// A base directory by the XDG convention, read from these variables (not the
    /// process's, so an `Env` made in a test is all there is): `$VAR`, else
    /// `$HOME/fallback`. Elsewhere than Linux, the platform's own folders.
    fn xdg(
        &self,
        var: &str,
        fallback: &str,
        platform: fn(&directories::ProjectDirs) -> PathBuf,
    ) -> Option<PathBuf> {
        if cfg!(target_os = "linux") {
            let base = self
                .var(var)
                .map(PathBuf::from)
                .or_else(|| self.var("HOME").map(|h| PathBuf::from(h).join(fallback)))?;
            return Some(base.join("gatehouse"));
        }
        directories::ProjectDirs::from("", "", "gatehouse").map(|d| platform(&d))
    }

    /// `gatehouse.db` in the platform's data directory.
    pub fn default_db(&self) -> Option<PathBuf> {
        self.xdg("XDG_DATA_HOME", ".local/share", |d| {
            d.data_dir().to_path_buf()
        })
        .map(|d| d.join("gatehouse.db"))
    }

    /// Where `login` keeps session tokens, one file per store and person.
    pub fn sessions_dir(&self) -> Option<PathBuf> {
        self.xdg("XDG_CONFIG_HOME", ".config", |d| {
            d.config_dir().to_path_buf()
        })
        .map(|d| d.join("sessions"))
    }
}

/// The effective uid of this process: whom files it creates belong to.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}
