//! `user add`: the created line and object, password rules and sources, conflicts,
//! `--if-not-exists`, packages given at creation.

use crate::support::*;

crate::on_both_stores! {
fn user_add_if_not_exists_is_safe_to_rerun() {
    let env = TestEnv::new();
    let add = |env: &TestEnv| {
        env.admin(&[
            "user",
            "add",
            "--name",
            "alice",
            "--email",
            ALICE,
            "--if-not-exists",
            "--password-stdin",
        ])
        .stdin(&format!("{PW}\n"))
        .run()
    };
    add(&env).ok();
    let first = env.snapshot();
    add(&env).ok();
    assert_eq!(env.snapshot(), first);
}
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

crate::on_both_stores! {
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
                imported_phc()
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
            h = imported_phc()
        ),
    );
    let r = env.admin(&["user", "import", &file]).run();
    refused(r, 7, "one email twice in a file");
    assert_eq!(env.snapshot(), before);
}

fn user_add_and_edit_manage_assignments() {
    let env = package_world();
    env.admin(&[
        "user",
        "add",
        "--name",
        "carol",
        "--email",
        "carol@example.com",
        "--package",
        "north",
        "--package",
        "SOUTH",
        "--generate-password",
    ])
    .run()
    .ok();
    let r = env
        .admin(&["user", "show", "carol@example.com", "--json"])
        .run()
        .ok();
    assert_eq!(r.json()["packages"], serde_json::json!(["north", "south"]));
    assert_eq!(r.json()["package_count"], 2);

    let r = env
        .admin(&[
            "user",
            "edit",
            "carol@example.com",
            "--packages",
            "south",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["packages"], serde_json::json!(["south"]));
    let r = env
        .admin(&[
            "user",
            "edit",
            "carol@example.com",
            "--add-package",
            "north",
            "--remove-package",
            "south",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["packages"], serde_json::json!(["north"]));

    // An unknown package is named, and nothing changes.
    let before = env.snapshot();
    env.admin(&[
        "user",
        "edit",
        "carol@example.com",
        "--packages",
        "north,ghost",
    ])
    .run()
    .code(5)
    .stderr_has("`ghost`");
    env.admin(&[
        "user",
        "add",
        "--name",
        "dan",
        "--email",
        "dan@example.com",
        "--package",
        "ghost",
        "--generate-password",
    ])
    .run()
    .code(5);
    assert_eq!(env.snapshot(), before);

    // The list's Packages column and the --package filter follow assignments.
    let r = env
        .admin(&["user", "list", "--package", "north", "--json"])
        .run()
        .ok();
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    let r = env.admin(&["user", "list"]).run().ok();
    assert!(r.stdout.contains("Packages"));
}

    fn an_email_postgresql_reserves_is_refused_clearly() {
        let env = TestEnv::new();
        let add = env
            .admin(&["user", "add", "--name", "pgx", "--email", "pg_x@example.com", "--password-stdin"])
            .stdin("Pgx-secret-pw-1\n")
            .run();
        if env.pg.is_some() {
            // Its login role would be named `pg_x@example.com`, which PostgreSQL keeps.
            add.code(7)
                .stderr_has("start with `pg_`")
                .stderr_has("hint:");
            env.admin(&["user", "show", "pg_x@example.com"]).run().code(5);
        } else {
            add.ok();
        }
    }
}
