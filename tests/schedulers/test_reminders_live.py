"""Real server processes: reminders fire exactly once through SIGKILL, restarts and
downtime; with two processes on one PostgreSQL database, each fires once overall."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter

import orjson
import pytest

from server.actions.reminders import schedule_reminder
from server.clock import utcnow
from server.models.events import EventLogEntry
from server.models.reminders import Reminder
from tests.support.live import LiveServer

LATE_S = 2.0
WAIT_S = 25.0


@pytest.fixture
def live_env(test_env):
    return {**test_env, "FIELDLINE_SCHEDULER_TICK_S": "0.2", "FIELDLINE_REMINDER_LATE_S": str(LATE_S)}


async def schedule_many(users: list[int], count: int, start: dt.datetime, spread_s: float) -> list[int]:
    ids = []
    for i in range(count):
        fire_at = start + dt.timedelta(seconds=spread_s * i / count)
        reminder = await schedule_reminder(users[i % len(users)], "task", f"Reminder {i}", fire_at)
        ids.append(reminder.id)
    return ids


async def wait_until_fired(count: int, timeout_s: float = WAIT_S) -> None:
    # Only the test's own task reminders: other jobs (daily-report reminders) add theirs.
    deadline = time.monotonic() + timeout_s
    while await Reminder.filter(status="fired", kind="task").count() < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {await Reminder.filter(status='fired', kind='task').count()} of {count} fired")
        await asyncio.sleep(0.2)


async def reminder_events() -> list[dict]:
    rows = await EventLogEntry.filter(event__type="reminder").values_list("event__data", flat=True)
    return [orjson.loads(data) for data in rows]


async def assert_each_fired_once(ids: list[int]) -> list[dict]:
    events = await reminder_events()
    counts = Counter(e["reminder_id"] for e in events)
    duplicates = {rid: n for rid, n in counts.items() if n > 1}
    missing = set(ids) - set(counts)
    assert not duplicates and not missing, f"duplicates {duplicates}, missing {sorted(missing)[:10]}"
    assert await Reminder.filter(id__in=ids, status="fired").count() == len(ids)
    return events


def users_of(org) -> list[int]:
    return [org.rep_east1.id, org.rep_east2.id, org.rep_sh.id, org.rep_west.id]


async def test_a_killed_and_restarted_server_fires_each_reminder_once(org, live_env):
    server = LiveServer(live_env)
    await server.start()
    try:
        ids = await schedule_many(users_of(org), 300, utcnow() + dt.timedelta(seconds=0.5), 2.0)
        deadline = time.monotonic() + WAIT_S
        while await Reminder.filter(status="fired", kind="task").count() < 60 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        server.kill()  # SIGKILL, in the middle of the run
        assert await Reminder.filter(status="scheduled").count() > 0, "all fired before the kill"
        await server.start()
        await wait_until_fired(len(ids))
    finally:
        await server.stop()
    await assert_each_fired_once(ids)


async def test_reminders_due_while_no_server_ran_fire_late_at_start(org, live_env):
    server = LiveServer(live_env)
    missed = await schedule_many(users_of(org), 20, utcnow(), 0.5)
    await asyncio.sleep(LATE_S + 1)  # every server is down past their times
    await server.start()
    try:
        on_time = await schedule_many(users_of(org), 4, utcnow() + dt.timedelta(seconds=1), 0.5)
        await wait_until_fired(len(missed) + len(on_time))
    finally:
        await server.stop()
    events = {e["reminder_id"]: e for e in await assert_each_fired_once(missed + on_time)}
    assert [events[i]["late"] for i in missed] == [True] * len(missed)
    assert [events[i]["late"] for i in on_time] == [False] * len(on_time)
    assert await Reminder.filter(id__in=missed, late=True).count() == len(missed)


async def test_two_server_processes_fire_each_reminder_once(org, live_env, backend):
    if backend != "postgres":
        pytest.skip("SQLite serves one process; two processes need PostgreSQL")
    servers = [LiveServer(live_env), LiveServer(live_env)]
    await asyncio.gather(*(s.start() for s in servers))
    try:
        ids = await schedule_many(users_of(org), 500, utcnow() + dt.timedelta(seconds=1), 3.0)
        deadline = time.monotonic() + WAIT_S
        while await Reminder.filter(status="fired", kind="task").count() < 150 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        servers[0].kill()
        await wait_until_fired(len(ids))
        holders = set(await Reminder.filter(id__in=ids).values_list("claimed_by", flat=True))
    finally:
        for server in servers:
            await server.stop()
    await assert_each_fired_once(ids)
    assert len(holders) == 2, "both processes should have fired some"
