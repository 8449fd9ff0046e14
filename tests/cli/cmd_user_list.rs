//! `user list`, `user show` and `user doctor`: filters, sort orders, columns, every
//! output format, and what a table looks like.

use crate::support::*;

fn list_emails(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut a = vec!["user", "list", "--json"];
    a.extend_from_slice(args);
    emails(&env.admin(&a).run().ok().json())
}

/// admin (admin), carol (admin), bob (user, inactive), alice (user, named "zoe", full
/// name "Alice Liddell"), created in that order; alice logged in once.
fn list_env() -> TestEnv {
    let env = TestEnv::new();
    env.add_user("carol", CAROL, "admin", PW);
    env.add_user("bob", BOB, "user", PW);
    env.add_user("zoe", ALICE, "user", PW);
    env.admin(&["user", "edit", ALICE, "--full-name", "Alice Liddell"])
        .run()
        .ok();
    env.admin(&["user", "deactivate", BOB]).run().ok();
    env.as_user(ALICE, PW, &["whoami"]).run().ok();
    env
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
fn user_list_sort_orders() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &[]),
        [ADMIN_EMAIL, BOB, CAROL, ALICE],
        "default: by name"
    );
    assert_eq!(
        list_emails(&env, &["--sort", "name"]),
        [ADMIN_EMAIL, BOB, CAROL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email"]),
        [ADMIN_EMAIL, ALICE, BOB, CAROL]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "created"]),
        [ADMIN_EMAIL, CAROL, BOB, ALICE]
    );
    // Most recent login first, never-logged-in last. The admin lists with a token
    // (made before alice logged in), so the admin logs in with a password here: later
    // than alice, or in the same second and then first by id — either way first.
    env.as_user(ADMIN_EMAIL, ADMIN_PW, &["whoami"]).run().ok();
    assert_eq!(
        list_emails(&env, &["--sort", "last-login"]),
        [ADMIN_EMAIL, ALICE, CAROL, BOB]
    );
}

crate::on_both_stores! {
fn user_show_by_email_in_any_case_and_by_id() {
    let env = env_with_users();
    let by_email = user_json(&env, "Alice@EXAMPLE.com");
    assert_user_object(&by_email);
    assert_eq!(by_email["email"], ALICE);
    let id = by_email["id"].as_i64().unwrap().to_string();
    let by_id = user_json(&env, &id);
    assert_eq!(by_id["email"], ALICE);
    assert_eq!(by_id["id"], by_email["id"]);
    let r = env.admin(&["user", "show", ALICE]).run().ok();
    assert!(
        r.stdout.contains(ALICE) && r.stdout.contains("Email"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("✓ Active"), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

fn user_list_filters() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &["--role", "admin"]),
        [ADMIN_EMAIL, CAROL]
    );
    assert_eq!(list_emails(&env, &["--role", "user"]), [BOB, ALICE]);
    assert_eq!(list_emails(&env, &["--status", "inactive"]), [BOB]);
    assert_eq!(
        list_emails(&env, &["--status", "active"]),
        [ADMIN_EMAIL, CAROL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--role", "user", "--status", "active"]),
        [ALICE]
    );
    // Search covers email, name and full name, ignoring case.
    assert_eq!(list_emails(&env, &["--search", "LIDDELL"]), [ALICE]);
    assert_eq!(list_emails(&env, &["--search", "Zo"]), [ALICE]);
    assert_eq!(list_emails(&env, &["--search", "BOB@"]), [BOB]);
    assert_eq!(list_emails(&env, &["--search", "%"]), Vec::<String>::new());
    assert_eq!(
        list_emails(&env, &["--search", "no-such-text"]),
        Vec::<String>::new()
    );
}

fn user_list_limit_and_offset() {
    let env = list_env();
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "2"]),
        [ADMIN_EMAIL, ALICE]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "2", "--offset", "1"]),
        [ALICE, BOB]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--offset", "3"]),
        [CAROL]
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--offset", "10"]),
        Vec::<String>::new()
    );
    assert_eq!(
        list_emails(&env, &["--sort", "email", "--limit", "0"]),
        Vec::<String>::new()
    );
}

fn user_list_json_objects_have_every_field() {
    let env = list_env();
    let users = env.users_json();
    assert_eq!(users.len(), 4);
    for u in &users {
        assert_user_object(u);
        let ts = u["created_at"].as_str().unwrap();
        assert!(
            ts.ends_with('Z') && ts.contains('T'),
            "not RFC 3339 UTC: {ts}"
        );
    }
    let bob = users.iter().find(|u| u["email"] == BOB).unwrap();
    assert_eq!(bob["status"], "inactive");
    assert_eq!(bob["last_login_at"], serde_json::Value::Null);
    let alice = users.iter().find(|u| u["email"] == ALICE).unwrap();
    assert_eq!(alice["full_name"], "Alice Liddell");
    assert!(alice["last_login_at"].is_string());
}

