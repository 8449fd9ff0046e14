//! Moving in, second round (issue 25): real exports as they come, and everyone keeps
//! their password. Fixtures are made by the real tools; `fixtures/README.md` has the
//! commands.

use crate::support::*;

const OURS: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

fn stored_hash(env: &TestEnv, email: &str) -> String {
    conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn framework_hashes() -> Vec<serde_json::Value> {
    serde_json::from_str(include_str!("fixtures/framework-hashes.json")).unwrap()
}

/// Each framework's default, made by the framework: imports, logs in with the original
/// password once (one costly verification), and is argon2id from then on.
#[test]
fn framework_default_hashes_log_in_and_are_upgraded_at_that_login() {
    let env = TestEnv::new();
    let cases = framework_hashes();
    let lines: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({"email": c["email"], "name": format!("fw{i}"), "password_hash": c["hash"]})
                .to_string()
        })
        .collect();
    let file = write(&env, "fw.jsonl", lines.join("\n"));
    env.admin(&["user", "import", &file])
        .run()
        .ok()
        .stdout_has(&format!("{} created", cases.len()));
    for c in &cases {
        let (email, pw, what) = (
            c["email"].as_str().unwrap(),
            c["password"].as_str().unwrap(),
            c["tool"].as_str().unwrap(),
        );
        assert_eq!(stored_hash(&env, email), c["hash"].as_str().unwrap());
        let r = env.as_user(email, pw, &["whoami"]).run();
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert!(stored_hash(&env, email).starts_with(OURS), "{what}");
        // Now ours: the same password again, and a wrong one refused.
        env.as_user(email, pw, &["whoami"]).run().ok();
        env.as_user(email, "Legacy-pass-2", &["whoami"])
            .run()
            .code(3);
    }
}

/// A wrong password against each of the cheaper framework hashes is refused (the costly
/// PBKDF2 ones are left out to keep the test fast).
#[test]
fn framework_default_hashes_refuse_a_wrong_password() {
    let env = TestEnv::new();
    let cases: Vec<_> = framework_hashes()
        .into_iter()
        .filter(|c| !c["hash"].as_str().unwrap().contains("pbkdf2"))
        .collect();
    let lines: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({"email": c["email"], "name": format!("fw{i}"), "password_hash": c["hash"]})
                .to_string()
        })
        .collect();
    let file = write(&env, "fw.jsonl", lines.join("\n"));
    env.admin(&["user", "import", &file]).run().ok();
    for c in &cases {
        let email = c["email"].as_str().unwrap();
        env.as_user(email, "Legacy-pass-2", &["whoami"])
            .run()
            .code(3);
        assert_eq!(stored_hash(&env, email), c["hash"].as_str().unwrap());
    }
}

/// bcrypt reads 72 bytes. A hash of an 80-byte password (`mkpasswd -s -m bcrypt -R 10`,
/// libxcrypt, which cuts it there as every bcrypt does) lets in what shares those bytes —
/// as it did before the move — but such a login never becomes the account's password: the
/// hash stays bcrypt, so the password that was set keeps working.
#[test]
fn a_long_bcrypt_password_is_not_replaced_by_whatever_shares_its_first_72_bytes() {
    let env = TestEnv::new();
    let original = format!("{}-tail-of-80-byte", "Long-passphrase-".repeat(4));
    assert_eq!(original.len(), 80);
    let hash = "$2b$10$l23Z/B2ndka9jbtByidQROfI1zkTp0MpT64Ht2RAmYHf5WB4oxuO6";
    let file = write(
        &env,
        "long.csv",
        format!("email,name,password_hash\nlong@example.com,long,{hash}\n"),
    );
    env.admin(&["user", "import", &file]).run().ok();
    let other = format!("{}-something-else", &original[..72]);
    env.as_user("long@example.com", &other, &["whoami"])
        .run()
        .ok();
    assert_eq!(stored_hash(&env, "long@example.com"), hash);
    env.as_user("long@example.com", &original, &["whoami"])
        .run()
        .ok();
    // Exactly the first 72 bytes could be the start of a longer password: kept too.
    env.as_user("long@example.com", &original[..72], &["whoami"])
        .run()
        .ok();
    assert_eq!(stored_hash(&env, "long@example.com"), hash);
    env.as_user("long@example.com", &original[..71], &["whoami"])
        .run()
        .code(3);
}
