//! Hardening: many processes at once, `kill -9` in the middle of an import, hostile
//! input of every kind, damaged and unwritable stores, a full disk, and every path a
//! password takes. Each case asserts the documented exit code and that nothing was lost.
//!
//! Cases already covered elsewhere are not repeated here: the 16 concurrent `user add`
//! writers, the same email from 8 processes and the busy `user add` (security.rs); CSV
//! with NUL bytes, invalid UTF-8, unterminated quotes, 10,000 columns and JSON nested
//! 10,000 deep (bulk.rs); the SQL-fragment package name on create/show (packages.rs).

use crate::support::*;

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher, SaltString};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A valid argon2id PHC string (fixed salt), so imports need no hashing per row.
fn phc() -> &'static str {
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

/// A CSV of `n` users `{prefix}{i}@example.com` with a `password_hash` column.
fn users_csv(prefix: &str, n: usize) -> String {
    let mut s = String::from("email,name,password_hash\n");
    let h = phc();
    for i in 0..n {
        s.push_str(&format!("{prefix}{i}@example.com,{prefix}{i},\"{h}\"\n"));
    }
    s
}

fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

fn integrity(env: &TestEnv) -> String {
    conn(env)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn foreign_key_violations(env: &TestEnv) -> usize {
    let c = conn(env);
    let mut stmt = c.prepare("PRAGMA foreign_key_check").unwrap();
    let n = stmt.query_map([], |_| Ok(())).unwrap().count();
    n
}

/// Folds the WAL into the main file and removes it, so the file alone is the store.
fn checkpoint(env: &TestEnv) {
    let c = conn(env);
    let _: (i64, i64, i64) = c
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
}

/// Every table's every cell, as text (blobs read as lossy UTF-8 so text in them shows).
fn dump_database(env: &TestEnv) -> String {
    let c = conn(env);
    let tables: Vec<String> = {
        let mut stmt = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.map(Result::unwrap).collect()
    };
    let mut out = String::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{t}:");
                for i in 0..n {
                    match r.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Text(s) => line.push_str(&s),
                        rusqlite::types::Value::Blob(b) => {
                            line.push_str(&String::from_utf8_lossy(&b))
                        }
                        other => line.push_str(&format!("{other:?}")),
                    }
                    line.push('|');
                }
                Ok(line)
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// A clean refusal: the expected code, an `error:` line, no panic, no internal error.
#[track_caller]
fn refused(r: Run, code: i32, what: &str) -> Run {
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

/// `user add` as the admin with a password on stdin.
fn add_cmd(env: &TestEnv, name: &str, email: &str, pw: &str) -> Cmd {
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

fn login(env: &TestEnv, email: &str, pw: &str) -> Run {
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

/// Deterministic per-test randomness without a dependency; the seed is printed so a
/// failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn from_clock(what: &str) -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{what}: random seed {seed}");
        }
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

fn restore(env: &TestEnv, pristine: &Path) {
    for p in [env.db.clone(), wal_path(&env.db), shm_path(&env.db)] {
        let _ = fs::remove_file(p);
    }
    fs::copy(pristine, &env.db).unwrap();
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o600)).unwrap();
}

fn long_email(total: usize) -> String {
    // A 64-character local part, then labels of at most 63 characters, then `.com`.
    let mut domain = String::new();
    let mut left = total - 64 - 1 - 4;
    let mut c = b'b';
    while left > 0 {
        if !domain.is_empty() {
            domain.push('.');
            left -= 1;
        }
        let n = left.min(63);
        domain.push_str(&(c as char).to_string().repeat(n));
        left -= n;
        c += 1;
    }
    let e = format!("{}@{domain}.com", "a".repeat(64));
    assert_eq!(e.len(), total, "{e}");
    e
}

/// An ASCII password of exactly `n` bytes, not on any list.
fn pw_of_len(n: usize) -> String {
    "Zq7#Lm2&Wv9!Xr4$Tb6*"
        .chars()
        .cycle()
        .take(n)
        .collect::<String>()
}

/// The euid of this process (root runs as "nobody" to see a read-only directory).
fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for e in fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path(), uid, gid);
        }
    }
}

/// A small tmpfs mounted for one test; unmounted on drop (also on panic).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Writes zeros into `path` until the file system is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    // Byte by byte for the last partial block.
    while f.write_all(&[0]).is_ok() {}
    let _ = f.sync_all();
}

/// One command and where its output went, with its arguments as the kernel saw them.
struct Logged {
    /// The arguments as built, and as /proc showed them while the process ran.
    argv: Vec<u8>,
    run: Run,
    /// A password this run was asked to print once (a generated one).
    printed: Option<String>,
}

fn logged(cmd: Cmd) -> Logged {
    let mut argv: Vec<u8> = Vec::new();
    for a in cmd.cmd.get_args() {
        argv.extend_from_slice(a.as_encoded_bytes());
        argv.push(0);
    }
    let child = cmd.spawn();
    // Once spawn returns the process image is gatehouse (exec succeeded); a process that
    // already exited shows an empty cmdline, and the built arguments still stand.
    argv.extend(fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default());
    Logged {
        argv,
        run: finish(child),
        printed: None,
    }
}

fn private_file(env: &TestEnv, name: &str, content: &str) -> String {
    let p = env.path().join(name);
    fs::write(&p, content).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn sixteen_processes_onboard_two_thousand_users_at_once() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let files: Vec<String> = (0..16)
        .map(|p| {
            write(
                &env,
                &format!("batch{p}.csv"),
                users_csv(&format!("p{p}-u"), 125),
            )
        })
        .collect();
    // All sixteen are started before any is waited for.
    let children: Vec<Child> = files
        .iter()
        .map(|f| env.with_token(&token, &["user", "import", f]).spawn())
        .collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    let failed: Vec<String> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.code != 0)
        .map(|(i, r)| format!("batch{i}: exit {} {}", r.code, r.stderr.trim()))
        .collect();
    assert!(failed.is_empty(), "imports failed:\n{}", failed.join("\n"));

    // Every user exists exactly once.
    assert_eq!(count(&env, "SELECT count(*) FROM users"), 2001);
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM (SELECT email FROM users GROUP BY email HAVING count(*) > 1)"
        ),
        0
    );
    let listed: HashSet<String> = env
        .with_token(&token, &["user", "list", "--format", "jsonl"])
        .run()
        .ok()
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["email"].as_str().unwrap().to_string()
        })
        .collect();
    for p in 0..16 {
        for i in 0..125 {
            let e = format!("p{p}-u{i}@example.com");
            assert!(listed.contains(&e), "{e} missing");
        }
    }
    assert_eq!(listed.len(), 2001);
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(integrity(&env), "ok");
    assert_eq!(foreign_key_violations(&env), 0);
}

