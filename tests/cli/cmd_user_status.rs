//! The commands that change who may log in, for one user or many: `user activate`,
//! `deactivate`, `unlock`, `offboard` and `delete`; targets by argument, `--from-file`,
//! stdin and filters; dry runs; the last active admin kept.

use crate::support::*;

const ADMIN2: &str = "admin2@example.com";

#[test]
fn offboard_deactivates_revokes_sessions_and_removes_assignments() {
    let env = env_with_people();
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["whoami"]).run().ok();
    env.admin(&["user", "offboard", ALICE, BOB])
        .run()
        .ok()
        .stdout_has(&format!("offboarded {ALICE}"))
        .stdout_has(&format!("offboarded {BOB}"));
    for e in [ALICE, BOB] {
        let u = user(&env, e);
        assert_eq!(u["status"], "inactive", "{u}");
        assert!(packages_of(&u).is_empty(), "{u}");
    }
    env.with_token(&token, &["whoami"]).run().code(3);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM assignments a JOIN users u ON u.id = a.user_id \
             WHERE u.email IN (?1, ?2)",
            [ALICE, BOB],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    // Again: nothing left to do, still success.
    env.admin(&["user", "offboard", ALICE]).run().ok();
}

#[test]
fn delete_several_users() {
    let env = env_with_people();
    let v = env
        .admin(&["user", "delete", ALICE, BOB, "--json"])
        .run()
        .ok()
        .json();
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [ALICE, BOB]);
    assert!(!user_exists(&env, ALICE));
    assert!(!user_exists(&env, BOB));
    assert!(user_exists(&env, ADMIN_EMAIL));
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM assignments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "assignments of deleted users remain");
}

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn unlock_several_users() {
    let env = env_with_people();
    for _ in 0..10 {
        assert!(!can_login(&env, ALICE, "Wr0ng-pass-99"));
    }
    assert!(!can_login(&env, ALICE, PW), "alice should be locked");
    assert!(!can_login(&env, BOB, "Wr0ng-pass-99"));
    let r = env
        .admin(&["user", "unlock", ALICE, BOB, CAROL])
        .run()
        .code(5)
        .stderr_has(CAROL);
    drop(r);
    assert!(!can_login(&env, ALICE, PW), "nothing unlocked on error");
    env.admin(&["user", "unlock", ALICE, BOB, ADMIN_EMAIL])
        .run()
        .ok()
        .stdout_has(&format!("unlocked {ALICE}"))
        .stdout_has(&format!("unlocked {BOB}"));
    assert!(can_login(&env, ALICE, PW));
}

crate::on_both_stores! {
fn deactivate_several_users_by_argument() {
    let env = env_with_people();
    let r = env
        .admin(&["user", "deactivate", ALICE, BOB])
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ALICE}"))
        .stdout_has(&format!("deactivated {BOB}"));
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert!(!can_login(&env, ALICE, PW));
}

fn from_stdin_reads_emails_with_comments_and_blank_lines() {
    let env = env_with_people();
    let list = format!("# leavers, March\n\n{ALICE}\n  Bob@Example.COM   # moved on\n\n# end\n");
    env.admin(&["user", "deactivate", "--from", "-"])
        .stdin(&list)
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ALICE}"))
        .stdout_has(&format!("deactivated {BOB}"));
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert_eq!(user(&env, ADMIN_EMAIL)["status"], "active");
}

fn from_file_combines_with_arguments() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let f = write(
        &env,
        "c.csv",
        format!("email,name,password_hash\n{CAROL},carol,{h}\n"),
    );
    import(&env, &[&f]).run().ok();
    let list = write(&env, "leavers.txt", format!("{ALICE}\n"));
    env.admin(&["user", "deactivate", CAROL, "--from", &list])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, CAROL)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
}

fn unknown_emails_are_all_listed_and_nothing_changes() {
    let env = env_with_people();
    let list = write(
        &env,
        "leavers.txt",
        format!("{ALICE}\nghost1@example.com\n{BOB}\nghost2@example.com\n"),
    );
    let before = env.users_snapshot();
    env.admin(&["user", "deactivate", "--from", &list])
        .run()
        .code(5)
        .stderr_has("ghost1@example.com")
        .stderr_has("ghost2@example.com");
    assert_eq!(env.users_snapshot(), before);
    assert_eq!(user(&env, ALICE)["status"], "active");
}

fn from_file_with_a_bad_line_changes_nothing() {
    let env = env_with_people();
    let list = write(&env, "leavers.txt", format!("{ALICE}\nnot an email\n"));
    let before = env.users_snapshot();
    env.admin(&["user", "offboard", "--from", &list])
        .run()
        .code(7)
        .stderr_has("line 2");
    assert_eq!(env.users_snapshot(), before);
}

