//! Credentials, login/logout, lockout, sessions, store safety and concurrency.
use crate::support::*;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Child;

/// The PHC prefix of a hash made with our parameters.
const STRONG_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A store the tool must not use: a read and a write are both refused, exit 9 with a hint.
fn refused_by_store(env: &TestEnv) {
    let add = [
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ];
    for args in [&["user", "list"][..], &add[..]] {
        env.admin(args).run().code(9).stderr_has("hint:");
    }
}

fn db_conn(env: &TestEnv) -> rusqlite::Connection {
    rusqlite::Connection::open(&env.db).unwrap()
}

fn password_hash(env: &TestEnv, email: &str) -> String {
    db_conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn user_count(env: &TestEnv) -> i64 {
    db_conn(env)
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap()
}

fn user_exists(env: &TestEnv, email: &str) -> bool {
    db_conn(env)
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn active_admins(env: &TestEnv) -> i64 {
    db_conn(env)
        .query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Every cell of the audit table, as text.
fn audit_text(env: &TestEnv) -> String {
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

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for entry in rd {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// 1. init
// ---------------------------------------------------------------------------------------

#[test]
fn init_creates_private_store_with_strong_hash() {
    let env = TestEnv::empty();
    let dir = env.db.parent().unwrap().to_path_buf();
    assert!(!dir.exists());
    env.init().ok();

    assert_eq!(mode(&env.db), 0o600, "store file mode");
    assert_eq!(mode(&dir), 0o700, "new store directory mode");
    let wal = wal_path(&env.db);
    if wal.exists() {
        assert_eq!(
            mode(&wal) & 0o077,
            0,
            "WAL file must not be readable by others"
        );
    }

    let hash = password_hash(&env, ADMIN_EMAIL);
    assert!(hash.starts_with(STRONG_PREFIX), "stored hash {hash:?}");

    // A second init is a conflict and changes nothing.
    let before = env.snapshot();
    let audit_before = audit_text(&env);
    env.cmd(&[
        "init",
        "--email",
        "other@example.com",
        "--name",
        "other",
        "--password-stdin",
    ])
    .stdin("Another-admin-pw-42\n")
    .run()
    .code(6);
    assert_eq!(env.snapshot(), before);
    assert_eq!(audit_text(&env), audit_before);
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn init_without_password_source_or_terminal_is_usage_error() {
    let env = TestEnv::empty();
    let r = run_watched(
        env.cmd(&["init", "--email", ADMIN_EMAIL, "--name", "admin"]),
        "init (no password source)",
    );
    r.code(2).stderr_has("hint:");
    assert!(!env.db.exists(), "a refused init must not create the store");
}

// ---------------------------------------------------------------------------------------
// 2. Store refusals (exit 9)
// ---------------------------------------------------------------------------------------

#[test]
fn missing_store_is_refused_and_not_created() {
    let env = TestEnv::empty();
    env.admin(&["user", "list"])
        .run()
        .code(9)
        .stderr_has("hint:");
    env.cmd(&["whoami"]).run().code(9).stderr_has("hint:");
    env.admin(&[
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ])
    .run()
    .code(9)
    .stderr_has("hint:");
    assert!(
        !env.db.exists(),
        "the store must not be created by a non-init command"
    );
    assert!(!wal_path(&env.db).exists());
}

#[test]
fn random_bytes_file_is_refused() {
    let env = TestEnv::empty();
    fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    let junk = junk_bytes(8192);
    fs::write(&env.db, &junk).unwrap();
    chmod(&env.db, 0o600);
    refused_by_store(&env);
    assert_eq!(
        fs::read(&env.db).unwrap(),
        junk,
        "the file must be left alone"
    );
}

#[test]
fn foreign_sqlite_file_is_refused() {
    let env = TestEnv::empty();
    fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(
            "CREATE TABLE shipments (id INTEGER PRIMARY KEY, dest TEXT);
             INSERT INTO shipments (dest) VALUES ('Rotterdam');",
        )
        .unwrap();
    }
    chmod(&env.db, 0o600);
    let before = fs::read(&env.db).unwrap();
    refused_by_store(&env);
    // `init` on a foreign file must refuse too, not turn it into a store.
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
    .code(9)
    .stderr_has("hint:");
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "the foreign file must be left alone"
    );
    let tables: Vec<String> = {
        let conn = db_conn(&env);
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.map(|n| n.unwrap()).collect()
    };
    assert_eq!(tables, vec!["shipments".to_string()]);
}

#[test]
fn newer_schema_is_refused() {
    let env = TestEnv::new();
    db_conn(&env)
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let before = env.snapshot();
    let audit_before = audit_text(&env);
    env.admin(&["user", "list"])
        .run()
        .code(9)
        .stderr_has("hint:")
        .stderr_has("newer");
    env.admin(&[
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ])
    .run()
    .code(9)
    .stderr_has("hint:");
    assert_eq!(env.snapshot(), before);
    assert_eq!(audit_text(&env), audit_before);
    let v: i64 = db_conn(&env)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99, "the schema version must not be touched");
}

#[test]
fn world_writable_store_is_refused() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let audit_before = audit_text(&env);
    chmod(&env.db, 0o666);
    refused_by_store(&env);
    env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("hint:");
    assert_eq!(
        mode(&env.db),
        0o666,
        "the tool must not silently change the mode"
    );
    chmod(&env.db, 0o600);
    assert_eq!(env.snapshot(), before);
    assert_eq!(audit_text(&env), audit_before);
    // Restricted again, it works.
    env.admin(&["user", "list"]).run().ok();
}

// ---------------------------------------------------------------------------------------
// 3. Credentials, in the order the README gives
// ---------------------------------------------------------------------------------------

#[test]
fn token_beats_email_and_password() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    assert!(!token.is_empty());
    // A valid token wins over a wrong password.
    env.with_token(&token, &["whoami"])
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", "definitely-the-wrong-pw")
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
    // And an invalid token is not rescued by a correct password: first match wins.
    env.with_token("ghs_not-a-real-token", &["whoami"])
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", ADMIN_PW)
        .run()
        .code(3);
}

#[test]
fn password_file_must_be_private() {
    let env = TestEnv::new();
    let pw_file = env.path().join("admin-pw");
    fs::write(&pw_file, format!("{ADMIN_PW}\n")).unwrap();
    let whoami = || {
        env.cmd(&["whoami"])
            .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
            .env("GATEHOUSE_PASSWORD_FILE", &pw_file)
    };

    chmod(&pw_file, 0o600);
    whoami().run().ok().stdout_has(ADMIN_EMAIL);

    chmod(&pw_file, 0o644);
    let r = whoami().run().code(3);
    assert!(!r.stdout.contains(ADMIN_EMAIL));

    chmod(&pw_file, 0o640);
    whoami().run().code(3);
}

#[test]
fn login_saves_private_session_and_logout_revokes_it() {
    let env = TestEnv::new();
    let config = env.path().join("config");
    let r = env
        .cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();

    let files = files_under(&config);
    assert_eq!(
        files.len(),
        1,
        "expected one session file under {}: {files:?}",
        config.display()
    );
    let file = &files[0];
    assert_eq!(mode(file), 0o600, "session file mode");
    assert_eq!(
        mode(file.parent().unwrap()) & 0o077,
        0,
        "session directory mode"
    );
    let token = fs::read_to_string(file).unwrap().trim().to_string();
    assert!(!token.is_empty());
    assert!(
        !r.stdout.contains(&token),
        "plain login must not print the token"
    );
    assert!(
        !r.stderr.contains(&token),
        "plain login must not print the token"
    );

    // A later command with no credentials in the environment uses the saved session.
    env.cmd(&["whoami"]).run().ok().stdout_has(ADMIN_EMAIL);
    env.cmd(&["user", "list", "--json"]).run().ok();

    env.cmd(&["logout"]).run().ok();
    env.cmd(&["whoami"]).run().code(3);
    // Revoked in the store, not just forgotten locally.
    env.with_token(&token, &["whoami"]).run().code(3);
}

#[test]
fn invalid_token_is_auth_error_with_hint() {
    let env = TestEnv::new();
    let bogus = format!("ghs_{}", "0".repeat(64));
    env.with_token(&bogus, &["whoami"])
        .run()
        .code(3)
        .stderr_has("hint:");
    env.with_token(&bogus, &["user", "list"])
        .run()
        .code(3)
        .stderr_has("hint:");
}

#[test]
fn login_ttl_is_bounded() {
    let env = TestEnv::new();
    let before = env.snapshot();
    env.cmd(&[
        "login",
        "--email",
        ADMIN_EMAIL,
        "--password-stdin",
        "--print-token",
        "--ttl",
        "25h",
    ])
    .stdin(&format!("{ADMIN_PW}\n"))
    .run()
    .code(7);
    assert_eq!(env.snapshot(), before, "a refused login creates no session");

    let r = env
        .cmd(&[
            "login",
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            "--print-token",
            "--ttl",
            "30m",
        ])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
    let token = r.stdout.trim();
    env.with_token(token, &["whoami"])
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
}

#[test]
fn no_credentials_without_terminal_fails_fast() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let before = env.snapshot();
    let x = "bob@example.com";
    let commands: Vec<Vec<&str>> = vec![
        vec!["whoami"],
        vec!["logout"],
        vec!["me", "show"],
        vec!["user", "list"],
        vec!["user", "show", x],
        vec![
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            "carol@example.com",
            "--password-stdin",
        ],
        vec!["user", "edit", x, "--name", "y"],
        vec!["user", "passwd", x, "--generate-password"],
        vec!["user", "activate", x],
        vec!["user", "deactivate", x],
        vec!["user", "unlock", x],
    ];
    for args in &commands {
        let what = args.join(" ");
        let r = run_watched(env.cmd(args), &what);
        assert_eq!(
            r.code, 3,
            "`gatehouse {what}`: expected exit 3\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(
            r.stderr.contains("hint:"),
            "`gatehouse {what}`: no hint:\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("GATEHOUSE_TOKEN"),
            "`gatehouse {what}`: the hint should name the credential options:\n{}",
            r.stderr
        );
    }
    assert_eq!(env.snapshot(), before);
}

