//! `user import` of what other systems export (Supabase, Keycloak, `/etc/shadow`,
//! spreadsheets, web frameworks): everyone keeps their password. The hashes in
//! `fixtures/` were made by the tools named in `fixtures/README.md`; they log in with the
//! original password and are replaced by gatehouse's own argon2id at that first login.

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

fn framework_hashes() -> Vec<serde_json::Value> {
    serde_json::from_str(include_str!("fixtures/framework-hashes.json")).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/fixtures")
        .join(name);
    std::fs::read(path).unwrap()
}

fn expires(env: &TestEnv, email: &str) -> serde_json::Value {
    user(env, email)["expires_at"].clone()
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

/// `auth.users` as a project has it: email sign-ups, a GitHub (OAuth) user with an empty
/// `encrypted_password`, an SSO user with NULL, a phone-only and an anonymous user.
#[test]
fn a_supabase_export_as_it_comes_imports_with_a_choice_for_those_without_password() {
    let env = TestEnv::new();
    let file = write(&env, "users.csv", fixture("supabase-auth-users-mixed.csv"));
    let import = |extra: &[&str]| {
        let mut args = vec!["user", "import", &file, "--input-format", "supabase"];
        args.extend(extra);
        env.admin(&args).run()
    };
    // Only the people without a usable password are problems, each named with how
    // they sign in; the accounts without an email are not.
    let r = import(&[])
        .code(7)
        .stderr_has("line 4: column `password_hash`: no password: signs in with github")
        .stderr_has("line 5: column `password_hash`: no password: signs in through SSO")
        .stderr_has("2 bad rows");
    assert!(!r.stderr.contains("line 6"), "{}", r.stderr);
    let v = import(&["--unusable-hash", "generate", "--json"])
        .ok()
        .json();
    assert_eq!(v["created"], 4, "{v}");
    assert_eq!(v["left_out"], serde_json::json!({"without an email": 2}));
    assert_eq!(
        v["no_usable_password"],
        serde_json::json!({"generated": 2, "inactive": 0})
    );
    let generated: Vec<&str> = v["generated_passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["email"].as_str().unwrap())
        .collect();
    assert_eq!(generated, ["lee@example.com", "max@corp.example"]);
    let lee = user(&env, "lee@example.com");
    assert_eq!(lee["name"], "leeh");
    assert_eq!(lee["must_change_password"], true);
    assert_eq!(user(&env, "ops@example.com")["role"], "admin");
    env.as_user("kim@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .ok();
    // For people: the counts, and which rows were left out.
    let env = TestEnv::new();
    let file = write(&env, "users.csv", fixture("supabase-auth-users-mixed.csv"));
    env.admin(&[
        "user",
        "import",
        &file,
        "--input-format",
        "supabase",
        "--unusable-hash",
        "inactive",
    ])
    .run()
    .ok()
    .stderr_has("left out 2 rows without an email: lines 6, 7")
    .stderr_has("line 4: lee@example.com no usable password: left inactive")
    .stdout_has("4 created (2 left inactive for want of a usable password), 0 updated, 0 skipped, 0 unchanged, 2 left out");
}

/// Metadata a spreadsheet cut short is said, naming the row: its role and names are
/// not read (never silently a plain user).
#[test]
fn supabase_metadata_that_is_not_json_is_a_warning_naming_the_row() {
    let env = TestEnv::new();
    let csv = String::from_utf8(fixture("supabase-auth-users-mixed.csv")).unwrap();
    let cut = csv.replace(
        r#""{""role"": ""admin"", ""provider"": ""email"", ""providers"": [""email""]}""#,
        r#""{""role"": ""admin"", ""provider"": ""ema""#,
    );
    assert_ne!(cut, csv);
    let file = write(&env, "users.csv", cut);
    env.admin(&[
        "user",
        "import",
        &file,
        "--input-format",
        "supabase",
        "--unusable-hash",
        "inactive",
    ])
    .run()
    .ok()
    .stderr_has("warning: line 2: `raw_app_meta_data` is not a JSON object, so the role (admin) and sign-in provider were not read from it");
}

/// A realm with a user who must update their password, a service account, an
/// LDAP-federated user and a user without an email.
#[test]
fn a_keycloak_realm_as_it_comes_imports_people_and_leaves_out_the_rest() {
    let env = TestEnv::new();
    let file = write(&env, "realm.json", fixture("keycloak-realm-mixed.json"));
    env.admin(&["user", "import", &file, "--input-format", "keycloak"])
        .run()
        .code(7)
        .stderr_has("item 3: column `password_hash`: no password: its password stays in the federated directory (LDAP)")
        .stderr_has("1 bad row");
    let v = env
        .admin(&[
            "user",
            "import",
            &file,
            "--input-format",
            "keycloak",
            "--unusable-hash",
            "inactive",
            "--json",
        ])
        .run()
        .ok()
        .json();
    assert_eq!(v["created"], 2, "{v}");
    assert_eq!(
        v["left_out"],
        serde_json::json!({"of service accounts (not people)": 1, "without an email": 1})
    );
    // requiredActions: UPDATE_PASSWORD is a password to change at the next login.
    let ivo = user(&env, "ivo@example.com");
    assert_eq!(ivo["must_change_password"], true);
    assert_eq!(ivo["status"], "active");
    env.as_user("ivo@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .ok();
    let jo = user(&env, "jo@example.com");
    assert_eq!(jo["status"], "inactive");
}

/// Given without `--input-format`, another system's export is recognised and the error
/// names the preset that reads it (or says there is none).
#[test]
fn an_export_given_without_its_preset_is_recognised_and_the_preset_named() {
    let env = TestEnv::new();
    let cases = [
        (
            "supabase-auth-users.csv",
            "Supabase's auth.users",
            "--input-format supabase",
        ),
        (
            "supabase-auth-users.json",
            "Supabase's auth.users",
            "--input-format supabase",
        ),
        (
            "supabase-auth-users-mixed.csv",
            "Supabase's auth.users",
            "--input-format supabase",
        ),
        (
            "keycloak-realm.json",
            "a Keycloak realm export",
            "--input-format keycloak",
        ),
        ("shadow", "a host's /etc/shadow", "--passwd /etc/passwd"),
        ("passwd", "a host's /etc/passwd", "--passwd /etc/passwd"),
        (
            "firebase-auth-export.json",
            "a Firebase Auth export",
            "--generate-passwords",
        ),
    ];
    for (name, what, hint) in cases {
        let file = write(&env, name, fixture(name));
        let r = env
            .admin(&["user", "import", &file])
            .run()
            .code(2)
            .stderr_has(&format!("this looks like {what}"))
            .stderr_has(hint);
        // Nothing of the file is echoed: it may hold hashes.
        assert!(!r.stderr.contains("$2"), "{name}: {}", r.stderr);
    }
    // The same through standard input, with no file name to go by.
    env.admin(&["user", "import", "-"])
        .stdin_bytes(&fixture("keycloak-realm.json"))
        .run()
        .code(2)
        .stderr_has("--input-format keycloak");
    // With the preset named, it imports.
    let file = write(&env, "realm.json", fixture("keycloak-realm.json"));
    for p in ["north", "south"] {
        env.admin(&["package", "create", p]).run().ok();
    }
    env.admin(&["user", "import", &file, "--input-format", "keycloak"])
        .run()
        .ok();
}

/// Dates as Excel and LibreOffice save them in CSV: month first in the US, day first
/// with dots in Germany, two-digit years in the short format.
#[test]
fn spreadsheet_dates_are_read_as_spreadsheets_write_them() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "dates.csv",
        "email,name,password,expires_at,created_at\n\
         us@example.com,us,Legacy-pass-1,01/31/2027,03/15/2024\n\
         de@example.com,de,Legacy-pass-1,31.01.2027,15.03.2024\n\
         short@example.com,short,Legacy-pass-1,1/31/27,\n\
         either@example.com,either,Legacy-pass-1,01/02/2027,\n",
    );
    env.admin(&["user", "import", &file]).run().ok();
    for email in ["us@example.com", "de@example.com", "short@example.com"] {
        assert_eq!(expires(&env, email), "2027-01-31T23:59:59Z", "{email}");
    }
    assert_eq!(
        user(&env, "de@example.com")["created_at"],
        "2024-03-15T00:00:00Z"
    );
    // Either order: month first unless the file says otherwise.
    assert_eq!(expires(&env, "either@example.com"), "2027-01-02T23:59:59Z");
    let env = TestEnv::new();
    env.admin(&["user", "import", &file, "--day-first"])
        .run()
        .code(7)
        .stderr_has("line 2: column `expires_at`: `01/31/2027` is not a date (day.month.year)");
    let file = write(
        &env,
        "uk.csv",
        "email,name,password,expires_at\n\
         uk@example.com,uk,Legacy-pass-1,31/01/2027\n\
         either@example.com,either,Legacy-pass-1,01/02/2027\n",
    );
    // A day-first date in a file read month first is refused, never half misread.
    env.admin(&["user", "import", &file])
        .run()
        .code(7)
        .stderr_has(
            "`31/01/2027` reads as day/month (there is no month 31); say so with --day-first",
        );
    env.admin(&["user", "import", &file, "--day-first"])
        .run()
        .ok();
    assert_eq!(expires(&env, "uk@example.com"), "2027-01-31T23:59:59Z");
    assert_eq!(expires(&env, "either@example.com"), "2027-02-01T23:59:59Z");
}

#[test]
fn a_spreadsheets_other_columns_are_left_out_and_named_or_refused() {
    let env = TestEnv::new();
    let data =
        "Email,Name,Department,password,Office\nana@example.com,ana,Dispatch,Legacy-pass-1,Kiel\n";
    let file = write(&env, "staff.csv", data);
    env.admin(&["user", "import", &file, "--unknown-columns", "refuse"])
        .run()
        .code(7)
        .stderr_has("unknown column `department`");
    env.admin(&["user", "import", &file])
        .run()
        .ok()
        .stderr_has("warning: ignored the columns `department`, `office`: not import columns");
    env.as_user("ana@example.com", "Legacy-pass-1", &["whoami"])
        .run()
        .ok();
    // The first line of a file that is not an import at all is still refused unseen.
    let key = write(
        &env,
        "key.csv",
        "-----BEGIN OPENSSH PRIVATE KEY-----,b3BlbnNzaC1rZXk=\nx,y\n",
    );
    let r = env.admin(&["user", "import", &key]).run().code(7);
    assert!(!r.stderr.contains("OPENSSH"), "{}", r.stderr);
}

#[test]
fn phones_that_lost_their_leading_zero_are_warned_about() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "phones.csv",
        "email,name,password,phone\n\
         a@example.com,a,Legacy-pass-1,15112345678\n\
         b@example.com,b,Legacy-pass-1,+49 151 12345678\n\
         c@example.com,c,Legacy-pass-1,0151 12345678\n\
         d@example.com,d,Legacy-pass-1,4930123456\n",
    );
    env.admin(&["user", "import", &file, "--dry-run"])
        .run()
        .ok()
        .stderr_has("phone: 15112345678")
        .stderr_has("2 rows with a phone that has neither `+` nor a leading 0 (lines 2, 5)");
}

