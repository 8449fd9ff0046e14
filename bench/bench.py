#!/usr/bin/env python3
"""Helpers for bench/run.sh: input files for `gatehouse user import`, and the report.

  bench.py seed OUT START COUNT PHC     users START.. with password_hash (JSONL; CSV if OUT is *.csv)
  bench.py plain OUT COUNT              CSV of COUNT users with distinct plaintext passwords
  bench.py median HYPERFINE.json        the median (seconds) of the first command
  bench.py maxrss TIME_V.log            "Maximum resident set size" of /usr/bin/time -v, in MiB
  bench.py report FIGURES.tsv           the results table (markdown) on stdout
  bench.py replay SERVER.log            a psql script of the statements one command sent (see pg.sh)

Only the standard library: Python 3.8+.
"""

import csv
import json
import re
import sys

PACKAGES = 20


def package_names():
    return [f"pkg-{i:02d}" for i in range(1, PACKAGES + 1)]


def email(i):
    return f"user{i:07d}@bench.example"


def seed(out, start, count, phc):
    """Users with a precomputed argon2id PHC hash, 1 to 3 packages each, a few admins
    and inactive users, so the store looks like a real one. JSON lines, or CSV when OUT
    ends in .csv."""
    pk = package_names()
    as_csv = out.endswith(".csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if as_csv:
            w.writerow(["email", "name", "full_name", "role", "status", "packages", "password_hash"])
        for i in range(start, start + count):
            n = 1 + i % 3
            pkgs = sorted({pk[(i * (k + 7)) % PACKAGES] for k in range(n)})
            rec = {
                "email": email(i),
                "name": f"user{i:07d}",
                "full_name": f"Bench User {i}",
                "role": "admin" if i % 5000 == 0 else "user",
                "status": "inactive" if i % 50 == 0 else "active",
                "packages": pkgs,
                "password_hash": phc,
            }
            if as_csv:
                rec["packages"] = ";".join(pkgs)
                w.writerow(rec.values())
            else:
                f.write(json.dumps(rec, separators=(",", ":")) + "\n")


def plain(out, count):
    """New users with plaintext passwords (distinct, not on the common list)."""
    pk = package_names()
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["email", "name", "packages", "password"])
        for i in range(count):
            w.writerow([
                f"plain{i:05d}@bench.example",
                f"plain{i:05d}",
                pk[i % PACKAGES],
                f"Zq7-bench-{i:05d}-kestrel",
            ])


def median(path):
    with open(path) as f:
        data = json.load(f)
    return data["results"][0]["median"]


