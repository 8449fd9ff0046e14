//! `gatehouse init`: the store and its first admin, made once, privately, with a strong hash.

use std::fs;

use crate::support::*;

/// `user list --json` run by someone other than the default admin.
fn users_json_as(env: &TestEnv, email: &str, pw: &str) -> Vec<serde_json::Value> {
    let r = env
        .as_user(email, pw, &["user", "list", "--json"])
        .run()
        .ok();
    r.json().as_array().unwrap().clone()
}

#[test]
fn init_in_a_shared_directory_is_refused_before_creating_anything() {
    let env = TestEnv::empty();
    let shared = env.path().join("shared");
    fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o1777);
    let db = shared.join("ci.db");
    env.cmd(&["init", "--email", ADMIN_EMAIL, "--password-stdin"])
        .env("GATEHOUSE_DB", &db)
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("other users can create files in it")
        .stderr_has("hint:");
    assert!(!db.exists());
}

#[test]
fn init_creates_store_and_first_admin() {
    let env = TestEnv::empty();
    let r = env
        .cmd(&[
            "init",
            "--email",
            " Root@Example.COM ",
            "--name",
            "root",
            "--password-stdin",
        ])
        .stdin(&pw_line(PW))
        .run()
        .ok()
        .stdout_has("created admin root@example.com");
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    env.as_user("root@example.com", PW, &["whoami"])
        .run()
        .ok()
        .stdout_has("root <root@example.com> (Admin)");
}

#[test]
fn init_json_prints_the_admin_object() {
    let env = TestEnv::empty();
    let r = env
        .cmd(&[
            "init",
            "--email",
            "root@example.com",
            "--password-stdin",
            "--json",
        ])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    let v = r.json();
    assert_user_object(&v);
    assert_eq!(v["email"], "root@example.com");
    assert_eq!(v["name"], "root", "name defaults to the local part");
    assert_eq!(v["role"], "admin");
    assert_eq!(v["status"], "active");
}

#[test]
fn init_twice_is_a_conflict_and_changes_nothing() {
    let env = TestEnv::new();
    let before = env.snapshot();
    env.cmd(&[
        "init",
        "--email",
        "other@example.com",
        "--name",
        "other",
        "--password-stdin",
    ])
    .stdin(&pw_line(PW))
    .run()
    .code(6)
    .stderr_has("already initialized");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn init_refuses_bad_input_and_creates_no_admin() {
    let env = TestEnv::empty();
    // (the case, `--email`, the password on stdin, exit code, what stderr names)
    let cases: &[(&str, Option<&str>, &str, i32, &str)] = &[
        (
            "a 5-character password",
            Some("root@example.com"),
            "Ab1-x",
            7,
            "too short",
        ),
        ("an invalid email", Some("not-an-email"), PW, 7, ""),
        // No terminal to ask on: the missing flag is named, nothing is asked.
        ("no email and no terminal", None, PW, 2, "--email"),
    ];
    for &(case, email, pw, code, says) in cases {
        let mut args = vec!["init"];
        if let Some(email) = email {
            args.extend(["--email", email]);
        }
        args.extend(["--name", "root", "--password-stdin"]);
        let r = run_bounded(env.cmd(&args).stdin(&pw_line(pw)));
        assert_eq!(r.code, code, "{case}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{case}: {}", r.stderr);
    }
    // None of these left an admin behind: a proper init still succeeds.
    env.cmd(&[
        "init",
        "--email",
        "root@example.com",
        "--name",
        "root",
        "--password-stdin",
    ])
    .stdin(&pw_line(PW))
    .run()
    .ok();
    assert_eq!(users_json_as(&env, "root@example.com", PW).len(), 1);
}

#[test]
fn init_converges_and_says_what_comes_next() {
    let env = TestEnv::empty();
    let init = || {
        env.cmd(&[
            "init",
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            "--if-not-exists",
            "-o",
            "json",
        ])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok()
    };
    let first = init().stderr_has("next: log in with `gatehouse login --email admin@example.com`");
    let first = first.json();
    assert_eq!(first["email"], ADMIN_EMAIL);
    assert_eq!(
        (&first["created"], &first["changed"]),
        (&true.into(), &true.into())
    );
    // Again: nothing changes, exit 0, and JSON says so.
    let again = init()
        .stderr_has("already initialized; nothing changed")
        .json();
    assert_eq!(
        (&again["created"], &again["changed"]),
        (&false.into(), &false.into())
    );
    // Without the flag it is still a conflict.
    env.cmd(&["init", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(6);
}

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

#[test]
fn init_then_list_as_admin() {
    let env = TestEnv::new();
    let users = env.users_json();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], ADMIN_EMAIL);
    assert_eq!(users[0]["role"], "admin");
}
