//! Behaviour on a terminal, driven through a pseudo-terminal made by util-linux
//! `script`: hidden prompts asked twice, and a mismatch refused with exit 7.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::*;

/// Runs `gatehouse ARGS` on a pseudo-terminal, typing `input`; returns (exit code, screen).
fn on_terminal(env: &TestEnv, creds: &[(&str, &str)], args: &[&str], input: &str) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_gatehouse");
    let quoted: Vec<String> = std::iter::once(bin)
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &quoted.join(" "), "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.path().join("home"))
        .env("XDG_CONFIG_HOME", env.path().join("config"))
        .env("XDG_DATA_HOME", env.path().join("data"))
        .env("GATEHOUSE_DB", &env.db)
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in creds {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .expect("util-linux `script` is needed for terminal tests");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn admin_creds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GATEHOUSE_EMAIL", ADMIN_EMAIL),
        ("GATEHOUSE_PASSWORD", ADMIN_PW),
    ]
}

#[test]
fn init_asks_twice_and_refuses_a_mismatch() {
    let env = TestEnv::empty();
    let (code, screen) = on_terminal(
        &env,
        &[],
        &["init", "--email", "root@example.com"],
        "Str0ng-pass-1\nStr0ng-pass-2\n",
    );
    assert_eq!(code, 7, "{screen}");
    assert!(screen.contains("do not match"), "{screen}");
    assert!(!env.db.exists(), "a refused init must not create the store");

    let (code, screen) = on_terminal(
        &env,
        &[],
        &["init", "--email", "root@example.com"],
        "Str0ng-pass-1\nStr0ng-pass-1\n",
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("New password:") && screen.contains("Repeat new password:"));
    env.as_user("root@example.com", "Str0ng-pass-1", &["whoami"])
        .run()
        .ok();
}

#[test]
fn user_add_and_passwd_refuse_mismatched_confirmation() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let (code, screen) = on_terminal(
        &env,
        &admin_creds(),
        &[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            "carol@example.com",
        ],
        "Str0ng-pass-1\nStr0ng-pass-X\n",
    );
    assert_eq!(code, 7, "{screen}");
    assert_eq!(env.snapshot(), before);

    env.add_user("dave", "dave@example.com", "user", "Str0ng-pass-1");
    let before = env.users_snapshot();
    let (code, screen) = on_terminal(
        &env,
        &admin_creds(),
        &["user", "passwd", "dave@example.com"],
        "Other-pass-22\nOther-pass-23\n",
    );
    assert_eq!(code, 7, "{screen}");
    assert_eq!(env.users_snapshot(), before);
    env.as_user("dave@example.com", "Str0ng-pass-1", &["whoami"])
        .run()
        .ok();
}

#[test]
fn a_terminal_is_asked_for_credentials() {
    let env = TestEnv::new();
    let (code, screen) = on_terminal(
        &env,
        &[],
        &["whoami"],
        &format!("{ADMIN_EMAIL}\n{ADMIN_PW}\n"),
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Email:") && screen.contains("Password:"),
        "{screen}"
    );
    assert!(
        screen.contains("admin <admin@example.com> (Admin)"),
        "{screen}"
    );
}