fn batch_deactivation_removing_the_last_active_admin_is_refused_whole() {
    let env = env_with_people();
    env.add_user("admin2", ADMIN2, "admin", PW);
    let before = env.users_snapshot();
    // Both admins and a user in one batch: refused, and alice is not deactivated either.
    env.admin(&["user", "deactivate", ALICE, ADMIN2, ADMIN_EMAIL])
        .run()
        .code(6)
        .stderr_has("active admin");
    assert_eq!(env.users_snapshot(), before);
    // The same by filter.
    env.admin(&["user", "deactivate", "--role", "admin"])
        .run()
        .code(6);
    env.admin(&["user", "offboard", "--all"]).run().code(6);
    env.admin(&["user", "delete", "--role", "admin", ALICE])
        .run()
        .code(6);
    // Even as a dry run, the guard applies.
    env.admin(&["user", "deactivate", "--role", "admin", "--dry-run"])
        .run()
        .code(6);
    assert_eq!(env.users_snapshot(), before);
    assert_eq!(user(&env, ALICE)["status"], "active");
    // One admin of the two may go.
    env.admin(&["user", "deactivate", ALICE, ADMIN2])
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ADMIN2}"));
}

fn bulk_dry_run_prints_what_would_change_and_changes_nothing() {
    let env = env_with_people();
    let before = env.snapshot();
    env.admin(&["user", "deactivate", ALICE, BOB, "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would deactivate {ALICE}"))
        .stdout_has(&format!("would deactivate {BOB}"));
    env.admin(&["user", "delete", "--role", "user", "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would delete {ALICE}"))
        .stdout_has(&format!("would delete {BOB}"));
    env.admin(&["user", "offboard", "--package", "north", "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would offboard {ALICE}"));
    assert_eq!(env.snapshot(), before);
}

fn filters_select_users() {
    let env = env_with_people();
    // --package
    let r = env
        .admin(&["user", "deactivate", "--package", "north", "--json"])
        .run()
        .ok();
    let v = r.json();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1, "{v}");
    assert_eq!(arr[0]["email"], ALICE);
    assert_eq!(arr[0]["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
    // --status
    env.admin(&["user", "activate", "--status", "inactive"])
        .run()
        .ok()
        .stdout_has(&format!("activated {ALICE}"));
    assert_eq!(user(&env, ALICE)["status"], "active");
    // --role combined with --status: only active users with role user.
    env.admin(&["user", "deactivate", "--role", "user", "--status", "active"])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert_eq!(user(&env, ADMIN_EMAIL)["status"], "active");
    // An unknown package in a filter.
    env.admin(&["user", "deactivate", "--package", "ghost"])
        .run()
        .code(5);
    // --all --dry-run lists everybody.
    let v = env
        .admin(&["user", "activate", "--all", "--dry-run", "--json"])
        .run()
        .ok()
        .json();
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(emails.contains(&ALICE) && emails.contains(&BOB), "{v}");
}

fn targets_are_required() {
    let env = env_with_people();
    env.admin(&["user", "deactivate"]).run().code(2);
}

fn non_admin_cannot_run_bulk_commands() {
    let env = env_with_people();
    let before = env.users_snapshot();
    for cmd in ["activate", "deactivate", "offboard", "unlock", "delete"] {
        env.as_user(ALICE, PW, &["user", cmd, BOB]).run().code(4);
    }
    assert_eq!(env.users_snapshot(), before);
}

fn offboarding_a_list_that_names_people_already_gone_needs_ignore_missing() {
    let env = env_with_people();
    let list = write(
        &env,
        "leavers.txt",
        format!("# leavers this week\n{ALICE}\ngone@example.com\n{BOB}\n"),
    );
    let before = env.snapshot();
    env.admin(&["user", "offboard", "--from", &list, "--yes"])
        .run()
        .code(5)
        .stderr_has("`gone@example.com`")
        .stderr_has("--ignore-missing");
    assert_eq!(env.snapshot(), before, "all or nothing without the flag");

    env.admin(&[
        "user",
        "offboard",
        "--from",
        &list,
        "--yes",
        "--ignore-missing",
    ])
    .run()
    .ok()
    .stderr_has("skipped 1 user that does not exist: `gone@example.com`");
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    // Run again: everyone is already offboarded, the missing one still skipped.
    env.admin(&[
        "user",
        "offboard",
        "--from",
        &list,
        "--yes",
        "--ignore-missing",
    ])
    .run()
    .ok();
}

fn a_mistyped_email_gets_a_did_you_mean() {
    let env = env_with_people();
    let before = env.users_snapshot();
    env.admin(&["user", "offboard", "alice@exmaple.com", "bob@example.com", "--yes"])
        .run()
        .code(5)
        .stderr_has("no such user: `alice@exmaple.com`")
        .stderr_has("did you mean `alice@example.com` for `alice@exmaple.com`?");
    assert_eq!(env.users_snapshot(), before);
}
}

#[test]
fn a_user_argument_that_starts_with_hash_is_a_comment_as_in_a_from_file() {
    let env = env_with_people();
    env.admin(&["user", "deactivate", ALICE, "# leaves Friday", "--yes"])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
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

crate::on_both_stores! {
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
}
