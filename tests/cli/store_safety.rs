//! The SQLite store as a file: foreign, damaged, planted or unsafe files refused;
//! busy, read-only and full-disk stores failing cleanly with nothing lost; many writers
//! at once.

// A test that cannot run here says so on stderr rather than passing in silence.
#![allow(clippy::print_stderr)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Child;

use crate::support::*;

/// A uid that is not ours: `nobody`.
const OTHER_UID: u32 = 65534;

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// The euid of this process (root runs as "nobody" to see a read-only directory).
fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for e in fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path(), uid, gid);
        }
    }
}

/// A small tmpfs mounted for one test; unmounted on drop (also on panic).
struct Tmpfs(PathBuf);
impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs(at.to_path_buf()))
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Writes zeros into `path` until the file system is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    // Byte by byte for the last partial block.
    while f.write_all(&[0]).is_ok() {}
    let _ = f.sync_all();
}

/// A store the tool must not use: a read and a write are both refused, exit 9 with a hint.
fn refused_by_store(env: &TestEnv) {
    let add = [
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ];
    for args in [&["user", "list"][..], &add[..]] {
        env.admin(args).run().code(9).stderr_has("hint:");
    }
}

fn user_count(env: &TestEnv) -> i64 {
    db_conn(env)
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap()
}

