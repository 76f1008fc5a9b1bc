"""SQLite shared by two processes (a CLI command, a restarting server): a
transaction that reads and then writes must not fail because another
process wrote in between."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from server.actions.notify import notify
from server.models.identity import User
from server.transaction import atomic


def _write_from_another_process(path: str, user_id: int, started: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None, timeout=10)
    started.set()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE users SET title = 'elsewhere' WHERE id = ?", (user_id,))
    connection.execute("COMMIT")
    connection.close()


async def test_read_then_write_survives_a_write_by_another_process(org, backend, settings, event_log):
    if backend != "sqlite":
        pytest.skip("SQLite only")
    path = settings.database_url[len("sqlite://"):]
    started = threading.Event()
    async with atomic():
        await User.get(id=org.rep_west.id)  # the transaction has read
        thread = threading.Thread(target=_write_from_another_process, args=(path, org.rep_west.id, started))
        thread.start()
        await asyncio.to_thread(started.wait, 5)
        await asyncio.sleep(0.3)
        await notify([org.rep_sh.id], "system", "written after a read")
    await asyncio.to_thread(thread.join, 10)
    assert [e["data"]["title"] for e in await event_log(org.rep_sh.id)] == ["written after a read"]
    assert (await User.get(id=org.rep_west.id)).title == "elsewhere"
