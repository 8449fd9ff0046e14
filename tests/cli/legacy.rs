//! Moving in: password hashes made by other systems import, log in with the original
//! password, and are replaced by gatehouse's own argon2id at that first login. The
//! hashes in `fixtures/legacy-hashes.json` were made by the tools named there (Python's
//! bcrypt, passlib, openssl, glibc crypt, argon2-cffi).

use crate::support::*;

const OURS: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

fn fixtures() -> Vec<serde_json::Value> {
    serde_json::from_str(include_str!("fixtures/legacy-hashes.json")).unwrap()
}

fn stored_hash(env: &TestEnv, email: &str) -> String {
    conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn other_systems_hashes_log_in_and_are_upgraded_at_the_first_login() {
    let env = TestEnv::new();
    let cases = fixtures();
    let lines: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "email": c["email"], "name": format!("legacy{i}"),
                // Padding a spreadsheet might add is not part of a hash.
                "password_hash": format!(" {} ", c["hash"].as_str().unwrap()),
            })
            .to_string()
        })
        .collect();
    let file = write(&env, "legacy.jsonl", lines.join("\n"));
    env.admin(&["user", "import", &file]).run().ok();
    for c in &cases {
        let (email, pw) = (
            c["email"].as_str().unwrap(),
            c["password"].as_str().unwrap(),
        );
        let what = c["tool"].as_str().unwrap();
        assert!(!stored_hash(&env, email).starts_with(OURS), "{what}");
        env.as_user(email, "Wrong-pass-1", &["whoami"])
            .run()
            .code(3);
        let r = env.as_user(email, pw, &["whoami"]).run();
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert!(
            stored_hash(&env, email).starts_with(OURS),
            "{what}: not upgraded"
        );
        // And the upgraded hash still takes the same password.
        env.as_user(email, pw, &["whoami"]).run().ok();
    }
}

#[test]
fn hashes_that_cannot_be_used_are_refused_by_name_with_a_way_forward() {
    let env = TestEnv::new();
    let cases = [
        ("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", "MD5-crypt"),
        (
            "$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D",
            "scrypt",
        ),
        (
            "$2b$14$K4v4Yq0p6J8f9b3QkF5r5O6mN3u9vA7yE1sJ2qL0xZcT8wR4eD6Gu",
            "bcrypt cost above 13",
        ),
        ("md5$salt$hash", "not a password hash gatehouse knows"),
    ];
    for (hash, named) in cases {
        let file = write(
            &env,
            "bad.csv",
            format!("email,name,password_hash\nx@example.com,x,\"{hash}\"\n"),
        );
        let r = env.admin(&["user", "import", &file]).run().code(7);
        assert!(r.stderr.contains(named), "{hash}: {}", r.stderr);
        assert!(
            r.stderr.contains("--unusable-hash generate"),
            "{}",
            r.stderr
        );
        // The hash itself is never echoed.
        assert!(!r.stderr.contains(hash), "{}", r.stderr);
    }
    // A hash in the password column would have become the password.
    let file = write(
        &env,
        "inplace.csv",
        "email,name,password\nx@example.com,x,$2b$10$RYaHlFjis5EMBqI.bpPDcOLTjZbaaMASqTqKY2AAI7gcJnW.aiOOm\n",
    );
    env.admin(&["user", "import", &file])
        .run()
        .code(7)
        .stderr_has("put it in the `password_hash` column");
}