fn user_exists(env: &TestEnv, email: &str) -> bool {
    db_conn(env)
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn active_admins(env: &TestEnv) -> i64 {
    db_conn(env)
        .query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A and B, both active admins, act against each other at the same moment. `allowed` are
/// the acceptable exit codes of the loser (besides 0 for the winner).
fn mutual_admin_race(round: usize, allowed: &[i32], args_against: impl Fn(&str) -> Vec<String>) {
    let env = TestEnv::new();
    let b_email = "admin-b@example.com";
    let b_pw = "Admin-b-secret-pw";
    env.add_user("admin-b", b_email, "admin", b_pw);
    let ta = env.token(ADMIN_EMAIL, ADMIN_PW);
    let tb = env.token(b_email, b_pw);

    let a_args = args_against(b_email);
    let b_args = args_against(ADMIN_EMAIL);
    let a_args: Vec<&str> = a_args.iter().map(String::as_str).collect();
    let b_args: Vec<&str> = b_args.iter().map(String::as_str).collect();
    let ca = env.with_token(&ta, &a_args).spawn();
    let cb = env.with_token(&tb, &b_args).spawn();
    let ra = finish(ca);
    let rb = finish(cb);

    let ok = [&ra, &rb].iter().filter(|r| r.code == 0).count();
    for r in [&ra, &rb] {
        assert!(
            r.code == 0 || allowed.contains(&r.code),
            "round {round} ({}): unexpected exit {}\nstderr: {}",
            a_args.join(" "),
            r.code,
            r.stderr
        );
    }
    assert_eq!(
        ok,
        1,
        "round {round} ({}): exactly one of the two may succeed: {ra:?} {rb:?}",
        a_args.join(" ")
    );
    assert!(
        active_admins(&env) >= 1,
        "round {round}: no active admin left"
    );
    let remaining = if ra.code == 0 { ADMIN_EMAIL } else { b_email };
    let pw = if ra.code == 0 { ADMIN_PW } else { b_pw };
    let listed = env
        .as_user(
            remaining,
            pw,
            &[
                "user", "list", "--role", "admin", "--status", "active", "--json",
            ],
        )
        .run()
        .ok()
        .json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "round {round}: {listed}"
    );
}

// 1. Store files another user made or can change.

#[test]
fn a_store_file_planted_by_another_user_is_never_adopted() {
    if !is_root() {
        // Making a file of another uid needs root; CI runs as root.
        eprintln!("SKIPPED a_store_file_planted_by_another_user_is_never_adopted: not root");
        return;
    }
    let env = TestEnv::empty();
    let dir = env.db.parent().unwrap();
    fs::create_dir(dir).unwrap();
    chmod(dir, 0o700);
    fs::write(&env.db, b"").unwrap();
    chmod(&env.db, 0o644);
    std::os::unix::fs::chown(&env.db, Some(OTHER_UID), Some(OTHER_UID)).unwrap();
    env.cmd(&["init", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("belongs to uid 65534");
    let meta = fs::metadata(&env.db).unwrap();
    assert_eq!(
        (meta.uid(), meta.len()),
        (OTHER_UID, 0),
        "the file was touched"
    );
}

#[test]
fn a_wal_file_planted_by_another_user_is_refused_unread() {
    if !is_root() {
        eprintln!("SKIPPED a_wal_file_planted_by_another_user_is_refused_unread: not root");
        return;
    }
    let env = TestEnv::new();
    let wal = with_suffix(&env.db, "-wal");
    let _ = fs::remove_file(&wal);
    fs::write(&wal, b"forged transaction").unwrap();
    std::os::unix::fs::chown(&wal, Some(OTHER_UID), Some(OTHER_UID)).unwrap();
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("-wal")
        .stderr_has("belongs to uid 65534");
    assert_eq!(fs::read(&wal).unwrap(), b"forged transaction");
}

#[test]
fn store_files_others_can_write_are_refused_and_readable_ones_warned_about() {
    let env = TestEnv::new();
    let dir = env.db.parent().unwrap().to_path_buf();
    // Group-writable store file.
    chmod(&env.db, 0o660);
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("writable by its group");
    chmod(&env.db, 0o600);
    // A directory others can create files in (like /tmp, sticky bit or not).
    for mode in [0o777, 0o1777, 0o770] {
        chmod(&dir, mode);
        env.admin(&["whoami"])
            .run()
            .code(9)
            .stderr_has("other users can create files in it");
    }
    chmod(&dir, 0o700);
    // A companion file others can write.
    let shm = with_suffix(&env.db, "-shm");
    fs::write(&shm, b"").unwrap();
    chmod(&shm, 0o666);
    env.admin(&["whoami"])
        .run()
        .code(9)
        .stderr_has("other users can write it");
    fs::remove_file(&shm).unwrap();
    // Readable by others: used, with a warning.
    chmod(&env.db, 0o644);
    env.admin(&["whoami"])
        .run()
        .ok()
        .stderr_has("warning: store")
        .stderr_has("readable by other users");
    chmod(&env.db, 0o600);
    let r = env.admin(&["whoami"]).run().ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn store_locked_past_the_busy_timeout_gives_75_for_every_writer() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let file = write(&env, "few.csv", users_csv("busy-u", 20));
    let before = env.snapshot();
    let holder = conn(&env);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let writers: Vec<Vec<&str>> = vec![
        vec!["user", "import", &file],
        vec!["user", "deactivate", "bob@example.com"],
        vec!["user", "edit", "bob@example.com", "--name", "robert"],
        vec!["package", "create", "busy-pkg"],
        vec!["config", "set", "session.ttl", "2h"],
    ];
    for args in &writers {
        let what = args.join(" ");
        let r = run_watched(
            env.with_token(&token, args)
                .env("GATEHOUSE_BUSY_TIMEOUT", "300ms"),
            &what,
        );
        refused(r, 75, &what).stderr_has("safe to retry");
    }
    // Readers are not blocked by a writer in WAL mode.
    env.with_token(&token, &["user", "list"]).run().ok();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(env.snapshot(), before, "a busy command changed the store");
    // Each is fine once the lock is gone.
    for args in &writers {
        env.with_token(&token, args).run().ok();
    }
}

#[test]
fn a_truncated_store_is_refused_and_left_alone() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let file = write(&env, "some.csv", users_csv("trunc-u", 300));
    env.with_token(&token, &["user", "import", &file])
        .run()
        .ok();
    checkpoint(&env);
    assert!(!wal_path(&env.db).exists() || fs::metadata(wal_path(&env.db)).unwrap().len() == 0);
    let full = fs::read(&env.db).unwrap();
    let page = 4096;
    assert!(
        full.len() > 8 * page,
        "store too small to truncate: {}",
        full.len()
    );
    let cuts = [
        ("half", full.len() / 2),
        ("all but the last page", full.len() - page),
        ("inside the header", 50),
        ("first page only", page),
        ("empty", 0),
    ];
    for (what, len) in cuts {
        for p in [wal_path(&env.db), shm_path(&env.db)] {
            let _ = fs::remove_file(p);
        }
        fs::write(&env.db, &full[..len]).unwrap();
        for args in [
            vec!["user", "list"],
            vec![
                "user",
                "add",
                "--name",
                "t",
                "--email",
                "t@example.com",
                "--generate-password",
            ],
            vec!["audit", "verify"],
            vec!["user", "import", &file],
        ] {
            let cmd_what = format!("{what}: {}", args.join(" "));
            let r = run_watched(env.with_token(&token, &args), &cmd_what);
            refused(r, 9, &cmd_what).stderr_has("hint:");
            assert_eq!(
                fs::read(&env.db).unwrap(),
                &full[..len],
                "{cmd_what}: the damaged file was changed"
            );
        }
    }
    // Cut inside the last page: the page count is unchanged, so a command that never
    // reads the cut page may still work; one that does must fail cleanly (9).
    let _ = fs::remove_file(wal_path(&env.db));
    fs::write(&env.db, &full[..full.len() - page / 2]).unwrap();
    for args in [vec!["user", "list"], vec!["audit", "verify"]] {
        let what = format!("mid-page cut: {}", args.join(" "));
        let r = run_watched(env.with_token(&token, &args), &what);
        if r.code != 0 {
            refused(r, 9, &what);
        }
    }
    // The whole file is fine again.
    for p in [wal_path(&env.db), shm_path(&env.db)] {
        let _ = fs::remove_file(p);
    }
    fs::write(&env.db, &full).unwrap();
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(env.users_json().len(), 301);
}

#[test]
fn an_orphan_wal_file_loses_nothing() {
    // (a) A WAL left behind by a process that died after committing: its changes are
    // part of the store and must be there when the next command opens it.
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    checkpoint(&env);
    let keep = conn(&env);
    keep.execute_batch("PRAGMA wal_autocheckpoint = 0").unwrap();
    let _: i64 = keep
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    // With `keep` open, gatehouse is not the last connection, so the WAL survives it.
    env.with_token(
        &token,
        &[
            "user",
            "add",
            "--name",
            "walter",
            "--email",
            "walter@example.com",
            "--generate-password",
        ],
    )
    .run()
    .ok();
    let wal = fs::read(wal_path(&env.db)).unwrap();
    assert!(!wal.is_empty(), "no WAL to orphan");
    let main = fs::read(&env.db).unwrap();
    drop(keep);
    let copy = TestEnv::empty();
    fs::create_dir_all(copy.db.parent().unwrap()).unwrap();
    fs::write(&copy.db, &main).unwrap();
    fs::write(wal_path(&copy.db), &wal).unwrap();
    for p in [copy.db.clone(), wal_path(&copy.db)] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o600)).unwrap();
    }
    assert!(!shm_path(&copy.db).exists());
    copy.admin(&["user", "show", "walter@example.com"])
        .run()
        .ok();
    copy.admin(&["audit", "verify"]).run().ok();
    assert_eq!(integrity(&copy), "ok");

    // (b) A junk `-wal` beside a clean store is not a WAL of it: ignored, nothing lost,
    // and the store stays writable.
    let env = TestEnv::new();
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    checkpoint(&env);
    let before = env.snapshot();
    for (what, junk) in [
        ("random bytes", junk_bytes(64 * 1024)),
        ("a truncated WAL header", vec![0x37, 0x7f, 0x06, 0x82, 0, 0]),
        ("empty", Vec::new()),
    ] {
        fs::write(wal_path(&env.db), &junk).unwrap();
        fs::set_permissions(wal_path(&env.db), fs::Permissions::from_mode(0o600)).unwrap();
        let r = env.admin(&["user", "list", "--json"]).run();
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert_eq!(env.snapshot(), before, "{what}: data changed");
        env.admin(&["audit", "verify"]).run().ok();
    }
    env.add_user("carol", "carol@example.com", "user", "Carol-secret-pw-1");
    assert_eq!(integrity(&env), "ok");
    assert_eq!(env.users_json().len(), 3);
}

