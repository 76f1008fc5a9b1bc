"""Firing due reminders: exactly once across server processes and restarts.

The scheduler in every process calls `fire_due_reminders` each tick. One
transaction claims a batch of due rows (`server.actions.claims`) and, for each,
writes the `reminder` event and the `reminder` notification. The claim and
what it fires commit together: a process killed half-way fires nothing of its
batch and the rows are due again for whichever process ticks next.

`late`: a reminder fired more than `reminder_late_s` (default 60 s) after its
`fire_at` — in practice one that came due while no server was running.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from server.actions.claims import as_datetime, claim_due
from server.actions.notify import notify
from server.clock import utcnow
from server.events import EventType, ReminderPayload
from server.i18n import MESSAGES, Text
from server.metrics import REMINDER_LATENESS
from server.models.reminders import Reminder
from server.queries.identity import readers_of
from server.render import iso
from server.settings import get_settings
from server.transaction import atomic, emit

log = logging.getLogger(__name__)
BATCH_SIZE = 200


def notification_body(row: dict[str, Any]) -> Text | str:
    """`reminder.<kind>.body` of the catalogue, with the due time on the reader's clock."""
    key = f"reminder.{row['kind']}.body"
    return Text(key, due=as_datetime(row["due_at"])) if key in MESSAGES else ""


def reminder_event(row: dict[str, Any]) -> ReminderPayload:
    """The `reminder` event's data, exactly as API.md names it."""
    return {
        "reminder_id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "due_at": iso(as_datetime(row["due_at"])),
        "link": {"type": row["link_type"], "id": row["link_id"]},
        "late": bool(row["late"]),
    }


async def fire_due_reminders(holder: str, *, limit: int = BATCH_SIZE, now: dt.datetime | None = None) -> int:
    """Claim up to `limit` due reminders and fire them in one transaction.

    Returns how many fired; `holder` names this process in `claimed_by`.
    Recipients: each reminder's user gets `reminder` and `notification.new`.
    """
    now = now or utcnow()
    # A read first: an idle tick opens no write transaction (SQLite has one writer).
    if not await Reminder.exists(status="scheduled", fire_at__lte=now):
        return 0
    late_before = now - dt.timedelta(seconds=get_settings().reminder_late_s)
    async with atomic():
        rows = await claim_due(
            "reminders",
            due="status = 'scheduled' AND fire_at <= ?", due_params=[now],
            order_by="fire_at, id", limit=limit,
            set_sql="status = 'fired', claimed_at = ?, claimed_by = ?, fired_at = ?, "
                    "updated_at = ?, late = (fire_at < ?)",
            set_params=[now, holder[:64], now, now, late_before],
            returning="id, user_id, kind, title, due_at, fire_at, link_type, link_id, late",
        )
        readers = await readers_of(row["user_id"] for row in rows)
        for row in sorted(rows, key=lambda r: (as_datetime(r["fire_at"]), r["id"])):
            data = reminder_event(row)
            emit(EventType.REMINDER, [row["user_id"]], data)
            await notify(
                [row["user_id"]], "reminder", row["title"], notification_body(row),
                link_type=row["link_type"], link_id=row["link_id"], data=data, readers=readers,
            )
    for row in rows:  # committed: they fired
        lateness_s = max((now - as_datetime(row["fire_at"])).total_seconds(), 0.0)
        REMINDER_LATENESS.observe(lateness_s)
        log.info("reminder %d fired for user %d (%s, %.1f s after its time)",
                 row["id"], row["user_id"], row["kind"], lateness_s)
    return len(rows)


async def fire_all_due(holder: str, *, limit: int = BATCH_SIZE) -> int:
    """Fire batches until nothing is due (one transaction per batch)."""
    total = 0
    while True:
        fired = await fire_due_reminders(holder, limit=limit)
        total += fired
        if fired < limit:
            return total