fn user_list_csv_has_a_header_row() {
    let env = list_env();
    let r = env
        .admin(&["user", "list", "--format", "csv", "--sort", "email"])
        .run()
        .ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "header + 4 users:\n{}", r.stdout);
    let header: Vec<&str> = lines[0].split(',').collect();
    for col in ["id", "email", "name", "role", "status", "package_count"] {
        assert!(header.contains(&col), "header lacks {col}: {}", lines[0]);
    }
    let email_col = header.iter().position(|c| *c == "email").unwrap();
    let status_col = header.iter().position(|c| *c == "status").unwrap();
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][email_col], ADMIN_EMAIL);
    assert_eq!(rows[2][email_col], BOB);
    assert_eq!(rows[2][status_col], "inactive");

    // A filter matching nobody still prints the header.
    let r = env
        .admin(&[
            "user",
            "list",
            "--format",
            "csv",
            "--search",
            "no-such-text",
        ])
        .run()
        .ok();
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

fn user_list_jsonl_is_one_object_per_line() {
    let env = list_env();
    let r = env
        .admin(&["user", "list", "--format", "jsonl", "--sort", "email"])
        .run()
        .ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    let mut got = Vec::new();
    for l in lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert_user_object(&v);
        got.push(v["email"].as_str().unwrap().to_string());
    }
    assert_eq!(got, [ADMIN_EMAIL, ALICE, BOB, CAROL]);
    // GATEHOUSE_FORMAT selects the format too.
    let r = env
        .admin(&["user", "list"])
        .env("GATEHOUSE_FORMAT", "jsonl")
        .run()
        .ok();
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
}

fn user_list_table_columns_and_status_text() {
    let env = list_env();
    let r = env.admin(&["user", "list"]).run().ok();
    let out = &r.stdout;
    assert!(
        !out.contains('\x1b'),
        "escape codes in piped output: {out:?}"
    );
    let header = out
        .lines()
        .find(|l| l.contains("Name"))
        .unwrap_or_else(|| panic!("no header:\n{out}"));
    let pos: Vec<usize> = ["Name", "Email", "Role", "Status", "Packages"]
        .iter()
        .map(|c| {
            header
                .find(c)
                .unwrap_or_else(|| panic!("no {c} column: {header}"))
        })
        .collect();
    assert!(
        pos.windows(2).all(|w| w[0] < w[1]),
        "column order: {header}"
    );
    let bob = out.lines().find(|l| l.contains(BOB)).unwrap();
    assert!(bob.contains("✗ Inactive") && bob.contains("User"), "{bob}");
    let carol = out.lines().find(|l| l.contains(CAROL)).unwrap();
    assert!(
        carol.contains("✓ Active") && carol.contains("Admin"),
        "{carol}"
    );
    assert!(carol.contains('0'), "package count: {carol}");
    for email in [ADMIN_EMAIL, ALICE, BOB, CAROL] {
        assert!(out.contains(email), "{email} missing:\n{out}");
    }
}

