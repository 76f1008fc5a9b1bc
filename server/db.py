"""Database connections: the Tortoise configuration for SQLite or PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.models import model_modules
from server.private_files import keep_private, touch_private

APP_LABEL = "models"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_connection(url: str) -> dict[str, Any]:
    path = url[len("sqlite://"):] or "fieldline.db"
    return {
        "engine": "tortoise.backends.sqlite",
        "credentials": {
            "file_path": path,
            "journal_mode": "WAL",
            "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
            "synchronous": "NORMAL",
        },
    }


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


async def _keep_session(connection: Any) -> None:
    """asyncpg's pool, on release, runs `RESET ALL; CLOSE ALL; UNLISTEN *;
    SELECT pg_advisory_unlock_all()`: one more round trip for each query run
    outside a transaction. Fieldline sets no session state (its advisory locks
    are transaction-scoped, it opens no cursors and listens to nothing), so the
    release keeps only asyncpg's own part: rolling back a transaction left open."""


def _postgres_connection(url: str) -> dict[str, Any]:
    """asyncpg settings for a `postgres://` URL.

    TLS: `?sslmode=` (or `?ssl=`) in the URL is passed on (`disable`, `prefer`,
    `require`, `verify-ca`, `verify-full`). Without it, a server on this machine
    (localhost, 127.0.0.1, ::1) is reached without TLS, and any other with
    asyncpg's default (`prefer`: TLS when the server offers it).
    """
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    credentials: dict[str, Any] = {
        "host": host,
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
        "database": parts.path.lstrip("/") or "postgres",
        "minsize": 1,
        "maxsize": 20,
        "reset": _keep_session,
    }
    query = parse_qs(parts.query)
    ssl = query.get("sslmode") or query.get("ssl")
    if ssl:
        credentials["ssl"] = ssl[0]
    elif host in LOOPBACK_HOSTS:
        credentials["ssl"] = False
    return {"engine": "tortoise.backends.asyncpg", "credentials": credentials}


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise config dict for a `DATABASE_URL`."""
    if database_url.startswith("sqlite://"):
        connection = _sqlite_connection(database_url)
    else:
        connection = _postgres_connection(database_url)
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": model_modules(),
                "default_connection": "default",
                "migrations": "server.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _begin_immediate_on_sqlite() -> None:
    """Start SQLite transactions with BEGIN IMMEDIATE.

    Every `atomic()` block writes. A deferred BEGIN takes the write lock only at
    the first write, and when another process (a CLI command, a second server
    during a restart) holds it, SQLite answers "database is locked" at once
    instead of waiting `busy_timeout`. IMMEDIATE takes the lock up front, so
    the wait applies.
    """
    import sqlite3

    from tortoise.backends.sqlite.client import SqliteTransactionWrapper
    from tortoise.exceptions import TransactionManagementError

    async def begin(self: SqliteTransactionWrapper) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc

    setattr(SqliteTransactionWrapper, "begin", begin)  # replaced at run time, on purpose


def _release_the_sqlite_lock_when_begin_fails() -> None:
    """Give the connection's lock back when a transaction fails to start.

    Tortoise's SQLite transaction takes the connection's lock, then begins; a
    BEGIN that raises, or a task cancelled while it waits for BEGIN IMMEDIATE
    (the scheduler cancels jobs still running at shutdown), left the lock held
    for good, and every later query of the process waited on it forever.
    """
    from tortoise.backends.sqlite.client import SqliteTransactionContext
    from tortoise.connection import get_connections

    async def enter(self: SqliteTransactionContext) -> Any:
        await self._trxlock.acquire()
        token = None
        try:
            await self.ensure_connection()
            token = self.token = get_connections().set(self.connection_name, self.connection)
            await self.connection.begin()
        except BaseException:
            if token is not None:
                get_connections().reset(token)
            self._trxlock.release()
            raise
        return self.connection

    setattr(SqliteTransactionContext, "__aenter__", enter)  # replaced at run time, on purpose


_begin_immediate_on_sqlite()
_release_the_sqlite_lock_when_begin_fails()


