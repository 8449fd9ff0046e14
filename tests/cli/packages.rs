//! Packages, assignments and the access rule, seen through the real binary.

use crate::support::*;

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const PW: &str = "Str0ng-pass-1";

/// A store with admin, alice and bob (users), and packages: `north` (by admin, assigned
/// to alice), `south` (by admin, unassigned), `bobs` (created by bob).
fn setup() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env.admin(&[
        "package",
        "create",
        "north",
        "--description",
        "North region",
    ])
    .run()
    .ok();
    env.admin(&["package", "create", "south"]).run().ok();
    env.as_user(BOB, PW, &["package", "create", "bobs"])
        .run()
        .ok();
    env.admin(&["package", "assign", "north", "--user", ALICE])
        .run()
        .ok();
    env
}

fn names(run: &Run) -> Vec<String> {
    let mut v: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn unassigning_removes_access_at_once() {
    let env = setup();
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

// The rule is the same on both stores: each test below runs on SQLite and on PostgreSQL.
crate::on_both_stores! {
fn users_see_exactly_what_they_created_or_were_assigned() {
    let env = setup();
    let alice = env
        .as_user(ALICE, PW, &["package", "list", "--json"])
        .run()
        .ok();
    assert_eq!(names(&alice), ["north"]);
    let bob = env
        .as_user(BOB, PW, &["package", "list", "--json"])
        .run()
        .ok();
    assert_eq!(names(&bob), ["bobs"]);
    // The admin has no assignments and sees everything.
    let admin = env.admin(&["package", "list", "--json"]).run().ok();
    assert_eq!(names(&admin), ["bobs", "north", "south"]);
}

fn an_invisible_package_is_reported_like_a_missing_one() {
    let env = setup();
    let before = env.snapshot();
    for args in [
        vec!["package", "show"],
        vec!["package", "edit", "--description", "x"],
        vec!["package", "delete", "--yes"],
        vec!["package", "deactivate"],
        vec!["package", "members"],
    ] {
        let with = |name: &str| {
            let mut a: Vec<&str> = args[..2].to_vec();
            a.push(name);
            a.extend_from_slice(&args[2..]);
            env.as_user(ALICE, PW, &a).run()
        };
        let hidden = with("bobs").code(5);
        let missing = with("nonexistent").code(5);
        assert_eq!(
            hidden.stderr.replace("bobs", "NAME"),
            missing.stderr.replace("nonexistent", "NAME"),
            "{args:?}"
        );
    }
    assert_eq!(env.snapshot(), before);
}

fn an_assigned_user_may_see_but_not_change() {
    let env = setup();
    env.as_user(ALICE, PW, &["package", "show", "north"])
        .run()
        .ok()
        .stdout_has("North region");
    let before = env.snapshot();
    env.as_user(ALICE, PW, &["package", "edit", "north", "--name", "mine"])
        .run()
        .code(4)
        .stderr_has("only the creator");
    env.as_user(ALICE, PW, &["package", "delete", "north", "--yes"])
        .run()
        .code(4);
    assert_eq!(env.snapshot(), before);
}

fn creators_change_their_own_packages() {
    let env = setup();
    let r = env
        .as_user(
            BOB,
            PW,
            &[
                "package",
                "edit",
                "bobs",
                "--description",
                "Bob's routes",
                "--json",
            ],
        )
        .run()
        .ok();
    assert_eq!(r.json()[0]["description"], "Bob's routes");
    env.as_user(BOB, PW, &["package", "deactivate", "bobs"])
        .run()
        .ok()
        .stdout_has("deactivated package bobs");
    // Inactive packages are hidden unless --all.
    let r = env
        .as_user(BOB, PW, &["package", "list", "--json"])
        .run()
        .ok();
    assert!(names(&r).is_empty());
    let r = env
        .as_user(BOB, PW, &["package", "list", "--all", "--json"])
        .run()
        .ok();
    assert_eq!(names(&r), ["bobs"]);
    env.as_user(BOB, PW, &["package", "delete", "bobs", "--yes"])
        .run()
        .ok();
    env.admin(&["package", "show", "bobs"]).run().code(5);
}

fn assignment_is_idempotent_and_all_or_nothing() {
    let env = setup();
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

fn user_add_and_edit_manage_assignments() {
    let env = setup();
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

fn access_explain_names_the_arm() {
    let env = setup();
    let arm = |who: &str, pkg: &str| {
        let r = env
            .admin(&["access", "explain", who, pkg, "--json"])
            .run()
            .ok();
        (
            r.json()["allowed"].as_bool().unwrap(),
            r.json()["arm"].clone(),
            r.json()["can_change"].as_bool().unwrap(),
        )
    };
    assert_eq!(arm(ADMIN_EMAIL, "south"), (true, "admin".into(), true));
    assert_eq!(arm(ALICE, "north"), (true, "assigned".into(), false));
    assert_eq!(arm(BOB, "bobs"), (true, "creator".into(), true));
    assert_eq!(arm(ALICE, "south"), (false, serde_json::Value::Null, false));
    env.admin(&["access", "explain", ALICE, "north"])
        .run()
        .ok()
        .stdout_has("assigned");

    // A user about themselves: fine for what they can see; invisible = not found.
    env.as_user(ALICE, PW, &["access", "explain", "me", "north"])
        .run()
        .ok()
        .stdout_has("allowed");
    env.as_user(ALICE, PW, &["access", "explain", "me", "bobs"])
        .run()
        .code(5);
    // About someone else: admins only.
    env.as_user(ALICE, PW, &["access", "explain", BOB, "bobs"])
        .run()
        .code(4);
}

fn access_matrix_marks_each_arm() {
    let env = setup();
    // One item per reachable (user, package) pair, with the arm.
    let r = env.admin(&["access", "matrix", "--json"]).run().ok();
    let pairs = r.json();
    let row = |email: &str| -> serde_json::Value {
        pairs
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["email"] == email)
            .map(|p| (p["package"].as_str().unwrap().to_string(), p["arm"].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    assert_eq!(row(ALICE), serde_json::json!({ "north": "assigned" }));
    assert_eq!(row(BOB), serde_json::json!({ "bobs": "creator" }));
    assert_eq!(
        row(ADMIN_EMAIL),
        serde_json::json!({ "bobs": "admin", "north": "admin", "south": "admin" })
    );
    env.as_user(ALICE, PW, &["access", "matrix"]).run().code(4);
}

fn package_creation_by_users_follows_the_setting() {
    let env = setup();
    env.as_user(
        ALICE,
        PW,
        &["config", "set", "packages.users_can_create", "off"],
    )
    .run()
    .code(4);
    env.admin(&["config", "set", "packages.users_can_create", "off"])
        .run()
        .ok();
    env.as_user(ALICE, PW, &["package", "create", "alices"])
        .run()
        .code(4);
    env.admin(&["package", "create", "admins-only"]).run().ok();
    env.admin(&["config", "get", "packages.users_can_create"])
        .run()
        .ok()
        .stdout_has("off");
    env.admin(&["config", "set", "packages.users_can_create", "maybe"])
        .run()
        .code(7);
    env.admin(&["config", "set", "password.min_length", "5"])
        .run()
        .code(7);
}

fn package_names_are_unique_regardless_of_case_and_hostile_names_are_data() {
    let env = setup();
    env.admin(&["package", "create", "NORTH"]).run().code(6);
    let evil = "' OR 1=1 -- DROP TABLE users";
    env.admin(&["package", "create", evil]).run().ok();
    env.admin(&["package", "show", evil])
        .run()
        .ok()
        .stdout_has("DROP TABLE");
    assert_eq!(env.users_json().len(), 3);
}

fn members_lists_who_can_see_and_why() {
    let env = setup();
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

fn me_edit_changes_only_profile_fields() {
    let env = setup();
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
    let env = setup();
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

fn package_names_are_one_name_whatever_their_case_or_unicode_form() {
    let env = setup();
    env.admin(&["package", "create", "Äpfel"]).run().ok();
    env.admin(&["package", "create", "Straße"]).run().ok();
    // Lower case, upper case, decomposed: the same name.
    for taken in ["äpfel", "ÄPFEL", "A\u{308}pfel", "STRASSE", "strasse"] {
        env.admin(&["package", "create", taken]).run().code(6);
    }
    for alias in ["äpfel", "A\u{308}PFEL"] {
        env.admin(&["package", "show", alias])
            .run()
            .ok()
            .stdout_has("Äpfel");
    }
    // An import naming one package twice, in two forms, assigns it once.
    let csv = "email,name,password,packages\nz@example.com,z,Zed-secret-pw-1,äpfel;Äpfel\n";
    let file = env.path().join("z.csv");
    std::fs::write(&file, csv).unwrap();
    env.admin(&["user", "import", file.to_str().unwrap()])
        .run()
        .ok();
    let z = env
        .admin(&["user", "show", "z@example.com", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(z["packages"], serde_json::json!(["Äpfel"]));
}

/// The sparse matrix is the rule applied to every user and package: compare it with
/// the rule worked out here from `user list` and `package list`.

fn access_matrix_pairs_are_the_rule_for_every_user_and_package() {
    let env = setup();
    let users = env.users_json();
    let pkgs = env
        .admin(&["package", "list", "--all", "--json"])
        .run()
        .ok()
        .json();
    let mut want: Vec<(String, String, String)> = Vec::new();
    for u in &users {
        let email = u["email"].as_str().unwrap().to_string();
        for p in pkgs.as_array().unwrap() {
            let name = p["name"].as_str().unwrap().to_string();
            let arm = if u["role"] == "admin" {
                Some("admin")
            } else if p["created_by"] == u["email"] {
                Some("creator")
            } else if u["packages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == &p["name"])
            {
                Some("assigned")
            } else {
                None
            };
            if let Some(a) = arm {
                want.push((email.clone(), name, a.to_string()));
            }
        }
    }
    want.sort();
    let got = env.admin(&["access", "matrix", "--json"]).run().ok().json();
    let got: Vec<(String, String, String)> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let f = |k: &str| p[k].as_str().unwrap().to_string();
            (f("email"), f("package"), f("arm"))
        })
        .collect();
    assert_eq!(got, want, "json pairs, in email and package order");
    let csv = env
        .admin(&["access", "matrix", "--format", "csv"])
        .run()
        .ok()
        .stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let from_csv: Vec<(String, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[col("email")].to_string(),
                r[col("package")].to_string(),
                r[col("arm")].to_string(),
            )
        })
        .collect();
    assert_eq!(from_csv, want, "csv pairs");
}

fn package_create_if_not_exists_converges_without_revealing_hidden_names() {
    let env = setup();
    let create = |who: (&str, &str), name: &str| {
        env.as_user(
            who.0,
            who.1,
            &["package", "create", name, "--if-not-exists", "--json"],
        )
        .run()
    };
    let admin = (ADMIN_EMAIL, ADMIN_PW);
    let first = create(admin, "fleet").ok().json();
    assert_eq!(first[0]["created"], true);
    let again = create(admin, "FLEET").ok().json();
    assert_eq!(
        (again[0]["created"].clone(), again[0]["id"].clone()),
        (false.into(), first[0]["id"].clone())
    );
    // A package alice cannot see is not "there" for her: the same refusal as without the flag.
    let r = create((ALICE, PW), "fleet").code(6);
    assert!(r.stderr.contains("not available"), "{}", r.stderr);
}

fn assign_takes_a_comma_list_a_file_and_a_dry_run() {
    let env = setup();
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

crate::on_both_stores! {
    /// `--if-not-exists` is for one's own idempotent scripts: a package someone else
    /// made, which the caller cannot see, is not reported as there (name squatting
    /// would pass for success), nor shown.
    fn create_if_not_exists_does_not_claim_a_hidden_package() {
        let env = TestEnv::new();
        env.add_user("alice", ALICE, "user", PW);
        env.add_user("bob", BOB, "user", PW);
        env.as_user(ALICE, PW, &["package", "create", "alpha", "--description", "alice's"])
            .run()
            .ok();
        let r = env
            .as_user(BOB, PW, &["package", "create", "alpha", "--if-not-exists", "--json"])
            .run()
            .code(6)
            .stderr_has("not available");
        assert!(!r.stdout.contains("alice's"), "{}", r.stdout);
        // Once assigned, bob sees it: then it is there, unchanged.
        env.admin(&["package", "assign", "alpha", "--user", BOB])
            .run()
            .ok();
        env.as_user(BOB, PW, &["package", "create", "alpha", "--if-not-exists"])
            .run()
            .ok()
            .stdout_has("exists");
    }
}
