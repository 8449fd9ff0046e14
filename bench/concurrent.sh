#!/usr/bin/env bash
# 16 processes × 50 `gatehouse user add` each, all at once, against one store.
# Usage: concurrent.sh GATEHOUSE DB PASSWORD_FILE FAIL_LOG   (GATEHOUSE_TOKEN in the env)
# Every failed add appends "worker add exit-code" to FAIL_LOG; the exit code is 1 if any
# add failed.
set -u
gh=$1 db=$2 pw=$3 fails=$4
worker() {
    local w=$1 i rc
    for ((i = 1; i <= 50; i++)); do
        "$gh" --db "$db" -q user add --name "c$w-$i" --email "c$w-$i@bench.example" \
            --password-file "$pw" >/dev/null 2>>"$fails.stderr"
        rc=$?
        [ "$rc" -eq 0 ] || echo "$w $i $rc" >>"$fails"
    done
}
for ((w = 1; w <= 16; w++)); do
    worker "$w" &
done
wait
[ ! -s "$fails" ]
