"""The command line's operations side: --version, unknown settings, a busy
port, departments by path, users from a CSV file, Ctrl+C after a card scan."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.mobile_api.card_helpers import corpus_card
from tests.server.test_cli import fieldline
from tests.support.live import LiveServer, live_client


@pytest.fixture
def db_env(tmp_path: Path) -> dict[str, str]:
    env = {"DATABASE_URL": f"sqlite://{tmp_path}/cli.db", "FIELDLINE_UPLOAD_DIR": str(tmp_path / "uploads")}
    assert fieldline("migrate", env=env).returncode == 0
    return env


def test_version_prints_the_package_version() -> None:
    result = fieldline("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"fieldline {version('fieldline')}"


def test_an_unknown_fieldline_variable_is_refused_naming_the_nearest(db_env: dict[str, str]) -> None:
    result = fieldline("migrate", env={**db_env, "FIELDLINE_GEOFENCE": "300"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "fieldline: FIELDLINE_GEOFENCE is not a Fieldline setting; did you mean FIELDLINE_GEOFENCE_M?"]


def test_a_busy_port_is_one_line_and_exit_1(db_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = fieldline("serve", "--port", str(port), env=db_env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"fieldline: cannot listen on 127.0.0.1:{port}: Address already in use"]
    assert result.stdout == ""


def test_departments_by_path_and_create_user_into_one(db_env: dict[str, str]) -> None:
    made = fieldline("departments", "create", "Head Office/East/Shanghai", env=db_env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:3] == ["created Head Office", "created Head Office/East", "created Head Office/East/Shanghai"]
    again = fieldline("departments", "create", "Head Office/East", env=db_env)
    assert again.returncode == 0 and "exists" in again.stdout
    missing = fieldline("create-user", "--login", "li.na", "--name", "Li Na", "--role", "rep",
                        "--department", "Head Office/West", "--password-stdin", env=db_env, stdin="a-long-password-1\n")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "fieldline: department: no department 'Head Office/West'; "
        "create it first: fieldline departments create 'Head Office/West'"]
    placed = fieldline("create-user", "--login", "li.na", "--name", "Li Na", "--role", "rep",
                       "--department", "Head Office/East/Shanghai", "--password-stdin", env=db_env, stdin="a-long-password-1\n")
    assert placed.returncode == 0, placed.stderr
    tree = fieldline("departments", "list", env=db_env)
    assert tree.stdout.splitlines() == [
        "Head Office  (id 1, 0 members)", "  East  (id 2, 0 members)", "    Shanghai  (id 3, 1 member)"]


def test_users_import_creates_valid_rows_reports_the_rest(db_env: dict[str, str], tmp_path: Path) -> None:
    assert fieldline("departments", "create", "HQ/East", env=db_env).returncode == 0
    source = tmp_path / "users.csv"
    source.write_text("login,name,role,department,email\n"
                      "zhang.wei,张伟,rep,HQ/East,zhang@example.com\n"
                      "wang.jl,王经理,manager,HQ,\n"
                      "bad,Bad,king,,\n"
                      "zhang.wei,Again,rep,,\n"
                      "nowhere,No Where,rep,HQ/North,\n", encoding="utf-8")
    passwords = tmp_path / "passwords.csv"
    result = fieldline("users", "import", str(source), "--passwords-out", str(passwords), env=db_env)
    assert result.returncode == 1  # some rows were refused
    assert "created 2 users" in result.stdout and "3 rows refused" in result.stdout
    refused = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in refused] == ["line 4", "line 5", "line 6"]
    assert "role" in refused[0] and "taken" in refused[1] and "HQ/North" in refused[2]
    rows = passwords.read_text().splitlines()
    assert rows[0] == "login,password" and [row.split(",")[0] for row in rows[1:]] == ["zhang.wei", "wang.jl"]
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600
    assert "(id 2, 1 member)" in fieldline("departments", "list", env=db_env).stdout


async def test_ctrl_c_after_a_card_scan_prints_no_traceback(org: Any, test_env: dict[str, str], backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the same on every backend: the OCR workers are what is tested")
    server = LiveServer(test_env)
    await server.start()
    image, _ = corpus_card()
    async with live_client(base_url=server.url, headers=org.headers("rep_sh"), timeout=30) as client:
        card = (await client.post("/api/v1/cards", files={"image": ("card.jpg", image, "image/jpeg")})).json()
        for _ in range(150):
            if (await client.get(f"/api/v1/cards/{card['id']}")).json()["status"] != "pending":
                break
            await asyncio.sleep(0.2)
    assert server.process is not None
    os.killpg(server.process.pid, signal.SIGINT)  # what a terminal's Ctrl+C does: the whole group
    for _ in range(150):
        if server.process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    server.kill()
    log = server.log_path.read_text(errors="replace")
    assert "card 1 read" in log or "not read" in log
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log[-3000:]
