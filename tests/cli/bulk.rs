//! Bulk import/export, multi-user targets, offboarding and deletion.
use crate::support::*;

use argon2::password_hash::{PasswordHasher, SaltString};
use serde_json::Value;

const PW: &str = "Str0ng-pass-1";
const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const CAROL: &str = "carol@example.com";
const ADMIN2: &str = "admin2@example.com";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `user import ARGS...` as the admin.
fn import(env: &TestEnv, args: &[&str]) -> Cmd {
    let mut a = vec!["user", "import"];
    a.extend_from_slice(args);
    env.admin(&a)
}

fn create_package(env: &TestEnv, name: &str) {
    env.admin(&["package", "create", name]).run().ok();
}

/// `user show EMAIL --json`.
fn user(env: &TestEnv, email: &str) -> Value {
    env.admin(&["user", "show", email, "--json"])
        .run()
        .ok()
        .json()
}

fn user_exists(env: &TestEnv, email: &str) -> bool {
    env.users_json()
        .iter()
        .any(|u| u["email"].as_str() == Some(email))
}

fn packages_of(u: &Value) -> Vec<String> {
    let mut v: Vec<String> = u["packages"]
        .as_array()
        .unwrap_or_else(|| panic!("no packages array in {u}"))
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// An argon2 PHC string for `pw` (fixed salt: deterministic and fast enough).
fn phc(pw: &str) -> String {
    argon2::Argon2::default()
        .hash_password(
            pw.as_bytes(),
            &SaltString::encode_b64(b"0123456789abcdef").unwrap(),
        )
        .unwrap()
        .to_string()
}

/// A CSV field in quotes (a PHC string holds commas).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Whether `email`/`pw` can log in (a real password login).
fn can_login(env: &TestEnv, email: &str, pw: &str) -> bool {
    env.login(email, pw).code == 0
}

/// The users' logical state as `user export --json` shows it, keyed by email.
fn exported(env: &TestEnv) -> Vec<Value> {
    env.admin(&["user", "export", "--json"])
        .run()
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

/// A store with packages `north` and `south`, and users alice (north) and bob (south),
/// both with role `user`, added through an import with fixed hashes (fast).
fn env_with_people() -> TestEnv {
    let env = TestEnv::new();
    create_package(&env, "north");
    create_package(&env, "south");
    // A ready hash saves two argon2 runs; where the database server logs people in,
    // only a password (its verifier made from it) lets them log in.
    let (column, secret) = if on_postgres() {
        ("password", PW.to_string())
    } else {
        ("password_hash", quoted(&phc(PW)))
    };
    let file = write(
        &env,
        "people.csv",
        format!(
            "email,name,role,packages,{column}\n\
             {ALICE},alice,user,north,{secret}\n\
             {BOB},bob,user,south,{secret}\n"
        ),
    );
    import(&env, &[&file])
        .run()
        .ok()
        .stdout_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    env
}

#[track_caller]
fn refused_cleanly(env: &TestEnv, name: &str, data: &[u8], extra: &[&str]) {
    let file = write(env, name, data);
    let before = env.snapshot();
    let mut args = vec![file.as_str(), "--generate-passwords"];
    args.extend_from_slice(extra);
    let r = import(env, &args).run().code(7);
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("internal"),
        "{name}: {}",
        r.stderr
    );
    assert_eq!(env.snapshot(), before, "{name}: store changed");
}

/// Files no spreadsheet should produce, each refused cleanly (exit 7, nothing written).

#[test]
fn csv_with_bom_crlf_and_quoted_commas_imports() {
    let env = TestEnv::new();
    create_package(&env, "north");
    create_package(&env, "south");
    let h = quoted(&phc(PW));
    // BOM, CRLF, header names in odd case and order, a quoted comma, a quoted quote, an
    // empty field, packages `;`-separated with spaces.
    let csv = format!(
        "\u{feff}Packages,EMAIL,Name,Full_Name,ROLE,password_hash\r\n\
         north; south,Alice@Example.com,alice,\"Liddell, Alice\",admin,{h}\r\n\
         ,{BOB},bob,\"Bob \"\"the builder\"\" Jones\",,{h}\r\n"
    );
    let file = write(&env, "staff.csv", csv);
    let before = env.users_json().len();
    import(&env, &[&file])
        .run()
        .ok()
        .stdout_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    assert_eq!(env.users_json().len(), before + 2);

    let a = user(&env, ALICE);
    assert_eq!(a["email"], ALICE, "email is stored lower-cased");
    assert_eq!(a["name"], "alice");
    assert_eq!(a["full_name"], "Liddell, Alice");
    assert_eq!(a["role"], "admin");
    assert_eq!(a["status"], "active");
    assert_eq!(packages_of(&a), ["north", "south"]);

    let b = user(&env, BOB);
    assert_eq!(b["full_name"], "Bob \"the builder\" Jones");
    assert_eq!(b["role"], "user", "role defaults to user");
    assert!(packages_of(&b).is_empty());
    assert!(can_login(&env, ALICE, PW));
}

#[test]
fn new_user_without_a_password_is_refused_unless_generated() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "nopw.csv",
        format!("email,name\n{ALICE},alice\n{BOB},bob\n"),
    );
    let before = env.snapshot();
    import(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("line 2: column `password`")
        .stderr_has("line 3: column `password`")
        .stderr_has("--generate-passwords");
    assert_eq!(env.snapshot(), before);

    let r = import(&env, &[&file, "--generate-passwords"])
        .run()
        .ok()
        .stderr_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "header + 2 rows:\n{}", r.stdout);
    assert_eq!(lines[0], "email,password");
    let mut pws = std::collections::HashMap::new();
    for l in &lines[1..] {
        let (e, p) = l.split_once(',').unwrap();
        assert!(!p.is_empty());
        pws.insert(e.to_string(), p.to_string());
    }
    assert!(pws.contains_key(ALICE) && pws.contains_key(BOB), "{pws:?}");
    assert_ne!(pws[ALICE], pws[BOB]);
    assert!(can_login(&env, ALICE, &pws[ALICE]));
}

#[test]
fn imported_password_hash_logs_in() {
    let env = TestEnv::new();
    let h = phc(PW);
    let file = write(
        &env,
        "h.csv",
        format!("email,name,password_hash\n{ALICE},alice,{}\n", quoted(&h)),
    );
    import(&env, &[&file]).run().ok();
    // Stored as it is.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE email = ?1",
            [ALICE],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    assert_eq!(stored, h);
    assert!(!can_login(&env, ALICE, "Wr0ng-pass-99"));
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["whoami"])
        .run()
        .ok()
        .stdout_has(ALICE);
}

