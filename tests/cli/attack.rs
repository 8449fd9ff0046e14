//! What an attack on the tool found, one test per finding: each failed before its fix.
//! The attacker is a regular or locked user, another Unix user on the machine, the
//! author of an import file, or the next person at a shared store account.

// A test that cannot run here says so on stderr rather than passing in silence.
#![allow(clippy::print_stderr)]

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::support::*;

const BOB: &str = "bob@example.com";
const BOB_PW: &str = "Bob-secret-pw-1";
/// A uid that is not ours: `nobody`.
const OTHER_UID: u32 = 65534;

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

fn with_bob() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", BOB_PW);
    env
}

// 1. Store files another user made or can change.

#[test]
fn a_store_file_planted_by_another_user_is_never_adopted() {
    if !is_root() {
        // Making a file of another uid needs root; CI runs as root.
        eprintln!("SKIPPED a_store_file_planted_by_another_user_is_never_adopted: not root");
        return;
    }
    let env = TestEnv::empty();
    let dir = env.db.parent().unwrap();
    fs::create_dir(dir).unwrap();
    chmod(dir, 0o700);
    fs::write(&env.db, b"").unwrap();
    chmod(&env.db, 0o644);
    std::os::unix::fs::chown(&env.db, Some(OTHER_UID), Some(OTHER_UID)).unwrap();
    env.cmd(&["init", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("belongs to uid 65534");
    let meta = fs::metadata(&env.db).unwrap();
    assert_eq!(
        (meta.uid(), meta.len()),
        (OTHER_UID, 0),
        "the file was touched"
    );
}

#[test]
fn a_wal_file_planted_by_another_user_is_refused_unread() {
    if !is_root() {
        eprintln!("SKIPPED a_wal_file_planted_by_another_user_is_refused_unread: not root");
        return;
    }
    let env = TestEnv::new();
    let wal = with_suffix(&env.db, "-wal");
    let _ = fs::remove_file(&wal);
    fs::write(&wal, b"forged transaction").unwrap();
    std::os::unix::fs::chown(&wal, Some(OTHER_UID), Some(OTHER_UID)).unwrap();
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("-wal")
        .stderr_has("belongs to uid 65534");
    assert_eq!(fs::read(&wal).unwrap(), b"forged transaction");
}

#[test]
fn store_files_others_can_write_are_refused_and_readable_ones_warned_about() {
    let env = TestEnv::new();
    let dir = env.db.parent().unwrap().to_path_buf();
    // Group-writable store file.
    chmod(&env.db, 0o660);
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("writable by its group");
    chmod(&env.db, 0o600);
    // A directory others can create files in (like /tmp, sticky bit or not).
    for mode in [0o777, 0o1777, 0o770] {
        chmod(&dir, mode);
        env.admin(&["whoami"])
            .run()
            .code(9)
            .stderr_has("other users can create files in it");
    }
    chmod(&dir, 0o700);
    // A companion file others can write.
    let shm = with_suffix(&env.db, "-shm");
    fs::write(&shm, b"").unwrap();
    chmod(&shm, 0o666);
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("other users can write it");
    fs::remove_file(&shm).unwrap();
    // Readable by others: used, with a warning.
    chmod(&env.db, 0o644);
    env.admin(&["whoami"])
        .run()
        .ok()
        .stderr_has("warning: store")
        .stderr_has("readable by other users");
    chmod(&env.db, 0o600);
    let r = env.admin(&["whoami"]).run().ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn init_in_a_shared_directory_is_refused_before_creating_anything() {
    let env = TestEnv::empty();
    let shared = env.path().join("shared");
    fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o1777);
    let db = shared.join("ci.db");
    env.cmd(&["init", "--email", ADMIN_EMAIL, "--password-stdin"])
        .env("GATEHOUSE_DB", &db)
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("other users can create files in it")
        .stderr_has("hint:");
    assert!(!db.exists());
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

#[test]
fn under_sudo_files_named_on_the_command_line_are_refused() {
    let env = with_bob();
    let list = write(&env, "list.txt", format!("{BOB}\n"));
    let csv = write(
        &env,
        "users.csv",
        "email,name,password\nc@example.com,c,Carol-pw-123\n",
    );
    let pwfile = write(&env, "pw.txt", "New-secret-pw-9\n");
    let before = env.snapshot();
    for args in [
        vec!["user", "deactivate", "--from", &list],
        vec!["user", "import", &csv],
        vec!["user", "passwd", BOB, "--password-file", &pwfile],
    ] {
        env.admin(&args)
            .env("SUDO_UID", "4001")
            .run()
            .code(4)
            .stderr_has("under sudo")
            .stderr_has("standard input");
    }
    assert_eq!(env.snapshot(), before);
    // Standard input, opened by the person's own shell, still works.
    env.admin(&["user", "deactivate", "--from", "-"])
        .env("SUDO_UID", "4001")
        .stdin(&format!("{BOB}\n"))
        .run()
        .ok();
}

#[test]
fn errors_never_echo_the_lines_of_a_file_that_is_not_input() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let secret = write(&env, "token.txt", format!("{token}\n"));
    let secret_pw = write(&env, "secret.txt", "hunter2-correct-horse\n");
    for args in [
        vec!["user", "import", &secret],
        vec!["user", "import", "--input-format", "csv", &secret_pw],
        vec!["user", "deactivate", "--from", &secret],
        vec!["user", "deactivate", "--from", &secret_pw],
    ] {
        let r = env.admin(&args).run().code(7);
        let text = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !text.contains(&token[4..20]),
            "{args:?} echoed the token:\n{text}"
        );
        assert!(
            !text.contains("hunter2"),
            "{args:?} echoed the file:\n{text}"
        );
        assert!(text.contains("line 1") || text.contains("column"), "{text}");
    }
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

// 5. `me passwd` racing an admin's reset.

#[test]
fn me_passwd_does_not_undo_an_admin_reset_that_happened_meanwhile() {
    let env = with_bob();
    let token = env.token(BOB, BOB_PW);
    // Hold the write lock so `me passwd` verifies, then waits; reset the password
    // meanwhile, as `user passwd` would, and let it go on.
    let c = conn(&env);
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = env
        .with_token(&token, &["me", "passwd", "--password-stdin"])
        .stdin(&format!("{BOB_PW}\nMy-own-new-pw-5\n"))
        .spawn();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let admin_hash: String = c
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [ADMIN_EMAIL],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE users SET password_hash = ?1 WHERE email = ?2",
        [&admin_hash, BOB],
    )
    .unwrap();
    c.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("changed after you entered"), "{stderr}");
    let now: String = c
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [BOB],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(now, admin_hash, "the reset was undone");
}