#[test]
fn a_read_only_store_directory_or_file_fails_cleanly_and_changes_nothing() {
    const NOBODY: u32 = 65534;
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    checkpoint(&env);
    assert!(!wal_path(&env.db).exists() && !shm_path(&env.db).exists());
    let root = is_root();
    // Root ignores permission bits; the binary then runs as `nobody`, who owns the tree
    // — a copy of it inside the tree, since the build may sit in a directory only root
    // can enter (a clone under /root, say).
    let bin = env.path().join("gatehouse");
    fs::copy(assert_cmd::cargo::cargo_bin("gatehouse"), &bin).unwrap();
    chmod(&bin, 0o755);
    if root {
        chown_tree(env.path(), NOBODY, NOBODY);
    }
    let as_owner = |args: &[&str]| {
        let mut c = env.cmd_using(&bin, args).env("GATEHOUSE_TOKEN", &token);
        if root {
            c.cmd.uid(NOBODY).gid(NOBODY);
        }
        c
    };
    let before = fs::read(&env.db).unwrap();
    let store_dir = env.db.parent().unwrap().to_path_buf();
    let writers: Vec<Vec<&str>> = vec![
        vec![
            "user",
            "add",
            "--name",
            "ro",
            "--email",
            "ro@example.com",
            "--generate-password",
        ],
        vec!["user", "deactivate", "bob@example.com"],
        vec!["package", "create", "ro-pkg"],
    ];

    // (a) The directory is read-only: no -wal or -shm can be created beside the store.
    fs::set_permissions(&store_dir, fs::Permissions::from_mode(0o500)).unwrap();
    for args in &writers {
        let what = format!("read-only dir: {}", args.join(" "));
        let r = run_watched(as_owner(args), &what);
        refused(r, 9, &what);
    }
    let r = run_watched(as_owner(&["user", "list"]), "read-only dir: user list");
    assert!(
        r.code == 0 || r.code == 9,
        "read-only dir: user list: exit {} {}",
        r.code,
        r.stderr
    );
    if r.code == 9 {
        refused(r, 9, "read-only dir: user list");
    }
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "read-only dir: store changed"
    );
    fs::set_permissions(&store_dir, fs::Permissions::from_mode(0o700)).unwrap();

    // (b) The file is read-only, in a writable directory.
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o400)).unwrap();
    for args in &writers {
        let what = format!("read-only file: {}", args.join(" "));
        let r = run_watched(as_owner(args), &what);
        refused(r, 9, &what);
    }
    let _ = fs::remove_file(wal_path(&env.db));
    let _ = fs::remove_file(shm_path(&env.db));
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "read-only file: store changed"
    );
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o600)).unwrap();

    // Writable again: everything works and nothing was lost.
    for args in &writers {
        run_watched(as_owner(args), &args.join(" ")).ok();
    }
    if root {
        chown_tree(env.path(), 0, 0);
    }
    assert_eq!(env.users_json().len(), 3);
    assert_eq!(integrity(&env), "ok");
}