fn user_list_color_always_adds_escape_codes() {
    let env = list_env();
    let r = env.admin(&["user", "list", "--color", "always"]).run().ok();
    assert!(r.stdout.contains('\x1b'), "{:?}", r.stdout);
    assert!(r.stdout.contains("Active"));
    let r = env.admin(&["user", "list", "--color", "never"]).run().ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    // NO_COLOR with the default `auto` (and a pipe): plain.
    let r = env.admin(&["user", "list"]).env("NO_COLOR", "1").run().ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    // CLICOLOR_FORCE colours a pipe too — errors included — unless NO_COLOR says no.
    let r = env
        .admin(&["user", "list"])
        .env("CLICOLOR_FORCE", "1")
        .run()
        .ok();
    assert!(r.stdout.contains('\x1b'), "{:?}", r.stdout);
    let r = env
        .admin(&["user", "show", "nobody@example.com"])
        .env("CLICOLOR_FORCE", "1")
        .run()
        .code(5);
    assert!(r.stderr.contains("\x1b["), "{:?}", r.stderr);
    let r = env
        .admin(&["user", "list"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .run()
        .ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

fn tables_piped_to_a_program_are_plain_aligned_columns() {
    let env = list_env();
    let r = env.admin(&["user", "list"]).run().ok();
    assert!(
        !r.stdout.contains('│') && !r.stdout.contains('─'),
        "{}",
        r.stdout
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("Email"),
        "{}",
        r.stdout
    );
    // Every row starts its Email column where the header does.
    let col = lines[0].find("Email").unwrap();
    for l in &lines[1..] {
        let email = l.split_whitespace().find(|w| w.contains('@')).unwrap();
        let at = l.find(email).unwrap();
        assert_eq!(l[..at].chars().count(), col, "misaligned: {l}");
    }
    // Asked for colour, the table keeps its box.
    let r = env.admin(&["user", "list", "--color", "always"]).run().ok();
    assert!(r.stdout.contains('│'), "{}", r.stdout);
}

fn user_list_shows_chosen_columns_without_headers_and_finds_expired_users() {
    let env = list_env();
    env.admin(&["user", "edit", CAROL, "--expires", "2001-01-01"])
        .run()
        .ok();
    // The default table: ID and the last login too; Alice logged in, Carol never did.
    let r = env.admin(&["user", "list", "--sort", "email"]).run().ok();
    let header: Vec<&str> = r.stdout.lines().next().unwrap().split("  ").filter(|c| !c.is_empty()).map(str::trim).collect();
    assert_eq!(
        header,
        ["ID", "Name", "Email", "Role", "Status", "Packages", "Last login"]
    );
    let line = |email: &str| {
        r.stdout
            .lines()
            .find(|l| l.contains(email))
            .unwrap()
            .to_string()
    };
    assert!(line(CAROL).contains("✗ Expired") && line(CAROL).ends_with("never"), "{}", r.stdout);
    assert!(line(BOB).contains("✗ Inactive"), "{}", r.stdout);
    assert!(!line(ALICE).ends_with("never"), "{}", r.stdout);

    let expired = env
        .admin(&["user", "list", "--status", "expired", "--columns", "email", "--no-headers"])
        .run()
        .ok();
    assert_eq!(expired.stdout, format!("{CAROL}\n"));
    let csv = env
        .admin(&[
            "user", "list", "-o", "csv", "--columns", "email,full-name,status", "--no-headers",
            "--sort", "email",
        ])
        .run()
        .ok();
    assert_eq!(
        csv.stdout,
        format!(
            "{ADMIN_EMAIL},,active\n{ALICE},Alice Liddell,active\n{BOB},,inactive\n{CAROL},,active\n"
        )
    );
    let json = env
        .admin(&["user", "list", "--json", "--columns", "id,email", "--status", "inactive"])
        .run()
        .ok()
        .json();
    let only = json.as_array().unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].as_object().unwrap().len(), 2, "{json}");
    assert_eq!(only[0]["email"], BOB);
    // A column that is not one is refused with the list of those that are.
    env.admin(&["user", "list", "--columns", "email,shoe-size"])
        .run()
        .code(2)
        .stderr_has("full-name");
}
}

#[test]
fn a_user_locked_out_by_failed_logins_is_listed_as_locked() {
    let env = list_env();
    for _ in 0..10 {
        env.as_user(ALICE, WRONG_PW, &["whoami"]).run().code(3);
    }
    let r = env
        .admin(&["user", "list", "--status", "locked"])
        .run()
        .ok();
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", r.stdout);
    assert!(
        rows[0].contains(ALICE) && rows[0].contains("✗ Locked"),
        "{}",
        r.stdout
    );
    env.admin(&["user", "unlock", ALICE]).run().ok();
    env.admin(&["user", "list", "--status", "locked"])
        .run()
        .ok()
        .stderr_has("no users match");
}

crate::on_both_stores! {
fn the_user_table_stays_one_line_per_user_with_unusual_names() {
    let env = TestEnv::new();
    let names = [
        "  padded  ",
        &"w".repeat(64),
        &"é".repeat(64),
        "名前と漢字",
        "emoji 🚚📦",
        "e\u{301}cole",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "a,b;\"c\"",
    ];
    for (i, n) in names.iter().enumerate() {
        add_cmd(&env, n, &format!("odd{i}@example.com"), "Odd-name-secret-1")
            .run()
            .ok();
    }
    // Leading and trailing spaces are trimmed.
    let shown = env
        .admin(&["user", "show", "odd0@example.com", "--json"])
        .run()
        .ok()
        .json();
    assert_eq!(shown["name"], "padded");
    let table = env
        .admin(&["user", "list", "--color", "never"])
        .run()
        .ok()
        .stdout;
    for i in 0..names.len() {
        let email = format!("odd{i}@example.com");
        let lines: Vec<&str> = table.lines().filter(|l| l.contains(&email)).collect();
        assert_eq!(lines.len(), 1, "{email} not on exactly one line:\n{table}");
    }
    for line in table.lines() {
        assert!(
            !line.chars().any(char::is_control),
            "control character in the table: {line:?}"
        );
    }
    // Every user is in the CSV and JSON forms with the name unchanged.
    let json = env.users_json();
    for (i, n) in names.iter().enumerate().skip(1) {
        let email = format!("odd{i}@example.com");
        let u = json.iter().find(|u| u["email"] == email.as_str()).unwrap();
        assert_eq!(u["name"], *n);
    }
    let csv = env
        .admin(&["user", "list", "--format", "csv"])
        .run()
        .ok()
        .stdout;
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    assert_eq!(rdr.records().count(), names.len() + 1);
}
}
