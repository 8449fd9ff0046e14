//! `user import`: CSV, JSON and JSONL files, bad rows reported where they are and
//! nothing written, conflicts, dry runs, generated passwords, imported hashes, large
//! and hostile files, many importers at once.

// A test that cannot run here says so on stderr rather than passing in silence.
#![allow(clippy::print_stderr)]

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

// 9. Imported hashes that cost more than a login should.

const COSTLY: &str = "$argon2id$v=19$m=262144,t=16,p=16$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";

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

fn foreign_key_violations(env: &TestEnv) -> usize {
    let c = conn(env);
    let mut stmt = c.prepare("PRAGMA foreign_key_check").unwrap();
    let n = stmt.query_map([], |_| Ok(())).unwrap().count();
    n
}

/// Deterministic per-test randomness without a dependency; the seed is printed so a
/// failing run can be repeated.
struct Rng(u64);
impl Rng {
    fn from_clock(what: &str) -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{what}: random seed {seed}");
        }
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

fn restore(env: &TestEnv, pristine: &Path) {
    for p in [env.db.clone(), wal_path(&env.db), shm_path(&env.db)] {
        let _ = fs::remove_file(p);
    }
    fs::copy(pristine, &env.db).unwrap();
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o600)).unwrap();
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

#[test]
fn sixteen_processes_onboard_two_thousand_users_at_once() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let files: Vec<String> = (0..16)
        .map(|p| {
            write(
                &env,
                &format!("batch{p}.csv"),
                users_csv(&format!("p{p}-u"), 125),
            )
        })
        .collect();
    // All sixteen are started before any is waited for.
    let children: Vec<Child> = files
        .iter()
        .map(|f| env.with_token(&token, &["user", "import", f]).spawn())
        .collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    let failed: Vec<String> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.code != 0)
        .map(|(i, r)| format!("batch{i}: exit {} {}", r.code, r.stderr.trim()))
        .collect();
    assert!(failed.is_empty(), "imports failed:\n{}", failed.join("\n"));

    // Every user exists exactly once.
    assert_eq!(count(&env, "SELECT count(*) FROM users"), 2001);
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM (SELECT email FROM users GROUP BY email HAVING count(*) > 1)"
        ),
        0
    );
    let listed: HashSet<String> = env
        .with_token(&token, &["user", "list", "--format", "jsonl"])
        .run()
        .ok()
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["email"].as_str().unwrap().to_string()
        })
        .collect();
    for p in 0..16 {
        for i in 0..125 {
            let e = format!("p{p}-u{i}@example.com");
            assert!(listed.contains(&e), "{e} missing");
        }
    }
    assert_eq!(listed.len(), 2001);
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(integrity(&env), "ok");
    assert_eq!(foreign_key_violations(&env), 0);
}

#[test]
fn readers_keep_working_during_a_long_import() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let rows = 1500;
    let file = write(&env, "long.csv", users_csv("reader-u", rows));
    let mut import = env.with_token(&token, &["user", "import", &file]).spawn();
    let mut reads = 0;
    let mut seen = Vec::new();
    loop {
        let done = import.try_wait().unwrap().is_some();
        let r = env
            .with_token(&token, &["user", "list", "--format", "jsonl"])
            .run();
        assert_eq!(r.code, 0, "a reader failed during the import: {}", r.stderr);
        // A reader sees the store before or after the import, never half of it.
        let n = r.stdout.lines().count();
        assert!(n == 1 || n == rows + 1, "a reader saw {n} users");
        seen.push(n);
        reads += 1;
        if done && reads >= 3 {
            break;
        }
    }
    finish(import).ok();
    assert_eq!(*seen.last().unwrap(), rows + 1);
    // Other read-only commands work too while nothing is running.
    env.with_token(&token, &["audit", "verify"]).run().ok();
}

