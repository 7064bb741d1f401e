#!/usr/bin/env python3
"""Lists cycles between modules of the gtx library (docs/architecture.md, "Layers").

Two modules are compared where they are siblings: the top-level modules of src/, or the
submodules of one module (oauth::pipeline and oauth::http). Module A depends on its
sibling B when code anywhere in A (or below it) names B or anything inside it
(`use crate::b::…`, `crate::b::…`, `super::b::…`, a bare `b::…` where `b` is in scope).
A name is followed through the `use` that brought it into a module, so an item re-exported
(`pub use`) or imported by a parent and named through it (`super::Thing`, `use super::*`)
counts as a dependency on the module that defines it. A child naming its parent, or a
parent its child, is no edge: they are one unit. Inline modules (`mod unix { … }`) are
modules like the others. Test code (`#[cfg(test)]`) is left out: a test may reach anywhere.

Prints each cycle with one place per edge and exits 1 when there is one; exits 0 and
prints nothing otherwise. The emulator (src/bin) is a separate program and not read.
scripts/test.sh runs it before the tests.

Usage: scripts/module-cycles.py [SRC_DIR]
       scripts/module-cycles.py --self-test   (each way of naming a module, on small crates)
"""

import bisect
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")

# Macros exported at the crate root (`#[macro_export]`), and the module that defines each.
ROOT_MACROS = {}

# Where a comment, a string or a char literal may start.
LEXEME = re.compile(
    r"//|/\*|(?<!\w)b?r#*\"|\"|'(?:\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'|'\\x[0-9a-fA-F]{2}'"
)
STRING_END = re.compile(r'(?:[^"\\]|\\.)*"', re.S)


def strip(text):
    """Comments, string and char literals blanked, line breaks kept."""
    out, i, n = [], 0, len(text)
    while True:
        m = LEXEME.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:m.start()])
        tok, start = m.group(0), m.start()
        if tok == "//":
            j = text.find("\n", start)
            i = n if j < 0 else j
        elif tok == "/*":
            depth, j = 1, start + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", start, j))
            i = j
        elif tok.endswith('"') and "r" in tok:
            hashes = tok[tok.index("r") + 1:-1]
            end = text.find('"' + hashes, m.end())
            end = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + "\n" * text.count("\n", start, end))
            i = end
        elif tok == '"':
            e = STRING_END.match(text, m.end())
            end = e.end() if e else n
            out.append('""' + "\n" * text.count("\n", start, end))
            i = end
        else:  # a char literal
            out.append("' '")
            i = m.end()


def block_end(code, i):
    """The end of the item starting at `i`: past its `{ … }` or its `;`."""
    depth = 0
    while i < len(code):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif code[i] == ";" and depth == 0:
            return i + 1
        i += 1
    return i


