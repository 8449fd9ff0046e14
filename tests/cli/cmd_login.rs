//! `login`, `logout` and `whoami`, and how any command knows who runs it: saved
//! sessions, tokens, password files, lockout after failed logins, expiry.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for entry in rd {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// 2. A shared store account reached through sudo.

#[test]
fn a_saved_session_is_used_only_by_the_person_who_saved_it() {
    let env = TestEnv::new();
    env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .env("SUDO_UID", "4001")
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
    env.cmd(&["whoami"])
        .env("SUDO_UID", "4001")
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
    // The next person on the same account does not inherit it.
    env.cmd(&["whoami"])
        .env("SUDO_UID", "4002")
        .run()
        .code(3)
        .stderr_has("not logged in");
}

// 3. Parallel guesses against the lockout.

#[test]
fn parallel_guesses_cannot_outrun_the_lockout() {
    let env = with_bob();
    let mut children = Vec::new();
    for i in 0..40 {
        let pw = if i == 39 {
            BOB_PW.to_string()
        } else {
            format!("wrong-guess-{i}")
        };
        children.push(env.as_user(BOB, &pw, &["whoami"]).spawn());
    }
    let mut ok = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        if out.status.success() {
            ok += 1;
        }
    }
    // Every attempt past the tenth was refused before its password was tried.
    let tried = count(
        &env,
        "SELECT count(*) FROM audit WHERE action = 'login' AND reason = 'wrong password'",
    );
    let locked = count(
        &env,
        "SELECT count(*) FROM audit WHERE action = 'login' AND reason = 'account locked'",
    );
    assert!(
        tried + ok <= 10,
        "{tried} wrong guesses and {ok} successes were verified"
    );
    assert_eq!(tried + ok + locked, 40, "every attempt is accounted for");
    if ok == 0 {
        // The right password came too late: the account is locked now.
        env.as_user(BOB, BOB_PW, &["whoami"]).run().code(3);
    }
}

#[test]
fn parallel_correct_logins_wait_their_turn_and_lock_nothing() {
    let env = with_bob();
    let children: Vec<_> = (0..16)
        .map(|_| env.as_user(BOB, BOB_PW, &["whoami"]).spawn())
        .collect();
    for c in children {
        let r = finish(c);
        assert_eq!(r.code, 0, "a correct login failed: {}", r.stderr);
    }
    let state = count(
        &env,
        "SELECT failed_logins + (locked_until IS NOT NULL) FROM users WHERE email = 'bob@example.com'",
    );
    assert_eq!(state, 0, "no failure counted, no lock");
    assert_eq!(count(&env, "SELECT count(*) FROM login_attempts"), 0);
}

#[test]
fn a_locked_account_is_refused_before_its_password_is_tried() {
    let env = with_bob();
    for i in 0..10 {
        env.as_user(BOB, &format!("wrong-{i}"), &["whoami"])
            .run()
            .code(3);
    }
    let failures = "SELECT failed_logins FROM users WHERE email = 'bob@example.com'";
    assert_eq!(count(&env, failures), 10);
    let r = env.as_user(BOB, "wrong-again", &["whoami"]).run().code(3);
    assert!(
        r.stderr.contains("invalid email or password"),
        "{}",
        r.stderr
    );
    // Not counted and not verified: the trail says why it was refused.
    assert_eq!(count(&env, failures), 10);
    let reason: String = conn(&env)
        .query_row(
            "SELECT reason FROM audit WHERE action = 'login' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "account locked");
}

#[test]
fn tokens_carry_our_own_prefix_and_no_other_is_accepted() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    assert!(token.starts_with("gth_"), "{token}");
    env.with_token(&token, &["whoami"]).run().ok();
    // The same secret under another vendor's prefix is not ours.
    let other = format!("ghs_{}", &token[4..]);
    env.with_token(&other, &["whoami"]).run().code(3);
}

#[test]
fn expired_accounts_cannot_log_in_and_show_as_expired() {
    let env = TestEnv::new();
    env.admin(&[
        "user",
        "add",
        "--name",
        "old",
        "--email",
        "old@example.com",
        "--password-stdin",
        "--expires",
        "2020-06-30",
    ])
    .stdin(&format!("{PW}\n"))
    .run()
    .ok();
    let wrong = env
        .as_user("old@example.com", "Nope-nope-1", &["whoami"])
        .run()
        .code(3);
    let expired = env
        .as_user("old@example.com", PW, &["whoami"])
        .run()
        .code(3);
    assert_eq!(wrong.stderr, expired.stderr);
    let r = env
        .admin(&["user", "show", "old@example.com", "--json"])
        .run()
        .ok();
    assert_eq!(r.json()["expired"], true);
    assert_eq!(r.json()["expires_at"], "2020-06-30T23:59:59Z");
    env.admin(&["user", "list"])
        .run()
        .ok()
        .stdout_has("✗ Expired");
    env.admin(&["user", "show", "old@example.com"])
        .run()
        .ok()
        .stdout_has("expired");
    env.admin(&["user", "edit", "old@example.com", "--expires", "never"])
        .run()
        .ok();
    env.as_user("old@example.com", PW, &["whoami"]).run().ok();
}

