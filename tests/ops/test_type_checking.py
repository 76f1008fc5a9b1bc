"""The strict type check stays strict and stays in `make test`.

mypy itself runs in `make test` (and `make typecheck`); these tests keep the
configuration honest: every package is checked, nothing is switched off
wholesale, and an ignore names its error code and says why.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"fieldline", "server", "realtime", "mobile_api", "notifications", "schedulers", "ocr"}
# Libraries that publish neither inline types nor a stub package.
UNTYPED_LIBRARIES = {"pytesseract", "pywebpush", "py_vapid", "apscheduler.*"}


def _mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def _target(name: str) -> tuple[str, list[str]]:
    """A Makefile target's prerequisites line and its recipe lines."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return lines[start], recipe


def test_every_package_is_checked_strictly() -> None:
    config = _mypy_config()
    assert config["strict"] is True
    assert set(config["files"]) == PACKAGES
    assert config.get("exclude") == ["^server/migrations/"]  # generated migrations only


def test_nothing_is_switched_off_wholesale() -> None:
    config = _mypy_config()
    sections = [config, *config.get("overrides", [])]
    for section in sections:
        assert "ignore_errors" not in section
        relaxed = [k for k, v in section.items() if k.startswith(("disallow_", "warn_", "strict")) and v is False]
        assert not relaxed, f"relaxed checks: {relaxed}"
    for override in config.get("overrides", []):
        assert set(override) == {"module", "ignore_missing_imports"}, override
        assert set(override["module"]) <= UNTYPED_LIBRARIES, override["module"]


def test_each_ignore_is_for_one_error_code_with_a_reason() -> None:
    ignore = re.compile(r"#\s*type:\s*ignore(\[[\w-]+(,\s*[\w-]+)*\])?")
    found = []
    for package in sorted(PACKAGES):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text().splitlines()
            for number, line in enumerate(lines, start=1):
                match = ignore.search(line)
                if not match:
                    continue
                where = f"{path.relative_to(ROOT)}:{number}"
                found.append(where)
                assert match.group(1), f"{where}: a bare `type: ignore` (name the error code)"
                rest = line[match.end():].strip()
                above = lines[number - 2].strip() if number > 1 else ""
                assert rest.startswith("#") or above.startswith("#"), f"{where}: say why, on the line or above it"
    assert len(found) <= 8, f"ignores are for wrong library annotations only: {found}"


def test_make_test_runs_the_type_check_before_the_suite() -> None:
    prerequisites, recipe = _target("test")
    assert "typecheck" in prerequisites.split(":", 1)[1].split()
    assert any("pytest" in line for line in recipe)
    _, typecheck_recipe = _target("typecheck")
    assert typecheck_recipe == ["$(PY) -m mypy"]
