"""Scheduling and cancelling reminders (firing lives in `schedulers`)."""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError

from server.models.reminders import Reminder
from server.transaction import atomic

KINDS = ("task", "follow_up", "daily_report")


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
    """Add a reminder row; with `dedupe_key`, a second one for the same key is a no-op (None)."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    async with atomic():
        if dedupe_key is not None and await Reminder.exists(dedupe_key=dedupe_key):
            return None
        try:
            return await Reminder.create(
                user_id=user_id, kind=kind, title=title[:300], fire_at=fire_at,
                due_at=due_at or fire_at, link_type=link_type, link_id=link_id, dedupe_key=dedupe_key,
            )
        except IntegrityError:
            return None


async def cancel_reminders(link_type: str, link_id: int, *, user_id: int | None = None) -> int:
    """Cancel every reminder not yet fired for a record (e.g. a deleted task)."""
    async with atomic():
        query = Reminder.filter(link_type=link_type, link_id=link_id, status="scheduled")
        if user_id is not None:
            query = query.filter(user_id=user_id)
        return await query.update(status="cancelled")


async def move_reminders(link_type: str, link_id: int, fire_at: dt.datetime, due_at: dt.datetime) -> int:
    """Move the pending reminders of a record (postponed task, changed follow-up)."""
    async with atomic():
        return await Reminder.filter(link_type=link_type, link_id=link_id, status="scheduled").update(
            fire_at=fire_at, due_at=due_at
        )
