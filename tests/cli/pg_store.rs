//! What only a PostgreSQL store has: moving a whole store there and back, checking it
//! for drift, its connection errors, and many people writing to one server at once.
//! Each test starts a private server (see `pg.rs`), or says in one line why it cannot.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::*;

const PW: &str = "Str0ng-pass-1";

/// The users as `user export --json` shows them, by email, without what a copy
/// rightly changes (ids stay; last logins are stamped by the commands that read them, and
/// a password set on the way changes `updated_at`).
fn exported(env: &TestEnv, db: &str, email: &str, pw: &str) -> BTreeMap<String, Value> {
    let r = env
        .as_user(email, pw, &["user", "export", "--json"])
        .env("GATEHOUSE_DB", db)
        .run()
        .ok();
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let mut u = u.clone();
            let o = u.as_object_mut().unwrap();
            o.remove("last_login_at");
            o.remove("updated_at");
            (u["email"].as_str().unwrap().to_string(), u)
        })
        .collect()
}

#[test]
fn a_store_moves_to_postgres_and_back_whole_and_its_chain_still_verifies() {
    let Some(on) = use_postgres() else { return };
    // The server for the target; the source is a SQLite store.
    let server = TestEnv::empty();
    drop(on);
    let sqlite = TestEnv::new();
    sqlite.add_user("alice", "alice@example.com", "user", PW);
    sqlite.add_user("bob", "bob@example.com", "admin", PW);
    sqlite
        .admin(&[
            "package",
            "create",
            "north",
            "--description",
            r"C:\depot 'north', 50%",
        ])
        .run()
        .ok();
    sqlite
        .as_user("alice@example.com", PW, &["package", "create", "Alices"])
        .run()
        .ok();
    sqlite
        .admin(&["package", "assign", "north", "--user", "alice@example.com"])
        .run()
        .ok();
    sqlite
        .admin(&["config", "set", "packages.users_can_create", "off"])
        .run()
        .ok();
    let install = server.pg.as_ref().unwrap().install_url.clone();
    let person = server.db.to_str().unwrap().to_string();
    let sqlite_db = sqlite.db.to_str().unwrap().to_string();
    let before = exported(&sqlite, &sqlite_db, ADMIN_EMAIL, ADMIN_PW);

    // Without an admin to keep their password there, nobody could log in: refused.
    sqlite
        .cmd(&["store", "copy", "--to", &install])
        .run()
        .code(3)
        .stderr_has("keep their password");
    let copied = sqlite
        .as_user(
            ADMIN_EMAIL,
            ADMIN_PW,
            &["store", "copy", "--to", &install, "--json"],
        )
        .run()
        .ok();
    let v = copied.json();
    assert_eq!(v["users"], 3);
    assert_eq!(v["packages"], 2);
    assert_eq!(v["audit_intact"], true);
    assert_eq!(
        v["need_password"],
        serde_json::json!(["alice@example.com", "bob@example.com"]),
        "everyone but the admin who copied needs a password there"
    );
    assert!(
        !copied.stderr.contains(crate::pg::INSTALL_PW),
        "{}",
        copied.stderr
    );
    // On the server: the same users and packages, the rule enforced, the chain intact.
    assert_eq!(exported(&server, &person, ADMIN_EMAIL, ADMIN_PW), before);
    server
        .admin(&["audit", "verify"])
        .run()
        .ok()
        .stdout_has("intact");
    server
        .as_user("alice@example.com", PW, &["whoami"])
        .run()
        .code(3);
    server
        .admin(&["user", "passwd", "alice@example.com", "--password-stdin"])
        .stdin("Alice-new-pass-9\n")
        .run()
        .ok();
    let alice = server
        .as_user(
            "alice@example.com",
            "Alice-new-pass-9",
            &["package", "list", "--json"],
        )
        .run()
        .ok()
        .json();
    let names: Vec<&str> = alice
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alices", "north"]);
    // A store is never copied over.
    sqlite
        .as_user(ADMIN_EMAIL, ADMIN_PW, &["store", "copy", "--to", &install])
        .run()
        .code(6)
        .stderr_has("already holds");

    // And back to a new SQLite file: hashes came along, so passwords still work there.
    let back = sqlite.path().join("back").join("gatehouse.db");
    let back_db = back.to_str().unwrap().to_string();
    let r = sqlite
        .cmd(&["store", "copy", "--from", &install])
        .env("GATEHOUSE_DB", &back_db)
        .run()
        .ok();
    assert!(r.stderr.contains("verifies"), "{}", r.stderr);
    sqlite
        .as_user("bob@example.com", PW, &["whoami"])
        .env("GATEHOUSE_DB", &back_db)
        .run()
        .ok();
    sqlite
        .as_user("alice@example.com", "Alice-new-pass-9", &["whoami"])
        .env("GATEHOUSE_DB", &back_db)
        .run()
        .ok();
    sqlite
        .admin_pw(&["audit", "verify"])
        .env("GATEHOUSE_DB", &back_db)
        .run()
        .ok()
        .stdout_has("intact");
    let after = exported(&sqlite, &back_db, ADMIN_EMAIL, ADMIN_PW);
    assert_eq!(after, before);
}

