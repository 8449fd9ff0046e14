//! Regressions for what a second read of the code found.

use crate::support::*;

const PW: &str = "Str0ng-pass-1";

#[test]
fn a_password_typed_as_the_email_never_reaches_the_audit_trail() {
    let env = TestEnv::new();
    env.as_user("hunter2-secret-pw", "x", &["whoami"])
        .run()
        .code(3);
    let trail = env
        .admin(&["audit", "list", "--format", "jsonl"])
        .run()
        .ok()
        .stdout;
    assert!(!trail.contains("hunter2-secret-pw"), "{trail}");
    assert!(trail.contains("<not an email>"));
}

#[test]
fn reimporting_the_same_hash_is_not_a_password_change() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (hash, changed): (String, String) = conn
        .query_row(
            "SELECT password_hash, password_changed_at FROM users WHERE email = 'bob@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let token = env.token("bob@example.com", PW);
    let file = env.path().join("bob.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"email\":\"bob@example.com\",\"name\":\"Bobby\",\"password_hash\":\"{hash}\"}}\n"
        ),
    )
    .unwrap();
    env.admin(&[
        "user",
        "import",
        file.to_str().unwrap(),
        "--on-conflict",
        "update",
    ])
    .run()
    .ok()
    .stdout_has("1 updated");
    // The name changed, the password did not: the session survives.
    env.with_token(&token, &["whoami"])
        .run()
        .ok()
        .stdout_has("Bobby");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let after: String = conn
        .query_row(
            "SELECT password_changed_at FROM users WHERE email = 'bob@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(after, changed);
}

#[test]
fn a_busy_store_is_busy_also_for_a_saved_session() {
    let env = TestEnv::new();
    env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
    // In WAL mode only an exclusive-locking connection keeps readers out.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE settings SET value = value;",
    )
    .unwrap();
    env.cmd(&["whoami"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "200ms")
        .run()
        .code(75)
        .stderr_has("busy");
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    env.cmd(&["whoami"]).run().ok();
}

// Each test below runs on SQLite and on PostgreSQL.
crate::on_both_stores! {
fn must_change_users_cannot_tell_hidden_packages_from_missing_ones() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "hidden"]).run().ok();
    env.admin(&[
        "user",
        "add",
        "--name",
        "newbie",
        "--email",
        "newbie@example.com",
        "--password-stdin",
        "--must-change-password",
    ])
    .stdin(&format!("{PW}\n"))
    .run()
    .ok();
    for verb in ["show", "members", "deactivate"] {
        let hidden = env
            .as_user("newbie@example.com", PW, &["package", verb, "hidden"])
            .run();
        let missing = env
            .as_user("newbie@example.com", PW, &["package", verb, "nope"])
            .run();
        assert_eq!(hidden.code, missing.code, "{verb}");
        assert_eq!(
            hidden.stderr.replace("hidden", "X"),
            missing.stderr.replace("nope", "X"),
            "{verb}"
        );
    }
}

fn an_import_dry_run_is_refused_when_the_real_run_would_be() {
    let env = TestEnv::new();
    let file = env.path().join("demote.csv");
    std::fs::write(&file, format!("email,status\n{ADMIN_EMAIL},inactive\n")).unwrap();
    let f = file.to_str().unwrap();
    env.admin(&["user", "import", f, "--on-conflict", "update", "--dry-run"])
        .run()
        .code(6);
    env.admin(&["user", "import", f, "--on-conflict", "update"])
        .run()
        .code(6);
}

fn skipped_and_unchanged_rows_report_their_ids() {
    let env = TestEnv::new();
    let file = env.path().join("again.csv");
    std::fs::write(&file, format!("email,name\n{ADMIN_EMAIL},admin\n")).unwrap();
    let r = env
        .admin(&[
            "user",
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            "skip",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["rows"][0]["id"], 1);
    let r = env
        .admin(&[
            "user",
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            "update",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["rows"][0]["result"], "unchanged");
    assert_eq!(r.json()["rows"][0]["id"], 1);
}

fn imported_hashes_with_absurd_costs_are_bad_rows() {
    let env = TestEnv::new();
    let file = env.path().join("costly.jsonl");
    let phc = "$argon2id$v=19$m=4000000,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";
    std::fs::write(
        &file,
        format!("{{\"email\":\"c@example.com\",\"name\":\"c\",\"password_hash\":\"{phc}\"}}\n"),
    )
    .unwrap();
    env.admin(&["user", "import", file.to_str().unwrap()])
        .run()
        .code(7)
        .stderr_has("password_hash");
}

fn stale_days_is_bounded() {
    let env = TestEnv::new();
    env.admin(&["review", "--stale-days", "4000000000"])
        .run()
        .code(2);
    env.admin(&["review", "--stale-days", "36500"]).run().ok();
}
}