// 6. Control characters from users never reach a terminal.

#[test]
fn control_characters_in_descriptions_and_typed_targets_never_reach_a_terminal() {
    let env = with_bob();
    for bad in [
        "\x1b[2Jgone",
        "two\nlines",
        "rtl\u{202e}txt.exe",
        "zero\u{200b}width",
    ] {
        env.admin(&["package", "create", "p1", "--description", bad])
            .run()
            .code(7);
    }
    env.admin(&["package", "create", "p1", "--description", "ok"])
        .run()
        .ok();
    env.admin(&["package", "edit", "p1", "--description", "\x1b]0;pwned\x07"])
        .run()
        .code(7);
    // A denied command's target is stored as typed; every table shows it escaped.
    env.as_user(BOB, BOB_PW, &["config", "get", "\x1b[31mevil\u{202e}"])
        .run()
        .code(4);
    let r = env.admin(&["audit", "list"]).run().ok();
    assert!(!r.stdout.contains('\x1b'), "raw escape in:\n{}", r.stdout);
    assert!(
        !r.stdout.contains('\u{202e}'),
        "raw override in:\n{}",
        r.stdout
    );
    r.stdout_has("\\u{1b}[31mevil\\u{202e}");
}

// 7. Spreadsheet formulas in CSV output.