def drop_test_items(code):
    """Blanks every item marked `#[cfg(test)]` (a `mod tests { … }`, a `mod x;`, a fn)."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]", code)
        if not m:
            return code
        start, end = m.start(), block_end(code, m.end())
        code = code[:start] + re.sub(r"[^\n]", " ", code[start:end]) + code[end:]


MOD_DECL = re.compile(r"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*([;{])", re.M)


NEWLINES = {}  # id of a file's code → offsets of its line breaks


class Unit:
    """One module: its file, its code (cleaned), and the part of the file that is its own."""

    def __init__(self, file, code, start, end):
        self.file, self.code, self.start, self.end = file, code, start, end
        self.newlines = NEWLINES.setdefault(id(code), [m.start() for m in re.finditer("\n", code)])
        self.imports = {}  # local name → path as written (relative to this module)
        self.globs = []  # paths of `use …::*`
        self.items = set()  # names of the items it defines

    def line(self, offset):
        return bisect.bisect_right(self.newlines, offset - 1) + 1


def modules_of(src):
    """{module path tuple: Unit}, following `mod x;` from lib.rs and inline `mod x { … }`."""
    found = {}

    def visit(path, file, child_dir):
        code = drop_test_items(strip(open(file, encoding="utf-8").read()))
        found[path] = Unit(file, code, 0, len(code))
        scan(path, file, code, 0, len(code), child_dir)

    def scan(path, file, code, start, end, child_dir):
        pos = start
        while True:
            m = MOD_DECL.search(code, pos, end)
            if not m:
                return
            name = m.group(1)
            if m.group(2) == "{":
                close = block_end(code, m.end() - 1)
                found[path + (name,)] = Unit(file, code, m.end(), close - 1)
                scan(path + (name,), file, code, m.end(), close - 1, os.path.join(child_dir, name))
                pos = close
                continue
            pos = m.end()
            for cand in (os.path.join(child_dir, name + ".rs"), os.path.join(child_dir, name, "mod.rs")):
                if os.path.exists(cand):
                    visit(path + (name,), cand, os.path.join(child_dir, name))
                    break

    visit((), os.path.join(src, "lib.rs"), src)
    # A module's own text is its span less the inline modules inside it.
    for path, unit in found.items():
        inner = [u for p, u in found.items() if p[:-1] == path and u.file == unit.file and u is not unit]
        unit.own = own_spans(unit.start, unit.end, sorted((u.start, u.end) for u in inner))
    return found


def own_spans(start, end, holes):
    spans, pos = [], start
    for a, b in holes:
        spans.append((pos, a))
        pos = b
    spans.append((pos, end))
    return spans


def expand_use(tree):
    """`a::{b, c::{d as e}}` → [("a::b", "b"), ("a::c::d", "e")]: each path and its local name."""
    tree = re.sub(r"\s+as\s+", " as ", tree.strip())
    tree = re.sub(r"\s*(::|,|\{|\})\s*", r"\1", tree)
    for i, c in enumerate(tree):
        if c == "{":
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
    path, _, alias = tree.partition(" as ")
    path = path.strip().lstrip(":")
    if path.endswith("::self"):
        path = path[: -len("::self")]
    return [(path, alias.strip() or path.split("::")[-1])]


USE = re.compile(r"\buse\s+([^;]+);")
ITEM = re.compile(r"\b(?:fn|struct|enum|union|trait|type|const|static|macro_rules!)\s+(\w+)")
ABSOLUTE = re.compile(r"(?<![\w:])((?:crate|super|self)(?:::\w+)+)")


def read_uses(modules):
    for unit in modules.values():
        for a, b in unit.own:
            for m in USE.finditer(unit.code, a, b):
                for path, name in expand_use(m.group(1)):
                    if name == "*":
                        unit.globs.append(path.rsplit("::", 1)[0])
                    elif name != "_":
                        unit.imports[name] = path
            unit.items.update(ITEM.findall(unit.code, a, b))


def resolve(here, path, modules, depth=0):
    """The module a path written in `here` lands in: the longest known prefix, followed
    through the `use` that named its next segment; None outside the crate."""
    if depth > 12:
        return None
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    head = segs[0]
    if head == "crate":
        base, rest = (), segs[1:]
    elif head in ("super", "self"):
        # In foo.rs or foo/mod.rs `self` is foo; `super` its parent.
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    elif here + (head,) in modules:
        base, rest = here, segs
    elif head in modules[here].imports and modules[here].imports[head] != path:
        return resolve(here, "::".join([modules[here].imports[head]] + segs[1:]), modules, depth + 1)
    else:
        return None  # another crate, or an item of this module
    if base == () and rest and rest[0] in ROOT_MACROS:
        return ROOT_MACROS[rest[0]]
    target = base
    while rest and target + (rest[0],) in modules:
        target, rest = target + (rest[0],), rest[1:]
    imported = modules[target].imports.get(rest[0]) if rest else None
    if imported is not None:
        # A name the module imported (or re-exports): where it comes from.
        return resolve(target, "::".join([imported] + rest[1:]), modules, depth + 1) or target
    if rest and rest[0] not in modules[target].items:
        # A name none of the module's own items has may come through its `use x::*`.
        for glob in modules[target].globs:
            source = resolve(target, glob, modules, depth + 1)
            if source and source != target and (
                rest[0] in modules[source].items or rest[0] in modules[source].imports
            ):
                return resolve(source, "::".join(rest), modules, depth + 1) or source
    return target


def references(mod, unit, modules):
    """(line, path as written, module it lands in) for each path in `mod`'s own code."""
    refs = []
    for a, b in unit.own:
        for m in USE.finditer(unit.code, a, b):
            for path, name in expand_use(m.group(1)):
                if name == "*":
                    path = path.rsplit("::", 1)[0]
                refs.append((unit.line(m.start()), path, resolve(mod, path, modules)))
        for m in ABSOLUTE.finditer(unit.code, a, b):
            refs.append((unit.line(m.start()), m.group(1), resolve(mod, m.group(1), modules)))
        for name in ROOT_MACROS:
            for m in re.finditer(r"\b%s!" % name, unit.code[a:b]):
                refs.append((unit.line(a + m.start()), name + "!", ROOT_MACROS[name]))
        # `use x::*`: each name it brings in that the code uses.
        for glob in unit.globs:
            source = resolve(mod, glob, modules)
            if source is None:
                continue
            names = set(modules[source].imports) | {p[-1] for p in modules if p[:-1] == source}
            for name in sorted(names):
                m = re.search(r"(?<![\w:])%s\b" % re.escape(name), unit.code[a:b])
                if m:
                    where = resolve(source, name, modules)
                    refs.append((unit.line(a + m.start()), f"{glob}::* ({name})", where))
    return refs


