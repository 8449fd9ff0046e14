//! `user passwd`: an admin sets a password; sessions end and a lockout clears.

use crate::support::*;

#[test]
fn user_passwd_sets_password_and_revokes_sessions() {
    let env = env_with_users();
    let tok = env.token(BOB, PW);
    env.with_token(&tok, &["whoami"]).run().ok();
    let r = env
        .admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW2))
        .run()
        .ok();
    assert_eq!(r.stdout.trim(), "password changed for bob@example.com");
    env.with_token(&tok, &["whoami"]).run().code(3);
    env.as_user(BOB, PW2, &["whoami"]).run().ok();
    env.as_user(BOB, PW, &["whoami"])
        .run()
        .code(3)
        .stderr_has("invalid email or password");
    // Alice's session is not affected.
    let alice_tok = env.token(ALICE, PW);
    env.admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW))
        .run()
        .ok();
    env.with_token(&alice_tok, &["whoami"]).run().ok();
}

#[test]
fn user_passwd_weak_password_changes_nothing() {
    let env = env_with_users();
    let before = admin_state(&env);
    for pw in ["Ab1-x", "bob@example.com", "bob", "password"] {
        env.admin(&["user", "passwd", BOB, "--password-stdin"])
            .stdin(&pw_line(pw))
            .run()
            .code(7);
        assert_eq!(admin_state(&env), before, "after {pw:?}");
    }
    env.as_user(BOB, PW, &["whoami"]).run().ok();
}

// Each test below runs on SQLite and on PostgreSQL.
#[test]
fn user_passwd_clears_a_lockout() {
    let env = env_with_users();
    for _ in 0..10 {
        env.as_user(BOB, WRONG_PW, &["whoami"]).run().code(3);
    }
    env.as_user(BOB, PW, &["whoami"]).run().code(3);
    env.admin(&["user", "passwd", BOB, "--password-stdin"])
        .stdin(&pw_line(PW2))
        .run()
        .ok();
    env.as_user(BOB, PW2, &["whoami"]).run().ok();
}