#[test]
fn sigkill_during_import_leaves_all_or_nothing() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    checkpoint(&env);
    let pristine = env.path().join("pristine.db");
    fs::copy(&env.db, &pristine).unwrap();
    let rows = 500usize;
    let file = write(&env, "crash.csv", users_csv("crash-u", rows));
    let audit_before = count(&env, "SELECT count(*) FROM audit");

    // One uninterrupted run: how long an import takes here (only to spread the kill
    // moments over it) and how many audit entries a complete one leaves.
    let t0 = Instant::now();
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    let full = t0.elapsed();
    let audit_after = count(&env, "SELECT count(*) FROM audit");
    assert_eq!(count(&env, "SELECT count(*) FROM users"), rows as i64 + 1);

    let mut rng = Rng::from_clock("sigkill_during_import");
    let full_ms = full.as_millis() as u64 + 1;
    let (mut none, mut all) = (0, 0);
    // 36 kills at random moments, then one at once (nothing can be written yet) and
    // one well after the import's usual time (everything is), so both outcomes occur.
    for round in 0..38 {
        restore(&env, &pristine);
        let mut child = env.with_token(&token, &["user", "import", &file]).spawn();
        if round == 36 {
            // At once.
        } else if round == 37 {
            std::thread::sleep(Duration::from_millis(full_ms * 3));
        } else if round % 2 == 0 {
            // Anywhere in the run, reading and validating included.
            std::thread::sleep(Duration::from_millis(rng.below(full_ms + full_ms / 5)));
        } else {
            // Aimed at the write: wait until the WAL starts to grow, then a little more.
            let wal = wal_path(&env.db);
            while child.try_wait().unwrap().is_none()
                && fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0
            {
                std::thread::sleep(Duration::from_micros(500));
            }
            std::thread::sleep(Duration::from_micros(rng.below(4_000)));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        // The next command recovers the store; everything must be intact.
        let verify = env.with_token(&token, &["audit", "verify"]).run();
        assert_eq!(
            verify.code, 0,
            "round {round}: audit chain broken after kill: {}",
            verify.stderr
        );
        let listed = env
            .with_token(&token, &["user", "list", "--format", "jsonl"])
            .run()
            .ok();
        let n = listed.stdout.lines().count();
        assert!(
            n == 1 || n == rows + 1,
            "round {round}: {n} users after kill: neither none nor all of {rows}"
        );
        let audit = count(&env, "SELECT count(*) FROM audit");
        if n == 1 {
            none += 1;
            assert_eq!(
                audit, audit_before,
                "round {round}: audit entries of a lost import"
            );
        } else {
            all += 1;
            assert_eq!(
                audit, audit_after,
                "round {round}: audit entries incomplete"
            );
        }
        assert_eq!(integrity(&env), "ok", "round {round}");
        assert_eq!(foreign_key_violations(&env), 0, "round {round}");
        let admins = env
            .with_token(
                &token,
                &[
                    "user", "list", "--role", "admin", "--status", "active", "--json",
                ],
            )
            .run()
            .ok()
            .json();
        assert_eq!(admins.as_array().unwrap().len(), 1, "round {round}");
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!("sigkill_during_import: 38 kills, {none} left nothing, {all} left everything");
    }
    assert!(
        none > 0 && all > 0,
        "both outcomes must occur: {none} left nothing, {all} left everything"
    );
    // The store still takes the import after all that.
    restore(&env, &pristine);
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
}