def cycles(src):
    modules = modules_of(src)
    read_uses(modules)
    ROOT_MACROS.clear()
    for mod, unit in modules.items():
        for a, b in unit.own:
            for name in re.findall(r"#\[macro_export\]\s*macro_rules!\s*(\w+)", unit.code[a:b]):
                ROOT_MACROS[name] = mod
    edges = {}  # (from, to) at one level → first place
    for mod, unit in modules.items():
        for line, path, target in references(mod, unit, modules):
            if target is None:
                continue
            k = 0
            while k < min(len(mod), len(target)) and mod[k] == target[k]:
                k += 1
            if k == len(mod) or k == len(target):
                continue  # the same module, an ancestor or a descendant
            a, b = mod[:k + 1], target[:k + 1]
            edges.setdefault((a, b), f"{os.path.relpath(unit.file, src)}:{line} {path}")
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


# Each way one module can name another, as a crate where p::y names p::x back: the check
# must see the cycle. The last one is the same crate without a cycle.
BACK = "pub struct Thing;\npub fn g() { super::x::f() }\n"
FIXTURES = {
    "a path": ({"p/x.rs": "pub fn f() { super::y::g() }\n"}, 1),
    "an alias": ({"p/x.rs": "use super::y as yy;\npub fn f() { yy::g() }\n"}, 1),
    "a name the parent imported": (
        {
            "p/mod.rs": "mod x;\nmod y;\nuse y::Thing;\n",
            "p/x.rs": "use super::Thing;\npub fn f() {}\n",
        },
        1,
    ),
    "a glob of the parent": ({"p/x.rs": "use super::*;\npub fn f() { y::g() }\n"}, 1),
    "a glob re-export": (
        {
            "p/mod.rs": "mod x;\nmod y;\npub use y::*;\n",
            "p/x.rs": "pub fn f() { let _ = super::Thing; }\n",
        },
        1,
    ),
    "an inline module": (
        {"p/x.rs": "pub fn f() {}\nmod i {\n    fn h() { super::super::y::g() }\n}\n"},
        1,
    ),
    "an exported macro": (
        {
            "p/x.rs": "pub fn f() { m!() }\n",
            "p/y.rs": BACK + "#[macro_export]\nmacro_rules! m { () => {} }\n",
        },
        1,
    ),
    "none in a string, a comment or a test": (
        {
            "p/x.rs": "// super::y\npub fn f() { let _ = \"super::y::g\"; }\n"
            "#[cfg(test)]\nmod t { use super::super::y; }\n",
        },
        0,
    ),
}


def self_test():
    """Runs the check over each fixture crate; says which gave the wrong answer."""
    import tempfile

    failed = 0
    for name, (files, expected) in FIXTURES.items():
        with tempfile.TemporaryDirectory() as root:
            crate = {"lib.rs": "mod p;\n", "p/mod.rs": "mod x;\nmod y;\n", "p/y.rs": BACK, **files}
            for path, text in crate.items():
                os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
                with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                    f.write(text)
            got = 1 if cycles(root)[0] else 0
        if got != expected:
            failed += 1
            found = "a cycle" if got else "no cycle"
            print(f"module-cycles self-test: {name}: {found} found, expected the other")
    return 1 if failed else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        return self_test()
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