def maxrss(path):
    with open(path) as f:
        m = re.findall(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    if not m:
        raise SystemExit(f"no 'Maximum resident set size' in {path}")
    return max(int(x) for x in m) / 1024.0


def fmt(v, unit):
    if v is None:
        return "—"
    if unit == "s":
        return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
    if unit == "MiB":
        return f"{v:.1f} MiB"
    return f"{v}"


def report(path):
    """Reads `name<TAB>value` lines and prints one table: figure, median, baseline,
    ratio, target, verdict. Rows whose inputs are missing (e.g. --quick) are left out."""
    fig = {}
    notes = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                try:
                    fig[parts[0]] = float(parts[1])
                except ValueError:
                    notes[parts[0]] = parts[1]
    g = fig.get
    cores = g("cores", 2)
    rows = []

    def row(name, value, unit, base, base_label, limit, target_label=None, info=False):
        if value is None or (base is None and limit is not None):
            return
        ratio = value / base if base else None
        if info or limit is None or ratio is None:
            verdict = "info"
        else:
            verdict = "met" if ratio <= limit else "**missed**"
        target = target_label or (f"≤ {limit} ×" if limit is not None else "—")
        rows.append([
            name,
            fmt(value, unit),
            f"{fmt(base, unit)} ({base_label})" if base is not None else "—",
            f"{ratio:.2f}" if ratio is not None else "—",
            target,
            verdict,
        ])

    for op, label in (("deactivate", "`user deactivate` (token)"), ("show", "`user show` (token)")):
        row(f"{label}, 1k", g(f"{op}_1k"), "s", g(f"sqlite_{op}_1k"), "sqlite3 shell", None, info=True)
        row(f"{label}, 100k", g(f"{op}_100k"), "s", g(f"sqlite_{op}_100k"), "sqlite3 shell", 2.0)
        row(f"{label}, 1M", g(f"{op}_1m"), "s", g(f"sqlite_{op}_1m"), "sqlite3 shell", None, info=True)
        row(f"{label}, 1M vs 1k", g(f"{op}_1m"), "s", g(f"{op}_1k"), "same at 1k", 1.3)
        if g(f"{op}_1m") is None:
            row(f"{label}, 100k vs 1k", g(f"{op}_100k"), "s", g(f"{op}_1k"), "same at 1k", None,
                target_label="(1M: ≤ 1.3 ×)", info=True)
    if g("pwauth_100k") is not None and g("verify") is not None and g("show_100k") is not None:
        row("`user show` (GATEHOUSE_EMAIL/PASSWORD), 100k", g("pwauth_100k"), "s",
            g("verify") + g("show_100k"), "1 argon2 verify + token figure", 1.2)
    if g("pwauth_100k") is not None and g("verify_once") is not None and g("show_100k") is not None:
        row("`user show` (GATEHOUSE_EMAIL/PASSWORD), 100k, vs a fresh-process verify",
            g("pwauth_100k"), "s", g("verify_once") + g("show_100k"),
            "1 verify in its own process + token figure", None, info=True)
    row("argon2id verify, in-process (helper)", g("verify"), "s", None, "", None, info=True)
    row("argon2id verify, one in a fresh process (helper)", g("verify_once"), "s", None, "", None,
        info=True)
    row("argon2id hash, in-process (helper)", g("hash"), "s", None, "", None, info=True)
    row("`user list --format jsonl`, 100k: time", g("list_100k"), "s", 1.0, "limit", 1.0, "< 1 s")
    row("`user list --format jsonl`, 100k: peak RSS", g("list_100k_rss"), "MiB", 64.0, "limit", 1.0, "< 64 MiB")
    row("`user list --format jsonl`, 1M: time", g("list_1m"), "s", 10.0, "limit", 1.0, "< 10 s")
    row("`user list --format jsonl`, 1M: peak RSS", g("list_1m_rss"), "MiB", 64.0, "limit", 1.0, "< 64 MiB")
    if g("hash") is not None:
        floor = 2000 * g("hash") / cores
        row("`user import` 2,000 plaintext passwords", g("import_plain"), "s", floor,
            f"argon2 floor: 2000 × hash ÷ {int(cores)}", 1.15)
    for k, fmt_ in (("import_100k", "JSONL"), ("import_100k_csv", "CSV")):
        row(f"`user import` 100k with password_hash, {fmt_}: time", g(k), "s", 5.0, "limit", 1.0, "< 5 s")
        row(f"`user import` 100k with password_hash, {fmt_}: peak RSS", g(k + "_rss"), "MiB", 300.0, "limit", 1.0, "< 300 MiB")
    row("single `user add` (token), 100k", g("add_one"), "s", None, "", None, info=True)
    if g("concurrent") is not None and g("add_one") is not None:
        fails = int(g("concurrent_failures", 0))
        row(f"16 × 50 `user add` at once ({fails} failed, all runs)", g("concurrent"), "s",
            800 * g("add_one") / cores, f"800 × single ÷ {int(cores)}", None,
            target_label="all succeed; ratio reported", info=True)
        if fails:
            rows[-1][-1] = "**missed** (failures)"
        else:
            rows[-1][-1] = "met (all succeeded)"
    for key, label in (("seed_1m", "seeding 1M users (`user import`, JSONL)"),
                       ("seed_1m_rss", "seeding 1M: peak RSS of the largest import")):
        if g(key) is not None:
            row(label, g(key), "MiB" if key.endswith("rss") else "s", None, "", None, info=True)

    print("| figure | median | baseline | ratio | target | verdict |")
    print("|---|---:|---|---:|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    for k, v in notes.items():
        print(f"\n{k}: {v}")


def replay(log):
    """A psql script that runs the statements one gatehouse command sent, as the server
    logged them (log_statement = all): parameters written in, every row-returning query
    as `\\copy (...) to stdout` so psql streams it as gatehouse does, cursors read whole,
    the command's own bookkeeping (schema checks, the login stamp) left out."""
    import re
    lines = open(log).read().splitlines()
    stmts = []
    for i, line in enumerate(lines):
        m = re.search(r"LOG:  (?:execute [^:]+|statement): (.*)$", line)
        if not m:
            continue
        sql = m.group(1)
        params = {}
        if i + 1 < len(lines):
            d = re.search(r"DETAIL:  Parameters: (.*)$", lines[i + 1])
            if d:
                for k, v in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", d.group(1)):
                    params[k] = v
        sql = re.sub(r"\$(\d+)\b", lambda x: params.get(x.group(1), x.group(0)), sql)
        stmts.append(sql)
    out = ["\\set ON_ERROR_STOP 1"]
    for sql in stmts:
        head = sql.split()[0].upper()
        if head in ("FETCH", "CLOSE") or "to_regclass" in sql or "own_id(" in sql \
                or "last_login_at = gatehouse.now_text()" in sql or "WHERE u.id = " in sql:
            continue
        m = re.match(r"DECLARE \w+ NO SCROLL CURSOR FOR (.*)$", sql)
        if m:
            sql = m.group(1)
            head = "SELECT"
        if head == "SELECT":
            out.append("\\copy (" + sql + ") to stdout")
        else:
            out.append(sql + ";")
    print("\n".join(out))


def main():
    a = sys.argv[1:]
    if not a:
        raise SystemExit(__doc__)
    cmd = a[0]
    if cmd == "seed":
        seed(a[1], int(a[2]), int(a[3]), a[4])
    elif cmd == "plain":
        plain(a[1], int(a[2]))
    elif cmd == "median":
        print(f"{median(a[1]):.6f}")
    elif cmd == "maxrss":
        print(f"{maxrss(a[1]):.1f}")
    elif cmd == "report":
        report(a[1])
    elif cmd == "packages":
        print("\n".join(package_names()))
    elif cmd == "email":
        print(email(int(a[1])))
    elif cmd == "replay":
        replay(a[1])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
