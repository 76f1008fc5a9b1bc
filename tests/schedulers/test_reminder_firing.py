"""Due reminders fire once, as a `reminder` event and notification, in the claiming transaction."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from server.actions import reminder_firing
from server.actions.reminder_firing import fire_all_due, fire_due_reminders
from server.actions.reminders import schedule_reminder
from server.clock import utcnow
from server.models.notifications import Notification
from server.models.reminders import Reminder


def ago(seconds: float) -> dt.datetime:
    return utcnow() - dt.timedelta(seconds=seconds)


def reminders_in(events: list[dict]) -> list[dict]:
    return [e["data"] for e in events if e["type"] == "reminder"]


async def test_a_due_reminder_fires_once_with_the_contract_fields(org, event_log):
    due = utcnow() + dt.timedelta(hours=1)
    reminder = await schedule_reminder(
        org.rep_east1.id, "task", "Call Ruili Garment", ago(1), due_at=due, link_type="task", link_id=7
    )
    assert await fire_due_reminders("test") == 1
    assert await fire_due_reminders("test") == 0
    events = await event_log(org.rep_east1.id)
    assert reminders_in(events) == [{
        "reminder_id": reminder.id, "kind": "task", "title": "Call Ruili Garment",
        "due_at": due.isoformat(), "link": {"type": "task", "id": 7}, "late": False,
    }]
    notes = [e["data"] for e in events if e["type"] == "notification.new"]
    assert [(n["kind"], n["title"], n["link"]) for n in notes] == [
        ("reminder", "Call Ruili Garment", {"type": "task", "id": 7})
    ]
    row = await Reminder.get(id=reminder.id)
    assert (row.status, row.claimed_by, row.late) == ("fired", "test", False)
    assert row.fired_at is not None


async def test_future_and_cancelled_reminders_do_not_fire(org, event_log):
    later = await schedule_reminder(org.rep_east1.id, "task", "Later", utcnow() + dt.timedelta(minutes=5))
    gone = await schedule_reminder(org.rep_east1.id, "task", "Gone", ago(5), link_type="task", link_id=3)
    from server.actions.reminders import cancel_reminders

    assert await cancel_reminders("task", 3) == 1
    assert await fire_due_reminders("test") == 0
    assert reminders_in(await event_log(org.rep_east1.id)) == []
    assert (await Reminder.get(id=later.id)).status == "scheduled"
    assert (await Reminder.get(id=gone.id)).status == "cancelled"


async def test_late_means_fired_over_a_minute_after_its_time(org, event_log):
    await schedule_reminder(org.rep_sh.id, "follow_up", "Shanghai Ruili", ago(120), link_type="activity", link_id=1)
    await schedule_reminder(org.rep_sh.id, "follow_up", "Hangzhou Lake", ago(10), link_type="activity", link_id=2)
    await fire_due_reminders("test")
    lateness = {r["title"]: r["late"] for r in reminders_in(await event_log(org.rep_sh.id))}
    assert lateness == {"Shanghai Ruili": True, "Hangzhou Lake": False}


async def test_batches_fire_in_due_order_until_nothing_is_due(org, event_log):
    for i in range(7):
        await schedule_reminder(org.rep_west.id, "task", f"R{i}", ago(100 - i))
    assert await fire_all_due("test", limit=3) == 7
    titles = [r["title"] for r in reminders_in(await event_log(org.rep_west.id))]
    assert titles == [f"R{i}" for i in range(7)]


async def test_concurrent_claims_fire_each_reminder_once(org, event_log):
    users = [org.rep_east1.id, org.rep_east2.id, org.rep_sh.id]
    created = [await schedule_reminder(users[i % 3], "task", f"T{i}", ago(1)) for i in range(60)]
    fired = await asyncio.gather(*(fire_all_due(f"worker{n}", limit=7) for n in range(4)))
    assert sum(fired) == 60
    seen = []
    for user_id in users:
        seen += [r["reminder_id"] for r in reminders_in(await event_log(user_id))]
    assert sorted(seen) == sorted(r.id for r in created)
    assert await Reminder.filter(status="fired").count() == 60


async def test_a_failure_while_firing_leaves_the_batch_due(org, event_log, monkeypatch):
    reminder = await schedule_reminder(org.rep_east2.id, "task", "Visit Huanan Logistics", ago(1))

    async def broken(*args, **kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(reminder_firing, "notify", broken)
    with pytest.raises(RuntimeError):
        await fire_due_reminders("test")
    assert (await Reminder.get(id=reminder.id)).status == "scheduled"
    assert reminders_in(await event_log(org.rep_east2.id)) == []
    monkeypatch.undo()
    assert await fire_due_reminders("test") == 1
    assert await Notification.filter(user_id=org.rep_east2.id, kind="reminder").count() == 1


async def test_schedule_with_a_dedupe_key_adds_one_row(org):
    fire_at = utcnow() + dt.timedelta(hours=2)
    first = await schedule_reminder(org.rep_sh.id, "daily_report", "Daily report", fire_at, dedupe_key="dr:1:2026-11-25")
    again = await schedule_reminder(org.rep_sh.id, "daily_report", "Daily report", fire_at, dedupe_key="dr:1:2026-11-25")
    assert first is not None and again is None
    assert await Reminder.filter(dedupe_key="dr:1:2026-11-25").count() == 1


async def test_times_in_other_zones_are_stored_in_utc_and_fire_on_time(org, event_log):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    await schedule_reminder(org.rep_east1.id, "task", "Past, in +08:00", ago(5).astimezone(shanghai))
    await schedule_reminder(org.rep_east1.id, "task", "Future, in +08:00", (utcnow() + dt.timedelta(minutes=1)).astimezone(shanghai))
    await fire_due_reminders("test")
    assert [r["title"] for r in reminders_in(await event_log(org.rep_east1.id))] == ["Past, in +08:00"]