#[test]
fn readers_keep_working_during_a_long_import() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let rows = 1500;
    let file = write(&env, "long.csv", users_csv("reader-u", rows));
    let mut import = env.with_token(&token, &["user", "import", &file]).spawn();
    let mut reads = 0;
    let mut seen = Vec::new();
    loop {
        let done = import.try_wait().unwrap().is_some();
        let r = env
            .with_token(&token, &["user", "list", "--format", "jsonl"])
            .run();
        assert_eq!(r.code, 0, "a reader failed during the import: {}", r.stderr);
        // A reader sees the store before or after the import, never half of it.
        let n = r.stdout.lines().count();
        assert!(n == 1 || n == rows + 1, "a reader saw {n} users");
        seen.push(n);
        reads += 1;
        if done && reads >= 3 {
            break;
        }
    }
    finish(import).ok();
    assert_eq!(*seen.last().unwrap(), rows + 1);
    // Other read-only commands work too while nothing is running.
    env.with_token(&token, &["audit", "verify"]).run().ok();
}

#[test]
fn store_locked_past_the_busy_timeout_gives_75_for_every_writer() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let file = write(&env, "few.csv", users_csv("busy-u", 20));
    let before = env.snapshot();
    let holder = conn(&env);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let writers: Vec<Vec<&str>> = vec![
        vec!["user", "import", &file],
        vec!["user", "deactivate", "bob@example.com"],
        vec!["user", "edit", "bob@example.com", "--name", "robert"],
        vec!["package", "create", "busy-pkg"],
        vec!["config", "set", "session.ttl", "2h"],
    ];
    for args in &writers {
        let what = args.join(" ");
        let r = run_watched(
            env.with_token(&token, args)
                .env("GATEHOUSE_BUSY_TIMEOUT", "300ms"),
            &what,
        );
        refused(r, 75, &what).stderr_has("safe to retry");
    }
    // Readers are not blocked by a writer in WAL mode.
    env.with_token(&token, &["user", "list"]).run().ok();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(env.snapshot(), before, "a busy command changed the store");
    // Each is fine once the lock is gone.
    for args in &writers {
        env.with_token(&token, args).run().ok();
    }
}

#[test]
fn sigkill_during_import_leaves_all_or_nothing() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    checkpoint(&env);
    let pristine = env.path().join("pristine.db");
    fs::copy(&env.db, &pristine).unwrap();
    let rows = 500usize;
    let file = write(&env, "crash.csv", users_csv("crash-u", rows));
    let audit_before = count(&env, "SELECT count(*) FROM audit");

    // One uninterrupted run: how long an import takes here (only to spread the kill
    // moments over it) and how many audit entries a complete one leaves.
    let t0 = Instant::now();
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    let full = t0.elapsed();
    let audit_after = count(&env, "SELECT count(*) FROM audit");
    assert_eq!(count(&env, "SELECT count(*) FROM users"), rows as i64 + 1);

    let mut rng = Rng::from_clock("sigkill_during_import");
    let full_ms = full.as_millis() as u64 + 1;
    let (mut none, mut all) = (0, 0);
    // 36 kills at random moments, then one at once (nothing can be written yet) and
    // one well after the import's usual time (everything is), so both outcomes occur.
    for round in 0..38 {
        restore(&env, &pristine);
        let mut child = env.with_token(&token, &["user", "import", &file]).spawn();
        if round == 36 {
            // At once.
        } else if round == 37 {
            std::thread::sleep(Duration::from_millis(full_ms * 3));
        } else if round % 2 == 0 {
            // Anywhere in the run, reading and validating included.
            std::thread::sleep(Duration::from_millis(rng.below(full_ms + full_ms / 5)));
        } else {
            // Aimed at the write: wait until the WAL starts to grow, then a little more.
            let wal = wal_path(&env.db);
            while child.try_wait().unwrap().is_none()
                && fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0
            {
                std::thread::sleep(Duration::from_micros(500));
            }
            std::thread::sleep(Duration::from_micros(rng.below(4_000)));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        // The next command recovers the store; everything must be intact.
        let verify = env.with_token(&token, &["audit", "verify"]).run();
        assert_eq!(
            verify.code, 0,
            "round {round}: audit chain broken after kill: {}",
            verify.stderr
        );
        let listed = env
            .with_token(&token, &["user", "list", "--format", "jsonl"])
            .run()
            .ok();
        let n = listed.stdout.lines().count();
        assert!(
            n == 1 || n == rows + 1,
            "round {round}: {n} users after kill: neither none nor all of {rows}"
        );
        let audit = count(&env, "SELECT count(*) FROM audit");
        if n == 1 {
            none += 1;
            assert_eq!(
                audit, audit_before,
                "round {round}: audit entries of a lost import"
            );
        } else {
            all += 1;
            assert_eq!(
                audit, audit_after,
                "round {round}: audit entries incomplete"
            );
        }
        assert_eq!(integrity(&env), "ok", "round {round}");
        assert_eq!(foreign_key_violations(&env), 0, "round {round}");
        let admins = env
            .with_token(
                &token,
                &[
                    "user", "list", "--role", "admin", "--status", "active", "--json",
                ],
            )
            .run()
            .ok()
            .json();
        assert_eq!(admins.as_array().unwrap().len(), 1, "round {round}");
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!("sigkill_during_import: 38 kills, {none} left nothing, {all} left everything");
    }
    assert!(
        none > 0 && all > 0,
        "both outcomes must occur: {none} left nothing, {all} left everything"
    );
    // The store still takes the import after all that.
    restore(&env, &pristine);
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
}

