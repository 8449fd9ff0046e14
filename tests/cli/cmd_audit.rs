//! The audit trail and `audit list`, `audit verify`, `audit checkpoint`: one entry per
//! change or denial, and tampering detected.

use serde_json::Value;

use crate::support::*;

fn entries(env: &TestEnv) -> Vec<Value> {
    let r = env.admin(&["audit", "list", "--json"]).run().ok();
    r.json().as_array().unwrap().clone()
}

/// Runs `args` as admin and returns the entries it wrote (newest first).
fn written_by(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let before = audit_count(env);
    env.admin(args).run().ok();
    let after = audit_count(env);
    entries(env)[..after - before].to_vec()
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
    let before = audit_count(&env);
    env.as_user("bob@example.com", PW, &["user", "deactivate", ADMIN_EMAIL])
        .run()
        .code(4);
    assert_eq!(audit_count(&env), before + 1);
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
