#!/usr/bin/env bash
# The PostgreSQL store against psql on the same private server, in one run:
#
#   bench/pg.sh            # deactivate, import and copy at 100k users; list at 1M
#   bench/pg.sh --quick    # everything at 100k users
#
#   user deactivate (100k users)   vs  psql -c running the same UPDATE as the same role
#   user list --format jsonl (1M)  vs  psql -c "\copy (the same query) to stdout"
#   review --format json, access matrix --format jsonl, user list --format jsonl, at 100k
#   and 1M users  vs  psql running the same statements (captured from the server's log
#   of one run of the command, each query as "\copy (...) to stdout")
#   user import, 100k with hashes  (figure; the schema's floor is in bench/RESULTS.md)
#   store copy, 100k SQLite -> PG  (target: under 10 s)
#
# The server is PostgreSQL 18 (.ci/pg-servers), or the bin directory GATEHOUSE_BENCH_PG_BIN
# names. Needs hyperfine and /usr/bin/time (Debian packages hyperfine and time).
#
# Both sides connect over the same Unix socket with the same role and SCRAM password,
# connection and authentication included. Medians of interleaved runs; peak RSS with
# /usr/bin/time -v. Results go to bench/.cache/results/pg-*/ and one table on stdout.
set -euo pipefail

QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CACHE=${GATEHOUSE_BENCH_CACHE:-$BENCH/.cache}
RES=$CACHE/results/pg-$(date -u +%Y%m%dT%H%M%SZ)
PY="python3 $BENCH/bench.py"
unset "${!GATEHOUSE_@}" "${!PG@}" 2>/dev/null || true
export NO_COLOR=1
ADMIN=admin@bench.example ADMIN_PW=Bench-admin-pw-2026 SUPER_PW=Bench-super-pw
mkdir -p "$RES"
log() { printf '== %s\n' "$*" >&2; }

log "cargo build --release"
(cd "$ROOT" && cargo build --release --locked -q)
GH=$ROOT/target/release/gatehouse
(cd "$BENCH/argon2-floor" && CARGO_TARGET_DIR=$CACHE/target cargo build --release --locked -q)
PHC=$("$CACHE/target/release/argon2-floor" phc "Seed-pass-2026-kestrel")

