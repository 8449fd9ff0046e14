//! The PostgreSQL schema (`migrations/postgres/`) enforces the access rule itself: a
//! differential test checks, for random worlds of users and packages, that what each
//! person's own role can read and change with plain SQL is exactly what `authz::decide`
//! allows.
//!
//! A private, throwaway cluster is started when PostgreSQL's server binaries are found
//! (`GATEHOUSE_TEST_PG_BIN`, else on PATH or in /usr/lib/postgresql/*/bin; run as the
//! `postgres` OS user when the suite runs as root), or `GATEHOUSE_TEST_PG_URL` names a
//! server to use. Without either, the test prints one line saying it was skipped and why.
//!
//! As on a managed service, the store is installed by a role without SUPERUSER: by
//! default an RDS-like `LOGIN CREATEROLE CREATEDB` role that owns the database
//! (`GATEHOUSE_TEST_PG_INSTALLER=supabase` adds BYPASSRLS, `=superuser` makes it one).
//! The cluster's superuser only lays the cluster out. With `GATEHOUSE_TEST_PG_URL`, the
//! role it names is the installer and each store gets a database of its own.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;

use gatehouse::authz::{self, Command as Ran, Decision, Subject};
use gatehouse::model::{Role, Status};
use gatehouse::store::Relation;
use postgres::{Client, NoTls};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::is_root;

/// A SCRAM verifier of a password nobody uses, for roles the tests only `SET ROLE` to.
static VERIFIER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| postgres_protocol::password::scram_sha_256(b"unused-password"));

/// The installer's password in a private cluster (role `gh_install`, owner of the
/// database `gh_store`).
pub const INSTALL_PW: &str = "Test-install-pw";

/// A server for the tests: a private cluster (stopped when dropped) or the one named.
pub struct TestPg {
    /// The cluster's superuser, connected to `postgres` (a private cluster), or the role
    /// `GATEHOUSE_TEST_PG_URL` names.
    url: String,
    /// The installer's connection string, without a database.
    installer: String,
    cluster: Option<(PathBuf, tempfile::TempDir)>,
    /// On a shared server, this test's turn (roles belong to the whole server).
    _turn: Option<crate::support::Serial>,
}

impl Drop for TestPg {
    fn drop(&mut self) {
        if let Some((bin, dir)) = &self.cluster {
            let data = dir.path().join("data");
            let _ = as_postgres(&bin.join("pg_ctl"))
                .args(["stop", "-m", "immediate", "-D"])
                .arg(&data)
                .output();
        }
    }
}

fn server_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("GATEHOUSE_TEST_PG_BIN") {
        return Some(PathBuf::from(bin));
    }
    if let Ok(out) = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !p.is_empty() {
            return Path::new(&p).parent().map(Path::to_path_buf);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// PostgreSQL refuses to run as root: as root, run its programs as `postgres`.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(54329)
}

/// Starts a private cluster (scram-sha-256 for every connection, a unix socket in its
/// own directory and a loopback port), or explains why there is none.
pub fn start() -> Result<TestPg, String> {
    if let Ok(url) = std::env::var("GATEHOUSE_TEST_PG_URL") {
        let installer = without_dbname(&url);
        return Ok(TestPg {
            url,
            installer,
            cluster: None,
            _turn: Some(crate::support::Serial::take()),
        });
    }
    start_cluster(None)
}

/// A connection string without its `dbname` (a key=value string or a URL's path).
fn without_dbname(url: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
        let base = match base[scheme_end..].find('/') {
            Some(i) => &base[..scheme_end + i],
            None => base,
        };
        let query: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("dbname="))
            .collect();
        if query.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/?{}", query.join("&"))
        }
    } else {
        url.split_whitespace()
            .filter(|kv| !kv.starts_with("dbname="))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `base` (from [`without_dbname`]) with a database.
fn with_dbname(base: &str, db: &str) -> String {
    if base.starts_with("postgres://") || base.starts_with("postgresql://") {
        match base.split_once("/?") {
            Some((b, q)) => format!("{b}/{db}?{q}"),
            None => format!("{}/{db}", base.trim_end_matches('/')),
        }
    } else {
        format!("{base} dbname={db}")
    }
}

/// Which installer the tests' stores get: what managed services hand out by default.
fn installer_attributes() -> Result<&'static str, String> {
    match std::env::var("GATEHOUSE_TEST_PG_INSTALLER").as_deref() {
        Err(_) | Ok("") | Ok("rds") => Ok("LOGIN CREATEROLE CREATEDB"),
        Ok("supabase") => Ok("LOGIN CREATEROLE CREATEDB BYPASSRLS"),
        Ok("superuser") => Ok("LOGIN SUPERUSER"),
        Ok(other) => Err(format!(
            "GATEHOUSE_TEST_PG_INSTALLER is rds, supabase or superuser, not `{other}`"
        )),
    }
}

/// Certificates for a server that takes TCP connections with TLS only: its CA, and
/// another CA that did not sign it.
pub struct TlsFiles {
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub port: u16,
}

