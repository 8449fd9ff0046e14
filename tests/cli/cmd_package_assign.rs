//! `package assign`, `package unassign` and `package members`.

use crate::support::*;

// 10. Smaller findings.

#[test]
fn package_members_shows_regular_users_all_admins_as_one_line() {
    let env = with_bob();
    env.as_user(BOB, BOB_PW, &["package", "create", "bobs"])
        .run()
        .ok();
    let r = env
        .as_user(BOB, BOB_PW, &["package", "members", "bobs"])
        .run()
        .ok();
    assert!(!r.stdout.contains(ADMIN_EMAIL), "{}", r.stdout);
    r.stdout_has("all admins").stdout_has(BOB);
    env.admin(&["package", "members", "bobs"])
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
}

#[test]
fn unassigning_removes_access_at_once() {
    let env = package_world();
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["package", "show", "north"])
        .run()
        .ok();
    env.admin(&["package", "unassign", "north", "--user", ALICE])
        .run()
        .ok()
        .stdout_has("unassigned north from alice@example.com");
    env.with_token(&token, &["package", "show", "north"])
        .run()
        .code(5);
    let r = env
        .with_token(&token, &["package", "list", "--json"])
        .run()
        .ok();
    assert!(names(&r).is_empty());
}

crate::on_both_stores! {
fn assignment_is_idempotent_and_all_or_nothing() {
    let env = package_world();
    env.admin(&["package", "assign", "north", "--user", ALICE])
        .run()
        .ok()
        .stdout_has("already assigned");
    let before = env.snapshot();
    env.admin(&["package", "assign", "south", "ghost", "--user", ALICE])
        .run()
        .code(5)
        .stderr_has("`ghost`");
    env.admin(&[
        "package",
        "assign",
        "south",
        "--user",
        ALICE,
        "--user",
        "nobody@example.com",
    ])
    .run()
    .code(5)
    .stderr_has("nobody@example.com");
    assert_eq!(env.snapshot(), before);
    // A regular user may not assign.
    env.as_user(BOB, PW, &["package", "assign", "bobs", "--user", ALICE])
        .run()
        .code(4);
    assert_eq!(env.snapshot(), before);
}

fn members_lists_who_can_see_and_why() {
    let env = package_world();
    let r = env
        .admin(&["package", "members", "north", "--json"])
        .run()
        .ok();
    let m = r.json();
    let why = |email: &str| {
        m.as_array()
            .unwrap()
            .iter()
            .find(|x| x["email"] == email)
            .map(|x| x["reasons"].clone())
    };
    assert_eq!(why(ALICE), Some(serde_json::json!(["assigned"])));
    assert_eq!(
        why(ADMIN_EMAIL),
        Some(serde_json::json!(["admin", "creator"]))
    );
    assert_eq!(why(BOB), None);
}

fn assign_takes_a_comma_list_a_file_and_a_dry_run() {
    let env = package_world();
    let both = format!("{ALICE},{BOB}");
    let before = env.snapshot();
    env.admin(&["package", "assign", "south", "--user", &both, "--dry-run"])
        .run()
        .ok()
        .stdout_has("would have assigned south to alice@example.com")
        .stdout_has("would have assigned south to bob@example.com");
    assert_eq!(env.snapshot(), before, "a dry run changes nothing");
    env.admin(&["package", "assign", "south", "--user", &both])
        .run()
        .ok();
    let list = env.path().join("drivers.txt");
    std::fs::write(&list, format!("# drivers\n{ALICE}\n\n{BOB}  # night shift\n")).unwrap();
    env.admin(&["package", "assign", "north", "--from", list.to_str().unwrap()])
        .run()
        .ok()
        .stdout_has("assigned north to bob@example.com");
    let bob = env
        .admin(&["user", "show", BOB, "--json"])
        .run()
        .ok()
        .json();
    let packages: Vec<&str> = bob["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(packages, ["north", "south"]);
    // Assigning to an inactive user works, and says it waits for their return.
    env.admin(&["user", "deactivate", BOB, "--yes"]).run().ok();
    env.admin(&["package", "unassign", "south", "--user", BOB])
        .run()
        .ok();
    env.admin(&["package", "assign", "south", "--user", BOB])
        .run()
        .ok()
        .stderr_has("is inactive");
}
}
