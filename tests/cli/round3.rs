//! What the third attack (issue 23) found on the tool's own side, one test per finding:
//! each failed before its fix. The attacker runs a fake PostgreSQL server, shares a
//! store account through sudo, writes the import file, or damaged the store.

// A test that cannot run here says so on stderr rather than passing in silence.
#![allow(clippy::print_stderr)]

use crate::support::*;

// 9. A hostile or damaged store is a clear error, never a panic.

crate::on_both_stores! {
    fn a_schema_version_no_gatehouse_writes_is_a_store_error() {
        let env = TestEnv::new();
        for forged in ["-1", "0"] {
            match &env.pg {
                Some(pg) => {
                    let mut c = postgres::Client::connect(&pg.install_url, postgres::NoTls)
                        .expect("connect as the installer");
                    c.batch_execute(&format!(
                        "UPDATE gatehouse.schema_version SET version = {forged}"
                    ))
                    .unwrap();
                }
                None => conn(&env)
                    .execute_batch(&format!("PRAGMA user_version = {forged}"))
                    .unwrap(),
            }
            env.admin_pw(&["whoami"])
                .run()
                .code(9)
                .stderr_has(&format!("schema version `{forged}`"))
                .stderr_has("which no gatehouse writes")
                .stderr_has("hint:");
        }
    }
}

// 8. The same email works alike on both stores, and an import file cannot make the
//    tool hold a whole endless line.

crate::on_both_stores! {
    fn an_upper_case_gatehouse_email_logs_in_on_both_stores() {
        let env = TestEnv::new();
        env.as_user(" ADMIN@Example.COM", ADMIN_PW, &["whoami"])
            .run()
            .ok()
            .stdout_has(ADMIN_EMAIL);
    }

    fn an_email_postgresql_reserves_is_refused_clearly() {
        let env = TestEnv::new();
        let add = env
            .admin(&["user", "add", "--name", "pgx", "--email", "pg_x@example.com", "--password-stdin"])
            .stdin("Pgx-secret-pw-1\n")
            .run();
        if env.pg.is_some() {
            // Its login role would be named `pg_x@example.com`, which PostgreSQL keeps.
            add.code(7)
                .stderr_has("start with `pg_`")
                .stderr_has("hint:");
            env.admin(&["user", "show", "pg_x@example.com"]).run().code(5);
        } else {
            add.ok();
        }
    }
}

#[test]
fn an_import_row_longer_than_a_mebibyte_is_refused_by_its_line() {
    let env = TestEnv::new();
    let long = "x".repeat(2 << 20);
    let cases = [
        (
            "csv",
            "line 3",
            format!("email,name\na@example.com,a\nb@example.com,{long}\n"),
        ),
        // A quoted field's line breaks do not make a row shorter.
        (
            "csv",
            "line 3",
            format!(
                "email,name\na@example.com,a\nb@example.com,\"{}\"\n",
                "y\n".repeat(1 << 20)
            ),
        ),
        (
            "jsonl",
            "line 2",
            format!(
                "{{\"email\":\"a@example.com\",\"name\":\"a\"}}\n{{\"email\":\"b@example.com\",\"name\":\"{long}\"}}\n"
            ),
        ),
        // The last line, without a line break.
        (
            "jsonl",
            "line 1",
            format!("{{\"email\":\"a@example.com\",\"name\":\"{long}\"}}"),
        ),
    ];
    for (format, line, text) in cases {
        let r = env
            .admin(&[
                "user",
                "import",
                "-",
                "--input-format",
                format,
                "--generate-passwords",
            ])
            .stdin(&text)
            .run()
            .code(7)
            .stderr_has(&format!("{line}: the row is longer than 1 MiB"));
        // The line is named, never shown.
        assert!(!r.stderr.contains("xxxxxxxx"), "{}", r.stderr);
    }
    assert_eq!(env.users_json().len(), 1, "nothing was imported");
}

// 2. The pager under sudo.

/// A simulated `sudo -u OWNER`: what sudo tells the command about who ran it.
fn under_sudo(cmd: Cmd) -> Cmd {
    cmd.env("SUDO_UID", "4001").env("SUDO_USER", "mallory")
}

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

// 3. No password to a server that asks for it in a form others can read.

/// A fake PostgreSQL server on a loopback port: it answers "no TLS" to an SSLRequest,
/// reads the startup message, sends `answer`, and gives back what the client sent
/// next: nothing when it hung up, else its next message (then the server hangs up).
fn fake_server(answer: Vec<u8>) -> FakeServer {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(WATCHDOG)).unwrap();
        let mut got = Vec::new();
        let message = |s: &mut std::net::TcpStream, got: &mut Vec<u8>| {
            let mut len = [0u8; 4];
            s.read_exact(&mut len).unwrap();
            let mut body = vec![0u8; u32::from_be_bytes(len) as usize - 4];
            s.read_exact(&mut body).unwrap();
            got.extend_from_slice(&len);
            got.extend_from_slice(&body);
            body
        };
        if message(&mut s, &mut got) == [0x04, 0xd2, 0x16, 0x2f] {
            // An SSLRequest: a man in the middle says "no TLS".
            s.write_all(b"N").unwrap();
            message(&mut s, &mut got);
        }
        s.write_all(&answer).unwrap();
        let mut next = Vec::new();
        let mut kind = [0u8];
        if s.read(&mut kind).unwrap_or(0) == 1 {
            next.push(kind[0]);
            message(&mut s, &mut next);
        }
        next
    });
    FakeServer { port, server }
}

struct FakeServer {
    port: u16,
    server: std::thread::JoinHandle<Vec<u8>>,
}