/// A private cluster whose loopback port takes TLS only (`hostssl`; plain TCP is
/// rejected), with a certificate for `localhost` signed by a CA of the test's own.
pub fn start_tls() -> Result<(TestPg, TlsFiles), String> {
    let mut files = None;
    let pg = start_cluster(Some(&mut |dir: &Path, data: &Path| {
        let ca_key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let mut ca_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).map_err(|e| e.to_string())?;
        let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let server = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .map_err(|e| e.to_string())?
            .signed_by(&key, &ca, &ca_key)
            .map_err(|e| e.to_string())?;
        let other_key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let mut other_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        other_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let other = other_params
            .self_signed(&other_key)
            .map_err(|e| e.to_string())?;
        let write = |name: &str, text: String| {
            std::fs::write(dir.join(name), text).map_err(|e| e.to_string())
        };
        write("ca.crt", ca.pem())?;
        write("other-ca.crt", other.pem())?;
        write("server.crt", server.pem())?;
        write("server.key", key.serialize_pem())?;
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all scram-sha-256
             hostssl all all 127.0.0.1/32 scram-sha-256
             hostnossl all all 127.0.0.1/32 reject
",
        )
        .map_err(|e| e.to_string())?;
        files = Some((dir.join("ca.crt"), dir.join("other-ca.crt")));
        Ok(format!(
            " -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
            dir.display()
        ))
    }))?;
    let (ca, other_ca) = files.ok_or("no certificates")?;
    let port = pg
        .url
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("port="))
        .and_then(|p| p.parse().ok())
        .ok_or("no port")?;
    Ok((pg, TlsFiles { ca, other_ca, port }))
}

/// Files a cluster needs before it starts (in the cluster's directory and its data
/// directory), and the server options they call for.
type Prepare<'a> = &'a mut dyn FnMut(&Path, &Path) -> Result<String, String>;

/// A data directory made by initdb once (per machine, user and server version) and
/// copied for each test's cluster. Made under a temporary name and renamed into place,
/// so test processes running at once never see half of one.
fn template_cluster(bin: &Path) -> Result<PathBuf, String> {
    type Templates = std::collections::HashMap<PathBuf, Result<PathBuf, String>>;
    static TEMPLATES: std::sync::Mutex<Option<Templates>> = std::sync::Mutex::new(None);
    let mut templates = TEMPLATES.lock().unwrap_or_else(|e| e.into_inner());
    templates
        .get_or_insert_with(Templates::new)
        .entry(bin.to_path_buf())
        .or_insert_with(|| {
            // One template per server build: its path names it.
            let version: String = bin
                .to_string_lossy()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let uid = unsafe { libc::geteuid() };
            let root =
                std::env::temp_dir().join(format!("gatehouse-pg-template-{uid}-{version}-v2"));
            let data = root.join("data");
            if data.join("PG_VERSION").exists() {
                return Ok(data);
            }
            let work = tempfile::Builder::new()
                .prefix("gatehouse-pg-template-")
                .tempdir()
                .map_err(|e| e.to_string())?;
            let pwfile = work.path().join("pw");
            std::fs::write(&pwfile, "Test-superuser-pw\n").map_err(|e| e.to_string())?;
            if is_root() {
                let ok = Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(work.path())
                    .status()
                    .map_err(|e| e.to_string())?;
                if !ok.success() {
                    return Err("cannot hand the template directory to the postgres user".into());
                }
            }
            let made = work.path().join("data");
            let out = as_postgres(&bin.join("initdb"))
                .args([
                    "-A",
                    "scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "-U",
                    "gh_super",
                    "--pwfile",
                ])
                .arg(&pwfile)
                .arg("-D")
                .arg(&made)
                .output()
                .map_err(|e| format!("initdb: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "initdb failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            std::fs::remove_file(&pwfile).map_err(|e| e.to_string())?;
            // Another process may have won the race: theirs is as good as ours.
            let kept = work.keep();
            match std::fs::rename(&kept, &root) {
                Ok(()) => {}
                Err(_) if data.join("PG_VERSION").exists() => {
                    let _ = std::fs::remove_dir_all(&kept);
                }
                Err(e) => return Err(format!("cannot keep the template cluster: {e}")),
            }
            Ok(data)
        })
        .clone()
}

fn start_cluster(prepare: Option<Prepare<'_>>) -> Result<TestPg, String> {
    let bin = server_bin()
        .ok_or("no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql")?;
    start_cluster_at(bin, prepare)
}

/// A private cluster of the server in `bin` (for a test that needs two versions).
pub fn start_at(bin: &Path) -> Result<TestPg, String> {
    start_cluster_at(bin.to_path_buf(), None)
}

fn start_cluster_at(bin: PathBuf, mut prepare: Option<Prepare<'_>>) -> Result<TestPg, String> {
    let dir = tempfile::Builder::new()
        .prefix("gatehouse-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let data = dir.path().join("data");
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path())
            .status()
            .map_err(|e| e.to_string())?;
        if !ok.success() {
            return Err("cannot hand the cluster directory to the postgres user".into());
        }
    }
    // A copy of one initdb'd cluster: initdb is most of a cluster's start-up.
    let template = template_cluster(&bin)?;
    let out = Command::new("cp")
        .arg("-a")
        .arg(&template)
        .arg(&data)
        .output()
        .map_err(|e| format!("cp: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "copying the template cluster failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = free_port();
    let mut opts = format!(
        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off",
        dir.path().display()
    );
    if let Some(prepare) = prepare.as_mut() {
        opts.push_str(&prepare(dir.path(), &data)?);
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .map_err(|e| e.to_string())?;
            if !ok.success() {
                return Err("cannot hand the certificates to the postgres user".into());
            }
        }
        use std::os::unix::fs::PermissionsExt;
        let key = dir.path().join("server.key");
        if key.exists() {
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| e.to_string())?;
        }
    }
    let out = as_postgres(&bin.join("pg_ctl"))
        .args(["start", "-w", "-l"])
        .arg(dir.path().join("log"))
        .args(["-D"])
        .arg(&data)
        .args(["-o", &opts])
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
        return Err(format!("pg_ctl start failed: {log}"));
    }
    let place = format!("host={} port={port}", dir.path().display());
    let url = format!("{place} user=gh_super password=Test-superuser-pw dbname=postgres");
    let pg = TestPg {
        url,
        installer: format!("{place} user=gh_install password={INSTALL_PW}"),
        cluster: Some((bin, dir)),
        _turn: None,
    };
    // The superuser lays out the cluster: the installer, and the database it owns.
    let mut su = pg.connect();
    for sql in [
        format!(
            "CREATE ROLE gh_install {} PASSWORD '{INSTALL_PW}'",
            installer_attributes()?
        ),
        // Alone: CREATE DATABASE runs in no transaction, not even a batch's.
        "CREATE DATABASE gh_store OWNER gh_install".to_string(),
    ] {
        su.batch_execute(&sql)
            .map_err(|e| format!("laying out the cluster: {e:?}"))?;
    }
    Ok(pg)
}

