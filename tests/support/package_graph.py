"""The imports between Fieldline's top-level packages, read from the source.

Run `python -m tests.support.package_graph` from the repository root: it prints
one line per package edge (`server -> realtime   12 imports`) and then the
modules behind each edge that goes against the allowed direction
(docs/architecture.md). `tests/test_architecture.py` uses the same reader.
"""

from __future__ import annotations

import ast
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
# The composition root first, then the edges, then the core; ocr is a library.
PACKAGES = ("fieldline", "mobile_api", "realtime", "notifications", "schedulers", "server", "ocr")
# Who may import whom (the table in ARCHITECTURE.md); the rest are upward imports.
ALLOWED: dict[str, frozenset[str]] = {
    "fieldline": frozenset(PACKAGES),
    "mobile_api": frozenset({"server", "ocr"}),
    "realtime": frozenset({"server"}),
    "notifications": frozenset({"server"}),
    "schedulers": frozenset({"server", "notifications", "ocr"}),
    "server": frozenset({"ocr"}),
    "ocr": frozenset(),
}


def package_of(path: pathlib.Path) -> str:
    return path.relative_to(ROOT).parts[0]


def source_files() -> list[pathlib.Path]:
    files: list[pathlib.Path] = []
    for package in PACKAGES:
        if (ROOT / package).is_dir():
            files += sorted((ROOT / package).rglob("*.py"))
    return files


def imported_modules(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, function-level ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    module_parts = path.relative_to(ROOT).with_suffix("").parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = list(module_parts[: len(module_parts) - node.level])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def edges() -> dict[tuple[str, str], list[str]]:
    """(from package, to package) → ["file:line imports module", ...]."""
    graph: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in source_files():
        source = package_of(path)
        for line, module in imported_modules(path):
            target = module.split(".")[0]
            if target in PACKAGES and target != source:
                graph[(source, target)].append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return dict(graph)


def upward(graph: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    return {edge: where for edge, where in graph.items() if edge[1] not in ALLOWED.get(edge[0], frozenset())}


def cycles(graph: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """Every elementary cycle's package list, found by a depth-first walk from each package."""
    following: dict[str, set[str]] = defaultdict(set)
    for source, target in graph:
        following[source].add(target)
    found: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, trail: list[str]) -> None:
        for nxt in sorted(following[node]):
            if nxt == start:
                rotated = min(tuple(trail[i:] + trail[:i]) for i in range(len(trail)))
                found.add(rotated)
            elif nxt not in trail and nxt > start:
                walk(start, nxt, trail + [nxt])

    for package in sorted(following):
        walk(package, package, [package])
    return [list(cycle) + [cycle[0]] for cycle in sorted(found)]


def main() -> None:
    graph = edges()
    print("package imports (from -> to, count of import statements):")
    for (source, target), where in sorted(graph.items(), key=lambda i: (PACKAGES.index(i[0][0]), PACKAGES.index(i[0][1]))):
        mark = "" if target in ALLOWED.get(source, frozenset()) else "   <- against the direction"
        print(f"  {source:>13} -> {target:<13} {len(where):3d}{mark}")
    bad = upward(graph)
    for (source, target), where in sorted(bad.items()):
        print(f"\n{source} -> {target}:")
        for line in where:
            print(f"  {line}")
    loops = cycles(graph)
    print("\ncycles: " + ("; ".join(" -> ".join(c) for c in loops) if loops else "none"))
    sys.exit(0)


if __name__ == "__main__":
    main()