// ---------------------------------------------------------------------------------------
// 4. Generic login failures and lockout
// ---------------------------------------------------------------------------------------

#[test]
fn login_failures_are_indistinguishable() {
    let env = TestEnv::new();
    env.add_user("dave", "dave@example.com", "user", "Dave-secret-pw-1");
    env.add_user("erin", "erin@example.com", "user", "Erin-secret-pw-1");
    env.admin(&["user", "deactivate", "erin@example.com"])
        .run()
        .ok();

    let unknown = env.login("nobody@example.com", "Dave-secret-pw-1").code(3);
    let wrong = env.login("dave@example.com", "not-daves-password").code(3);
    let inactive = env.login("erin@example.com", "Erin-secret-pw-1").code(3);
    assert_eq!(
        unknown.stderr, wrong.stderr,
        "unknown email vs wrong password"
    );
    assert_eq!(
        unknown.stderr, inactive.stderr,
        "unknown email vs inactive account"
    );
    assert!(unknown.stdout.is_empty() && wrong.stdout.is_empty() && inactive.stdout.is_empty());
    assert!(
        !unknown.stderr.contains("nobody"),
        "must not echo the email: {}",
        unknown.stderr
    );

    // The same through GATEHOUSE_EMAIL / GATEHOUSE_PASSWORD.
    let unknown = env
        .as_user("nobody@example.com", "Dave-secret-pw-1", &["whoami"])
        .run()
        .code(3);
    let wrong = env
        .as_user("dave@example.com", "not-daves-password", &["whoami"])
        .run()
        .code(3);
    let inactive = env
        .as_user("erin@example.com", "Erin-secret-pw-1", &["whoami"])
        .run()
        .code(3);
    assert_eq!(
        unknown.stderr, wrong.stderr,
        "env: unknown email vs wrong password"
    );
    assert_eq!(
        unknown.stderr, inactive.stderr,
        "env: unknown email vs inactive account"
    );
}