fn formula_cells(csv: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    rdr.records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .filter(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .collect()
}

#[test]
fn csv_output_is_neutralised_and_an_export_still_round_trips() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "@SUM(1+1)"]).run().ok();
    env.admin(&[
        "user",
        "add",
        "--name",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "--email=-carol@example.com",
        "--package",
        "@SUM(1+1)",
        "--password-stdin",
    ])
    .stdin("Carol-secret-pw-1\n")
    .run()
    .ok();
    env.admin(&[
        "user",
        "edit",
        "--full-name=+cmd|' /C calc'!A0",
        "--",
        "-carol@example.com",
    ])
    .run()
    .ok();
    for args in [
        vec!["user", "export"],
        vec!["user", "list", "--format", "csv"],
        vec!["access", "matrix", "--format", "csv"],
        vec!["audit", "list", "--format", "csv"],
        vec!["package", "list", "--format", "csv"],
    ] {
        let r = env.admin(&args).run().ok();
        let neutralised = ["'=", "'-", "'@", "'+"]
            .iter()
            .any(|p| r.stdout.contains(p));
        assert!(neutralised, "{args:?}:\n{}", r.stdout);
        assert_eq!(formula_cells(&r.stdout), Vec::<String>::new(), "{args:?}");
    }
    // Export → import into a new store gives back the same values.
    let export = env.admin(&["user", "export"]).run().ok().stdout;
    let other = TestEnv::new();
    other.admin(&["package", "create", "@SUM(1+1)"]).run().ok();
    let file = write(&other, "export.csv", &export);
    other
        .admin(&[
            "user",
            "import",
            &file,
            "--generate-passwords",
            "--on-conflict",
            "skip",
        ])
        .run()
        .ok();
    let carol = other
        .admin(&["user", "show", "--json", "--", "-carol@example.com"])
        .run()
        .ok()
        .json();
    assert_eq!(carol["name"], "=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(carol["full_name"], "+cmd|' /C calc'!A0");
    assert_eq!(carol["packages"][0], "@SUM(1+1)");
    // A value that itself starts with `'` survives too (it is written `''…`).
    env.admin(&[
        "user",
        "edit",
        "--full-name='-quoted",
        "--",
        "-carol@example.com",
    ])
    .run()
    .ok();
    let export = env.admin(&["user", "export"]).run().ok().stdout;
    let file = write(&other, "export2.csv", &export);
    other
        .admin(&[
            "user",
            "import",
            &file,
            "--generate-passwords",
            "--on-conflict",
            "update",
        ])
        .run()
        .ok();
    let carol = other
        .admin(&["user", "show", "--json", "--", "-carol@example.com"])
        .run()
        .ok()
        .json();
    assert_eq!(carol["full_name"], "'-quoted");
}

// 8. Import files that plant admins.

