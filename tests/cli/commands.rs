//! Per-command behaviour: happy paths and each error kind, store unchanged on failure.
use crate::support::*;

use std::sync::mpsc;
use std::time::Duration;

const PW: &str = "Str0ng-pass-1";
const PW2: &str = "An0ther-pass-2";
const WRONG_PW: &str = "Wr0ng-pass-99";
const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const CAROL: &str = "carol@example.com";
const NOBODY: &str = "nobody@example.com";

/// The fields every user object carries (README, Output).
const USER_FIELDS: &[&str] = &[
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

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The store's logical content (like `TestEnv::snapshot`), except the `last_login_at` of
/// the users who authenticated with a password to run the commands under test: a
/// successful password login legitimately stamps it, with one-second resolution, so an
/// exact snapshot would depend on the clock.
fn state(env: &TestEnv, actors: &[&str]) -> String {
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

/// `state` for commands run by the admin.
fn admin_state(env: &TestEnv) -> String {
    state(env, &[ADMIN_EMAIL])
}

/// One column of one user, read straight from the store.
fn column(env: &TestEnv, email: &str, col: &str) -> rusqlite::types::Value {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row(
        &format!("SELECT {col} FROM users WHERE email = ?1"),
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

/// Runs a command, failing the test instead of hanging when it waits for input.
fn run_bounded(cmd: Cmd) -> Run {
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

/// A user's JSON object as the admin sees it.
fn user_json(env: &TestEnv, who: &str) -> serde_json::Value {
    env.admin(&["user", "show", who, "--json"])
        .run()
        .ok()
        .json()
}

fn emails(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

fn list_emails(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut a = vec!["user", "list", "--json"];
    a.extend_from_slice(args);
    emails(&env.admin(&a).run().ok().json())
}

#[track_caller]
fn assert_user_object(v: &serde_json::Value) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object: {v}"));
    for f in USER_FIELDS {
        assert!(obj.contains_key(*f), "user object lacks `{f}`: {v}");
    }
    assert!(!obj.contains_key("password_hash"), "secret in output: {v}");
}

/// The last non-empty line of stderr, parsed as JSON.
#[track_caller]
fn stderr_json(r: &Run) -> serde_json::Value {
    let last = r
        .stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("stderr is empty"));
    serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("last stderr line is not JSON ({e}): {last:?}\n{}", r.stderr))
}

/// A store with the admin, alice and bob (both regular users, password `PW`).
fn env_with_users() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env
}

fn pw_line(pw: &str) -> String {
    format!("{pw}\n")
}

/// `user list --json` run by someone other than the default admin.
fn users_json_as(env: &TestEnv, email: &str, pw: &str) -> Vec<serde_json::Value> {
    let r = env
        .as_user(email, pw, &["user", "list", "--json"])
        .run()
        .ok();
    r.json().as_array().unwrap().clone()
}

/// The admin commands, as a regular user would try them on `target` (with a password
/// on stdin where one is taken).
fn admin_commands(target: &'static str) -> Vec<(Vec<&'static str>, Option<String>)> {
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

/// admin (admin), carol (admin), bob (user, inactive), alice (user, named "zoe", full
/// name "Alice Liddell"), created in that order; alice logged in once.
fn list_env() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("carol", CAROL, "admin", PW);
    env.add_user("bob", BOB, "user", PW);
    env.add_user("zoe", ALICE, "user", PW);
    env.admin(&["user", "edit", ALICE, "--full-name", "Alice Liddell"])
        .run()
        .ok();
    env.admin(&["user", "deactivate", BOB]).run().ok();
    env.as_user(ALICE, PW, &["whoami"]).run().ok();
    env
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
    // A 5-character password.
    env.cmd(&[
        "init",
        "--email",
        "root@example.com",
        "--name",
        "root",
        "--password-stdin",
    ])
    .stdin("Ab1-x\n")
    .run()
    .code(7)
    .stderr_has("too short");
    // An invalid email.
    env.cmd(&[
        "init",
        "--email",
        "not-an-email",
        "--name",
        "root",
        "--password-stdin",
    ])
    .stdin(&pw_line(PW))
    .run()
    .code(7);
    // No email and no terminal: the missing flag is named, nothing is asked.
    run_bounded(
        env.cmd(&["init", "--name", "root", "--password-stdin"])
            .stdin(&pw_line(PW)),
    )
    .code(2)
    .stderr_has("--email");
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
fn whoami_table_and_json() {
    let env = env_with_users();
    env.admin(&["whoami"])
        .run()
        .ok()
        .stdout_has("admin <admin@example.com> (Admin)");
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .ok()
        .stdout_has("bob <bob@example.com> (User)");
    let v = env
        .as_user(BOB, PW, &["whoami", "--json"])
        .run()
        .ok()
        .json();
    assert_user_object(&v);
    assert_eq!(v["email"], BOB);
    assert_eq!(v["role"], "user");
    // And with a token.
    let tok = env.token(ALICE, PW);
    env.with_token(&tok, &["whoami"])
        .run()
        .ok()
        .stdout_has("alice <alice@example.com> (User)");
}

#[test]
fn logout_revokes_the_token() {
    let env = env_with_users();
    let tok = env.token(BOB, PW);
    env.with_token(&tok, &["whoami"]).run().ok();
    env.with_token(&tok, &["logout"])
        .run()
        .ok()
        .stdout_has("logged out bob@example.com");
    env.with_token(&tok, &["whoami"]).run().code(3);
}

#[test]
fn logout_ends_the_saved_session() {
    let env = env_with_users();
    env.cmd(&["login", "--email", BOB, "--password-stdin"])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    env.cmd(&["whoami"])
        .run()
        .ok()
        .stdout_has("bob@example.com");
    env.cmd(&["logout"])
        .run()
        .ok()
        .stdout_has("logged out bob@example.com");
    run_bounded(env.cmd(&["whoami"])).code(3);
}

#[test]
fn me_passwd_with_wrong_current_password_changes_nothing() {
    let env = env_with_users();
    let hash = column(&env, BOB, "password_hash");
    let must = column(&env, BOB, "must_change_password");
    env.as_user(BOB, PW, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{WRONG_PW}\n{PW2}\n"))
        .run()
        .code(3);
    assert_eq!(column(&env, BOB, "password_hash"), hash);
    assert_eq!(column(&env, BOB, "must_change_password"), must);
    env.as_user(BOB, PW, &["whoami"]).run().ok();
    env.as_user(BOB, PW2, &["whoami"]).run().code(3);
}

#[test]
fn me_passwd_refuses_a_weak_new_password() {
    let env = env_with_users();
    let before = state(&env, &[BOB]);
    env.as_user(BOB, PW, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{PW}\nAb1-x\n"))
        .run()
        .code(7);
    assert_eq!(state(&env, &[BOB]), before);
    env.as_user(BOB, PW, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{PW}\nqwerty123\n"))
        .run()
        .code(7);
    assert_eq!(state(&env, &[BOB]), before);
}

#[test]
fn no_credentials_exit_3_for_every_command_without_waiting() {
    let env = env_with_users();
    let before = admin_state(&env);
    let commands: &[&[&str]] = &[
        &["whoami"],
        &["logout"],
        &["login"],
        &["me", "show"],
        &["me", "passwd"],
        &["me", "passwd", "--password-stdin"],
        &["user", "list"],
        &["user", "show", ALICE],
        &["user", "add", "--name", "carol", "--email", CAROL],
        &[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            CAROL,
            "--password-stdin",
        ],
        &["user", "edit", ALICE, "--name", "x"],
        &["user", "passwd", ALICE],
        &["user", "passwd", ALICE, "--password-stdin"],
        &["user", "activate", ALICE],
        &["user", "deactivate", ALICE],
        &["user", "unlock", ALICE],
    ];
    let mut failures = Vec::new();
    for args in commands {
        // stdin is /dev/null: nothing to read, and not a terminal.
        let r = run_bounded(env.cmd(args));
        if r.code != 3 {
            failures.push(format!("{args:?}: exit {} stderr {:?}", r.code, r.stderr));
        } else if !r.stderr.contains("error:") {
            failures.push(format!("{args:?}: no error line: {:?}", r.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(admin_state(&env), before);
}

#[test]
fn no_credentials_hint_names_the_options() {
    let env = TestEnv::new();
    run_bounded(env.cmd(&["user", "list"]))
        .code(3)
        .stderr_has("GATEHOUSE_TOKEN")
        .stderr_has("GATEHOUSE_EMAIL")
        .stderr_has("gatehouse login");
}

#[test]
fn regular_user_is_denied_admin_commands_and_nothing_changes() {
    let env = env_with_users();
    let before = state(&env, &[BOB]);
    let mut failures = Vec::new();
    for (args, stdin) in admin_commands(ALICE) {
        let mut c = env.as_user(BOB, PW, &args);
        if let Some(s) = &stdin {
            c = c.stdin(s);
        }
        let r = run_bounded(c);
        if r.code != 4 {
            failures.push(format!("{args:?}: exit {} stderr {:?}", r.code, r.stderr));
        }
        if state(&env, &[BOB]) != before {
            failures.push(format!("{args:?}: the store changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Alice is untouched and can still log in with her password.
    env.as_user(ALICE, PW, &["whoami"]).run().ok();
}

#[test]
fn unknown_user_is_not_found_for_every_command() {
    let env = env_with_users();
    let before = admin_state(&env);
    let mut failures = Vec::new();
    for who in [NOBODY, "999", "NoBody@Example.com"] {
        let cmds: Vec<(Vec<&str>, Option<String>)> = vec![
            (vec!["user", "show", who], None),
            (vec!["user", "edit", who, "--name", "x"], None),
            (
                vec!["user", "passwd", who, "--password-stdin"],
                Some(pw_line(PW2)),
            ),
            (vec!["user", "activate", who], None),
            (vec!["user", "deactivate", who], None),
            (vec!["user", "unlock", who], None),
        ];
        for (args, stdin) in cmds {
            let mut c = env.admin(&args);
            if let Some(s) = &stdin {
                c = c.stdin(s);
            }
            let r = run_bounded(c);
            let shown = who.to_lowercase();
            if r.code != 5 {
                failures.push(format!("{args:?}: exit {} stderr {:?}", r.code, r.stderr));
            } else if !r.stderr.contains(&shown) {
                failures.push(format!(
                    "{args:?}: stderr does not name {shown}: {:?}",
                    r.stderr
                ));
            }
            if admin_state(&env) != before {
                failures.push(format!("{args:?}: the store changed"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_error_object_on_the_last_stderr_line() {
    let env = env_with_users();
    let r = env
        .admin(&["user", "show", NOBODY, "--format", "json"])
        .run()
        .code(5)
        .stderr_has("error:");
    let v = stderr_json(&r);
    assert_eq!(v["error"]["kind"], "not_found", "{v}");
    let msg = v["error"]["message"].as_str().expect("message is a string");
    assert!(msg.contains(NOBODY), "{msg}");
    assert!(v["error"]["hint"].is_string(), "{v}");
    assert!(
        r.stdout.is_empty(),
        "data on stdout for an error: {:?}",
        r.stdout
    );

    // `--json` is the same, and other kinds carry their own name.
    let r = env
        .as_user(BOB, PW, &["user", "list", "--json"])
        .run()
        .code(4);
    assert_eq!(stderr_json(&r)["error"]["kind"], "denied");
    let r = env
        .admin(&["user", "deactivate", ADMIN_EMAIL, "--json"])
        .run()
        .code(6);
    let v = stderr_json(&r);
    assert_eq!(v["error"]["kind"], "conflict");
    assert!(v["error"]["message"].is_string());
    assert!(v["error"].as_object().unwrap().contains_key("hint"));
}

#[test]
fn password_on_the_command_line_is_a_usage_error_everywhere() {
    let env = env_with_users();
    let before = admin_state(&env);
    let commands: Vec<Vec<&str>> = vec![
        vec!["login", "--email", BOB, "--password", PW],
        vec![
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            CAROL,
            "--password",
            PW,
        ],
        vec!["user", "passwd", ALICE, "--password", PW2],
        vec!["me", "passwd", "--password", PW2],
        vec![
            "init",
            "--email",
            CAROL,
            "--name",
            "carol",
            "--password",
            PW,
        ],
    ];
    let mut failures = Vec::new();
    for args in &commands {
        let r = run_bounded(env.admin(args));
        if r.code != 2 {
            failures.push(format!("{args:?}: exit {} stderr {:?}", r.code, r.stderr));
        } else if !r.stderr.contains("--password") {
            failures.push(format!(
                "{args:?}: stderr does not name the flag: {:?}",
                r.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(admin_state(&env), before);
    // `--password=VALUE` too, and on a fresh directory for init.
    let fresh = TestEnv::empty();
    run_bounded(fresh.cmd(&["init", "--email", CAROL, &format!("--password={PW}")])).code(2);
    assert!(
        !fresh.db.exists(),
        "init created a store despite the usage error"
    );
}

#[test]
fn user_add_duplicate_email_in_any_case_is_a_conflict() {
    let env = env_with_users();
    let before = admin_state(&env);
    for email in [
        ALICE,
        "ALICE@EXAMPLE.COM",
        "Alice@Example.Com",
        " alice@example.com ",
    ] {
        env.admin(&[
            "user",
            "add",
            "--name",
            "alice2",
            "--email",
            email,
            "--password-stdin",
        ])
        .stdin(&pw_line(PW2))
        .run()
        .code(6)
        .stderr_has("alice@example.com");
        assert_eq!(admin_state(&env), before, "after adding {email:?}");
    }
    // The original password still works.
    env.as_user(ALICE, PW, &["whoami"]).run().ok();
}

#[test]
fn user_add_if_not_exists_leaves_an_existing_user_alone_but_converges_the_password() {
    let env = env_with_users();
    let add = |name: &str, email: &str, pw: &str| {
        env.admin(&[
            "user",
            "add",
            "--name",
            name,
            "--email",
            email,
            "--role",
            "admin",
            "--password-stdin",
            "--if-not-exists",
        ])
        .stdin(&pw_line(pw))
        .run()
        .ok()
    };
    let role = |email: &str| column(&env, email, "role");
    let alice_token = env.token(ALICE, PW);

    // The same password: nothing at all changes, sessions included.
    let before = env.snapshot();
    let r = add("someone-else", "ALICE@example.com", PW);
    assert!(r.stderr.contains("nothing changed"), "{:?}", r.stderr);
    assert!(!r.stdout.contains("created"), "{:?}", r.stdout);
    assert_eq!(env.snapshot(), before);
    env.with_token(&alice_token, &["whoami"]).run().ok();

    // Another password: CI's seeding converges on it; name and role stay as they are.
    let r = add("someone-else", "ALICE@example.com", PW2);
    assert!(r.stderr.contains("has been set to it"), "{:?}", r.stderr);
    assert_eq!(role(ALICE), rusqlite::types::Value::Text("user".into()));
    assert_eq!(
        column(&env, ALICE, "name"),
        rusqlite::types::Value::Text("alice".into())
    );
    env.as_user(ALICE, PW, &["whoami"]).run().code(3);
    env.as_user(ALICE, PW2, &["whoami"]).run().ok();
    env.with_token(&alice_token, &["whoami"]).run().code(3);
    // And the run after that is a no-op again.
    let before = env.snapshot();
    add("someone-else", ALICE, PW2);
    assert_eq!(env.snapshot(), before);

    // With a new email it creates the user.
    env.admin(&[
        "user",
        "add",
        "--name",
        "carol",
        "--email",
        CAROL,
        "--password-stdin",
        "--if-not-exists",
    ])
    .stdin(&pw_line(PW))
    .run()
    .ok()
    .stdout_has("created carol@example.com");
}

#[test]
fn user_add_invalid_email_or_short_password_is_invalid() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&[
        "user",
        "add",
        "--name",
        "x",
        "--email",
        "not-an-email",
        "--password-stdin",
    ])
    .stdin(&pw_line(PW))
    .run()
    .code(7)
    .stderr_has("not-an-email");
    assert_eq!(admin_state(&env), before);
    env.admin(&[
        "user",
        "add",
        "--name",
        "carol",
        "--email",
        CAROL,
        "--password-stdin",
    ])
    .stdin("Ab1-x\n")
    .run()
    .code(7)
    .stderr_has("too short");
    assert_eq!(admin_state(&env), before);
}

#[test]
fn user_add_password_rules() {
    let env = TestEnv::new();
    let before = admin_state(&env);
    let cases: &[(&str, &str, &str)] = &[
        ("luke", "luke@example.com", "luke@example.com"),
        ("luke", "luke@example.com", "LUKE@EXAMPLE.COM"),
        ("luke", "skywalker1@example.com", "Skywalker1"),
        ("Skywalker2", "luke@example.com", "skywalker2"),
        ("luke", "luke@example.com", "password"),
        ("luke", "luke@example.com", "qwerty123"),
        ("luke", "luke@example.com", "12345"),
    ];
    let mut failures = Vec::new();
    for (name, email, pw) in cases {
        let r = env
            .admin(&[
                "user",
                "add",
                "--name",
                name,
                "--email",
                email,
                "--password-stdin",
            ])
            .stdin(&pw_line(pw))
            .run();
        if r.code != 7 {
            failures.push(format!(
                "{name} {email} pw {pw:?}: exit {} {:?}",
                r.code, r.stderr
            ));
        } else if !r.stderr.contains("password") {
            failures.push(format!(
                "{name} {email} pw {pw:?}: no reason given: {:?}",
                r.stderr
            ));
        }
        if admin_state(&env) != before {
            failures.push(format!("{name} {email} pw {pw:?}: the store changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Six characters are enough (with a warning under 8).
    env.admin(&[
        "user",
        "add",
        "--name",
        "luke",
        "--email",
        "luke@example.com",
        "--password-stdin",
    ])
    .stdin("Xk7#qZ\n")
    .run()
    .ok()
    .stderr_has("warning:");
    env.as_user("luke@example.com", "Xk7#qZ", &["whoami"])
        .run()
        .ok();
}

#[test]
fn user_add_without_a_password_source_or_name_fails_fast() {
    let env = TestEnv::new();
    let before = admin_state(&env);
    run_bounded(env.admin(&["user", "add", "--name", "carol", "--email", CAROL]))
        .code(2)
        .stderr_has("password");
    run_bounded(
        env.admin(&["user", "add", "--email", CAROL, "--password-stdin"])
            .stdin(&pw_line(PW)),
    )
    .code(2)
    .stderr_has("--name");
    assert_eq!(admin_state(&env), before);
}

#[test]
fn user_edit_email_is_refused() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&["user", "edit", ALICE, "--email", "x@y.com"])
        .run()
        .code(7)
        .stderr_has("email cannot be changed; create a new account");
    // Even together with other changes, nothing is applied.
    env.admin(&["user", "edit", ALICE, "--name", "zed", "--email", "x@y.com"])
        .run()
        .code(7)
        .stderr_has("email cannot be changed; create a new account");
    assert_eq!(admin_state(&env), before);
}

#[test]
fn user_edit_invalid_values_change_nothing() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&["user", "edit", ALICE, "--phone", "call me"])
        .run()
        .code(7);
    env.admin(&["user", "edit", ALICE, "--expires", "someday"])
        .run()
        .code(7);
    env.admin(&["user", "edit", ALICE, "--role", "superuser"])
        .run()
        .code(2);
    assert_eq!(admin_state(&env), before);
}

#[test]
fn last_active_admin_cannot_be_removed() {
    let env = env_with_users();
    let before = admin_state(&env);
    let attempts: &[&[&str]] = &[
        &["user", "deactivate", ADMIN_EMAIL],
        &["user", "deactivate", "1"],
        &["user", "deactivate", ALICE, ADMIN_EMAIL],
        &["user", "edit", ADMIN_EMAIL, "--role", "user"],
        &["user", "edit", ADMIN_EMAIL, "--status", "inactive"],
    ];
    let mut failures = Vec::new();
    for args in attempts {
        let r = env.admin(args).run();
        if r.code != 6 {
            failures.push(format!("{args:?}: exit {} {:?}", r.code, r.stderr));
        } else if !r.stderr.contains("active admin") {
            failures.push(format!("{args:?}: no conflict message: {:?}", r.stderr));
        }
        if admin_state(&env) != before {
            failures.push(format!("{args:?}: the store changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    env.admin(&["whoami"]).run().ok();
}

#[test]
fn user_list_sort_orders() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &[]),
        [ADMIN_EMAIL, BOB, CAROL, ALICE],
        "default: by name"
    );
    assert_eq!(
        list_emails(&env, &["--sort", "name"]),
        [ADMIN_EMAIL, BOB, CAROL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email"]),
        [ADMIN_EMAIL, ALICE, BOB, CAROL]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "created"]),
        [ADMIN_EMAIL, CAROL, BOB, ALICE]
    );
    // Most recent login first, never-logged-in last. The admin lists with a token
    // (made before alice logged in), so the admin logs in with a password here: later
    // than alice, or in the same second and then first by id — either way first.
    env.as_user(ADMIN_EMAIL, ADMIN_PW, &["whoami"]).run().ok();
    assert_eq!(
        list_emails(&env, &["--sort", "last-login"]),
        [ADMIN_EMAIL, ALICE, CAROL, BOB]
    );
}

#[test]
fn user_passwd_sets_password_and_revokes_sessions() {
    let env = env_with_users();
    let tok = env.token(BOB, PW);
    env.with_token(&tok, &["whoami"]).run().ok();
    let r = env
        .admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW2))
        .run()
        .ok();
    assert_eq!(r.stdout.trim(), "password changed for bob@example.com");
    env.with_token(&tok, &["whoami"]).run().code(3);
    env.as_user(BOB, PW2, &["whoami"]).run().ok();
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .code(3)
        .stderr_has("invalid email or password");
    // Alice's session is not affected.
    let alice_tok = env.token(ALICE, PW);
    env.admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    env.with_token(&alice_tok, &["whoami"]).run().ok();
}

#[test]
fn user_passwd_weak_password_changes_nothing() {
    let env = env_with_users();
    let before = admin_state(&env);
    for pw in ["Ab1-x", "bob@example.com", "bob", "password"] {
        env.admin(&["user", "passwd", BOB, "--password-stdin"])
            .stdin(&pw_line(pw))
            .run()
            .code(7);
        assert_eq!(admin_state(&env), before, "after {pw:?}");
    }
    env.as_user(BOB, PW, &["whoami"]).run().ok();
}

#[test]
fn must_change_password_gates_until_me_passwd() {
    let env = TestEnv::new();
    // An admin, so that admin commands are refused only because of the gate.
    env.add_user("gina", "gina@example.com", "admin", PW);
    let gina = "gina@example.com";
    let v = env
        .admin(&[
            "user",
            "passwd",
            gina,
            "--password-stdin",
            "--must-change-password",
            "--json",
        ])
        .stdin(&pw_line(PW2))
        .run()
        .ok()
        .json();
    assert_eq!(v["must_change_password"], true);

    let before = state(&env, &[gina]);
    // Everything but changing the password, tried on the admin's account.
    let mut gated = vec![(vec!["me", "show"], None)];
    gated.extend(admin_commands(ADMIN_EMAIL));
    let mut failures = Vec::new();
    for (args, stdin) in &gated {
        let mut c = env.as_user(gina, PW2, args);
        if let Some(s) = stdin {
            c = c.stdin(s);
        }
        let r = run_bounded(c);
        if r.code != 4 {
            failures.push(format!("{args:?}: exit {} {:?}", r.code, r.stderr));
        } else if !r.stderr.contains("gatehouse me passwd") {
            failures.push(format!(
                "{args:?}: hint lacks `gatehouse me passwd`: {:?}",
                r.stderr
            ));
        }
        if state(&env, &[gina]) != before {
            failures.push(format!("{args:?}: the store changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // whoami and logout still work.
    env.as_user(gina, PW2, &["whoami"])
        .run()
        .ok()
        .stdout_has("gina@example.com");
    let tok = env.token(gina, PW2);
    env.with_token(&tok, &["whoami"]).run().ok();
    env.with_token(&tok, &["user", "list"]).run().code(4);
    env.with_token(&tok, &["logout"]).run().ok();

    // me passwd lifts the gate.
    env.as_user(gina, PW2, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{PW2}\n{PW}\n"))
        .run()
        .ok();
    let me = env
        .as_user(gina, PW, &["me", "show", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(me["must_change_password"], false);
    env.as_user(gina, PW, &["user", "list"]).run().ok();
}

#[test]
fn deactivate_prints_lines_and_revokes_sessions() {
    let env = env_with_users();
    env.add_user("carol", CAROL, "user", PW);
    let tok = env.token(BOB, PW);
    let r = env.admin(&["user", "deactivate", BOB]).run().ok();
    assert_eq!(r.stdout.trim(), "deactivated bob@example.com");
    env.with_token(&tok, &["whoami"]).run().code(3);

    // A password login of the deactivated user fails exactly like a wrong password.
    let login = |email: &str, pw: &str| {
        env.cmd(&[
            "login",
            "--email",
            email,
            "--password-stdin",
            "--print-token",
        ])
        .stdin(&pw_line(pw))
        .run()
    };
    let inactive = login(BOB, PW)
        .code(3)
        .stderr_has("invalid email or password");
    let wrong = login(CAROL, WRONG_PW).code(3);
    assert_eq!(inactive.stderr, wrong.stderr);
    assert_eq!(inactive.code, wrong.code);
    assert!(inactive.stdout.is_empty(), "{:?}", inactive.stdout);
    let unknown = login(NOBODY, PW).code(3);
    assert_eq!(unknown.stderr, wrong.stderr);
    // And with credentials from the environment.
    let env_inactive = env.as_user(BOB, PW, &["whoami"]).run().code(3);
    let env_wrong = env.as_user(CAROL, WRONG_PW, &["whoami"]).run().code(3);
    assert_eq!(env_inactive.stderr, env_wrong.stderr);
    // Carol's account still works (a single failure does not lock it).
    env.as_user(CAROL, PW, &["whoami"]).run().ok();
}

#[test]
fn deactivate_dry_run_changes_nothing() {
    let env = env_with_users();
    let before = admin_state(&env);
    let r = env
        .admin(&["user", "deactivate", ALICE, BOB, "--dry-run"])
        .run()
        .ok()
        .stdout_has("would deactivate alice@example.com")
        .stdout_has("would deactivate bob@example.com");
    assert!(!r.stdout.contains("\ndeactivated"), "{}", r.stdout);
    assert_eq!(admin_state(&env), before);
    env.as_user(ALICE, PW, &["whoami"]).run().ok();
}

#[test]
fn deactivate_with_an_unknown_target_changes_nothing() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&["user", "deactivate", ALICE, NOBODY, BOB])
        .run()
        .code(5)
        .stderr_has(NOBODY);
    assert_eq!(admin_state(&env), before);
    env.admin(&["user", "deactivate", ALICE, "999"])
        .run()
        .code(5)
        .stderr_has("999");
    assert_eq!(admin_state(&env), before);
    for who in [ALICE, BOB] {
        assert_eq!(user_json(&env, who)["status"], "active", "{who}");
    }
}

#[test]
fn activate_restores_login() {
    let env = env_with_users();
    env.admin(&["user", "deactivate", BOB]).run().ok();
    env.as_user(BOB, PW, &["whoami"]).run().code(3);
    let r = env.admin(&["user", "activate", BOB]).run().ok();
    assert_eq!(r.stdout.trim(), "activated bob@example.com");
    env.as_user(BOB, PW, &["whoami"]).run().ok();
    // Already active: success, nothing changed.
    let before = admin_state(&env);
    env.admin(&["user", "activate", BOB]).run().ok();
    assert_eq!(admin_state(&env), before);
    // JSON: the resulting objects.
    env.admin(&["user", "deactivate", BOB]).run().ok();
    let v = env
        .admin(&["user", "activate", BOB, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(emails(&v), [BOB]);
    assert_eq!(v[0]["status"], "active");
}

#[test]
fn unlock_clears_a_lockout() {
    let env = env_with_users();
    for _ in 0..10 {
        env.as_user(BOB, WRONG_PW, &["whoami"]).run().code(3);
    }
    // Locked: the right password is refused, with the same generic message.
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .code(3)
        .stderr_has("invalid email or password");
    let r = env.admin(&["user", "unlock", BOB]).run().ok();
    assert_eq!(r.stdout.trim(), "unlocked bob@example.com");
    env.as_user(BOB, PW, &["whoami"]).run().ok();
    // Unlocking a user who is not locked succeeds and changes nothing.
    let before = admin_state(&env);
    env.admin(&["user", "unlock", ALICE]).run().ok();
    assert_eq!(admin_state(&env), before);
}

#[test]
fn password_commands_without_a_source_fail_fast_without_a_terminal() {
    let env = env_with_users();
    let before = state(&env, &[ADMIN_EMAIL, BOB]);
    run_bounded(env.admin(&["user", "passwd", BOB]))
        .code(2)
        .stderr_has("--password-stdin");
    run_bounded(env.as_user(BOB, PW, &["me", "passwd"]))
        .code(2)
        .stderr_has("--password-stdin");
    // `me passwd --password-stdin` with only one line: the new password is missing.
    run_bounded(
        env.as_user(BOB, PW, &["me", "passwd", "--password-stdin"])
            .stdin(&pw_line(PW)),
    )
    .code(7);
    assert_eq!(state(&env, &[ADMIN_EMAIL, BOB]), before);
    env.as_user(BOB, PW, &["whoami"]).run().ok();
}

#[test]
fn user_edit_without_changes_is_a_usage_error() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&["user", "edit", ALICE]).run().code(2);
    assert_eq!(admin_state(&env), before);
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

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn user_passwd_clears_a_lockout() {
    let env = env_with_users();
    for _ in 0..10 {
        env.as_user(BOB, WRONG_PW, &["whoami"]).run().code(3);
    }
    env.as_user(BOB, PW, &["whoami"]).run().code(3);
    env.admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW2))
        .run()
        .ok();
    env.as_user(BOB, PW2, &["whoami"]).run().ok();
}

crate::on_both_stores! {
fn me_show_table_and_json() {
    let env = env_with_users();
    env.as_user(BOB, PW, &["me", "show"])
        .run()
        .ok()
        .stdout_has("bob@example.com")
        .stdout_has("✓ Active");
    let v = env
        .as_user(BOB, PW, &["me", "show", "--json"])
        .run()
        .ok()
        .json();
    assert_user_object(&v);
    assert_eq!(v["email"], BOB);
    assert_eq!(v["name"], "bob");
    assert_eq!(v["role"], "user");
    assert_eq!(v["status"], "active");
    assert_eq!(v["must_change_password"], false);
    assert_eq!(v["packages"], serde_json::json!([]));
    assert_eq!(v["package_count"], 0);
}

fn me_passwd_changes_own_password() {
    let env = env_with_users();
    env.as_user(BOB, PW, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{PW}\n{PW2}\n"))
        .run()
        .ok()
        .stdout_has("bob@example.com");
    env.as_user(BOB, PW2, &["whoami"]).run().ok();
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .code(3)
        .stderr_has("invalid email or password");
}

fn user_add_prints_created_line_and_user_can_log_in() {
    let env = TestEnv::new();
    let r = env
        .admin(&[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            "Carol@Example.com",
            "--password-stdin",
        ])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    assert_eq!(r.stdout.trim(), "created carol@example.com");
    let v = user_json(&env, CAROL);
    assert_eq!(v["role"], "user", "role defaults to user");
    assert_eq!(v["status"], "active");
    env.as_user(CAROL, PW, &["whoami"])
        .run()
        .ok()
        .stdout_has("carol <carol@example.com> (User)");
}

fn user_add_json_returns_the_new_object() {
    let env = TestEnv::new();
    let r = env
        .admin(&[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            CAROL,
            "--role",
            "admin",
            "--full-name",
            "Carol Danvers",
            "--phone",
            "+1 555 0100",
            "--expires",
            &day_from_now(1700),
            "--must-change-password",
            "--password-stdin",
            "--json",
        ])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    let v = r.json();
    assert_user_object(&v);
    assert!(v["id"].as_i64().is_some(), "{v}");
    assert_eq!(v["email"], CAROL);
    assert_eq!(v["name"], "carol");
    assert_eq!(v["full_name"], "Carol Danvers");
    assert_eq!(v["phone"], "+1 555 0100");
    assert_eq!(v["role"], "admin");
    assert_eq!(v["status"], "active");
    assert_eq!(v["must_change_password"], true);
    assert_eq!(v["expires_at"], format!("{}T23:59:59Z", day_from_now(1700)));
    assert_eq!(v["last_login_at"], serde_json::Value::Null);
    assert_eq!(v["package_count"], 0);
    // The printed id is the stored one.
    let shown = user_json(&env, &v["id"].to_string());
    assert_eq!(shown["email"], CAROL);
}

fn user_add_generated_password_is_printed_once_and_works() {
    let env = TestEnv::new();
    let r = env
        .admin(&[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            CAROL,
            "--generate-password",
            "--json",
        ])
        .run()
        .ok();
    let v = r.json();
    let pw = v["generated_password"]
        .as_str()
        .expect("generated password in the JSON output");
    env.as_user(CAROL, pw, &["whoami"]).run().ok();
}

fn user_show_by_email_in_any_case_and_by_id() {
    let env = env_with_users();
    let by_email = user_json(&env, "Alice@EXAMPLE.com");
    assert_user_object(&by_email);
    assert_eq!(by_email["email"], ALICE);
    let id = by_email["id"].as_i64().unwrap().to_string();
    let by_id = user_json(&env, &id);
    assert_eq!(by_id["email"], ALICE);
    assert_eq!(by_id["id"], by_email["id"]);
    let r = env.admin(&["user", "show", ALICE]).run().ok();
    assert!(
        r.stdout.contains(ALICE) && r.stdout.contains("Email"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("✓ Active"), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

fn user_edit_sets_every_field() {
    let env = env_with_users();
    let r = env
        .admin(&[
            "user",
            "edit",
            ALICE,
            "--name",
            "alice2",
            "--full-name",
            "Alice Liddell",
            "--phone",
            "+44 20 7946 0000",
            "--role",
            "admin",
            "--status",
            "inactive",
            "--expires",
            &format!("{}T18:00:00Z", day_from_now(1300)),
            "--json",
        ])
        .run()
        .ok();
    let v = r.json();
    assert_user_object(&v);
    assert_eq!(v["email"], ALICE);
    assert_eq!(v["name"], "alice2");
    assert_eq!(v["full_name"], "Alice Liddell");
    assert_eq!(v["phone"], "+44 20 7946 0000");
    assert_eq!(v["role"], "admin");
    assert_eq!(v["status"], "inactive");
    assert_eq!(v["expires_at"], format!("{}T18:00:00Z", day_from_now(1300)));
    // What the command printed is what the store holds.
    let shown = user_json(&env, ALICE);
    for f in ["name", "full_name", "phone", "role", "status", "expires_at"] {
        assert_eq!(shown[f], v[f], "{f}");
    }

    // Table output, by numeric id; a date means the end of that day UTC.
    let id = v["id"].to_string();
    let r = env
        .admin(&[
            "user",
            "edit",
            &id,
            "--expires",
            &day_from_now(1301),
            "--status",
            "active",
        ])
        .run()
        .ok();
    assert_eq!(r.stdout.trim(), "updated alice@example.com");
    let shown = user_json(&env, ALICE);
    assert_eq!(
        shown["expires_at"],
        format!("{}T23:59:59Z", day_from_now(1301))
    );
    assert_eq!(shown["status"], "active");

    // `never` clears the expiry; empty strings clear full name and phone.
    let v = env
        .admin(&[
            "user",
            "edit",
            ALICE,
            "--expires",
            "never",
            "--full-name",
            "",
            "--phone",
            "",
            "--json",
        ])
        .run()
        .ok()
        .json();
    assert_eq!(v["expires_at"], serde_json::Value::Null);
    assert_eq!(v["full_name"], serde_json::Value::Null);
    assert_eq!(v["phone"], serde_json::Value::Null);
    assert_eq!(v["name"], "alice2", "untouched fields stay");
    assert_eq!(
        user_json(&env, ALICE)["expires_at"],
        serde_json::Value::Null
    );
}

fn with_a_second_admin_the_first_can_be_deactivated() {
    let env = TestEnv::new();
    env.add_user("carol", CAROL, "admin", PW);
    env.admin(&["user", "deactivate", ADMIN_EMAIL])
        .run()
        .ok()
        .stdout_has("deactivated admin@example.com");
    let v = env
        .as_user(CAROL, PW, &["user", "show", ADMIN_EMAIL, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(v["status"], "inactive");
    // Now carol is the last one.
    env.as_user(CAROL, PW, &["user", "deactivate", CAROL])
        .run()
        .code(6);
}

fn with_a_second_admin_the_first_can_be_demoted() {
    let env = TestEnv::new();
    env.add_user("carol", CAROL, "admin", PW);
    env.admin(&["user", "edit", ADMIN_EMAIL, "--role", "user"])
        .run()
        .ok()
        .stdout_has("updated admin@example.com");
    let v = env
        .as_user(CAROL, PW, &["user", "show", ADMIN_EMAIL, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(v["role"], "user");
    // The demotion takes effect at once.
    env.admin(&["user", "list"]).run().code(4);
}

fn with_a_second_admin_the_first_can_be_set_inactive() {
    let env = TestEnv::new();
    env.add_user("carol", CAROL, "admin", PW);
    env.admin(&["user", "edit", ADMIN_EMAIL, "--status", "inactive"])
        .run()
        .ok()
        .stdout_has("updated admin@example.com");
    let v = env
        .as_user(CAROL, PW, &["user", "show", ADMIN_EMAIL, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(v["status"], "inactive");
    env.admin(&["whoami"]).run().code(3);
}

fn user_list_filters() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &["--role", "admin"]),
        [ADMIN_EMAIL, CAROL]
    );
    assert_eq!(list_emails(&env, &["--role", "user"]), [BOB, ALICE]);
    assert_eq!(list_emails(&env, &["--status", "inactive"]), [BOB]);
    assert_eq!(
        list_emails(&env, &["--status", "active"]),
        [ADMIN_EMAIL, CAROL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--role", "user", "--status", "active"]),
        [ALICE]
    );
    // Search covers email, name and full name, ignoring case.
    assert_eq!(list_emails(&env, &["--search", "LIDDELL"]), [ALICE]);
    assert_eq!(list_emails(&env, &["--search", "Zo"]), [ALICE]);
    assert_eq!(list_emails(&env, &["--search", "BOB@"]), [BOB]);
    assert_eq!(list_emails(&env, &["--search", "%"]), Vec::<String>::new());
    assert_eq!(
        list_emails(&env, &["--search", "no-such-text"]),
        Vec::<String>::new()
    );
}

fn user_list_limit_and_offset() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "2"]),
        [ADMIN_EMAIL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "2", "--offset", "1"]),
        [ALICE, BOB]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--offset", "3"]),
        [CAROL]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--offset", "10"]),
        Vec::<String>::new()
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "0"]),
        Vec::<String>::new()
    );
}

fn user_list_json_objects_have_every_field() {
    let env = list_env();
    let users = env.users_json();
    assert_eq!(users.len(), 4);
    for u in &users {
        assert_user_object(u);
        let ts = u["created_at"].as_str().unwrap();
        assert!(
            ts.ends_with('Z') && ts.contains('T'),
            "not RFC 3339 UTC: {ts}"
        );
    }
    let bob = users.iter().find(|u| u["email"] == BOB).unwrap();
    assert_eq!(bob["status"], "inactive");
    assert_eq!(bob["last_login_at"], serde_json::Value::Null);
    let alice = users.iter().find(|u| u["email"] == ALICE).unwrap();
    assert_eq!(alice["full_name"], "Alice Liddell");
    assert!(alice["last_login_at"].is_string());
}

fn user_list_csv_has_a_header_row() {
    let env = list_env();
    let r = env
        .admin(&["user", "list", "--format", "csv", "--sort", "email"])
        .run()
        .ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "header + 4 users:\n{}", r.stdout);
    let header: Vec<&str> = lines[0].split(',').collect();
    for col in ["id", "email", "name", "role", "status", "package_count"] {
        assert!(header.contains(&col), "header lacks {col}: {}", lines[0]);
    }
    let email_col = header.iter().position(|c| *c == "email").unwrap();
    let status_col = header.iter().position(|c| *c == "status").unwrap();
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][email_col], ADMIN_EMAIL);
    assert_eq!(rows[2][email_col], BOB);
    assert_eq!(rows[2][status_col], "inactive");

    // A filter matching nobody still prints the header.
    let r = env
        .admin(&[
            "user",
            "list",
            "--format",
            "csv",
            "--search",
            "no-such-text",
        ])
        .run()
        .ok();
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

fn user_list_jsonl_is_one_object_per_line() {
    let env = list_env();
    let r = env
        .admin(&["user", "list", "--format", "jsonl", "--sort", "email"])
        .run()
        .ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    let mut got = Vec::new();
    for l in lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert_user_object(&v);
        got.push(v["email"].as_str().unwrap().to_string());
    }
    assert_eq!(got, [ADMIN_EMAIL, ALICE, BOB, CAROL]);
    // GATEHOUSE_FORMAT selects the format too.
    let r = env
        .admin(&["user", "list"])
        .env("GATEHOUSE_FORMAT", "jsonl")
        .run()
        .ok();
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
}

fn user_list_table_columns_and_status_text() {
    let env = list_env();
    let r = env.admin(&["user", "list"]).run().ok();
    let out = &r.stdout;
    assert!(
        !out.contains('\x1b'),
        "escape codes in piped output: {out:?}"
    );
    let header = out
        .lines()
        .find(|l| l.contains("Name"))
        .unwrap_or_else(|| panic!("no header:\n{out}"));
    let pos: Vec<usize> = ["Name", "Email", "Role", "Status", "Packages"]
        .iter()
        .map(|c| {
            header
                .find(c)
                .unwrap_or_else(|| panic!("no {c} column: {header}"))
        })
        .collect();
    assert!(
        pos.windows(2).all(|w| w[0] < w[1]),
        "column order: {header}"
    );
    let bob = out.lines().find(|l| l.contains(BOB)).unwrap();
    assert!(bob.contains("✗ Inactive") && bob.contains("User"), "{bob}");
    let carol = out.lines().find(|l| l.contains(CAROL)).unwrap();
    assert!(
        carol.contains("✓ Active") && carol.contains("Admin"),
        "{carol}"
    );
    assert!(carol.contains('0'), "package count: {carol}");
    for email in [ADMIN_EMAIL, ALICE, BOB, CAROL] {
        assert!(out.contains(email), "{email} missing:\n{out}");
    }
}

fn user_list_color_always_adds_escape_codes() {
    let env = list_env();
    let r = env.admin(&["user", "list", "--color", "always"]).run().ok();
    assert!(r.stdout.contains('\x1b'), "{:?}", r.stdout);
    assert!(r.stdout.contains("Active"));
    let r = env.admin(&["user", "list", "--color", "never"]).run().ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    // NO_COLOR with the default `auto` (and a pipe): plain.
    let r = env.admin(&["user", "list"]).env("NO_COLOR", "1").run().ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    // CLICOLOR_FORCE colours a pipe too — errors included — unless NO_COLOR says no.
    let r = env
        .admin(&["user", "list"])
        .env("CLICOLOR_FORCE", "1")
        .run()
        .ok();
    assert!(r.stdout.contains('\x1b'), "{:?}", r.stdout);
    let r = env
        .admin(&["user", "show", "nobody@example.com"])
        .env("CLICOLOR_FORCE", "1")
        .run()
        .code(5);
    assert!(r.stderr.contains("\x1b["), "{:?}", r.stderr);
    let r = env
        .admin(&["user", "list"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .run()
        .ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

fn deactivate_several_and_json_output() {
    let env = env_with_users();
    let r = env.admin(&["user", "deactivate", ALICE, BOB]).run().ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "deactivated alice@example.com",
            "deactivated bob@example.com"
        ]
    );
    env.admin(&["user", "activate", ALICE, BOB]).run().ok();
    let v = env
        .admin(&["user", "deactivate", ALICE, BOB, "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(emails(&v), [ALICE, BOB]);
    for u in v.as_array().unwrap() {
        assert_user_object(u);
        assert_eq!(u["status"], "inactive");
    }
}


fn tables_piped_to_a_program_are_plain_aligned_columns() {
    let env = list_env();
    let r = env.admin(&["user", "list"]).run().ok();
    assert!(
        !r.stdout.contains('│') && !r.stdout.contains('─'),
        "{}",
        r.stdout
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("Email"),
        "{}",
        r.stdout
    );
    // Every row starts its Email column where the header does.
    let col = lines[0].find("Email").unwrap();
    for l in &lines[1..] {
        let email = l.split_whitespace().find(|w| w.contains('@')).unwrap();
        let at = l.find(email).unwrap();
        assert_eq!(l[..at].chars().count(), col, "misaligned: {l}");
    }
    // Asked for colour, the table keeps its box.
    let r = env.admin(&["user", "list", "--color", "always"]).run().ok();
    assert!(r.stdout.contains('│'), "{}", r.stdout);
}

fn user_add_json_says_whether_it_created_or_changed_anything() {
    let env = TestEnv::new();
    let add = |pw: &str| {
        env.admin(&[
            "user",
            "add",
            "--email",
            CAROL,
            "--name",
            "carol",
            "--password-stdin",
            "--if-not-exists",
            "--json",
        ])
        .stdin(&pw_line(pw))
        .run()
        .ok()
        .json()
    };
    let first = add(PW);
    assert_eq!((first["created"].clone(), first["changed"].clone()), (true.into(), true.into()));
    assert_user_object(&first);
    let again = add(PW);
    assert_eq!((again["created"].clone(), again["changed"].clone()), (false.into(), false.into()));
    let rotated = add(PW2);
    assert_eq!((rotated["created"].clone(), rotated["changed"].clone()), (false.into(), true.into()));
    env.as_user(CAROL, PW2, &["whoami"]).run().ok();
}
}

crate::on_both_stores! {
fn user_list_shows_chosen_columns_without_headers_and_finds_expired_users() {
    let env = list_env();
    env.admin(&["user", "edit", CAROL, "--expires", "2001-01-01"])
        .run()
        .ok();
    // The default table: ID and the last login too; Alice logged in, Carol never did.
    let r = env.admin(&["user", "list", "--sort", "email"]).run().ok();
    let header: Vec<&str> = r.stdout.lines().next().unwrap().split("  ").filter(|c| !c.is_empty()).map(str::trim).collect();
    assert_eq!(
        header,
        ["ID", "Name", "Email", "Role", "Status", "Packages", "Last login"]
    );
    let line = |email: &str| {
        r.stdout
            .lines()
            .find(|l| l.contains(email))
            .unwrap()
            .to_string()
    };
    assert!(line(CAROL).contains("✗ Expired") && line(CAROL).ends_with("never"), "{}", r.stdout);
    assert!(line(BOB).contains("✗ Inactive"), "{}", r.stdout);
    assert!(!line(ALICE).ends_with("never"), "{}", r.stdout);

    let expired = env
        .admin(&["user", "list", "--status", "expired", "--columns", "email", "--no-headers"])
        .run()
        .ok();
    assert_eq!(expired.stdout, format!("{CAROL}\n"));
    let csv = env
        .admin(&[
            "user", "list", "-o", "csv", "--columns", "email,full-name,status", "--no-headers",
            "--sort", "email",
        ])
        .run()
        .ok();
    assert_eq!(
        csv.stdout,
        format!(
            "{ADMIN_EMAIL},,active\n{ALICE},Alice Liddell,active\n{BOB},,inactive\n{CAROL},,active\n"
        )
    );
    let json = env
        .admin(&["user", "list", "--json", "--columns", "id,email", "--status", "inactive"])
        .run()
        .ok()
        .json();
    let only = json.as_array().unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].as_object().unwrap().len(), 2, "{json}");
    assert_eq!(only[0]["email"], BOB);
    // A column that is not one is refused with the list of those that are.
    env.admin(&["user", "list", "--columns", "email,shoe-size"])
        .run()
        .code(2)
        .stderr_has("full-name");
}
}

#[test]
fn a_user_locked_out_by_failed_logins_is_listed_as_locked() {
    let env = list_env();
    for _ in 0..10 {
        env.as_user(ALICE, WRONG_PW, &["whoami"]).run().code(3);
    }
    let r = env
        .admin(&["user", "list", "--status", "locked"])
        .run()
        .ok();
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", r.stdout);
    assert!(
        rows[0].contains(ALICE) && rows[0].contains("✗ Locked"),
        "{}",
        r.stdout
    );
    env.admin(&["user", "unlock", ALICE]).run().ok();
    env.admin(&["user", "list", "--status", "locked"])
        .run()
        .ok()
        .stderr_has("no users match");
}

crate::on_both_stores! {
fn expires_takes_a_span_from_now_or_tomorrow_and_warns_when_already_past() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    let expiry = |at: &str| {
        let r = env
            .admin(&["user", "edit", ALICE, "--expires", at, "--json"])
            .run()
            .ok();
        let t: jiff::Timestamp = r.json()["expires_at"].as_str().unwrap().parse().unwrap();
        (t, r.stderr)
    };
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap();
    let (t, warned) = expiry("90d");
    let days = (t - now).get_seconds() as f64 / 86_400.0;
    assert!((89.9..=90.1).contains(&days), "{t}");
    assert!(warned.is_empty(), "{warned}");
    let (t, _) = expiry("tomorrow");
    assert!(t.to_string().ends_with("T23:59:59Z"), "{t}");
    assert!(t > now && (t - now).get_seconds() <= 2 * 86_400, "{t}");
    // A past expiry ends the account now: allowed, and said.
    let (_, warned) = expiry("2020-01-01");
    assert!(warned.contains("is in the past"), "{warned}");
    env.as_user(ALICE, PW, &["whoami"]).run().code(3);
    env.admin(&["user", "edit", ALICE, "--expires", "0d"])
        .run()
        .code(7)
        .stderr_has("a span from now is 1 or more");
}
}

/// Several identities on one store: `login --as NAME` saves a session of its own, a
/// login that would replace someone else's saved session says so (and ends it), and
/// `logout --all` ends them all.
#[test]
fn login_as_keeps_identities_apart_and_logout_all_ends_them() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    let login = |email: &str, extra: &[&str]| {
        let mut args = vec!["login", "--email", email, "--password-stdin", "--json"];
        args.extend_from_slice(extra);
        env.cmd(&args)
            .stdin(&format!("{}\n", if email == ALICE { PW } else { ADMIN_PW }))
            .run()
            .ok()
    };
    let first = login(ALICE, &[]);
    let alice_file = first.json()["session_file"].as_str().unwrap().to_string();
    let alice_token = std::fs::read_to_string(&alice_file).unwrap();
    login(ADMIN_EMAIL, &["--as", "ops"]);
    let whoami = |extra: &[&str]| {
        let mut args = extra.to_vec();
        args.push("whoami");
        env.cmd(&args).run()
    };
    whoami(&[]).ok().stdout_has(ALICE);
    whoami(&["--as", "ops"]).ok().stdout_has(ADMIN_EMAIL);
    env.cmd(&["whoami"])
        .env("GATEHOUSE_AS", "ops")
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);

    // The admin logs in without --as: that replaces Alice's saved session, and says so.
    let replaced = login(ADMIN_EMAIL, &[]);
    assert!(
        replaced
            .stderr
            .contains("replaces the saved session of alice@example.com"),
        "{}",
        replaced.stderr
    );
    env.with_token(alice_token.trim(), &["whoami"])
        .run()
        .code(3);
    whoami(&[]).ok().stdout_has(ADMIN_EMAIL);

    let out = env.cmd(&["logout", "--all", "--json"]).run().ok().json();
    assert_eq!(out["logged_out"].as_array().unwrap().len(), 2, "{out}");
    whoami(&[]).code(3);
    whoami(&["--as", "ops"])
        .code(3)
        .stderr_has("gatehouse login --as ops");
    env.cmd(&["logout", "--all"])
        .run()
        .ok()
        .stderr_has("no saved sessions");
    env.cmd(&["--as", "no/slash", "whoami"]).run().code(2);
}

/// `COMPLETE=bash gatehouse -- gatehouse …`, as the shell calls it: the candidates.
fn complete(env: &TestEnv, token: Option<&str>, words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "gatehouse"];
    args.extend_from_slice(words);
    let mut cmd = env.cmd(&args);
    if let Some(t) = token {
        cmd = cmd.env("GATEHOUSE_TOKEN", t);
    }
    let r = cmd
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", words.len().to_string())
        .run()
        .ok();
    r.stdout
        .split(['\n', '\u{b}'])
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .map(str::to_string)
        .collect()
}

#[test]
fn shells_complete_emails_and_package_names_from_the_store() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "create", "south"]).run().ok();
    env.admin(&["package", "assign", "north", "--user", ALICE])
        .run()
        .ok();
    let admin = env.token(ADMIN_EMAIL, ADMIN_PW);
    assert_eq!(complete(&env, Some(&admin), &["user", "show", "b"]), [BOB]);
    assert_eq!(
        complete(&env, Some(&admin), &["user", "deactivate", "a"]),
        [ADMIN_EMAIL, ALICE]
    );
    assert_eq!(
        complete(&env, Some(&admin), &["package", "members", "s"]),
        ["south"]
    );
    assert_eq!(
        complete(&env, Some(&admin), &["user", "list", "--package", ""]),
        ["north", "south"]
    );
    // A regular user is offered the packages they can see, and no one's email.
    let alice = env.token(ALICE, PW);
    assert_eq!(
        complete(&env, Some(&alice), &["package", "show", ""]),
        ["north"]
    );
    assert!(complete(&env, Some(&alice), &["user", "show", ""]).is_empty());
    // Logged out: nothing, and no prompt.
    assert!(complete(&env, None, &["package", "show", ""]).is_empty());
    // The shell's side of it is printed for `source <(COMPLETE=bash gatehouse)`.
    let script = env.cmd(&[]).env("COMPLETE", "bash").run().ok().stdout;
    assert!(script.contains("complete -o"), "{script}");
}

/// Asked for JSON, a usage error (clap's) ends stderr with the same JSON object as any
/// other error; a value our types refuse keeps its own kind.
#[test]
fn usage_errors_are_json_too_when_json_is_asked() {
    let env = TestEnv::new();
    let last_json = |r: &Run| -> serde_json::Value {
        let last = r.stderr.lines().last().unwrap_or_default();
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {}", r.stderr))
    };
    for args in [
        &["--json", "user", "show"][..],
        &["-o", "jsonl", "user", "frob"],
        &["user", "list", "--format=json", "--sort", "shoe-size"],
    ] {
        let r = env.admin(args).run().code(2);
        let v = last_json(&r);
        assert_eq!(v["error"]["kind"], "usage", "{args:?}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let r = env
        .admin(&["user", "show"])
        .env("GATEHOUSE_FORMAT", "json")
        .run()
        .code(2);
    assert_eq!(last_json(&r)["error"]["kind"], "usage");
    let r = env
        .admin(&["--json", "user", "show", "bad@@email"])
        .run()
        .code(7);
    assert_eq!(last_json(&r)["error"]["kind"], "invalid");
    let r = env.admin(&["user", "show"]).run().code(2);
    assert!(!r.stderr.contains("{\"error\""), "{}", r.stderr);
}

#[test]
fn odd_expiry_values_are_refused_not_crashed_on() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    for bad in ["é", "90日", "", "d", "-3d"] {
        let arg = format!("--expires={bad}");
        env.admin(&["user", "edit", ALICE, &arg]).run().code(7);
    }
}

#[test]
fn as_with_a_token_in_the_environment_is_refused() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.with_token(&token, &["--as", "ops", "whoami"])
        .run()
        .code(2)
        .stderr_has("--as ops picks a saved session");
}

/// The same objects carry the same ids and values in CSV as in JSON.
#[test]
fn csv_and_json_agree_on_ids() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "create", "south"]).run().ok();
    let json = env.admin(&["package", "list", "--json"]).run().ok().json();
    let csv = env
        .admin(&["package", "list", "-o", "csv"])
        .run()
        .ok()
        .stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&rdr.headers().unwrap()[0], "id");
    let from_csv: Vec<(String, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[3].to_string())
        })
        .collect();
    let from_json: Vec<(String, String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].to_string(),
                p["name"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_csv, from_json);
}
