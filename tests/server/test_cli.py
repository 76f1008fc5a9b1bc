"""The `fieldline` command: one-line errors, migrate, create-user, demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def fieldline(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDLINE_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "fieldline.cli", *args], input=stdin, capture_output=True, text=True,
        env=environment, cwd=ROOT, timeout=120,
    )


@pytest.fixture
def db_env(tmp_path):
    return {"DATABASE_URL": f"sqlite://{tmp_path}/cli.db"}


def test_malformed_setting_stops_with_one_line_naming_it(db_env):
    result = fieldline("migrate", env={**db_env, "FIELDLINE_GEOFENCE_M": "far"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "FIELDLINE_GEOFENCE_M" in lines[0] and "number" in lines[0]


def test_bad_database_url_is_one_line(tmp_path):
    result = fieldline("migrate", env={"DATABASE_URL": "mysql://nope"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_migrate_create_user_and_duplicate(db_env):
    assert fieldline("migrate", env=db_env).returncode == 0
    again = fieldline("migrate", env=db_env)
    assert again.returncode == 0 and "up to date" in again.stdout
    created = fieldline("create-user", "--login", "boss", "--name", "老板", "--role", "admin", "--password-stdin",
                        env=db_env, stdin="a-long-password\n")
    assert created.returncode == 0, created.stderr
    duplicate = fieldline("create-user", "--login", "boss", "--name", "X", "--role", "admin", "--password-stdin",
                          env=db_env, stdin="a-long-password\n")
    assert duplicate.returncode == 1
    assert len(duplicate.stderr.strip().splitlines()) == 1 and "taken" in duplicate.stderr


def test_create_user_refuses_bad_arguments(db_env):
    bad_role = fieldline("create-user", "--login", "x", "--name", "X", "--role", "king", "--password-stdin", env=db_env, stdin="pw\n")
    assert bad_role.returncode == 2 and "--role" in bad_role.stderr
    no_stdin = fieldline("create-user", "--login", "x", "--name", "X", "--role", "rep", env=db_env)
    assert no_stdin.returncode == 2 and "--password-stdin" in no_stdin.stderr
    assert fieldline("migrate", env=db_env).returncode == 0
    weak = fieldline("create-user", "--login", "x", "--name", "X", "--role", "rep", "--password-stdin", env=db_env, stdin="pw\n")
    assert weak.returncode == 1 and "password" in weak.stderr
    unknown_dept = fieldline("create-user", "--login", "y", "--name", "Y", "--role", "rep", "--department", "Nowhere",
                             "--password-stdin", env=db_env, stdin="long-enough-pw\n")
    assert unknown_dept.returncode == 1 and "Nowhere" in unknown_dept.stderr


def test_demo_creates_an_organisation_once(db_env):
    assert fieldline("migrate", env=db_env).returncode == 0
    first = fieldline("demo", env=db_env)
    assert first.returncode == 0, first.stderr
    assert "wang.jl" in first.stdout and "fieldline-demo" in first.stdout
    second = fieldline("demo", env=db_env)
    assert second.returncode == 0 and "already" in second.stdout


def test_serve_refuses_workers_on_sqlite(db_env):
    result = fieldline("serve", "--workers", "2", env=db_env)
    assert result.returncode == 2 and "postgres" in result.stderr


def test_serve_tells_its_workers_how_many_they_are(monkeypatch, tmp_path):
    """With FIELDLINE_OCR_WORKERS=0 each worker's card readers share the cores with the others'."""
    import socket

    import uvicorn
    from typer.testing import CliRunner

    from fieldline.cli import cli
    from schedulers.ocr_pool import pool_size
    from server.settings import load_settings

    seen = {}

    def run(app, **options):  # what each worker would read when uvicorn starts it
        settings = load_settings()
        seen.update(workers=options["workers"], told=settings.serve_workers,
                    readers=pool_size(settings.ocr_workers, settings.serve_workers))

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.setenv("FIELDLINE_SERVE_WORKERS", "1")  # put back afterwards
    monkeypatch.setenv("FIELDLINE_OCR_WORKERS", "0")
    result = CliRunner().invoke(cli, ["serve", "--workers", "3", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert seen == {"workers": 3, "told": 3, "readers": max(1, (os.cpu_count() or 1) // 3)}