#[test]
fn a_full_disk_fails_cleanly_and_loses_nothing() {
    let env = TestEnv::empty();
    let store_dir = env.db.parent().unwrap().to_path_buf();
    let _mount = match Tmpfs::mount(&store_dir, "16m") {
        Ok(m) => m,
        Err(why) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("SKIPPED a_full_disk_fails_cleanly_and_loses_nothing: {why}");
            }
            return;
        }
    };
    env.init().ok();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    env.add_user("bob", "bob@example.com", "user", "Bob-secret-pw-1");
    let import_file = write(&env, "big.csv", users_csv("full-u", 1500));
    let filler = store_dir.join("filler");
    // An open connection keeps the -wal and -shm files in place, so inspecting the
    // store below needs no new space.
    let keeper = conn(&env);
    let _: i64 = keeper
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();

    // Full but for a little room: opening works, a large import cannot fit.
    fill(&filler);
    let len = fs::metadata(&filler).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(len.saturating_sub(160 * 1024))
        .unwrap();
    let before = env.snapshot();
    let r = run_watched(
        env.with_token(&token, &["user", "import", &import_file]),
        "import on a full disk",
    );
    refused(r, 9, "import on a full disk").stderr_has("disk is full");
    assert_eq!(env.snapshot(), before, "a failed import changed the store");
    env.with_token(&token, &["audit", "verify"]).run().ok();

    // Completely full: small writes either fit in space SQLite already holds or fail
    // cleanly; nothing is half-done.
    fill(&filler);
    for (args, email) in [
        (
            vec![
                "user",
                "add",
                "--name",
                "x",
                "--email",
                "x@example.com",
                "--generate-password",
            ],
            Some("x@example.com"),
        ),
        (vec!["user", "deactivate", "bob@example.com"], None),
        (vec!["package", "create", "full-pkg"], None),
    ] {
        let what = format!("full disk: {}", args.join(" "));
        let snap = env.snapshot();
        let r = run_watched(env.with_token(&token, &args), &what);
        if r.code == 0 {
            if let Some(e) = email {
                env.with_token(&token, &["user", "show", e]).run().ok();
            }
        } else {
            refused(r, 9, &what);
            assert_eq!(env.snapshot(), snap, "{what}: store changed");
        }
        env.with_token(&token, &["user", "list"]).run().ok();
    }

    // Room again: the import goes through whole, and the store is sound.
    fs::remove_file(&filler).unwrap();
    drop(keeper);
    env.with_token(&token, &["user", "import", &import_file])
        .run()
        .ok();
    env.with_token(&token, &["audit", "verify"]).run().ok();
    assert_eq!(integrity(&env), "ok");
    assert!(count(&env, "SELECT count(*) FROM users") >= 1502);
}