/// A Supabase project's `auth.users`, as `psql \copy … csv header` and a JSON query write
/// it (fixtures: GoTrue's bcrypt made with Python's bcrypt, the table's real columns).
#[test]
fn a_supabase_export_imports_in_one_command_and_everyone_logs_in() {
    for fixture in ["supabase-auth-users.csv", "supabase-auth-users.json"] {
        let env = TestEnv::new();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cli/fixtures")
            .join(fixture);
        let data = std::fs::read(path).unwrap();
        let file = write(&env, fixture, &data);
        env.admin(&["user", "import", &file, "--input-format", "supabase"])
            .run()
            .ok()
            .stdout_has("3 created");
        let show = |email: &str| -> serde_json::Value {
            let out = env
                .admin(&["user", "show", email, "--json"])
                .run()
                .ok()
                .stdout;
            serde_json::from_str(&out).unwrap()
        };
        let dana = show("dana@example.com");
        assert_eq!(dana["name"], "dana", "{fixture}");
        assert_eq!(dana["full_name"], "Dana Ó Briain", "{fixture}");
        assert_eq!(dana["role"], "user", "`authenticated` is a plain user");
        // The history an access review reads comes along.
        assert_eq!(dana["created_at"], "2025-03-02T10:11:12Z", "{fixture}");
        assert_eq!(dana["last_login_at"], "2026-11-01T08:00:00Z", "{fixture}");
        let eve = show("eve@example.com");
        assert_eq!(eve["name"], "eve", "the email's local part when no name");
        assert_eq!(eve["status"], "inactive", "banned_until → inactive");
        assert_eq!(show("ops.lead@example.com")["role"], "admin");

        env.as_user("eve@example.com", "Legacy-pass-1", &["whoami"])
            .run()
            .code(3);
        for email in ["dana@example.com", "ops.lead@example.com"] {
            env.as_user(email, "Legacy-pass-1", &["whoami"]).run().ok();
            assert!(stored_hash(&env, email).starts_with(OURS), "{fixture}");
        }
    }
}

