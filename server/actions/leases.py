"""Job leases: one server process at a time runs a periodic job.

`take_lease` succeeds for at most one holder while `leased_until` lies in the
future: the conditional `UPDATE … WHERE leased_until <= now` is atomic on both
databases (PostgreSQL re-checks the condition after waiting on a concurrent
update of the row; SQLite has one writer). A holder that dies keeps the lease
only until it runs out, so a crash delays a job, never stops it.
"""

from __future__ import annotations

import datetime as dt

from server.actions.claims import run_sql
from server.models.jobs import JobLease
from server.transaction import atomic, utcnow

NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


async def take_lease(name: str, holder: str, hold_s: float) -> bool:
    """True if `holder` now runs `name` for up to `hold_s` seconds."""
    now = utcnow()
    if await JobLease.exists(name=name, leased_until__gt=now):
        return False  # someone holds it: no write transaction just to learn that
    async with atomic():
        await run_sql(
            "INSERT INTO job_leases (name, leased_until, holder) VALUES (?, ?, '') "
            "ON CONFLICT (name) DO NOTHING",
            [name, NEVER],
        )
        taken = await JobLease.filter(name=name, leased_until__lte=now).update(
            leased_until=now + dt.timedelta(seconds=hold_s), holder=holder[:64], last_started_at=now
        )
    return taken == 1


async def release_lease(name: str, holder: str, next_run_at: dt.datetime) -> None:
    """Done: the next run (by any process) may start at `next_run_at`."""
    async with atomic():
        await JobLease.filter(name=name, holder=holder[:64]).update(
            leased_until=next_run_at, last_finished_at=utcnow()
        )