#[test]
fn a_busy_store_is_busy_also_for_a_saved_session() {
    let env = TestEnv::new();
    env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .ok();
    // In WAL mode only an exclusive-locking connection keeps readers out.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE settings SET value = value;",
    )
    .unwrap();
    env.cmd(&["whoami"])
        .env("GATEHOUSE_BUSY_TIMEOUT", "200ms")
        .run()
        .code(75)
        .stderr_has("busy");
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    env.cmd(&["whoami"]).run().ok();
}

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

#[test]
fn missing_store_is_refused_and_not_created() {
    let env = TestEnv::empty();
    env.admin(&["user", "list"])
        .run()
        .code(9)
        .stderr_has("hint:");
    env.cmd(&["whoami"]).run().code(9).stderr_has("hint:");
    env.admin(&[
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ])
    .run()
    .code(9)
    .stderr_has("hint:");
    assert!(
        !env.db.exists(),
        "the store must not be created by a non-init command"
    );
    assert!(!wal_path(&env.db).exists());
}

#[test]
fn random_bytes_file_is_refused() {
    let env = TestEnv::empty();
    fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    let junk = junk_bytes(8192);
    fs::write(&env.db, &junk).unwrap();
    chmod(&env.db, 0o600);
    refused_by_store(&env);
    assert_eq!(
        fs::read(&env.db).unwrap(),
        junk,
        "the file must be left alone"
    );
}

#[test]
fn foreign_sqlite_file_is_refused() {
    let env = TestEnv::empty();
    fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(
            "CREATE TABLE shipments (id INTEGER PRIMARY KEY, dest TEXT);
             INSERT INTO shipments (dest) VALUES ('Rotterdam');",
        )
        .unwrap();
    }
    chmod(&env.db, 0o600);
    let before = fs::read(&env.db).unwrap();
    refused_by_store(&env);
    // `init` on a foreign file must refuse too, not turn it into a store.
    env.cmd(&[
        "init",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "admin",
        "--password-stdin",
    ])
    .stdin(&format!("{ADMIN_PW}\n"))
    .run()
    .code(9)
    .stderr_has("hint:");
    assert_eq!(
        fs::read(&env.db).unwrap(),
        before,
        "the foreign file must be left alone"
    );
    let tables: Vec<String> = {
        let conn = db_conn(&env);
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.map(|n| n.unwrap()).collect()
    };
    assert_eq!(tables, vec!["shipments".to_string()]);
}

#[test]
fn newer_schema_is_refused() {
    let env = TestEnv::new();
    db_conn(&env)
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let before = env.snapshot();
    let audit_before = audit_text(&env);
    env.admin(&["user", "list"])
        .run()
        .code(9)
        .stderr_has("hint:")
        .stderr_has("newer");
    env.admin(&[
        "user",
        "add",
        "--name",
        "a",
        "--email",
        "a@example.com",
        "--generate-password",
    ])
    .run()
    .code(9)
    .stderr_has("hint:");
    assert_eq!(env.snapshot(), before);
    assert_eq!(audit_text(&env), audit_before);
    let v: i64 = db_conn(&env)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99, "the schema version must not be touched");
}

