//! `TestEnv`: a temp store, an isolated config/data directory, and helpers that run the
//! real `gatehouse` binary with no terminal and assert exit code, stdout and stderr.

#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher, SaltString};
use serde_json::Value;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PW: &str = "Adm1n-secret-pw";

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// The admin's session, made once: commands run as the admin use it instead of a
    /// password, so they pay no argon2 verification each.
    admin_token: Option<String>,
    /// On a PostgreSQL store: its private server, and the installer's connection string.
    pub pg: Option<PgStore>,
}

/// A test's PostgreSQL store: a private cluster of its own (stopped when dropped), or —
/// with `GATEHOUSE_TEST_PG_URL` — a database on that server, one test at a time (login
/// roles belong to the whole server).
pub struct PgStore {
    _server: crate::pg::TestPg,
    /// Connects as the role that may create roles (`init`, and the tests' own checks).
    pub install_url: String,
    _serial: Option<Serial>,
}

thread_local! {
    /// Whether `TestEnv::new` / `empty` on this thread make PostgreSQL stores (set by
    /// `on_both_stores!` for its `postgres` case).
    static ON_POSTGRES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(db) = self
            .install_url
            .parse::<postgres::Config>()
            .ok()
            .and_then(|c| c.get_dbname().map(str::to_string))
        {
            self._server.drop_store(&db);
        }
    }
}

static EXTERNAL_SERVER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// The external server's turn, while a test on this thread holds it (a test that
    /// opens two stores takes it once, not twice).
    static TURN: std::cell::RefCell<(u32, Option<std::sync::MutexGuard<'static, ()>>)> =
        const { std::cell::RefCell::new((0, None)) };
}

/// One test at a time on an external server: held by each of its stores, released with
/// the last.
pub struct Serial;

impl Serial {
    pub fn take() -> Serial {
        TURN.with(|t| {
            let mut t = t.borrow_mut();
            if t.0 == 0 {
                t.1 = Some(EXTERNAL_SERVER.lock().unwrap_or_else(|e| e.into_inner()));
            }
            t.0 += 1;
        });
        Serial
    }
}

impl Drop for Serial {
    fn drop(&mut self) {
        TURN.with(|t| {
            let mut t = t.borrow_mut();
            t.0 -= 1;
            if t.0 == 0 {
                t.1 = None;
            }
        });
    }
}

/// For a test's `postgres` case: whether a server can be had (if not, the skip is said
/// in one line — or, where one is required, the test fails). Stores made on this thread
/// from now on are PostgreSQL stores.
pub fn use_postgres() -> Option<OnPostgres> {
    if let Err(why) = crate::pg::available() {
        crate::pg::skipped(&why);
        return None;
    }
    ON_POSTGRES.with(|p| p.set(true));
    Some(OnPostgres)
}

/// While held, stores made on this thread are PostgreSQL stores.
pub struct OnPostgres;

impl Drop for OnPostgres {
    fn drop(&mut self) {
        ON_POSTGRES.with(|p| p.set(false));
    }
}

/// Whether this test runs on a PostgreSQL store.
pub fn on_postgres() -> bool {
    ON_POSTGRES.with(|p| p.get())
}

/// Runs each test on a SQLite store and on a PostgreSQL store: `name::sqlite` and
/// `name::postgres`, one body.
#[macro_export]
macro_rules! on_both_stores {
    ($( $(#[$meta:meta])* fn $name:ident() $body:block )*) => { $(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(#[$meta])*
            fn body() $body
            #[test]
            fn sqlite() {
                body()
            }
            #[test]
            fn postgres() {
                if let Some(_on) = $crate::support::use_postgres() {
                    body()
                }
            }
        }
    )* };
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
    /// stdout as JSON lines: one value per line.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}\n{}", self.stdout))
            })
            .collect()
    }
}

