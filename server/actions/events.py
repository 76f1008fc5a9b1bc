"""Housekeeping of the durable event log."""

from __future__ import annotations

import datetime as dt

from server.models.events import EventLogEntry
from server.transaction import atomic


async def prune_event_log(before: dt.datetime) -> int:
    """Delete logged events created before `before`; returns how many.

    Schedule it with `before = now - event_retention_hours`. The counters are
    kept, so seqs never restart; a socket resuming from a pruned seq gets
    `resync_required`.
    """
    async with atomic():
        return await EventLogEntry.filter(created_at__lt=before).delete()