#[test]
fn json_array_imports() {
    let env = TestEnv::new();
    create_package(&env, "north");
    create_package(&env, "south");
    let h = phc(PW);
    let json = serde_json::json!([
        {"email": ALICE, "name": "alice", "role": "admin", "packages": ["north", "south"],
         "password_hash": h, "must_change_password": true, "phone": null},
        {"Email": BOB, "NAME": "bob", "packages": [], "password_hash": h},
    ]);
    let file = write(&env, "u.json", json.to_string());
    let r = import(&env, &[&file, "--json"]).run().ok();
    let v = r.json();
    assert_eq!(v["created"], 2);
    assert_eq!(v["updated"], 0);
    assert_eq!(v["skipped"], 0);
    assert_eq!(v["unchanged"], 0);
    assert_eq!(v["dry_run"], false);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["email"], ALICE);
    assert_eq!(rows[0]["result"], "created");
    assert!(rows[0]["id"].is_i64(), "{v}");
    assert!(v.get("generated_passwords").is_none());
    let a = user(&env, ALICE);
    assert_eq!(a["role"], "admin");
    assert_eq!(a["must_change_password"], true);
    assert_eq!(packages_of(&a), ["north", "south"]);
    assert!(packages_of(&user(&env, BOB)).is_empty());
}

#[test]
fn offboard_deactivates_revokes_sessions_and_removes_assignments() {
    let env = env_with_people();
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["whoami"]).run().ok();
    env.admin(&["user", "offboard", ALICE, BOB])
        .run()
        .ok()
        .stdout_has(&format!("offboarded {ALICE}"))
        .stdout_has(&format!("offboarded {BOB}"));
    for e in [ALICE, BOB] {
        let u = user(&env, e);
        assert_eq!(u["status"], "inactive", "{u}");
        assert!(packages_of(&u).is_empty(), "{u}");
    }
    env.with_token(&token, &["whoami"]).run().code(3);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM assignments a JOIN users u ON u.id = a.user_id \
             WHERE u.email IN (?1, ?2)",
            [ALICE, BOB],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    // Again: nothing left to do, still success.
    env.admin(&["user", "offboard", ALICE]).run().ok();
}

#[test]
fn delete_several_users() {
    let env = env_with_people();
    let v = env
        .admin(&["user", "delete", ALICE, BOB, "--json"])
        .run()
        .ok()
        .json();
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [ALICE, BOB]);
    assert!(!user_exists(&env, ALICE));
    assert!(!user_exists(&env, BOB));
    assert!(user_exists(&env, ADMIN_EMAIL));
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM assignments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "assignments of deleted users remain");
}

#[test]
fn many_rows_missing_one_package_are_one_line_with_the_fix_and_rows_are_counted_once() {
    let env = TestEnv::new();
    let mut csv = String::from("email,name,packages,expires_at\n");
    for i in 1..=12 {
        csv.push_str(&format!("u{i}@example.com,u{i},depot;north,\n"));
    }
    csv.push_str("bad,x,,\n");
    csv.push_str("v@example.com,v,,end of 2026\n");
    csv.push_str("w@example.com,w,depot,\n");
    let file = write(&env, "staff.csv", &csv);
    let before = env.snapshot();
    let r = import(&env, &[&file, "--generate-passwords"]).run().code(7);
    let err = r.stderr.clone();
    r.stderr_has("no package named `depot` (13 rows: lines 2–13, 16)")
        .stderr_has("no package named `north` (12 rows: lines 2–13)")
        .stderr_has("line 14: column `email`")
        // The row error keeps the accepted formats.
        .stderr_has(
            "line 15: column `expires_at`: invalid expiry `end of 2026`; use an RFC 3339 time",
        )
        // 15 rows are bad, though they hold 27 problems.
        .stderr_has("error: 15 bad rows; nothing was imported")
        .stderr_has("`gatehouse package create depot`")
        .stderr_has("--create-packages");
    assert_eq!(
        err.matches("depot").count(),
        2,
        "one line and the hint: {err}"
    );
    assert_eq!(env.snapshot(), before);

    // With the flag the packages are created in the same transaction, and audited.
    let good: String = csv.lines().take(13).map(|l| format!("{l}\n")).collect();
    let file = write(&env, "good.csv", good);
    import(&env, &[&file, "--generate-passwords", "--create-packages"])
        .run()
        .ok();
    assert_eq!(
        packages_of(&user(&env, "u7@example.com")),
        ["depot", "north"]
    );
    let created: i64 = conn(&env)
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'package.create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(created, 2);
}

#[test]
fn export_with_password_hashes_moves_everyone_to_a_new_store_with_their_passwords() {
    let env = env_with_people();
    let plain = env.admin(&["user", "export"]).run().ok().stdout;
    assert!(!plain.contains("password_hash") && !plain.contains("$argon2"));
    let token = env.token(ALICE, PW);
    env.with_token(&token, &["user", "export", "--with-password-hashes"])
        .run()
        .code(4);

    for fmt in ["csv", "jsonl"] {
        let out = env
            .admin(&["user", "export", "--with-password-hashes", "--format", fmt])
            .run()
            .ok()
            .stdout;
        assert!(out.contains("$argon2id$"), "{out}");
        let new = TestEnv::new();
        import(
            &new,
            &[
                "-",
                "--input-format",
                fmt,
                "--on-conflict",
                "skip",
                "--create-packages",
            ],
        )
        .stdin(&out)
        .run()
        .ok()
        .stdout_has("2 created");
        // Alice's history comes along (she logged in above; in the new store she has not).
        let (was, now) = (user(&env, ALICE), user(&new, ALICE));
        assert!(was["last_login_at"].is_string(), "{was}");
        for field in ["created_at", "last_login_at"] {
            assert_eq!(now[field], was[field], "{fmt}: {field}");
        }
        assert!(can_login(&new, ALICE, PW), "{fmt}");
        assert!(can_login(&new, BOB, PW), "{fmt}");
        assert_eq!(packages_of(&user(&new, BOB)), ["south"]);
    }
    let audited: i64 = conn(&env)
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'user.export' \
             AND details LIKE '%with_password_hashes%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2, "each export of hashes is on the record");
}

#[test]
fn import_update_with_the_same_plaintext_password_is_unchanged_and_keeps_sessions() {
    let env = env_with_people();
    let alice = env.token(ALICE, PW);
    let bob = env.token(BOB, PW);
    let file = write(
        &env,
        "again.csv",
        format!("email,name,password\n{ALICE},alice,{PW}\n{BOB},bob,N3w-pass-for-bob\n"),
    );
    import(&env, &[&file, "--on-conflict", "update", "--dry-run"])
        .run()
        .ok()
        .stdout_has("1 would be updated, 0 would be skipped, 1 unchanged");
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("0 created, 1 updated, 0 skipped, 1 unchanged");
    env.with_token(&alice, &["whoami"]).run().ok();
    env.with_token(&bob, &["whoami"]).run().code(3);
    env.as_user(BOB, "N3w-pass-for-bob", &["whoami"]).run().ok();
    // The second run changes nothing at all.
    let before = env.snapshot();
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("0 created, 0 updated, 0 skipped, 2 unchanged");
    assert_eq!(env.snapshot(), before);
}

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn unlock_several_users() {
    let env = env_with_people();
    for _ in 0..10 {
        assert!(!can_login(&env, ALICE, "Wr0ng-pass-99"));
    }
    assert!(!can_login(&env, ALICE, PW), "alice should be locked");
    assert!(!can_login(&env, BOB, "Wr0ng-pass-99"));
    let r = env
        .admin(&["user", "unlock", ALICE, BOB, CAROL])
        .run()
        .code(5)
        .stderr_has(CAROL);
    drop(r);
    assert!(!can_login(&env, ALICE, PW), "nothing unlocked on error");
    env.admin(&["user", "unlock", ALICE, BOB, ADMIN_EMAIL])
        .run()
        .ok()
        .stdout_has(&format!("unlocked {ALICE}"))
        .stdout_has(&format!("unlocked {BOB}"));
    assert!(can_login(&env, ALICE, PW));
}