#[test]
fn hostile_emails_are_invalid_on_every_path_and_change_nothing() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("only spaces", "   ".into()),
        ("255 characters", long_email(255)),
        ("300 characters", format!("{}@example.com", "x".repeat(288))),
        (
            "65-character local part",
            format!("{}@example.com", "l".repeat(65)),
        ),
        ("inner space", "ali ce@example.com".into()),
        ("space in domain", "alice@exam ple.com".into()),
        ("tab", "alice\t@example.com".into()),
        ("newline", "alice\n@example.com".into()),
        ("carriage return", "alice@example.com\rx".into()),
        ("bell", "ali\u{7}ce@example.com".into()),
        ("escape sequence", "\u{1b}[31malice@example.com".into()),
        ("DEL", "alice\u{7f}@example.com".into()),
        ("C1 control NEL", "alice\u{85}@example.com".into()),
        ("two @", "alice@bob@example.com".into()),
        ("@@", "alice@@example.com".into()),
        ("no @", "alice.example.com".into()),
        ("no domain dot", "alice@localhost".into()),
        ("leading dot", ".alice@example.com".into()),
        (
            "SQL fragment",
            "x'; DROP TABLE users; --@example.com".into(),
        ),
    ];
    for (what, email) in &cases {
        // `user add --email`
        let r = add_cmd(&env, "mallory", email, "Mallory-secret-pw-1").run();
        refused(r, 7, &format!("user add email {what}"));
        // `init` on a fresh store refuses it too.
        let fresh = TestEnv::empty();
        let r = fresh
            .cmd(&["init", "--email", email, "--password-stdin"])
            .stdin("Mallory-secret-pw-1\n")
            .run();
        refused(r, 7, &format!("init email {what}"));
        assert!(!fresh.db.exists(), "init email {what}: a store was created");
        // `login --email`
        let r = login(&env, email, ADMIN_PW);
        assert!(
            r.code == 7 || r.code == 3,
            "login email {what}: exit {} {}",
            r.code,
            r.stderr
        );
    }
    // Through an import: every bad row is reported, nothing is written. JSON can carry
    // a NUL character, which a command-line argument cannot.
    let mut items: Vec<serde_json::Value> = cases
        .iter()
        .map(|(_, e)| serde_json::json!({"email": e, "name": "mallory", "password_hash": phc()}))
        .collect();
    items.push(
        serde_json::json!({"email": "nul\u{0}@example.com", "name": "n", "password_hash": phc()}),
    );
    let file = write(&env, "emails.json", serde_json::to_vec(&items).unwrap());
    let r = env.admin(&["user", "import", &file]).run();
    let r = refused(r, 7, "import of hostile emails");
    // Every row is reported (the "empty" ones as missing).
    for i in 1..=items.len() {
        assert!(
            r.stderr.contains(&format!("item {i}:")),
            "item {i} not reported:\n{}",
            r.stderr
        );
    }
    assert_eq!(env.snapshot(), before);

    // The boundary: 254 characters is a valid address and round-trips.
    let ok = long_email(254);
    add_cmd(&env, "longest", &ok, "Longest-secret-pw-1")
        .run()
        .ok();
    let shown = env
        .admin(&["user", "show", &ok.to_uppercase(), "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(shown["email"], ok.as_str());
}

#[test]
fn hostile_names_are_invalid_on_every_path_and_change_nothing() {
    let env = TestEnv::new();
    let pw = "Bob-secret-pw-1";
    env.add_user("bob", "bob@example.com", "user", pw);
    let before = env.snapshot();
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("only spaces", "    ".into()),
        ("65 characters", "n".repeat(65)),
        ("65 multibyte characters", "é".repeat(65)),
        ("newline", "bob\nby".into()),
        ("CRLF", "bob\r\nadmin@example.com  Admin  ✓ Active".into()),
        ("carriage return", "bob\rx".into()),
        ("tab", "bob\tx".into()),
        ("NUL-free bell", "bob\u{7}x".into()),
        ("escape sequence", "\u{1b}[2J\u{1b}[31mbob".into()),
        ("DEL", "bob\u{7f}".into()),
        ("C1 control NEL", "bob\u{85}x".into()),
        ("vertical tab", "bob\u{b}x".into()),
        ("form feed", "bob\u{c}x".into()),
    ];
    for (what, name) in &cases {
        let r = add_cmd(
            &env,
            name,
            &format!("n{}@example.com", what.len()),
            "Name-case-pw-1",
        )
        .run();
        refused(r, 7, &format!("user add name {what}"));
        let r = env
            .admin(&["user", "edit", "bob@example.com", "--name", name])
            .run();
        refused(r, 7, &format!("user edit name {what}"));
        let r = env
            .as_user("bob@example.com", pw, &["me", "edit", "--name", name])
            .run();
        refused(r, 7, &format!("me edit name {what}"));
        if name.chars().any(char::is_control) {
            let r = env
                .admin(&[
                    "user",
                    "edit",
                    "bob@example.com",
                    "--full-name",
                    &format!("x{name}x"),
                ])
                .run();
            refused(r, 7, &format!("user edit full name {what}"));
        }
    }
    // Through an import, NUL included (JSON can carry it).
    let mut items: Vec<serde_json::Value> = cases
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| !n.trim().is_empty())
        .map(|(i, (_, n))| {
            serde_json::json!({"email": format!("imp{i}@example.com"), "name": n, "password_hash": phc()})
        })
        .collect();
    items.push(
        serde_json::json!({"email": "nul@example.com", "name": "a\u{0}b", "password_hash": phc()}),
    );
    let file = write(&env, "names.json", serde_json::to_vec(&items).unwrap());
    let r = refused(
        env.admin(&["user", "import", &file]).run(),
        7,
        "import names",
    );
    for i in 1..=items.len() {
        assert!(
            r.stderr.contains(&format!("item {i}:")),
            "item {i}: {}",
            r.stderr
        );
    }
    // Every line of the error output is one line: the hostile text cannot forge lines.
    for line in r.stderr.lines() {
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "control character in error output: {line:?}"
        );
    }
    // A CSV with a quoted newline inside the name is refused as well.
    let file = write(
        &env,
        "names.csv",
        format!(
            "email,name,password_hash\nq@example.com,\"two\nlines\",\"{}\"\n",
            phc()
        ),
    );
    refused(
        env.admin(&["user", "import", &file]).run(),
        7,
        "CSV quoted newline",
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn passwords_at_the_length_limits() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    // (what, password, expected exit, warning expected)
    let cases: Vec<(&str, String, i32, bool)> = vec![
        ("5 bytes", pw_of_len(5), 7, false),
        ("6 bytes", pw_of_len(6), 0, true),
        ("7 bytes", pw_of_len(7), 0, true),
        ("8 bytes", pw_of_len(8), 0, false),
        ("64 bytes", pw_of_len(64), 0, false),
        ("1024 bytes", pw_of_len(1024), 0, false),
        ("1025 bytes", pw_of_len(1025), 7, false),
        (
            "512 two-byte characters (1024 bytes)",
            "é".repeat(512),
            0,
            false,
        ),
        (
            "1025 bytes, mostly two-byte",
            format!("{}x", "é".repeat(512)),
            7,
            false,
        ),
        ("5 characters in 10 bytes", "ééééé".into(), 7, false),
        ("empty", String::new(), 7, false),
    ];
    for (i, (what, pw, code, warns)) in cases.iter().enumerate() {
        let email = format!("len{i}@example.com");
        let r = env
            .with_token(
                &token,
                &[
                    "user",
                    "add",
                    "--name",
                    &format!("len{i}"),
                    "--email",
                    &email,
                    "--password-stdin",
                ],
            )
            .stdin(&format!("{pw}\n"))
            .run();
        if *code == 0 {
            let r = r.ok();
            assert_eq!(
                r.stderr.contains("warning:"),
                *warns,
                "{what}: warning expected {warns}: {}",
                r.stderr
            );
            // The whole password, not a prefix, logs in.
            login(&env, &email, pw).ok();
            let shorter: String = pw.chars().take(pw.chars().count() - 1).collect();
            login(&env, &email, &shorter).code(3);
        } else {
            let r = refused(r, *code, what);
            assert!(
                r.stderr.contains("password"),
                "{what}: no reason: {}",
                r.stderr
            );
            assert!(
                pw.len() < 4 || !r.stderr.contains(pw.as_str()),
                "{what}: the password was echoed"
            );
        }
    }
    // The refused ones created nothing.
    assert_eq!(
        count(&env, "SELECT count(*) FROM users"),
        1 + cases.iter().filter(|c| c.2 == 0).count() as i64
    );
    // The same limits through `user passwd` and `me passwd`.
    let email = "len3@example.com";
    let current = pw_of_len(8);
    env.with_token(&token, &["user", "passwd", email, "--password-stdin"])
        .stdin(&format!("{}\n", pw_of_len(1025)))
        .run()
        .code(7);
    env.with_token(&token, &["user", "passwd", email, "--password-stdin"])
        .stdin(&format!("{}\n", pw_of_len(5)))
        .run()
        .code(7);
    env.cmd(&["me", "passwd", "--password-stdin"])
        .env("GATEHOUSE_EMAIL", email)
        .env("GATEHOUSE_PASSWORD", &current)
        .stdin(&format!("{current}\n{}\n", pw_of_len(1025)))
        .run()
        .code(7);
    login(&env, email, &current).ok();
    let new = pw_of_len(1024);
    env.cmd(&["me", "passwd", "--password-stdin"])
        .env("GATEHOUSE_EMAIL", email)
        .env("GATEHOUSE_PASSWORD", &current)
        .stdin(&format!("{current}\n{new}\n"))
        .run()
        .ok();
    login(&env, email, &new).ok();
}

