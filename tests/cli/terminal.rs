//! Behaviour on a terminal, driven through a pseudo-terminal: hidden prompts asked
//! twice, a mismatch refused with exit 7, credentials asked for.

use crate::support::*;

#[test]
fn init_asks_twice_and_refuses_a_mismatch() {
    let env = TestEnv::empty();
    let init = || env.cmd(&["init", "--email", "root@example.com"]);
    let (code, screen) = on_terminal(
        init(),
        // Asked again after each mismatch; the third one ends it.
        &[
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-2"),
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-2"),
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-2"),
        ],
    );
    assert_eq!(code, 7, "{screen}");
    assert!(screen.contains("do not match; try again"), "{screen}");
    assert!(!env.db.exists(), "a refused init must not create the store");

    let (code, screen) = on_terminal(
        init(),
        &[
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-1"),
        ],
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
        env.admin(&[
            "user",
            "add",
            "--name",
            "carol",
            "--email",
            "carol@example.com",
        ]),
        &[
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-X"),
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-X"),
            ("New password:", "Str0ng-pass-1"),
            ("Repeat new password:", "Str0ng-pass-X"),
        ],
    );
    assert_eq!(code, 7, "{screen}");
    assert_eq!(env.snapshot(), before);

    env.add_user("dave", "dave@example.com", "user", "Str0ng-pass-1");
    let before = env.users_snapshot();
    let (code, screen) = on_terminal(
        env.admin(&["user", "passwd", "dave@example.com"]),
        &[
            ("New password:", "Other-pass-22"),
            ("Repeat new password:", "Other-pass-23"),
            ("New password:", "Other-pass-22"),
            ("Repeat new password:", "Other-pass-23"),
            ("New password:", "Other-pass-22"),
            ("Repeat new password:", "Other-pass-23"),
        ],
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
        env.cmd(&["me", "show", "--json"]),
        &[("Email:", ADMIN_EMAIL), ("Password:", ADMIN_PW)],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("\"email\":\"admin@example.com\""),
        "{screen}"
    );
}

#[test]
fn whoami_logged_out_says_so_without_asking() {
    let env = TestEnv::new();
    let (code, screen) = on_terminal(env.cmd(&["whoami"]), &[]);
    assert_eq!(code, 3, "{screen}");
    assert!(screen.contains("not logged in"), "{screen}");
    assert!(!screen.contains("Email:"), "{screen}");
}

#[test]
fn tables_on_a_terminal_go_through_the_pager() {
    let env = TestEnv::new();
    let pager = "echo PAGER-START; cat; echo PAGER-END";
    let (code, screen) = on_terminal(env.admin(&["user", "list"]).env("PAGER", pager), &[]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("PAGER-START"), "{screen}");
    // The table (squeezed to the pseudo-terminal's width) is inside the pager's output.
    let inside = screen.split("PAGER-START").nth(1).unwrap();
    let table = inside.split("PAGER-END").next().unwrap();
    assert!(
        inside.contains("PAGER-END") && table.trim().len() > 20,
        "{screen}"
    );
    // --no-pager, PAGER=cat and data formats print straight to the terminal.
    for (cmd, shows) in [
        (
            env.admin(&["user", "list", "--no-pager"])
                .env("PAGER", pager),
            None,
        ),
        (env.admin(&["user", "list"]).env("PAGER", "cat"), None),
        // A pager that is not there must not swallow the output.
        (
            env.admin(&["user", "list"])
                .env("PAGER", "no-such-pager --x"),
            None,
        ),
        (
            env.admin(&["user", "list", "--json"]).env("PAGER", pager),
            Some("admin@example.com"),
        ),
    ] {
        let (code, screen) = on_terminal(cmd, &[]);
        assert_eq!(code, 0, "{screen}");
        assert!(!screen.contains("PAGER-START"), "{screen}");
        assert!(screen.trim().len() > 20, "{screen}");
        if let Some(text) = shows {
            assert!(screen.contains(text), "{screen}");
        }
    }
}
