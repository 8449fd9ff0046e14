//! `package create`, `show`, `list`, `edit`, `activate`, `deactivate` and `delete`: who
//! sees and changes which package, and names unique whatever their case.

use crate::support::*;

// 4. Telling a hidden package from a missing one.

#[test]
fn a_taken_name_gets_one_answer_whether_the_package_is_visible_or_hidden() {
    let env = with_bob();
    env.admin(&["package", "create", "hidden-pkg"]).run().ok();
    env.as_user(BOB, BOB_PW, &["package", "create", "bobs"])
        .run()
        .ok();
    let refuse = |args: &[&str], name: &str| -> String {
        let r = env.as_user(BOB, BOB_PW, args).run().code(6);
        assert!(!r.stderr.contains("exists"), "{}", r.stderr);
        r.stderr.replace(name, "NAME")
    };
    let hidden = refuse(&["package", "create", "HIDDEN-pkg"], "HIDDEN-pkg");
    let visible = refuse(&["package", "create", "BOBS"], "BOBS");
    assert_eq!(hidden, visible);
    assert!(hidden.contains("not available"), "{hidden}");
    env.as_user(BOB, BOB_PW, &["package", "create", "other"])
        .run()
        .ok();
    let renamed = refuse(
        &["package", "edit", "other", "--name", "hidden-PKG"],
        "hidden-PKG",
    );
    assert_eq!(renamed, visible);
    // Each refusal is in the trail, so probing for names shows.
    let audited = count(
        &env,
        "SELECT count(*) FROM audit WHERE actor_email = 'bob@example.com' \
         AND result = 'denied' AND reason LIKE '%not available%'",
    );
    assert_eq!(audited, 3);
}

#[test]
fn a_missing_package_costs_and_records_what_a_hidden_one_does() {
    let env = with_bob();
    env.admin(&["package", "create", "hidden-pkg"]).run().ok();
    for cmd in ["show", "members", "delete", "deactivate"] {
        let hidden = env
            .as_user(BOB, BOB_PW, &["package", cmd, "hidden-pkg"])
            .run()
            .code(5);
        let missing = env
            .as_user(BOB, BOB_PW, &["package", cmd, "nowhere-pkg"])
            .run()
            .code(5);
        assert_eq!(
            hidden.stderr.replace("hidden-pkg", "X"),
            missing.stderr.replace("nowhere-pkg", "X")
        );
    }
    // The same denial entry for both: the same work, the same fsync.
    let rows = |target: &str| -> Vec<(String, String, String)> {
        let c = conn(&env);
        let mut st = c
            .prepare(
                "SELECT action, result, replace(reason, ?1, 'X') FROM audit \
                 WHERE target = ?1 AND actor_email = 'bob@example.com' ORDER BY id",
            )
            .unwrap();
        st.query_map([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let hidden = rows("hidden-pkg");
    assert_eq!(hidden.len(), 4, "{hidden:?}");
    assert_eq!(hidden, rows("nowhere-pkg"));
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

crate::on_both_stores! {
fn users_see_exactly_what_they_created_or_were_assigned() {
    let env = package_world();
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
    let env = package_world();
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
    let env = package_world();
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
    let env = package_world();
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

fn package_creation_by_users_follows_the_setting() {
    let env = package_world();
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
    let env = package_world();
    env.admin(&["package", "create", "NORTH"]).run().code(6);
    let evil = "' OR 1=1 -- DROP TABLE users";
    env.admin(&["package", "create", evil]).run().ok();
    env.admin(&["package", "show", evil])
        .run()
        .ok()
        .stdout_has("DROP TABLE");
    assert_eq!(env.users_json().len(), 3);
}

fn package_names_are_one_name_whatever_their_case_or_unicode_form() {
    let env = package_world();
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

fn package_create_if_not_exists_converges_without_revealing_hidden_names() {
    let env = package_world();
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
}