/// A workbook saved by a spreadsheet (`fixtures/staff.xlsx`, made with openpyxl): read
/// from its first sheet, date cells as dates, whole numbers without `.0`.
#[test]
fn an_xlsx_workbook_is_read_directly() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    let file = write(&env, "staff.xlsx", fixture("staff.xlsx"));
    env.admin(&["user", "import", &file, "--generate-passwords"])
        .run()
        .ok()
        .stderr_has("ignored the column `department`")
        .stderr_has("1 row with a phone that has neither `+` nor a leading 0 (line 2)");
    let ana = user(&env, "ana@example.com");
    assert_eq!(ana["phone"], "15112345678");
    assert_eq!(ana["expires_at"], "2027-01-31T23:59:59Z");
    assert_eq!(ana["packages"], serde_json::json!(["north"]));
    assert_eq!(expires(&env, "ben@example.com"), "2027-01-31T23:59:59Z");
    // From standard input too, by its first bytes.
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["user", "import", "-", "--generate-passwords"])
        .stdin_bytes(&fixture("staff.xlsx"))
        .run()
        .ok();
    // Not a workbook after all: said as such, not as an encoding problem.
    let file = write(&env, "broken.xlsx", b"PK\x03\x04 not really a zip");
    let r = env.admin(&["user", "import", &file]).run().code(7);
    r.stderr_has("cannot read the spreadsheet");
}