#[test]
fn on_conflict_update_with_password_hash_replaces_the_password() {
    let env = env_with_people();
    let new_pw = "N3w-pass-word-7";
    let file = write(
        &env,
        "pw.csv",
        format!("email,password_hash\n{ALICE},{}\n", quoted(&phc(new_pw))),
    );
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("1 updated");
    assert!(!can_login(&env, ALICE, PW));
    assert!(can_login(&env, ALICE, new_pw));
}

crate::on_both_stores! {
fn csv_lf_with_plaintext_passwords_and_all_fields_imports() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let csv = format!(
        "email,name,role,status,packages,password,full_name,phone,must_change_password,expires_at\n\
         {ALICE},alice,user,inactive,north,{PW},Alice L,+44 20 7946 0000,true,2099-01-01T00:00:00Z\n"
    );
    let file = write(&env, "one.csv", csv);
    import(&env, &[&file])
        .run()
        .ok()
        .stdout_has("1 created, 0 updated, 0 skipped, 0 unchanged");
    let a = user(&env, ALICE);
    assert_eq!(a["status"], "inactive");
    assert_eq!(a["full_name"], "Alice L");
    assert_eq!(a["phone"], "+44 20 7946 0000");
    assert_eq!(a["must_change_password"], true);
    assert!(
        a["expires_at"].as_str().unwrap().starts_with("2099-01-01"),
        "{a}"
    );
    assert_eq!(packages_of(&a), ["north"]);
}

fn three_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let h = quoted(&phc(PW));
    // Line 3's quoted full name spans two physical lines, so the rows after it start one
    // line later than their record number: line numbers must be physical lines.
    let csv = format!(
        "email,name,role,packages,full_name,password_hash\n\
         {ALICE},alice,user,north,,{h}\n\
         {BOB},bob,user,,\"two\nlines\",{h}\n\
         not-an-email,x,user,,,{h}\n\
         {CAROL},carol,boss,,,{h}\n\
         dave@example.com,dave,user,nowhere,,{h}\n"
    );
    let file = write(&env, "bad.csv", csv);
    let before = env.snapshot();
    let r = import(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("line 3: column `full_name`")
        .stderr_has("line 5: column `email`")
        .stderr_has("line 6: column `role`")
        .stderr_has("no package named `nowhere` (1 row: line 7)")
        .stderr_has("4 bad rows; nothing was imported");
    assert!(
        !r.stderr.contains("line 2:"),
        "good row reported: {}",
        r.stderr
    );
    assert_eq!(env.snapshot(), before);
    // Scripts get each problem inside the JSON error object.
    let r = import(&env, &[&file, "--json"]).run().code(7);
    let last = r.stderr.lines().last().unwrap();
    let v: Value = serde_json::from_str(last).unwrap();
    let problems: Vec<(String, String)> = v["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["location"].as_str().unwrap().to_string(),
                p["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("line 3".to_string(), "full_name".to_string()),
            ("line 5".into(), "email".into()),
            ("line 6".into(), "role".into()),
            ("line 7".into(), "packages".into()),
        ],
        "{v}"
    );
}

fn exactly_three_bad_rows_reports_three() {
    let env = TestEnv::new();
    let csv = "email,name,role\n\
               ok@example.com,ok,user\n\
               bad,x,user\n\
               b@example.com,b,boss\n\
               c@example.com,,admin\n";
    let file = write(&env, "bad3.csv", csv);
    let before = env.snapshot();
    import(&env, &[&file, "--generate-passwords"])
        .run()
        .code(7)
        .stderr_has("line 3: column `email`")
        .stderr_has("line 4: column `role`")
        .stderr_has("line 5: column `name`")
        .stderr_has("error: 3 bad rows; nothing was imported");
    assert_eq!(env.snapshot(), before);
}

fn duplicate_emails_in_the_file_are_bad_rows() {
    let env = TestEnv::new();
    let csv = format!("email,name\n{ALICE},alice\n{BOB},bob\nALICE@example.com,alice2\n");
    let file = write(&env, "dup.csv", csv);
    let before = env.snapshot();
    import(&env, &[&file, "--generate-passwords"])
        .run()
        .code(7)
        .stderr_has("line 4: column `email`")
        .stderr_has("appears twice")
        .stderr_has("line 2");
    assert_eq!(env.snapshot(), before);
}

fn unknown_column_is_refused_by_name() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "cols.csv",
        format!("email,name,Nickname\n{ALICE},alice,al\n"),
    );
    let before = env.snapshot();
    // (Left out with a warning unless refused: see moving_in.rs.)
    let r = import(
        &env,
        &[&file, "--generate-passwords", "--unknown-columns", "refuse"],
    )
    .run()
    .code(7);
    assert!(
        r.stderr.to_lowercase().contains("`nickname`"),
        "{}",
        r.stderr
    );
    assert_eq!(env.snapshot(), before);
}

fn generated_passwords_in_json_and_only_once() {
    let env = TestEnv::new();
    let file = write(&env, "g.csv", format!("email,name\n{ALICE},alice\n"));
    let r = import(&env, &[&file, "--generate-passwords", "--json"])
        .run()
        .ok();
    // One document on one line, as every other command's JSON.
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let v = r.json();
    assert_eq!(v["created"], 1);
    let gen = v["generated_passwords"].as_array().unwrap();
    assert_eq!(gen.len(), 1, "{v}");
    assert_eq!(gen[0]["email"], ALICE);
    let pw = gen[0]["password"].as_str().unwrap().to_string();
    assert!(can_login(&env, ALICE, &pw));
    // A rerun skips the user and prints no password.
    let r = import(
        &env,
        &[&file, "--generate-passwords", "--on-conflict", "skip"],
    )
    .run()
    .ok()
    .stdout_has("0 created, 0 updated, 1 skipped, 0 unchanged");
    assert!(!r.stdout.contains(&pw) && !r.stderr.contains(&pw));
    assert!(!r.stdout.contains("email,password"), "{}", r.stdout);
}

/// Rows the store refuses, each reported with its line and column; nothing is written.
fn bad_rows_are_reported_where_they_are() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let cases = [
        (
            format!("email,name,password\n{ALICE},alice,{PW}\n{BOB},bob,password\n"),
            vec![],
            [
                "line 3: column `password`",
                "1 bad row; nothing was imported",
            ],
        ),
        (
            format!("email,name,packages\n{ALICE},alice,north;ghost\n"),
            vec!["--generate-passwords"],
            [
                "no package named `ghost` (1 row: line 2)",
                "--create-packages",
            ],
        ),
    ];
    for (i, (csv, extra, needles)) in cases.iter().enumerate() {
        let file = write(&env, &format!("bad{i}.csv"), csv);
        let before = env.snapshot();
        let mut args = vec![file.as_str()];
        args.extend(extra.iter().copied());
        let r = import(&env, &args).run().code(7);
        for n in needles {
            assert!(r.stderr.contains(n), "case {i}: no {n:?} in\n{}", r.stderr);
        }
        assert_eq!(env.snapshot(), before, "case {i}");
    }
}

