#!/usr/bin/env bash
# gatehouse benchmark suite. One command, from the repository root:
#
#   bench/run.sh            # everything: stores of 1k, 100k and 1M users
#   bench/run.sh --quick    # 1k and 100k only (for iteration)
#   bench/run.sh --fresh    # re-seed the cached stores first
#   bench/run.sh --seed-only  # build and seed the stores, measure nothing (bench/scale.sh)
#
# It builds the release binary (`cargo build --release`), seeds stores through the tool
# itself (`gatehouse init`, `package create`, `user import` with `password_hash`), caches
# them in bench/.cache (or $GATEHOUSE_BENCH_CACHE), measures every figure with hyperfine
# (median of several runs) and /usr/bin/time -v (peak memory), and prints one table.
# Needs: cargo, python3, hyperfine, sqlite3, GNU time. On Debian/Ubuntu, as root, the
# last three are installed with apt-get when missing.
set -euo pipefail

QUICK=0 FRESH=0 SEED_ONLY=0 CHUNK=100000
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --fresh) FRESH=1 ;;
        --seed-only) SEED_ONLY=1 ;;
        --chunk) CHUNK=$2; shift ;;
        -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CACHE=${GATEHOUSE_BENCH_CACHE:-$BENCH/.cache}
STORES=$CACHE/stores INPUTS=$CACHE/inputs
RES=$CACHE/results/$(date -u +%Y%m%dT%H%M%SZ)
PY="python3 $BENCH/bench.py"
# Nothing from the caller's environment may change what gatehouse does.
unset "${!GATEHOUSE_@}" 2>/dev/null || true
export NO_COLOR=1

ADMIN=admin@bench.example ADMIN_PW=Bench-admin-pw-2026 SEED_PW=Seed-pass-2026
log() { printf '\n== %s\n' "$*" >&2; }
T0=$(date +%s)

# --- tools ------------------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing ${need[*]} (apt-get)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "bench/run.sh needs: ${need[*]}" >&2
        echo "install them from the system's packages, e.g. 'sudo apt-get install ${need[*]}'" >&2
        echo "(hyperfine: https://github.com/sharkdp/hyperfine, also 'cargo install hyperfine')" >&2
        exit 2
    fi
fi
command -v python3 >/dev/null || { echo "bench/run.sh needs python3" >&2; exit 2; }
CORES=$(nproc)

# --- builds -----------------------------------------------------------------------------
log "cargo build --release (gatehouse)"
(cd "$ROOT" && cargo build --release --locked)
GH=$ROOT/target/release/gatehouse
# What was built: the commit, and whether the tree differed from it at build time.
BUILT="\`$(git -C "$ROOT" rev-parse --short HEAD)\`$(git -C "$ROOT" diff --quiet HEAD -- src migrations Cargo.toml Cargo.lock || echo ' plus uncommitted changes in src/')"
log "building the argon2 helper (bench/argon2-floor, its own workspace)"
(cd "$BENCH/argon2-floor" && CARGO_TARGET_DIR=$CACHE/target cargo build --release --locked -q)
FLOOR=$CACHE/target/release/argon2-floor

mkdir -p "$STORES" "$INPUTS" "$RES"
chmod 700 "$CACHE" "$STORES"
[ "$FRESH" = 1 ] && rm -rf "${STORES:?}"/* "${INPUTS:?}"/*
# Cached stores are reused while the schema and the generator are unchanged.
FP=$(cat "$ROOT"/migrations/*/*.sql "$BENCH/bench.py" | sha256sum | cut -c1-16)
PHC_FILE=$INPUTS/seed.phc
[ -s "$PHC_FILE" ] || "$FLOOR" phc "$SEED_PW" >"$PHC_FILE"
PHC=$(cat "$PHC_FILE")

login() { # DB -> token (24 h)
    printf '%s\n' "$ADMIN_PW" | "$GH" --db "$1" login --email "$ADMIN" --password-stdin --print-token --ttl 24h
}

new_store() { # DIR: init + the 20 packages, nothing else
    local dir=$1 db=$1/gatehouse.db tok p
    rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir"
    printf '%s\n' "$ADMIN_PW" | "$GH" --db "$db" -q init --email "$ADMIN" --name admin --password-stdin
    tok=$(login "$db")
    for p in $($PY packages); do
        GATEHOUSE_TOKEN=$tok "$GH" --db "$db" -q package create "$p" --description "bench package" >/dev/null
    done
}