# --- a private server ---------------------------------------------------------------------
BIN=${GATEHOUSE_BENCH_PG_BIN:-$(bash "$ROOT/.ci/pg-servers" 18 | awk '{print $2}')}
PSQL=$BIN/psql && [ -x "$PSQL" ] || PSQL=$(command -v psql)
DIR=$(mktemp -d /tmp/gatehouse-pgbench-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
echo "$SUPER_PW" >"$DIR/pw" && chmod 644 "$DIR/pw"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$BIN/initdb" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 -U gh_super --pwfile "$DIR/pw" -D "$DIR/data" >/dev/null
as_pg "$BIN/pg_ctl" start -w -l "$DIR/log" -D "$DIR/data" -o "-k $DIR -p $PORT -c listen_addresses=''" >/dev/null
trap 'as_pg "$BIN/pg_ctl" stop -m fast -D "$DIR/data" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
SUPER="host=$DIR port=$PORT user=gh_super password=$SUPER_PW"
PERSON="host=$DIR port=$PORT"
super() { PGPASSWORD=$SUPER_PW "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U gh_super "$@"; }
server_version=$(super -d postgres -Atc 'SHOW server_version')

FIG=$RES/figures.tsv
: >"$FIG"
fig() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:--}" >>"$FIG"; }

new_store() { # DB: a database with a gatehouse store and its admin
    super -d postgres -c "CREATE DATABASE $1"
    printf '%s\n' "$ADMIN_PW" | "$GH" --db "$SUPER dbname=$1" init --email "$ADMIN" --name admin --password-stdin >/dev/null 2>&1
    for p in $($PY packages); do
        GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW "$GH" --db "$PERSON dbname=$1" package create "$p" >/dev/null
    done
}

seed_users() { # DB FROM COUNT: users straight into the tables (no triggers), one package each
    super -d "$1" <<SQL
SET session_replication_role = replica;
INSERT INTO gatehouse.users (email, role_name, name, full_name, role, status, password_hash,
                             created_at, updated_at)
SELECT e, e, 'user' || lpad(i::text, 7, '0'), 'Bench User ' || i,
       CASE WHEN i % 5000 = 0 THEN 'admin' ELSE 'user' END,
       CASE WHEN i % 50 = 0 THEN 'inactive' ELSE 'active' END,
       '$PHC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series($2, $2 + $3 - 1) i, LATERAL (SELECT 'user' || lpad(i::text, 7, '0') || '@bench.example' AS e) x;
INSERT INTO gatehouse.assignments (user_id, package_id, assigned_at)
SELECT u.id, (SELECT min(id) FROM gatehouse.packages) + u.id % 20, '2026-01-01T00:00:00Z'
FROM gatehouse.users u WHERE u.email LIKE 'user%' AND NOT EXISTS
  (SELECT 1 FROM gatehouse.assignments a WHERE a.user_id = u.id);
ANALYZE;
SQL
}

as_admin() { env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW "$GH" --db "$PERSON dbname=$1" "${@:2}"; }
admin_psql() { env PGPASSWORD=$ADMIN_PW "$PSQL" -X -q -h "$DIR" -p "$PORT" -U "$ADMIN" -d "$@"; }

# --- user deactivate at 100k users ------------------------------------------------------------
log "deactivate: 100k users, gatehouse and psql interleaved"
new_store deact
seed_users deact 1 100000
export -f as_admin admin_psql
export GH PERSON ADMIN ADMIN_PW DIR PORT PSQL
python3 - "$RES" <<'EOF' >>"$FIG"
import os, subprocess, statistics, sys, time
ours, base = [], []
def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, shell=True, executable="/bin/bash", check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t
for k in range(1, 31):
    a = f"user{k:07d}@bench.example"
    b = f"user{k + 100:07d}@bench.example"
    ours.append(timed(f"as_admin deact user deactivate {a} --yes"))
    base.append(timed(
        "admin_psql deact -c \"UPDATE gatehouse.users SET status = 'inactive', "
        f"updated_at = '2026-11-28T00:00:00Z' WHERE email = '{b}'\""))
print(f"deactivate_100k\t{statistics.median(ours):.6f}\t-")
print(f"psql_update_100k\t{statistics.median(base):.6f}\t-")
EOF
super -d postgres -c "DROP DATABASE deact"

# --- user list --format jsonl at 1M (100k with --quick) -----------------------------------------
N=1000000 && [ "$QUICK" = 1 ] && N=100000
label=1m && [ "$QUICK" = 1 ] && label=100k
log "list: $N users"
new_store list
seed_users list 1 "$N"
LIST_SQL="SELECT u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, u.must_change_password, u.created_at, u.updated_at, u.last_login_at, u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, u.email_notifications, u.sms_notifications, u.shipment_updates, u.system_announcements, (SELECT string_agg(p.name, chr(31)) FROM gatehouse.assignments a JOIN gatehouse.packages p ON p.id = a.package_id WHERE a.user_id = u.id) FROM gatehouse.users u ORDER BY lower(u.name), u.id"
hyperfine --style basic -N --warmup 1 --runs 5 --export-json "$RES/list.json" \
    -n ours "env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW $GH --db '$PERSON dbname=list' --format jsonl user list" \
    -n psql "env PGPASSWORD=$ADMIN_PW $PSQL -X -q -h $DIR -p $PORT -U $ADMIN -d list -c '\\copy ($LIST_SQL) to stdout'" \
    >"$RES/list.log" 2>&1 || { cat "$RES/list.log" >&2; exit 1; }
python3 - "$RES/list.json" "$label" <<'EOF' >>"$FIG"
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"list_jsonl_{sys.argv[2]}\t{r['ours']:.6f}\t-")
print(f"psql_copy_{sys.argv[2]}\t{r['psql']:.6f}\t-")
EOF
/usr/bin/time -v -o "$RES/list.time" env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW \
    "$GH" --db "$PERSON dbname=list" --format jsonl user list >"$RES/list.out"
fig "list_jsonl_${label}_rss" "$($PY maxrss "$RES/list.time")"
fig "list_jsonl_${label}_rows" "$(wc -l <"$RES/list.out")"
rm -f "$RES/list.out"
super -d postgres -c "DROP DATABASE list"