#[test]
fn leading_and_trailing_spaces_are_part_of_the_password() {
    let env = TestEnv::new();
    let pw = "  spaced secret pw  ";
    add_cmd(&env, "spaces", "spaces@example.com", pw).run().ok();
    login(&env, "spaces@example.com", pw).ok();
    env.as_user("spaces@example.com", pw, &["whoami"])
        .run()
        .ok();
    for wrong in [
        pw.trim(),
        pw.trim_start(),
        pw.trim_end(),
        "spaced secret pw",
    ] {
        login(&env, "spaces@example.com", wrong).code(3);
    }
    // A tab at the end is kept as well; only the line ending is not part of it.
    let tabbed = "Tabbed-secret-pw\t";
    add_cmd(&env, "tabs", "tabs@example.com", tabbed).run().ok();
    login(&env, "tabs@example.com", tabbed).ok();
    login(&env, "tabs@example.com", "Tabbed-secret-pw").code(3);
    // CRLF: the \r belongs to the line ending.
    env.admin(&[
        "user",
        "add",
        "--name",
        "crlf",
        "--email",
        "crlf@example.com",
        "--password-stdin",
    ])
    .stdin("Crlf-secret-pw-1\r\n")
    .run()
    .ok();
    login(&env, "crlf@example.com", "Crlf-secret-pw-1").ok();
    // From a file, too.
    let f = env.path().join("pw.txt");
    fs::write(&f, format!("{pw}\n")).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
    env.admin(&[
        "user",
        "passwd",
        "tabs@example.com",
        "--password-file",
        f.to_str().unwrap(),
    ])
    .run()
    .ok();
    login(&env, "tabs@example.com", pw).ok();
    login(&env, "tabs@example.com", pw.trim()).code(3);
}

#[test]
fn passwords_that_are_not_text_are_refused() {
    let env = TestEnv::new();
    let before = env.users_snapshot();
    // Invalid UTF-8 on standard input.
    let mut cmd = env.admin(&[
        "user",
        "add",
        "--name",
        "bin",
        "--email",
        "bin@example.com",
        "--password-stdin",
    ]);
    cmd.cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut si = child.stdin.take().unwrap();
        let _ = si.write_all(b"Bin\xff\xfe-secret-pw\n");
    }
    let r = finish(child);
    refused(r, 7, "invalid UTF-8 password");
    // No line at all (empty standard input).
    let r = env
        .admin(&[
            "user",
            "add",
            "--name",
            "bin",
            "--email",
            "bin@example.com",
            "--password-stdin",
        ])
        .stdin("")
        .run();
    assert!(
        r.code == 7 || r.code == 2,
        "empty stdin: exit {} {}",
        r.code,
        r.stderr
    );
    assert_eq!(env.users_snapshot(), before);
}

