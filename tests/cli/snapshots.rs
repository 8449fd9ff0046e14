//! Text people read, pinned by snapshots (insta): help, a table, an error. A change to
//! any of them shows up as a diff to review (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test cli snapshots` to accept).

use crate::support::*;

#[test]
fn top_level_help() {
    let r = TestEnv::empty()
        .cmd(&["--help"])
        .env_remove("GATEHOUSE_DB")
        .run()
        .ok();
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn a_user_table_on_a_pipe() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    for (name, email, role) in [
        ("alice", "alice@example.com", "user"),
        ("Bob Builder", "bob@example.com", "admin"),
        ("chloé", "chloe@example.com", "user"),
    ] {
        env.add_user(name, email, role, "Str0ng-pass-1");
    }
    env.admin(&["package", "assign", "north", "--user", "alice@example.com"])
        .run()
        .ok();
    env.admin(&["user", "deactivate", "bob@example.com"])
        .run()
        .ok();
    let r = env.admin(&["user", "list"]).run().ok();
    insta::assert_snapshot!(without_times(&r.stdout));
}

/// The text with each RFC 3339 time (a login a moment ago) written as `[time]`, keeping
/// the columns' widths.
fn without_times(text: &str) -> String {
    let is_time = |w: &str| {
        w.len() == 20
            && w.ends_with('Z')
            && w.as_bytes()[10] == b'T'
            && w[..4].bytes().all(|b| b.is_ascii_digit())
    };
    text.lines()
        .map(|l| {
            l.split(' ')
                .map(|w| {
                    if is_time(w) {
                        "[time              ]"
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn errors_name_the_problem_and_the_way_out() {
    let env = TestEnv::new();
    let r = env
        .admin(&["user", "show", "nobody@example.com"])
        .run()
        .code(5);
    let unknown = env.admin(&["config", "get", "no.such.key"]).run().code(5);
    let denied = env.cmd(&["whoami"]).run().code(3);
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}",
        r.stderr, unknown.stderr, denied.stderr
    ));
}
