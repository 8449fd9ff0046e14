#!/usr/bin/env python3
"""Measures the shape of the code in src/: long functions, long files, rows read by
position, circles among modules, what the access rule imports, and where a store is
opened.

    python3 .ci/shape.py [--root DIR] [--check]

Prints one section per measure. With --check, exits 1 when a limit is broken:
no function over 80 lines, no file over 800 lines (the clap surface, src/cli.rs, aside),
no positional row read, no circle among modules, src/authz.rs importing only the
domain types (src/model.rs), and no store opened outside the door: a command reaches
the store only through src/commands/mod.rs, which decides the command before it hands
out a handle, so no other file (a handler under src/commands/ least of all) may open
one; the store's own code (src/store/) is where the openers live. The door's few ways
to a bare store (for login, init, store copy and doctor, completion) are each allowed
to the files named in BARE_DOORS only.
"""

import argparse
import os
import re
import sys

FN_LIMIT = 80
FILE_LIMIT = 800
FILE_EXEMPT = {"src/cli.rs"}
AUTHZ_MAY_IMPORT = {"src/model.rs", "src/authz.rs"}
# The door, and the store itself: the only places a store may be opened.
DOOR = "src/commands/mod.rs"
OPENS_MAY = (DOOR, "src/store/")
OPENS_RE = re.compile(
    r"\b(?:Store|Sqlite|Postgres)::(?:open\w*|create|install)\b|\bopen_(?:any|installer)\s*\("
)

# The doors that give a bare store, without a decided command, and the only files that
# may go through each: the commands that rightly work before or without a user.
BARE_DOORS = {
    "unauthenticated_for_login": {"src/commands/auth.rs"},
    "unauthenticated_for_saved_sessions": {"src/commands/auth.rs"},
    "unauthenticated_to_lay_down": {"src/commands/init.rs", "src/commands/storage.rs"},
    "unauthenticated_as_installer": {"src/commands/storage.rs"},
    "undecided_for_completion": {"src/complete.rs"},
}
BARE_DOOR_RE = re.compile(r"\b(" + "|".join(BARE_DOORS) + r")\s*\(")

FN_RE = re.compile(
    r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"C\"\s+)?fn\s+(\w+)"
)
POSITIONAL_RE = re.compile(r"\.(get|get_ref|get_unwrap|try_get|col|get_opt)(::<[^>]*>)?\(\s*\d+\s*\)")