impl FakeServer {
    /// What the client sent after the server's answer; call it once the client ended.
    /// A client that never came fails the test rather than hanging it: a connection of
    /// the test's own, which says nothing, ends the wait.
    fn received(self) -> Vec<u8> {
        let _poke = std::net::TcpStream::connect(("127.0.0.1", self.port));
        drop(_poke);
        self.server
            .join()
            .expect("gatehouse never spoke to the fake server")
    }
}

fn auth_request(code: u32, extra: &[u8]) -> Vec<u8> {
    let mut m = vec![b'R'];
    m.extend_from_slice(&(8 + extra.len() as u32).to_be_bytes());
    m.extend_from_slice(&code.to_be_bytes());
    m.extend_from_slice(extra);
    m
}

#[test]
fn no_password_goes_to_a_server_that_asks_for_it_in_clear_or_md5() {
    let env = TestEnv::empty();
    const PW: &str = "Sup3r-secret-pw";
    for (what, request) in [
        ("the password in clear text", auth_request(3, &[])),
        ("an MD5 digest of the password", auth_request(5, b"salt")),
    ] {
        for sslmode in ["prefer", "disable"] {
            let server = fake_server(request.clone());
            let port = server.port;
            let r = env
                .cmd(&["whoami"])
                .env(
                    "GATEHOUSE_DB",
                    format!("postgres://127.0.0.1:{port}/gh?sslmode={sslmode}"),
                )
                .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
                .env("GATEHOUSE_PASSWORD", PW)
                .run()
                .code(3)
                .stderr_has(&format!("asked for {what}"))
                .stderr_has("require_auth")
                .stderr_has("hint: the password was not sent");
            assert_eq!(
                r.stderr.lines().filter(|l| l.starts_with("error:")).count(),
                1,
                "{}",
                r.stderr
            );
            // The client hung up without answering: no PasswordMessage at all.
            let next = server.received();
            assert!(next.is_empty(), "{what}: the client answered {next:?}");
        }
    }
}

#[test]
fn require_auth_password_lets_the_person_opt_in() {
    let env = TestEnv::empty();
    let server = fake_server(auth_request(3, &[]));
    let port = server.port;
    env.cmd(&["whoami"])
        .env(
            "GATEHOUSE_DB",
            format!("postgres://127.0.0.1:{port}/gh?require_auth=password"),
        )
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", "Opt-in-secret-pw")
        .run();
    let next = server.received();
    assert_eq!(next.first(), Some(&b'p'), "a PasswordMessage");
    assert!(
        contains_bytes(&next, b"Opt-in-secret-pw"),
        "asked for it: sent"
    );
    // A method the string does not know is a usage error, not ignored.
    env.cmd(&["whoami"])
        .env(
            "GATEHOUSE_DB",
            "postgres://127.0.0.1:1/gh?require_auth=plain",
        )
        .env("GATEHOUSE_EMAIL", ADMIN_EMAIL)
        .env("GATEHOUSE_PASSWORD", "x")
        .run()
        .code(2)
        .stderr_has("unknown require_auth method `plain`");
}

#[test]
fn over_tls_the_login_is_bound_to_the_channel() {
    if let Err(why) = crate::pg::available() {
        return crate::pg::skipped(&why);
    }
    if std::env::var_os("GATEHOUSE_TEST_PG_URL").is_some() {
        return crate::pg::skipped("the TLS test starts its own server");
    }
    let (_server, tls) = crate::pg::start_tls().expect("a TLS server");
    let env = TestEnv::empty();
    let at = |extra: &str| {
        format!(
            "host=localhost port={} dbname=gh_store sslmode=verify-full sslrootcert={} {extra}",
            tls.port,
            tls.ca.display()
        )
    };
    env.cmd(&[
        "init",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "admin",
        "--password-stdin",
    ])
    .env(
        "GATEHOUSE_DB",
        at(&format!(
            "user=gh_install password={}",
            crate::pg::INSTALL_PW
        )),
    )
    .stdin(&format!("{ADMIN_PW}\n"))
    .run()
    .ok();
    // With require, a login without SCRAM-SHA-256-PLUS over this TLS session fails:
    // rustls gives the client library the server's certificate to bind to.
    env.as_user(ADMIN_EMAIL, ADMIN_PW, &["whoami"])
        .env("GATEHOUSE_DB", at("channel_binding=require"))
        .run()
        .ok()
        .stdout_has(ADMIN_EMAIL);
}

#[test]
fn under_sudo_pgpass_and_root_certificate_files_named_by_the_person_are_refused() {
    let env = TestEnv::empty();
    let file = write(&env, "pgpass", "*:*:*:*:owner-secret\n");
    for (db, var, what) in [
        (
            format!("postgres://127.0.0.1:1/gh?passfile={file}"),
            None,
            "passfile",
        ),
        (
            "postgres://127.0.0.1:1/gh".to_string(),
            Some("PGPASSFILE"),
            "passfile",
        ),
        (
            format!("host=127.0.0.1 port=1 sslrootcert={file}"),
            None,
            "sslrootcert",
        ),
        (
            "host=127.0.0.1 port=1".to_string(),
            Some("PGSSLROOTCERT"),
            "sslrootcert",
        ),
    ] {
        let mut cmd = under_sudo(env.cmd(&["whoami"]))
            .env("GATEHOUSE_DB", &db)
            .env("GATEHOUSE_EMAIL", ADMIN_EMAIL);
        if let Some(var) = var {
            cmd = cmd.env(var, &file);
        }
        cmd.run()
            .code(4)
            .stderr_has(&format!("refusing to read {what}"))
            .stderr_has("under sudo")
            .stderr_has("hint:");
    }
}