#[test]
fn a_100_megabyte_line_is_refused_without_echoing_it() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.snapshot();
    let huge = "x".repeat(100 * 1024 * 1024);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "big-name.csv",
            format!("email,name\nbig@example.com,{huge}\n").into_bytes(),
        ),
        (
            "big-email.csv",
            format!("email,name\n{huge}@example.com,big\n").into_bytes(),
        ),
        ("big-header.csv", format!("email,{huge}\n").into_bytes()),
        (
            "big-line.jsonl",
            format!("{{\"email\":\"big@example.com\",\"name\":\"{huge}\"}}\n").into_bytes(),
        ),
    ];
    drop(huge);
    for (name, data) in cases {
        let file = write(&env, name, &data);
        drop(data);
        let r = run_watched(
            env.with_token(&token, &["user", "import", &file, "--generate-passwords"]),
            name,
        );
        let r = refused(r, 7, name);
        // A clear error, not the line itself.
        assert!(
            r.stderr.len() < 64 * 1024,
            "{name}: {} bytes of error output",
            r.stderr.len()
        );
        fs::remove_file(&file).unwrap();
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn hostile_csv_structure_is_refused_or_read_exactly() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.snapshot();
    let h = phc();
    let refused_cases: Vec<(&str, Vec<u8>)> = vec![
        ("only a BOM", b"\xef\xbb\xbf".to_vec()),
        ("header only, no email column", b"name\nbob\n".to_vec()),
        (
            "duplicate column",
            b"email,EMAIL\na@example.com,b@example.com\n".to_vec(),
        ),
        (
            "a row with too few fields",
            b"email,name\na@example.com\n".to_vec(),
        ),
        ("binary junk", junk_bytes(4096)),
        // With its byte-order mark UTF-16 is decoded (see bulk.rs); without one it
        // cannot be told apart from junk and is refused.
        ("UTF-16 text without a byte-order mark", {
            let mut v = vec![];
            for u in "email,name\na@example.com,a\n".encode_utf16() {
                v.extend_from_slice(&u.to_le_bytes());
            }
            v
        }),
        (
            "formula in the email",
            b"email,name,password_hash\n=cmd|' /C calc'!A0,a,x\n".to_vec(),
        ),
    ];
    for (what, data) in &refused_cases {
        let file = write(&env, "hostile.csv", data);
        let r = run_watched(
            env.with_token(&token, &["user", "import", &file, "--generate-passwords"]),
            what,
        );
        refused(r, 7, what);
    }
    assert_eq!(env.snapshot(), before);
    // Quotes, embedded commas and a formula-looking name are data, read exactly.
    let file = write(
        &env,
        "tricky.csv",
        format!("email,name,password_hash\n\"q@example.com\",\"=HYPERLINK(\"\"x\"\")\",\"{h}\"\n"),
    );
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    let u = env
        .with_token(&token, &["user", "show", "q@example.com", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(u["name"], "=HYPERLINK(\"x\")");
}

#[test]
fn sql_fragments_are_data_everywhere() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let evil = "' OR 1=1 -- DROP TABLE users";
    let evil2 = "x\" OR 1=1 --";
    env.with_token(&token, &["package", "create", evil])
        .run()
        .ok();
    env.with_token(
        &token,
        &["package", "assign", evil, "--user", "bob@example.com"],
    )
    .run()
    .ok();
    // Unknown hostile names are not found, not errors of the database.
    for args in [
        vec!["package", "show", evil2],
        vec!["package", "assign", evil2, "--user", "bob@example.com"],
        vec!["package", "delete", evil2],
        vec!["user", "show", "x'--@example.com"],
    ] {
        let what = args.join(" ");
        refused(env.with_token(&token, &args).run(), 5, &what);
    }
    let listed = env
        .with_token(&token, &["user", "list", "--package", evil, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // LIKE wildcards in a search are literal.
    for pattern in ["%", "_", "' OR '1'='1", "\\"] {
        let found = env
            .with_token(&token, &["user", "list", "--search", pattern, "--json"])
            .run()
            .ok()
            .json();
        assert_eq!(
            found.as_array().unwrap().len(),
            0,
            "--search {pattern:?}: {found}"
        );
    }
    let file = write(
        &env,
        "evil.jsonl",
        format!(
            "{{\"email\":\"carol@example.com\",\"name\":\"{}\",\"packages\":[\"{}\"],\"password_hash\":\"{}\"}}\n",
            evil.replace('"', "\\\""),
            evil,
            phc()
        ),
    );
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    env.with_token(&token, &["access", "explain", "carol@example.com", evil])
        .run()
        .ok()
        .stdout_has("assigned");
    assert_eq!(count(&env, "SELECT count(*) FROM users"), 3);
    assert_eq!(integrity(&env), "ok");
}

#[test]
fn a_truncated_store_is_refused_and_left_alone() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let file = write(&env, "some.csv", users_csv("trunc-u", 300));
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    checkpoint(&env);
    assert!(!wal_path(&env.db).exists() || fs::metadata(wal_path(&env.db)).unwrap().len() == 0);
    let full = fs::read(&env.db).unwrap();
    let page = 4096;
    assert!(
        full.len() > 8 * page,
        "store too small to truncate: {}",
        full.len()
    );
    let cuts = [
        ("half", full.len() / 2),
        ("all but the last page", full.len() - page),
        ("inside the header", 50),
        ("first page only", page),
        ("empty", 0),
    ];
    for (what, len) in cuts {
        for p in [wal_path(&env.db), shm_path(&env.db)] {
            let _ = fs::remove_file(p);
        }
        fs::write(&env.db, &full[..len]).unwrap();
        for args in [
            vec!["user", "list"],
            vec![
                "user",
                "add",
                "--name",
                "t",
                "--email",
                "t@example.com",
                "--generate-password",
            ],
            vec!["audit", "verify"],
            vec!["user", "import", &file],
        ] {
            let cmd_what = format!("{what}: {}", args.join(" "));
            let r = run_watched(env.with_token(&token, &args), &cmd_what);
            refused(r, 9, &cmd_what).stderr_has("hint:");
            assert_eq!(
                fs::read(&env.db).unwrap(),
                &full[..len],
                "{cmd_what}: the damaged file was changed"
            );
        }
    }
    // Cut inside the last page: the page count is unchanged, so a command that never
    // reads the cut page may still work; one that does must fail cleanly (9).
    let _ = fs::remove_file(wal_path(&env.db));
    fs::write(&env.db, &full[..full.len() - page / 2]).unwrap();
    for args in [vec!["user", "list"], vec!["audit", "verify"]] {
        let what = format!("mid-page cut: {}", args.join(" "));
        let r = run_watched(env.with_token(&token, &args), &what);
        if r.code != 0 {
            refused(r, 9, &what);
        }
    }
    // The whole file is fine again.
    for p in [wal_path(&env.db), shm_path(&env.db)] {
        let _ = fs::remove_file(p);
    }
    fs::write(&env.db, &full).unwrap();
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(env.users_json().len(), 301);
}

#[test]
fn an_orphan_wal_file_loses_nothing() {
    // (a) A WAL left behind by a process that died after committing: its changes are
    // part of the store and must be there when the next command opens it.
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    checkpoint(&env);
    let keep = conn(&env);
    keep.execute_batch("PRAGMA wal_autocheckpoint = 0").unwrap();
    let _: i64 = keep
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    // With `keep` open, gatehouse is not the last connection, so the WAL survives it.
    env.with_token(
        &token,
        &[
            "user",
            "add",
            "--name",
            "walter",
            "--email",
            "walter@example.com",
            "--generate-password",
        ],
    )
    .run()
    .ok();
    let wal = fs::read(wal_path(&env.db)).unwrap();
    assert!(!wal.is_empty(), "no WAL to orphan");
    let main = fs::read(&env.db).unwrap();
    drop(keep);
    let copy = TestEnv::empty();
    fs::create_dir_all(copy.db.parent().unwrap()).unwrap();
    fs::write(&copy.db, &main).unwrap();
    fs::write(wal_path(&copy.db), &wal).unwrap();
    for p in [copy.db.clone(), wal_path(&copy.db)] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o600)).unwrap();
    }
    assert!(!shm_path(&copy.db).exists());
    copy.admin(&["user", "show", "walter@example.com"])
        .run()
        .ok();
    copy.admin(&["audit", "verify"]).run().ok();
    assert_eq!(integrity(&copy), "ok");

    // (b) A junk `-wal` beside a clean store is not a WAL of it: ignored, nothing lost,
    // and the store stays writable.
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    checkpoint(&env);
    let before = env.snapshot();
    for (what, junk) in [
        ("random bytes", junk_bytes(64 * 1024)),
        ("a truncated WAL header", vec![0x37, 0x7f, 0x06, 0x82, 0, 0]),
        ("empty", Vec::new()),
    ] {
        fs::write(wal_path(&env.db), &junk).unwrap();
        fs::set_permissions(wal_path(&env.db), fs::Permissions::from_mode(0o600)).unwrap();
        let r = env.admin(&["user", "list", "--json"]).run();
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert_eq!(env.snapshot(), before, "{what}: data changed");
        env.admin(&["audit", "verify"]).run().ok();
    }
    env.add_user("carol", "carol@example.com", "user", "Carol-secret-pw-1");
    assert_eq!(integrity(&env), "ok");
    assert_eq!(env.users_json().len(), 3);
}