impl TestEnv {
    /// An empty directory; the store is not created.
    pub fn empty() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        if on_postgres() {
            let serial = std::env::var_os("GATEHOUSE_TEST_PG_URL").map(|_| Serial::take());
            let server = crate::pg::start().expect("a PostgreSQL server for the test");
            let (install_url, person_url) = server.store_urls();
            return TestEnv {
                dir,
                db: PathBuf::from(person_url),
                admin_token: None,
                pg: Some(PgStore {
                    _server: server,
                    install_url,
                    _serial: serial,
                }),
            };
        }
        let db = dir.path().join("store").join("gatehouse.db");
        TestEnv {
            dir,
            db,
            admin_token: None,
            pg: None,
        }
    }

    /// An empty store on a server the test started itself (not yet initialized).
    pub fn on_server(server: crate::pg::TestPg) -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let (install_url, person_url) = server.store_urls();
        TestEnv {
            dir,
            db: PathBuf::from(person_url),
            admin_token: None,
            pg: Some(PgStore {
                _server: server,
                install_url,
                _serial: None,
            }),
        }
    }

    /// The store's database as the cluster's superuser: for a test that plays a DBA
    /// who changes what only a superuser may (a private cluster only).
    pub fn superuser(&self) -> postgres::Client {
        let server = self.server().expect("a PostgreSQL store");
        let mut cfg: postgres::Config = server.superuser_url().parse().unwrap();
        let db: postgres::Config = self.pg.as_ref().unwrap().install_url.parse().unwrap();
        cfg.dbname(db.get_dbname().unwrap_or("postgres"));
        cfg.connect(postgres::NoTls).unwrap()
    }

    /// The server under a PostgreSQL store.
    pub fn server(&self) -> Option<&crate::pg::TestPg> {
        self.pg.as_ref().map(|p| &p._server)
    }

    /// The same store after its cluster's upgrade to the server in `new_bin` (see
    /// `TestPg::upgrade`).
    pub fn upgrade_server(mut self, new_bin: &Path) -> TestEnv {
        let mut pg = self.pg.take().expect("a PostgreSQL store");
        let server = pg._server.upgrade(new_bin).expect("pg_upgrade");
        TestEnv::on_server(server)
    }

    /// A store initialized with the admin `ADMIN_EMAIL` / `ADMIN_PW`. On PostgreSQL the
    /// server logs each command in (there are no gatehouse sessions), by password.
    pub fn new() -> TestEnv {
        let mut env = TestEnv::empty();
        env.init().ok();
        if env.pg.is_none() {
            env.admin_token = Some(env.token(ADMIN_EMAIL, ADMIN_PW));
        }
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command with no credentials at all.
    pub fn cmd(&self, args: &[&str]) -> Cmd {
        self.cmd_using(&assert_cmd::cargo::cargo_bin("gatehouse"), args)
    }

    /// [`TestEnv::cmd`] with another copy of the binary (one another user can reach).
    pub fn cmd_using(&self, bin: &Path, args: &[&str]) -> Cmd {
        let mut c = Command::new(bin);
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

    /// A command authenticated as the admin (with the admin's session token).
    pub fn admin(&self, args: &[&str]) -> Cmd {
        match &self.admin_token {
            Some(t) => self.with_token(t, args),
            None => self.admin_pw(args),
        }
    }

    /// A command authenticated as the admin with the password, for tests about
    /// password logins themselves.
    pub fn admin_pw(&self, args: &[&str]) -> Cmd {
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

    /// `login --print-token` for a user, whatever its outcome.
    pub fn login(&self, email: &str, pw: &str) -> Run {
        if self.pg.is_some() {
            // The server logs each command in: a command is the login.
            return self.as_user(email, pw, &["whoami"]).run();
        }
        self.cmd(&[
            "login",
            "--email",
            email,
            "--password-stdin",
            "--print-token",
        ])
        .stdin(&format!("{pw}\n"))
        .run()
    }

    /// A session token for a user who must be able to log in.
    pub fn token(&self, email: &str, pw: &str) -> String {
        self.login(email, pw).ok().stdout.trim().to_string()
    }

    /// `init` of this store with the admin `ADMIN_EMAIL` / `ADMIN_PW`.
    pub fn init(&self) -> Run {
        let mut cmd = self.cmd(&[
            "init",
            "--email",
            ADMIN_EMAIL,
            "--name",
            "admin",
            "--password-stdin",
        ]);
        if let Some(pg) = &self.pg {
            cmd.cmd.env("GATEHOUSE_DB", &pg.install_url);
        }
        cmd.stdin(&format!("{ADMIN_PW}\n")).run()
    }

    /// The store's users as JSON, read by the admin.
    pub fn users_json(&self) -> Vec<serde_json::Value> {
        let r = self.admin(&["user", "list", "--json"]).run().ok();
        r.json().as_array().unwrap().clone()
    }

    /// The store's logical content, to prove "nothing changed". `last_login_at` is left
    /// out: authenticating the command that then fails rightly records a login.
    pub fn snapshot(&self) -> String {
        if let Some(pg) = &self.pg {
            return pg_snapshot(&pg.install_url);
        }
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

/// [`TestEnv::snapshot`] of a PostgreSQL store, read as the installer (no policy hides a
/// row from it): the same tables, the same columns, as text.
fn pg_snapshot(url: &str) -> String {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect as the installer");
    let mut out = String::new();
    for table in ["users", "packages", "assignments", "settings"] {
        let columns = if table == "users" {
            "id, email, name, full_name, phone, role, status, password_hash, \
             must_change_password, created_at, updated_at, password_changed_at, expires_at, \
             failed_logins, locked_until, email_notifications, sms_notifications, \
             shipment_updates, system_announcements"
        } else {
            "*"
        };
        let sql = format!(
            "SELECT row_to_json(t)::text FROM (SELECT {columns} FROM gatehouse.{table} \
             ORDER BY 1) t"
        );
        for row in c.query(&sql, &[]).unwrap() {
            out.push_str(table);
            out.push(':');
            out.push_str(&row.get::<_, String>(0));
            out.push('\n');
        }
    }
    out
}

pub struct Cmd {
    pub cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Cmd {
    pub fn stdin(self, s: &str) -> Cmd {
        self.stdin_bytes(s.as_bytes())
    }

    pub fn stdin_bytes(mut self, bytes: &[u8]) -> Cmd {
        self.stdin = Some(bytes.to_vec());
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

    /// Runs with stdin from the given bytes, or from /dev/null — never a terminal —
    /// under the watchdog.
    pub fn run(self) -> Run {
        let what = self.describe();
        run_watched(self, &what)
    }

    /// The command line, for messages.
    fn describe(&self) -> String {
        self.cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
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

/// How long any one command may run before the suite calls it hung.
pub const WATCHDOG: Duration = Duration::from_secs(120);

/// Runs `cmd`, killing it (and failing the test, naming `what`) if it outlives the
/// watchdog: a command waiting for input must fail the suite, not hang it.
pub fn run_watched(cmd: Cmd, what: &str) -> Run {
    let mut child = cmd.spawn();
    // Read both pipes on their own threads so a chatty child cannot block on a full one.
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + WATCHDOG;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`gatehouse {what}` was still running after {WATCHDOG:?} (waiting for input?)");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Waits for a spawned child and collects what it printed.
pub fn finish(mut child: Child) -> Run {
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = child.wait().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// The store, opened directly (to look behind the tool's back).
pub fn conn(env: &TestEnv) -> rusqlite::Connection {
    rusqlite::Connection::open(&env.db).unwrap()
}

/// The one number a query returns.
pub fn count(env: &TestEnv, sql: &str) -> i64 {
    conn(env).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Writes a file in the test's directory, readable by its owner only (so it also
/// serves as a password file); returns its path.
pub fn write(env: &TestEnv, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = env.path().join(name);
    fs::write(&p, bytes).unwrap();
    chmod(&p, 0o600);
    p.to_str().unwrap().to_string()
}

pub fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// The permission bits of a file.
pub fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

pub fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// The store's `-wal` file.
pub fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

/// Every byte of the store and its WAL, to search for secrets.
pub fn store_bytes(env: &TestEnv) -> Vec<u8> {
    let mut bytes = fs::read(&env.db).unwrap();
    if let Ok(wal) = fs::read(wal_path(&env.db)) {
        bytes.extend_from_slice(&wal);
    }
    bytes
}

pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// `n` bytes of repeatable noise (xorshift).
pub fn junk_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A day `days` from today (UTC), as `YYYY-MM-DD`: dates in tests move with the clock,
/// so none of them drifts into the past.
pub fn day_from_now(days: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * days))
        .strftime("%Y-%m-%d")
        .to_string()
}

/// The one pseudo-terminal driver: `cmd` on a real terminal (rexpect), so prompts are
/// asked as a person sees them.
pub fn pty(mut cmd: Cmd) -> rexpect::session::PtySession {
    cmd.cmd.env("TERM", "xterm");
    // No pager unless the test asks for one: what is on the screen is the output.
    if !cmd.cmd.get_envs().any(|(k, _)| k == "PAGER") {
        cmd.cmd.env("PAGER", "cat");
    }
    rexpect::session::spawn_command(cmd.cmd, Some(20_000)).expect("spawn on a pseudo-terminal")
}

/// `cmd` on a terminal `cols` columns wide (as `stty` sets it), for output that fits the
/// screen.
pub fn pty_of_width(cmd: Cmd, cols: u16) -> rexpect::session::PtySession {
    pty_of_size(cmd, cols, 50)
}

/// Types `s` as is (keys, arrows), without a newline.
pub fn send(p: &mut rexpect::session::PtySession, s: &str) {
    p.send(s).unwrap();
    p.flush().unwrap();
}

/// Runs `cmd` on a terminal, answering each prompt (waited for by its text) with a
/// line; returns the exit code and everything the terminal showed.
pub fn on_terminal(cmd: Cmd, answers: &[(&str, &str)]) -> (i32, String) {
    use rexpect::process::WaitStatus;
    let mut p = pty(cmd);
    let mut screen = String::new();
    for (prompt, answer) in answers {
        let before = p
            .exp_string(prompt)
            .unwrap_or_else(|e| panic!("no prompt {prompt:?}: {e}\n{screen}"));
        screen.push_str(&before);
        screen.push_str(prompt);
        p.send_line(answer).unwrap();
    }
    screen.push_str(&p.exp_eof().unwrap());
    let code = match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the command did not exit: {other:?}\n{screen}"),
    };
    (code, screen)
}

/// A writer the test keeps a handle on.
#[derive(Clone, Default)]
struct Captured(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl TestEnv {
    /// Runs `gatehouse ARGS` inside the test process, with `vars` as its environment
    /// (besides the store and directories) and the clock at `now`: no process to start,
    /// and time the test chooses. For commands that read nothing from standard input.
    pub fn in_process(&self, vars: &[(&str, &str)], args: &[&str], now: jiff::Timestamp) -> Run {
        use clap::Parser;
        // clap reads GATEHOUSE_DB from the process's environment: name the store here.
        let db = self.db.to_string_lossy().into_owned();
        let argv = ["gatehouse", "--db", db.as_str()]
            .into_iter()
            .chain(args.iter().copied());
        let cli = match gatehouse::cli::Cli::try_parse_from(argv) {
            Ok(cli) => cli,
            Err(e) => {
                return Run {
                    code: 2,
                    stdout: String::new(),
                    stderr: e.to_string(),
                }
            }
        };
        let mut env_vars: std::collections::HashMap<String, String> = [
            ("HOME", self.path().join("home")),
            ("XDG_CONFIG_HOME", self.path().join("config")),
            ("XDG_DATA_HOME", self.path().join("data")),
            ("GATEHOUSE_DB", self.db.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string_lossy().into_owned()))
        .collect();
        for (k, v) in vars {
            env_vars.insert(k.to_string(), v.to_string());
        }
        let env = gatehouse::Env {
            vars: env_vars,
            stdin_tty: false,
            stdout_tty: false,
            stderr_tty: false,
            now,
            login_uid: None,
        };
        let (out, err) = (Captured::default(), Captured::default());
        let output = gatehouse::output::Output::new(
            cli.global.effective_format(),
            cli.global.color,
            cli.global.quiet,
            env.color_preference(),
            false,
            false,
            Box::new(out.clone()),
            Box::new(err.clone()),
        );
        let code = match gatehouse::run(&cli, &env, &output).and_then(|()| output.flush()) {
            Ok(()) => 0,
            Err(e) => {
                output.error(&e);
                i32::from(e.exit_code())
            }
        };
        let text = |c: &Captured| String::from_utf8_lossy(&c.0.borrow()).into_owned();
        Run {
            code,
            stdout: text(&out),
            stderr: text(&err),
        }
    }
}

/// `cmd` on a terminal of `rows` lines, `cols` wide (as `stty` sets it): a few rows make
/// a pager wait for keys rather than return at once.
pub fn pty_of_size(cmd: Cmd, cols: u16, rows: u16) -> rexpect::session::PtySession {
    let program = cmd.cmd.get_program().to_owned();
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("stty cols {cols} rows {rows}; exec \"$0\" \"$@\""))
        .arg(program)
        .args(cmd.cmd.get_args())
        .env_clear();
    for (k, v) in cmd.cmd.get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    pty(Cmd {
        cmd: sh,
        stdin: None,
    })
}

// ---------------------------------------------------------------------------------------
// Fixtures and checks that more than one command's tests use
// ---------------------------------------------------------------------------------------

pub const BOB: &str = "bob@example.com";

pub const BOB_PW: &str = "Bob-secret-pw-1";

// 8. Import files that plant admins.

pub fn admin_hash(env: &TestEnv) -> String {
    conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [ADMIN_EMAIL],
            |r| r.get(0),
        )
        .unwrap()
}

pub fn with_bob() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", BOB_PW);
    env
}

pub const PW: &str = "Str0ng-pass-1";

pub fn audit_count(env: &TestEnv) -> usize {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize
}

pub const ALICE: &str = "alice@example.com";

pub const CAROL: &str = "carol@example.com";

/// Whether `email`/`pw` can log in (a real password login).
pub fn can_login(env: &TestEnv, email: &str, pw: &str) -> bool {
    env.login(email, pw).code == 0
}

pub fn create_package(env: &TestEnv, name: &str) {
    env.admin(&["package", "create", name]).run().ok();
}

/// A store with packages `north` and `south`, and users alice (north) and bob (south),
/// both with role `user`, added through an import with fixed hashes (fast).
pub fn env_with_people() -> TestEnv {
    let env = TestEnv::new();
    create_package(&env, "north");
    create_package(&env, "south");
    // A ready hash saves two argon2 runs; where the database server logs people in,
    // only a password (its verifier made from it) lets them log in.
    let (column, secret) = if on_postgres() {
        ("password", PW.to_string())
    } else {
        ("password_hash", quoted(&phc(PW)))
    };
    let file = write(
        &env,
        "people.csv",
        format!(
            "email,name,role,packages,{column}\n\
             {ALICE},alice,user,north,{secret}\n\
             {BOB},bob,user,south,{secret}\n"
        ),
    );
    import(&env, &[&file])
        .run()
        .ok()
        .stdout_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    env
}

/// `user import ARGS...` as the admin.
pub fn import(env: &TestEnv, args: &[&str]) -> Cmd {
    let mut a = vec!["user", "import"];
    a.extend_from_slice(args);
    env.admin(&a)
}

pub fn packages_of(u: &Value) -> Vec<String> {
    let mut v: Vec<String> = u["packages"]
        .as_array()
        .unwrap_or_else(|| panic!("no packages array in {u}"))
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// An argon2 PHC string for `pw` (fixed salt: deterministic and fast enough).
pub fn phc(pw: &str) -> String {
    argon2::Argon2::default()
        .hash_password(
            pw.as_bytes(),
            &SaltString::encode_b64(b"0123456789abcdef").unwrap(),
        )
        .unwrap()
        .to_string()
}

/// A CSV field in quotes (a PHC string holds commas).
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `user show EMAIL --json`.
pub fn user(env: &TestEnv, email: &str) -> Value {
    env.admin(&["user", "show", email, "--json"])
        .run()
        .ok()
        .json()
}

pub fn user_exists(env: &TestEnv, email: &str) -> bool {
    env.users_json()
        .iter()
        .any(|u| u["email"].as_str() == Some(email))
}

pub const NOBODY: &str = "nobody@example.com";

pub const PW2: &str = "An0ther-pass-2";

/// The fields every user object carries (README, Output).
pub const USER_FIELDS: &[&str] = &[
    "id",
    "email",
    "name",
    "full_name",
    "phone",
    "role",
    "status",
    "packages",
    "package_count",
    "must_change_password",
    "created_at",
    "updated_at",
    "last_login_at",
    "expires_at",
];

pub const WRONG_PW: &str = "Wr0ng-pass-99";

/// The admin commands, as a regular user would try them on `target` (with a password
/// on stdin where one is taken).
pub fn admin_commands(target: &'static str) -> Vec<(Vec<&'static str>, Option<String>)> {
    vec![
        (vec!["user", "list"], None),
        (vec!["user", "show", target], None),
        (
            vec![
                "user",
                "add",
                "--name",
                "carol",
                "--email",
                CAROL,
                "--password-stdin",
            ],
            Some(pw_line(PW)),
        ),
        (vec!["user", "edit", target, "--name", "x"], None),
        (vec!["user", "edit", target, "--role", "admin"], None),
        (
            vec!["user", "passwd", target, "--password-stdin"],
            Some(pw_line(PW2)),
        ),
        (vec!["user", "activate", target], None),
        (vec!["user", "deactivate", target], None),
        (vec!["user", "unlock", target], None),
    ]
}

/// `state` for commands run by the admin.
pub fn admin_state(env: &TestEnv) -> String {
    state(env, &[ADMIN_EMAIL])
}

#[track_caller]
pub fn assert_user_object(v: &serde_json::Value) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object: {v}"));
    for f in USER_FIELDS {
        assert!(obj.contains_key(*f), "user object lacks `{f}`: {v}");
    }
    assert!(!obj.contains_key("password_hash"), "secret in output: {v}");
}

/// One column of one user, read straight from the store.
pub fn column(env: &TestEnv, email: &str, col: &str) -> rusqlite::types::Value {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row(
        &format!("SELECT {col} FROM users WHERE email = ?1"),
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

pub fn emails(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

/// A store with the admin, alice and bob (both regular users, password `PW`).
pub fn env_with_users() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env
}

pub fn pw_line(pw: &str) -> String {
    format!("{pw}\n")
}

/// Runs a command, failing the test instead of hanging when it waits for input.
pub fn run_bounded(cmd: Cmd) -> Run {
    let child = cmd.spawn();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => {
            let out = out.unwrap();
            Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        }
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(pid.to_string())
                .status();
            panic!("gatehouse did not finish: it seems to wait for input");
        }
    }
}

/// The store's logical content (like `TestEnv::snapshot`), except the `last_login_at` of
/// the users who authenticated with a password to run the commands under test: a
/// successful password login legitimately stamps it, with one-second resolution, so an
/// exact snapshot would depend on the clock.
pub fn state(env: &TestEnv, actors: &[&str]) -> String {
    use rusqlite::types::Value;
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut out = String::new();
    for table in ["users", "packages", "assignments", "sessions", "settings"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let n = names.len();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            let row = row.unwrap();
            let is_actor = table == "users"
                && names
                    .iter()
                    .position(|c| c == "email")
                    .and_then(|i| match &row[i] {
                        Value::Text(e) => Some(actors.contains(&e.as_str())),
                        _ => None,
                    })
                    .unwrap_or(false);
            out.push_str(table);
            out.push(':');
            for (col, v) in names.iter().zip(&row) {
                if is_actor && col == "last_login_at" {
                    out.push_str("last_login_at=<actor>|");
                } else {
                    out.push_str(&format!("{col}={v:?}|"));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// A user's JSON object as the admin sees it.
pub fn user_json(env: &TestEnv, who: &str) -> serde_json::Value {
    env.admin(&["user", "show", who, "--json"])
        .run()
        .ok()
        .json()
}

/// `user add` as the admin with a password on stdin.
pub fn add_cmd(env: &TestEnv, name: &str, email: &str, pw: &str) -> Cmd {
    env.admin(&[
        "user",
        "add",
        "--name",
        name,
        "--email",
        email,
        "--password-stdin",
    ])
    .stdin(&format!("{pw}\n"))
}

/// Folds the WAL into the main file and removes it, so the file alone is the store.
pub fn checkpoint(env: &TestEnv) {
    let c = conn(env);
    let _: (i64, i64, i64) = c
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
}

/// A valid argon2id PHC string (fixed salt), so imports need no hashing per row.
pub fn imported_phc() -> &'static str {
    static PHC: OnceLock<String> = OnceLock::new();
    PHC.get_or_init(|| {
        argon2::Argon2::default()
            .hash_password(
                b"Imported-secret-pw-1",
                &SaltString::encode_b64(b"hardening-salt16").unwrap(),
            )
            .unwrap()
            .to_string()
    })
}

pub fn integrity(env: &TestEnv) -> String {
    conn(env)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

pub fn login(env: &TestEnv, email: &str, pw: &str) -> Run {
    env.cmd(&[
        "login",
        "--email",
        email,
        "--password-stdin",
        "--print-token",
    ])
    .stdin(&format!("{pw}\n"))
    .run()
}

/// A clean refusal: the expected code, an `error:` line, no panic, no internal error.
#[track_caller]
pub fn refused(r: Run, code: i32, what: &str) -> Run {
    assert_eq!(
        r.code, code,
        "{what}: expected exit {code}\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(
        r.stderr.contains("error:"),
        "{what}: no error line: {}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{what}: panicked: {}",
        r.stderr
    );
    r
}

pub fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

/// A CSV of `n` users `{prefix}{i}@example.com` with a `password_hash` column.
pub fn users_csv(prefix: &str, n: usize) -> String {
    let mut s = String::from("email,name,password_hash\n");
    let h = imported_phc();
    for i in 0..n {
        s.push_str(&format!("{prefix}{i}@example.com,{prefix}{i},\"{h}\"\n"));
    }
    s
}

pub fn names(run: &Run) -> Vec<String> {
    let mut v: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// A store with admin, alice and bob (users), and packages: `north` (by admin, assigned
/// to alice), `south` (by admin, unassigned), `bobs` (created by bob).
pub fn package_world() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env.admin(&[
        "package",
        "create",
        "north",
        "--description",
        "North region",
    ])
    .run()
    .ok();
    env.admin(&["package", "create", "south"]).run().ok();
    env.as_user(BOB, PW, &["package", "create", "bobs"])
        .run()
        .ok();
    env.admin(&["package", "assign", "north", "--user", ALICE])
        .run()
        .ok();
    env
}

// 2. The pager under sudo.

/// A simulated `sudo -u OWNER`: what sudo tells the command about who ran it.
pub fn under_sudo(cmd: Cmd) -> Cmd {
    cmd.env("SUDO_UID", "4001").env("SUDO_USER", "mallory")
}

/// The PHC prefix of a hash made with our parameters.
pub const STRONG_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

/// Every cell of the audit table, as text.
pub fn audit_text(env: &TestEnv) -> String {
    let conn = db_conn(env);
    let mut stmt = conn.prepare("SELECT * FROM audit ORDER BY id").unwrap();
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
    rows.map(|r| r.unwrap() + "\n").collect()
}

pub fn db_conn(env: &TestEnv) -> rusqlite::Connection {
    rusqlite::Connection::open(&env.db).unwrap()
}

pub fn password_hash(env: &TestEnv, email: &str) -> String {
    db_conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}