#[test]
fn a_100_megabyte_line_is_refused_without_echoing_it() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.snapshot();
    let huge = "x".repeat(100 * 1024 * 1024);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "big-name.csv",
            format!("email,name\nbig@example.com,{huge}\n").into_bytes(),
        ),
        (
            "big-email.csv",
            format!("email,name\n{huge}@example.com,big\n").into_bytes(),
        ),
        ("big-header.csv", format!("email,{huge}\n").into_bytes()),
        (
            "big-line.jsonl",
            format!("{{\"email\":\"big@example.com\",\"name\":\"{huge}\"}}\n").into_bytes(),
        ),
    ];
    drop(huge);
    for (name, data) in cases {
        let file = write(&env, name, &data);
        drop(data);
        let r = run_watched(
            env.with_token(&token, &["user", "import", &file, "--generate-passwords"]),
            name,
        );
        let r = refused(r, 7, name);
        // A clear error, not the line itself.
        assert!(
            r.stderr.len() < 64 * 1024,
            "{name}: {} bytes of error output",
            r.stderr.len()
        );
        fs::remove_file(&file).unwrap();
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn hostile_csv_structure_is_refused_or_read_exactly() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.snapshot();
    let h = imported_phc();
    let refused_cases: Vec<(&str, Vec<u8>)> = vec![
        ("only a BOM", b"\xef\xbb\xbf".to_vec()),
        ("header only, no email column", b"name\nbob\n".to_vec()),
        (
            "duplicate column",
            b"email,EMAIL\na@example.com,b@example.com\n".to_vec(),
        ),
        (
            "a row with too few fields",
            b"email,name\na@example.com\n".to_vec(),
        ),
        ("binary junk", junk_bytes(4096)),
        // With its byte-order mark UTF-16 is decoded (see bulk.rs); without one it
        // cannot be told apart from junk and is refused.
        ("UTF-16 text without a byte-order mark", {
            let mut v = vec![];
            for u in "email,name\na@example.com,a\n".encode_utf16() {
                v.extend_from_slice(&u.to_le_bytes());
            }
            v
        }),
        (
            "formula in the email",
            b"email,name,password_hash\n=cmd|' /C calc'!A0,a,x\n".to_vec(),
        ),
    ];
    for (what, data) in &refused_cases {
        let file = write(&env, "hostile.csv", data);
        let r = run_watched(
            env.with_token(&token, &["user", "import", &file, "--generate-passwords"]),
            what,
        );
        refused(r, 7, what);
    }
    assert_eq!(env.snapshot(), before);
    // Quotes, embedded commas and a formula-looking name are data, read exactly.
    let file = write(
        &env,
        "tricky.csv",
        format!("email,name,password_hash\n\"q@example.com\",\"=HYPERLINK(\"\"x\"\")\",\"{h}\"\n"),
    );
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    let u = env
        .with_token(&token, &["user", "show", "q@example.com", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(u["name"], "=HYPERLINK(\"x\")");
}

crate::on_both_stores! {
fn csv_with_text_after_a_closing_quote_is_refused() {
    // RFC 4180: a quoted field ends at its closing quote. The csv crate glues what follows
    // onto the field, so `"a@example.com"x` would import as `a@example.comx`.
    let env = TestEnv::new();
    let before = env.snapshot();
    let file = write(
        &env,
        "stray.csv",
        b"email,name\n\"a@example.com\"x,a\n".as_slice(),
    );
    let r = env
        .admin(&["user", "import", &file, "--generate-passwords"])
        .run();
    refused(r, 7, "text after a closing quote");
    assert_eq!(env.snapshot(), before);
}
}

#[test]
fn reimporting_the_same_hash_is_not_a_password_change() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (hash, changed): (String, String) = conn
        .query_row(
            "SELECT password_hash, password_changed_at FROM users WHERE email = 'bob@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let token = env.token("bob@example.com", PW);
    let file = env.path().join("bob.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"email\":\"bob@example.com\",\"name\":\"Bobby\",\"password_hash\":\"{hash}\"}}\n"
        ),
    )
    .unwrap();
    env.admin(&[
        "user",
        "import",
        file.to_str().unwrap(),
        "--on-conflict",
        "update",
    ])
    .run()
    .ok()
    .stdout_has("1 updated");
    // The name changed, the password did not: the session survives.
    env.with_token(&token, &["whoami"])
        .run()
        .ok()
        .stdout_has("Bobby");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let after: String = conn
        .query_row(
            "SELECT password_changed_at FROM users WHERE email = 'bob@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(after, changed);
}

crate::on_both_stores! {
fn an_import_dry_run_is_refused_when_the_real_run_would_be() {
    let env = TestEnv::new();
    let file = env.path().join("demote.csv");
    std::fs::write(&file, format!("email,status\n{ADMIN_EMAIL},inactive\n")).unwrap();
    let f = file.to_str().unwrap();
    env.admin(&["user", "import", f, "--on-conflict", "update", "--dry-run"])
        .run()
        .code(6);
    env.admin(&["user", "import", f, "--on-conflict", "update"])
        .run()
        .code(6);
}

fn skipped_and_unchanged_rows_report_their_ids() {
    let env = TestEnv::new();
    let file = env.path().join("again.csv");
    std::fs::write(&file, format!("email,name\n{ADMIN_EMAIL},admin\n")).unwrap();
    let r = env
        .admin(&[
            "user",
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            "skip",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["rows"][0]["id"], 1);
    let r = env
        .admin(&[
            "user",
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            "update",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json()["rows"][0]["result"], "unchanged");
    assert_eq!(r.json()["rows"][0]["id"], 1);
}

fn imported_hashes_with_absurd_costs_are_bad_rows() {
    let env = TestEnv::new();
    let file = env.path().join("costly.jsonl");
    let phc = "$argon2id$v=19$m=4000000,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";
    std::fs::write(
        &file,
        format!("{{\"email\":\"c@example.com\",\"name\":\"c\",\"password_hash\":\"{phc}\"}}\n"),
    )
    .unwrap();
    env.admin(&["user", "import", file.to_str().unwrap()])
        .run()
        .code(7)
        .stderr_has("password_hash");
}
}

#[test]
fn an_import_row_longer_than_a_mebibyte_is_refused_by_its_line() {
    let env = TestEnv::new();
    let long = "x".repeat(2 << 20);
    let cases = [
        (
            "csv",
            "line 3",
            format!("email,name\na@example.com,a\nb@example.com,{long}\n"),
        ),
        // A quoted field's line breaks do not make a row shorter.
        (
            "csv",
            "line 3",
            format!(
                "email,name\na@example.com,a\nb@example.com,\"{}\"\n",
                "y\n".repeat(1 << 20)
            ),
        ),
        (
            "jsonl",
            "line 2",
            format!(
                "{{\"email\":\"a@example.com\",\"name\":\"a\"}}\n{{\"email\":\"b@example.com\",\"name\":\"{long}\"}}\n"
            ),
        ),
        // The last line, without a line break.
        (
            "jsonl",
            "line 1",
            format!("{{\"email\":\"a@example.com\",\"name\":\"{long}\"}}"),
        ),
    ];
    for (format, line, text) in cases {
        let r = env
            .admin(&[
                "user",
                "import",
                "-",
                "--input-format",
                format,
                "--generate-passwords",
            ])
            .stdin(&text)
            .run()
            .code(7)
            .stderr_has(&format!("{line}: the row is longer than 1 MiB"));
        // The line is named, never shown.
        assert!(!r.stderr.contains("xxxxxxxx"), "{}", r.stderr);
    }
    assert_eq!(env.users_json().len(), 1, "nothing was imported");
}