#[test]
fn last_login_is_recorded_once_per_authentication() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    let show = |env: &TestEnv| {
        env.admin(&["user", "show", "bob@example.com", "--json"])
            .run()
            .ok()
            .json()["last_login_at"]
            .clone()
    };
    assert_eq!(show(&env), Value::Null);
    let token = env.token("bob@example.com", PW);
    let first = show(&env);
    assert!(first.is_string());
    // Using the token is not a new login.
    let audit_before = audit_count(&env);
    env.with_token(&token, &["whoami"]).run().ok();
    assert_eq!(audit_count(&env), audit_before);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let bob_login: Option<String> = conn
        .query_row(
            "SELECT last_login_at FROM users WHERE email = 'bob@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(Value::from(bob_login), first);
}

#[test]
fn whoami_table_and_json() {
    let env = env_with_users();
    env.admin(&["whoami"])
        .run()
        .ok()
        .stdout_has("admin <admin@example.com> (Admin)");
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .ok()
        .stdout_has("bob <bob@example.com> (User)");
    let v = env
        .as_user(BOB, PW, &["whoami", "--json"])
        .run()
        .ok()
        .json();
    assert_user_object(&v);
    assert_eq!(v["email"], BOB);
    assert_eq!(v["role"], "user");
    // And with a token.
    let tok = env.token(ALICE, PW);
    env.with_token(&tok, &["whoami"])
        .run()
        .ok()
        .stdout_has("alice <alice@example.com> (User)");
}

#[test]
fn logout_revokes_the_token() {
    let env = env_with_users();
    let tok = env.token(BOB, PW);
    env.with_token(&tok, &["whoami"]).run().ok();
    env.with_token(&tok, &["logout"])
        .run()
        .ok()
        .stdout_has("logged out bob@example.com");
    env.with_token(&tok, &["whoami"]).run().code(3);
}

#[test]
fn logout_ends_the_saved_session() {
    let env = env_with_users();
    env.cmd(&["login", "--email", BOB, "--password-stdin"])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    env.cmd(&["whoami"])
        .run()
        .ok()
        .stdout_has("bob@example.com");
    env.cmd(&["logout"])
        .run()
        .ok()
        .stdout_has("logged out bob@example.com");
    run_bounded(env.cmd(&["whoami"])).code(3);
}

#[test]
fn no_credentials_hint_names_the_options() {
    let env = TestEnv::new();
    run_bounded(env.cmd(&["user", "list"]))
        .code(3)
        .stderr_has("GATEHOUSE_TOKEN")
        .stderr_has("GATEHOUSE_EMAIL")
        .stderr_has("gatehouse login");
}

/// Several identities on one store: `login --as NAME` saves a session of its own, a
/// login that would replace someone else's saved session says so (and ends it), and
/// `logout --all` ends them all.
#[test]
fn login_as_keeps_identities_apart_and_logout_all_ends_them() {
    let env = TestEnv::new();
    env.add_user("alice", ALICE, "user", PW);
    let login = |email: &str, extra: &[&str]| {
        let mut args = vec!["login", "--email", email, "--password-stdin", "--json"];
        args.extend_from_slice(extra);
        env.cmd(&args)
            .stdin(&format!("{}\n", if email == ALICE { PW } else { ADMIN_PW }))
            .run()
            .ok()
    };
    let first = login(ALICE, &[]);
    let alice_file = first.json()["session_file"].as_str().unwrap().to_string();
    let alice_token = std::fs::read_to_string(&alice_file).unwrap();
    login(ADMIN_EMAIL, &["--as", "ops"]);
    let whoami = |extra: &[&str]| {
        let mut args = extra.to_vec();
        args.push("whoami");
        env.cmd(&args).run()
    };
    whoami(&[]).ok().stdout_has(ALICE);
    whoami(&["--as", "ops"]).ok().stdout_has(ADMIN_EMAIL);
    env.cmd(&["whoami"])
        .env("GATEHOUSE_AS", "ops")
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);

    // The admin logs in without --as: that replaces Alice's saved session, and says so.
    let replaced = login(ADMIN_EMAIL, &[]);
    assert!(
        replaced
            .stderr
            .contains("replaces the saved session of alice@example.com"),
        "{}",
        replaced.stderr
    );
    env.with_token(alice_token.trim(), &["whoami"])
        .run()
        .code(3);
    whoami(&[]).ok().stdout_has(ADMIN_EMAIL);

    let out = env.cmd(&["logout", "--all", "--json"]).run().ok().json();
    assert_eq!(out["logged_out"].as_array().unwrap().len(), 2, "{out}");
    whoami(&[]).code(3);
    whoami(&["--as", "ops"])
        .code(3)
        .stderr_has("gatehouse login --as ops");
    env.cmd(&["logout", "--all"])
        .run()
        .ok()
        .stderr_has("no saved sessions");
    env.cmd(&["--as", "no/slash", "whoami"]).run().code(2);
}

