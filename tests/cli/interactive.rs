//! The prompts people see, driven through a real pseudo-terminal with `rexpect`: the
//! Add User dialog from its first question to the created user, and the checkbox list
//! of `user deactivate --interactive`.

use crate::support::*;

const PW: &str = "Str0ng-pass-1";
const DOWN: &str = "\x1b[B";

#[test]
fn user_add_asks_like_the_web_dialog() {
    let env = TestEnv::new();
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "create", "south"]).run().ok();
    let mut p = pty(env.admin(&["user", "add"]));

    p.exp_string("Name").unwrap();
    p.send_line("alice").unwrap();
    p.exp_string("Email").unwrap();
    // Validated as typed: a wrong email is refused and asked again.
    p.send_line("alice-at-example").unwrap();
    p.exp_string("has no `@`").unwrap();
    p.send_line("Alice@Example.com").unwrap();
    p.exp_string("Role").unwrap();
    send(&mut p, DOWN); // User -> Admin
    send(&mut p, "\r");
    p.exp_string("Packages").unwrap();
    send(&mut p, DOWN); // north -> south
    send(&mut p, " "); // tick south
    send(&mut p, "\r");
    p.exp_string("Generate one").unwrap();
    send(&mut p, "\r"); // type one
    p.exp_string("New password").unwrap();
    // Judged as typed: a password the policy refuses is asked again at once.
    p.send_line("abc").unwrap();
    p.exp_string("try again").unwrap();
    p.exp_string("New password").unwrap();
    p.send_line(PW).unwrap();
    p.exp_string("Repeat password").unwrap();
    p.send_line(PW).unwrap();
    p.exp_string("Create this user?").unwrap();
    send(&mut p, "y");
    p.exp_string("created alice@example.com").unwrap();
    p.exp_eof().unwrap();

    let r = env
        .admin(&["user", "show", "alice@example.com", "--json"])
        .run()
        .ok();
    let u = r.json();
    assert_eq!(u["name"], "alice");
    assert_eq!(u["role"], "admin");
    assert_eq!(u["packages"], serde_json::json!(["south"]));
    env.as_user("alice@example.com", PW, &["whoami"]).run().ok();
}

#[test]
fn declining_the_summary_changes_nothing() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let mut p = pty(env.admin(&["user", "add", "--role", "user", "--generate-password"]));
    p.exp_string("Name").unwrap();
    p.send_line("bob").unwrap();
    p.exp_string("Email").unwrap();
    p.send_line("bob@example.com").unwrap();
    p.exp_string("Create this user?").unwrap();
    send(&mut p, "n");
    p.exp_eof().unwrap();
    // "No" is a choice with its own exit code, not a usage error.
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 10),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn deactivate_interactive_picks_from_a_checkbox_list() {
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.add_user("bob", "bob@example.com", "user", PW);
    env.add_user("carol", "carol@example.com", "user", PW);
    // Only regular users are offered; `a` ticks them all, then untick carol.
    let mut p = pty(env.admin(&["user", "deactivate", "--interactive", "--role", "user"]));
    p.exp_string("a toggles all").unwrap();
    send(&mut p, "a");
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, " ");
    send(&mut p, "\r");
    p.exp_string("deactivated bob@example.com").unwrap();
    p.exp_eof().unwrap();
    let inactive: Vec<String> = env
        .users_json()
        .into_iter()
        .filter(|u| u["status"] == "inactive")
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(inactive, ["alice@example.com", "bob@example.com"]);
}

#[test]
fn without_a_terminal_nothing_prompts() {
    let env = TestEnv::new();
    env.admin(&["user", "add", "--name", "dave", "--generate-password"])
        .run()
        .code(2)
        .stderr_has("--email");
    env.admin(&["user", "deactivate", "--interactive"])
        .run()
        .code(2)
        .stderr_has("terminal");
}

