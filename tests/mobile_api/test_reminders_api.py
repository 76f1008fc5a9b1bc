"""The caller's reminders: list upcoming, snooze (also a fired one), cancel one not yet fired."""

from __future__ import annotations

import datetime as dt

from server.actions.reminder_firing import fire_due_reminders
from server.actions.reminders import schedule_reminder
from server.clock import utcnow
from server.models.reminders import Reminder


def at(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


async def test_upcoming_lists_the_callers_scheduled_reminders_soonest_first(org):
    later = await schedule_reminder(org.rep_east1.id, "task", "Later", at(90))
    sooner = await schedule_reminder(org.rep_east1.id, "follow_up", "Sooner", at(30))
    cancelled = await schedule_reminder(org.rep_east1.id, "task", "Cancelled", at(60))
    await schedule_reminder(org.rep_east2.id, "task", "Someone else's", at(10))
    assert (await org.delete("rep_east1", f"/api/v1/reminders/{cancelled.id}")).status_code == 204
    response = await org.get("rep_east1", "/api/v1/reminders?upcoming=true")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [r["id"] for r in items] == [sooner.id, later.id]
    assert items[0]["kind"] == "follow_up" and items[0]["status"] == "scheduled"
    everything = (await org.get("rep_east1", "/api/v1/reminders")).json()["items"]
    assert [r["id"] for r in everything] == [cancelled.id, sooner.id, later.id]


async def test_upcoming_pages_by_fire_time(org):
    ids = [(await schedule_reminder(org.rep_sh.id, "task", f"R{i}", at(10 + i))).id for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"upcoming": "true", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await org.get("rep_sh", "/api/v1/reminders", params=params)).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


async def test_snooze_moves_a_scheduled_reminder_and_rearms_a_fired_one(org, event_log):
    reminder = await schedule_reminder(org.rep_west.id, "task", "Call Westwind", utcnow() - dt.timedelta(seconds=1))
    await fire_due_reminders("test")
    snoozed = await org.post("rep_west", f"/api/v1/reminders/{reminder.id}/snooze", {"minutes": 10})
    assert snoozed.status_code == 200, snoozed.text
    body = snoozed.json()
    assert (body["status"], body["fired_at"], body["late"]) == ("scheduled", None, False)
    fire_at = dt.datetime.fromisoformat(body["fire_at"])
    assert dt.timedelta(minutes=9) < fire_at - utcnow() <= dt.timedelta(minutes=10)
    await fire_due_reminders("test", now=fire_at + dt.timedelta(seconds=1))
    fired = [e for e in await event_log(org.rep_west.id) if e["type"] == "reminder"]
    assert [e["data"]["reminder_id"] for e in fired] == [reminder.id, reminder.id]


async def test_snooze_and_cancel_refusals(org):
    reminder = await schedule_reminder(org.rep_east1.id, "task", "Mine", at(5))
    path = f"/api/v1/reminders/{reminder.id}"
    assert (await org.post("rep_east2", f"{path}/snooze", {"minutes": 5})).status_code == 404
    assert (await org.delete("manager_east", path)).status_code == 404
    for minutes in (0, -5, 10**6, "5", 1.5):
        assert (await org.post("rep_east1", f"{path}/snooze", {"minutes": minutes})).status_code == 422, minutes
    assert (await org.delete("rep_east1", path)).status_code == 204
    assert (await org.delete("rep_east1", path)).status_code == 204  # already cancelled: nothing to do
    refused = await org.post("rep_east1", f"{path}/snooze", {"minutes": 5})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert (await org.delete("rep_east1", "/api/v1/reminders/999999")).status_code == 404


async def test_a_fired_reminder_cannot_be_cancelled(org):
    reminder = await schedule_reminder(org.rep_sh.id, "task", "Gone off", utcnow() - dt.timedelta(seconds=1))
    await fire_due_reminders("test")
    response = await org.delete("rep_sh", f"/api/v1/reminders/{reminder.id}")
    assert response.status_code == 409
    assert "already fired" in response.json()["error"]["message"]
    assert (await Reminder.get(id=reminder.id)).status == "fired"