#[test]
fn as_with_a_token_in_the_environment_is_refused() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.with_token(&token, &["--as", "ops", "whoami"])
        .run()
        .code(2)
        .stderr_has("--as ops picks a saved session");
}

#[test]
fn leading_and_trailing_spaces_are_part_of_the_password() {
    let env = TestEnv::new();
    let pw = "  spaced secret pw  ";
    add_cmd(&env, "spaces", "spaces@example.com", pw).run().ok();
    login(&env, "spaces@example.com", pw).ok();
    env.as_user("spaces@example.com", pw, &["whoami"])
        .run()
        .ok();
    for wrong in [
        pw.trim(),
        pw.trim_start(),
        pw.trim_end(),
        "spaced secret pw",
    ] {
        login(&env, "spaces@example.com", wrong).code(3);
    }
    // A tab at the end is kept as well; only the line ending is not part of it.
    let tabbed = "Tabbed-secret-pw\t";
    add_cmd(&env, "tabs", "tabs@example.com", tabbed).run().ok();
    login(&env, "tabs@example.com", tabbed).ok();
    login(&env, "tabs@example.com", "Tabbed-secret-pw").code(3);
    // CRLF: the \r belongs to the line ending.
    env.admin(&[
        "user",
        "add",
        "--name",
        "crlf",
        "--email",
        "crlf@example.com",
        "--password-stdin",
    ])
    .stdin("Crlf-secret-pw-1\r\n")
    .run()
    .ok();
    login(&env, "crlf@example.com", "Crlf-secret-pw-1").ok();
    // From a file, too.
    let f = env.path().join("pw.txt");
    fs::write(&f, format!("{pw}\n")).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
    env.admin(&[
        "user",
        "passwd",
        "tabs@example.com",
        "--password-file",
        f.to_str().unwrap(),
    ])
    .run()
    .ok();
    login(&env, "tabs@example.com", pw).ok();
    login(&env, "tabs@example.com", pw.trim()).code(3);
}

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn composed_and_decomposed_passwords_log_in_alike() {
    let env = TestEnv::new();
    let nfc = "R\u{e9}sum\u{e9}-na\u{ef}ve-pw";
    let nfd = "Re\u{301}sume\u{301}-nai\u{308}ve-pw";
    assert_ne!(nfc, nfd);
    add_cmd(&env, "nfd", "nfd@example.com", nfd).run().ok();
    add_cmd(&env, "nfc", "nfc@example.com", nfc).run().ok();
    for email in ["nfd@example.com", "nfc@example.com"] {
        login(&env, email, nfc).ok();
        login(&env, email, nfd).ok();
        env.as_user(email, nfc, &["whoami"]).run().ok();
        env.as_user(email, nfd, &["whoami"]).run().ok();
        // A different accent is a different password.
        login(&env, email, "R\u{e8}sum\u{e8}-na\u{ef}ve-pw").code(3);
    }
    // Compatibility forms are folded too (NFKC): a full-width letter is its ASCII twin.
    add_cmd(&env, "wide", "wide@example.com", "\u{ff21}bc-wide-secret")
        .run()
        .ok();
    login(&env, "wide@example.com", "Abc-wide-secret").ok();
}

#[test]
fn a_password_typed_as_the_email_never_reaches_the_audit_trail() {
    let env = TestEnv::new();
    env.as_user("hunter2-secret-pw", "x", &["whoami"])
        .run()
        .code(3);
    let trail = env
        .admin(&["audit", "list", "--format", "jsonl"])
        .run()
        .ok()
        .stdout;
    assert!(!trail.contains("hunter2-secret-pw"), "{trail}");
    assert!(trail.contains("<not an email>"));
}

