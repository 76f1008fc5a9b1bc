"""The periodic jobs every server process runs: add a line to `JOBS` to add one.

A job is `Job(name, interval_s, run)`. `interval_s=None` means every
scheduler tick (`FIELDLINE_SCHEDULER_TICK_S`). Two kinds, by how they stay
single across processes:

- `lease=False`: the job claims its own rows (reminders, escalations), so
  every process may run it at the same time and each row is still handled once.
- `lease=True` (the default): only the process holding the row `name` in
  `job_leases` runs it (pruning, key expiry, email digests and delivery), so
  two processes never run it at once; another process takes over when the
  holder stops or its lease runs out (schedulers/service.py).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from notifications.digest import send_due_digests
from notifications.outbox import deliver_due_emails
from notifications.push import deliver_pushes_now
from server.actions.customers_sight import prune_sight_changes
from server.actions.daily_reports import remind_missing_daily_reports
from server.actions.events import prune_event_log
from server.actions.files import delete_unattached
from server.actions.idempotency import expire_keys
from server.actions.leads import escalate_overdue_leads
from server.actions.payments import remind_overdue_payments
from server.actions.push import prune_outbox
from server.actions.quota_alerts import alert_quotas
from server.actions.reminder_firing import fire_all_due
from server.actions.task_escalation import escalate_overdue_tasks
from server.clock import utcnow
from server.settings import get_settings

# Names this process in `claimed_by` and `job_leases.holder`.
HOLDER = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Job:
    name: str
    interval_s: float | None
    run: Callable[[], Awaitable[Any]]
    lease: bool = True


async def fire_reminders() -> int:
    return await fire_all_due(HOLDER)


async def escalate_overdue() -> int:
    return await escalate_overdue_tasks()


async def prune_events() -> int:
    hours = get_settings().event_retention_hours
    return await prune_event_log(utcnow() - dt.timedelta(hours=hours))


async def prune_pushes() -> int:
    return await prune_outbox(utcnow() - dt.timedelta(days=PUSH_KEEP_DAYS))


PUSH_KEEP_DAYS = 7

JOBS: list[Job] = [
    Job("reminders", None, fire_reminders, lease=False),
    Job("overdue_escalation", None, escalate_overdue, lease=False),
    Job("prune_event_log", 600.0, prune_events),
    Job("expire_idempotency_keys", 3600.0, expire_keys),
    Job("prune_customer_sight_changes", 3600.0, prune_sight_changes),
    Job("email_digests", None, send_due_digests),
    Job("email_outbox", None, deliver_due_emails),
    # Pushes are claimed row by row, so every process sends (and shares the load).
    Job("push_outbox", None, deliver_pushes_now, lease=False),
    Job("prune_push_outbox", 3600.0, prune_pushes),
    # Uploads nothing used within a day of their upload: rows and bytes.
    Job("delete_unattached_uploads", 3600.0, delete_unattached),
    # Each rep's deadline − 30 min passes at a different UTC moment; a per-day
    # dedupe key keeps it to one reminder whoever runs it.
    Job("daily_report_reminders", 30.0, remind_missing_daily_reports),
    # Plans are claimed row by row (reminded_at), so every process may run it.
    Job("overdue_payment_reminders", 60.0, remind_overdue_payments, lease=False),
    # Each person's day is claimed on their row (quota_alerted_on, quota_summary_on).
    Job("quota_alerts", 60.0, alert_quotas, lease=False),
    # Leads are claimed row by row (escalation), like overdue tasks.
    Job("lead_follow_up_escalation", 30.0, escalate_overdue_leads, lease=False),
]
