"""Transactions that carry their events: write, commit, then publish.

An action wraps its writes in `async with atomic():` and calls `emit(...)` for
each durable event it causes. When the outermost `atomic()` is about to
commit, the queued events become rows in each recipient's event log with the
next per-user `seq` (same transaction, so a rollback drops both the change and
its events). After the commit they are handed to the publisher, and
`on_commit` callbacks run. Nested `atomic()` blocks join the outer one.

Seq allocation locks the recipients' `event_counters` rows in user-id order,
as the last thing before commit, so two transactions never wait on each other
in opposite orders and the per-user sequence stays gap-free (a rolled-back
increment is rolled back with it).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from server import runtime
from server.clock import utcnow
from server.encoding import dumps
from server.events import EventType, Payload, check_payload, checking
from server.metrics import EVENTS_PUBLISHED

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CommittedEvent:
    """One event as committed: serialised once, with each recipient's seq."""

    type: str
    ts: str
    data: bytes
    targets: list[tuple[int, int]] = field(default_factory=list)


# The running app's hub plugs its `publish_events` in (`Runtime.publisher`);
# without one, events stay in the log only.
Publisher = Callable[[list[CommittedEvent]], Awaitable[None]]


@dataclass
class Emitted:
    """An event queued by `emit`; `seqs` (recipient → seq) is filled in at commit."""

    type: str
    recipients: list[int]
    data: bytes
    seqs: dict[int, int] = field(default_factory=dict)


@dataclass
class _TxState:
    events: list[Emitted] = field(default_factory=list)
    before_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    after_commit: list[Callable[[], Awaitable[None] | None]] = field(default_factory=list)


_current: contextvars.ContextVar[_TxState | None] = contextvars.ContextVar(
    "fieldline_tx", default=None
)


def in_atomic() -> bool:
    return _current.get() is not None


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """Open (or join) the transaction that owns a change and its events."""
    if _current.get() is not None:
        yield
        return
    state = _TxState()
    token = _current.set(state)
    try:
        async with in_transaction() as connection:
            yield
            committed = await _write_events(connection, state.events)
            for hook in state.before_commit:
                await hook()
    finally:
        _current.reset(token)
    await _after_commit(committed, state)


def emit(event_type: EventType, recipients: Iterable[int], data: Payload) -> Emitted:
    """Queue a durable event for `recipients`; written at commit, sent after it.

    `data` is the event type's payload from the catalogue (`server.events.PAYLOADS`).
    """
    state = _current.get()
    if state is None:
        raise RuntimeError("emit() needs a transaction: call it inside `async with atomic():`")
    if not event_type.durable:
        raise ValueError(f"{event_type.value} is ephemeral; send it through the broker instead")
    if checking():
        check_payload(event_type, data)
    unique = sorted({int(r) for r in recipients})
    event = Emitted(event_type.value, unique, dumps(data))
    if unique:
        state.events.append(event)
    return event


def before_commit(hook: Callable[[], Awaitable[None]]) -> None:
    """Run `hook` inside the transaction, after its events got their seqs, just before commit.

    The hook may write (its writes commit with the rest) and read each
    `Emitted.seqs`; it must not emit events of its own.
    """
    state = _current.get()
    if state is None:
        raise RuntimeError("before_commit() needs a transaction: call it inside `async with atomic():`")
    state.before_commit.append(hook)


def on_commit(callback: Callable[[], Awaitable[None] | None]) -> None:
    """Run `callback` after the outermost transaction commits (never on rollback)."""
    state = _current.get()
    if state is None:
        raise RuntimeError("on_commit() needs a transaction: call it inside `async with atomic():`")
    state.after_commit.append(callback)


async def _after_commit(committed: list[CommittedEvent], state: _TxState) -> None:
    app = runtime.active()
    publisher = app.publisher if app is not None else None
    if committed and publisher is not None:
        try:
            await publisher(committed)
            EVENTS_PUBLISHED.inc(len(committed))
        except Exception:  # the log has them; sockets catch up from it
            log.exception("publishing %d committed events failed", len(committed))
    for callback in state.after_commit:
        try:
            result = callback()
            if result is not None:
                await result
        except Exception:
            log.exception("an after-commit callback failed")