crate::on_both_stores! {
    fn an_upper_case_gatehouse_email_logs_in_on_both_stores() {
        let env = TestEnv::new();
        env.as_user(" ADMIN@Example.COM", ADMIN_PW, &["whoami"])
            .run()
            .ok()
            .stdout_has(ADMIN_EMAIL);
    }
}

#[test]
fn token_beats_email_and_password() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    assert!(!token.is_empty());
    // A valid token wins over a wrong password.
    env.with_token(&token, &["whoami"])
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", "definitely-the-wrong-pw")
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
    // And an invalid token is not rescued by a correct password: first match wins.
    env.with_token("ghs_not-a-real-token", &["whoami"])
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", ADMIN_PW)
        .run()
        .code(3);
}

#[test]
fn password_file_must_be_private() {
    let env = TestEnv::new();
    let pw_file = env.path().join("admin-pw");
    fs::write(&pw_file, format!("{ADMIN_PW}\n")).unwrap();
    let whoami = || {
        env.cmd(&["whoami"])
            .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
            .env("GATEHOUSE_PASSWORD_FILE", &pw_file)
    };

    chmod(&pw_file, 0o600);
    whoami().run().ok().stdout_has(ADMIN_EMAIL);

    chmod(&pw_file, 0o644);
    let r = whoami().run().code(3);
    assert!(!r.stdout.contains(ADMIN_EMAIL));

    chmod(&pw_file, 0o640);
    whoami().run().code(3);
}

#[test]
fn login_saves_private_session_and_logout_revokes_it() {
    let env = TestEnv::new();
    let config = env.path().join("config");
    let r = env
        .cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();

    let files = files_under(&config);
    assert_eq!(
        files.len(),
        1,
        "expected one session file under {}: {files:?}",
        config.display()
    );
    let file = &files[0];
    assert_eq!(mode(file), 0o600, "session file mode");
    assert_eq!(
        mode(file.parent().unwrap()) & 0o077,
        0,
        "session directory mode"
    );
    let token = fs::read_to_string(file).unwrap().trim().to_string();
    assert!(!token.is_empty());
    assert!(
        !r.stdout.contains(&token),
        "plain login must not print the token"
    );
    assert!(
        !r.stderr.contains(&token),
        "plain login must not print the token"
    );

    // A later command with no credentials in the environment uses the saved session.
    env.cmd(&["whoami"]).run().ok().stdout_has(ADMIN_EMAIL);
    env.cmd(&["user", "list", "--json"]).run().ok();

    env.cmd(&["logout"]).run().ok();
    env.cmd(&["whoami"]).run().code(3);
    // Revoked in the store, not just forgotten locally.
    env.with_token(&token, &["whoami"]).run().code(3);
}

#[test]
fn invalid_token_is_auth_error_with_hint() {
    let env = TestEnv::new();
    let bogus = format!("ghs_{}", "0".repeat(64));
    env.with_token(&bogus, &["whoami"])
        .run()
        .code(3)
        .stderr_has("hint:");
    env.with_token(&bogus, &["user", "list"])
        .run()
        .code(3)
        .stderr_has("hint:");
}

#[test]
fn login_ttl_is_bounded() {
    let env = TestEnv::new();
    let before = env.snapshot();
    env.cmd(&[
        "login",
        "--email",
        ADMIN_EMAIL,
        "--password-stdin",
        "--print-token",
        "--ttl",
        "25h",
    ])
    .stdin(&format!("{ADMIN_PW}\n"))
    .run()
    .code(7);
    assert_eq!(env.snapshot(), before, "a refused login creates no session");

    let r = env
        .cmd(&[
            "login",
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            "--print-token",
            "--ttl",
            "30m",
        ])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
    let token = r.stdout.trim();
    env.with_token(token, &["whoami"])
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
}