fn invalid_password_hash_and_both_secrets_are_bad_rows() {
    let env = TestEnv::new();
    let h = quoted(&phc(PW));
    let csv = format!(
        "email,name,password,password_hash\n\
         {ALICE},alice,,not-a-phc-string\n\
         {BOB},bob,{PW},{h}\n"
    );
    let file = write(&env, "badhash.csv", csv);
    let before = env.snapshot();
    import(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("line 2: column `password_hash`")
        .stderr_has("line 3: column `password_hash`");
    assert_eq!(env.snapshot(), before);
}

fn json_array_bad_items_are_reported_by_item() {
    let env = TestEnv::new();
    let json = serde_json::json!([
        {"email": ALICE, "name": "alice"},
        {"email": BOB, "name": "bob", "role": "boss"},
        {"email": "nope", "name": "c"},
    ]);
    let file = write(&env, "bad.json", json.to_string());
    let before = env.snapshot();
    import(&env, &[&file, "--generate-passwords"])
        .run()
        .code(7)
        .stderr_has("item 2: column `role`")
        .stderr_has("item 3: column `email`")
        .stderr_has("2 bad rows");
    assert_eq!(env.snapshot(), before);
}

fn jsonl_imports_and_reports_by_line() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let h = phc(PW);
    let good = format!(
        "{{\"email\":\"{ALICE}\",\"name\":\"alice\",\"packages\":[\"north\"],\"password_hash\":\"{h}\"}}\n\
         \n\
         {{\"email\":\"{BOB}\",\"name\":\"bob\",\"password_hash\":\"{h}\"}}\n"
    );
    let file = write(&env, "u.jsonl", &good);
    import(&env, &[&file])
        .run()
        .ok()
        .stdout_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    assert_eq!(packages_of(&user(&env, ALICE)), ["north"]);

    let bad = "{\"email\":\"c@example.com\",\"name\":\"c\"}\n\n{\"email\":\"x\",\"name\":\"d\"}\n";
    let file = write(&env, "bad.ndjson", bad);
    let before = env.snapshot();
    import(&env, &[&file, "--generate-passwords"])
        .run()
        .code(7)
        .stderr_has("line 3: column `email`");
    assert_eq!(env.snapshot(), before);
}

fn input_format_overrides_the_extension() {
    let env = TestEnv::new();
    let h = phc(PW);
    let jsonl = format!("{{\"email\":\"{ALICE}\",\"name\":\"alice\",\"password_hash\":\"{h}\"}}\n");
    // JSON lines in a file named .csv: read as CSV it is refused...
    let file = write(&env, "really-jsonl.csv", &jsonl);
    let before = env.snapshot();
    import(&env, &[&file]).run().code(7);
    assert_eq!(env.snapshot(), before);
    // ...and with --input-format it imports.
    import(&env, &[&file, "--input-format", "jsonl"])
        .run()
        .ok()
        .stdout_has("1 created");
    assert!(user_exists(&env, ALICE));

    // CSV in a .json file.
    let file = write(
        &env,
        "really.json",
        format!("email,name,password_hash\n{BOB},bob,{}\n", quoted(&h)),
    );
    import(&env, &[&file, "--input-format", "csv"])
        .run()
        .ok()
        .stdout_has("1 created");
    assert!(user_exists(&env, BOB));
}

fn stdin_input_format_is_sniffed() {
    let env = TestEnv::new();
    let h = phc(PW);
    let arr = format!("  [{{\"email\":\"{ALICE}\",\"name\":\"alice\",\"password_hash\":\"{h}\"}}]");
    import(&env, &["-"])
        .stdin(&arr)
        .run()
        .ok()
        .stdout_has("1 created");
    let lines = format!("{{\"email\":\"{BOB}\",\"name\":\"bob\",\"password_hash\":\"{h}\"}}\n");
    import(&env, &["-"])
        .stdin(&lines)
        .run()
        .ok()
        .stdout_has("1 created");
    let csv = format!("email,name,password_hash\n{CAROL},carol,{}\n", quoted(&h));
    import(&env, &["-"])
        .stdin(&csv)
        .run()
        .ok()
        .stdout_has("1 created");
    for e in [ALICE, BOB, CAROL] {
        assert!(user_exists(&env, e), "{e}");
    }
    // UTF-16 with its byte-order mark (Windows' "Unicode" save) is sniffed as text too.
    let dave = format!("[{{\"email\":\"dave@example.com\",\"name\":\"dave\",\"password_hash\":\"{h}\"}}]");
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(dave.encode_utf16().flat_map(u16::to_le_bytes));
    import(&env, &["-"])
        .stdin_bytes(&utf16)
        .run()
        .ok()
        .stdout_has("1 created");
    assert!(user_exists(&env, "dave@example.com"));
}

fn hostile_csv_files_are_refused_cleanly() {
    let env = TestEnv::new();
    let mut wide_header = String::from("email,name");
    let mut wide_row = String::from("email,name\nalice@example.com,alice");
    for i in 0..10_000 {
        wide_header.push_str(&format!(",c{i}"));
        wide_row.push_str(",x");
    }
    wide_header.push_str("\nalice@example.com,alice\n");
    wide_row.push('\n');
    let cases: [(&str, &[u8]); 7] = [
        (
            "nul.csv",
            b"email,name\nalice@example.com,al\0ice\nbob@example.com,bob\n",
        ),
        (
            "latin1.csv",
            b"email,name\nbob@example.com,bob\nalice@example.com,al\xe9ice\n",
        ),
        (
            "latin1-header.csv",
            b"em\xffail,name\nbob@example.com,bob\n",
        ),
        (
            "open-quote-first.csv",
            b"email,name\n\"alice@example.com,alice\nbob@example.com,bob\n",
        ),
        (
            "open-quote-last.csv",
            b"email,name\nbob@example.com,bob\nalice@example.com,\"alice\n",
        ),
        ("wide-header.csv", wide_header.as_bytes()),
        ("wide-row.csv", wide_row.as_bytes()),
    ];
    for (name, bytes) in cases {
        refused_cleanly(&env, name, bytes, &[]);
    }
}

