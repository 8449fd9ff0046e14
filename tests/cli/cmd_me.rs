//! `me show`, `me edit`, `me notifications` and `me passwd`: a person's own account.

use crate::support::*;

// 5. `me passwd` racing an admin's reset.

#[test]
fn me_passwd_does_not_undo_an_admin_reset_that_happened_meanwhile() {
    let env = with_bob();
    let token = env.token(BOB, BOB_PW);
    // Hold the write lock so `me passwd` verifies, then waits; reset the password
    // meanwhile, as `user passwd` would, and let it go on.
    let c = conn(&env);
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = env
        .with_token(&token, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{BOB_PW}\nMy-own-new-pw-5\n"))
        .spawn();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let admin_hash: String = c
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [ADMIN_EMAIL],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE users SET password_hash = ?1 WHERE email = ?2",
        [&admin_hash, BOB],
    )
    .unwrap();
    c.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("changed after you entered"), "{stderr}");
    let now: String = c
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [BOB],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(now, admin_hash, "the reset was undone");
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

fn me_edit_changes_only_profile_fields() {
    let env = package_world();
    let r = env
        .as_user(
            ALICE,
            PW,
            &[
                "me",
                "edit",
                "--full-name",
                "Alice Liddell",
                "--phone",
                "+44 20 7946 0000",
                "--json",
            ],
        )
        .run()
        .ok();
    assert_eq!(r.json()["full_name"], "Alice Liddell");
    for flag in [
        ["--role", "admin"],
        ["--status", "inactive"],
        ["--email", "x@example.com"],
        ["--packages", "south"],
    ] {
        let before = env.snapshot();
        env.as_user(ALICE, PW, &["me", "edit", flag[0], flag[1]])
            .run()
            .code(2);
        assert_eq!(env.snapshot(), before);
    }
    let r = env.as_user(ALICE, PW, &["me", "show", "--json"]).run().ok();
    assert_eq!(r.json()["role"], "user");
    assert_eq!(r.json()["packages"], serde_json::json!(["north"]));
}

fn notifications_need_a_phone_for_sms() {
    let env = package_world();
    let r = env
        .as_user(ALICE, PW, &["me", "notifications", "--json"])
        .run()
        .ok();
    assert_eq!(
        r.json(),
        serde_json::json!({"email": true, "sms": false, "shipment_updates": true, "system_announcements": true})
    );
    env.as_user(ALICE, PW, &["me", "notifications", "--sms", "on"])
        .run()
        .code(7)
        .stderr_has("phone");
    env.as_user(ALICE, PW, &["me", "edit", "--phone", "+49 30 1234567"])
        .run()
        .ok();
    let r = env
        .as_user(
            ALICE,
            PW,
            &[
                "me",
                "notifications",
                "--sms",
                "on",
                "--shipment-updates",
                "off",
                "--json",
            ],
        )
        .run()
        .ok();
    assert_eq!(r.json()["sms"], true);
    assert_eq!(r.json()["shipment_updates"], false);
    // The phone cannot be removed while SMS is on.
    env.as_user(ALICE, PW, &["me", "edit", "--phone", ""])
        .run()
        .code(7);
}
}