#[test]
fn ten_failures_lock_until_unlock_or_passwd() {
    let env = TestEnv::new();
    let email = "dave@example.com";
    let pw = "Dave-secret-pw-1";
    env.add_user("dave", email, "user", pw);
    let generic = env.login("nobody@example.com", pw).code(3).stderr;

    // Nine failures do not lock, and a success resets the count.
    for _ in 0..9 {
        env.login(email, "wrong-password-x").code(3);
    }
    env.login(email, pw).ok();

    // Ten consecutive failures lock: the right password fails the same way.
    for _ in 0..10 {
        env.login(email, "wrong-password-x").code(3);
    }
    let locked = env.login(email, pw).code(3);
    assert_eq!(
        locked.stderr, generic,
        "a locked account must fail generically"
    );
    env.as_user(email, pw, &["whoami"]).run().code(3);

    // `user unlock` clears it.
    env.admin(&["user", "unlock", email]).run().ok();
    env.login(email, pw).ok();
    env.as_user(email, pw, &["whoami"]).run().ok();

    // Lock again; `user passwd` clears it too.
    for _ in 0..10 {
        env.login(email, "wrong-password-x").code(3);
    }
    env.login(email, pw).code(3);
    let new_pw = "Dave-new-secret-pw-2";
    env.admin(&["user", "passwd", email, "--password-stdin"])
        .stdin(&format!("{new_pw}\n"))
        .run()
        .ok();
    env.login(email, new_pw).ok();
    env.as_user(email, new_pw, &["whoami"]).run().ok();
}

