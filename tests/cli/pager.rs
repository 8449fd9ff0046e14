//! The pager that long output goes through: no shell under sudo, the person's own
//! `less` options kept.

// A test that cannot run here says so on stderr rather than passing in silence.
#![allow(clippy::print_stderr)]

use crate::support::*;

#[test]
fn under_sudo_the_pager_runs_no_shell() {
    if !std::path::Path::new("/usr/bin/less").is_file()
        && !std::path::Path::new("/bin/less").is_file()
    {
        eprintln!("SKIPPED under_sudo_the_pager_runs_no_shell: no less");
        return;
    }
    let env = TestEnv::new();
    // Five rows: the settings table does not fit, so less waits for keys.
    let mut p = pty_of_size(
        under_sudo(env.admin(&["config", "list"]))
            .env("PAGER", "less")
            .env("LC_ALL", "C.UTF-8"),
        100,
        5,
    );
    p.exp_string("packages.users_can_create")
        .expect("the table in the pager");
    // As the store owner, `!` would be a shell (`|` a pipe to one, `v` an editor): the
    // secure pager refuses each at its first key.
    for key in ["!", "|", "v"] {
        send(&mut p, key);
        p.exp_string("Command not available")
            .unwrap_or_else(|e| panic!("`{key}` is available at the pager ({e})"));
        send(&mut p, "\r");
    }
    send(&mut p, "q");
    p.exp_eof().unwrap();

    // A PAGER of the person's choosing is not run as the owner; the table still shows.
    // (A screen it fits: less -F returns at once.)
    let mut p = pty_of_size(
        under_sudo(env.admin(&["config", "list"]))
            .env("PAGER", "echo PAGER-RAN; cat")
            .env("LC_ALL", "C.UTF-8"),
        200,
        50,
    );
    let screen = p.exp_eof().unwrap();
    assert!(!screen.contains("PAGER-RAN"), "{screen}");
    assert!(screen.contains("password.min_length"), "{screen}");
}

#[test]
fn the_pager_keeps_the_persons_own_less_options() {
    let env = TestEnv::new();
    let pager = "echo \"LESS=[$LESS]\"; cat >/dev/null";
    for (less, shown) in [(Some("-S"), "LESS=[-S]"), (None, "LESS=[FRX]")] {
        let mut cmd = env.admin(&["config", "list"]).env("PAGER", pager);
        if let Some(less) = less {
            cmd = cmd.env("LESS", less);
        }
        let (code, screen) = on_terminal(cmd, &[]);
        assert_eq!(code, 0, "{screen}");
        assert!(screen.contains(shown), "{shown}: {screen}");
    }
}
