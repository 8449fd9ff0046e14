//! Time, moved by the test: the in-process runner takes the clock as an argument, so
//! session lifetimes, lockouts and account expiry are checked at the second they turn,
//! without waiting.

use jiff::{SignedDuration, Timestamp};

use crate::support::*;

const BOB: &str = "bob@example.com";
const PW: &str = "Bob-secret-pw-1";

fn at(base: Timestamp, secs: i64) -> Timestamp {
    base + SignedDuration::from_secs(secs)
}

fn creds() -> [(&'static str, &'static str); 2] {
    [("GATEHOUSE_EMAIL", BOB), ("GATEHOUSE_PASSWORD", PW)]
}

#[test]
fn a_session_lives_exactly_its_ttl() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let t0 = Timestamp::now();
    let r = env.in_process(&creds(), &["login", "--print-token", "--ttl", "30m"], t0);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let token = r.stdout.trim().to_string();
    let with_token = [("GATEHOUSE_TOKEN", token.as_str())];
    let whoami = |secs| env.in_process(&with_token, &["whoami"], at(t0, secs)).code;
    assert_eq!(whoami(30 * 60 - 1), 0, "a second before the end");
    assert_eq!(whoami(30 * 60), 3, "at the end");
    assert_eq!(whoami(30 * 60 + 3600), 3, "long after");
}

#[test]
fn a_lockout_lasts_fifteen_minutes_then_doubles() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let t0 = Timestamp::now();
    let wrong = [
        ("GATEHOUSE_EMAIL", BOB),
        ("GATEHOUSE_PASSWORD", "wrong-password"),
    ];
    for i in 0..10 {
        let r = env.in_process(&wrong, &["whoami"], at(t0, i));
        assert_eq!(r.code, 3);
    }
    // Locked from the 10th failure (at t0 + 9 s) for 15 minutes; attempts meanwhile
    // are refused unverified and not counted.
    let end = 9 + 15 * 60;
    let right = |secs| env.in_process(&creds(), &["whoami"], at(t0, secs)).code;
    assert_eq!(right(end - 1), 3, "still locked");
    // The first failure after the lock (the 11th in a row) locks for twice as long.
    assert_eq!(env.in_process(&wrong, &["whoami"], at(t0, end)).code, 3);
    assert_eq!(right(end + 30 * 60 - 1), 3, "locked for 30 minutes");
    assert_eq!(right(end + 30 * 60), 0, "then the right password works");
}

#[test]
fn an_account_expires_at_its_expiry_to_the_second() {
    let env = TestEnv::new();
    env.add_user("bob", BOB, "user", PW);
    let day = day_from_now(10);
    env.admin(&[
        "user",
        "edit",
        BOB,
        "--expires",
        &format!("{day}T12:00:00Z"),
    ])
    .run()
    .ok();
    let noon: Timestamp = format!("{day}T12:00:00Z").parse().unwrap();
    let whoami = |secs| env.in_process(&creds(), &["whoami"], at(noon, secs));
    assert_eq!(whoami(-1).code, 0, "a second before");
    let r = whoami(0);
    assert_eq!(r.code, 3, "at the expiry");
    assert!(
        r.stderr.contains("invalid email or password"),
        "{}",
        r.stderr
    );
    // The admin sees it as expired from then on.
    let admin = [
        ("GATEHOUSE_EMAIL", ADMIN_EMAIL),
        ("GATEHOUSE_PASSWORD", ADMIN_PW),
    ];
    let shown = env.in_process(&admin, &["user", "show", BOB, "--json"], at(noon, 1));
    assert!(
        shown.stdout.contains("\"expired\":true"),
        "{}",
        shown.stdout
    );
}
