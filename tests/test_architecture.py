"""The layers stay honest: only `server/actions` changes state or emits events.

Routes parse, call one action and render; they never write through the ORM,
open transactions or publish. A failure here names the file and line.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

from tests.support import package_graph

ROOT = pathlib.Path(__file__).resolve().parent.parent
WRITE_METHODS = {
    "save", "delete", "create", "bulk_create", "bulk_update", "update", "update_or_create",
    "get_or_create", "update_from_dict", "add", "remove", "clear",
}
TRANSACTION_NAMES = {"atomic", "in_transaction", "emit", "on_commit"}
# Modules outside actions allowed to touch the event machinery, and why.
ALLOWED = {
    "server/transaction.py": "defines atomic/emit",
}
SCANNED = ("fieldline", "mobile_api", "server", "realtime", "notifications", "schedulers", "ocr")


def _python_files() -> list[pathlib.Path]:
    files = []
    for package in SCANNED:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def _is_action(path: pathlib.Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    return rel.startswith("server/actions/") or rel.startswith("server/migrations/")


def _orm_write_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITE_METHODS and _looks_like_model(node.func.value):
                found.append((node.lineno, node.func.attr))
    return found


def _looks_like_model(node: ast.AST) -> bool:
    """`Customer.create(...)`, `Customer.filter(...).update(...)`, `customer.save()`."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Name):
        camel = node.id[:1].isupper() and not node.id.isupper()
        return camel or node.id in {"record", "instance", "obj", "row"}
    return False


def _transaction_uses(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in TRANSACTION_NAMES:
            found.append((node.lineno, name))
    return found


def test_only_actions_write_through_the_orm() -> None:
    offenders = []
    for path in _python_files():
        if _is_action(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(ROOT)}:{line} .{name}()" for line, name in _orm_write_calls(tree)]
    assert not offenders, "ORM writes outside server/actions:\n" + "\n".join(offenders)


def test_only_actions_open_transactions_or_emit_events() -> None:
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if _is_action(path) or rel in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{rel}:{line} {name}()" for line, name in _transaction_uses(tree)]
    assert not offenders, "transactions/events outside server/actions:\n" + "\n".join(offenders)


def test_routes_stay_thin() -> None:
    """Route handlers are a few lines: parse, call, render."""
    long_ones = []
    for path in sorted((ROOT / "mobile_api" / "routes").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 25:
                    long_ones.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long_ones, "route handlers over 25 lines:\n" + "\n".join(long_ones)


def test_ocr_is_a_pure_library() -> None:
    offenders = []
    for path in sorted((ROOT / "ocr").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"server", "mobile_api", "realtime", "notifications", "schedulers"}:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_the_checker_catches_a_route_that_writes() -> None:
    """The rule itself must be able to fail."""
    tree = ast.parse("async def handler(call):\n    await Customer.filter(id=1).update(name='x')\n")
    assert _orm_write_calls(tree) == [(2, "update")]


def test_imports_follow_the_package_direction() -> None:
    """Edges import the core; the core imports nothing above it; ocr imports nothing
    of ours; only the composition root (`fieldline/`) imports everything
    (docs/architecture.md; `python -m tests.support.package_graph` prints the graph)."""
    against = package_graph.upward(package_graph.edges())
    lines = [f"{source} -> {target}: {where}" for (source, target), found in sorted(against.items()) for where in found]
    assert not lines, "imports against the package direction:\n" + "\n".join(lines)


def test_no_package_cycles() -> None:
    loops = package_graph.cycles(package_graph.edges())
    assert not loops, "package cycles:\n" + "\n".join(" -> ".join(loop) for loop in loops)


def test_the_direction_checker_can_fail() -> None:
    """An edge the table does not allow is reported, and a loop is a cycle."""
    graph = {("server", "realtime"): ["server/x.py:1 imports realtime.hub"], ("realtime", "server"): ["..."]}
    assert list(package_graph.upward(graph)) == [("server", "realtime")]
    assert package_graph.cycles(graph) == [["realtime", "server", "realtime"]]


# Wiring (hooks, listeners, keys, caches of signed-in people) belongs to the app
# that runs (`server.runtime.Runtime`, made by `fieldline.app.create_app`), so
# two apps in one process never share it. Module state that is truly process-wide
# is listed here with the reason.
MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "remove", "discard", "pop", "clear"}
PROCESS_WIDE = {
    # Verified token signatures keyed by (key, token): a pure function's results.
    "server/security.py:_verified",
}


def _module_state_writes(tree: ast.Module) -> list[tuple[int, str]]:
    """`global x` anywhere, and functions that mutate a module-level list/dict/set."""
    containers = set()
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and _is_mutable_container(value):
            containers.add(target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += [(node.lineno, f"global {name}") for name in node.names]
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            name = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                name = getattr(node.func.value, "id", None)
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        name = target.value.id
            if name in containers:
                found.append((node.lineno, f"{function.name} changes module-level {name}"))
    return found


def _is_mutable_container(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return isinstance(value, ast.Call) and getattr(value.func, "id", None) in {"list", "dict", "set", "defaultdict", "OrderedDict"}


def test_no_module_level_wiring() -> None:
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, what in _module_state_writes(tree):
            name = what.split()[-1]
            if f"{rel}:{name}" not in PROCESS_WIDE:
                offenders.append(f"{rel}:{line} {what}")
    assert not offenders, "module-level state set at run time (put it on the app's Runtime):\n" + "\n".join(offenders)


def test_the_wiring_checker_can_fail() -> None:
    tree = ast.parse(
        "_hooks = []\n_hook = None\n"
        "def listen(f):\n    _hooks.append(f)\n"
        "def set_hook(f):\n    global _hook\n    _hook = f\n"
        "def local():\n    seen = []\n    seen.append(1)\n"
    )
    assert _module_state_writes(tree) == [(6, "global _hook"), (4, "listen changes module-level _hooks")]


def test_the_app_imports_no_tesseract_binding() -> None:
    """A process that never reads a card does not hold pytesseract (nor numpy,
    which pytesseract imports when it is installed): they load where a card is read."""
    probe = "import sys, fieldline.asgi; print(sorted({'pytesseract', 'numpy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                         cwd=pathlib.Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