seed() { # NAME COUNT: a store of COUNT users imported with `user import`, CHUNK rows a file
    local name=$1 n=$2 dir=$STORES/$1 db=$STORES/$1/gatehouse.db tok start cnt f t1 secs=0 rss=0 r
    if [ -f "$dir/.done" ] && [ "$(cat "$dir/.done")" = "$FP" ]; then
        echo "reusing $dir ($n users)" >&2
        return
    fi
    log "seeding $name: $n users via \`user import\` (chunks of $CHUNK rows)"
    new_store "$dir"
    tok=$(login "$db")
    : >"$dir/seed.log"
    for ((start = 1; start <= n; start += CHUNK)); do
        cnt=$((n - start + 1 < CHUNK ? n - start + 1 : CHUNK))
        f=$INPUTS/seed-$start-$cnt.jsonl
        [ -s "$f" ] || $PY seed "$f" "$start" "$cnt" "$PHC"
        t1=$(date +%s.%N)
        GATEHOUSE_TOKEN=$tok /usr/bin/time -v -o "$dir/seed-$start.time" \
            "$GH" --db "$db" -q user import "$f" --on-conflict skip >/dev/null
        secs=$(awk -v a="$secs" -v b="$(date +%s.%N)" -v c="$t1" 'BEGIN {print a + b - c}')
        r=$($PY maxrss "$dir/seed-$start.time")
        rss=$(awk -v a="$r" -v b="$rss" 'BEGIN {print (a > b ? a : b)}')
        printf '  rows %d..%d imported, total %.1f s, peak RSS %s MiB\n' "$start" $((start + cnt - 1)) "$secs" "$r" | tee -a "$dir/seed.log" >&2
    done
    printf 'seed_%s\t%s\nseed_%s_rss\t%s\n' "$name" "$secs" "$name" "$rss" >"$dir/seed.tsv"
    echo "$FP" >"$dir/.done"
}

SIZES=(1k 100k 1m)
declare -A COUNT=([1k]=1000 [100k]=100000 [1m]=1000000)
[ "$QUICK" = 1 ] && SIZES=(1k 100k)
seed_t0=$(date +%s)
for s in "${SIZES[@]}"; do seed "$s" "${COUNT[$s]}"; done
# A store with the admin and the packages only: copied for each import / add run.
if [ ! -f "$STORES/empty/.done" ] || [ "$(cat "$STORES/empty/.done")" != "$FP" ]; then
    new_store "$STORES/empty" && echo "$FP" >"$STORES/empty/.done"
fi
[ -s "$INPUTS/plain-2000.csv" ] || $PY plain "$INPUTS/plain-2000.csv" 2000
SEED_SECS=$(($(date +%s) - seed_t0))
[ "$SEED_ONLY" = 1 ] && exit 0

# --- measuring --------------------------------------------------------------------------
FIG=$RES/figures.tsv
: >"$FIG"
put() { printf '%s\t%s\n' "$1" "$2" >>"$FIG"; }
printf 'cores\t%s\n' "$CORES" >>"$FIG"
hf() { # NAME [hyperfine args...]: runs hyperfine, records the median under NAME
    local name=$1
    shift
    hyperfine --style basic --export-json "$RES/$name.json" "$@" >"$RES/$name.log" 2>&1 ||
        { cat "$RES/$name.log" >&2; echo "hyperfine failed for $name" >&2; exit 1; }
    put "$name" "$($PY median "$RES/$name.json")"
    printf '  %-16s median %s s\n' "$name" "$($PY median "$RES/$name.json")" >&2
}
target_of() { $PY email $((COUNT[$1] / 2 + 1)); }

for s in "${SIZES[@]}"; do
    db=$STORES/$s/gatehouse.db u=$(target_of "$s")
    log "$s: user deactivate / user show with a token, and the sqlite3 shell"
    tok=$(login "$db")
    GATEHOUSE_TOKEN=$tok "$GH" --db "$db" -q user activate "$u" >/dev/null
    GATEHOUSE_TOKEN=$tok hf "deactivate_$s" -N --warmup 3 --runs 20 \
        --prepare "$GH --db $db -q user activate $u" "$GH --db $db user deactivate $u"
    GATEHOUSE_TOKEN=$tok "$GH" --db "$db" -q user activate "$u" >/dev/null
    hf "sqlite_deactivate_$s" -N --warmup 3 --runs 20 \
        --prepare "sqlite3 $db \"UPDATE users SET status = 'active' WHERE email = '$u'\"" \
        "sqlite3 $db \"UPDATE users SET status = 'inactive', updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE email = '$u'\""
    sqlite3 "$db" "UPDATE users SET status = 'active' WHERE email = '$u'"
    GATEHOUSE_TOKEN=$tok hf "show_$s" -N --warmup 3 --runs 20 "$GH --db $db user show $u"
    hf "sqlite_show_$s" -N --warmup 3 --runs 20 \
        "sqlite3 $db \"SELECT u.*, (SELECT group_concat(p.name) FROM assignments a JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id) FROM users u WHERE u.email = '$u'\""
done

log "argon2id in-process (helper), before the password-dependent figures"
a1=$("$FLOOR" time 21)
echo "  $a1" >&2

log "argon2id: one verification in a fresh process (helper)"
once_phc=$("$FLOOR" phc "$ADMIN_PW")
hf verify_once -N --warmup 3 --runs 20 "$FLOOR verify-once $once_phc $ADMIN_PW"

log "100k: user show with GATEHOUSE_EMAIL / GATEHOUSE_PASSWORD"
db=$STORES/100k/gatehouse.db
GATEHOUSE_EMAIL=$ADMIN GATEHOUSE_PASSWORD=$ADMIN_PW hf pwauth_100k -N --warmup 2 --runs 15 \
    "$GH --db $db user show $(target_of 100k)"

