#!/usr/bin/env bash
# What one login costs against each imported hash kind at the bounds of
# src/password.rs: imports tests/cli/fixtures/framework-hashes.json (the frameworks'
# default costs) plus one hash at each bound, then times a login with a wrong password
# (the verification alone: nothing is upgraded) for each, best of three.
#
#   bench/legacy-costs.sh [path/to/gatehouse]     (default: target/release/gatehouse)
#
# Needs python3 (standard library) and, for the hashes at the bounds, the Python packages
# of tests/cli/fixtures/make-framework-hashes.py and mkpasswd.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/gatehouse}
bin=$(realpath "$bin")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export GATEHOUSE_DB=$dir/bench.db XDG_CONFIG_HOME=$dir/config HOME=$dir
pw='Bench-admin-pass-1'
printf '%s\n' "$pw" | "$bin" init --email admin@example.com --name admin --password-stdin >/dev/null
python3 - "$dir/hashes.jsonl" <<'PY'
import json, subprocess, sys
rows = json.load(open("tests/cli/fixtures/framework-hashes.json"))
try:
    import bcrypt
    from passlib.hash import sha512_crypt, pbkdf2_sha256, pbkdf2_sha512, argon2
    from werkzeug.security import generate_password_hash
    PW = "Legacy-pass-1"
    bound = [
        ("bound: bcrypt cost 13", bcrypt.hashpw(PW.encode(), bcrypt.gensalt(13)).decode()),
        ("bound: PBKDF2-SHA256 3,000,000", pbkdf2_sha256.using(rounds=3_000_000).hash(PW)),
        ("bound: PBKDF2-SHA512 1,000,000", pbkdf2_sha512.using(rounds=1_000_000).hash(PW)),
        ("bound: SHA-512-crypt 2,000,000 rounds", sha512_crypt.using(rounds=2_000_000).hash(PW)),
        ("bound: argon2id m=262144 t=3 p=8", argon2.using(type="ID", memory_cost=262144, rounds=3, parallelism=8).hash(PW)),
        ("bound: scrypt N=262144 r=8 p=1", generate_password_hash(PW, method="scrypt:262144:8:1")),
        ("bound: yescrypt N=65536 r=32 (mkpasswd -R 9)", subprocess.run(["mkpasswd", "-s", "-m", "yescrypt", "-R", "9"], input=PW, text=True, capture_output=True, check=True).stdout.strip()),
    ]
    rows += [{"tool": t, "email": f"bound{i}@example.com", "hash": h} for i, (t, h) in enumerate(bound)]
except ImportError as e:
    print(f"(no hashes at the bounds: {e})", file=sys.stderr)
with open(sys.argv[1], "w") as f:
    for i, r in enumerate(rows):
        f.write(json.dumps({"email": r["email"], "name": f"u{i}", "password_hash": r["hash"]}) + "\n")
with open(sys.argv[1] + ".tools", "w") as f:
    for r in rows:
        f.write(f'{r["email"]}\t{r["tool"]}\n')
PY
GATEHOUSE_EMAIL=admin@example.com GATEHOUSE_PASSWORD=$pw "$bin" user import "$dir/hashes.jsonl" >/dev/null
while IFS=$'\t' read -r email tool; do
    best=
    for _ in 1 2 3; do
        s=$(date +%s%N)
        GATEHOUSE_EMAIL=$email GATEHOUSE_PASSWORD=Wrong-pass-1 "$bin" whoami >/dev/null 2>&1 || true
        ms=$((($(date +%s%N) - s) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    printf '%6d ms  %s\n' "$best" "$tool"
done < "$dir/hashes.jsonl.tools"
