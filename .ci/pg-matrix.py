#!/usr/bin/env python3
"""The PostgreSQL store where people run it.

Every supported server version, each with the three kinds of installer that managed
services hand out -- a superuser; an RDS-like role (LOGIN CREATEROLE CREATEDB); a
Supabase-like one that also holds BYPASSRLS -- taken through what a DBA and the first
admins do, with the real binary and psql. The installer owns the database, as on a
managed service; the superuser only lays out the cluster. Each cell gets a cluster of
its own (roles belong to a whole cluster).

    python3 .ci/pg-matrix.py [--versions 14,15,16,17,18] [--profiles superuser,rds,supabase]

GATEHOUSE_BIN names the binary (default debug/gatehouse in CARGO_TARGET_DIR or target/). Prints a Markdown table
and exits 1 if any step of any cell failed.
"""

import argparse
import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_PW = "Matrix-admin-pw-1"
PERSON_PW = "Matrix-person-pw-1"
INSTALL_PW = "Matrix-install-pw-1"
SUPER_PW = "Matrix-super-pw-1"
IMPORTED_PW = "Imported-pw-1"
# argon2id of IMPORTED_PW (m=19456, t=2, p=1), as another system would export it.
IMPORTED_HASH = None  # made once by `gatehouse` itself, see main()
PROFILES = {
    "superuser": "LOGIN SUPERUSER",
    "rds": "LOGIN CREATEROLE CREATEDB",
    "supabase": "LOGIN CREATEROLE CREATEDB BYPASSRLS",
}
STEPS = [
    "init",
    "whoami",
    "user add",
    "package assign",
    "own package list",
    "psql as person",
    "deactivate",
    "audit verify",
    "doctor",
    "copy to pg",
    "copy back",
    "init again",
    "import 10k",
]
IS_ROOT = os.geteuid() == 0


class StepFailed(Exception):
    pass


