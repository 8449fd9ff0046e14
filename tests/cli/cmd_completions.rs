//! Completion of values from the store (emails, package names). The generated scripts
//! themselves are checked in `generated.rs`.

use crate::support::*;

/// `COMPLETE=bash gatehouse -- gatehouse …`, as the shell calls it: the candidates.
fn complete(env: &TestEnv, token: Option<&str>, words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "gatehouse"];
    args.extend_from_slice(words);
    let mut cmd = env.cmd(&args);
    if let Some(t) = token {
        cmd = cmd.env("GATEHOUSE_TOKEN", t);
    }
    let r = cmd
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", words.len().to_string())
        .run()
        .ok();
    r.stdout
        .split(['\n', '\u{b}'])
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .map(str::to_string)
        .collect()
}

#[test]
fn shells_complete_emails_and_package_names_from_the_store() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    env.add_user("bob", BOB, "user", PW);
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "create", "south"]).run().ok();
    env.admin(&["package", "assign", "north", "--user", ALICE])
        .run()
        .ok();
    let admin = env.token(ADMIN_EMAIL, ADMIN_PW);
    assert_eq!(complete(&env, Some(&admin), &["user", "show", "b"]), [BOB]);
    assert_eq!(
        complete(&env, Some(&admin), &["user", "deactivate", "a"]),
        [ADMIN_EMAIL, ALICE]
    );
    assert_eq!(
        complete(&env, Some(&admin), &["package", "members", "s"]),
        ["south"]
    );
    assert_eq!(
        complete(&env, Some(&admin), &["user", "list", "--package", ""]),
        ["north", "south"]
    );
    // A regular user is offered the packages they can see, and no one's email.
    let alice = env.token(ALICE, PW);
    assert_eq!(
        complete(&env, Some(&alice), &["package", "show", ""]),
        ["north"]
    );
    assert!(complete(&env, Some(&alice), &["user", "show", ""]).is_empty());
    // Logged out: nothing, and no prompt.
    assert!(complete(&env, None, &["package", "show", ""]).is_empty());
    // The shell's side of it is printed for `source <(COMPLETE=bash gatehouse)`.
    let script = env.cmd(&[]).env("COMPLETE", "bash").run().ok().stdout;
    assert!(script.contains("complete -o"), "{script}");
}
