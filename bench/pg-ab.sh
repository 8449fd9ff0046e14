#!/usr/bin/env bash
# Two PostgreSQL figures that bench/pg.sh's one-run ratios are too noisy or too coarse for:
#
#   bench/pg-ab.sh BASE_BIN [HEAD_BIN]
#
# 1. `user deactivate`, two builds against each other: BASE_BIN and HEAD_BIN (default: this
#    tree's release build) each on a database of its own in one private PostgreSQL 18
#    cluster, in three alternating rounds of 10 runs (hyperfine, the user re-activated
#    before each run); the median of the 30 runs of each.
# 2. `user list --sort email --limit 50` at 100k users with HEAD_BIN, with the index the
#    list's order reads (`users_by_email_bytes`) and with it dropped.
#
# The cluster is made with locale C.UTF-8, as bench/pg.sh makes it. Needs hyperfine.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${GATEHOUSE_BENCH_CACHE:-$ROOT/bench/.cache}
BASE=$(realpath "$1")
HEAD=${2:-$ROOT/target/release/gatehouse}
[ $# -ge 2 ] || (cd "$ROOT" && cargo build --release --locked -q)
HEAD=$(realpath "$HEAD")
(cd "$ROOT/bench/argon2-floor" && CARGO_TARGET_DIR=$CACHE/target cargo build --release --locked -q)
PHC=$("$CACHE/target/release/argon2-floor" phc "Seed-pass-2026-kestrel")
unset "${!GATEHOUSE_@}" "${!PG@}" 2>/dev/null || true

BIN=${GATEHOUSE_BENCH_PG_BIN:-$(bash "$ROOT/.ci/pg-servers" 18 | awk '{print $2}')}
PSQL=$BIN/psql && [ -x "$PSQL" ] || PSQL=$(command -v psql)
DIR=$(mktemp -d /tmp/gatehouse-pgab-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'as_pg "$BIN/pg_ctl" stop -m fast -D "$DIR/data" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
SUPER_PW=Bench-super-pw ADMIN=admin@bench.example ADMIN_PW=Bench-admin-pw-2026
echo "$SUPER_PW" >"$DIR/pw" && chmod 644 "$DIR/pw"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$BIN/initdb" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 -U gh_super --pwfile "$DIR/pw" -D "$DIR/data" >/dev/null
as_pg "$BIN/pg_ctl" start -w -l "$DIR/log" -D "$DIR/data" -o "-k $DIR -p $PORT -c listen_addresses=''" >/dev/null
SUPER="host=$DIR port=$PORT user=gh_super password=$SUPER_PW"
PERSON="host=$DIR port=$PORT"
super() { PGPASSWORD=$SUPER_PW "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U gh_super "$@"; }
new_store() { # DB BIN
    super -d postgres -c "CREATE DATABASE $1"
    printf '%s\n' "$ADMIN_PW" | "$2" --db "$SUPER dbname=$1" init --email "$ADMIN" --name admin --password-stdin >/dev/null 2>&1
}
export GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW

echo "== user deactivate: base and head, alternating rounds"
for which in base head; do
    gh=$BASE && [ "$which" = head ] && gh=$HEAD
    new_store "db$which" "$gh"
    "$gh" --db "$PERSON dbname=db$which" -q user add --email u1@bench.example --name u1 --generate-password >/dev/null
done
for round in 1 2 3; do
    hyperfine -N --style none --warmup 2 --runs 10 --export-json "$DIR/deact-$round.json" \
        --prepare "$BASE --db '$PERSON dbname=dbbase' -q user activate u1@bench.example" -n base \
        "$BASE --db '$PERSON dbname=dbbase' user deactivate u1@bench.example --yes" \
        --prepare "$HEAD --db '$PERSON dbname=dbhead' -q user activate u1@bench.example" -n head \
        "$HEAD --db '$PERSON dbname=dbhead' user deactivate u1@bench.example --yes"
done
python3 - "$DIR" <<'PY'
import json, statistics, sys
for name in ("base", "head"):
    t = [x for r in (1, 2, 3) for res in json.load(open(f"{sys.argv[1]}/deact-{r}.json"))["results"]
         if res["command"] == name for x in res["times"]]
    print(f"user deactivate, {name}: median {statistics.median(t) * 1000:.1f} ms over {len(t)} runs")
PY

echo "== user list --sort email --limit 50, 100k users (head)"
new_store sorted "$HEAD"
super -d sorted <<SQL
SET session_replication_role = replica;
INSERT INTO gatehouse.users (email, role_name, name, full_name, role, status, password_hash, created_at, updated_at)
SELECT e, e, 'user' || lpad(i::text, 7, '0'), 'Bench User ' || i, 'user', 'active', '$PHC',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series(1, 100000) i,
     LATERAL (SELECT 'user' || lpad(((i * 7919) % 100000)::text, 7, '0') || '-' || i || '@bench.example' AS e) x;
ANALYZE;
SQL
list="$HEAD --db '$PERSON dbname=sorted' --format jsonl user list --sort email --limit 50"
hyperfine -N --style basic --warmup 2 --runs 20 -n "with users_by_email_bytes" "$list" | grep -E 'Time|Benchmark'
super -d sorted -c "DROP INDEX gatehouse.users_by_email_bytes"
hyperfine -N --style basic --warmup 2 --runs 20 -n "without it" "$list" | grep -E 'Time|Benchmark'