def as_postgres(argv):
    return ["runuser", "-u", "postgres", "--", *argv] if IS_ROOT else argv


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(argv, env=None, stdin=None, check=True):
    p = subprocess.run(
        argv,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and p.returncode != 0:
        raise StepFailed(
            f"`{' '.join(argv[:4])} …` exited {p.returncode}: {(p.stderr or p.stdout).strip()[-800:]}"
        )
    return p


class Cell:
    def __init__(self, work, major, sbin, profile, gh, psql):
        self.major, self.profile, self.gh, self.psql = major, profile, gh, psql
        self.dir = os.path.join(work, f"{major}-{profile}")
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        self.sbin = sbin
        self.port = free_port()
        self.conn = f"host={self.dir} port={self.port} dbname=platform"
        self.install = f"{self.conn} user=installer password={INSTALL_PW}"

    def start(self):
        pw = os.path.join(self.dir, "pw")
        with open(pw, "w") as f:
            f.write(SUPER_PW + "\n")
        if IS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(pw, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        run(as_postgres([f"{self.sbin}/initdb", "-A", "scram-sha-256", "-E", "UTF8",
                         "--locale=C", "-U", "gh_super", "--pwfile", pw, "-D", data]))
        run(as_postgres([f"{self.sbin}/pg_ctl", "start", "-w", "-l",
                         os.path.join(self.dir, "log"), "-D", data, "-o",
                         f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"]))
        su = f"host={self.dir} port={self.port} dbname=postgres user=gh_super password={SUPER_PW}"
        self.sql(su, f"CREATE ROLE installer {PROFILES[self.profile]} PASSWORD '{INSTALL_PW}'")
        self.sql(su, "CREATE DATABASE platform OWNER installer")

    def stop(self):
        data = os.path.join(self.dir, "data")
        run(as_postgres([f"{self.sbin}/pg_ctl", "stop", "-m", "immediate", "-D", data]), check=False)

    def mine(self):
        """A directory of this script's user, for SQLite stores (the cell's is the server's)."""
        d = os.path.join(self.dir, "lite")
        os.makedirs(d, mode=0o700, exist_ok=True)
        return d

    def sql(self, conninfo, statement, check=True):
        return run([self.psql, "-qAtX", "-v", "ON_ERROR_STOP=1", conninfo, "-c", statement],
                   check=check)

    def env(self, email=None, password=None, db=None):
        e = {"PATH": os.environ["PATH"], "HOME": self.dir, "GATEHOUSE_DB": db or self.conn}
        if email:
            e["GATEHOUSE_EMAIL"] = email
            e["GATEHOUSE_PASSWORD"] = password
        return e

    def admin(self, *args, stdin=None, check=True):
        return run([self.gh, *args], env=self.env("admin@example.com", ADMIN_PW), stdin=stdin,
                   check=check)

    def person(self, *args):
        return run([self.gh, *args], env=self.env("pat@example.com", PERSON_PW))

    def installer(self, *args, db=None, stdin=None, env=None):
        e = self.env(db=db or self.install)
        e.update(env or {})
        return run([self.gh, *args], env=e, stdin=stdin)

    def person_sql(self, statement, check=True):
        return self.sql(f"{self.conn} user=pat@example.com password={PERSON_PW}", statement,
                        check=check)

    # The steps, in order; each raises StepFailed.

    def step_init(self):
        self.installer("init", "--email", "admin@example.com", "--name", "Admin",
                       "--password-stdin", stdin=ADMIN_PW + "\n")

    def step_whoami(self):
        out = self.admin("whoami", "--format", "csv").stdout
        if "admin@example.com" not in out:
            raise StepFailed(f"whoami said {out!r}")

    def step_user_add(self):
        self.admin("user", "add", "--email", "pat@example.com", "--name", "Pat",
                   "--password-stdin", stdin=PERSON_PW + "\n")

    def step_package_assign(self):
        self.admin("package", "create", "north-routes")
        self.admin("package", "create", "south-routes")
        self.admin("package", "assign", "north-routes", "--user", "pat@example.com")

    def step_own_package_list(self):
        out = self.person("package", "list", "--format", "csv").stdout
        names = [row["name"] for row in csv.DictReader(io.StringIO(out))]
        if names != ["north-routes"]:
            raise StepFailed(f"pat's package list is {names}")

    def step_psql_as_person(self):
        seen = self.person_sql("SELECT string_agg(name, ',' ORDER BY name) FROM gatehouse.packages")
        if seen.stdout.strip() != "north-routes":
            raise StepFailed(f"pat sees packages {seen.stdout.strip()!r}")
        users = self.person_sql("SELECT string_agg(email, ',') FROM gatehouse.users")
        if users.stdout.strip() != "pat@example.com":
            raise StepFailed(f"pat sees users {users.stdout.strip()!r}")
        hashes = self.person_sql("SELECT password_hash FROM gatehouse.users", check=False)
        if hashes.returncode == 0:
            raise StepFailed("pat reads password hashes")

    def step_deactivate(self):
        # An open connection of pat's, then deactivation by an admin.
        p = subprocess.Popen(
            [self.psql, "-qAtX", f"{self.conn} user=pat@example.com password={PERSON_PW}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

        def ask(statement):
            p.stdin.write(statement + "\n\\echo __end__\n")
            p.stdin.flush()
            lines = []
            for line in p.stdout:
                if line.strip() == "__end__":
                    break
                lines.append(line.strip())
            return lines

        try:
            before = ask("SELECT count(*) FROM gatehouse.packages;")
            if before != ["1"]:
                raise StepFailed(f"before deactivation pat's connection read {before}")
            self.admin("user", "deactivate", "pat@example.com")
            after = ask("SELECT count(*) FROM gatehouse.packages;")
        finally:
            p.stdin.close()
            p.wait(timeout=30)
        # The server ended the connection (psql says so, or has nothing more to say).
        ended = not after or any("terminat" in l or "closed" in l or "FATAL" in l for l in after)
        if not ended:
            raise StepFailed(f"after deactivation pat's open connection is still open: {after}")
        login = self.sql(f"{self.conn} user=pat@example.com password={PERSON_PW}", "SELECT 1",
                         check=False)
        if login.returncode == 0:
            raise StepFailed("pat can still log in after deactivation")

    def step_audit_verify(self):
        self.admin("audit", "verify")

    def step_doctor(self):
        self.installer("store", "doctor")

    def step_copy_to_pg(self):
        lite = os.path.join(self.mine(), "lite.db")
        run([self.gh, "--db", lite, "init", "--email", "lite@example.com", "--name", "Lite",
             "--password-stdin"], env=self.env(db=lite), stdin=ADMIN_PW + "\n")
        for args in (["package", "create", "lite-routes"],
                     ["user", "add", "--email", "drv@example.com", "--name", "Driver",
                      "--password-stdin"],
                     ["package", "assign", "lite-routes", "--user", "drv@example.com"]):
            run([self.gh, "--db", lite, *args], env=self.env("lite@example.com", ADMIN_PW, lite),
                stdin="Driver-pw-12345\n")
        self.sql(self.install.replace("dbname=platform", "dbname=postgres"),
                 "CREATE DATABASE copied")
        target = self.install.replace("dbname=platform", "dbname=copied")
        # The keeping admin's role is created on the target: roles are cluster-wide, so the
        # copy gets emails of its own.
        run([self.gh, "--db", lite, "store", "copy", "--to", target],
            env=self.env("lite@example.com", ADMIN_PW, lite))
        out = run([self.gh, "package", "list", "--format", "csv"],
                  env=self.env("lite@example.com", ADMIN_PW,
                               self.conn.replace("dbname=platform", "dbname=copied"))).stdout
        if "lite-routes" not in out:
            raise StepFailed(f"the copy lists {out!r}")

    def step_copy_back(self):
        back = os.path.join(self.mine(), "back.db")
        run([self.gh, "--db", back, "store", "copy", "--from", self.install],
            env=self.env(db=back))
        out = run([self.gh, "--db", back, "user", "list", "--format", "csv"],
                  env=self.env("admin@example.com", ADMIN_PW, back)).stdout
        if "pat@example.com" not in out:
            raise StepFailed(f"the copy back lists {out!r}")

    def step_init_again(self):
        self.installer("init", "--if-not-exists", "--email", "admin@example.com",
                       "--password-stdin", stdin=ADMIN_PW + "\n")
        self.installer("store", "doctor")

    def step_import_10k(self):
        path = os.path.join(self.dir, "users.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["email", "name", "password_hash"])
            for i in range(10_000):
                w.writerow([f"bulk{i}@example.com", f"Bulk {i}", IMPORTED_HASH])
        self.admin("user", "import", path)
        n = self.sql(self.install, "SELECT count(*) FROM gatehouse.users").stdout.strip()
        if n != "10002":
            raise StepFailed(f"{n} users after the import, not 10002")


def main():
    global IMPORTED_HASH
    ap = argparse.ArgumentParser()
    ap.add_argument("--versions", default="14,15,16,17,18")
    ap.add_argument("--profiles", default="superuser,rds,supabase")
    a = ap.parse_args()
    versions = a.versions.split(",")
    profiles = a.profiles.split(",")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    gh = os.environ.get("GATEHOUSE_BIN", os.path.join(target, "debug", "gatehouse"))
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    servers = dict(
        line.split(" ", 1)
        for line in run(["bash", os.path.join(ROOT, ".ci", "pg-servers"), *versions])
        .stdout.splitlines()
    )
    # A hash as another system would hand it over: made by a throwaway SQLite store.
    with tempfile.TemporaryDirectory() as t:
        lite = os.path.join(t, "h.db")
        env = {"PATH": os.environ["PATH"], "HOME": t}
        run([gh, "--db", lite, "init", "--email", "h@example.com", "--name", "H",
             "--password-stdin"], env=env, stdin=IMPORTED_PW + "\n")
        IMPORTED_HASH = run([gh, "--db", lite, "user", "export", "--format", "csv",
                             "--with-password-hashes"],
                            env={**env, "GATEHOUSE_EMAIL": "h@example.com",
                                 "GATEHOUSE_PASSWORD": IMPORTED_PW}).stdout
        IMPORTED_HASH = next(csv.DictReader(io.StringIO(IMPORTED_HASH)))["password_hash"]

    work = tempfile.mkdtemp(prefix="gatehouse-matrix-")
    os.chmod(work, 0o755)
    rows, failed = [], False
    started = time.monotonic()
    try:
        for major in versions:
            for profile in profiles:
                cell = Cell(work, major, servers[major], profile, gh, psql)
                marks = []
                try:
                    cell.start()
                    broken = False
                    for name in STEPS:
                        if broken:
                            marks.append("–")
                            continue
                        try:
                            getattr(cell, "step_" + name.replace(" ", "_").replace("10k", "10k"))()
                            marks.append("ok")
                        except (StepFailed, subprocess.TimeoutExpired) as e:
                            marks.append("FAIL")
                            failed = True
                            print(f"{major}/{profile}: {name}: {e}", file=sys.stderr)
                            broken = name in ("init",)
                except StepFailed as e:
                    failed = True
                    marks = ["cluster failed"]
                    print(f"{major}/{profile}: {e}", file=sys.stderr)
                finally:
                    cell.stop()
                rows.append(f"| {major} | {profile} | " + " | ".join(marks) + " |")
                print("cell " + rows[-1], file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| version | installer | " + " | ".join(STEPS) + " |")
    print("|---|---|" + "---|" * len(STEPS))
    print("\n".join(rows))
    print(f"\n{len(rows)} cells in {time.monotonic() - started:.0f} s"
          + (": some steps FAILED" if failed else ": every step passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