for s in 100k 1m; do
    [[ " ${SIZES[*]} " == *" $s "* ]] || continue
    log "$s: user list --format jsonl (all users, streamed)"
    db=$STORES/$s/gatehouse.db
    tok=$(login "$db")
    runs=5 && [ "$s" = 1m ] && runs=3
    GATEHOUSE_TOKEN=$tok hf "list_$s" -N --warmup 1 --runs $runs "$GH --db $db --format jsonl user list"
    GATEHOUSE_TOKEN=$tok /usr/bin/time -v -o "$RES/list_$s.time" "$GH" --db "$db" --format jsonl user list >/dev/null
    put "list_${s}_rss" "$($PY maxrss "$RES/list_$s.time")"
    printf '  peak RSS %s MiB\n' "$($PY maxrss "$RES/list_$s.time")" >&2
done

W=$CACHE/work
mkdir -p "$W" && chmod 700 "$W"
EMPTY=$STORES/empty/gatehouse.db
etok=$(login "$EMPTY")
copy_empty="rm -f $W/g.db $W/g.db-wal $W/g.db-shm && cp $EMPTY $W/g.db"

log "user import of 2,000 plaintext passwords (fresh store each run)"
GATEHOUSE_TOKEN=$etok hf import_plain --warmup 0 --runs 3 --prepare "$copy_empty" \
    "$GH --db $W/g.db -q user import $INPUTS/plain-2000.csv"
a2=$("$FLOOR" time 21)
echo "  argon2 after: $a2" >&2
python3 - "$a1" "$a2" >>"$FIG" <<'EOF'
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
print(f"hash\t{(a['hash_median_s'] + b['hash_median_s']) / 2:.6f}")
print(f"verify\t{(a['verify_median_s'] + b['verify_median_s']) / 2:.6f}")
EOF

for fmt in jsonl csv; do
    log "user import of 100k users with password_hash, $fmt (fresh store each run)"
    f=$INPUTS/seed-1-100000.$fmt
    [ -s "$f" ] || $PY seed "$f" 1 100000 "$PHC"
    name=import_100k && [ "$fmt" = csv ] && name=import_100k_csv
    runs=3 && [ "$fmt" = csv ] && runs=${BENCH_CSV_RUNS:-3}
    GATEHOUSE_TOKEN=$etok hf "$name" --warmup 0 --runs "$runs" --prepare "$copy_empty" \
        "/usr/bin/time -v -a -o $RES/$name.time $GH --db $W/g.db -q user import $f --on-conflict skip"
    put "${name}_rss" "$($PY maxrss "$RES/$name.time")"
    printf '  peak RSS %s MiB\n' "$($PY maxrss "$RES/$name.time")" >&2
done

log "user add: one, then 16 processes × 50 at once (on a copy of the 100k store)"
src=$STORES/100k/gatehouse.db
tok=$(login "$src")
copy_100k="rm -f $W/c.db $W/c.db-wal $W/c.db-shm && cp $src $W/c.db"
pw=$W/pw && printf 'Bench-add-pw-2026\n' >"$pw" && chmod 600 "$pw"
eval "$copy_100k"
GATEHOUSE_TOKEN=$tok hf add_one --warmup 1 --runs 10 \
    --prepare "$GH --db $W/c.db -q user delete addone@bench.example --yes >/dev/null 2>&1 || true" \
    "$GH --db $W/c.db -q user add --name addone --email addone@bench.example --password-file $pw"
fails=$RES/concurrent.failures
: >"$fails"
GATEHOUSE_TOKEN=$tok hf concurrent --warmup 0 --runs 3 -i --prepare "$copy_100k" \
    "$BENCH/concurrent.sh $GH $W/c.db $pw $fails"
put concurrent_failures "$(wc -l <"$fails")"
echo "  failed adds over 3 runs: $(wc -l <"$fails") (exit codes: $(cut -d' ' -f3 "$fails" | sort | uniq -c | tr '\n' ' '))" >&2
rm -f "$W"/c.db* "$W"/g.db*

for s in "${SIZES[@]}"; do
    [ -f "$STORES/$s/seed.tsv" ] && cat "$STORES/$s/seed.tsv" >>"$FIG"
done

# --- the table ----------------------------------------------------------------------------
{
    echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- binary built from: $BUILT"
    echo "- mode: $([ "$QUICK" = 1 ] && echo '--quick (1k and 100k stores)' || echo 'full (1k, 100k, 1M stores)')"
    echo "- machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, $(lscpu | sed -n 's/^Model name: *//p')"
    echo "- tools: $(hyperfine --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(python3 --version)"
    echo "- wall time: $(($(date +%s) - T0)) s (of which seeding $SEED_SECS s)"
    echo
    $PY report "$FIG"
    echo
    echo "Raw hyperfine JSON and logs: \`$RES\`"
} | tee "$RES/report.md"
