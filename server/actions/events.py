"""Housekeeping of the durable event log."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Subquery

from server.models.events import EventLogEntry, LoggedEvent
from server.transaction import atomic


async def prune_event_log(before: dt.datetime) -> int:
    """Delete logged events created before `before`; returns how many log rows
    (one per recipient) went.

    Schedule it with `before = now - event_retention_hours`. The counters are
    kept, so seqs never restart; a socket resuming from a pruned seq gets
    `resync_required`.
    """
    async with atomic():
        old = LoggedEvent.filter(created_at__lt=before)
        count = await EventLogEntry.filter(event_id__in=Subquery(old.values("id"))).delete()
        await old.delete()
        return count