#[test]
fn no_credentials_without_terminal_fails_fast() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let before = env.snapshot();
    let x = "bob@example.com";
    let commands: Vec<Vec<&str>> = vec![
        vec!["whoami"],
        vec!["logout"],
        vec!["me", "show"],
        vec!["user", "list"],
        vec!["user", "show", x],
        vec![
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            "carol@example.com",
            "--password-stdin",
        ],
        vec!["user", "edit", x, "--name", "y"],
        vec!["user", "passwd", x, "--generate-password"],
        vec!["user", "activate", x],
        vec!["user", "deactivate", x],
        vec!["user", "unlock", x],
    ];
    for args in &commands {
        let what = args.join(" ");
        let r = run_watched(env.cmd(args), &what);
        assert_eq!(
            r.code, 3,
            "`gatehouse {what}`: expected exit 3\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(
            r.stderr.contains("hint:"),
            "`gatehouse {what}`: no hint:\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("GATEHOUSE_TOKEN"),
            "`gatehouse {what}`: the hint should name the credential options:\n{}",
            r.stderr
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn login_failures_are_indistinguishable() {
    let env = TestEnv::new();
    env.add_user("dave", "dave@example.com", "user", "Dave-secret-pw-1");
    env.add_user("erin", "erin@example.com", "user", "Erin-secret-pw-1");
    env.admin(&["user", "deactivate", "erin@example.com"])
        .run()
        .ok();

    // What a stranger must not tell apart: no such email, a wrong password, an inactive
    // account — whichever way the password is given.
    let failures = [
        ("unknown email", "nobody@example.com", "Dave-secret-pw-1"),
        ("wrong password", "dave@example.com", "not-daves-password"),
        ("inactive account", "erin@example.com", "Erin-secret-pw-1"),
    ];
    type LogIn<'a> = &'a dyn Fn(&str, &str) -> Run;
    let ways: [(&str, LogIn); 2] = [
        ("login", &|email, pw| env.login(email, pw)),
        ("GATEHOUSE_EMAIL/PASSWORD", &|email, pw| {
            env.as_user(email, pw, &["whoami"]).run()
        }),
    ];
    for (way, log_in) in ways {
        let answers: Vec<Run> = failures
            .iter()
            .map(|(_, email, pw)| log_in(email, pw).code(3))
            .collect();
        for ((what, ..), got) in failures.iter().zip(&answers) {
            assert_eq!(
                got.stderr, answers[0].stderr,
                "{way}: {what} vs unknown email"
            );
            assert!(got.stdout.is_empty(), "{way}: {what}: {}", got.stdout);
            assert!(
                !got.stderr.contains("nobody"),
                "{way}: must not echo the email: {}",
                got.stderr
            );
        }
    }
}

#[test]
fn ten_failures_lock_until_unlock_or_passwd() {
    let env = TestEnv::new();
    let email = "dave@example.com";
    let pw = "Dave-secret-pw-1";
    env.add_user("dave", email, "user", pw);
    let generic = env.login("nobody@example.com", pw).code(3).stderr;

    // Nine failures do not lock, and a success resets the count.
    for _ in 0..9 {
        env.login(email, "wrong-password-x").code(3);
    }
    env.login(email, pw).ok();

    // Ten consecutive failures lock: the right password fails the same way.
    for _ in 0..10 {
        env.login(email, "wrong-password-x").code(3);
    }
    let locked = env.login(email, pw).code(3);
    assert_eq!(
        locked.stderr, generic,
        "a locked account must fail generically"
    );
    env.as_user(email, pw, &["whoami"]).run().code(3);

    // `user unlock` clears it.
    env.admin(&["user", "unlock", email]).run().ok();
    env.login(email, pw).ok();
    env.as_user(email, pw, &["whoami"]).run().ok();

    // Lock again; `user passwd` clears it too.
    for _ in 0..10 {
        env.login(email, "wrong-password-x").code(3);
    }
    env.login(email, pw).code(3);
    let new_pw = "Dave-new-secret-pw-2";
    env.admin(&["user", "passwd", email, "--password-stdin"])
        .stdin(&format!("{new_pw}\n"))
        .run()
        .ok();
    env.login(email, new_pw).ok();
    env.as_user(email, new_pw, &["whoami"]).run().ok();
}

#[test]
fn weaker_hash_is_rehashed_at_login() {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    let env = TestEnv::new();
    let email = "frank@example.com";
    let pw = "weak-hash-pw1";
    env.add_user("frank", email, "user", "Frank-initial-pw-1");

    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8192, 1, 1, None).unwrap(),
    );
    let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
    let weak_hash = weak
        .hash_password(pw.as_bytes(), &salt)
        .unwrap()
        .to_string();
    assert!(weak_hash.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
    db_conn(&env)
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE email = ?2",
            [&weak_hash, email],
        )
        .unwrap();

    env.login(email, pw).ok();

    let now = password_hash(&env, email);
    assert_ne!(now, weak_hash, "the weak hash was not replaced");
    assert!(now.starts_with(STRONG_PREFIX), "re-hashed to {now:?}");
    let parsed = PasswordHash::new(&now).unwrap();
    assert!(Argon2::default()
        .verify_password(pw.as_bytes(), &parsed)
        .is_ok());
    // The password still works afterwards, and a strong hash is left alone.
    env.as_user(email, pw, &["whoami"]).run().ok();
    assert_eq!(password_hash(&env, email), now);
}