/// A Keycloak realm export. Keycloak's credentials were made the way Keycloak makes them
/// (PBKDF2 from Python's hashlib, as Java's PBKDF2WithHmacSHA*, 64-byte keys; argon2id
/// from argon2-cffi with Keycloak's defaults), stored in its `secretData` and
/// `credentialData` JSON.
#[test]
fn a_keycloak_realm_export_imports_in_one_command_and_everyone_logs_in() {
    let env = TestEnv::new();
    for p in ["north", "south"] {
        env.admin(&["package", "create", p]).run().ok();
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/fixtures/keycloak-realm.json");
    let file = write(&env, "realm.json", std::fs::read(path).unwrap());
    env.admin(&["user", "import", &file, "--input-format", "keycloak"])
        .run()
        .ok()
        .stdout_has("3 created");
    let show = |email: &str| -> serde_json::Value {
        let out = env
            .admin(&["user", "show", email, "--json"])
            .run()
            .ok()
            .stdout;
        serde_json::from_str(&out).unwrap()
    };
    let fran = show("fran@example.com");
    assert_eq!(fran["name"], "fran");
    assert_eq!(fran["full_name"], "Fran Müller");
    assert_eq!(fran["role"], "user");
    assert_eq!(fran["packages"], serde_json::json!(["north"]));
    assert_eq!(show("gus@example.com")["status"], "inactive");
    let hana = show("hana@example.com");
    assert_eq!(hana["role"], "admin");
    assert_eq!(hana["packages"], serde_json::json!(["north", "south"]));

    env.as_user("gus@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .code(3);
    for email in ["fran@example.com", "hana@example.com"] {
        env.as_user(email, "Legacy-pass-1", &["whoami"]).run().ok();
        assert!(stored_hash(&env, email).starts_with(OURS), "{email}");
    }
    // Gus's PBKDF2-SHA512 works too, once an admin lets him in again.
    env.admin(&["user", "activate", "gus@example.com"])
        .run()
        .ok();
    env.as_user("gus@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .ok();
}

/// `fixtures/passwd` and `fixtures/shadow` are a Debian host's files with five people
/// added by shadow-utils (`useradd -c "Full Name" -e 2099-12-31`, `usermod -p` with
/// hashes from `openssl passwd -6`, `usermod -L` to lock bob) and erin's last change set
/// to 0 as `chage -d 0` writes it; carol never got a password.
#[test]
fn a_hosts_passwd_and_shadow_import_in_one_command() {
    let env = TestEnv::new();
    let shadow = env.path().join("shadow");
    let passwd = env.path().join("passwd");
    std::fs::write(&shadow, include_str!("fixtures/shadow")).unwrap();
    std::fs::write(&passwd, include_str!("fixtures/passwd")).unwrap();
    let (shadow, passwd) = (shadow.to_str().unwrap(), passwd.to_str().unwrap());
    let r = env
        .admin(&[
            "user",
            "import",
            shadow,
            "--input-format",
            "shadow",
            "--passwd",
            passwd,
            "--email-domain",
            "example.com",
            "--json",
        ])
        .run()
        .ok();
    let v = r.json();
    // The system's own accounts (root, daemons, nobody) are left out.
    assert_eq!(v["created"], 5, "{v}");
    let generated = v["generated_passwords"].as_array().unwrap();
    assert_eq!(generated.len(), 1, "{v}");
    assert_eq!(generated[0]["email"], "carol@example.com");
    let user = |e: &str| env.admin(&["user", "show", e, "--json"]).run().ok().json();
    assert!(env.admin(&["user", "show", "root@example.com"]).run().code == 5);

    // Importing the same files again changes nothing.
    env.admin(&[
        "user",
        "import",
        shadow,
        "--passwd",
        passwd,
        "--email-domain",
        "example.com",
        "--on-conflict",
        "update",
    ])
    .run()
    .ok()
    .stdout_has("0 created, 0 updated, 0 skipped, 5 unchanged");

    // A SHA-512-crypt hash logs in with the original password and becomes argon2id.
    let alice = user("alice@example.com");
    assert_eq!(alice["full_name"], "Alice Lund");
    assert_eq!(alice["status"], "active");
    env.as_user("alice@example.com", "Alice-shadow-pw1", &["whoami"])
        .run()
        .ok();
    assert!(stored_hash(&env, "alice@example.com").starts_with(OURS));

    // Locked (`!` before the hash): inactive, and the hash comes back with the account.
    assert_eq!(user("bob@example.com")["status"], "inactive");
    env.as_user("bob@example.com", "Bob-shadow-pw22", &["whoami"])
        .run()
        .code(3);
    env.admin(&["user", "activate", "bob@example.com"])
        .run()
        .ok();
    env.as_user("bob@example.com", "Bob-shadow-pw22", &["whoami"])
        .run()
        .ok();

    // No password at all: inactive, with a generated one that must be changed.
    let carol = user("carol@example.com");
    assert_eq!(carol["status"], "inactive");
    assert_eq!(carol["must_change_password"], true);

    let dave = user("dave@example.com");
    assert_eq!(dave["expires_at"], "2099-12-31T00:00:00Z");
    assert_eq!(dave["must_change_password"], false);
    assert_eq!(user("erin@example.com")["must_change_password"], true);
}

#[test]
fn a_shadow_import_is_refused_clearly_without_echoing_a_hash() {
    let env = TestEnv::new();
    let shadow = write(&env, "shadow", include_str!("fixtures/shadow"));
    let passwd = write(&env, "passwd", include_str!("fixtures/passwd"));
    env.admin(&["user", "import", &shadow, "--input-format", "shadow"])
        .run()
        .code(2)
        .stderr_has("--passwd FILE and --email-domain DOMAIN");
    // The files swapped: the passwd file's lines are named, not echoed.
    let bad = format!(
        "{}alice:$6$abc$def\n",
        include_str!("fixtures/shadow").replace("alice:", "alice\u{1}")
    );
    let bad = write(&env, "bad-shadow", bad.replace(":", "|"));
    let r = env
        .admin(&[
            "user",
            "import",
            &bad,
            "--passwd",
            &passwd,
            "--email-domain",
            "example.com",
        ])
        .run()
        .code(7)
        .stderr_has("line 1: expected `login:password:lastchg:…`");
    assert!(!r.stderr.contains("$6$"), "{}", r.stderr);
    env.admin(&[
        "user",
        "import",
        &shadow,
        "--passwd",
        &passwd,
        "--email-domain",
        "not a domain",
    ])
    .run()
    .code(2)
    .stderr_has("--email-domain takes a domain");
}
