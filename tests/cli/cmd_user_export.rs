//! `user export`: no secrets unless asked, and an export imports back unchanged.

use serde_json::Value;

use crate::support::*;

// 7. Spreadsheet formulas in CSV output.

fn formula_cells(csv: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    rdr.records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .filter(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .collect()
}

/// The users' logical state as `user export --json` shows it, keyed by email.
fn exported(env: &TestEnv) -> Vec<Value> {
    env.admin(&["user", "export", "--json"])
        .run()
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn csv_output_is_neutralised_and_an_export_still_round_trips() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "@SUM(1+1)"]).run().ok();
    env.admin(&[
        "user",
        "add",
        "--name",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "--email=-carol@example.com",
        "--package",
        "@SUM(1+1)",
        "--password-stdin",
    ])
    .stdin("Carol-secret-pw-1\n")
    .run()
    .ok();
    env.admin(&[
        "user",
        "edit",
        "--full-name=+cmd|' /C calc'!A0",
        "--",
        "-carol@example.com",
    ])
    .run()
    .ok();
    for args in [
        vec!["user", "export"],
        vec!["user", "list", "--format", "csv"],
        vec!["access", "matrix", "--format", "csv"],
        vec!["audit", "list", "--format", "csv"],
        vec!["package", "list", "--format", "csv"],
    ] {
        let r = env.admin(&args).run().ok();
        let neutralised = ["'=", "'-", "'@", "'+"]
            .iter()
            .any(|p| r.stdout.contains(p));
        assert!(neutralised, "{args:?}:\n{}", r.stdout);
        assert_eq!(formula_cells(&r.stdout), Vec::<String>::new(), "{args:?}");
    }
    // Export → import into a new store gives back the same values.
    let export = env.admin(&["user", "export"]).run().ok().stdout;
    let other = TestEnv::new();
    other.admin(&["package", "create", "@SUM(1+1)"]).run().ok();
    let file = write(&other, "export.csv", &export);
    other
        .admin(&[
            "user",
            "import",
            &file,
            "--generate-passwords",
            "--on-conflict",
            "skip",
        ])
        .run()
        .ok();
    let carol = other
        .admin(&["user", "show", "--json", "--", "-carol@example.com"])
        .run()
        .ok()
        .json();
    assert_eq!(carol["name"], "=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(carol["full_name"], "+cmd|' /C calc'!A0");
    assert_eq!(carol["packages"][0], "@SUM(1+1)");
    // A value that itself starts with `'` survives too (it is written `''…`).
    env.admin(&[
        "user",
        "edit",
        "--full-name='-quoted",
        "--",
        "-carol@example.com",
    ])
    .run()
    .ok();
    let export = env.admin(&["user", "export"]).run().ok().stdout;
    let file = write(&other, "export2.csv", &export);
    other
        .admin(&[
            "user",
            "import",
            &file,
            "--generate-passwords",
            "--on-conflict",
            "update",
        ])
        .run()
        .ok();
    let carol = other
        .admin(&["user", "show", "--json", "--", "-carol@example.com"])
        .run()
        .ok()
        .json();
    assert_eq!(carol["full_name"], "'-quoted");
}

#[test]
fn export_with_password_hashes_moves_everyone_to_a_new_store_with_their_passwords() {
    let env = env_with_people();
    let plain = env.admin(&["user", "export"]).run().ok().stdout;
    assert!(!plain.contains("password_hash") && !plain.contains("$argon2"));
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["user", "export", "--with-password-hashes"])
        .run()
        .code(4);

    for fmt in ["csv", "jsonl"] {
        let out = env
            .admin(&["user", "export", "--with-password-hashes", "--format", fmt])
            .run()
            .ok()
            .stdout;
        assert!(out.contains("$argon2id$"), "{out}");
        let new = TestEnv::new();
        import(
            &new,
            &[
                "-",
                "--input-format",
                fmt,
                "--on-conflict",
                "skip",
                "--create-packages",
            ],
        )
        .stdin(&out)
        .run()
        .ok()
        .stdout_has("2 created");
        // Alice's history comes along (she logged in above; in the new store she has not).
        let (was, now) = (user(&env, ALICE), user(&new, ALICE));
        assert!(was["last_login_at"].is_string(), "{was}");
        for field in ["created_at", "last_login_at"] {
            assert_eq!(now[field], was[field], "{fmt}: {field}");
        }
        assert!(can_login(&new, ALICE, PW), "{fmt}");
        assert!(can_login(&new, BOB, PW), "{fmt}");
        assert_eq!(packages_of(&user(&new, BOB)), ["south"]);
    }
    let audited: i64 = conn(&env)
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'user.export' \
             AND details LIKE '%with_password_hashes%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2, "each export of hashes is on the record");
}

