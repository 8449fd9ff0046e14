//! Rules every command keeps, checked across all of them: exit codes without
//! credentials or rights, JSON errors, passwords never on the command line nor in any
//! output, hostile values refused or kept as data, files named under sudo.

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::support::*;

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
fn under_sudo_files_named_on_the_command_line_are_refused() {
    let env = with_bob();
    let list = write(&env, "list.txt", format!("{BOB}\n"));
    let csv = write(
        &env,
        "users.csv",
        "email,name,password\nc@example.com,c,Carol-pw-123\n",
    );
    let pwfile = write(&env, "pw.txt", "New-secret-pw-9\n");
    let before = env.snapshot();
    for args in [
        vec!["user", "deactivate", "--from", &list],
        vec!["user", "import", &csv],
        vec!["user", "passwd", BOB, "--password-file", &pwfile],
    ] {
        env.admin(&args)
            .env("SUDO_UID", "4001")
            .run()
            .code(4)
            .stderr_has("under sudo")
            .stderr_has("standard input");
    }
    assert_eq!(env.snapshot(), before);
    // Standard input, opened by the person's own shell, still works.
    env.admin(&["user", "deactivate", "--from", "-"])
        .env("SUDO_UID", "4001")
        .stdin(&format!("{BOB}\n"))
        .run()
        .ok();
}

#[test]
fn errors_never_echo_the_lines_of_a_file_that_is_not_input() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let secret = write(&env, "token.txt", format!("{token}\n"));
    let secret_pw = write(&env, "secret.txt", "hunter2-correct-horse\n");
    for args in [
        vec!["user", "import", &secret],
        vec!["user", "import", "--input-format", "csv", &secret_pw],
        vec!["user", "deactivate", "--from", &secret],
        vec!["user", "deactivate", "--from", &secret_pw],
    ] {
        let r = env.admin(&args).run().code(7);
        let text = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !text.contains(&token[4..20]),
            "{args:?} echoed the token:\n{text}"
        );
        assert!(
            !text.contains("hunter2"),
            "{args:?} echoed the file:\n{text}"
        );
        assert!(text.contains("line 1") || text.contains("column"), "{text}");
    }
}

// 6. Control characters from users never reach a terminal.

#[test]
fn control_characters_in_descriptions_and_typed_targets_never_reach_a_terminal() {
    let env = with_bob();
    for bad in [
        "\x1b[2Jgone",
        "two\nlines",
        "rtl\u{202e}txt.exe",
        "zero\u{200b}width",
    ] {
        env.admin(&["package", "create", "p1", "--description", bad])
            .run()
            .code(7);
    }
    env.admin(&["package", "create", "p1", "--description", "ok"])
        .run()
        .ok();
    env.admin(&["package", "edit", "p1", "--description", "\x1b]0;pwned\x07"])
        .run()
        .code(7);
    // A denied command's target is stored as typed; every table shows it escaped.
    env.as_user(BOB, BOB_PW, &["config", "get", "\x1b[31mevil\u{202e}"])
        .run()
        .code(4);
    let r = env.admin(&["audit", "list"]).run().ok();
    assert!(!r.stdout.contains('\x1b'), "raw escape in:\n{}", r.stdout);
    assert!(
        !r.stdout.contains('\u{202e}'),
        "raw override in:\n{}",
        r.stdout
    );
    r.stdout_has("\\u{1b}[31mevil\\u{202e}");
}

#[test]
fn invisible_formatting_and_list_separators_are_refused_in_names() {
    let env = TestEnv::new();
    let before = env.snapshot();
    for name in [
        "adm\u{202e}nimda",
        "ad\u{200b}min",
        "a\u{2066}b",
        "\u{feff}x",
    ] {
        env.admin(&["package", "create", name]).run().code(7);
        env.admin(&[
            "user",
            "add",
            "--name",
            name,
            "--email",
            "z@example.com",
            "--password-stdin",
        ])
        .stdin("Zed-secret-pw-1\n")
        .run()
        .code(7)
        .stderr_has("invisible");
    }
    env.admin(&["package", "create", "north;south"])
        .run()
        .code(7)
        .stderr_has("`;`");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn out_of_range_numbers_are_usage_errors_not_panics() {
    let env = TestEnv::new();
    env.admin(&["whoami"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "100000000h")
        .run()
        .code(2)
        .stderr_has("GATEHOUSE_BUSY_TIMEOUT");
    let big = "9223372036854775808";
    for args in [
        vec!["user", "list", "--limit", big],
        vec!["user", "list", "--offset", big],
        vec!["audit", "list", "--limit", big],
    ] {
        env.admin(&args).run().code(2);
    }
    let max = "9223372036854775807";
    env.admin(&["user", "list", "--limit", max, "--json"])
        .run()
        .ok();
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
        .map(|(_, e)| serde_json::json!({"email": e, "name": "mallory", "password_hash": imported_phc()}))
        .collect();
    items.push(
        serde_json::json!({"email": "nul\u{0}@example.com", "name": "n", "password_hash": imported_phc()}),
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
            serde_json::json!({"email": format!("imp{i}@example.com"), "name": n, "password_hash": imported_phc()})
        })
        .collect();
    items.push(
        serde_json::json!({"email": "nul@example.com", "name": "a\u{0}b", "password_hash": imported_phc()}),
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
            imported_phc()
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
            imported_phc()
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

crate::on_both_stores! {
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