async def _write_events(connection: Any, pending: list[Emitted]) -> list[CommittedEvent]:
    if not pending:
        return []
    counts: dict[int, int] = {}
    for event in pending:
        for user_id in event.recipients:
            counts[user_id] = counts.get(user_id, 0) + 1
    postgres = connection.capabilities.dialect == "postgres"
    allocate = _allocate_postgres if postgres else _allocate_sqlite
    last = await allocate(connection, counts)
    next_seq = {user_id: last[user_id] - counts[user_id] + 1 for user_id in counts}
    now = utcnow()
    ts = now.isoformat()
    committed: list[CommittedEvent] = []
    rows: list[EventRow] = []
    for event in pending:
        item = CommittedEvent(event.type, ts, event.data)
        text = event.data.decode()
        for user_id in event.recipients:
            seq = next_seq[user_id]
            next_seq[user_id] = seq + 1
            item.targets.append((user_id, seq))
            event.seqs[user_id] = seq
            rows.append((user_id, seq, event.type, text, now))
        committed.append(item)
    await (_insert_postgres if postgres else _insert_sqlite)(connection, rows)
    return committed


async def _allocate_postgres(connection: Any, counts: dict[int, int]) -> dict[int, int]:
    users = sorted(counts)
    await connection.execute_query(
        "INSERT INTO event_counters (user_id, last_seq) SELECT u, 0 FROM unnest($1::int[]) AS u "
        "ON CONFLICT (user_id) DO NOTHING",
        [users],
    )
    await connection.execute_query(
        "SELECT user_id FROM event_counters WHERE user_id = ANY($1::int[]) "
        "ORDER BY user_id FOR UPDATE",
        [users],
    )
    # execute_query_dict: Tortoise's execute_query drops RETURNING rows of an UPDATE.
    rows = await connection.execute_query_dict(
        "UPDATE event_counters AS c SET last_seq = c.last_seq + v.n "
        "FROM unnest($1::int[], $2::int[]) AS v(u, n) WHERE c.user_id = v.u "
        "RETURNING c.user_id, c.last_seq",
        [users, [counts[u] for u in users]],
    )
    return {row["user_id"]: row["last_seq"] for row in rows}


async def _allocate_sqlite(connection: Any, counts: dict[int, int]) -> dict[int, int]:
    users = sorted(counts)
    # The UPDATE comes first so that this transaction holds SQLite's write
    # lock before it reads the counters back.
    await connection.execute_many(
        "INSERT OR IGNORE INTO event_counters (user_id, last_seq) VALUES (?, 0)",
        [[u] for u in users],
    )
    await connection.execute_many(
        "UPDATE event_counters SET last_seq = last_seq + ? WHERE user_id = ?",
        [[counts[u], u] for u in users],
    )
    last: dict[int, int] = {}
    for start in range(0, len(users), 500):
        chunk = users[start : start + 500]
        marks = ",".join("?" * len(chunk))
        _, rows = await connection.execute_query(
            f"SELECT user_id, last_seq FROM event_counters WHERE user_id IN ({marks})", chunk
        )
        last.update({row["user_id"]: row["last_seq"] for row in rows})
    return last


# One row of event_log: user_id, seq, type, data (JSON text), created_at.
EventRow = tuple[int, int, str, str, dt.datetime]


async def _insert_postgres(connection: Any, rows: list[EventRow]) -> None:
    columns = list(zip(*rows))
    await connection.execute_query(
        "INSERT INTO event_log (user_id, seq, type, data, created_at) "
        "SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[])",
        [list(c) for c in columns],
    )


async def _insert_sqlite(connection: Any, rows: list[EventRow]) -> None:
    await connection.execute_many(
        "INSERT INTO event_log (user_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)",
        [[u, s, t, d, c.isoformat(sep=" ")] for u, s, t, d, c in rows],
    )