// ---------------------------------------------------------------------------------------
// 5. Re-hash at login
// ---------------------------------------------------------------------------------------

#[test]
fn weaker_hash_is_rehashed_at_login() {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    let env = TestEnv::new();
    let email = "frank@example.com";
    let pw = "weak-hash-pw1";
    env.add_user("frank", email, "user", "Frank-initial-pw-1");

    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8192, 1, 1, None).unwrap(),
    );
    let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
    let weak_hash = weak
        .hash_password(pw.as_bytes(), &salt)
        .unwrap()
        .to_string();
    assert!(weak_hash.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
    db_conn(&env)
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE email = ?2",
            [&weak_hash, email],
        )
        .unwrap();

    env.login(email, pw).ok();

    let now = password_hash(&env, email);
    assert_ne!(now, weak_hash, "the weak hash was not replaced");
    assert!(now.starts_with(STRONG_PREFIX), "re-hashed to {now:?}");
    let parsed = PasswordHash::new(&now).unwrap();
    assert!(Argon2::default()
        .verify_password(pw.as_bytes(), &parsed)
        .is_ok());
    // The password still works afterwards, and a strong hash is left alone.
    env.as_user(email, pw, &["whoami"]).run().ok();
    assert_eq!(password_hash(&env, email), now);
}

// ---------------------------------------------------------------------------------------
// 6. The last active admin under concurrency
// ---------------------------------------------------------------------------------------

