//! `gatehouse review`: the access review, in JSON, CSV and HTML.

use crate::support::*;

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

crate::on_both_stores! {
fn stale_days_is_bounded() {
    let env = TestEnv::new();
    env.admin(&["review", "--stale-days", "4000000000"])
        .run()
        .code(2);
    env.admin(&["review", "--stale-days", "36500"]).run().ok();
}
}
