"""Scheduling, snoozing and cancelling reminders (firing: `reminder_firing`)."""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError

from server.access import Viewer
from server.clock import utcnow
from server.errors import conflict, not_found
from server.models.reminders import Reminder
from server.transaction import atomic

KINDS = ("task", "follow_up", "daily_report")


def as_utc(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC (SQLite compares them as text, so one offset for all)."""
    if value.tzinfo is None:
        raise ValueError("reminder times must carry a time zone")
    return value.astimezone(dt.timezone.utc)


async def schedule_reminder(
    user_id: int,
    kind: str,
    title: str,
    fire_at: dt.datetime,
    *,
    due_at: dt.datetime | None = None,
    link_type: str | None = None,
    link_id: int | None = None,
    dedupe_key: str | None = None,
) -> Reminder | None:
    """Add a reminder row; with `dedupe_key`, a second one for the same key is a no-op (None).

    A `fire_at` in the past fires at the next scheduler tick.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    async with atomic():
        if dedupe_key is not None and await Reminder.exists(dedupe_key=dedupe_key):
            return None
        try:
            return await Reminder.create(
                user_id=user_id, kind=kind, title=title[:300], fire_at=as_utc(fire_at),
                due_at=as_utc(due_at or fire_at), link_type=link_type, link_id=link_id,
                dedupe_key=dedupe_key,
            )
        except IntegrityError:
            return None


async def cancel_reminders(link_type: str, link_id: int, *, user_id: int | None = None) -> int:
    """Cancel every reminder not yet fired for a record (e.g. a deleted task)."""
    async with atomic():
        query = Reminder.filter(link_type=link_type, link_id=link_id, status="scheduled")
        if user_id is not None:
            query = query.filter(user_id=user_id)
        return await query.update(status="cancelled", updated_at=utcnow())


async def _own_reminder_for_update(viewer: Viewer, reminder_id: int) -> Reminder:
    reminder = await Reminder.select_for_update().get_or_none(id=reminder_id, user_id=viewer.id)
    if reminder is None:
        raise not_found("reminder")
    return reminder


async def snooze_reminder(viewer: Viewer, reminder_id: int, minutes: int) -> Reminder:
    """Fire the caller's reminder again `minutes` from now; a fired one is scheduled again.

    The row lock keeps a snooze and a firing tick from both acting on it.
    """
    async with atomic():
        reminder = await _own_reminder_for_update(viewer, reminder_id)
        if reminder.status == "cancelled":
            raise conflict("This reminder was cancelled; schedule a new one instead.")
        reminder.fire_at = utcnow() + dt.timedelta(minutes=minutes)
        reminder.status = "scheduled"
        reminder.claimed_at = reminder.claimed_by = reminder.fired_at = None
        reminder.late = False
        await reminder.save()
    return reminder


async def cancel_reminder(viewer: Viewer, reminder_id: int) -> Reminder:
    """Cancel one of the caller's reminders that has not fired (409 once it has)."""
    async with atomic():
        reminder = await _own_reminder_for_update(viewer, reminder_id)
        if reminder.status == "fired":
            raise conflict("This reminder has already fired; there is nothing to cancel.")
        if reminder.status == "scheduled":
            reminder.status = "cancelled"
            await reminder.save()
    return reminder
