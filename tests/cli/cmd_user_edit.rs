//! `user edit`: each field, invalid values refused with nothing changed, expiry, and
//! the last admin kept.

use crate::support::*;

#[test]
fn the_last_admin_cannot_be_given_an_expiry() {
    let env = TestEnv::new();
    env.admin(&["user", "edit", ADMIN_EMAIL, "--expires", "2999-01-01"])
        .run()
        .code(6);
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
fn user_edit_without_changes_is_a_usage_error() {
    let env = env_with_users();
    let before = admin_state(&env);
    env.admin(&["user", "edit", ALICE]).run().code(2);
    assert_eq!(admin_state(&env), before);
}

crate::on_both_stores! {
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

#[test]
fn odd_expiry_values_are_refused_not_crashed_on() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    for bad in ["é", "90日", "", "d", "-3d"] {
        let arg = format!("--expires={bad}");
        env.admin(&["user", "edit", ALICE, &arg]).run().code(7);
    }
}