#[test]
fn a_read_only_store_directory_or_file_fails_cleanly_and_changes_nothing() {
    const NOBODY: u32 = 65534;
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    checkpoint(&env);
    assert!(!wal_path(&env.db).exists() && !shm_path(&env.db).exists());
    let root = is_root();
    // Root ignores permission bits; the binary then runs as `nobody`, who owns the tree
    // — a copy of it inside the tree, since the build may sit in a directory only root
    // can enter (a clone under /root, say).
    let bin = env.path().join("gatehouse");
    fs::copy(assert_cmd::cargo::cargo_bin("gatehouse"), &bin).unwrap();
    chmod(&bin, 0o755);
    if root {
        chown_tree(env.path(), NOBODY, NOBODY);
    }
    let as_owner = |args: &[&str]| {
        let mut c = env.cmd_using(&bin, args).env("GATEHOUSE_TOKEN", &token);
        if root {
            c.cmd.uid(NOBODY).gid(NOBODY);
        }
        c
    };
    let before = fs::read(&env.db).unwrap();
    let store_dir = env.db.parent().unwrap().to_path_buf();
    let writers: Vec<Vec<&str>> = vec![
        vec![
            "user",
            "add",
            "--name",
            "ro",
            "--email",
            "ro@example.com",
            "--generate-password",
        ],
        vec!["user", "deactivate", "bob@example.com"],
        vec!["package", "create", "ro-pkg"],
    ];

    // (a) The directory is read-only: no -wal or -shm can be created beside the store.
    fs::set_permissions(&store_dir, fs::Permissions::from_mode(0o500)).unwrap();
    for args in &writers {
        let what = format!("read-only dir: {}", args.join(" "));
        let r = run_watched(as_owner(args), &what);
        refused(r, 9, &what);
    }
    let r = run_watched(as_owner(&["user", "list"]), "read-only dir: user list");
    assert!(
        r.code == 0 || r.code == 9,
        "read-only dir: user list: exit {} {}",
        r.code,
        r.stderr
    );
    if r.code == 9 {
        refused(r, 9, "read-only dir: user list");
    }
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "read-only dir: store changed"
    );
    fs::set_permissions(&store_dir, fs::Permissions::from_mode(0o700)).unwrap();

    // (b) The file is read-only, in a writable directory.
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o400)).unwrap();
    for args in &writers {
        let what = format!("read-only file: {}", args.join(" "));
        let r = run_watched(as_owner(args), &what);
        refused(r, 9, &what);
    }
    let _ = fs::remove_file(wal_path(&env.db));
    let _ = fs::remove_file(shm_path(&env.db));
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "read-only file: store changed"
    );
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o600)).unwrap();

    // Writable again: everything works and nothing was lost.
    for args in &writers {
        run_watched(as_owner(args), &args.join(" ")).ok();
    }
    if root {
        chown_tree(env.path(), 0, 0);
    }
    assert_eq!(env.users_json().len(), 3);
    assert_eq!(integrity(&env), "ok");
}

#[test]
fn a_full_disk_fails_cleanly_and_loses_nothing() {
    let env = TestEnv::empty();
    let store_dir = env.db.parent().unwrap().to_path_buf();
    let _mount = match Tmpfs::mount(&store_dir, "16m") {
        Ok(m) => m,
        Err(why) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("SKIPPED a_full_disk_fails_cleanly_and_loses_nothing: {why}");
            }
            return;
        }
    };
    env.init().ok();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let import_file = write(&env, "big.csv", users_csv("full-u", 1500));
    let filler = store_dir.join("filler");
    // An open connection keeps the -wal and -shm files in place, so inspecting the
    // store below needs no new space.
    let keeper = conn(&env);
    let _: i64 = keeper
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();

    // Full but for a little room: opening works, a large import cannot fit.
    fill(&filler);
    let len = fs::metadata(&filler).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(len.saturating_sub(160 * 1024))
        .unwrap();
    let before = env.snapshot();
    let r = run_watched(
        env.with_token(&token, &["user", "import", &import_file]),
        "import on a full disk",
    );
    refused(r, 9, "import on a full disk").stderr_has("disk is full");
    assert_eq!(env.snapshot(), before, "a failed import changed the store");
    env.with_token(&token, &["audit", "verify"]).run().ok();

    // Completely full: small writes either fit in space SQLite already holds or fail
    // cleanly; nothing is half-done.
    fill(&filler);
    for (args, email) in [
        (
            vec![
                "user",
                "add",
                "--name",
                "x",
                "--email",
                "x@example.com",
                "--generate-password",
            ],
            Some("x@example.com"),
        ),
        (vec!["user", "deactivate", "bob@example.com"], None),
        (vec!["package", "create", "full-pkg"], None),
    ] {
        let what = format!("full disk: {}", args.join(" "));
        let snap = env.snapshot();
        let r = run_watched(env.with_token(&token, &args), &what);
        if r.code == 0 {
            if let Some(e) = email {
                env.with_token(&token, &["user", "show", e]).run().ok();
            }
        } else {
            refused(r, 9, &what);
            assert_eq!(env.snapshot(), snap, "{what}: store changed");
        }
        env.with_token(&token, &["user", "list"]).run().ok();
    }

    // Room again: the import goes through whole, and the store is sound.
    fs::remove_file(&filler).unwrap();
    drop(keeper);
    env.with_token(&token, &["user", "import", &import_file])
        .run()
        .ok();
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(integrity(&env), "ok");
    assert!(count(&env, "SELECT count(*) FROM users") >= 1502);
}

