#!/usr/bin/env python3
"""Does a package a user may not see answer in the same time as one that does not exist?

    python3 bench/hidden_vs_missing.py [--runs 200] [--bin target/release/gatehouse]

Builds nothing: run `cargo build --release` first. Makes a throwaway store in a private
temporary directory (an admin, a regular user `bob`, a package only the admin can see),
logs bob in with a token, then runs `package show|members|delete` by bob against the
hidden package and against a missing one, interleaved, `--runs` times each, and prints
the median wall time of each and their ratio. Every run is refused (exit 5) the same way.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=200)
ap.add_argument("--bin", default="target/release/gatehouse")
args = ap.parse_args()
binary = os.path.abspath(args.bin)

tmp = tempfile.mkdtemp(prefix="gatehouse-hidden-")
env = {
    "PATH": os.environ.get("PATH", ""),
    "HOME": tmp,
    "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
    "XDG_DATA_HOME": os.path.join(tmp, "data"),
    "GATEHOUSE_DB": os.path.join(tmp, "store", "g.db"),
    "NO_COLOR": "1",
}


def run(argv, stdin=None, extra=None, code=0):
    e = dict(env, **(extra or {}))
    p = subprocess.run([binary] + argv, input=stdin, env=e, capture_output=True, text=True)
    if p.returncode != code:
        sys.exit(f"{argv}: exit {p.returncode}, wanted {code}\n{p.stderr}")
    return p.stdout


admin = {"GATEHOUSE_EMAIL": "admin@example.com", "GATEHOUSE_PASSWORD": "Adm1n-secret-pw"}
run(["init", "--email", "admin@example.com", "--password-stdin"], "Adm1n-secret-pw\n")
run(["user", "add", "--name", "bob", "--email", "bob@example.com", "--password-stdin"],
    "Bob-secret-pw-1\n", admin)
run(["package", "create", "hidden-pkg"], extra=admin)
token = run(["login", "--email", "bob@example.com", "--password-stdin", "--print-token"],
            "Bob-secret-pw-1\n").strip()
bob = {"GATEHOUSE_TOKEN": token}

print(f"{args.runs} runs each, interleaved; binary {binary}")
print(f"{'command':<18} {'hidden ms':>10} {'missing ms':>11} {'ratio':>6}")
for cmd in ["show", "members", "delete"]:
    times = {"hidden-pkg": [], "missing-pkg": []}
    for _ in range(args.runs):
        for name in times:
            t = time.perf_counter()
            run(["package", cmd, name, "--yes"] if cmd == "delete" else ["package", cmd, name],
                extra=bob, code=5)
            times[name].append((time.perf_counter() - t) * 1000)
    h = statistics.median(times["hidden-pkg"])
    m = statistics.median(times["missing-pkg"])
    print(f"package {cmd:<10} {h:>10.2f} {m:>11.2f} {h / m:>6.3f}")
