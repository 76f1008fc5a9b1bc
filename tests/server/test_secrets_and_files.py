"""The token key, the database and uploads are the server's user's alone; every
answer says `nosniff`, and answers with tokens are never stored."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from server.settings import SettingsError, load_settings
from tests.conftest import PASSWORD
from tests.mobile_api.card_helpers import png_bytes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_configured_secret_key_shorter_than_32_bytes_stops_the_start() -> None:
    with pytest.raises(SettingsError, match="FIELDLINE_SECRET_KEY must be at least 32 bytes"):
        load_settings({"FIELDLINE_SECRET_KEY": "short-and-guessable"})
    assert load_settings({"FIELDLINE_SECRET_KEY": "k" * 32}).secret_key == "k" * 32


async def _start(settings: Any) -> str:
    from fieldline.app import create_app
    from server import runtime

    application = create_app(settings, run_services=False)
    async with application.router.lifespan_context(application):
        return runtime.token_key()


@pytest.fixture
def keyless(settings: Any, tmp_path: Path) -> Any:
    old = os.umask(0o022)  # the usual umask: files readable by everyone unless made otherwise
    yield settings.replace(secret_key=None, upload_dir=str(tmp_path / "shared" / "uploads"))
    os.umask(old)


async def test_without_a_configured_key_one_is_generated_into_a_private_file_and_kept(keyless: Any) -> None:
    from server.models.identity import ServerSecret

    key = await _start(keyless)
    path = Path(keyless.upload_dir) / ".secret_key"
    assert path.read_text() == key and len(key.encode()) >= 32
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert await _start(keyless) == key  # the next start (or another worker) uses the same one
    await _start_and_check_no_row(ServerSecret, keyless)


async def _start_and_check_no_row(model: Any, settings: Any) -> None:
    from server.db import close_database, open_database

    await open_database(settings.database_url)
    try:
        assert await model.all().count() == 0
    finally:
        await close_database()


async def test_a_key_kept_in_the_database_before_moves_into_the_file_once(keyless: Any) -> None:
    from server.db import close_database, open_database
    from server.models.identity import ServerSecret

    old_key = "an-old-key-from-the-server-secrets-table-0123456789"
    await open_database(keyless.database_url)
    try:
        await ServerSecret.create(name="token_key", value=old_key)
    finally:
        await close_database()
    assert await _start(keyless) == old_key  # tokens issued before stay valid
    assert (Path(keyless.upload_dir) / ".secret_key").read_text() == old_key
    await _start_and_check_no_row(ServerSecret, keyless)


async def test_a_key_file_with_a_short_key_stops_the_start(keyless: Any, tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("too-short")
    with pytest.raises(SettingsError, match="at least 32 bytes"):
        await _start(keyless.replace(secret_key_file=str(short)))
    assert _mode(short) == 0o600


async def test_the_sqlite_file_is_created_private_and_an_open_one_made_private(tmp_path: Path) -> None:
    from server.db import close_database, open_database

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "data" / "fieldline.db"
        await open_database(f"sqlite://{fresh}")
        await close_database()
        assert _mode(fresh) == 0o600 and _mode(fresh.parent) == 0o700
        loose = tmp_path / "loose.db"
        loose.touch(mode=0o644)
        await open_database(f"sqlite://{loose}")
        await close_database()
        assert _mode(loose) == 0o600
    finally:
        os.umask(old)


async def test_uploads_are_private_files_in_private_folders(org: Any, settings: Any) -> None:
    old = os.umask(0o022)
    try:
        answer = await org.post("rep_sh", "/api/v1/photos", files={"file": ("a.png", png_bytes(), "image/png")})
    finally:
        os.umask(old)
    assert answer.status_code == 201, answer.text
    root = Path(settings.upload_dir)
    files = [p for p in root.rglob("*") if p.is_file() and p.name != ".secret_key"]
    assert files, "the photo was stored"
    for path in files:
        assert _mode(path) == 0o600, path
        for folder in path.relative_to(root).parents:
            assert _mode(root / folder) == 0o700, folder


async def test_every_answer_says_nosniff_and_token_answers_are_never_stored(org: Any) -> None:
    for answer in (await org.get("rep_sh", "/api/v1/me"), await org.get(None, "/api/v1/me"),
                   await org.get("rep_sh", "/api/v1/photos/999999"), await org.get(None, "/api/v1/openapi.json")):
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url
    login = await org.post(None, "/api/v1/auth/login", {"login": "rep_sh", "password": PASSWORD})
    refresh = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": login.json()["refresh_token"]})
    wrong = await org.post(None, "/api/v1/auth/login", {"login": "rep_sh", "password": "wrong-password"})
    for answer in (login, refresh, wrong):
        assert answer.headers["cache-control"] == "no-store", answer.text
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in (await org.get("rep_sh", "/api/v1/me")).headers.get("cache-control", "")