fn json_nested_ten_thousand_levels_is_a_clean_error() {
    let env = TestEnv::new();
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    refused_cleanly(&env, "deep.json", deep_array.as_bytes(), &[]);
    let deep_obj = format!(
        "[{{\"email\":\"a@example.com\",\"name\":{}1{}}}]",
        "{\"x\":".repeat(10_000),
        "}".repeat(10_000)
    );
    refused_cleanly(&env, "deep-obj.json", deep_obj.as_bytes(), &[]);
    let deep_line = format!(
        "{{\"email\":{}\"a\"{}}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refused_cleanly(&env, "deep.jsonl", deep_line.as_bytes(), &[]);
    // Unclosed, from stdin, sniffed.
    let before = env.snapshot();
    let r = import(&env, &["-"])
        .stdin(&"[".repeat(10_000))
        .run()
        .code(7);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(env.snapshot(), before);
}

fn json_that_is_not_an_array_of_objects_is_refused() {
    let env = TestEnv::new();
    refused_cleanly(&env, "obj.json", br#"{"email":"a@example.com"}"#, &[]);
    refused_cleanly(&env, "nums.json", b"[1,2,3]", &[]);
    refused_cleanly(
        &env,
        "nested.json",
        br#"[{"email":"a@example.com","name":{"first":"a"}}]"#,
        &[],
    );
    refused_cleanly(&env, "empty.csv", b"", &[]);
}

fn existing_email_fails_by_default_with_exit_6_and_nothing_written() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let file = write(
        &env,
        "c.csv",
        format!("email,name,password_hash\n{CAROL},carol,{h}\nBob@Example.com,bob,{h}\n"),
    );
    let before = env.snapshot();
    import(&env, &[&file])
        .run()
        .code(6)
        .stderr_has(BOB)
        .stderr_has("nothing was imported");
    assert_eq!(env.snapshot(), before);
    assert!(!user_exists(&env, CAROL));
}

fn dry_run_writes_nothing_and_reports_what_would_happen() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let file = write(
        &env,
        "d.csv",
        format!(
            "email,name,role,password_hash\n\
             {CAROL},carol,user,{h}\n\
             {ALICE},alice,admin,\n\
             {BOB},bob,user,\n"
        ),
    );
    let before = env.snapshot();
    import(&env, &[&file, "--on-conflict", "update", "--dry-run"])
        .run()
        .ok()
        .stdout_has("1 would be created, 1 would be updated, 0 would be skipped, 1 unchanged")
        .stdout_has("dry run");
    assert_eq!(env.snapshot(), before);

    let r = import(
        &env,
        &[&file, "--on-conflict", "update", "--dry-run", "--json"],
    )
    .run()
    .ok();
    let v = r.json();
    assert_eq!(v["dry_run"], true);
    assert_eq!(
        (&v["created"], &v["updated"], &v["skipped"], &v["unchanged"]),
        (&1.into(), &1.into(), &0.into(), &1.into())
    );
    let results: Vec<(String, String)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_string(),
                r["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            (CAROL.to_string(), "created".to_string()),
            (ALICE.to_string(), "updated".to_string()),
            (BOB.to_string(), "unchanged".to_string()),
        ]
    );
    assert_eq!(env.snapshot(), before);

    // The real run does what the dry run said.
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("1 created, 1 updated, 0 skipped, 1 unchanged");
    assert_eq!(user(&env, ALICE)["role"], "admin");
}

fn dry_run_with_generate_passwords_writes_nothing() {
    let env = TestEnv::new();
    let file = write(&env, "g.csv", format!("email,name\n{ALICE},alice\n"));
    let before = env.snapshot();
    import(&env, &[&file, "--generate-passwords", "--dry-run"])
        .run()
        .ok()
        .stdout_has("1 would be created");
    assert_eq!(env.snapshot(), before);
}

fn rerunning_with_on_conflict_skip_changes_nothing() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let h = quoted(&phc(PW));
    let file = write(
        &env,
        "seed.csv",
        format!(
            "email,name,packages,password_hash\n\
             {ALICE},alice,north,{h}\n\
             {BOB},bob,,{h}\n"
        ),
    );
    import(&env, &[&file, "--on-conflict", "skip"])
        .run()
        .ok()
        .stdout_has("2 created, 0 updated, 0 skipped, 0 unchanged");
    let after_first = env.snapshot();
    import(&env, &[&file, "--on-conflict", "skip"])
        .run()
        .ok()
        .stdout_has("0 created, 0 updated, 2 skipped, 0 unchanged");
    assert_eq!(env.snapshot(), after_first);
    // Skip leaves even a differing existing user alone.
    let changed = write(
        &env,
        "seed2.csv",
        format!("email,name,role,password_hash\n{ALICE},alicia,admin,{h}\n"),
    );
    import(&env, &[&changed, "--on-conflict", "skip"])
        .run()
        .ok()
        .stdout_has("0 created, 0 updated, 1 skipped, 0 unchanged");
    assert_eq!(env.snapshot(), after_first);
}

fn user_add_if_not_exists_is_safe_to_rerun() {
    let env = TestEnv::new();
    let add = |env: &TestEnv| {
        env.admin(&[
            "user",
            "add",
            "--name",
            "alice",
            "--email",
            ALICE,
            "--if-not-exists",
            "--password-stdin",
        ])
        .stdin(&format!("{PW}\n"))
        .run()
    };
    add(&env).ok();
    let first = env.snapshot();
    add(&env).ok();
    assert_eq!(env.snapshot(), first);
}

fn on_conflict_update_changes_role_and_packages() {
    let env = env_with_people();
    let file = write(
        &env,
        "u.csv",
        format!("email,role,packages\n{BOB},admin,north;south\n"),
    );
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("0 created, 1 updated, 0 skipped, 0 unchanged");
    let b = user(&env, BOB);
    assert_eq!(b["role"], "admin");
    assert_eq!(b["name"], "bob", "absent columns are left alone");
    assert_eq!(packages_of(&b), ["north", "south"]);
    // The password was not in the row: it still works.
    assert!(can_login(&env, BOB, PW));

    // Removing a package.
    let file = write(&env, "u2.csv", format!("email,packages\n{BOB},south\n"));
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("1 updated");
    assert_eq!(packages_of(&user(&env, BOB)), ["south"]);

    // The same again: unchanged, and the store is untouched.
    let before = env.snapshot();
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .ok()
        .stdout_has("0 created, 0 updated, 0 skipped, 1 unchanged");
    assert_eq!(env.snapshot(), before);
}


fn non_admin_cannot_import() {
    let env = env_with_people();
    let file = write(&env, "x.csv", format!("email,name\n{CAROL},carol\n"));
    let before = env.users_snapshot();
    env.as_user(
        ALICE,
        PW,
        &["user", "import", &file, "--generate-passwords"],
    )
    .run()
    .code(4);
    assert_eq!(env.users_snapshot(), before);
}

fn export_has_no_secrets() {
    let env = env_with_people();
    for fmt in ["table", "csv", "json", "jsonl"] {
        let r = env
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout_has(ALICE);
        assert!(!r.stdout.contains("argon2"), "{fmt}: {}", r.stdout);
        assert!(!r.stdout.contains("password_hash"), "{fmt}: {}", r.stdout);
        assert!(!r.stdout.contains(PW), "{fmt}: {}", r.stdout);
    }
}

fn export_then_import_update_on_the_same_store_is_all_unchanged() {
    let env = env_with_people();
    // Some optional fields set, so they round-trip too.
    let file = write(
        &env,
        "extra.csv",
        format!(
            "email,full_name,phone,must_change_password,expires_at,status\n\
             {ALICE},\"Liddell, Alice\",+1 555 0100,true,2099-06-30T12:00:00Z,active\n\
             {BOB},,,false,,inactive\n"
        ),
    );
    import(&env, &[&file, "--on-conflict", "update"]).run().ok();
    let n = env.users_json().len();
    for (fmt, input) in [("csv", "csv"), ("json", "json"), ("jsonl", "jsonl")] {
        let out = env
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout;
        let before = env.snapshot();
        import(
            &env,
            &["-", "--on-conflict", "update", "--input-format", input],
        )
        .stdin(&out)
        .run()
        .ok()
        .stdout_has(&format!("0 created, 0 updated, 0 skipped, {n} unchanged"));
        assert_eq!(env.snapshot(), before, "{fmt}");
        // And sniffed from stdin without --input-format.
        import(&env, &["-", "--on-conflict", "update"])
            .stdin(&out)
            .run()
            .ok()
            .stdout_has(&format!("{n} unchanged"));
        assert_eq!(env.snapshot(), before, "{fmt} (sniffed)");
    }
}