#[test]
fn store_doctor_names_each_drift_from_what_init_laid_down() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    let install = env.pg.as_ref().unwrap().install_url.clone();
    env.cmd(&["store", "doctor"])
        .env("GATEHOUSE_DB", &install)
        .run()
        .ok()
        .stderr_has("matches this version");
    env.add_user("alice", "alice@example.com", "user", PW);
    let mut c = postgres::Client::connect(&install, postgres::NoTls).unwrap();
    c.batch_execute(
        "GRANT SELECT ON gatehouse.users TO gatehouse_person; \
         ALTER TABLE gatehouse.packages NO FORCE ROW LEVEL SECURITY; \
         CREATE POLICY sneaky ON gatehouse.packages FOR SELECT TO gatehouse_person USING (true); \
         ALTER TABLE gatehouse.assignments DISABLE TRIGGER audit_assignments_insert;",
    )
    .unwrap();
    // What only a superuser may do, done by one.
    env.superuser()
        .batch_execute("ALTER ROLE \"alice@example.com\" BYPASSRLS")
        .unwrap();
    let r = env
        .cmd(&["store", "doctor", "--json"])
        .env("GATEHOUSE_DB", &install)
        .run()
        .code(8);
    let drift: Vec<String> = serde_json::from_str::<Value>(r.stdout.trim()).unwrap()["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    for expected in [
        "persons may read `users.password_hash`",
        "table `packages` does not force row-level security",
        "policy `sneaky` on `packages` is not one gatehouse made",
        "person role `alice@example.com` holds BYPASSRLS",
        "trigger `audit_assignments_insert` on `assignments` is disabled",
    ] {
        assert!(
            drift.iter().any(|d| d.contains(expected)),
            "{expected:?} not in {drift:?}"
        );
    }
}

#[test]
fn connection_problems_are_exit_9_naming_the_server_never_the_password() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    // Nothing listens on port 1.
    let r = env
        .as_user(ADMIN_EMAIL, ADMIN_PW, &["whoami"])
        .env(
            "GATEHOUSE_DB",
            "postgres://someone:Hunter2-secret@127.0.0.1:1/gh",
        )
        .run()
        .code(9);
    assert!(r.stderr.contains("127.0.0.1:1"), "{}", r.stderr);
    assert!(!r.stderr.contains("Hunter2"), "{}", r.stderr);
    // A parameter libpq would not know either is a usage error, not ignored.
    env.admin(&["whoami"])
        .env(
            "GATEHOUSE_DB",
            format!("{} sslmod=require", env.db.display()),
        )
        .run()
        .code(2)
        .stderr_has("sslmod");
    env.admin(&["whoami"])
        .env("GATEHOUSE_DB", "postgres://h/db?colour=blue")
        .run()
        .code(2);
    // A database without a store, and a schema newer than this build: exit 9.
    let install = env.pg.as_ref().unwrap().install_url.clone();
    let mut c = postgres::Client::connect(&install, postgres::NoTls).unwrap();
    c.batch_execute("CREATE DATABASE empty_one").unwrap();
    env.admin(&["whoami"])
        .env(
            "GATEHOUSE_DB",
            format!("{} dbname=empty_one", env.db.display()),
        )
        .run()
        .code(9);
    c.batch_execute(
        "SET ROLE gatehouse_owner; UPDATE gatehouse.schema_version SET version = 99; RESET ROLE",
    )
    .unwrap();
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("newer than this gatehouse");
}

