"""Closing the database is final for work that outlives it."""

from __future__ import annotations

import asyncio
import threading

import pytest
from tortoise.exceptions import ConfigurationError


def _sqlite_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name]


async def test_a_query_after_the_database_closed_fails_instead_of_reconnecting(settings):
    """A background task still running when the server stops (a job past the
    shutdown wait) must not open a fresh connection that nobody closes: on
    SQLite its thread outlives the event loop ("Event loop is closed")."""
    from server.db import close_database, open_database
    from server.models.identity import User

    await open_database(settings.database_url)
    go = asyncio.Event()

    async def straggler() -> int:
        await go.wait()
        return await User.all().count()

    task = asyncio.create_task(straggler())  # created while the database is open
    await User.all().count()
    threads_before = len(_sqlite_threads())
    await close_database()
    go.set()
    try:
        with pytest.raises(ConfigurationError):
            await task
        assert len(_sqlite_threads()) <= threads_before
    finally:
        if task.done() and not task.exception():  # it reconnected: close what it opened
            from tortoise import connections

            await connections.close_all()
