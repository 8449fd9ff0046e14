#!/usr/bin/env bash
# `user import` at scale against its floor, in one run:
#
#   bench/import.sh [ROWS]        # default 1000000
#
# Builds the release binary and bench/import-floor, makes a CSV of ROWS users with a
# precomputed argon2id hash and 1-3 packages each (bench/bench.py's generator), then for
# each of gatehouse and the floor: a fresh store (`gatehouse init` + 20 packages), the
# import, wall time and peak RSS from GNU time. Median of 3 runs each, interleaved.
# The floor is the same rows inserted with plain rusqlite (bench/import-floor).
set -euo pipefail
ROWS=${1:-1000000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CACHE=${GATEHOUSE_BENCH_CACHE:-$BENCH/.cache}
W=$CACHE/import-$ROWS
unset "${!GATEHOUSE_@}" 2>/dev/null || true
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$W" && chmod 700 "$CACHE" "$W"

(cd "$ROOT" && cargo build --release --locked -q)
(cd "$BENCH/argon2-floor" && CARGO_TARGET_DIR=$CACHE/target cargo build --release --locked -q)
(cd "$BENCH/import-floor" && CARGO_TARGET_DIR=$CACHE/target cargo build --release -q)
GH=$ROOT/target/release/gatehouse FLOOR=$CACHE/target/release/import-floor
ADMIN=admin@bench.example ADMIN_PW=Bench-admin-pw-2026

PHC=$("$CACHE/target/release/argon2-floor" phc Seed-pass-2026)
CSV=$W/users.csv
[ -s "$CSV" ] || python3 "$BENCH/bench.py" seed "$CSV" 1 "$ROWS" "$PHC"

fresh() { # DIR
    rm -rf "$1" && mkdir -p "$1" && chmod 700 "$1"
    printf '%s\n' "$ADMIN_PW" | "$GH" --db "$1/g.db" -q init --email $ADMIN --name admin --password-stdin
    local tok p
    tok=$(printf '%s\n' "$ADMIN_PW" | "$GH" --db "$1/g.db" login --email $ADMIN --password-stdin --print-token --ttl 2h)
    for p in $(python3 "$BENCH/bench.py" packages); do
        GATEHOUSE_TOKEN=$tok "$GH" --db "$1/g.db" -q package create "$p" >/dev/null
    done
    echo "$tok" >"$1/token"
}

measure() { # NAME DIR CMD...: prints "seconds peak_rss_mib"
    local name=$1 dir=$2; shift 2
    /usr/bin/time -f '%e %M' -o "$dir/$name.time" "$@" >/dev/null 2>"$dir/$name.err"
    awk '{printf "%.2f %.1f\n", $1, $2 / 1024}' "$dir/$name.time"
}

: >"$W/results"
for run in 1 2 3; do
    fresh "$W/gh"
    g=$(GATEHOUSE_TOKEN=$(cat "$W/gh/token") measure gh "$W/gh" "$GH" --db "$W/gh/g.db" -q user import "$CSV")
    fresh "$W/floor"
    f=$(measure floor "$W/floor" "$FLOOR" "$W/floor/g.db" "$CSV")
    echo "run $run: gatehouse $g | floor $f" | tee -a "$W/results"
done
python3 - "$W/results" "$ROWS" <<'PY'
import re, statistics, sys
runs = [re.findall(r"([\d.]+) ([\d.]+)", l) for l in open(sys.argv[1])]
g = [tuple(map(float, r[0])) for r in runs]
f = [tuple(map(float, r[1])) for r in runs]
gs, fs = statistics.median(x[0] for x in g), statistics.median(x[0] for x in f)
print(f"rows {sys.argv[2]}: gatehouse {gs:.2f} s (peak RSS {max(x[1] for x in g):.1f} MiB), "
      f"floor {fs:.2f} s (peak RSS {max(x[1] for x in f):.1f} MiB), ratio {gs / fs:.2f} "
      f"(target <= 2.5, RSS < 128 MiB)")
PY