/// A and B, both active admins, act against each other at the same moment. `allowed` are
/// the acceptable exit codes of the loser (besides 0 for the winner).
fn mutual_admin_race(round: usize, allowed: &[i32], args_against: impl Fn(&str) -> Vec<String>) {
    let env = TestEnv::new();
    let b_email = "admin-b@example.com";
    let b_pw = "Admin-b-secret-pw";
    env.add_user("admin-b", b_email, "admin", b_pw);
    let ta = env.token(ADMIN_EMAIL, ADMIN_PW);
    let tb = env.token(b_email, b_pw);

    let a_args = args_against(b_email);
    let b_args = args_against(ADMIN_EMAIL);
    let a_args: Vec<&str> = a_args.iter().map(String::as_str).collect();
    let b_args: Vec<&str> = b_args.iter().map(String::as_str).collect();
    let ca = env.with_token(&ta, &a_args).spawn();
    let cb = env.with_token(&tb, &b_args).spawn();
    let ra = finish(ca);
    let rb = finish(cb);

    let ok = [&ra, &rb].iter().filter(|r| r.code == 0).count();
    for r in [&ra, &rb] {
        assert!(
            r.code == 0 || allowed.contains(&r.code),
            "round {round} ({}): unexpected exit {}\nstderr: {}",
            a_args.join(" "),
            r.code,
            r.stderr
        );
    }
    assert_eq!(
        ok,
        1,
        "round {round} ({}): exactly one of the two may succeed: {ra:?} {rb:?}",
        a_args.join(" ")
    );
    assert!(
        active_admins(&env) >= 1,
        "round {round}: no active admin left"
    );
    let remaining = if ra.code == 0 { ADMIN_EMAIL } else { b_email };
    let pw = if ra.code == 0 { ADMIN_PW } else { b_pw };
    let listed = env
        .as_user(
            remaining,
            pw,
            &[
                "user", "list", "--role", "admin", "--status", "active", "--json",
            ],
        )
        .run()
        .ok()
        .json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "round {round}: {listed}"
    );
}

#[test]
fn two_admins_demoting_each_other_leave_an_admin() {
    for round in 0..5 {
        // The loser is no longer an admin (4) or would leave none (6).
        mutual_admin_race(round, &[4, 6], |target| {
            vec![
                "user".into(),
                "edit".into(),
                target.into(),
                "--role".into(),
                "user".into(),
            ]
        });
    }
}

#[test]
fn two_admins_deactivating_each_other_leave_an_admin() {
    for round in 0..3 {
        // The loser may find itself deactivated (3: inactive accounts cannot act, and its
        // session was revoked), or be refused as the last admin (6).
        mutual_admin_race(round, &[3, 4, 6], |target| {
            vec!["user".into(), "deactivate".into(), target.into()]
        });
    }
}

// ---------------------------------------------------------------------------------------
// 7. Many writers at once
// ---------------------------------------------------------------------------------------

#[test]
fn sixteen_concurrent_writers_all_succeed() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|t| {
                let env = &env;
                let token = &token;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for i in 0..25 {
                        let name = format!("w{t}-{i}");
                        let email = format!("w{t}-{i}@example.com");
                        let r = env
                            .with_token(
                                token,
                                &[
                                    "user",
                                    "add",
                                    "--name",
                                    &name,
                                    "--email",
                                    &email,
                                    "--password-stdin",
                                ],
                            )
                            .stdin("Concurrent-writer-pw-1\n")
                            .run();
                        if r.code != 0 {
                            failures.push(format!("{email}: exit {} {}", r.code, r.stderr.trim()));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} adds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(user_count(&env), 401);
    assert_eq!(env.users_json().len(), 401);
}

#[test]
fn same_email_added_at_once_exactly_one_wins() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let children: Vec<Child> = (0..8)
        .map(|i| {
            let name = format!("dup{i}");
            env.with_token(
                &token,
                &[
                    "user",
                    "add",
                    "--name",
                    &name,
                    "--email",
                    "dup@example.com",
                    "--password-stdin",
                ],
            )
            .stdin("Duplicate-user-pw-1\n")
            .spawn()
        })
        .collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    let ok = runs.iter().filter(|r| r.code == 0).count();
    let conflict = runs.iter().filter(|r| r.code == 6).count();
    assert_eq!((ok, conflict), (1, 7), "runs: {runs:#?}");
    assert_eq!(user_count(&env), 2);
}

// ---------------------------------------------------------------------------------------
// 8. Busy store
// ---------------------------------------------------------------------------------------

