#!/usr/bin/env python3
"""Lists cycles between modules of the gtx library (docs/architecture.md, "Layers").

Two modules are compared where they are siblings: the top-level modules of src/, or the
submodules of one module (oauth::pipeline and oauth::http). Module A depends on its
sibling B when code anywhere in A (or below it) names B or anything inside it
(`use crate::b::…`, `crate::b::…`, `super::b::…`). A child naming its parent, or a parent
its child, is no edge: they are one unit. Test code (`#[cfg(test)]`) is left out: a test
may reach anywhere.

Prints each cycle with one place per edge and exits 1 when there is one; exits 0 and
prints nothing otherwise. The emulator (src/bin) is a separate program and not read.

Usage: scripts/module-cycles.py [SRC_DIR]
"""

import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")

# Macros exported at the crate root, and the module that defines each.
ROOT_MACROS = {"vlog": ("output",)}


def strip(text):
    """Comments, string and char literals blanked, line breaks kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if text[i] == "\n" else "")
                    i += 1
        elif c == "r" and re.match(r'r(#*)"', text[i:i + 10]) and not re.match(r"\w", text[i - 1:i] or " "):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            end = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'|'\\x..'", text[i:i + 12]):
            m = re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'|'\\x..'", text[i:i + 12])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def drop_test_items(code):
    """Blanks every item marked `#[cfg(test)]` (a `mod tests { … }`, a `mod x;`, a fn)."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]", code)
        if not m:
            return code
        start, i = m.start(), m.end()
        depth = 0
        while i < len(code):
            if code[i] == "{":
                depth += 1
            elif code[i] == "}":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            elif code[i] == ";" and depth == 0:
                i += 1
                break
            i += 1
        code = code[:start] + re.sub(r"[^\n]", " ", code[start:i]) + code[i:]


def module_files(src):
    """{module path tuple: file}, following `mod x;` from lib.rs."""
    found = {}

    def visit(path, file, child_dir):
        found[path] = file
        code = drop_test_items(strip(open(file, encoding="utf-8").read()))
        for name in re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code, re.M):
            for cand, sub_dir in (
                (os.path.join(child_dir, name + ".rs"), os.path.join(child_dir, name)),
                (os.path.join(child_dir, name, "mod.rs"), os.path.join(child_dir, name)),
            ):
                if os.path.exists(cand):
                    visit(path + (name,), cand, sub_dir)
                    break

    visit((), os.path.join(src, "lib.rs"), src)
    return found


def expand_use(tree):
    """`a::{b, c::{d, e}}` → ["a::b", "a::c::d", "a::c::e"]."""
    tree = re.sub(r"\s+", "", tree)
    depth = 0
    for i, c in enumerate(tree):
        if c == "{":
            if depth == 0:
                prefix, inner = tree[:i], tree[i + 1:tree.rindex("}")]
                parts, level, last = [], 0, 0
                for j, d in enumerate(inner):
                    level += d == "{"
                    level -= d == "}"
                    if d == "," and level == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                parts.append(inner[last:])
                return [p for part in parts if part for p in expand_use(prefix + part)]
            depth += 1
    return [re.sub(r"\bas\w+$|::self$", "", tree.split(" as ")[0])]


def references(code):
    """(line, absolute-or-relative path) for each path that leaves the module."""
    refs = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        line = code.count("\n", 0, m.start()) + 1
        for p in expand_use(m.group(1)):
            refs.append((line, re.sub(r"\s+as\s+\w+$", "", p)))
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", code):
        refs.append((code.count("\n", 0, m.start()) + 1, m.group(1)))
    for name in ROOT_MACROS:
        for m in re.finditer(r"\b%s!" % name, code):
            refs.append((code.count("\n", 0, m.start()) + 1, "crate::" + name))
    return refs


def resolve(here, is_dir_module, path, modules):
    """The module a path lands in (longest known prefix), or None outside the crate."""
    segs = path.split("::")
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    elif segs[0] in ("super", "self"):
        # In foo.rs or foo/mod.rs `self` is foo; `super` its parent.
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    else:
        return None
    if base == () and rest and rest[0] in ROOT_MACROS:
        return ROOT_MACROS[rest[0]]
    target = base
    for s in rest:
        if target + (s,) in modules:
            target = target + (s,)
        else:
            break
    return target


def cycles(src):
    modules = module_files(src)
    edges = {}  # (from, to) at one level → first place
    for mod, file in modules.items():
        code = drop_test_items(strip(open(file, encoding="utf-8").read()))
        for line, path in references(code):
            target = resolve(mod, file.endswith("mod.rs"), path, modules)
            if target is None:
                continue
            k = 0
            while k < min(len(mod), len(target)) and mod[k] == target[k]:
                k += 1
            if k == len(mod) or k == len(target):
                continue  # the same module, an ancestor or a descendant
            a, b = mod[:k + 1], target[:k + 1]
            edges.setdefault((a, b), f"{os.path.relpath(file, src)}:{line} {path}")
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    return strongly_connected(graph), edges


def strongly_connected(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
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
    comps, edges = cycles(SRC)
    name = lambda m: "::".join(m)
    for comp in comps:
        members = set(comp)
        print("cycle: " + " ↔ ".join(name(m) for m in comp))
        for (a, b), place in sorted(edges.items()):
            if a in members and b in members:
                print(f"  {name(a)} → {name(b)}  ({place})")
    return 1 if comps else 0


if __name__ == "__main__":
    sys.exit(main())
