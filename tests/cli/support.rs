//! `TestEnv`: a temp store, an isolated config/data directory, and helpers that run the
//! real `gatehouse` binary with no terminal and assert exit code, stdout and stderr.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PW: &str = "Adm1n-secret-pw";

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestEnv {
    /// An empty directory; the store is not created.
    pub fn empty() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store").join("gatehouse.db");
        TestEnv { dir, db }
    }

    /// A store initialized with the admin `ADMIN_EMAIL` / `ADMIN_PW`.
    pub fn new() -> TestEnv {
        let env = TestEnv::empty();
        env.cmd(&[
            "init",
            "--email",
            ADMIN_EMAIL,
            "--name",
            "admin",
            "--password-stdin",
        ])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command with no credentials at all.
    pub fn cmd(&self, args: &[&str]) -> Cmd {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("gatehouse"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("GATEHOUSE_DB", &self.db);
        Cmd {
            cmd: c,
            stdin: None,
        }
    }

    /// A command authenticated as the admin.
    pub fn admin(&self, args: &[&str]) -> Cmd {
        self.as_user(ADMIN_EMAIL, ADMIN_PW, args)
    }

    /// A command authenticated with GATEHOUSE_EMAIL / GATEHOUSE_PASSWORD.
    pub fn as_user(&self, email: &str, pw: &str, args: &[&str]) -> Cmd {
        let mut c = self.cmd(args);
        c.cmd
            .env("GATEHOUSE_EMAIL", email)
            .env("GATEHOUSE_PASSWORD", pw);
        c
    }

    /// A command authenticated with a session token.
    pub fn with_token(&self, token: &str, args: &[&str]) -> Cmd {
        let mut c = self.cmd(args);
        c.cmd.env("GATEHOUSE_TOKEN", token);
        c
    }

    /// Adds a user with the given role and password; returns nothing, panics on failure.
    pub fn add_user(&self, name: &str, email: &str, role: &str, pw: &str) {
        self.admin(&[
            "user",
            "add",
            "--name",
            name,
            "--email",
            email,
            "--role",
            role,
            "--password-stdin",
        ])
        .stdin(&format!("{pw}\n"))
        .run()
        .ok();
    }

    /// `login --print-token` for a user.
    pub fn token(&self, email: &str, pw: &str) -> String {
        let r = self
            .cmd(&[
                "login",
                "--email",
                email,
                "--password-stdin",
                "--print-token",
            ])
            .stdin(&format!("{pw}\n"))
            .run()
            .ok();
        r.stdout.trim().to_string()
    }

    /// The store's users as JSON, read by the admin.
    pub fn users_json(&self) -> Vec<serde_json::Value> {
        let r = self.admin(&["user", "list", "--json"]).run().ok();
        r.json().as_array().unwrap().clone()
    }

    /// The store's logical content, to prove "nothing changed". `last_login_at` is left
    /// out: authenticating the command that then fails rightly records a login.
    pub fn snapshot(&self) -> String {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut out = String::new();
        for table in ["users", "packages", "assignments", "sessions", "settings"] {
            let sql = if table == "users" {
                "SELECT id, email, name, full_name, phone, role, status, password_hash, \
                 must_change_password, created_at, updated_at, password_changed_at, expires_at, \
                 failed_logins, locked_until, email_notifications, sms_notifications, \
                 shipment_updates, system_announcements FROM users ORDER BY 1"
                    .to_string()
            } else {
                format!("SELECT * FROM {table} ORDER BY 1")
            };
            let mut stmt = conn.prepare(&sql).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut line = String::new();
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        line.push_str(&format!("{v:?}|"));
                    }
                    Ok(line)
                })
                .unwrap();
            for row in rows {
                out.push_str(table);
                out.push(':');
                out.push_str(&row.unwrap());
                out.push('\n');
            }
        }
        out
    }

    /// Users' rows only (sessions and audit entries may legitimately change on failure).
    pub fn users_snapshot(&self) -> String {
        self.snapshot()
            .lines()
            .filter(|l| {
                l.starts_with("users:")
                    || l.starts_with("assignments:")
                    || l.starts_with("packages:")
            })
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

pub struct Cmd {
    pub cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Cmd {
    pub fn stdin(mut self, s: &str) -> Cmd {
        self.stdin = Some(s.as_bytes().to_vec());
        self
    }
    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.cmd.env(k, v);
        self
    }
    pub fn env_remove(mut self, k: &str) -> Cmd {
        self.cmd.env_remove(k);
        self
    }

    /// Runs with stdin from the given bytes, or from /dev/null — never a terminal.
    pub fn run(mut self) -> Run {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = self.cmd.spawn().expect("spawn gatehouse");
        if let Some(input) = self.stdin.take() {
            let mut si = child.stdin.take().unwrap();
            // The command may exit before reading everything.
            let _ = si.write_all(&input);
        }
        let out: Output = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Spawns without waiting (for concurrency tests).
    pub fn spawn(mut self) -> std::process::Child {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = self.cmd.spawn().expect("spawn gatehouse");
        if let Some(input) = self.stdin.take() {
            let mut si = child.stdin.take().unwrap();
            let _ = si.write_all(&input);
        }
        child
    }
}