#[test]
fn the_bulk_confirmation_names_who_and_no_exits_10_changing_nothing() {
    let env = TestEnv::new();
    for i in 1..=7 {
        env.add_user(&format!("u{i}"), &format!("u{i}@example.com"), "user", PW);
    }
    let before = env.snapshot();
    let mut p = pty(env.admin(&["user", "deactivate", "--role", "user"]));
    p.exp_string("Deactivate u1@example.com, u2@example.com")
        .unwrap();
    p.exp_string("and 2 more (7 users)?").unwrap();
    send(&mut p, "n");
    p.exp_eof().unwrap();
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 10),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn leaving_a_picker_with_q_or_esc_cancels_with_exit_10() {
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.add_user("bob", "bob@example.com", "user", PW);
    let before = env.snapshot();
    for key in ["q", "\x1b"] {
        let mut p = pty(env.admin(&["user", "deactivate", "--interactive", "--role", "user"]));
        p.exp_string("a toggles all").unwrap();
        send(&mut p, "a"); // everyone ticked, then left without confirming
        send(&mut p, key);
        p.exp_string("cancelled; nothing was changed").unwrap();
        p.exp_eof().unwrap();
        match p.process().wait().unwrap() {
            rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 10, "{key:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(env.snapshot(), before, "{key:?}");
    }
}

#[test]
fn a_weak_or_mistyped_new_password_is_asked_again_not_thrown_away() {
    let env = TestEnv::empty();
    let mut p = pty(env.cmd(&["init", "--email", ADMIN_EMAIL, "--name", "admin"]));
    // Too short: refused right after it is typed, and asked again.
    p.exp_string("New password").unwrap();
    p.send_line("short").unwrap();
    p.exp_string("try again").unwrap();
    // Two that differ: refused after the second, and asked again.
    p.exp_string("New password").unwrap();
    p.send_line(PW).unwrap();
    p.exp_string("Repeat new password").unwrap();
    p.send_line("Str0ng-pass-2").unwrap();
    p.exp_string("do not match; try again").unwrap();
    p.exp_string("New password").unwrap();
    p.send_line(PW).unwrap();
    p.exp_string("Repeat new password").unwrap();
    p.send_line(PW).unwrap();
    p.exp_string("created admin").unwrap();
    p.exp_eof().unwrap();
    env.as_user(ADMIN_EMAIL, PW, &["whoami"]).run().ok();
}

#[test]
fn the_dialog_can_generate_the_password_and_shows_it_once() {
    let env = TestEnv::new();
    let mut p = pty(env.admin(&["user", "add", "--role", "user"]));
    p.exp_string("Name").unwrap();
    p.send_line("dora").unwrap();
    p.exp_string("Email").unwrap();
    p.send_line("dora@example.com").unwrap();
    p.exp_string("Generate one").unwrap();
    send(&mut p, DOWN);
    send(&mut p, "\r");
    p.exp_string("Create this user?").unwrap();
    send(&mut p, "y");
    p.exp_string("created dora@example.com").unwrap();
    let rest = p.exp_eof().unwrap();
    // The generated password is on the screen once, and it logs in.
    let pw = rest
        .split_whitespace()
        .find(|w| w.len() >= 16 && w.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| panic!("no password shown: {rest}"))
        .to_string();
    env.as_user("dora@example.com", &pw, &["whoami"]).run().ok();
}

/// Ctrl-C in a list (cursor hidden) or at a hidden password prompt (echo off) gives the
/// terminal back as it was: the cursor shown again, and the command dies of the
/// interrupt (a shell says 130), so a loop around it stops.
#[test]
fn ctrl_c_at_a_prompt_restores_the_cursor() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let mut p = pty(env.admin(&["user", "add"]));
    p.exp_string("Name").unwrap();
    p.send_line("erin").unwrap();
    p.exp_string("Email").unwrap();
    p.send_line("erin@example.com").unwrap();
    p.exp_string("Role").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(
        rest.contains("\x1b[?25h"),
        "cursor not shown again: {rest:?}"
    );
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Signaled(_, sig, _) => {
            assert_eq!(sig, rexpect::process::Signal::SIGINT)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(env.snapshot(), before);
}