fn admin_hash(env: &TestEnv) -> String {
    conn(env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [ADMIN_EMAIL],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn an_import_that_grants_admin_or_replaces_an_admins_password_is_flagged() {
    let env = with_bob();
    // A hash the file's author knows the password of.
    let other = TestEnv::new();
    let known = admin_hash(&other);
    let csv = format!(
        "email,name,role,password_hash\n\
         {BOB},bob,admin,\n\
         {ADMIN_EMAIL},admin,admin,\"{known}\"\n\
         new@example.com,new,user,\"{known}\"\n"
    );
    let file = write(&env, "planted.csv", &csv);
    let before = env.snapshot();
    let r = env
        .admin(&[
            "user",
            "import",
            &file,
            "--on-conflict",
            "update",
            "--dry-run",
        ])
        .run()
        .ok();
    assert_eq!(env.snapshot(), before);
    let e = &r.stderr;
    assert!(
        e.contains("line 2: update bob@example.com: role: user → admin"),
        "{e}"
    );
    assert!(e.contains("line 4: create new@example.com"), "{e}");
    assert!(
        e.contains("warning: line 2: bob@example.com grants admin"),
        "{e}"
    );
    assert!(
        e.contains("warning: line 3: admin@example.com replaces an admin's password"),
        "{e}"
    );
    let v = env
        .admin(&[
            "user",
            "import",
            &file,
            "--on-conflict",
            "update",
            "--dry-run",
            "--json",
        ])
        .run()
        .ok()
        .json();
    assert_eq!(v["rows"][0]["flags"][0], "grants admin");
    assert_eq!(v["rows"][0]["changes"]["after"]["role"], "admin");
    // The real run flags them too.
    env.admin(&["user", "import", &file, "--on-conflict", "update"])
        .run()
        .ok()
        .stderr_has("warning: line 3: admin@example.com replaces an admin's password");
}

#[test]
fn generate_passwords_overrides_the_files_password_hashes() {
    let env = TestEnv::new();
    let other = TestEnv::new();
    let known = admin_hash(&other);
    let file = write(
        &env,
        "h.csv",
        format!("email,name,password_hash\nmal@example.com,mal,\"{known}\"\n"),
    );
    // Said also when the file is refused for another row.
    let bad = write(
        &env,
        "bad.csv",
        format!("email,name,password_hash\nmal@example.com,mal,\"{known}\"\nnot-an-email,x,\n"),
    );
    env.admin(&["user", "import", &bad, "--generate-passwords"])
        .run()
        .code(7)
        .stderr_has("ignored the password or password_hash of 1 row(s)");
    let r = env
        .admin(&["user", "import", &file, "--generate-passwords"])
        .run()
        .ok()
        .stderr_has("ignored the password or password_hash of 1 row(s)");
    let stored: String = conn(&env)
        .query_row(
            "SELECT password_hash FROM users WHERE email = 'mal@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(stored, known);
    // The file's password does not log in; the generated one does.
    env.as_user("mal@example.com", ADMIN_PW, &["whoami"])
        .run()
        .code(3);
    let generated = r.stdout.lines().nth(1).unwrap().split(',').nth(1).unwrap();
    env.as_user("mal@example.com", generated, &["me", "show"])
        .run()
        .ok();
}

// 9. Imported hashes that cost more than a login should.

const COSTLY: &str = "$argon2id$v=19$m=262144,t=16,p=16$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";

#[test]
fn costly_imported_hashes_are_refused_at_import_and_never_verified() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "costly.csv",
        format!("email,name,password_hash\nslow@example.com,slow,\"{COSTLY}\"\n"),
    );
    env.admin(&["user", "import", &file])
        .run()
        .code(7)
        .stderr_has("m × t ≤ 786432");
    // Django's argon2 hasher (100 MiB, t=2, p=8) is still accepted.
    let four = "$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";
    let file = write(
        &env,
        "four.csv",
        format!("email,name,password_hash\nok@example.com,ok,\"{four}\"\n"),
    );
    env.admin(&["user", "import", &file]).run().ok();
    // Planted behind the tool's back, such a hash is refused without being computed.
    conn(&env)
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE email = 'ok@example.com'",
            [COSTLY],
        )
        .unwrap();
    env.as_user("ok@example.com", "anything-at-all", &["whoami"])
        .run()
        .code(3);
}

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
fn invisible_formatting_and_list_separators_are_refused_in_names() {
    let env = TestEnv::new();
    let before = env.snapshot();
    for name in [
        "adm\u{202e}nimda",
        "ad\u{200b}min",
        "a\u{2066}b",
        "\u{feff}x",
    ] {
        env.admin(&["package", "create", name]).run().code(7);
        env.admin(&[
            "user",
            "add",
            "--name",
            name,
            "--email",
            "z@example.com",
            "--password-stdin",
        ])
        .stdin("Zed-secret-pw-1\n")
        .run()
        .code(7)
        .stderr_has("invisible");
    }
    env.admin(&["package", "create", "north;south"])
        .run()
        .code(7)
        .stderr_has("`;`");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn out_of_range_numbers_are_usage_errors_not_panics() {
    let env = TestEnv::new();
    env.admin(&["whoami"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "100000000h")
        .run()
        .code(2)
        .stderr_has("GATEHOUSE_BUSY_TIMEOUT");
    let big = "9223372036854775808";
    for args in [
        vec!["user", "list", "--limit", big],
        vec!["user", "list", "--offset", big],
        vec!["audit", "list", "--limit", big],
    ] {
        env.admin(&args).run().code(2);
    }
    let max = "9223372036854775807";
    env.admin(&["user", "list", "--limit", max, "--json"])
        .run()
        .ok();
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

// 11. Anchoring the audit chain.

#[test]
fn a_kept_checkpoint_proves_a_truncated_trail() {
    let env = with_bob();
    let head = env.admin(&["audit", "checkpoint"]).run().ok().stdout;
    let head = head.trim().to_string();
    let (n, hash) = head.split_once(':').unwrap();
    assert_eq!(hash.len(), 64, "{head}");
    env.admin(&["user", "deactivate", BOB]).run().ok();
    env.admin(&["audit", "verify", "--checkpoint", &head])
        .run()
        .ok()
        .stdout_has("intact");
    // Someone with the file drops the trigger and removes the newest entries.
    let c = conn(&env);
    c.execute_batch("DROP TRIGGER audit_no_delete;").unwrap();
    let n: i64 = n.parse().unwrap();
    c.execute("DELETE FROM audit WHERE id >= ?1", [n]).unwrap();
    drop(c);
    // Without the checkpoint the shorter chain looks whole; with it, it does not.
    env.admin(&["audit", "verify"]).run().ok();
    env.admin(&["audit", "verify", "--checkpoint", &head])
        .run()
        .code(8)
        .stderr_has("entries were removed");
    // A chain whose entry no longer has the kept hash was rewritten.
    let head2 = env.admin(&["audit", "checkpoint"]).run().ok().stdout;
    let (n2, _) = head2.trim().split_once(':').unwrap();
    let forged = format!("{n2}:{}", "0".repeat(64));
    env.admin(&["audit", "verify", "--checkpoint", &forged])
        .run()
        .code(8)
        .stderr_has("rewritten");
    env.admin(&["audit", "verify", "--checkpoint", "nonsense"])
        .run()
        .code(2);
}