#[test]
fn no_password_appears_anywhere() {
    let env = TestEnv::empty();
    let s_init = "Init-plain-9f3kqZ-x";
    let s_add_stdin = "Add-stdin-7hx2mQ-x";
    let s_add_file = "Add-file-2kd8Pw-x";
    let s_passwd_stdin = "Passwd-stdin-5tq1Lz-x";
    let s_passwd_file = "Passwd-file-8mv3Rk-x";
    let s_me_new = "Me-new-3jw9Tc-x";
    let s_import = "Import-plain-6yb4Hn-x";
    let s_wrong = "Wrong-guess-1qz7Vd-x";
    let s_weak = "Sh0rt";
    let mut secrets = vec![
        s_init,
        s_add_stdin,
        s_add_file,
        s_passwd_stdin,
        s_passwd_file,
        s_me_new,
        s_import,
        s_wrong,
    ];
    let mut log: Vec<Logged> = Vec::new();
    let admin_env = |c: Cmd| {
        c.env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
            .env("GATEHOUSE_PASSWORD", s_init)
    };

    // init --password-file
    let f = private_file(&env, "init.pw", &format!("{s_init}\n"));
    log.push(logged(env.cmd(&[
        "init",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "admin",
        "--password-file",
        &f,
    ])));
    // user add: stdin, file, generated
    log.push(logged(
        admin_env(env.cmd(&[
            "user",
            "add",
            "--name",
            "a1",
            "--email",
            "a1@example.com",
            "--password-stdin",
        ]))
        .stdin(&format!("{s_add_stdin}\n")),
    ));
    let f = private_file(&env, "add.pw", &format!("{s_add_file}\n"));
    log.push(logged(admin_env(env.cmd(&[
        "user",
        "add",
        "--name",
        "a2",
        "--email",
        "a2@example.com",
        "--password-file",
        &f,
    ]))));
    let mut gen = logged(admin_env(env.cmd(&[
        "user",
        "add",
        "--name",
        "a3",
        "--email",
        "a3@example.com",
        "--generate-password",
        "--json",
    ])));
    let generated = gen.run.json()["generated_password"]
        .as_str()
        .expect("generated_password")
        .to_string();
    gen.printed = Some(generated.clone());
    log.push(gen);
    // A refused (too short) password is not echoed.
    log.push(logged(
        admin_env(env.cmd(&[
            "user",
            "add",
            "--name",
            "a4",
            "--email",
            "a4@example.com",
            "--password-stdin",
        ]))
        .stdin(&format!("{s_weak}\n")),
    ));
    // login (stdin), a failed login, credentials from the environment and from a file
    log.push(logged(
        env.cmd(&[
            "login",
            "--email",
            "a1@example.com",
            "--password-stdin",
            "--print-token",
        ])
        .stdin(&format!("{s_add_stdin}\n")),
    ));
    log.push(logged(
        env.cmd(&[
            "login",
            "--email",
            "a1@example.com",
            "--password-stdin",
            "--print-token",
        ])
        .stdin(&format!("{s_wrong}\n")),
    ));
    log.push(logged(
        env.cmd(&["whoami"])
            .env("GATEHOUSE_EMAIL", "a1@example.com")
            .env("GATEHOUSE_PASSWORD", s_wrong),
    ));
    let f = private_file(&env, "cred.pw", &format!("{s_add_file}\n"));
    log.push(logged(
        env.cmd(&["whoami", "--json"])
            .env("GATEHOUSE_EMAIL", "a2@example.com")
            .env("GATEHOUSE_PASSWORD_FILE", &f),
    ));
    // user passwd: stdin, file, generated
    log.push(logged(
        admin_env(env.cmd(&["user", "passwd", "a1@example.com", "--password-stdin"]))
            .stdin(&format!("{s_passwd_stdin}\n")),
    ));
    let f = private_file(&env, "passwd.pw", &format!("{s_passwd_file}\n"));
    log.push(logged(admin_env(env.cmd(&[
        "user",
        "passwd",
        "a2@example.com",
        "--password-file",
        &f,
    ]))));
    let mut gen2 = logged(admin_env(env.cmd(&[
        "user",
        "passwd",
        "a3@example.com",
        "--generate-password",
    ])));
    let generated2: String = gen2
        .run
        .stdout
        .split_whitespace()
        .find(|w| w.len() == 20)
        .unwrap_or_else(|| panic!("no generated password in {:?}", gen2.run.stdout))
        .to_string();
    gen2.printed = Some(generated2.clone());
    log.push(gen2);
    // me passwd: a wrong current password, then the right one
    log.push(logged(
        env.cmd(&["me", "passwd", "--password-stdin"])
            .env("GATEHOUSE_EMAIL", "a1@example.com")
            .env("GATEHOUSE_PASSWORD", s_passwd_stdin)
            .stdin(&format!("{s_wrong}\n{s_me_new}\n")),
    ));
    log.push(logged(
        env.cmd(&["me", "passwd", "--password-stdin"])
            .env("GATEHOUSE_EMAIL", "a1@example.com")
            .env("GATEHOUSE_PASSWORD", s_passwd_stdin)
            .stdin(&format!("{s_passwd_stdin}\n{s_me_new}\n")),
    ));
    // import: a plaintext password column, a bad row next to it, generated passwords
    let f = private_file(
        &env,
        "import.csv",
        &format!("email,name,password\ni1@example.com,i1,{s_import}\n"),
    );
    log.push(logged(admin_env(env.cmd(&[
        "user",
        "import",
        "--dry-run",
        &f,
    ]))));
    log.push(logged(admin_env(env.cmd(&["user", "import", &f]))));
    let f = private_file(
        &env,
        "import-bad.csv",
        &format!("email,name,password\ni2@example.com,i2,{s_import}\nbad,i3,{s_import}\n"),
    );
    log.push(logged(admin_env(env.cmd(&["user", "import", &f]))));
    let f = private_file(&env, "import-gen.csv", "email,name\ni4@example.com,i4\n");
    let mut gen3 = logged(admin_env(env.cmd(&[
        "user",
        "import",
        &f,
        "--generate-passwords",
        "--format",
        "csv",
    ])));
    let generated3 = gen3
        .run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("i4@example.com,"))
        .unwrap_or_else(|| panic!("no generated password in {:?}", gen3.run.stdout))
        .to_string();
    gen3.printed = Some(generated3.clone());
    log.push(gen3);
    // Reading everything back afterwards prints no secret either.
    for args in [
        vec!["user", "list", "--json"],
        vec!["user", "export"],
        vec!["audit", "list", "--json"],
        vec!["review", "--json"],
    ] {
        log.push(logged(admin_env(env.cmd(&args))));
    }

    // Every password set above works (so the runs really did something).
    login(&env, ADMIN_EMAIL, s_init).ok();
    login(&env, "a1@example.com", s_me_new).ok();
    login(&env, "a2@example.com", s_passwd_file).ok();
    login(&env, "a3@example.com", &generated2).ok();
    login(&env, "i1@example.com", s_import).ok();
    login(&env, "i4@example.com", &generated3).ok();

    secrets.push(&generated);
    secrets.push(&generated2);
    secrets.push(&generated3);
    for (i, l) in log.iter().enumerate() {
        assert!(!l.argv.is_empty(), "run {i}: no cmdline read");
        for s in secrets.iter().chain([&s_weak]) {
            assert!(
                !contains_bytes(&l.argv, s.as_bytes()),
                "run {i}: {s:?} in the process arguments"
            );
            assert!(
                !l.run.stderr.contains(s),
                "run {i}: {s:?} on stderr:\n{}",
                l.run.stderr
            );
            if l.printed.as_deref() != Some(*s) {
                assert!(
                    !l.run.stdout.contains(s),
                    "run {i}: {s:?} on stdout:\n{}",
                    l.run.stdout
                );
            }
        }
    }
    let dump = dump_database(&env);
    let bytes = store_bytes(&env);
    assert!(dump.contains("audit:"), "no audit table in the dump");
    for s in &secrets {
        assert!(!dump.contains(s), "{s:?} in the database dump");
        assert!(
            !contains_bytes(&bytes, s.as_bytes()),
            "{s:?} in the store file"
        );
    }
    // Nor in the saved sessions or anything else gatehouse wrote outside the test's own
    // input files.
    let inputs: HashSet<PathBuf> = [
        "init.pw",
        "add.pw",
        "cred.pw",
        "passwd.pw",
        "import.csv",
        "import-bad.csv",
        "import-gen.csv",
    ]
    .iter()
    .map(|n| env.path().join(n))
    .collect();
    let mut stack = vec![env.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !inputs.contains(&p) {
                let b = fs::read(&p).unwrap();
                for s in &secrets {
                    assert!(
                        !contains_bytes(&b, s.as_bytes()),
                        "{s:?} in {}",
                        p.display()
                    );
                }
            }
        }
    }
}

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn composed_and_decomposed_passwords_log_in_alike() {
    let env = TestEnv::new();
    let nfc = "R\u{e9}sum\u{e9}-na\u{ef}ve-pw";
    let nfd = "Re\u{301}sume\u{301}-nai\u{308}ve-pw";
    assert_ne!(nfc, nfd);
    add_cmd(&env, "nfd", "nfd@example.com", nfd).run().ok();
    add_cmd(&env, "nfc", "nfc@example.com", nfc).run().ok();
    for email in ["nfd@example.com", "nfc@example.com"] {
        login(&env, email, nfc).ok();
        login(&env, email, nfd).ok();
        env.as_user(email, nfc, &["whoami"]).run().ok();
        env.as_user(email, nfd, &["whoami"]).run().ok();
        // A different accent is a different password.
        login(&env, email, "R\u{e8}sum\u{e8}-na\u{ef}ve-pw").code(3);
    }
    // Compatibility forms are folded too (NFKC): a full-width letter is its ASCII twin.
    add_cmd(&env, "wide", "wide@example.com", "\u{ff21}bc-wide-secret")
        .run()
        .ok();
    login(&env, "wide@example.com", "Abc-wide-secret").ok();
}