fn export_into_an_empty_store_recreates_users_and_assignments() {
    let src = env_with_people();
    let file = write(
        &src,
        "extra.csv",
        format!(
            "email,full_name,phone,role,must_change_password,expires_at,status,packages\n\
             {ALICE},\"Liddell, Alice\",+1 555 0100,admin,true,2099-06-30T12:00:00Z,active,north;south\n\
             {BOB},,,user,false,,inactive,south\n"
        ),
    );
    import(&src, &[&file, "--on-conflict", "update"]).run().ok();
    for fmt in ["csv", "json", "jsonl"] {
        let out = src
            .admin(&["user", "export", "--format", fmt])
            .run()
            .ok()
            .stdout;
        let dst = TestEnv::new();
        create_package(&dst, "north");
        create_package(&dst, "south");
        let name = format!("export.{fmt}");
        let path = write(&dst, &name, &out);
        // The admin exists in both stores with the same fields: unchanged.
        let r = import(
            &dst,
            &[&path, "--on-conflict", "update", "--generate-passwords"],
        )
        .run()
        .ok()
        .stderr_has("2 created, 0 updated, 0 skipped, 1 unchanged");
        assert!(r.stdout.starts_with("email,password\n"), "{}", r.stdout);
        // The admin was there already: their own history is not rewritten.
        let without_admins_history = |mut users: Vec<Value>| {
            for u in users.iter_mut().filter(|u| u["email"] == ADMIN_EMAIL) {
                let u = u.as_object_mut().unwrap();
                u.remove("created_at");
                u.remove("last_login_at");
            }
            users
        };
        assert_eq!(
            without_admins_history(exported(&dst)),
            without_admins_history(exported(&src)),
            "{fmt}"
        );
    }
}

fn deactivate_several_users_by_argument() {
    let env = env_with_people();
    let r = env
        .admin(&["user", "deactivate", ALICE, BOB])
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ALICE}"))
        .stdout_has(&format!("deactivated {BOB}"));
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert!(!can_login(&env, ALICE, PW));
}

fn from_stdin_reads_emails_with_comments_and_blank_lines() {
    let env = env_with_people();
    let list = format!("# leavers, March\n\n{ALICE}\n  Bob@Example.COM   # moved on\n\n# end\n");
    env.admin(&["user", "deactivate", "--from", "-"])
        .stdin(&list)
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ALICE}"))
        .stdout_has(&format!("deactivated {BOB}"));
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert_eq!(user(&env, ADMIN_EMAIL)["status"], "active");
}

fn from_file_combines_with_arguments() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let f = write(
        &env,
        "c.csv",
        format!("email,name,password_hash\n{CAROL},carol,{h}\n"),
    );
    import(&env, &[&f]).run().ok();
    let list = write(&env, "leavers.txt", format!("{ALICE}\n"));
    env.admin(&["user", "deactivate", CAROL, "--from", &list])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, CAROL)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
}

fn unknown_emails_are_all_listed_and_nothing_changes() {
    let env = env_with_people();
    let list = write(
        &env,
        "leavers.txt",
        format!("{ALICE}\nghost1@example.com\n{BOB}\nghost2@example.com\n"),
    );
    let before = env.users_snapshot();
    env.admin(&["user", "deactivate", "--from", &list])
        .run()
        .code(5)
        .stderr_has("ghost1@example.com")
        .stderr_has("ghost2@example.com");
    assert_eq!(env.users_snapshot(), before);
    assert_eq!(user(&env, ALICE)["status"], "active");
}

fn from_file_with_a_bad_line_changes_nothing() {
    let env = env_with_people();
    let list = write(&env, "leavers.txt", format!("{ALICE}\nnot an email\n"));
    let before = env.users_snapshot();
    env.admin(&["user", "offboard", "--from", &list])
        .run()
        .code(7)
        .stderr_has("line 2");
    assert_eq!(env.users_snapshot(), before);
}

fn batch_deactivation_removing_the_last_active_admin_is_refused_whole() {
    let env = env_with_people();
    env.add_user("admin2", ADMIN2, "admin", PW);
    let before = env.users_snapshot();
    // Both admins and a user in one batch: refused, and alice is not deactivated either.
    env.admin(&["user", "deactivate", ALICE, ADMIN2, ADMIN_EMAIL])
        .run()
        .code(6)
        .stderr_has("active admin");
    assert_eq!(env.users_snapshot(), before);
    // The same by filter.
    env.admin(&["user", "deactivate", "--role", "admin"])
        .run()
        .code(6);
    env.admin(&["user", "offboard", "--all"]).run().code(6);
    env.admin(&["user", "delete", "--role", "admin", ALICE])
        .run()
        .code(6);
    // Even as a dry run, the guard applies.
    env.admin(&["user", "deactivate", "--role", "admin", "--dry-run"])
        .run()
        .code(6);
    assert_eq!(env.users_snapshot(), before);
    assert_eq!(user(&env, ALICE)["status"], "active");
    // One admin of the two may go.
    env.admin(&["user", "deactivate", ALICE, ADMIN2])
        .run()
        .ok()
        .stdout_has(&format!("deactivated {ADMIN2}"));
}

fn bulk_dry_run_prints_what_would_change_and_changes_nothing() {
    let env = env_with_people();
    let before = env.snapshot();
    env.admin(&["user", "deactivate", ALICE, BOB, "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would deactivate {ALICE}"))
        .stdout_has(&format!("would deactivate {BOB}"));
    env.admin(&["user", "delete", "--role", "user", "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would delete {ALICE}"))
        .stdout_has(&format!("would delete {BOB}"));
    env.admin(&["user", "offboard", "--package", "north", "--dry-run"])
        .run()
        .ok()
        .stdout_has(&format!("would offboard {ALICE}"));
    assert_eq!(env.snapshot(), before);
}