#[test]
fn sixteen_processes_onboard_two_thousand_users_at_once() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    // One hash for everyone: the server's work is the subject here, not argon2's.
    let hash = env
        .admin(&[
            "user",
            "add",
            "--email",
            "seed@example.com",
            "--name",
            "seed",
            "--password-stdin",
        ])
        .stdin(&format!("{PW}\n"))
        .run()
        .ok();
    drop(hash);
    let phc = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(
                PW.as_bytes(),
                &SaltString::encode_b64(b"0123456789abcdef").unwrap(),
            )
            .unwrap()
            .to_string()
    };
    let children: Vec<_> = (0..16)
        .map(|p| {
            let mut csv = String::from("email,name,password_hash\n");
            for i in 0..125 {
                csv.push_str(&format!("u{p}x{i}@example.com,u{p}x{i},\"{phc}\"\n"));
            }
            let file = write(&env, &format!("batch{p}.csv"), csv);
            env.admin(&["user", "import", &file]).spawn()
        })
        .collect();
    for child in children {
        let r = finish(child);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("125 created"), "{}", r.stdout);
    }
    let users = env.users_json();
    assert_eq!(users.len(), 2 + 2000);
    env.admin(&["audit", "verify"])
        .run()
        .ok()
        .stdout_has("intact");
}

#[test]
fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    env.add_user("other", "other@example.com", "admin", PW);
    for round in 0..4 {
        let a = env
            .admin(&["user", "edit", "other@example.com", "--role", "user"])
            .spawn();
        let b = env
            .as_user(
                "other@example.com",
                PW,
                &["user", "edit", ADMIN_EMAIL, "--role", "user"],
            )
            .spawn();
        let (a, b) = (finish(a), finish(b));
        let won = [a.code, b.code].iter().filter(|c| **c == 0).count();
        assert_eq!(won, 1, "round {round}: {a:?} {b:?}");
        let list =
            |email: &str, pw: &str| env.as_user(email, pw, &["user", "list", "--json"]).run();
        let r = list(ADMIN_EMAIL, ADMIN_PW);
        let r = if r.code == 0 {
            r
        } else {
            list("other@example.com", PW)
        };
        let admins = r
            .ok()
            .json()
            .as_array()
            .unwrap()
            .clone()
            .into_iter()
            .filter(|u| u["role"] == "admin")
            .count();
        assert_eq!(admins, 1, "round {round}");
        // Put the loser back for the next round, by whoever is still admin.
        let (winner_email, winner_pw, loser) = if a.code == 0 {
            (ADMIN_EMAIL, ADMIN_PW, "other@example.com")
        } else {
            ("other@example.com", PW, ADMIN_EMAIL)
        };
        env.as_user(
            winner_email,
            winner_pw,
            &["user", "edit", loser, "--role", "admin"],
        )
        .run()
        .ok();
    }
}

#[test]
fn tls_is_used_and_verified_as_sslmode_says() {
    if let Err(why) = crate::pg::available() {
        return crate::pg::skipped(&why);
    }
    if std::env::var_os("GATEHOUSE_TEST_PG_URL").is_some() {
        // A server of one's own is needed to give it certificates.
        return crate::pg::skipped("the TLS test starts its own server");
    }
    let (_server, tls) = crate::pg::start_tls().expect("a TLS server");
    let env = TestEnv::empty();
    let ca = tls.ca.display().to_string();
    let at =
        |host: &str, extra: &str| format!("host={host} port={} dbname=gh_store {extra}", tls.port);
    // Installed, as everywhere, by the cluster's RDS-like installer.
    let install = at(
        "localhost",
        &format!(
            "user=gh_install password={} sslmode=verify-full sslrootcert={ca}",
            crate::pg::INSTALL_PW
        ),
    );
    env.cmd(&[
        "init",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "admin",
        "--password-stdin",
    ])
    .env("GATEHOUSE_DB", &install)
    .stdin(&format!("{ADMIN_PW}\n"))
    .run()
    .ok();
    let whoami = |db: String| {
        env.as_user(ADMIN_EMAIL, ADMIN_PW, &["whoami"])
            .env("GATEHOUSE_DB", db)
            .run()
    };
    // The certificate names localhost and chains to the test's CA.
    whoami(at(
        "localhost",
        &format!("sslmode=verify-full sslrootcert={ca}"),
    ))
    .ok();
    // Encrypted without checks, as libpq's require.
    whoami(at("127.0.0.1", "sslmode=require")).ok();
    // verify-ca checks the chain only: 127.0.0.1 is not the name on the certificate.
    whoami(at(
        "127.0.0.1",
        &format!("sslmode=verify-ca sslrootcert={ca}"),
    ))
    .ok();
    let r = whoami(at(
        "127.0.0.1",
        &format!("sslmode=verify-full sslrootcert={ca}"),
    ))
    .code(9);
    assert!(r.stderr.contains("127.0.0.1"), "{}", r.stderr);
    // Another CA: refused, whatever the name.
    let other = tls.other_ca.display().to_string();
    whoami(at(
        "localhost",
        &format!("sslmode=verify-ca sslrootcert={other}"),
    ))
    .code(9);
    // Verification without a CA to verify against is a usage error, before connecting.
    whoami(at("localhost", "sslmode=verify-full"))
        .code(2)
        .stderr_has("sslrootcert");
    // Plain TCP is refused by the server's rules: said as such, not as a wrong password.
    whoami(at("127.0.0.1", "sslmode=disable"))
        .code(3)
        .stderr_has("refuses this connection");
}