# --- whole-store reads at 100k and 1M users: review, access matrix, user list ------------------
# Each command runs once with the server logging the admin's statements; those statements,
# replayed by psql as the same role, are the baseline.
SIZES="100000 1000000" && [ "$QUICK" = 1 ] && SIZES=100000
for N in $SIZES; do
    label=$([ "$N" = 1000000 ] && echo 1m || echo 100k)
    log "whole-store reads: $N users"
    new_store scale
    seed_users scale 1 "$N"
    for spec in "review:review --format json" "matrix:access matrix --format jsonl" "list:user list --format jsonl"; do
        name=${spec%%:*} args=${spec#*:}
        super -d postgres -c "ALTER ROLE \"$ADMIN\" IN DATABASE scale SET log_statement = 'all'" >/dev/null
        from=$(stat -c %s "$DIR/log")
        # shellcheck disable=SC2086
        as_admin scale $args >/dev/null
        sleep 0.5
        tail -c +"$((from + 1))" "$DIR/log" >"$RES/$name-$label.log"
        super -d postgres -c "ALTER ROLE \"$ADMIN\" IN DATABASE scale RESET log_statement" >/dev/null
        $PY replay "$RES/$name-$label.log" >"$RES/$name-$label.sql"
        hyperfine --style basic -N --warmup 1 --runs 5 --export-json "$RES/$name-$label.json" \
            -n ours "env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW $GH --db '$PERSON dbname=scale' $args" \
            -n psql "env PGPASSWORD=$ADMIN_PW $PSQL -X -q -h $DIR -p $PORT -U $ADMIN -d scale -f $RES/$name-$label.sql" \
            >"$RES/$name-$label.hf" 2>&1 || { cat "$RES/$name-$label.hf" >&2; exit 1; }
        python3 - "$RES/$name-$label.json" "$name" "$label" <<'EOF' >>"$FIG"
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]}_{sys.argv[3]}\t{r['ours']:.6f}\t-")
print(f"{sys.argv[2]}_{sys.argv[3]}_psql\t{r['psql']:.6f}\t-")
EOF
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$RES/$name-$label.time" env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW \
            "$GH" --db "$PERSON dbname=scale" $args >/dev/null
        fig "${name}_${label}_rss" "$($PY maxrss "$RES/$name-$label.time")"
    done
    super -d postgres -c "DROP DATABASE scale"
done

# --- user import, 100k users with password_hash -----------------------------------------------
log "import: 100k users with password_hash, 3 fresh stores"
CSV=$CACHE/inputs/pg-import-100k.csv
mkdir -p "$CACHE/inputs"
$PY seed "$CSV" 1 100000 "$PHC"
for r in 1 2 3; do
    new_store "imp$r"
    /usr/bin/time -v -o "$RES/import-$r.time" env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW \
        "$GH" --db "$PERSON dbname=imp$r" user import "$CSV" >/dev/null 2>"$RES/import-$r.err"
    python3 -c "
import re,sys
t = open(sys.argv[1]).read()
m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', t)
h, mi, s = m.groups()
print(f'{int(h or 0) * 3600 + int(mi) * 60 + float(s):.3f}')" "$RES/import-$r.time" >>"$RES/import.secs"
    super -d postgres -c "DROP DATABASE imp$r"
done
fig import_100k "$(sort -n "$RES/import.secs" | sed -n 2p)" "$($PY maxrss "$RES/import-1.time")"

# The schema's own floor for that import, three times: the same users and assignments
# staged in a temporary table and inserted by two INSERT ... SELECT statements as the
# admin (policies, checks, triggers and the audit all run), rolled back. psql's \timing
# of the two statements.
for r in 1 2 3; do
    new_store "floor$r"
    admin_psql "floor$r" -v ON_ERROR_STOP=1 >"$RES/floor-$r.out" <<SQL
CREATE TEMP TABLE staged (email text, name text, full_name text, role text, status text,
                          packages text, password_hash text);
\\copy staged FROM '$CSV' WITH (FORMAT csv, HEADER true)
\\timing on
BEGIN;
INSERT INTO gatehouse.users (email, name, full_name, role, status, password_hash,
    must_change_password, created_at, updated_at, password_changed_at)
SELECT email, name, full_name, role, status, password_hash, false,
       '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z' FROM staged;
INSERT INTO gatehouse.assignments (user_id, package_id, assigned_by, assigned_at)
SELECT u.id, p.id, (SELECT gatehouse.own_id(current_user)), '2026-12-01T00:00:00Z'
FROM staged s JOIN gatehouse.users u ON u.email = s.email
CROSS JOIN LATERAL unnest(string_to_array(s.packages, ';')) AS k(name)
JOIN gatehouse.packages p ON p.name = k.name;
ROLLBACK;
SQL
    grep -Eo 'Time: [0-9.]+ ms' "$RES/floor-$r.out" | sed -n '2,3p' | awk '{s += $2} END {printf "%.3f\n", s / 1000}' >>"$RES/floor.secs"
    super -d postgres -c "DROP DATABASE floor$r"
done
fig import_floor_100k "$(sort -n "$RES/floor.secs" | sed -n 2p)"


