//! `gatehouse apply FILE`: the store made to match a file, the plan, convergence.

use serde_json::Value;

use crate::support::*;

const PW: &str = "Seed-pass-4471";

const PW2: &str = "Other-pass-9034";

const CI: &str = "ci@example.com";

const SEED: &str = r#"
[settings]
"password.min_length" = 12

[[packages]]
name = "north"
description = "Northern region"

[[packages]]
name = "south"

[[users]]
email = "ci@example.com"
name = "ci"
role = "admin"
password_env = "CI_PW"

[[users]]
email = "alice@example.com"
name = "alice"
full_name = "Alice Lund"
packages = ["north", "south"]
expires_at = 2099-06-01
generate = true

[[users]]
email = "admin@example.com"
name = "admin"
"#;

fn apply(env: &TestEnv, args: &[&str]) -> Cmd {
    let mut a = vec!["apply"];
    a.extend_from_slice(args);
    env.admin(&a)
}

/// The plan's entries as (kind, name, action).
fn plan(v: &Value) -> Vec<(String, String, String)> {
    v["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["name"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn entry(kind: &str, name: &str, action: &str) -> (String, String, String) {
    (kind.into(), name.into(), action.into())
}

fn user(env: &TestEnv, email: &str) -> Value {
    env.admin(&["user", "show", email, "--json"])
        .run()
        .ok()
        .json()
}

crate::on_both_stores! {
fn a_seed_file_applied_twice_changes_nothing_the_second_time() {
    let env = TestEnv::new();
    let file = write(&env, "seed.toml", SEED);
    let first = apply(&env, &[&file, "--json"]).env("CI_PW", PW).run().ok().json();
    assert_eq!(first["changes"], 5, "{first}");
    assert_eq!(
        plan(&first),
        [
            entry("setting", "password.min_length", "update"),
            entry("package", "north", "create"),
            entry("package", "south", "create"),
            entry("user", CI, "create"),
            entry("user", ALICE, "create"),
            entry("user", ADMIN_EMAIL, "unchanged"),
        ]
    );
    // Alice's password was made and shown once; both new users log in.
    let generated = first["generated_passwords"].as_array().unwrap();
    assert_eq!(generated.len(), 1, "{first}");
    assert_eq!(generated[0]["email"], ALICE);
    let alice_pw = generated[0]["password"].as_str().unwrap().to_string();
    env.login(ALICE, &alice_pw).ok();
    env.login(CI, PW).ok();
    let a = user(&env, ALICE);
    assert_eq!(a["full_name"], "Alice Lund");
    assert!(a["expires_at"].as_str().unwrap().starts_with("2099-06-01"), "{a}");
    assert_eq!(user(&env, CI)["role"], "admin");
    let config = env.admin(&["config", "get", "password.min_length"]).run().ok();
    assert_eq!(config.stdout.trim(), "12");

    let before = env.snapshot();
    let second = apply(&env, &[&file]).env("CI_PW", PW).run().ok();
    second.stdout_has("0 changes (0 created, 0 updated, 0 deactivated), 6 unchanged");
    assert_eq!(env.snapshot(), before, "the second run changed the store");
    // The generated password is not made again, so Alice's still works.
    env.login(ALICE, &alice_pw).ok();

    // Each change is in the audit trail under the command that would have made it.
    let audit = env.admin(&["audit", "list", "--json"]).run().ok().json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for wanted in ["config.set", "package.create", "user.add"] {
        assert!(actions.contains(&wanted), "{wanted} missing from {actions:?}");
    }
}

fn a_changed_field_or_password_is_an_update_shown_field_by_field() {
    let env = TestEnv::new();
    let file = write(&env, "seed.toml", SEED);
    apply(&env, &[&file]).env("CI_PW", PW).run().ok();
    let changed = SEED
        .replace("role = \"admin\"", "role = \"user\"")
        .replace("Northern region", "North")
        .replace("[\"north\", \"south\"]", "[\"south\"]");
    let file = write(&env, "seed.toml", changed);
    let dry = apply(&env, &[&file, "--dry-run"]).env("CI_PW", PW2).run().ok();
    dry.stdout_has("update     package north: description: Northern region → North")
        .stdout_has("update     user ci@example.com: role: admin → user")
        .stdout_has("update     user alice@example.com: packages: north;south → south")
        .stdout_has("(dry run: nothing was changed)");
    // The dry run changed nothing: the old password still works.
    env.login(CI, PW).ok();
    let run = apply(&env, &[&file, "--json"]).env("CI_PW", PW2).run().ok().json();
    assert_eq!(run["changes"], 3, "{run}");
    let ci = run["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == CI)
        .unwrap()
        .clone();
    assert_eq!(ci["changes"]["after"]["role"], "user", "{ci}");
    env.login(CI, PW2).ok();
    env.login(CI, PW).code(3);
    assert_eq!(user(&env, CI)["role"], "user");
}

fn a_bad_entry_refuses_the_whole_file_and_changes_nothing() {
    let env = TestEnv::new();
    let before = env.snapshot();
    // Everything wrong is reported in one pass: a setting, a missing package, a password
    // written in the file, an unset variable, two password sources, a bad email.
    let bad = r#"
[settings]
"password.min_length" = 3

[[packages]]
name = "north"

[[users]]
email = "alice@example.com"
name = "alice"
packages = ["north", "nowhere"]
generate = true

[[users]]
email = "bob@example.com"
name = "bob"
password = "written-down-1234"

[[users]]
email = "carol@example.com"
name = "carol"
password_env = "NOT_SET_ANYWHERE"

[[users]]
email = "dave@example.com"
name = "dave"
password_env = "CI_PW"
generate = true

[[users]]
email = "not-an-email"
name = "eve"
generate = true
"#;
    let file = write(&env, "bad.toml", bad);
    let r = apply(&env, &[&file]).env("CI_PW", PW).run().code(7);
    let r = r.stderr_has("settings[1]")
        .stderr_has("password.min_length")
        .stderr_has("nowhere")
        .stderr_has("users[2]: column `password`: a password is not written in the file")
        .stderr_has("`NOT_SET_ANYWHERE` is not set")
        .stderr_has("users[4]: give one password source, not password_env and generate")
        .stderr_has("users[5]: column `email`");
    assert!(!r.stderr.contains("written-down-1234"), "{}", r.stderr);
    assert_eq!(env.snapshot(), before);
}

fn prune_deactivates_unlisted_users_but_never_the_one_running_it() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let file = write(
        &env,
        "team.yaml",
        "users:\n  - email: alice@example.com\n    name: alice\n    password_env: ALICE_PW\n",
    );
    let r = apply(&env, &[&file, "--prune", "--json"])
        .env("ALICE_PW", PW)
        .run()
        .ok();
    let v = r.json();
    assert_eq!(
        plan(&v),
        [
            entry("user", ALICE, "create"),
            entry("user", BOB, "deactivate"),
        ]
    );
    assert!(r.stderr.contains("admin@example.com is not in the file but was kept"), "{}", r.stderr);
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert_eq!(user(&env, ADMIN_EMAIL)["status"], "active");
    env.login(BOB, PW).code(3);
    // Pruning again: Bob is inactive already, so nothing changes.
    let again = apply(&env, &[&file, "--prune", "--json"])
        .env("ALICE_PW", PW)
        .run()
        .ok()
        .json();
    assert_eq!(again["changes"], 0, "{again}");
}
}

#[test]
fn yaml_json_and_toml_of_the_same_file_agree() {
    let yaml = "\
settings:
  password.min_length: 12
packages:
  - north
  - name: south
    description: Southern region
users:
  - email: alice@example.com
    name: alice
    packages: [north]
    password_env: ALICE_PW
";
    let json = r#"{"settings": {"password.min_length": "12"},
        "packages": ["north", {"name": "south", "description": "Southern region"}],
        "users": [{"email": "alice@example.com", "name": "alice", "packages": ["north"],
                   "password_env": "ALICE_PW"}]}"#;
    let toml = r#"
settings = { "password.min_length" = 12 }
packages = ["north", { name = "south", description = "Southern region" }]
[[users]]
email = "alice@example.com"
name = "alice"
packages = ["north"]
password_env = "ALICE_PW"
"#;
    let mut snapshots = Vec::new();
    for (name, body, format) in [
        ("seed.yaml", yaml, "yaml"),
        ("seed.json", json, "json"),
        ("seed.toml", toml, "toml"),
    ] {
        let env = TestEnv::new();
        let file = write(&env, name, body);
        apply(&env, &[&file])
            .env("ALICE_PW", PW)
            .run()
            .ok()
            .stdout_has("4 changes (3 created, 1 updated, 0 deactivated)");
        env.login(ALICE, PW).ok();
        // From standard input the format is guessed from the content, or given.
        apply(&env, &["-"])
            .stdin(body)
            .env("ALICE_PW", PW)
            .run()
            .ok()
            .stdout_has("0 changes");
        apply(&env, &["-", "--input-format", format])
            .stdin(body)
            .env("ALICE_PW", PW)
            .run()
            .ok()
            .stdout_has("0 changes");
        let v = env.admin(&["package", "list", "--json"]).run().ok().json();
        let mut packages: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{}={}", p["name"], p["description"]))
            .collect();
        packages.sort();
        snapshots.push((packages, user(&env, ALICE)["packages"].clone()));
    }
    assert_eq!(snapshots[0], snapshots[1]);
    assert_eq!(snapshots[1], snapshots[2]);
}