fn filters_select_users() {
    let env = env_with_people();
    // --package
    let r = env
        .admin(&["user", "deactivate", "--package", "north", "--json"])
        .run()
        .ok();
    let v = r.json();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1, "{v}");
    assert_eq!(arr[0]["email"], ALICE);
    assert_eq!(arr[0]["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
    // --status
    env.admin(&["user", "activate", "--status", "inactive"])
        .run()
        .ok()
        .stdout_has(&format!("activated {ALICE}"));
    assert_eq!(user(&env, ALICE)["status"], "active");
    // --role combined with --status: only active users with role user.
    env.admin(&["user", "deactivate", "--role", "user", "--status", "active"])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    assert_eq!(user(&env, ADMIN_EMAIL)["status"], "active");
    // An unknown package in a filter.
    env.admin(&["user", "deactivate", "--package", "ghost"])
        .run()
        .code(5);
    // --all --dry-run lists everybody.
    let v = env
        .admin(&["user", "activate", "--all", "--dry-run", "--json"])
        .run()
        .ok()
        .json();
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(emails.contains(&ALICE) && emails.contains(&BOB), "{v}");
}

fn targets_are_required() {
    let env = env_with_people();
    env.admin(&["user", "deactivate"]).run().code(2);
}


fn non_admin_cannot_run_bulk_commands() {
    let env = env_with_people();
    let before = env.users_snapshot();
    for cmd in ["activate", "deactivate", "offboard", "unlock", "delete"] {
        env.as_user(ALICE, PW, &["user", cmd, BOB]).run().code(4);
    }
    assert_eq!(env.users_snapshot(), before);
}

fn semicolon_tab_and_utf16_spreadsheets_import_and_cleared_rows_are_skipped() {
    let env = TestEnv::new();
    create_package(&env, "north");
    create_package(&env, "south");
    // A European Excel: `;` between cells, a packages list quoted because it holds the
    // delimiter, and a cleared row left as bare delimiters.
    let semi = format!(
        "email;name;full_name;packages;password\n\
         {ALICE};alice;Zoë Ärger;\"north;south\";{PW}\n\
         ;;;;\n"
    );
    import(&env, &[&write(&env, "semi.csv", semi)])
        .run()
        .ok()
        .stdout_has("1 created, 0 updated, 0 skipped, 0 unchanged");
    let a = user(&env, ALICE);
    assert_eq!(a["full_name"], "Zoë Ärger");
    assert_eq!(packages_of(&a), ["north", "south"]);

    // Tab-separated, as LibreOffice's "Text CSV" with a tab writes it.
    let tsv = format!("email\tname\tpassword\n{BOB}\tbob\t{PW}\n");
    import(&env, &[&write(&env, "staff.tsv", tsv)])
        .run()
        .ok()
        .stdout_has("1 created");
    assert_eq!(user(&env, BOB)["name"], "bob");

    // Excel's "Unicode Text": UTF-16LE with a byte-order mark.
    let text = format!("email,name,full_name,password\r\n{CAROL},carol,Çelik Åse,{PW}\r\n");
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    import(&env, &[&write(&env, "utf16.csv", utf16)])
        .run()
        .ok()
        .stdout_has("1 created");
    assert_eq!(user(&env, CAROL)["full_name"], "Çelik Åse");
    assert!(can_login(&env, CAROL, PW));
}

fn a_windows_1252_file_needs_its_encoding_named_and_then_imports() {
    let env = TestEnv::new();
    // "Zoë" in Windows-1252: ë is the single byte 0xEB.
    let mut bytes = format!("email,name,full_name,password\n{ALICE},alice,Zo").into_bytes();
    bytes.push(0xeb);
    bytes.extend(format!(",{PW}\n").bytes());
    let file = write(&env, "excel.csv", &bytes);
    let before = env.snapshot();
    import(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("line 2: not valid UTF-8")
        .stderr_has("--encoding");
    assert_eq!(env.snapshot(), before, "nothing is imported");

    import(&env, &[&file, "--encoding", "klingon"])
        .run()
        .code(7)
        .stderr_has("unknown encoding `klingon`");
    import(&env, &[&file, "--encoding", "windows-1252"])
        .run()
        .ok()
        .stdout_has("1 created");
    assert_eq!(user(&env, ALICE)["full_name"], "Zoë");
}

fn a_wrong_delimiter_is_named_as_the_problem() {
    let env = TestEnv::new();
    let file = write(&env, "semi.csv", format!("email;name\n{ALICE};alice\n"));
    let before = env.snapshot();
    import(&env, &[&file, "--delimiter", ","])
        .run()
        .code(7)
        .stderr_has("delimiter")
        .stderr_has("--delimiter ';'");
    import(&env, &[&file, "--delimiter", "x"])
        .run()
        .code(7)
        .stderr_has("unsupported delimiter");
    assert_eq!(env.snapshot(), before);
    import(&env, &[&file, "--delimiter", ";", "--generate-passwords"])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["name"], "alice");
}

fn offboarding_a_list_that_names_people_already_gone_needs_ignore_missing() {
    let env = env_with_people();
    let list = write(
        &env,
        "leavers.txt",
        format!("# leavers this week\n{ALICE}\ngone@example.com\n{BOB}\n"),
    );
    let before = env.snapshot();
    env.admin(&["user", "offboard", "--from", &list, "--yes"])
        .run()
        .code(5)
        .stderr_has("`gone@example.com`")
        .stderr_has("--ignore-missing");
    assert_eq!(env.snapshot(), before, "all or nothing without the flag");

    env.admin(&[
        "user",
        "offboard",
        "--from",
        &list,
        "--yes",
        "--ignore-missing",
    ])
    .run()
    .ok()
    .stderr_has("skipped 1 user that does not exist: `gone@example.com`");
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "inactive");
    // Run again: everyone is already offboarded, the missing one still skipped.
    env.admin(&[
        "user",
        "offboard",
        "--from",
        &list,
        "--yes",
        "--ignore-missing",
    ])
    .run()
    .ok();
}

fn a_mistyped_email_gets_a_did_you_mean() {
    let env = env_with_people();
    let before = env.users_snapshot();
    env.admin(&["user", "offboard", "alice@exmaple.com", "bob@example.com", "--yes"])
        .run()
        .code(5)
        .stderr_has("no such user: `alice@exmaple.com`")
        .stderr_has("did you mean `alice@example.com` for `alice@exmaple.com`?");
    assert_eq!(env.users_snapshot(), before);
}
}

#[test]
fn carried_over_history_must_be_a_past_time() {
    let env = TestEnv::new();
    let h = quoted(&phc(PW));
    let csv = format!(
        "email,name,password_hash,created_at,last_login_at\n\
         {ALICE},alice,{h},2999-01-01,\n\
         {BOB},bob,{h},2024-02-30,\n\
         {CAROL},carol,{h},2024-01-15 10:23:45+00,2024-03-01T08:00:00Z\n"
    );
    let file = write(&env, "history.csv", &csv);
    import(&env, &[&file])
        .run()
        .code(7)
        .stderr_has("line 2: column `created_at`: is in the future")
        .stderr_has("line 3: column `created_at`: is not a time");
    let file = write(
        &env,
        "history.csv",
        csv.lines()
            .enumerate()
            .filter(|(i, _)| *i != 1 && *i != 2)
            .map(|(_, l)| format!("{l}\n"))
            .collect::<String>(),
    );
    import(&env, &[&file]).run().ok();
    let carol = user(&env, CAROL);
    assert_eq!(carol["created_at"], "2024-01-15T10:23:45Z");
    assert_eq!(carol["last_login_at"], "2024-03-01T08:00:00Z");
}

