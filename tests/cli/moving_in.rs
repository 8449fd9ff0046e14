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

fn user(env: &TestEnv, email: &str) -> serde_json::Value {
    env.admin(&["user", "show", email, "--json"])
        .run()
        .ok()
        .json()
}

/// A bcrypt row (python bcrypt), an MD5-crypt one (`openssl passwd -1`) and a
/// SHA-256-crypt one (`openssl passwd -5`), all of `Legacy-pass-1`.
const MIXED: &str = "email,name,password_hash
good@example.com,good,$2b$10$RYaHlFjis5EMBqI.bpPDcOLTjZbaaMASqTqKY2AAI7gcJnW.aiOOm
md5@example.com,md5,$1$saltsalt$WB4TaMlBjMuk8uu3mGee7/
sha256@example.com,sha256,$5$saltsalt$Cd94JdvoBIuUqgli6wqXxulknd2N4VM6JcN2upyAlB4
";

#[test]
fn generate_passwords_is_the_remedy_the_unusable_hash_error_names() {
    let env = TestEnv::new();
    let file = write(&env, "mixed.csv", MIXED);
    env.admin(&["user", "import", &file])
        .run()
        .code(7)
        .stderr_has("MD5-crypt hashes are not supported")
        .stderr_has("--unusable-hash generate");
    // Rerun with the flag that sets every secret of the file aside: it works, and the
    // warning counts every row whose secret was set aside.
    let r = env
        .admin(&["user", "import", &file, "--generate-passwords"])
        .run()
        .ok()
        .stderr_has("ignored the password or password_hash of 3 row(s)");
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
}

#[test]
fn unusable_hash_generate_keeps_every_good_hash_and_names_who_got_a_password() {
    let env = TestEnv::new();
    let file = write(&env, "mixed.csv", MIXED);
    let r = env
        .admin(&["user", "import", &file, "--unusable-hash", "generate"])
        .run()
        .ok()
        .stderr_has("line 3: md5@example.com no usable password: generated one")
        .stderr_has("line 4: sha256@example.com no usable password: generated one")
        .stderr_has("3 created (2 given a generated password for want of a usable password)");
    assert!(!r.stderr.contains("good@example.com"), "{}", r.stderr);
    // The passwords are the data: email,password for the two, once.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "email,password");
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    let md5_pw = lines[1].strip_prefix("md5@example.com,").unwrap();
    assert!(lines[2].starts_with("sha256@example.com,"));
    // The good hash was kept: the original password logs in and is upgraded.
    env.as_user("good@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .ok();
    assert!(stored_hash(&env, "good@example.com").starts_with(OURS));
    assert_eq!(
        user(&env, "good@example.com")["must_change_password"],
        false
    );
    // The generated one logs in, and must be changed.
    assert_eq!(user(&env, "md5@example.com")["must_change_password"], true);
    assert_eq!(user(&env, "md5@example.com")["status"], "active");
    env.as_user("md5@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .code(3);
    env.as_user("md5@example.com", md5_pw, &["whoami"])
        .run()
        .ok();
}

#[test]
fn unusable_hash_inactive_leaves_those_accounts_inactive_and_lists_them() {
    let env = TestEnv::new();
    let file = write(&env, "mixed.csv", MIXED);
    let r = env
        .admin(&[
            "user",
            "import",
            &file,
            "--unusable-hash",
            "inactive",
            "--json",
        ])
        .run()
        .ok();
    let v = r.json();
    assert_eq!(v["created"], 3, "{v}");
    assert_eq!(
        v["no_usable_password"],
        serde_json::json!({"generated": 0, "inactive": 2})
    );
    assert!(v.get("generated_passwords").is_none(), "{v}");
    let flags: Vec<(String, serde_json::Value)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["email"].as_str().unwrap().to_string(), r["flags"].clone()))
        .collect();
    assert_eq!(flags[0].1, serde_json::json!([]));
    assert_eq!(
        flags[1].1,
        serde_json::json!(["no usable password: left inactive"])
    );
    for email in ["md5@example.com", "sha256@example.com"] {
        assert_eq!(user(&env, email)["status"], "inactive");
        // Nobody knows a password of theirs: not the old one, nothing printed.
        env.as_user(email, "Legacy-pass-1", &["whoami"])
            .run()
            .code(3);
    }
    assert_eq!(user(&env, "good@example.com")["status"], "active");
    // For people: the rows are named on stderr, the counts say how many.
    let env = TestEnv::new();
    env.admin(&["user", "import", &file, "--unusable-hash", "inactive"])
        .run()
        .ok()
        .stderr_has("line 3: md5@example.com no usable password: left inactive")
        .stdout_has("3 created (2 left inactive for want of a usable password)");
}

/// A Debian 12 host's files: yescrypt (`chpasswd`'s default there) imports and logs in;
/// an old MD5-crypt one gets what the admin picks.
#[test]
fn a_debian_12_shadow_with_yescrypt_imports() {
    let env = TestEnv::new();
    let shadow = write(&env, "shadow", include_str!("fixtures/shadow-debian12"));
    let passwd = write(&env, "passwd", include_str!("fixtures/passwd-debian12"));
    let import = |extra: &[&str]| {
        let mut args = vec![
            "user",
            "import",
            &shadow,
            "--passwd",
            &passwd,
            "--email-domain",
            "example.com",
        ];
        args.extend(extra);
        env.admin(&args).run()
    };
    import(&[])
        .code(7)
        .stderr_has("MD5-crypt hashes are not supported")
        .stderr_has("--unusable-hash");
    let v = import(&["--unusable-hash", "generate", "--json"])
        .ok()
        .json();
    assert_eq!(v["created"], 7, "{v}");
    let generated: Vec<&str> = v["generated_passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["email"].as_str().unwrap())
        .collect();
    assert_eq!(generated, ["carol@example.com", "gina@example.com"]);
    let frank = user(&env, "frank@example.com");
    assert_eq!(frank["full_name"], "Frank Falk");
    assert_eq!(frank["status"], "active");
    assert!(stored_hash(&env, "frank@example.com").starts_with("$y$j9T$"));
    env.as_user("frank@example.com", "Frank-yescrypt-2", &["whoami"])
        .run()
        .code(3);
    env.as_user("frank@example.com", "Frank-yescrypt-1", &["whoami"])
        .run()
        .ok();
    assert!(stored_hash(&env, "frank@example.com").starts_with(OURS));
    assert_eq!(user(&env, "gina@example.com")["must_change_password"], true);
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