async def open_database(database_url: str) -> None:
    # Tortoise caches INSERT statements per connection name, not per dialect;
    # a process that switches backends (the test suite) must drop them.
    EXECUTOR_CACHE.clear()
    if database_url.startswith("sqlite://"):
        # SQLite would create the file with the umask's mode (often world-readable);
        # its -wal and -shm files take the database file's mode.
        path = _sqlite_connection(database_url)["credentials"]["file_path"]
        if path != ":memory:":
            touch_private(Path(path))
            for suffix in ("-wal", "-shm"):
                keep_private(Path(path + suffix))
    # The lifespan runs in its own task; requests and jobs run in others, so
    # the ORM state must be reachable process-wide, not only from this task.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    """Close every connection for good: a query still running afterwards (a
    background task that outlived its service) fails instead of reconnecting.

    `connections.close_all()` alone keeps the configuration, and the next
    query opens a fresh connection that nobody closes; on SQLite its thread
    then outlives the event loop ("Event loop is closed") and holds up exit.
    """
    import tortoise.context

    for reader in list(_readers.values()):
        reader.close()
    _readers.clear()
    await Tortoise.close_connections()
    # The process-wide context goes too, whichever context this task saw; the
    # next open (a test, a CLI command after another) must be able to set it.
    tortoise.context._global_context = None


def dialect() -> str:
    """'postgres' or 'sqlite', for the few raw statements that differ."""
    name = connections.get("default").capabilities.dialect
    return "postgres" if name == "postgres" else "sqlite"


# How much work a page's statement may do on the event loop's thread, in
# SQLite virtual-machine instructions (checked every READ_TICK): a list or feed
# page of 50 takes 3,000-6,000; 25,000 is about a millisecond of scanning here.
READ_TICK = 1000
READ_BUDGET = 25_000
TOO_LONG_KEPT = 1024


class PageReader:
    """A second SQLite connection, read-only, used on the event loop's own thread.

    Tortoise's SQLite client runs every statement on aiosqlite's worker thread:
    a queue put, a thread wake-up, the statement, then a callback back to the
    loop, and on two busy cores each hop waits for the GIL (Python hands it over
    every 5 ms), which is where a list page's p99 went. A page's statement (a
    LIMIT on an index) takes a fraction of a millisecond, less than the hop.

    Bounded: a statement that passes `budget` instructions is interrupted and
    answered by the worker thread instead, as is one that finds the database
    locked (no waiting on the loop); a statement cut off once goes to the worker
    thread straight away after that (a rep's `following` feed reads far to fill
    a page: 94,000 instructions, 1.1 ms). Consistent: with WAL, every statement here
    starts its own read transaction, which sees everything committed before it
    began, this process's commits included (a request commits before it
    answers); nothing is written through it (`query_only`)."""

    def __init__(self, path: str) -> None:
        self.thread = threading.get_ident()
        self.connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA query_only = ON")
        self.connection.set_progress_handler(self._tick, READ_TICK)
        self.ticks = 0
        self.allowed = 0
        self.too_long: dict[str, None] = {}  # statements cut off before (insertion order, capped)

    def _tick(self) -> int:
        self.ticks += 1
        return self.ticks > self.allowed

    def rows(self, sql: str, params: Sequence[Any], budget: int) -> list[Any] | None:
        """The rows, or None when the statement was (or was once) cut off, or the database busy."""
        if sql in self.too_long:
            return None
        self.ticks, self.allowed = 0, budget // READ_TICK
        cursor = self.connection.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            if self.ticks > self.allowed:
                if len(self.too_long) >= TOO_LONG_KEPT:
                    self.too_long.clear()
                self.too_long[sql] = None
            return None
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()


_readers: weakref.WeakKeyDictionary[Any, PageReader] = weakref.WeakKeyDictionary()


def _reader(client: Any) -> PageReader | None:
    """The page reader of Tortoise's SQLite client (not of a transaction on it:
    a read inside a transaction must see the transaction's own writes)."""
    from tortoise.backends.sqlite.client import SqliteClient

    if type(client) is not SqliteClient or client.filename == ":memory:":
        return None
    reader = _readers.get(client)
    if reader is None:
        reader = _readers[client] = PageReader(client.filename)
    return reader if reader.thread == threading.get_ident() else None


async def read_page(sql: str, params: Sequence[Any], budget: int = READ_BUDGET) -> Sequence[Any]:
    """The rows of one bounded read-only statement (a page: LIMIT, on an index),
    on SQLite from the event loop's thread when it fits in `budget`
    (`PageReader`); otherwise, and on PostgreSQL, through Tortoise's connection."""
    client = connections.get("default")
    reader = _reader(client)
    if reader is not None:
        rows = reader.rows(sql, params, budget)
        if rows is not None:
            return rows
    _, rows = await client.execute_query(sql, list(params))
    return list(rows)


# For `tortoise makemigrations` ([tool.tortoise] in pyproject.toml).
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://fieldline.db"))