#[test]
fn a_jsonl_dry_run_prints_one_object_per_row() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let csv = format!(
        "email,name,role,password_hash\n\
         {ALICE},alice,admin,{h}\n\
         {CAROL},carol,user,{h}\n"
    );
    let file = write(&env, "rows.csv", csv);
    let r = import(
        &env,
        &[
            &file,
            "--on-conflict",
            "update",
            "--dry-run",
            "--format",
            "jsonl",
        ],
    )
    .run()
    .ok();
    let rows = r.json_lines();
    assert_eq!(rows.len(), 2, "{}", r.stdout);
    assert_eq!(rows[0]["email"], ALICE);
    assert_eq!(rows[0]["result"], "updated");
    assert_eq!(rows[0]["changes"]["after"]["role"], "admin");
    assert_eq!(rows[0]["flags"][0], "grants admin");
    assert_eq!(rows[1]["email"], CAROL);
    assert_eq!(rows[1]["result"], "created");
    assert_eq!(rows[1]["id"], Value::Null, "a dry run's new row has no id");
    assert!(rows
        .iter()
        .all(|v| v["dry_run"] == true && v["location"].is_string()));
    assert!(
        r.stderr.contains("1 would be created, 1 would be updated"),
        "{}",
        r.stderr
    );
    env.admin(&["user", "show", CAROL]).run().code(5);
}

#[test]
fn import_must_change_password_is_for_new_users_whose_row_says_nothing() {
    let env = env_with_people();
    let h = quoted(&phc(PW));
    let csv = format!(
        "email,name,password_hash,must_change_password\n\
         {CAROL},carol,{h},\n\
         dave@example.com,dave,{h},false\n"
    );
    let file = write(&env, "new.csv", csv);
    import(&env, &[&file, "--must-change-password"]).run().ok();
    assert_eq!(user(&env, CAROL)["must_change_password"], true);
    assert_eq!(
        user(&env, "dave@example.com")["must_change_password"],
        false
    );
}

#[test]
fn a_user_argument_that_starts_with_hash_is_a_comment_as_in_a_from_file() {
    let env = env_with_people();
    env.admin(&["user", "deactivate", ALICE, "# leaves Friday", "--yes"])
        .run()
        .ok();
    assert_eq!(user(&env, ALICE)["status"], "inactive");
    assert_eq!(user(&env, BOB)["status"], "active");
}

// ---------------------------------------------------------------------------------------
// Files larger than a batch: read, checked and written a batch at a time inside the one
// transaction (a batch is 1,000 rows).
// ---------------------------------------------------------------------------------------

/// A CSV of `n` new users `u{i}@example.com` (line `i + 1`), each with a ready hash of
/// PW and package north on every third row.
fn big_csv(n: usize) -> Vec<String> {
    let hash = quoted(&phc(PW));
    let mut lines = vec!["email,name,packages,password_hash".to_string()];
    for i in 1..=n {
        let pkg = if i % 3 == 0 { "north" } else { "" };
        lines.push(format!("u{i}@example.com,user{i},{pkg},{hash}"));
    }
    lines
}

crate::on_both_stores! {
fn a_file_of_several_batches_is_imported_whole_in_file_order() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let file = write(&env, "big.csv", big_csv(2_500).join("\n"));
    let out = import(&env, &[&file, "--json"]).run().ok().json();
    assert_eq!(out["created"], 2_500, "{}", out["created"]);
    let rows = out["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2_500);
    assert_eq!(rows[0]["email"], "u1@example.com");
    assert_eq!(rows[2_499]["email"], "u2500@example.com");
    assert!(rows.iter().all(|r| r["id"].is_i64() && r["result"] == "created"));
    assert_eq!(env.users_json().len(), 2_501);
    assert_eq!(packages_of(&user(&env, "u2499@example.com")), ["north"]);
    if !on_postgres() {
        assert!(can_login(&env, "u2500@example.com", PW));
    }
    // Again, with updates allowed: every row is known, and (where gatehouse keeps the
    // hashes) nothing changes.
    let again = import(&env, &[&file, "--on-conflict", "update"]).run().ok();
    if on_postgres() {
        again.stdout_has("0 created, 2500 updated, 0 skipped, 0 unchanged");
    } else {
        again.stdout_has("0 created, 0 updated, 0 skipped, 2500 unchanged");
    }
    // A row far from the first of the same (existing) user is still a repeat.
    let mut lines = big_csv(2_500);
    lines.push(lines[5].clone());
    let file = write(&env, "again.csv", lines.join("\n"));
    import(&env, &[&file, "--on-conflict", "update"])
        .run()
        .code(7)
        .stderr_has("line 2502: column `email`: `u5@example.com` appears twice (also at line 6)");
}

fn problems_anywhere_in_a_large_file_are_all_reported_and_nothing_is_written() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let mut lines = big_csv(2_500);
    // Line 10 lacks a name; line 1,600 repeats its email; lines 2,300 and 2,400 repeat
    // those of lines 1,500 and 3 (written by earlier batches); line 2,450 names a package
    // that does not exist.
    lines[9] = lines[9].replace(",user9,", ",,");
    lines[1_599] = lines[1_599].replace("u1599@", "u9@");
    lines[2_399] = lines[2_399].replace("u2399@", "u2@");
    lines[2_299] = lines[2_299].replace("u2299@", "u1499@");
    lines[2_449] = "u2449@example.com,user2449,nowhere,".to_string() + &quoted(&phc(PW));
    let file = write(&env, "big.csv", lines.join("\n"));
    let before = env.snapshot();
    let r = import(&env, &[&file]).run().code(7);
    r.stderr_has("line 10: column `name`")
        .stderr_has("line 1600: column `email`: `u9@example.com` appears twice (also at line 10)")
        .stderr_has("line 2400: column `email`: `u2@example.com` appears twice (also at line 3)")
        .stderr_has("line 2300: column `email`: `u1499@example.com` appears twice (also at line 1500)")
        .stderr_has("no package named `nowhere` (1 row: line 2450)")
        .stderr_has("5 bad rows; nothing was imported");
    assert_eq!(env.snapshot(), before);
}

fn a_dry_run_of_a_large_file_writes_nothing() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let file = write(&env, "big.csv", big_csv(1_200).join("\n"));
    let before = env.snapshot();
    let out = import(&env, &[&file, "--dry-run", "--format", "jsonl"]).run().ok();
    let out = out.stderr_has("1200 would be created");
    let lines = out.json_lines();
    assert_eq!(lines.len(), 1_200);
    assert!(lines.iter().all(|l| l["id"].is_null() && l["dry_run"] == true));
    assert_eq!(lines[1_199]["location"], "line 1201");
    assert_eq!(env.snapshot(), before);
}
}

#[test]
fn bad_quoting_or_a_short_row_deep_in_a_large_file_is_refused_and_nothing_is_written() {
    let env = TestEnv::new();
    create_package(&env, "north");
    let before = env.snapshot();
    for (line, bad, says) in [
        (
            3_001,
            "u3000@example.com,\"user3000,,x",
            "line 3001: a quoted field is never closed",
        ),
        (
            2_000,
            "u1999@example.com,\"user\"1999,,x",
            "line 2000: text after a closing quote",
        ),
        (
            1_500,
            "u1499@example.com,user1499",
            "line 1500: 2 fields where the header has 4",
        ),
    ] {
        let mut lines = big_csv(3_000);
        lines[line - 1] = bad.to_string();
        // CRLF line ends, as a spreadsheet writes them: the line numbers stay right.
        let file = write(&env, "big.csv", lines.join("\r\n"));
        import(&env, &[&file]).run().code(7).stderr_has(says);
        assert_eq!(env.snapshot(), before, "{says}");
    }
}
