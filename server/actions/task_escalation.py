"""Telling managers about overdue tasks, once per task across server processes.

A task still pending or open `overdue_escalation_hours` after its due time is
claimed like a reminder (its `escalated_at` is set in the claiming
transaction) and the assignee's managers get a `task` notification. Moving
the due time (postpone, edit, reopen) clears `escalated_at`, so a task that
becomes overdue again is escalated again.
"""

from __future__ import annotations

import datetime as dt

from server.access import managers_of
from server.actions.claims import as_datetime, claim_due
from server.actions.notify import notify
from server.clock import utcnow
from server.i18n import Text
from server.models.tasks import Task
from server.settings import get_settings
from server.transaction import atomic

BATCH_SIZE = 100


async def escalate_overdue_tasks(*, now: dt.datetime | None = None, limit: int = BATCH_SIZE) -> int:
    """Claim and escalate up to `limit` overdue tasks; returns how many."""
    now = now or utcnow()
    overdue_before = now - dt.timedelta(hours=get_settings().overdue_escalation_hours)
    overdue = Task.filter(status__in=("pending", "open"), escalated_at=None, deleted_at=None, due_at__lte=overdue_before)
    if not await overdue.exists():  # an idle tick opens no write transaction
        return 0
    async with atomic():
        rows = await claim_due(
            "tasks",
            due="status IN ('pending', 'open') AND escalated_at IS NULL AND deleted_at IS NULL "
                "AND due_at <= ?",
            due_params=[overdue_before], order_by="due_at, id", limit=limit,
            set_sql="escalated_at = ?", set_params=[now],
            returning="id, title, assignee_id, due_at",
        )
        for row in rows:
            managers = await managers_of(row["assignee_id"])
            if managers:
                await notify(
                    managers, "task", Text("task.overdue", title=row["title"]),
                    Text("task.overdue.body", due=as_datetime(row["due_at"])), link_type="task", link_id=row["id"],
                )
    return len(rows)