#[test]
fn expiry_and_deletion_take_the_login_away_on_the_server() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.add_user("bob", "bob@example.com", "user", PW);
    env.as_user("alice@example.com", PW, &["whoami"]).run().ok();
    let install = env.pg.as_ref().unwrap().install_url.clone();
    let mut c = postgres::Client::connect(&install, postgres::NoTls).unwrap();
    let role = |c: &mut postgres::Client, name: &str| {
        c.query_opt(
            "SELECT rolcanlogin, rolvaliduntil::text FROM pg_roles WHERE rolname = $1",
            &[&name],
        )
        .unwrap()
        .map(|r| (r.get::<_, bool>(0), r.get::<_, Option<String>>(1)))
    };
    // An expiry in the past, however it is set, is the role's VALID UNTIL: no login.
    c.execute(
        "UPDATE gatehouse.users SET expires_at = '2001-01-01T00:00:00Z' WHERE email = 'alice@example.com'",
        &[],
    )
    .unwrap();
    let (can_login, until) = role(&mut c, "alice@example.com").unwrap();
    assert!(can_login && until.unwrap().starts_with("2001-01-01"));
    env.as_user("alice@example.com", PW, &["whoami"])
        .run()
        .code(3);
    // Deleted: the role is gone with the user.
    env.admin(&["user", "delete", "bob@example.com", "--yes"])
        .run()
        .ok();
    assert_eq!(role(&mut c, "bob@example.com"), None);
    env.as_user("bob@example.com", PW, &["whoami"])
        .run()
        .code(3);
}

#[test]
fn a_deadlock_with_a_transaction_made_by_hand_is_run_again() {
    let Some(_on) = use_postgres() else { return };
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", PW);
    env.add_user("bob", "bob@example.com", "user", PW);
    let mut t1 = env.superuser();
    // A DBA (a superuser: deadlock_timeout is theirs to set) at psql holds bob;
    // gatehouse changes alice, then wants bob; psql then
    // wants alice. The server breaks the deadlock by failing gatehouse's transaction
    // (its detection runs first); gatehouse runs it again once psql is done.
    t1.batch_execute(
        "SET deadlock_timeout = '30s'; BEGIN; \
         UPDATE gatehouse.users SET phone = '111' WHERE email = 'bob@example.com'",
    )
    .unwrap();
    let child = env
        .admin(&[
            "user",
            "deactivate",
            "alice@example.com",
            "bob@example.com",
            "--yes",
        ])
        .spawn();
    std::thread::sleep(std::time::Duration::from_millis(500));
    t1.execute(
        "UPDATE gatehouse.users SET phone = '222' WHERE email = 'alice@example.com'",
        &[],
    )
    .unwrap();
    t1.batch_execute("COMMIT").unwrap();
    let r = finish(child);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for who in ["alice@example.com", "bob@example.com"] {
        let u = env
            .admin(&["user", "show", who, "--json"])
            .run()
            .ok()
            .json();
        assert_eq!(u["status"], "inactive", "{who}");
    }
}

#[test]
fn copying_a_sqlite_store_takes_an_admin_and_is_on_the_record() {
    let env = TestEnv::new();
    env.add_user("alice", "alice@example.com", "user", PW);
    let to = env.path().join("copy").join("gatehouse.db");
    let to = to.to_str().unwrap();
    // Whoever can read the file is not thereby an admin of it.
    env.cmd(&["store", "copy", "--to", to])
        .run()
        .code(3)
        .stderr_has("needs an admin");
    env.as_user("alice@example.com", PW, &["store", "copy", "--to", to])
        .run()
        .code(4);
    env.admin_pw(&["store", "copy", "--to", to]).run().ok();
    // The copy is in the source's trail, and so in the copy's.
    for db in [env.db.to_str().unwrap(), to] {
        let r = env
            .admin_pw(&["audit", "list", "--action", "store.copy", "--json"])
            .env("GATEHOUSE_DB", db)
            .run()
            .ok();
        let entries = r.json();
        assert_eq!(entries.as_array().unwrap().len(), 1, "{db}: {entries}");
        assert_eq!(entries[0]["actor_email"], ADMIN_EMAIL);
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