impl TestPg {
    /// Moves this private cluster to the server in `new_bin` with that server's
    /// `pg_upgrade`, as a DBA upgrades a major version: this one is stopped cleanly, a new
    /// one made beside it, upgraded and started. Its roles, passwords and databases are
    /// this one's.
    pub fn upgrade(&mut self, new_bin: &Path) -> Result<TestPg, String> {
        let (old_bin, dir) = self
            .cluster
            .take()
            .ok_or("only a private cluster upgrades")?;
        let run = |c: &mut Command, what: &str| -> Result<(), String> {
            let out = c.output().map_err(|e| format!("{what}: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{what} failed: {}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        };
        let old_data = dir.path().join("data");
        run(
            as_postgres(&old_bin.join("pg_ctl"))
                .args(["stop", "-m", "fast", "-D"])
                .arg(&old_data),
            "stopping the old server",
        )?;
        let new_dir = tempfile::Builder::new()
            .prefix("gatehouse-pg-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let pwfile = new_dir.path().join("pw");
        std::fs::write(&pwfile, "Test-superuser-pw\n").map_err(|e| e.to_string())?;
        if is_root() {
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(new_dir.path()),
                "chown",
            )?;
        }
        let new_data = new_dir.path().join("data");
        // 18 turns data checksums on by default; the old cluster has none.
        run(
            as_postgres(&new_bin.join("initdb"))
                .args(["--no-data-checksums", "-A", "scram-sha-256", "-E", "UTF8"])
                .args(["--locale=C", "-U", "gh_super", "--pwfile"])
                .arg(&pwfile)
                .arg("-D")
                .arg(&new_data),
            "initdb of the new server",
        )?;
        let mut upgrade = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"])
                .arg(new_bin.join("pg_upgrade"));
            c
        } else {
            Command::new(new_bin.join("pg_upgrade"))
        };
        run(
            upgrade
                .current_dir(new_dir.path())
                .env("PGPASSWORD", "Test-superuser-pw")
                .arg("-b")
                .arg(&old_bin)
                .arg("-B")
                .arg(new_bin)
                .arg("-d")
                .arg(&old_data)
                .arg("-D")
                .arg(&new_data)
                .args(["-U", "gh_super", "--socketdir"])
                .arg(new_dir.path()),
            "pg_upgrade",
        )?;
        drop(dir);
        let port = free_port();
        run(
            as_postgres(&new_bin.join("pg_ctl"))
                .args(["start", "-w", "-l"])
                .arg(new_dir.path().join("log"))
                .arg("-D")
                .arg(&new_data)
                .args([
                    "-o",
                    &format!(
                        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off",
                        new_dir.path().display()
                    ),
                ]),
            "starting the new server",
        )?;
        let place = format!("host={} port={port}", new_dir.path().display());
        Ok(TestPg {
            url: format!("{place} user=gh_super password=Test-superuser-pw dbname=postgres"),
            installer: format!("{place} user=gh_install password={INSTALL_PW}"),
            cluster: Some((new_bin.to_path_buf(), new_dir)),
            _turn: None,
        })
    }

    /// The superuser's connection string (a private cluster).
    pub fn superuser_url(&self) -> &str {
        &self.url
    }

    /// Connection strings for a gatehouse store on this server: the installer's (who may
    /// create roles) and the one people use, without a user (gatehouse adds theirs).
    pub fn store_urls(&self) -> (String, String) {
        let db = if self.cluster.is_some() {
            "gh_store".to_string()
        } else {
            self.new_database()
        };
        let install = with_dbname(&self.installer, &db);
        let person = if install.starts_with("postgres") {
            // user:password@ out of the URL.
            let (scheme, rest) = install.split_once("://").unwrap_or(("postgres", &install));
            let rest = rest.split_once('@').map(|(_, r)| r).unwrap_or(rest);
            format!("{scheme}://{rest}")
        } else {
            install
                .split_whitespace()
                .filter(|kv| !kv.starts_with("user=") && !kv.starts_with("password="))
                .collect::<Vec<_>>()
                .join(" ")
        };
        (install, person)
    }

    /// A database of its own for a test on a shared server, made by the installer (who
    /// owns it): named by process, count and time, so tests never share one.
    fn new_database(&self) -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let db = format!("gh_test_{}_{n}_{nanos}", std::process::id());
        let mut c = self.connect_installer("postgres");
        // One statement each: CREATE DATABASE cannot run inside a multi-statement batch.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
            .expect("drop a leftover test database");
        c.batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create a test database");
        db
    }

    /// On a shared server, what a test's store leaves behind goes with it: its database,
    /// and the login roles (which belong to the whole server, so the next test would
    /// find them). A private cluster goes whole.
    pub fn drop_store(&self, db: &str) {
        // Only on a shared server (a private cluster's, even one moved away by an
        // upgrade, goes with it).
        if self._turn.is_none() {
            return;
        }
        let mut c = self.connect_installer("postgres");
        let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        let roles: Vec<String> = c
            .query(
                "SELECT r.rolname::text FROM pg_roles r \
                 JOIN pg_auth_members m ON m.member = r.oid \
                 JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'gatehouse_person' \
                 WHERE r.rolname NOT IN (current_user, 'gatehouse_owner')",
                &[],
            )
            .map(|rows| rows.iter().map(|r| r.get(0)).collect())
            .unwrap_or_default();
        for role in roles {
            let _ = c.batch_execute(&format!("DROP ROLE \"{}\"", role.replace('"', "\"\"")));
        }
    }

    /// As the cluster's superuser (a private cluster), or the role the URL names.
    pub fn connect(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test server")
    }

    /// As the installer, to database `db`.
    pub fn connect_installer(&self, db: &str) -> Client {
        let mut cfg: postgres::Config = self.installer.parse().expect("the installer's string");
        cfg.dbname(db);
        cfg.connect(NoTls).expect("connect as the installer")
    }

    /// As a person's login role, with their password, as they would with psql.
    fn connect_as(&self, db: &str, role: &str, pw: &str) -> Result<Client, postgres::Error> {
        let mut cfg: postgres::Config = self.installer.parse().expect("the installer's string");
        cfg.dbname(db).user(role).password(pw);
        cfg.connect(NoTls)
    }
}

/// A fresh database with the schema, laid down by the installer as `gatehouse init` does
/// (its roles, every migration, what the server's version needs). Person `i`'s login
/// role is `p{i}@example.com`, made with their row by `load`.
fn setup(pg: &TestPg) -> (Client, String) {
    let db = pg.new_database();
    let mut c = pg.connect_installer(&db);
    c.batch_execute(gatehouse::store::pg::INSTALL_ROLES)
        .unwrap();
    for m in gatehouse::store::pg::MIGRATIONS {
        c.batch_execute(m).unwrap();
    }
    c.batch_execute(gatehouse::store::pg::SERVER_FIXUPS)
        .unwrap();
    (c, db)
}

#[derive(Debug, Clone)]
struct Person {
    admin: bool,
    active: bool,
    must_change: bool,
    expired: bool,
}

#[derive(Debug, Clone)]
struct World {
    people: Vec<Person>,
    /// Each package's creator (an index into `people`), if any.
    creators: Vec<Option<usize>>,
    /// (person, package) assignments.
    assigned: Vec<(usize, usize)>,
}

fn world() -> impl Strategy<Value = World> {
    let person = (
        proptest::bool::weighted(0.3),
        proptest::bool::weighted(0.8),
        proptest::bool::weighted(0.15),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(admin, active, must_change, expired)| Person {
            admin,
            active,
            must_change,
            expired,
        });
    (
        proptest::collection::vec(person, 1..6),
        proptest::collection::vec(proptest::option::weighted(0.8, 0usize..6), 1..5),
        proptest::collection::vec((0usize..6, 0usize..5), 0..8),
    )
        .prop_map(|(people, creators, assigned)| {
            let n = people.len();
            let p = creators.len();
            World {
                creators: creators.into_iter().map(|c| c.filter(|c| *c < n)).collect(),
                assigned: assigned
                    .into_iter()
                    .filter(|(u, k)| *u < n && *k < p)
                    .collect(),
                people,
            }
        })
}

/// Lays a world into the database (as the superuser, who bypasses nothing it needs to).
fn load(c: &mut Client, w: &World) -> (Vec<i64>, Vec<i64>) {
    c.batch_execute(
        "TRUNCATE gatehouse.assignments, gatehouse.packages, gatehouse.users, \
         gatehouse.settings, gatehouse.audit RESTART IDENTITY CASCADE",
    )
    .unwrap();
    let mut users = Vec::new();
    for (i, p) in w.people.iter().enumerate() {
        let expires = if p.expired {
            Some("2000-01-01T00:00:00Z")
        } else {
            None
        };
        let row = c
            .query_one(
                "INSERT INTO gatehouse.users (email, role_name, name, role, status, \
                 must_change_password, created_at, updated_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', $7) RETURNING id",
                &[
                    &format!("p{i}@example.com"),
                    &format!("p{i}@example.com"),
                    &format!("p{i}"),
                    &if p.admin { "admin" } else { "user" },
                    &if p.active { "active" } else { "inactive" },
                    &p.must_change,
                    &expires,
                ],
            )
            .unwrap();
        users.push(row.get::<_, i64>(0));
        // Their login role, as a first password makes it; the installer may become it
        // (as a service would), to act with an open connection of theirs.
        c.execute(
            "SELECT gatehouse.ensure_login($1, $2)",
            &[&format!("p{i}@example.com"), &*VERIFIER],
        )
        .unwrap();
        c.batch_execute(&format!("GRANT \"p{i}@example.com\" TO CURRENT_USER"))
            .unwrap();
    }
    let mut pkgs = Vec::new();
    for (k, creator) in w.creators.iter().enumerate() {
        let by = creator.map(|c| users[c]);
        let row = c
            .query_one(
                "INSERT INTO gatehouse.packages (name, name_key, created_by, created_at, \
                 updated_at) VALUES ($1, $1, $2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id",
                &[&format!("pkg{k}"), &by],
            )
            .unwrap();
        pkgs.push(row.get::<_, i64>(0));
    }
    for (u, k) in &w.assigned {
        c.execute(
            "INSERT INTO gatehouse.assignments (user_id, package_id, assigned_at) \
             VALUES ($1, $2, '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING",
            &[&users[*u], &pkgs[*k]],
        )
        .unwrap();
    }
    (users, pkgs)
}

/// What the rule says person `i` may do with package `k`: see it, change it.
fn expected(w: &World, i: usize, k: usize) -> (bool, bool) {
    let p = &w.people[i];
    if p.expired {
        // An expired account cannot log in: it reaches nothing.
        return (false, false);
    }
    let s = Subject {
        role: if p.admin { Role::Admin } else { Role::User },
        status: if p.active {
            Status::Active
        } else {
            Status::Inactive
        },
        must_change_password: p.must_change,
    };
    let rel = Relation {
        creator: w.creators[k] == Some(i),
        assigned: w.assigned.contains(&(i, k)),
    };
    let allowed = |cmd| authz::decide(&s, cmd) == Decision::Allow;
    (
        allowed(Ran::PackageShow(rel)),
        allowed(Ran::PackageEdit(rel)),
    )
}

/// What person `i`'s own role actually may do with package `id`, by plain SQL.
fn actual(c: &mut Client, i: usize, id: i64) -> (bool, bool, bool) {
    let mut tx = c.transaction().unwrap();
    tx.batch_execute(&format!("SET LOCAL ROLE \"p{i}@example.com\""))
        .unwrap();
    let seen = tx
        .query("SELECT id FROM gatehouse.packages WHERE id = $1", &[&id])
        .unwrap()
        .len()
        == 1;
    let changed = tx
        .execute(
            "UPDATE gatehouse.packages SET description = 'changed' WHERE id = $1",
            &[&id],
        )
        .unwrap()
        == 1;
    let deleted = tx
        .execute("DELETE FROM gatehouse.packages WHERE id = $1", &[&id])
        .unwrap()
        == 1;
    tx.rollback().unwrap();
    (seen, changed, deleted)
}

/// Whether a server can be had: one named, or the binaries to start one.
pub fn available() -> Result<(), String> {
    if std::env::var_os("GATEHOUSE_TEST_PG_URL").is_some() {
        return Ok(());
    }
    server_bin().map(|_| ()).ok_or_else(|| {
        "no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql".into()
    })
}

/// Without a server the tests say so in one line — except where a server is required
/// (`GATEHOUSE_REQUIRE_PG`, set by CI), where that is a failure.
pub fn skipped(why: &str) {
    if std::env::var_os("GATEHOUSE_REQUIRE_PG").is_some() {
        panic!("PostgreSQL is required here (GATEHOUSE_REQUIRE_PG) but: {why}");
    }
    eprintln!("PostgreSQL tests skipped: {why}");
}

#[test]
fn the_server_enforces_the_rule_that_authz_decides() {
    let pg = match start() {
        Ok(pg) => pg,
        Err(why) => return skipped(&why),
    };
    let c = std::cell::RefCell::new(setup(&pg).0);
    let worlds: u32 = std::env::var("GATEHOUSE_PG_WORLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut runner = TestRunner::new(Config {
        cases: worlds,
        failure_persistence: None,
        ..Config::default()
    });
    let triples = std::cell::Cell::new(0u64);
    runner
        .run(&world(), |w| {
            let mut c = c.borrow_mut();
            let (_, pkgs) = load(&mut c, &w);
            for i in 0..w.people.len() {
                for (k, id) in pkgs.iter().enumerate() {
                    let (see, change) = expected(&w, i, k);
                    let (seen, changed, deleted) = actual(&mut c, i, *id);
                    prop_assert_eq!(seen, see, "see: person {} package {} in {:?}", i, k, w);
                    prop_assert_eq!(
                        changed,
                        change,
                        "change: person {} package {} in {:?}",
                        i,
                        k,
                        w
                    );
                    prop_assert_eq!(
                        deleted,
                        change,
                        "delete: person {} package {} in {:?}",
                        i,
                        k,
                        w
                    );
                    triples.set(triples.get() + 3);
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "PostgreSQL differential test: {worlds} worlds, {} (person, package, action) triples agreed with authz::decide",
        triples.get()
    );
}

/// A server with an admin (p0) and a regular user (p1), and one package created by
/// `creator`; `None` when there is no server (the skip is said).
fn admin_and_user(creator: usize) -> Option<(TestPg, Client, Vec<i64>, Vec<i64>)> {
    let pg = match start() {
        Ok(pg) => pg,
        Err(why) => {
            skipped(&why);
            return None;
        }
    };
    let (mut c, _db) = setup(&pg);
    let person = |admin| Person {
        admin,
        active: true,
        must_change: false,
        expired: false,
    };
    let w = World {
        people: vec![person(true), person(false)],
        creators: vec![Some(creator)],
        assigned: vec![],
    };
    let (users, pkgs) = load(&mut c, &w);
    Some((pg, c, users, pkgs))
}

/// The regular user p1 connected as their own login role, as they would with psql.
fn login_as_p1(pg: &TestPg, c: &mut Client) -> Client {
    c.batch_execute("ALTER ROLE \"p1@example.com\" LOGIN PASSWORD 'P1-secret-pw'")
        .unwrap();
    let db: String = c
        .query_one("SELECT current_database()", &[])
        .unwrap()
        .get(0);
    pg.connect_as(&db, "p1@example.com", "P1-secret-pw")
        .expect("p1 logs in with SCRAM")
}

#[test]
fn a_persons_role_cannot_read_hashes_promote_itself_or_assign() {
    let Some((pg, mut c, users, pkgs)) = admin_and_user(0) else {
        return;
    };
    let mut p1 = login_as_p1(&pg, &mut c);
    let mine = |c: &mut Client, sql: &str| -> Result<u64, String> {
        let mut tx = c.transaction().unwrap();
        let r = tx.execute(sql, &[]).map_err(|e| format!("{e:?}"));
        tx.rollback().unwrap();
        r
    };
    let as_admin = |c: &mut Client, sql: &str| -> Result<u64, String> {
        let mut tx = c.transaction().unwrap();
        tx.batch_execute("SET LOCAL ROLE \"p0@example.com\"")
            .unwrap();
        let r = tx.execute(sql, &[]).map_err(|e| format!("{e:?}"));
        tx.rollback().unwrap();
        r
    };
    // No person's role reads a password hash, not even their own.
    let r = mine(&mut p1, "SELECT password_hash FROM gatehouse.users");
    assert!(r.is_err(), "hash readable: {r:?}");
    // A regular user sees only their own row.
    assert_eq!(mine(&mut p1, "SELECT id FROM gatehouse.users"), Ok(1));
    // A person changes only their own harmless columns: no promotion, no longer expiry,
    // no password hash of their choosing, nobody else's row.
    for sql in [
        format!(
            "UPDATE gatehouse.users SET role = 'admin' WHERE id = {}",
            users[1]
        ),
        format!(
            "UPDATE gatehouse.users SET expires_at = '2999-01-01T00:00:00Z' WHERE id = {}",
            users[1]
        ),
        format!(
            "UPDATE gatehouse.users SET password_hash = '$argon2id$x' WHERE id = {}",
            users[1]
        ),
        format!(
            "UPDATE gatehouse.users SET email = 'p9@example.com' WHERE id = {}",
            users[1]
        ),
    ] {
        let r = mine(&mut p1, &sql);
        assert!(r.is_err(), "{sql}: {r:?}");
    }
    assert_eq!(
        mine(
            &mut p1,
            &format!(
                "UPDATE gatehouse.users SET phone = '+1 555' WHERE id = {}",
                users[1]
            )
        ),
        Ok(1)
    );
    assert_eq!(
        mine(
            &mut p1,
            &format!(
                "UPDATE gatehouse.users SET name = 'x' WHERE id = {}",
                users[0]
            )
        ),
        Ok(0),
        "another's row is out of reach"
    );
    assert_eq!(
        mine(&mut p1, "DELETE FROM gatehouse.users"),
        Ok(0),
        "no deleting"
    );
    // Deactivated, a person's open connection is ended; and one that outlived that (a
    // service acting for them, here the installer as p1) cannot reactivate them: their
    // own row is out of reach for changes.
    c.execute(
        "UPDATE gatehouse.users SET status = 'inactive' WHERE id = $1",
        &[&users[1]],
    )
    .unwrap();
    assert!(
        p1.simple_query("SELECT 1").is_err(),
        "a deactivated person's connection stays open"
    );
    let reactivate = format!(
        "UPDATE gatehouse.users SET status = 'active' WHERE id = {}",
        users[1]
    );
    let as_p1 = |c: &mut Client, sql: &str| -> Result<u64, String> {
        let mut tx = c.transaction().unwrap();
        tx.batch_execute("SET LOCAL ROLE \"p1@example.com\"")
            .unwrap();
        let r = tx.execute(sql, &[]).map_err(|e| format!("{e:?}"));
        tx.rollback().unwrap();
        r
    };
    assert_eq!(as_p1(&mut c, &reactivate), Ok(0), "no reactivating oneself");
    c.execute(
        "UPDATE gatehouse.users SET status = 'active' WHERE id = $1",
        &[&users[1]],
    )
    .unwrap();
    let mut p1 = login_as_p1(&pg, &mut c);
    // Assigning is for admins; the admin may.
    let assign = format!(
        "INSERT INTO gatehouse.assignments (user_id, package_id, assigned_at) VALUES ({}, {}, '2026-01-01T00:00:00Z')",
        users[1], pkgs[0]
    );
    assert!(mine(&mut p1, &assign).is_err());
    assert_eq!(as_admin(&mut c, &assign), Ok(1));
    // A regular user may not write settings, nor create a package in another's name.
    let r = mine(
        &mut p1,
        "INSERT INTO gatehouse.settings VALUES ('packages.users_can_create', 'off')",
    );
    assert!(r.is_err(), "{r:?}");
    let create = |by: i64| {
        format!(
            "INSERT INTO gatehouse.packages (name, created_by, created_at, updated_at) \
             VALUES ('x', {by}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        )
    };
    assert!(mine(&mut p1, &create(users[0])).is_err());
    assert_eq!(mine(&mut p1, &create(users[1])), Ok(1));
    // A temporary table of the same name is not read by the owner's functions (pg_temp
    // comes last on their search_path): no admin by planting one.
    p1.batch_execute(&format!(
        "CREATE TEMP TABLE users (id bigint, role_name text, role text, status text, \
           must_change_password boolean, expires_at text); \
         INSERT INTO users VALUES ({}, 'p1@example.com', 'admin', 'active', false, NULL); \
         GRANT SELECT ON users TO PUBLIC; \
         CREATE TEMP TABLE settings (key text, value text); GRANT ALL ON settings TO PUBLIC;",
        users[1]
    ))
    .unwrap();
    assert_eq!(
        mine(&mut p1, "SELECT 1 WHERE gatehouse.is_admin(current_user)"),
        Ok(0)
    );
    assert_eq!(mine(&mut p1, "SELECT id FROM gatehouse.users"), Ok(1));
    assert_eq!(
        mine(&mut p1, "UPDATE gatehouse.settings SET value = 'off'"),
        Ok(0)
    );
    // The uniqueness key is the server's to derive, never the person's.
    let forged = format!(
        "INSERT INTO gatehouse.packages (name, name_key, created_by, created_at, updated_at) \
         VALUES ('Mine', 'forged', {}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        users[1]
    );
    assert!(mine(&mut p1, &forged).is_err());
    let key: String = p1
        .query_one(
            &format!(
                "INSERT INTO gatehouse.packages (name, created_by, created_at, updated_at) \
                 VALUES ('Ä-Fleet', {}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING name_key",
                users[1]
            ),
            &[],
        )
        .unwrap()
        .get(0);
    let derived: String = p1
        .query_one("SELECT gatehouse.name_key('Ä-Fleet')", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        key, derived,
        "the key is the server's derivation of the name"
    );
    // The helpers answer only for the caller's own role.
    assert_eq!(
        mine(&mut p1, "SELECT * FROM gatehouse.acting('p0@example.com')"),
        Ok(0)
    );
    assert_eq!(
        mine(&mut p1, "SELECT * FROM gatehouse.acting('p1@example.com')"),
        Ok(1)
    );
    // A no-op update of one's own status does not bring back a login taken away.
    c.batch_execute("ALTER ROLE \"p1@example.com\" NOLOGIN")
        .unwrap();
    p1.execute(
        "UPDATE gatehouse.users SET status = status WHERE email = 'p1@example.com'",
        &[],
    )
    .unwrap();
    let can_login: bool = c
        .query_one(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'p1@example.com'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!can_login, "a no-op update turned the login back on");
    c.batch_execute("ALTER ROLE \"p1@example.com\" LOGIN")
        .unwrap();
    // Login times are the server's: none from the past or the future.
    let stamp = |t: &str| {
        format!(
            "UPDATE gatehouse.users SET last_login_at = {t} WHERE id = {}",
            users[1]
        )
    };
    assert!(mine(&mut p1, &stamp("'2999-01-01T00:00:00Z'")).is_err());
    assert_eq!(mine(&mut p1, &stamp("gatehouse.now_text()")), Ok(1));
    // One's own password: a real argon2id hash only, stamped with the server's time.
    let own = |hash: &str| {
        format!(
            "SELECT gatehouse.set_own_password(current_user, '{hash}', '{}', '2999-01-01T00:00:00Z')",
            &*VERIFIER
        )
    };
    assert!(mine(&mut p1, &own("$argon2id$junk")).is_err());
    let real =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
    let mut tx = p1.transaction().unwrap();
    tx.execute(&own(real), &[]).unwrap();
    let changed: String = tx
        .query_one(
            "SELECT password_changed_at FROM gatehouse.users WHERE email = 'p1@example.com'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!changed.starts_with("2999"), "{changed}");
    tx.rollback().unwrap();
    // A setting's value may change (by an admin), its key never.
    assert!(as_admin(
        &mut c,
        "INSERT INTO gatehouse.settings VALUES ('packages.users_can_create', 'off')"
    )
    .is_ok());
    assert!(as_admin(
        &mut c,
        "UPDATE gatehouse.settings SET key = 'renamed' WHERE key = 'packages.users_can_create'"
    )
    .is_err());
}

#[test]
fn logins_are_managed_by_admins_only_and_deactivation_bites_at_once() {
    let Some((pg, mut c, _, _)) = admin_and_user(1) else {
        return;
    };
    c.batch_execute(
        "INSERT INTO gatehouse.users (email, role_name, name, created_at, updated_at) \
                     VALUES ('carol@example.com', 'carol@example.com', 'carol', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .unwrap();
    let db: String = c
        .query_one("SELECT current_database()", &[])
        .unwrap()
        .get(0);
    let login = |user: &str, pw: &str| pg.connect_as(&db, user, pw);
    // The admin (acting as p0) gives carol a login; the verifier is made here, so the
    // password itself never reaches the server.
    let verifier = postgres_protocol::password::scram_sha_256(b"Carol-secret-pw");
    let as_admin = |c: &mut Client, sql: &str, verifier: &str| -> Result<(), String> {
        let mut tx = c.transaction().unwrap();
        tx.batch_execute("SET LOCAL ROLE \"p0@example.com\"")
            .unwrap();
        let r = tx
            .execute(sql, &[&verifier])
            .map(|_| ())
            .map_err(|e| e.to_string());
        if r.is_ok() {
            tx.commit().unwrap();
        }
        r
    };
    as_admin(
        &mut c,
        "SELECT gatehouse.set_login(current_user, 'carol@example.com', $1)",
        &verifier,
    )
    .unwrap();
    let mut carol = login("carol@example.com", "Carol-secret-pw").expect("carol logs in");
    let mine = |c: &mut Client, sql: &str| {
        c.query(sql, &[])
            .map(|r| r.len())
            .map_err(|e| e.to_string())
    };
    assert_eq!(mine(&mut carol, "SELECT id FROM gatehouse.users"), Ok(1));
    assert!(login("carol@example.com", "wrong-password").is_err());
    // A regular user cannot manage logins, not even by naming an admin as the actor.
    c.batch_execute("ALTER ROLE \"p1@example.com\" LOGIN PASSWORD 'P1-secret-pw'")
        .unwrap();
    let mut p1 = login("p1@example.com", "P1-secret-pw").unwrap();
    for sql in [
        "SELECT gatehouse.disable_login(current_user, 'carol@example.com')",
        "SELECT gatehouse.disable_login('p0@example.com', 'carol@example.com')",
        "SELECT gatehouse.set_login(current_user, 'p1@example.com', 'SCRAM-SHA-256$4096:AAAA$AAAA:AAAA')",
    ] {
        assert!(mine(&mut p1, sql).is_err(), "{sql}");
    }
    // Deactivated: the open connection is ended at once, and no new login works.
    c.batch_execute(
        "UPDATE gatehouse.users SET status = 'inactive' WHERE email = 'carol@example.com'",
    )
    .unwrap();
    assert!(mine(&mut carol, "SELECT id FROM gatehouse.packages").is_err());
    as_admin(
        &mut c,
        "SELECT gatehouse.disable_login(current_user, 'carol@example.com') WHERE $1 <> ''",
        "x",
    )
    .unwrap();
    assert!(login("carol@example.com", "Carol-secret-pw").is_err());
    // Not a verifier, or not a gatehouse user's role: refused.
    for not_a_verifier in ["plaintext", "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA"] {
        let sql = "SELECT gatehouse.set_login(current_user, 'carol@example.com', $1)";
        assert!(
            as_admin(&mut c, sql, not_a_verifier).is_err(),
            "{not_a_verifier}"
        );
    }
    assert!(as_admin(
        &mut c,
        "SELECT gatehouse.set_login(current_user, 'gh_super', $1)",
        &verifier
    )
    .is_err());
}

#[test]
fn every_change_is_audited_by_the_server_in_the_sqlite_chain_format() {
    let Some((pg, mut c, users, pkgs)) = admin_and_user(1) else {
        return;
    };
    let mut p1 = login_as_p1(&pg, &mut c);
    // The creator edits their package with plain SQL; an admin assigns it.
    p1.execute(
        "UPDATE gatehouse.packages SET description = 'north of the river' WHERE id = $1",
        &[&pkgs[0]],
    )
    .unwrap();
    let mut tx = c.transaction().unwrap();
    tx.batch_execute("SET LOCAL ROLE \"p0@example.com\"")
        .unwrap();
    tx.execute(
        "INSERT INTO gatehouse.assignments (user_id, package_id, assigned_at) VALUES ($1, $2, '2026-01-01T00:00:00Z')",
        &[&users[1], &pkgs[0]],
    )
    .unwrap();
    tx.commit().unwrap();
    // The trail names who did what, and the chain verifies with gatehouse's own code.
    let rows = c
        .query(
            "SELECT id, at, actor_id, actor_email, action, target, details, result, reason, \
             version, prev_hash, hash FROM gatehouse.audit ORDER BY id",
            &[],
        )
        .unwrap();
    let entries: Vec<gatehouse::store::AuditRow> = rows
        .iter()
        .map(|r| gatehouse::store::AuditRow {
            id: r.get(0),
            at: r.get(1),
            actor_id: r.get(2),
            actor_email: r.get(3),
            action: r.get(4),
            target: r.get(5),
            details: r.get(6),
            result: r.get(7),
            reason: r.get(8),
            version: r.get(9),
            prev_hash: r.get(10),
            hash: r.get(11),
        })
        .collect();
    let actions: Vec<(&str, Option<&str>)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.actor_email.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            // Made by the test's superuser while laying the world out: no gatehouse actor.
            ("user.add", None),
            ("user.add", None),
            ("package.create", None),
            ("package.edit", Some("p1@example.com")),
            ("package.assign", Some("p0@example.com"))
        ]
    );
    let mut chain = gatehouse::store::ChainVerifier::new(None);
    for e in &entries {
        assert_eq!(chain.next(e), None, "entry {}", e.id);
    }
    assert_eq!(
        chain.finish(),
        gatehouse::store::ChainCheck::Intact { entries: 5 }
    );
    // Nobody writes the trail but the server: not the person, not even an admin.
    let forge = "SELECT gatehouse.append_audit(current_user, 'user.delete', 'x', '{}')";
    assert!(p1.execute(forge, &[]).is_err());
    for sql in [
        "UPDATE gatehouse.audit SET target = 'x'",
        "DELETE FROM gatehouse.audit",
        "INSERT INTO gatehouse.audit VALUES (99, 'x', NULL, NULL, 'x', NULL, NULL, 'ok', NULL, 'x', 'x', 'x')",
    ] {
        assert!(p1.execute(sql, &[]).is_err(), "{sql}");
        let mut tx = c.transaction().unwrap();
        tx.batch_execute("SET LOCAL ROLE \"p0@example.com\"").unwrap();
        assert!(tx.execute(sql, &[]).is_err(), "admin: {sql}");
    }
    // A regular user reads no audit entries; an admin reads them all.
    assert_eq!(
        p1.query("SELECT id FROM gatehouse.audit", &[])
            .unwrap()
            .len(),
        0
    );
}
