//! The audit trail, the access review, account expiry and `user doctor`.

use serde_json::Value;

use crate::support::*;

const PW: &str = "Str0ng-pass-1";

fn entries(env: &TestEnv) -> Vec<Value> {
    let r = env.admin(&["audit", "list", "--json"]).run().ok();
    r.json().as_array().unwrap().clone()
}

fn count(env: &TestEnv) -> usize {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize
}

/// Runs `args` as admin and returns the entries it wrote (newest first).
fn written_by(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let before = count(env);
    env.admin(args).run().ok();
    let after = count(env);
    entries(env)[..after - before].to_vec()
}

#[test]
fn each_change_writes_one_entry_with_before_and_after() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();

    let e = written_by(
        &env,
        &[
            "user",
            "add",
            "--name",
            "alice",
            "--email",
            "alice@example.com",
            "--generate-password",
        ],
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["action"], "user.add");
    assert_eq!(e[0]["target"], "alice@example.com");
    assert_eq!(e[0]["actor_email"], ADMIN_EMAIL);
    assert_eq!(e[0]["details"]["after"]["role"], "user");
    assert_eq!(e[0]["details"]["password_changed"], true);

    let e = written_by(
        &env,
        &[
            "user",
            "edit",
            "alice@example.com",
            "--name",
            "Alice",
            "--phone",
            "+49 30 1234567",
        ],
    );
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0]["details"]["before"],
        serde_json::json!({ "name": "alice", "phone": null })
    );
    assert_eq!(
        e[0]["details"]["after"],
        serde_json::json!({ "name": "Alice", "phone": "+49 30 1234567" })
    );

    let e = written_by(&env, &["user", "deactivate", "alice@example.com"]);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["action"], "user.deactivate");
    assert_eq!(e[0]["details"]["before"]["status"], "active");
    assert_eq!(e[0]["details"]["after"]["status"], "inactive");

    let e = written_by(&env, &["user", "activate", "alice@example.com"]);
    assert_eq!(
        (e.len(), e[0]["details"]["after"]["status"].clone()),
        (1, "active".into())
    );

    let e = written_by(
        &env,
        &["package", "assign", "north", "--user", "alice@example.com"],
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["details"]["package"], "north");

    let e = written_by(
        &env,
        &["user", "passwd", "alice@example.com", "--generate-password"],
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["details"]["password_changed"], true);

    let e = written_by(&env, &["config", "set", "session.ttl", "2h"]);
    assert_eq!(
        (e.len(), e[0]["details"]["after"].clone()),
        (1, "2h".into())
    );

    // A read writes nothing.
    assert!(written_by(&env, &["user", "list"]).is_empty());
    env.admin(&["audit", "verify"])
        .run()
        .ok()
        .stdout_has("intact");
}

#[test]
fn denied_and_failed_attempts_are_recorded() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    let before = count(&env);
    env.as_user("bob@example.com", PW, &["user", "deactivate", ADMIN_EMAIL])
        .run()
        .code(4);
    assert_eq!(count(&env), before + 1);
    let e = &entries(&env)[0];
    assert_eq!(e["result"], "denied");
    assert_eq!(e["actor_email"], "bob@example.com");
    assert_eq!(e["action"], "user.deactivate");

    env.as_user("bob@example.com", "Wrong-pass-1", &["whoami"])
        .run()
        .code(3);
    let e = &entries(&env)[0];
    assert_eq!(
        (e["action"].clone(), e["result"].clone()),
        ("login".into(), "failed".into())
    );
    assert_eq!(e["target"], "bob@example.com");
    // Nothing in the trail carries a password.
    let all = env
        .admin(&["audit", "list", "--format", "jsonl"])
        .run()
        .ok()
        .stdout;
    for secret in [PW, "Wrong-pass-1", ADMIN_PW, "$argon2"] {
        assert!(!all.contains(secret), "audit trail contains {secret}");
    }
}

#[test]
fn audit_list_filters() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    env.admin(&["user", "deactivate", "bob@example.com"])
        .run()
        .ok();
    let r = env
        .admin(&["audit", "list", "--action", "user.deactivate", "--json"])
        .run()
        .ok();
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = env
        .admin(&["audit", "list", "--target", "BOB@example.com", "--json"])
        .run()
        .ok();
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    let r = env
        .admin(&[
            "audit",
            "list",
            "--since",
            "2000-01-01",
            "--limit",
            "1",
            "--json",
        ])
        .run()
        .ok();
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = env
        .admin(&["audit", "list", "--until", "2000-01-01", "--json"])
        .run()
        .ok();
    assert!(r.json().as_array().unwrap().is_empty());
    env.admin(&["audit", "list", "--since", "yesterday-ish"])
        .run()
        .code(7);
    env.as_user("bob@example.com", PW, &["audit", "list"])
        .run()
        .code(3);
}