#[test]
fn world_writable_store_is_refused() {
    let env = TestEnv::new();
    let before = env.snapshot();
    let audit_before = audit_text(&env);
    chmod(&env.db, 0o666);
    refused_by_store(&env);
    env.cmd(&["login", "--email", ADMIN_EMAIL, "--password-stdin"])
        .stdin(&format!("{ADMIN_PW}\n"))
        .run()
        .code(9)
        .stderr_has("hint:");
    assert_eq!(
        mode(&env.db),
        0o666,
        "the tool must not silently change the mode"
    );
    chmod(&env.db, 0o600);
    assert_eq!(env.snapshot(), before);
    assert_eq!(audit_text(&env), audit_before);
    // Restricted again, it works.
    env.admin(&["user", "list"]).run().ok();
}

#[test]
fn two_admins_demoting_each_other_leave_an_admin() {
    for round in 0..5 {
        // The loser is no longer an admin (4) or would leave none (6).
        mutual_admin_race(round, &[4, 6], |target| {
            vec![
                "user".into(),
                "edit".into(),
                target.into(),
                "--role".into(),
                "user".into(),
            ]
        });
    }
}

#[test]
fn two_admins_deactivating_each_other_leave_an_admin() {
    for round in 0..3 {
        // The loser may find itself deactivated (3: inactive accounts cannot act, and its
        // session was revoked), or be refused as the last admin (6).
        mutual_admin_race(round, &[3, 4, 6], |target| {
            vec!["user".into(), "deactivate".into(), target.into()]
        });
    }
}

#[test]
fn sixteen_concurrent_writers_all_succeed() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|t| {
                let env = &env;
                let token = &token;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for i in 0..25 {
                        let name = format!("w{t}-{i}");
                        let email = format!("w{t}-{i}@example.com");
                        let r = env
                            .with_token(
                                token,
                                &[
                                    "user",
                                    "add",
                                    "--name",
                                    &name,
                                    "--email",
                                    &email,
                                    "--password-stdin",
                                ],
                            )
                            .stdin("Concurrent-writer-pw-1\n")
                            .run();
                        if r.code != 0 {
                            failures.push(format!("{email}: exit {} {}", r.code, r.stderr.trim()));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} adds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(user_count(&env), 401);
    assert_eq!(env.users_json().len(), 401);
}

#[test]
fn same_email_added_at_once_exactly_one_wins() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let children: Vec<Child> = (0..8)
        .map(|i| {
            let name = format!("dup{i}");
            env.with_token(
                &token,
                &[
                    "user",
                    "add",
                    "--name",
                    &name,
                    "--email",
                    "dup@example.com",
                    "--password-stdin",
                ],
            )
            .stdin("Duplicate-user-pw-1\n")
            .spawn()
        })
        .collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    let ok = runs.iter().filter(|r| r.code == 0).count();
    let conflict = runs.iter().filter(|r| r.code == 6).count();
    assert_eq!((ok, conflict), (1, 7), "runs: {runs:#?}");
    assert_eq!(user_count(&env), 2);
}

#[test]
fn locked_store_gives_busy_and_changes_nothing() {
    let env = TestEnv::new();
    let token = env.token(ADMIN_EMAIL, ADMIN_PW);
    let before = env.users_snapshot();

    let holder = db_conn(&env);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = run_watched(
        env.with_token(
            &token,
            &[
                "user",
                "add",
                "--name",
                "gina",
                "--email",
                "gina@example.com",
                "--password-stdin",
            ],
        )
        .stdin("Gina-secret-pw-1\n")
        .env("GATEHOUSE_BUSY_TIMEOUT", "300ms"),
        "user add (store locked)",
    );
    r.code(75).stderr_has("safe to retry");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);

    assert!(!user_exists(&env, "gina@example.com"));
    assert_eq!(env.users_snapshot(), before);
    // Retrying once the lock is gone works.
    env.with_token(
        &token,
        &[
            "user",
            "add",
            "--name",
            "gina",
            "--email",
            "gina@example.com",
            "--password-stdin",
        ],
    )
    .stdin("Gina-secret-pw-1\n")
    .run()
    .ok();
    assert!(user_exists(&env, "gina@example.com"));
}
