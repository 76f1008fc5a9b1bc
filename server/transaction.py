"""Transactions that carry their events: write, commit, then publish.

An action wraps its writes in `async with atomic():` and calls `emit(...)` for
each durable event it causes. When the outermost `atomic()` is about to
commit, each queued event becomes one `events` row (its payload, stored once)
and a row in each recipient's event log with their next `seq` and the event's
id (same transaction, so a rollback drops both the change and
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
    """Give each recipient of `pending` their next seqs and write the log rows.

    Three statements on SQLite (the counters in one upsert that returns them,
    the events in one insert, the log rows in one executemany), one on
    PostgreSQL (all in one statement).
    """
    if not pending:
        return []
    counts: dict[int, int] = {}
    for event in pending:
        for user_id in event.recipients:
            counts[user_id] = counts.get(user_id, 0) + 1
    now = utcnow()
    postgres = connection.capabilities.dialect == "postgres"
    if postgres:
        last = await _log_postgres(connection, pending, counts, now)
    else:
        last = await _allocate_sqlite(connection, counts)
    next_seq = {user_id: last[user_id] - counts[user_id] + 1 for user_id in counts}
    ts = now.isoformat()
    committed: list[CommittedEvent] = []
    for event in pending:
        item = CommittedEvent(event.type, ts, event.data)
        targets, seqs = item.targets, event.seqs
        for user_id in event.recipients:
            seq = next_seq[user_id]
            next_seq[user_id] = seq + 1
            targets.append((user_id, seq))
            seqs[user_id] = seq
        committed.append(item)
    if not postgres:  # on PostgreSQL the rows went in with the counters
        await _insert_sqlite(connection, committed, now)
    return committed


# The counters are taken in user-id order (the rows of the upsert are sorted),
# so two transactions never wait on each other in opposite orders. Each event
# is one `events` row (its payload stored once); each recipient's log row
# holds their seq and the event's id, taken from the sequence first.
_LOG_POSTGRES = """
WITH wanted AS (
    SELECT u, n FROM unnest($1::int[], $2::int[]) AS v(u, n) ORDER BY u
), counted AS (
    INSERT INTO event_counters AS c (user_id, last_seq) SELECT u, n FROM wanted ORDER BY u
    ON CONFLICT (user_id) DO UPDATE SET last_seq = c.last_seq + EXCLUDED.last_seq
    RETURNING c.user_id, c.last_seq
), numbered AS (
    SELECT nextval('events_id_seq') AS id, e.t, e.d, e.i
    FROM unnest($6::text[], $8::text[]) WITH ORDINALITY AS e(t, d, i)
), stored AS (
    INSERT INTO events (id, type, data, created_at) SELECT id, t, d, $7::timestamptz FROM numbered
), logged AS (
    INSERT INTO event_log (user_id, seq, event_id)
    SELECT r.u, counted.last_seq + r.k, numbered.id
    FROM unnest($3::int[], $4::int[], $5::int[]) AS r(u, k, i)
    JOIN counted ON counted.user_id = r.u
    JOIN numbered ON numbered.i = r.i
)
SELECT user_id, last_seq FROM counted
"""


async def _log_postgres(
    connection: Any, pending: list[Emitted], counts: dict[int, int], now: dt.datetime
) -> dict[int, int]:
    """Counters, events and log rows in one statement: each row's seq is the user's new
    `last_seq` plus `k` (the row's place among the user's rows, minus their count)."""
    users = sorted(counts)
    placed = dict.fromkeys(counts, 0)
    row_users, row_offsets, row_events = [], [], []
    for index, event in enumerate(pending, start=1):
        for user_id in event.recipients:
            placed[user_id] += 1
            row_users.append(user_id)
            row_offsets.append(placed[user_id] - counts[user_id])
            row_events.append(index)
    rows = await connection.execute_query_dict(_LOG_POSTGRES, [
        users, [counts[u] for u in users], row_users, row_offsets, row_events,
        [e.type for e in pending], now, [e.data.decode() for e in pending],
    ])
    return {row["user_id"]: row["last_seq"] for row in rows}


_SQLITE_CHUNK = 400  # rows per counter upsert (two parameters each; SQLite allows 32,766)


async def _allocate_sqlite(connection: Any, counts: dict[int, int]) -> dict[int, int]:
    """Add each user's count to their counter (created at 0 when missing) and
    read the new values back, in one statement per chunk of users."""
    users = sorted(counts)
    last: dict[int, int] = {}
    for start in range(0, len(users), _SQLITE_CHUNK):
        chunk = users[start : start + _SQLITE_CHUNK]
        values: list[int] = []
        for user_id in chunk:
            values += (user_id, counts[user_id])
        rows = await connection.execute_query_dict(
            "INSERT INTO event_counters (user_id, last_seq) VALUES "
            + ",".join(["(?, ?)"] * len(chunk))
            + " ON CONFLICT (user_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq"
            " RETURNING user_id, last_seq",
            values,
        )
        last.update({row["user_id"]: row["last_seq"] for row in rows})
    return last


_SQLITE_EVENTS_CHUNK = 1000  # events per insert (three parameters each)


async def _insert_sqlite(connection: Any, committed: list[CommittedEvent], now: dt.datetime) -> None:
    """Each event's row (its payload once), then every recipient's (user, seq, event) row.

    The transaction holds SQLite's write lock (`BEGIN IMMEDIATE`) and the ids
    are AUTOINCREMENT, so one insert's rows get increasing ids in VALUES order.
    """
    created = now.isoformat(sep=" ")  # how Tortoise stores a datetime in SQLite
    rows: list[tuple[int, int, int]] = []
    for start in range(0, len(committed), _SQLITE_EVENTS_CHUNK):
        chunk = committed[start : start + _SQLITE_EVENTS_CHUNK]
        values: list[str] = []
        for event in chunk:
            values += (event.type, event.data.decode(), created)
        inserted = await connection.execute_query_dict(
            "INSERT INTO events (type, data, created_at) VALUES "
            + ",".join(["(?, ?, ?)"] * len(chunk))
            + " RETURNING id",
            values,
        )
        ids = sorted(row["id"] for row in inserted)
        for event, event_id in zip(chunk, ids, strict=True):
            rows += [(user_id, seq, event_id) for user_id, seq in event.targets]
    await connection.execute_many("INSERT INTO event_log (user_id, seq, event_id) VALUES (?, ?, ?)", rows)