#[test]
fn the_trail_cannot_be_changed_through_sqlite_and_tampering_is_detected() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    env.admin(&["user", "deactivate", "bob@example.com"])
        .run()
        .ok();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    assert!(conn
        .execute("UPDATE audit SET actor_email = 'x' WHERE id = 2", [])
        .is_err());
    assert!(conn.execute("DELETE FROM audit WHERE id = 2", []).is_err());

    // With the triggers dropped by hand, an edit is caught and named.
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    conn.execute(
        "UPDATE audit SET target = 'mallory@example.com' WHERE id = 2",
        [],
    )
    .unwrap();
    drop(conn);
    env.admin(&["audit", "verify"])
        .run()
        .code(8)
        .stderr_has("entry 2");

    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    env.admin(&["user", "deactivate", "bob@example.com"])
        .run()
        .ok();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_delete;").unwrap();
    conn.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
    drop(conn);
    env.admin(&["audit", "verify", "--json"])
        .run()
        .code(8)
        .stderr_has("entry 2")
        .stderr_has("\"integrity\"");
}

#[test]
fn review_json_lists_the_findings() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "create", "orphan"]).run().ok();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.admin(&["package", "assign", "north", "--user", "alice@example.com"])
        .run()
        .ok();
    env.admin(&["user", "deactivate", "alice@example.com"])
        .run()
        .ok();
    env.admin(&[
        "user",
        "add",
        "--name",
        "carol",
        "--email",
        "carol@example.com",
        "--generate-password",
        "--must-change-password",
        "--expires",
        "2020-01-01",
    ])
    .run()
    .ok();
    env.add_user("dave", "dave@example.com", "user", PW);

    let r = env.admin(&["review", "--json"]).run().ok();
    let v = r.json();
    let emails = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} missing"))
            .iter()
            .map(|u| u["email"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(emails("inactive_with_packages"), ["alice@example.com"]);
    assert!(emails("never_logged_in").contains(&"dave@example.com".to_string()));
    assert_eq!(emails("expired"), ["carol@example.com"]);
    assert_eq!(emails("pending_password_change"), ["carol@example.com"]);
    assert_eq!(emails("admins"), [ADMIN_EMAIL]);
    let orphans: Vec<&str> = v["admin_only_packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        orphans,
        ["north", "orphan"],
        "alice is inactive, so nobody but admins reaches north"
    );
    assert_eq!(v["summary"]["users"], 4);
    env.as_user("dave@example.com", PW, &["review"])
        .run()
        .code(4);
}

#[test]
fn review_html_is_one_self_contained_page() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "<script>alert(1)</script>"])
        .run()
        .ok();
    env.add_user("alice", "alice@example.com", "user", PW);
    let r = env.admin(&["review", "--format", "html"]).run().ok();
    let page = r.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    for external in [
        "http://", "https://", "<script", "<link", "src=", "@import", "url(",
    ] {
        assert!(!page.contains(external), "the page refers to {external}");
    }
    assert!(page.contains("&lt;script&gt;"), "names are escaped");
    assert!(page.contains("Access matrix") && page.contains("alice@example.com"));
    assert!(page.contains("@media print"));
    env.admin(&["user", "list", "--format", "html"])
        .run()
        .code(2);
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
fn the_last_admin_cannot_be_given_an_expiry() {
    let env = TestEnv::new();
    env.admin(&["user", "edit", ADMIN_EMAIL, "--expires", "2999-01-01"])
        .run()
        .code(6);
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
    let audit_before = count(&env);
    env.with_token(&token, &["whoami"]).run().ok();
    assert_eq!(count(&env), audit_before);
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
fn doctor_names_the_cause() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.admin(&["package", "assign", "north", "--user", "alice@example.com"])
        .run()
        .ok();
    let r = env
        .admin(&["user", "doctor", "alice@example.com", "--json"])
        .run()
        .ok();
    assert_eq!(r.json()["can_log_in"], true);
    assert_eq!(
        r.json()["packages"][0],
        serde_json::json!({ "name": "north", "arm": "assigned", "status": "active" })
    );
    env.admin(&["user", "doctor", "alice@example.com"])
        .run()
        .ok()
        .stdout_has("nothing prevents");

    env.admin(&["user", "deactivate", "alice@example.com"])
        .run()
        .ok();
    let r = env
        .admin(&["user", "doctor", "alice@example.com"])
        .run()
        .ok();
    assert!(
        r.stdout.contains("is inactive") && r.stdout.contains("gatehouse user activate"),
        "{}",
        r.stdout
    );
    env.admin(&["user", "activate", "alice@example.com"])
        .run()
        .ok();

    for _ in 0..10 {
        env.as_user("alice@example.com", "Wrong-pass-1", &["whoami"])
            .run()
            .code(3);
    }
    let r = env
        .admin(&["user", "doctor", "alice@example.com", "--json"])
        .run()
        .ok();
    assert_eq!(r.json()["problems"][0]["code"], "locked");
    env.admin(&["user", "doctor", "alice@example.com"])
        .run()
        .ok()
        .stdout_has("locked until");
    env.admin(&["user", "unlock", "alice@example.com"])
        .run()
        .ok();

    env.admin(&[
        "user",
        "edit",
        "alice@example.com",
        "--expires",
        "2021-01-01",
    ])
    .run()
    .ok();
    env.admin(&["user", "doctor", "alice@example.com"])
        .run()
        .ok()
        .stdout_has("expired");

    env.admin(&["user", "doctor", "alice@exmaple.com"])
        .run()
        .code(5)
        .stderr_has("did you mean `alice@example.com`")
        .stderr_has("check if the email was entered correctly");
}