#[test]
fn locked_store_gives_busy_and_changes_nothing() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.users_snapshot();

    let holder = db_conn(&env);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = run_watched(
        env.with_token(
            &token,
            &[
                "user",
                "add",
                "--name",
                "gina",
                "--email",
                "gina@example.com",
                "--password-stdin",
            ],
        )
        .stdin("Gina-secret-pw-1\n")
        .env("GATEHOUSE_BUSY_TIMEOUT", "300ms"),
        "user add (store locked)",
    );
    r.code(75).stderr_has("safe to retry");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);

    assert!(!user_exists(&env, "gina@example.com"));
    assert_eq!(env.users_snapshot(), before);
    // Retrying once the lock is gone works.
    env.with_token(
        &token,
        &[
            "user",
            "add",
            "--name",
            "gina",
            "--email",
            "gina@example.com",
            "--password-stdin",
        ],
    )
    .stdin("Gina-secret-pw-1\n")
    .run()
    .ok();
    assert!(user_exists(&env, "gina@example.com"));
}

// ---------------------------------------------------------------------------------------
// 9. Secrets never leak
// ---------------------------------------------------------------------------------------

#[test]
fn plaintext_secrets_never_leak() {
    let env = TestEnv::empty();
    let init_pw = "Init-secret-9f3kqZ";
    let add_pw = "Added-secret-7hx2mQ";
    let reset_pw = "Reset-secret-4pz8wR";
    let secrets = [init_pw, add_pw, reset_pw];
    let mut runs = Vec::new();

    runs.push(
        env.cmd(&[
            "init",
            "--email",
            ADMIN_EMAIL,
            "--name",
            "admin",
            "--password-stdin",
        ])
        .stdin(&format!("{init_pw}\n"))
        .run()
        .ok(),
    );
    runs.push(
        env.as_user(
            ADMIN_EMAIL,
            init_pw,
            &[
                "user",
                "add",
                "--name",
                "hana",
                "--email",
                "hana@example.com",
                "--password-stdin",
            ],
        )
        .stdin(&format!("{add_pw}\n"))
        .run()
        .ok(),
    );
    runs.push(env.login("hana@example.com", add_pw).ok());
    runs.push(
        env.as_user(
            ADMIN_EMAIL,
            init_pw,
            &["user", "passwd", "hana@example.com", "--password-stdin"],
        )
        .stdin(&format!("{reset_pw}\n"))
        .run()
        .ok(),
    );
    // A failed login with a secret as the wrong password must not record it either.
    runs.push(env.login(ADMIN_EMAIL, add_pw).code(3));
    let token_run = env.login("hana@example.com", reset_pw).ok();
    let token = token_run.stdout.trim().to_string();
    runs.push(
        env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
            .stdin(&format!("{init_pw}\n"))
            .run()
            .ok(),
    );
    runs.push(env.cmd(&["user", "list", "--json"]).run().ok());
    runs.push(env.with_token(&token, &["whoami", "--json"]).run().ok());

    for r in runs.iter().chain([&token_run]) {
        for s in secrets {
            assert!(
                !r.stdout.contains(s),
                "secret {s:?} on stdout:\n{}",
                r.stdout
            );
            assert!(
                !r.stderr.contains(s),
                "secret {s:?} on stderr:\n{}",
                r.stderr
            );
        }
    }

    let bytes = store_bytes(&env);
    for s in secrets {
        assert!(
            !contains_bytes(&bytes, s.as_bytes()),
            "secret {s:?} in the store file"
        );
    }
    assert!(
        !contains_bytes(&bytes, token.as_bytes()),
        "session token stored in plain"
    );
    let audit = audit_text(&env);
    assert!(!audit.is_empty());
    for s in secrets.iter().chain([&token.as_str()]) {
        assert!(
            !audit.contains(s),
            "secret {s:?} in the audit table:\n{audit}"
        );
    }
    assert!(
        !audit.contains("$argon2"),
        "a password hash in the audit table:\n{audit}"
    );
}
