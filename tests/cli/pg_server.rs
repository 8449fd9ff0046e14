//! The PostgreSQL server's own guard, met the way an attacker or a DBA meets it: with a
//! plain client logged in as a person (as psql would be), an old snapshot held open, a
//! lock taken by hand, a value gatehouse would never write, the wrong role running
//! `store doctor`. Each test starts a private server (see `pg.rs`), installed by a role
//! without SUPERUSER, or says in one line why it cannot.

use postgres::{Client, NoTls};

use crate::support::*;

const PW: &str = "Str0ng-pass-1";

/// A store on a private server with the admin, a second admin `bob` and a user `pat`
/// assigned to the package `north`.
fn store() -> Option<(OnPostgres, TestEnv)> {
    let on = use_postgres()?;
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "admin", PW);
    env.add_user("pat", "pat@example.com", "user", PW);
    env.admin(&["package", "create", "north"]).run().ok();
    env.admin(&["package", "assign", "north", "--user", "pat@example.com"])
        .run()
        .ok();
    Some((on, env))
}

/// A person's own connection, as psql would make it.
fn login(env: &TestEnv, email: &str, pw: &str) -> Result<Client, postgres::Error> {
    let mut cfg: postgres::Config = env.db.to_str().unwrap().parse().unwrap();
    cfg.user(email).password(pw);
    cfg.connect(NoTls)
}

/// The installer's connection.
fn installer(env: &TestEnv) -> Client {
    Client::connect(&env.pg.as_ref().unwrap().install_url, NoTls).unwrap()
}

