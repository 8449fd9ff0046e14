#!/usr/bin/env bash
# The commands that look at the whole store, at 100k and 1M users, against the sqlite3
# shell running the same queries (same columns, same filters) in the same run:
#
#   bench/scale.sh           # 100k and 1M (seeds the cached stores once, via run.sh)
#   bench/scale.sh --quick   # 100k only
#
# For each command: the median wall time (hyperfine), its sqlite3 baseline and the
# ratio, the peak RSS (/usr/bin/time -v), and for the HTML review the page's size.
# Results go to bench/.cache/results/scale-*/ and one table on stdout.
set -euo pipefail

QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CACHE=${GATEHOUSE_BENCH_CACHE:-$BENCH/.cache}
STORES=$CACHE/stores
RES=$CACHE/results/scale-$(date -u +%Y%m%dT%H%M%SZ)
PY="python3 $BENCH/bench.py"
unset "${!GATEHOUSE_@}" 2>/dev/null || true
export NO_COLOR=1
ADMIN=admin@bench.example ADMIN_PW=Bench-admin-pw-2026

if [ "$QUICK" = 1 ]; then
    bash "$BENCH/run.sh" --seed-only --quick
    SIZES=(100k)
else
    bash "$BENCH/run.sh" --seed-only
    SIZES=(100k 1m)
fi
GH=$ROOT/target/release/gatehouse
mkdir -p "$RES"
FIG=$RES/figures.tsv
: >"$FIG"

# The review's sections as the sqlite3 shell would ask for them: the same columns (the
# user row with its package names) and the same filters, at the same "now".
review_sql() { # NOW STALE SOON LIMIT
    local now=$1 stale=$2 soon=$3 lim=$4
    local cols="u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, \
(SELECT group_concat(p.name, ';') FROM assignments a JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id) AS packages, \
(SELECT count(*) FROM assignments a WHERE a.user_id = u.id) AS package_count, u.must_change_password, \
u.created_at, u.updated_at, u.last_login_at, u.password_changed_at, u.expires_at, \
u.expires_at <= '$now' AS expired, u.locked_until"
    local order="ORDER BY u.name COLLATE NOCASE, u.id LIMIT $lim"
    local reach="u.role = 'user' AND u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > '$now')"
    local holding="EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = u.id)"
    cat <<SQL
SELECT count(*) FROM users; SELECT count(*) FROM packages;
SELECT sum(u.status = 'active'), sum(u.role = 'admin'), sum(u.status = 'inactive' AND $holding),
  sum(u.status = 'active' AND u.last_login_at < '$stale'), sum(u.status = 'active' AND u.last_login_at IS NULL),
  sum(u.expires_at <= '$now'), sum(u.expires_at > '$now' AND u.expires_at <= '$soon'), sum(u.must_change_password)
  FROM users u;
SELECT $cols FROM users u WHERE u.role = 'admin' $order;
SELECT $cols FROM users u WHERE u.status = 'inactive' AND $holding $order;
SELECT $cols FROM users u WHERE u.status = 'active' AND u.last_login_at < '$stale' $order;
SELECT $cols FROM users u WHERE u.status = 'active' AND u.last_login_at IS NULL $order;
SELECT $cols FROM users u WHERE u.expires_at <= '$now' $order;
SELECT $cols FROM users u WHERE u.expires_at > '$now' AND u.expires_at <= '$soon' $order;
SELECT $cols FROM users u WHERE u.must_change_password $order;
SELECT count(*) FROM packages p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by AND $reach) AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id WHERE a.package_id = p.id AND $reach);
SELECT p.id, p.name, p.status FROM packages p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by AND $reach) AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id WHERE a.package_id = p.id AND $reach) ORDER BY p.name COLLATE NOCASE LIMIT $lim;
SQL
}

PAIRS_SQL="SELECT u.id, u.email, u.name, u.role, u.status, p.name, 'admin', p.name_key FROM users u CROSS JOIN packages p WHERE u.role = 'admin' \
UNION ALL SELECT u.id, u.email, u.name, u.role, u.status, p.name, 'creator', p.name_key FROM packages p JOIN users u ON u.id = p.created_by WHERE u.role = 'user' \
UNION ALL SELECT u.id, u.email, u.name, u.role, u.status, p.name, 'assigned', p.name_key FROM assignments a JOIN users u ON u.id = a.user_id JOIN packages p ON p.id = a.package_id WHERE u.role = 'user' AND p.created_by IS NOT u.id ORDER BY 2, 8"

LIST_SQL="SELECT u.name, u.email, u.role, u.status, (SELECT count(*) FROM assignments a WHERE a.user_id = u.id) FROM users u ORDER BY u.name COLLATE NOCASE, u.id"
AUDIT_SQL="SELECT id, at, actor_id, actor_email, action, target, details, result, reason, version, prev_hash, hash FROM audit"