def strip_code(text):
    """The text with string, char literals and comments blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif re.match(r'b?r#*"', text[i:i + 40]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'b?r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            if m:
                out.append(" " * m.end())
                i += m.end()
            else:  # a lifetime
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def rust_files(root):
    for dirpath, _, names in os.walk(os.path.join(root, "src")):
        for name in sorted(names):
            if name.endswith(".rs"):
                full = os.path.join(dirpath, name)
                yield os.path.relpath(full, root), full


def functions(code):
    """(name, first line, last line) of each function with a body."""
    lines = code.split("\n")
    found = []
    for idx, line in enumerate(lines):
        m = FN_RE.match(line)
        if not m:
            continue
        depth, started = 0, False
        for j in range(idx, len(lines)):
            for ch in lines[j]:
                if ch == "{":
                    depth += 1
                    started = True
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and not started and depth == 0:
                    break
            else:
                if started and depth == 0:
                    found.append((m.group(7), idx + 1, j + 1))
                    break
                continue
            break
    return found


def module_of(root, parts):
    """The file a path of module names (from src/) lands in, and how many names it used."""
    for k in range(len(parts), 0, -1):
        base = os.path.join(root, "src", *parts[:k])
        for cand in (base + ".rs", os.path.join(base, "mod.rs")):
            if os.path.isfile(cand):
                return os.path.relpath(cand, root)
    return None


def module_path(rel):
    parts = rel[len("src/"):-len(".rs")].split("/")
    if parts[-1] == "mod":
        parts = parts[:-1]
    if parts in (["lib"], ["main"]):
        return []
    return parts


def edges(root, rel, code):
    here = module_path(rel)
    targets = set()
    for m in re.finditer(r"\b(crate|super)((?:::\w+)+|::\{[^}]*\})", code):
        head, tail = m.group(1), m.group(2)
        names = []
        brace = re.match(r"::\{([^}]*)\}", tail)
        if brace:
            groups = [[w for w in g.strip().split("::") if w] for g in brace.group(1).split(",")]
        else:
            groups = [[w for w in tail.split("::") if w]]
        for names in groups:
            if head == "crate":
                base = []
            else:
                is_mod = rel.endswith("mod.rs") or rel in ("src/lib.rs", "src/main.rs")
                base = here[:-1] if not is_mod else here[:-1]
                if not is_mod:
                    base = here[:-1]
            while names and names[0] == "super":
                base, names = base[:-1], names[1:]
            path = [n for n in base + names if n not in ("self",)]
            target = module_of(root, path) if path else "src/lib.rs"
            if target and target != rel:
                targets.add(target)
    return targets


def circles(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    root = os.path.abspath(args.root)

    long_fns, long_files, positional, opens, graph = [], [], [], [], {}
    for rel, full in rust_files(root):
        text = open(full, encoding="utf-8").read()
        code = strip_code(text)
        n = text.count("\n")
        if n > FILE_LIMIT and rel not in FILE_EXEMPT:
            long_files.append((n, rel))
        for name, a, b in functions(code):
            if b - a + 1 > FN_LIMIT:
                long_fns.append((b - a + 1, f"{rel}:{a}", name))
        for i, line in enumerate(code.split("\n"), 1):
            if rel.startswith("src/store/") and POSITIONAL_RE.search(line):
                positional.append(f"{rel}:{i}: {line.strip()}")
            if not rel.startswith(OPENS_MAY) and OPENS_RE.search(line):
                opens.append(f"{rel}:{i}: {line.strip()}")
            m = BARE_DOOR_RE.search(line)
            if m and rel != DOOR and rel not in BARE_DOORS[m.group(1)]:
                opens.append(f"{rel}:{i}: {line.strip()} (only {', '.join(sorted(BARE_DOORS[m.group(1)]))})")
        graph[rel] = edges(root, rel, code)
    # Edges are `crate::` and `super::` paths (in `use` or inline); a parent module
    # naming its own children (`mod x;`, `x::f()`) is not counted as an import.
    rings = circles(graph)
    # The same at the level of the crate's top modules (src/x.rs or src/x/): a layer that
    # calls down and is called back is a circle even when no two files close it.
    def top(rel):
        parts = module_path(rel)
        return parts[0] if parts else "lib"
    layers = {}
    for a, bs in graph.items():
        layers.setdefault(top(a), set()).update(top(b) for b in bs if top(b) != top(a))
    layer_rings = circles(layers)
    authz = sorted(graph.get("src/authz.rs", set()) - AUTHZ_MAY_IMPORT)

    print(f"functions over {FN_LIMIT} lines: {len(long_fns)}")
    for size, where, name in sorted(long_fns, reverse=True):
        print(f"  {size:5}  {where}  {name}")
    print(f"files over {FILE_LIMIT} lines (src/cli.rs aside): {len(long_files)}")
    for size, rel in sorted(long_files, reverse=True):
        print(f"  {size:5}  {rel}")
    print(f"positional row reads: {len(positional)}")
    for p in positional[:40]:
        print(f"  {p}")
    print(f"circles among modules: {len(rings)}")
    for ring in rings:
        print(f"  {len(ring)} files: {' '.join(ring)}")
    print(f"circles among top-level modules: {len(layer_rings)}")
    for ring in layer_rings:
        print(f"  {' '.join(ring)}")
    print(f"src/authz.rs imports beyond the domain types: {len(authz)}")
    for a in authz:
        print(f"  {a}")
    print(f"stores opened outside the door ({DOOR}) and src/store/, or a bare door used by another command: {len(opens)}")
    for o in opens:
        print(f"  {o}")
    broken = long_fns or long_files or positional or rings or layer_rings or authz or opens
    if args.check and broken:
        sys.exit(1)


if __name__ == "__main__":
    main()