#[test]
fn a_broken_file_names_its_format_and_line() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "seed.toml",
        "[[users]]\nemail = \"a@example.com\nname = 1\n",
    );
    apply(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("not valid TOML")
        .stderr_has("line 2");
    let file = write(&env, "seed.yaml", "users:\n  - email: [unclosed\n");
    apply(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("not valid YAML");
    let file = write(&env, "seed.json", "{\"users\": [}");
    apply(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("not valid JSON: line 1");
    let file = write(&env, "seed.toml", "[groups]\nx = 1\n");
    apply(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("unknown section `groups`");
}

#[test]
fn a_password_file_is_read_next_to_the_seed_file_and_must_be_private() {
    let env = TestEnv::new();
    let dir = env.path().join("seed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("alice.pw"), format!("{PW}\n")).unwrap();
    chmod(&dir.join("alice.pw"), 0o600);
    let seed = dir.join("seed.toml");
    std::fs::write(
        &seed,
        "[[users]]\nemail = \"alice@example.com\"\nname = \"alice\"\npassword_file = \"alice.pw\"\n",
    )
    .unwrap();
    apply(&env, &[seed.to_str().unwrap()]).run().ok();
    env.login(ALICE, PW).ok();
    // The same file again: the password verifies, so nothing changes.
    apply(&env, &[seed.to_str().unwrap()])
        .run()
        .ok()
        .stdout_has("0 changes");
    chmod(&dir.join("alice.pw"), 0o644);
    apply(&env, &[seed.to_str().unwrap()])
        .run()
        .code(7)
        .stderr_has("users[1]: column `password_file`");
}

#[test]
fn only_admins_apply() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let file = write(&env, "seed.toml", "[[packages]]\nname = \"north\"\n");
    env.as_user(BOB, PW, &["apply", &file]).run().code(4);
    let v = env.admin(&["package", "list", "--json"]).run().ok().json();
    assert_eq!(v.as_array().unwrap().len(), 0);
}

#[test]
fn a_jsonl_plan_is_one_object_per_object() {
    let env = TestEnv::new();
    let file = write(&env, "seed.toml", SEED);
    let r = apply(&env, &[&file, "--dry-run", "-o", "jsonl"])
        .env("CI_PW", PW)
        .run()
        .ok();
    let rows = r.json_lines();
    assert_eq!(rows.len(), 6, "{}", r.stdout);
    assert_eq!(rows[0]["kind"], "setting");
    assert_eq!(rows[3]["name"], CI);
    assert_eq!(rows[3]["action"], "create");
    assert!(rows.iter().all(|v| v["dry_run"] == true));
    r.stderr_has("5 changes");
}

#[test]
fn prune_without_a_users_section_is_refused() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let file = write(&env, "pkgs.toml", "[[packages]]\nname = \"north\"\n");
    apply(&env, &[&file, "--prune"])
        .run()
        .code(2)
        .stderr_has("--prune needs a `users` section");
    assert_eq!(user(&env, BOB)["status"], "active");
}

#[test]
fn a_password_key_in_any_letter_case_is_refused() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "seed.toml",
        "[[users]]\nemail = \"alice@example.com\"\nname = \"alice\"\nPassword = \"written-down-1234\"\n",
    );
    let r = apply(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("a password is not written in the file");
    assert!(!r.stderr.contains("written-down-1234"));
}