measure() { # NAME RUNS COMMAND: median seconds and peak RSS of a gatehouse command
    local name=$1 runs=$2 cmd=$3
    hyperfine --style basic -N --warmup 1 --runs "$runs" --export-json "$RES/$name.json" \
        "$cmd" >"$RES/$name.log" 2>&1 || { cat "$RES/$name.log" >&2; exit 1; }
    /usr/bin/time -v -o "$RES/$name.time" bash -c "$cmd >/dev/null"
    printf '%s\t%s\t%s\n' "$name" "$($PY median "$RES/$name.json")" "$($PY maxrss "$RES/$name.time")" >>"$FIG"
    printf '  %-22s median %s s, peak %s MiB\n' "$name" "$($PY median "$RES/$name.json")" "$($PY maxrss "$RES/$name.time")" >&2
}

for s in "${SIZES[@]}"; do
    db=$STORES/$s/gatehouse.db
    runs=5 && [ "$s" = 1m ] && runs=3
    tok=$(printf '%s\n' "$ADMIN_PW" | "$GH" --db "$db" login --email "$ADMIN" --password-stdin --print-token --ttl 24h)
    export GATEHOUSE_TOKEN=$tok
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    stale=$(date -u -d '90 days ago' +%Y-%m-%dT%H:%M:%SZ)
    soon=$(date -u -d '30 days' +%Y-%m-%dT%H:%M:%SZ)
    review_sql "$now" "$stale" "$soon" -1 >"$RES/review-$s.sql"
    review_sql "$now" "$stale" "$soon" 100 >"$RES/review-html-$s.sql"
    echo "$PAIRS_SQL;" >"$RES/pairs.sql"
    echo "$LIST_SQL;" >"$RES/list.sql"
    echo "$AUDIT_SQL ORDER BY id;" >"$RES/verify.sql"
    echo "$AUDIT_SQL ORDER BY id DESC;" >"$RES/audit.sql"
    printf '\n== %s users\n' "$s" >&2
    measure "review_json_$s" "$runs" "$GH --db $db --format json review"
    measure "sqlite_review_json_$s" "$runs" "sqlite3 -json $db '.read $RES/review-$s.sql'"
    measure "review_html_$s" "$runs" "$GH --db $db --format html review"
    measure "sqlite_review_html_$s" "$runs" "sqlite3 -json $db '.read $RES/review-html-$s.sql'"
    "$GH" --db "$db" --format html review >"$RES/review-$s.html"
    printf 'review_html_%s_bytes\t%s\t-\n' "$s" "$(stat -c %s "$RES/review-$s.html")" >>"$FIG"
    measure "matrix_jsonl_$s" "$runs" "$GH --db $db --format jsonl access matrix"
    measure "sqlite_matrix_$s" "$runs" "sqlite3 -json $db '.read $RES/pairs.sql'"
    measure "list_table_$s" "$runs" "$GH --db $db user list"
    measure "sqlite_list_box_$s" "$runs" "sqlite3 -box $db '.read $RES/list.sql'"
    measure "audit_verify_$s" "$runs" "$GH --db $db audit verify"
    measure "sqlite_audit_read_$s" "$runs" "sqlite3 -json $db '.read $RES/verify.sql'"
    measure "audit_list_jsonl_$s" "$runs" "$GH --db $db --format jsonl audit list"
    measure "sqlite_audit_list_$s" "$runs" "sqlite3 -json $db '.read $RES/audit.sql'"
    unset GATEHOUSE_TOKEN
done

python3 - "$FIG" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
fig = {r[0]: r for r in rows}
pairs = [("review_json", "sqlite_review_json"), ("review_html", "sqlite_review_html"),
         ("matrix_jsonl", "sqlite_matrix"), ("list_table", "sqlite_list_box"),
         ("audit_verify", "sqlite_audit_read"), ("audit_list_jsonl", "sqlite_audit_list")]
print("| command | users | gatehouse s | sqlite3 s | ratio | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for size in ("100k", "1m"):
    for ours, base in pairs:
        a, b = fig.get(f"{ours}_{size}"), fig.get(f"{base}_{size}")
        if not a or not b:
            continue
        ratio = float(a[1]) / float(b[1])
        print(f"| {ours} | {size} | {float(a[1]):.2f} | {float(b[1]):.2f} | {ratio:.2f} | {a[2]} |")
    h = fig.get(f"review_html_{size}_bytes")
    if h:
        print(f"| review html page | {size} | {int(h[1]) / 1e6:.2f} MB | | | |")
EOF