crate::on_both_stores! {
fn export_has_no_secrets() {
    let env = env_with_people();
    for fmt in ["table", "csv", "json", "jsonl"] {
        let r = env
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout_has(ALICE);
        assert!(!r.stdout.contains("argon2"), "{fmt}: {}", r.stdout);
        assert!(!r.stdout.contains("password_hash"), "{fmt}: {}", r.stdout);
        assert!(!r.stdout.contains(PW), "{fmt}: {}", r.stdout);
    }
}

fn export_then_import_update_on_the_same_store_is_all_unchanged() {
    let env = env_with_people();
    // Some optional fields set, so they round-trip too.
    let file = write(
        &env,
        "extra.csv",
        format!(
            "email,full_name,phone,must_change_password,expires_at,status\n\
             {ALICE},\"Liddell, Alice\",+1 555 0100,true,2099-06-30T12:00:00Z,active\n\
             {BOB},,,false,,inactive\n"
        ),
    );
    import(&env, &[&file, "--on-conflict", "update"]).run().ok();
    let n = env.users_json().len();
    for (fmt, input) in [("csv", "csv"), ("json", "json"), ("jsonl", "jsonl")] {
        let out = env
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout;
        let before = env.snapshot();
        import(
            &env,
            &["-", "--on-conflict", "update", "--input-format", input],
        )
        .stdin(&out)
        .run()
        .ok()
        .stdout_has(&format!("0 created, 0 updated, 0 skipped, {n} unchanged"));
        assert_eq!(env.snapshot(), before, "{fmt}");
        // And sniffed from stdin without --input-format.
        import(&env, &["-", "--on-conflict", "update"])
            .stdin(&out)
            .run()
            .ok()
            .stdout_has(&format!("{n} unchanged"));
        assert_eq!(env.snapshot(), before, "{fmt} (sniffed)");
    }
}

fn export_into_an_empty_store_recreates_users_and_assignments() {
    let src = env_with_people();
    let file = write(
        &src,
        "extra.csv",
        format!(
            "email,full_name,phone,role,must_change_password,expires_at,status,packages\n\
             {ALICE},\"Liddell, Alice\",+1 555 0100,admin,true,2099-06-30T12:00:00Z,active,north;south\n\
             {BOB},,,user,false,,inactive,south\n"
        ),
    );
    import(&src, &[&file, "--on-conflict", "update"]).run().ok();
    for fmt in ["csv", "json", "jsonl"] {
        let out = src
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout;
        let dst = TestEnv::new();
        create_package(&dst, "north");
        create_package(&dst, "south");
        let name = format!("export.{fmt}");
        let path = write(&dst, &name, &out);
        // The admin exists in both stores with the same fields: unchanged.
        let r = import(
            &dst,
            &[&path, "--on-conflict", "update", "--generate-passwords"],
        )
        .run()
        .ok()
        .stderr_has("2 created, 0 updated, 0 skipped, 1 unchanged");
        assert!(r.stdout.starts_with("email,password\n"), "{}", r.stdout);
        // The admin was there already: their own history is not rewritten.
        let without_admins_history = |mut users: Vec<Value>| {
            for u in users.iter_mut().filter(|u| u["email"] == ADMIN_EMAIL) {
                let u = u.as_object_mut().unwrap();
                u.remove("created_at");
                u.remove("last_login_at");
            }
            users
        };
        assert_eq!(
            without_admins_history(exported(&dst)),
            without_admins_history(exported(&src)),
            "{fmt}"
        );
    }
}
}