#[test]
fn each_package_command_is_audited_under_its_own_name() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    for args in [
        vec!["package", "create", "north"],
        vec!["package", "assign", "north", "--user", "bob@example.com"],
        vec!["package", "unassign", "north", "--user", "bob@example.com"],
        vec!["package", "deactivate", "north"],
        vec!["package", "activate", "north"],
        vec!["package", "edit", "north", "--description", "d"],
        vec!["package", "delete", "north", "--yes"],
    ] {
        let action = format!("{}.{}", args[0], args[1]);
        let written = written_by(&env, &args);
        assert_eq!(written.len(), 1, "{args:?}: {written:?}");
        assert_eq!(written[0]["action"], action.as_str());
        let found = env
            .admin(&["audit", "list", "--action", &action, "--json"])
            .run()
            .ok()
            .json();
        assert_eq!(found.as_array().unwrap().len(), 1, "{action}");
    }
}

#[test]
fn a_denial_found_inside_the_write_is_recorded() {
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", PW);
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "assign", "north", "--user", "bob@example.com"])
        .run()
        .ok();
    // Only decided under the write lock: bob sees `north` but did not create it.
    env.as_user("bob@example.com", PW, &["package", "deactivate", "north"])
        .run()
        .code(4);
    let denied = env
        .admin(&["audit", "list", "--action", "package.deactivate", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(denied[0]["result"], "denied");
    assert_eq!(denied[0]["actor_email"], "bob@example.com");
    assert_eq!(denied[0]["target"], "north");
}

/// The review is a set of rules over every user; check each section against the same
/// rules applied here to `user list --json`, in every form the report takes.
#[test]
fn review_sections_are_the_rules_applied_to_every_user() {
    use jiff::{SignedDuration, Timestamp};
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    let day = |d: i64| {
        (Timestamp::now() + SignedDuration::from_hours(24 * d))
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    /// name, role, active, holds a package, expires in days, last login days ago, must change
    type Case = (
        &'static str,
        &'static str,
        bool,
        bool,
        Option<i64>,
        Option<i64>,
        bool,
    );
    let cases: [Case; 8] = [
        ("u-a", "user", true, true, None, Some(200), false),
        ("u-b", "user", false, true, None, None, false),
        ("u-c", "admin", true, false, None, Some(5), false),
        ("u-d", "user", true, false, Some(-10), None, true),
        ("u-e", "user", true, false, Some(10), Some(1), false),
        ("u-f", "user", true, true, Some(100), None, false),
        ("u-g", "user", false, false, None, Some(300), true),
        ("u-h", "admin", false, false, None, None, false),
    ];
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for (name, role, active, package, expires, login, must) in cases {
        let email = format!("{name}@example.com");
        env.add_user(name, &email, role, PW);
        if package {
            env.admin(&["package", "assign", "north", "--user", &email])
                .run()
                .ok();
        }
        conn.execute(
            "UPDATE users SET status = ?1, expires_at = ?2, last_login_at = ?3, \
             must_change_password = ?4 WHERE email = ?5",
            rusqlite::params![
                if active { "active" } else { "inactive" },
                expires.map(day),
                login.map(|d| day(-d)),
                must,
                email
            ],
        )
        .unwrap();
    }
    let users = env.users_json();
    let (now, stale, soon) = (day(0), day(-90), day(30));
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().map(str::to_string);
    let pick = |keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<String> {
        users
            .iter()
            .filter(|u| keep(u))
            .map(|u| s(u, "email").unwrap())
            .collect()
    };
    let active = |u: &serde_json::Value| u["status"] == "active";
    let expected = [
        ("admins", pick(&|u| u["role"] == "admin")),
        (
            "inactive_with_packages",
            pick(&|u| !active(u) && u["package_count"] != 0),
        ),
        (
            "not_seen",
            pick(&|u| active(u) && s(u, "last_login_at").is_some_and(|t| t < stale)),
        ),
        (
            "never_logged_in",
            pick(&|u| active(u) && u["last_login_at"].is_null()),
        ),
        (
            "expired",
            pick(&|u| s(u, "expires_at").is_some_and(|t| t <= now)),
        ),
        (
            "expiring_soon",
            pick(&|u| s(u, "expires_at").is_some_and(|t| t > now && t <= soon)),
        ),
        (
            "pending_password_change",
            pick(&|u| u["must_change_password"] == true),
        ),
    ];
    let doc = env.admin(&["review", "--json"]).run().ok().json();
    for (key, want) in &expected {
        assert!(!want.is_empty(), "{key}: the store should exercise it");
        let got: Vec<String> = doc[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| s(u, "email").unwrap())
            .collect();
        assert_eq!(&got, want, "{key} in review --json");
        let name = key.replace('_', "-");
        let csv = env
            .admin(&["review", "--section", &name, "--format", "csv"])
            .run()
            .ok()
            .stdout;
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        let got: Vec<String> = rdr.records().map(|r| r.unwrap()[1].to_string()).collect();
        assert_eq!(&got, want, "{key} in review --section {name} --format csv");
        assert_eq!(doc["summary"][key], want.len(), "{key} count");
    }
    // The page shows the first rows of a section and says how to get the rest.
    let page = env
        .admin(&["review", "--format", "html", "--html-rows", "1"])
        .run()
        .ok()
        .stdout;
    assert!(page.contains("Showing the first 1 of 3"), "{page}");
    assert!(page.contains("gatehouse review --section never-logged-in --format csv"));
    assert!(page.contains("Showing 1 of 9 users"), "{page}");
}

/// On an 80-column terminal the table fits, and each entry says what changed in words.
#[test]
fn audit_list_at_80_columns_says_what_changed() {
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", "Str0ng-pass-1");
    env.admin(&["user", "deactivate", "alice@example.com"])
        .run()
        .ok();
    env.admin(&["config", "set", "session.ttl", "2h"])
        .run()
        .ok();
    let mut p = pty_of_width(env.admin(&["audit", "list", "--limit", "3"]), 80);
    // The terminal's bytes, as rexpect hands them over one char each.
    let bytes: Vec<u8> = p.exp_eof().unwrap().chars().map(|c| c as u8).collect();
    let screen = String::from_utf8(bytes).unwrap();
    for line in screen.lines() {
        let width = unicode_width::UnicodeWidthStr::width(line.trim_end_matches('\r'));
        assert!(width <= 80, "{width} columns: {line}\n{screen}");
    }
    let flat: String = screen
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .join("\n");
    // A wrapped cell goes on in the next lines: the Details column, read down.
    let words: String = flat
        .lines()
        .filter_map(|l| l.trim_end_matches('│').rsplit('┆').next())
        .flat_map(|cell| cell.split_whitespace())
        .collect();
    assert!(words.contains("status:active→inactive"), "{flat}");
    assert!(words.contains("1h→2h"), "{flat}");
    assert!(!flat.contains("{\""), "raw JSON in the table:\n{flat}");
    // The day is never broken.
    assert!(flat.contains("┆ 2026-") || flat.contains("┆ 20"), "{flat}");
    assert!(!flat.lines().any(|l| l.contains("┆ 28 ")), "{flat}");
}

/// `review --format csv` is always one table a program can read: the sections and their
/// counts, or with `--section` that section's rows.
#[test]
fn review_csv_is_one_table_whatever_is_asked() {
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", "Str0ng-pass-1");
    let out = env.admin(&["review", "--format", "csv"]).run().ok().stdout;
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["section", "count", "title", "about"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 8, "{out}");
    for row in &rows {
        let count: u64 = row[1].parse().unwrap();
        let one = env
            .admin(&["review", "--section", &row[0], "--format", "csv"])
            .run()
            .ok()
            .stdout;
        let mut section = csv::Reader::from_reader(one.as_bytes());
        let n = section
            .records()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .len() as u64;
        assert_eq!(n, count, "{}: {one}", &row[0]);
    }
}