fn one_i64(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn a_demoted_admin_inside_an_old_snapshot_cannot_set_logins_or_write() {
    let Some((_on, env)) = store() else { return };
    // bob opens REPEATABLE READ transactions while still an admin...
    let mut bob = login(&env, "bob@example.com", PW).unwrap();
    let mut bob2 = login(&env, "bob@example.com", PW).unwrap();
    for c in [&mut bob, &mut bob2] {
        c.batch_execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM gatehouse.users",
        )
        .unwrap();
    }
    // ...and is demoted by the admin.
    env.admin(&["user", "edit", "bob@example.com", "--role", "user"])
        .run()
        .ok();
    // In the old snapshot bob still reads as an admin, but the server checks the
    // committed state: no password set for the remaining admin, no admin added.
    let verifier = postgres_protocol::password::scram_sha_256(b"Stolen-pw-123");
    let r = bob.execute(
        "SELECT gatehouse.set_login(current_user, 'admin@example.com', $1)",
        &[&verifier],
    );
    assert!(r.is_err(), "a demoted admin set another's login: {r:?}");
    let _ = bob.batch_execute("ROLLBACK");
    let r = bob2.batch_execute(
        "INSERT INTO gatehouse.users (email, name, role, created_at, updated_at) \
         VALUES ('mallory@example.com', 'mallory', 'admin', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    );
    assert!(r.is_err(), "a demoted admin added an admin");
    let _ = bob2.batch_execute("ROLLBACK");
    // The admin's password is still theirs, and nobody else's works.
    assert!(login(&env, ADMIN_EMAIL, "Stolen-pw-123").is_err());
    login(&env, ADMIN_EMAIL, ADMIN_PW).unwrap();
    assert!(!env
        .admin(&["user", "list", "--format", "csv"])
        .run()
        .ok()
        .stdout
        .contains("mallory"));
}

#[test]
fn every_change_of_who_can_log_in_is_audited() {
    let Some((_on, env)) = store() else { return };
    let mut admin = login(&env, ADMIN_EMAIL, ADMIN_PW).unwrap();
    let verifier = postgres_protocol::password::scram_sha_256(b"New-pat-pw-456");
    admin
        .execute(
            "SELECT gatehouse.set_login(current_user, 'pat@example.com', $1)",
            &[&verifier],
        )
        .unwrap();
    admin
        .execute(
            "SELECT gatehouse.disable_login(current_user, 'pat@example.com')",
            &[],
        )
        .unwrap();
    let entries = env
        .admin(&[
            "audit",
            "list",
            "--action",
            "user.login",
            "--target",
            "pat@example.com",
            "--json",
        ])
        .run()
        .ok()
        .json();
    let entries = entries.as_array().unwrap();
    let by_admin = |detail: &str| {
        entries.iter().any(|e| {
            e["actor_email"].as_str() == Some(ADMIN_EMAIL)
                && e["details"].to_string().contains(detail)
        })
    };
    assert!(
        by_admin("password_set"),
        "set_login is not audited: {entries:?}"
    );
    assert!(
        by_admin("login"),
        "disable_login is not audited: {entries:?}"
    );
    env.admin(&["audit", "verify"]).run().ok();
}

#[test]
fn an_audit_entry_always_names_a_gatehouse_user() {
    let Some((_on, env)) = store() else { return };
    let mut pat = login(&env, "pat@example.com", PW).unwrap();
    // From a trigger on a temporary table of their own, as the group role: refused.
    let forge = |actor: &str| {
        format!(
            "CREATE TEMP TABLE IF NOT EXISTS t (x int); \
             CREATE OR REPLACE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN \
               PERFORM gatehouse.append_audit_many('{actor}', ARRAY['user.delete'], \
                 ARRAY['admin@example.com'], NULL, ARRAY['{{}}']); RETURN NULL; END $f$; \
             DROP TRIGGER IF EXISTS f ON t; \
             CREATE TRIGGER f AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION pg_temp.f(); \
             INSERT INTO t VALUES (1)"
        )
    };
    let without_actor = || {
        let entries = env.admin(&["audit", "list", "--json"]).run().ok().json();
        entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actor_email"].is_null())
            .count()
    };
    // (The installer's `init` is the one entry without an actor.)
    assert_eq!(without_actor(), 1);
    let r = pat.batch_execute(&format!(
        "SET ROLE gatehouse_person; {}",
        forge("gatehouse_person")
    ));
    assert!(r.is_err(), "an entry was written in a group's name");
    let _ = pat.batch_execute("RESET ROLE");
    // In their own name a person still can (what the README says a person can add).
    pat.batch_execute(&forge("pat@example.com")).unwrap();
    assert_eq!(without_actor(), 1, "an entry without an actor");
    env.admin(&["audit", "verify"]).run().ok();
}

#[test]
fn a_persons_locks_do_not_stop_gatehouse_and_deactivation_ends_their_connections() {
    let Some((_on, env)) = store() else { return };
    let mut pat = login(&env, "pat@example.com", PW).unwrap();
    // The advisory keys gatehouse once used, held by a person: gatehouse writes anyway.
    pat.batch_execute("SELECT pg_advisory_lock(7238457012), pg_advisory_lock(7238457011)")
        .unwrap();
    env.admin(&["package", "create", "south"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "2s")
        .run()
        .ok();
    // gatehouse's own lock is not theirs to take.
    assert!(pat
        .batch_execute("BEGIN; LOCK TABLE gatehouse.write_lock IN ACCESS SHARE MODE")
        .is_err());
    let _ = pat.batch_execute("ROLLBACK");
    assert!(pat
        .batch_execute("BEGIN; SELECT gatehouse.begin_write('admin@example.com')")
        .is_err());
    let _ = pat.batch_execute("ROLLBACK");
    // gatehouse's lock taken through the function and left idle: an admin's write ends
    // that transaction once it has sat idle a while, and goes through.
    let mut holder = login(&env, "pat@example.com", PW).unwrap();
    holder
        .batch_execute("BEGIN; SELECT gatehouse.begin_write(current_user)")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    env.admin(&["package", "create", "east"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "5s")
        .run()
        .ok();
    assert!(
        holder.simple_query("SELECT 1").is_err(),
        "the idle holder's transaction was not ended"
    );
    // Deactivated, their open connection is ended: a password they might set with
    // ALTER ROLE meanwhile cannot outlive the deactivation.
    env.admin(&["user", "deactivate", "pat@example.com"])
        .run()
        .ok();
    assert!(
        pat.simple_query("SELECT 1").is_err(),
        "a deactivated person's connection stays open"
    );
    // Deleted, likewise.
    let mut bob = login(&env, "bob@example.com", PW).unwrap();
    env.admin(&["user", "delete", "bob@example.com", "--yes"])
        .run()
        .ok();
    assert!(
        bob.simple_query("SELECT 1").is_err(),
        "a deleted person's connection stays open"
    );
}

#[test]
fn the_server_refuses_values_the_tool_would_refuse() {
    let Some((_on, env)) = store() else { return };
    let mut pat = login(&env, "pat@example.com", PW).unwrap();
    let me = "WHERE email = 'pat@example.com'";
    for bad in [
        format!("UPDATE gatehouse.users SET name = E'\\x1b[31mred' {me}"),
        format!("UPDATE gatehouse.users SET name = E'evil\\u202Eetc' {me}"),
        format!("UPDATE gatehouse.users SET name = ' padded' {me}"),
        format!("UPDATE gatehouse.users SET name = '' {me}"),
        format!("UPDATE gatehouse.users SET full_name = E'two\\nlines' {me}"),
        format!("UPDATE gatehouse.users SET phone = 'call me' {me}"),
        format!("UPDATE gatehouse.users SET last_login_at = 'yesterday' {me}"),
        "INSERT INTO gatehouse.packages (name, created_by, created_at, updated_at) \
         SELECT 'a,b', id, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM gatehouse.users"
            .to_string(),
        "INSERT INTO gatehouse.packages (name, description, created_by, created_at, updated_at) \
         SELECT 'fine', E'\\x07bell', id, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM gatehouse.users"
            .to_string(),
        "INSERT INTO gatehouse.packages (name, created_by, created_at, updated_at) \
         SELECT 'fine', id, 'now', 'now' FROM gatehouse.users"
            .to_string(),
    ] {
        let r = pat.batch_execute(&bad);
        assert!(r.is_err(), "the server took: {bad}");
    }
    // Whatever the session's settings: the checks were parsed when they were made.
    let r = pat.batch_execute(&format!(
        "SET standard_conforming_strings = off; UPDATE gatehouse.users SET name = ' padded' {me}"
    ));
    assert!(r.is_err(), "a setting of the session weakened the check");
    let _ = pat.batch_execute("RESET standard_conforming_strings");
    // What the tool would write goes through.
    pat.batch_execute(&format!(
        "UPDATE gatehouse.users SET name = 'Pat Doe', phone = '+49 30 1234567' {me}"
    ))
    .unwrap();
    // Settings: only the values the tool writes, so server and tool read them alike.
    let mut admin = login(&env, ADMIN_EMAIL, ADMIN_PW).unwrap();
    for bad in ["yes", "On", "on ", ""] {
        let r = admin.execute(
            "INSERT INTO gatehouse.settings (key, value) VALUES ('packages.users_can_create', $1) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&bad],
        );
        assert!(r.is_err(), "the server took the setting value {bad:?}");
    }
    for bad in [("password.min_length", "5"), ("no.such.key", "on")] {
        let r = admin.execute(
            "INSERT INTO gatehouse.settings (key, value) VALUES ($1, $2)",
            &[&bad.0, &bad.1],
        );
        assert!(r.is_err(), "the server took the setting {bad:?}");
    }
    env.admin(&["config", "set", "packages.users_can_create", "yes"])
        .run()
        .ok();
    assert_eq!(
        admin
            .query_one(
                "SELECT value FROM gatehouse.settings WHERE key = 'packages.users_can_create'",
                &[]
            )
            .unwrap()
            .get::<_, String>(0),
        "on"
    );
}

#[test]
fn a_person_who_may_not_act_reads_no_assignments() {
    let Some((_on, env)) = store() else { return };
    let mut pat = login(&env, "pat@example.com", PW).unwrap();
    assert_eq!(
        one_i64(&mut pat, "SELECT count(*) FROM gatehouse.assignments"),
        1
    );
    env.admin(&[
        "user",
        "passwd",
        "pat@example.com",
        "--must-change-password",
        "--password-stdin",
    ])
    .stdin("Another-pw-789\n")
    .run()
    .ok();
    let mut pat = login(&env, "pat@example.com", "Another-pw-789").unwrap();
    assert_eq!(
        one_i64(&mut pat, "SELECT count(*) FROM gatehouse.assignments"),
        0,
        "a person who must change their password reads their assignments"
    );
    assert_eq!(
        one_i64(&mut pat, "SELECT count(*) FROM gatehouse.packages"),
        0
    );
}

#[test]
fn store_doctor_run_by_an_admin_names_the_role_it_needs() {
    let Some((_on, env)) = store() else { return };
    // As gatehouse users are named: GATEHOUSE_EMAIL, no user in the URL.
    env.admin(&["store", "doctor"])
        .run()
        .code(4)
        .stderr_has("the role that installed the store");
    // The admin's own role named in the URL.
    let url = format!(
        "{} user=admin@example.com password={ADMIN_PW}",
        env.db.to_str().unwrap()
    );
    env.cmd(&["store", "doctor"])
        .env("GATEHOUSE_DB", &url)
        .run()
        .code(4)
        .stderr_has("the role that installed the store");
    // A role that may create roles but holds nothing of gatehouse's: named, exit 4.
    env.superuser()
        .batch_execute("CREATE ROLE stranger LOGIN CREATEROLE PASSWORD 'Stranger-pw-1'")
        .unwrap();
    env.cmd(&["store", "doctor"])
        .env(
            "GATEHOUSE_DB",
            format!(
                "{} user=stranger password=Stranger-pw-1",
                env.db.to_str().unwrap()
            ),
        )
        .run()
        .code(4)
        .stderr_has("`stranger` does not hold gatehouse_owner's privileges");
    // The installer: clean.
    let install = env.pg.as_ref().unwrap().install_url.clone();
    env.cmd(&["store", "doctor"])
        .env("GATEHOUSE_DB", &install)
        .run()
        .ok();
    let _ = installer(&env);
}

/// The servers an upgrade test moves a store between: PostgreSQL 15 (Debian's, or
/// `GATEHOUSE_TEST_PG_OLD_BIN`) and a newer whole installation with `pg_upgrade`
/// (`GATEHOUSE_TEST_PG_UPGRADE_BIN`, which CI sets to 18's). `None` (said in one line, or
/// a failure where PostgreSQL is required) when either is missing.
fn upgrade_servers() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let old = std::env::var_os("GATEHOUSE_TEST_PG_OLD_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/lib/postgresql/15/bin".into());
    let Some(new) = std::env::var_os("GATEHOUSE_TEST_PG_UPGRADE_BIN").map(std::path::PathBuf::from)
    else {
        crate::pg::skipped(
            "the upgrade test needs GATEHOUSE_TEST_PG_UPGRADE_BIN (the bin directory of PostgreSQL 16+ with pg_upgrade)",
        );
        return None;
    };
    for bin in [old.join("initdb"), new.join("pg_upgrade")] {
        if !bin.exists() {
            crate::pg::skipped(&format!("no {}", bin.display()));
            return None;
        }
    }
    Some((old, new))
}

#[test]
fn a_store_made_on_15_and_upgraded_to_a_newer_server_is_named_by_doctor_and_repaired() {
    let Some((old_bin, new_bin)) = upgrade_servers() else {
        return;
    };
    // A store on 15, installed by an RDS-like role, with a person in a package.
    let old = TestEnv::on_server(crate::pg::start_at(&old_bin).unwrap());
    old.init().ok();
    old.add_user("pat", "pat@example.com", "user", PW);
    old.admin(&["package", "create", "north"]).run().ok();
    old.admin(&["package", "assign", "north", "--user", "pat@example.com"])
        .run()
        .ok();
    // The cluster is upgraded with pg_upgrade, as managed services do.
    let new = old.upgrade_server(&new_bin);
    let install = new.pg.as_ref().unwrap().install_url.clone();
    let doctor = |db: &str| new.cmd(&["store", "doctor"]).env("GATEHOUSE_DB", db).run();
    // People log in and read as before.
    new.admin(&["whoami"]).run().ok();
    new.as_user("pat@example.com", PW, &["package", "list"])
        .run()
        .ok()
        .stdout_has("north");
    // What the upgrade left the owner without is named by doctor, run by the installer...
    let r = doctor(&install).code(8);
    assert!(
        r.stderr
            .contains("gatehouse_owner cannot manage the login roles of 2 user(s)"),
        "{}",
        r.stderr
    );
    // ...which cannot repair it: only a superuser holds ADMIN OPTION on those roles. Its
    // own `init --if-not-exists` repairs what it may (the function's setting) and the
    // doctor still names the rest.
    new.cmd(&["init", "--if-not-exists"])
        .env("GATEHOUSE_DB", &install)
        .run()
        .ok();
    let r = doctor(&install).code(8);
    assert!(!r.stderr.contains("createrole_self_grant"), "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot manage the login roles"),
        "{}",
        r.stderr
    );
    // A superuser's `init --if-not-exists` repairs it.
    let su: postgres::Config = new.server().unwrap().superuser_url().parse().unwrap();
    let su_store = format!(
        "host={} port={} user=gh_super password=Test-superuser-pw dbname=gh_store",
        match &su.get_hosts()[0] {
            postgres::config::Host::Unix(p) => p.display().to_string(),
            postgres::config::Host::Tcp(h) => h.clone(),
        },
        su.get_ports()[0]
    );
    new.cmd(&["init", "--if-not-exists"])
        .env("GATEHOUSE_DB", &su_store)
        .run()
        .ok();
    doctor(&install).ok();
    // Managing pat works again, and ends pat's open connection.
    let mut pat = login(&new, "pat@example.com", PW).unwrap();
    new.admin(&["user", "deactivate", "pat@example.com"])
        .run()
        .ok();
    assert!(pat.simple_query("SELECT 1").is_err());
}

#[test]
fn a_damaged_row_or_schema_version_is_an_error_never_a_panic() {
    let Some((_on, env)) = store() else { return };
    let mut su = env.superuser();
    // A NULL where the tool never writes one, and a column of another type.
    su.batch_execute(
        "ALTER TABLE gatehouse.users ALTER COLUMN name DROP NOT NULL; \
         UPDATE gatehouse.users SET name = NULL WHERE email = 'pat@example.com'",
    )
    .unwrap();
    env.admin(&["user", "list", "--format", "csv"])
        .run()
        .code(8)
        .stderr_has("unexpected value in `name`");
    su.batch_execute(
        "UPDATE gatehouse.users SET name = 'pat' WHERE email = 'pat@example.com'; \
         ALTER TABLE gatehouse.packages DROP CONSTRAINT packages_values; \
         ALTER TABLE gatehouse.packages ALTER COLUMN description TYPE integer USING 7",
    )
    .unwrap();
    env.admin(&["package", "list", "--format", "csv"])
        .run()
        .code(8);
    // A schema version no gatehouse wrote.
    su.batch_execute("UPDATE gatehouse.schema_version SET version = -3")
        .unwrap();
    let install = env.pg.as_ref().unwrap().install_url.clone();
    let r = env
        .cmd(&["init", "--if-not-exists"])
        .env("GATEHOUSE_DB", &install)
        .run();
    assert!(r.code == 8 || r.code == 9, "exit {}: {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