crate::on_both_stores! {
fn letter_case_and_space_variants_of_an_existing_email_conflict() {
    let env = TestEnv::new();
    add_cmd(&env, "jurgen", "jürgen@example.com", "Jurgen-secret-pw-1")
        .run()
        .ok();
    let before = env.snapshot();
    for variant in [
        "JÜRGEN@EXAMPLE.COM",
        "Jürgen@Example.Com",
        "  jürgen@example.com  ",
        "ADMIN@example.com",
    ] {
        let r = add_cmd(&env, "dup", variant, "Duplicate-secret-pw-1").run();
        refused(r, 6, &format!("user add {variant:?}"));
        let file = write(
            &env,
            "dup.csv",
            format!(
                "email,name,password_hash\n\"{variant}\",dup,\"{}\"\n",
                phc()
            ),
        );
        let r = env.admin(&["user", "import", &file]).run();
        refused(r, 6, &format!("import {variant:?}"));
        // --if-not-exists finds the existing user in any case and changes nothing.
        env.admin(&[
            "user",
            "add",
            "--name",
            "dup",
            "--email",
            variant,
            "--generate-password",
            "--if-not-exists",
        ])
        .run()
        .ok();
        // And the variant finds the same user.
        env.admin(&["user", "show", variant]).run().ok();
    }
    assert_eq!(env.snapshot(), before);
    // Two variants of one new email inside one import file are a bad row, not two users.
    let file = write(
        &env,
        "twice.csv",
        format!(
            "email,name,password_hash\nnew@example.com,a,\"{h}\"\nNEW@EXAMPLE.COM,b,\"{h}\"\n",
            h = phc()
        ),
    );
    let r = env.admin(&["user", "import", &file]).run();
    refused(r, 7, "one email twice in a file");
    assert_eq!(env.snapshot(), before);
}

fn names_with_unicode_line_separators_are_refused() {
    // README: names "may not contain control characters or line breaks". U+2028 LINE
    // SEPARATOR and U+2029 PARAGRAPH SEPARATOR are line breaks that are not in Cc.
    let env = TestEnv::new();
    let before = env.snapshot();
    for (what, name) in [
        ("U+2028", "bob\u{2028}admin"),
        ("U+2029", "bob\u{2029}admin"),
    ] {
        let r = add_cmd(&env, name, "sep@example.com", "Separator-pw-1").run();
        refused(r, 7, &format!("user add name with {what}"));
    }
    assert_eq!(env.snapshot(), before);
}

fn the_user_table_stays_one_line_per_user_with_unusual_names() {
    let env = TestEnv::new();
    let names = [
        "  padded  ",
        &"w".repeat(64),
        &"é".repeat(64),
        "名前と漢字",
        "emoji 🚚📦",
        "e\u{301}cole",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "a,b;\"c\"",
    ];
    for (i, n) in names.iter().enumerate() {
        add_cmd(&env, n, &format!("odd{i}@example.com"), "Odd-name-secret-1")
            .run()
            .ok();
    }
    // Leading and trailing spaces are trimmed.
    let shown = env
        .admin(&["user", "show", "odd0@example.com", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(shown["name"], "padded");
    let table = env
        .admin(&["user", "list", "--color", "never"])
        .run()
        .ok()
        .stdout;
    for i in 0..names.len() {
        let email = format!("odd{i}@example.com");
        let lines: Vec<&str> = table.lines().filter(|l| l.contains(&email)).collect();
        assert_eq!(lines.len(), 1, "{email} not on exactly one line:\n{table}");
    }
    for line in table.lines() {
        assert!(
            !line.chars().any(char::is_control),
            "control character in the table: {line:?}"
        );
    }
    // Every user is in the CSV and JSON forms with the name unchanged.
    let json = env.users_json();
    for (i, n) in names.iter().enumerate().skip(1) {
        let email = format!("odd{i}@example.com");
        let u = json.iter().find(|u| u["email"] == email.as_str()).unwrap();
        assert_eq!(u["name"], *n);
    }
    let csv = env
        .admin(&["user", "list", "--format", "csv"])
        .run()
        .ok()
        .stdout;
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    assert_eq!(rdr.records().count(), names.len() + 1);
}


fn csv_with_text_after_a_closing_quote_is_refused() {
    // RFC 4180: a quoted field ends at its closing quote. The csv crate glues what follows
    // onto the field, so `"a@example.com"x` would import as `a@example.comx`.
    let env = TestEnv::new();
    let before = env.snapshot();
    let file = write(
        &env,
        "stray.csv",
        b"email,name\n\"a@example.com\"x,a\n".as_slice(),
    );
    let r = env
        .admin(&["user", "import", &file, "--generate-passwords"])
        .run();
    refused(r, 7, "text after a closing quote");
    assert_eq!(env.snapshot(), before);
}

fn errors_about_hostile_values_carry_no_control_characters() {
    // The domain types quote a bad value through `printable`; the line around it must not
    // reprint it raw, or a value can clear the screen, recolour it or forge lines.
    let env = TestEnv::new();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "name with ESC",
            vec![
                "user",
                "add",
                "--name",
                "\u{1b}[2J\u{1b}[31mred",
                "--email",
                "e@example.com",
                "--generate-password",
            ],
        ),
        (
            "name with newline",
            vec![
                "user",
                "add",
                "--name",
                "bob\nerror: forged",
                "--email",
                "e@example.com",
                "--generate-password",
            ],
        ),
        (
            "name with CR",
            vec![
                "user",
                "add",
                "--name",
                "bob\rforged",
                "--email",
                "e@example.com",
                "--generate-password",
            ],
        ),
        (
            "email with BEL",
            vec![
                "user",
                "add",
                "--name",
                "bel",
                "--email",
                "ali\u{7}ce@example.com",
                "--generate-password",
            ],
        ),
        (
            "email with newline",
            vec![
                "user",
                "add",
                "--name",
                "nl",
                "--email",
                "alice\nerror: forged@example.com",
                "--generate-password",
            ],
        ),
        (
            "package with ESC",
            vec!["package", "create", "\u{1b}]0;title\u{7}pkg"],
        ),
    ];
    for (what, args) in cases {
        let r = env.admin(&args).run();
        let r = refused(r, 7, what);
        for line in r.stderr.lines() {
            assert!(
                !line.chars().any(char::is_control),
                "{what}: control character in error output: {line:?}"
            );
            assert!(
                !line.starts_with("forged") && !line.starts_with("error: forged"),
                "{what}: forged line {line:?}"
            );
        }
    }
}
}