# --- store copy, 100k users SQLite -> PostgreSQL ------------------------------------------------
log "copy: a 100k-user SQLite store to PostgreSQL, 3 fresh databases"
SQ=$DIR/sqlite && mkdir -m 700 "$SQ"
printf '%s\n' "$ADMIN_PW" | "$GH" --db "$SQ/g.db" init --email "$ADMIN" --name admin --password-stdin >/dev/null 2>&1
for p in $($PY packages); do
    GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW "$GH" --db "$SQ/g.db" package create "$p" >/dev/null
done
GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW "$GH" --db "$SQ/g.db" user import "$CSV" >/dev/null 2>&1
for r in 1 2 3; do
    super -d postgres -c "CREATE DATABASE copy$r"
    /usr/bin/time -v -o "$RES/copy-$r.time" env GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW \
        "$GH" --db "$SQ/g.db" store copy --to "$SUPER dbname=copy$r" >/dev/null 2>"$RES/copy-$r.err"
    python3 -c "
import re,sys
t = open(sys.argv[1]).read()
m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', t)
h, mi, s = m.groups()
print(f'{int(h or 0) * 3600 + int(mi) * 60 + float(s):.3f}')" "$RES/copy-$r.time" >>"$RES/copy.secs"
    super -d postgres -c "DROP DATABASE copy$r"
done
fig copy_100k "$(sort -n "$RES/copy.secs" | sed -n 2p)" "$($PY maxrss "$RES/copy-1.time")"

# --- the table ----------------------------------------------------------------------------------
python3 - "$FIG" "$server_version" "$(nproc)" <<'EOF'
import sys
fig = {}
for line in open(sys.argv[1]):
    k, v, rss = line.rstrip("\n").split("\t")
    fig[k] = (float(v), rss)
print(f"PostgreSQL {sys.argv[2]}, private cluster on a Unix socket, {sys.argv[3]} cores\n")
print("| figure | gatehouse | baseline | ratio | target | peak RSS |")
print("|---|---|---|---|---|---|")
def pair(name, ours, base, target, limit):
    if ours not in fig or base not in fig:
        return
    a, b = fig[ours][0], fig[base][0]
    ok = "ok" if a / b <= limit else "MISSED"
    rss = fig.get(ours + "_rss", (None, "-"))[0]
    rss = f"{rss:.1f} MiB" if rss else "-"
    print(f"| {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {a / b:.2f} | ≤ {limit} ({ok}) | {rss} |")
pair("user deactivate, 100k users (vs psql -c UPDATE)", "deactivate_100k", "psql_update_100k", "", 1.5)
for label in ("1m", "100k"):
    pair(f"user list --format jsonl, {label} users (vs psql \\copy)", f"list_jsonl_{label}", f"psql_copy_{label}", "", 1.2)
    if f"list_jsonl_{label}_rss" in fig:
        rss = fig[f"list_jsonl_{label}_rss"][0]
        print(f"| user list peak RSS, {label} users | {rss:.1f} MiB | | | < 32 MiB ({'ok' if rss < 32 else 'MISSED'}) | |")
for label in ("100k", "1m"):
    for key, what in (("review", "review --format json"), ("matrix", "access matrix --format jsonl"),
                      ("list", "user list --format jsonl")):
        k = f"{key}_{label}"
        if k in fig and k + "_psql" in fig:
            a, b = fig[k][0], fig[k + "_psql"][0]
            rss = fig.get(k + "_rss", (0, "-"))[0]
            print(f"| {what}, {label} users (vs psql, same statements) | {a * 1000:.0f} ms | {b * 1000:.0f} ms "
                  f"| {a / b:.2f} | ≤ 1.5 ({'ok' if a / b <= 1.5 else 'MISSED'}), < 64 MiB ({'ok' if rss < 64 else 'MISSED'}) | {rss:.1f} MiB |")
if "import_100k" in fig and "import_floor_100k" in fig:
    a, b = fig["import_100k"][0], fig["import_floor_100k"][0]
    print(f"| user import, 100k with password_hash (vs the schema's floor: two INSERT … SELECT) | {a:.2f} s | {b:.2f} s "
          f"| {a / b:.2f} | ≤ 1.1 ({'ok' if a / b <= 1.1 else 'MISSED'}) | {float(fig['import_100k'][1]):.1f} MiB |")
for name, key, limit in (("store copy, 100k users SQLite → PostgreSQL", "copy_100k", 10),):
    if key in fig:
        v, rss = fig[key]
        print(f"| {name} | {v:.2f} s | | | < {limit} s ({'ok' if v < limit else 'MISSED'}) | {float(rss):.1f} MiB |")
EOF
