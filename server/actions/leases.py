"""Job leases: one server process at a time runs a periodic job.

The holder of the row `name` in `job_leases` runs the job until
`leased_until`, renewing before then; other processes see a live lease with a
read and skip the job without writing. Taking or renewing is one conditional
`UPDATE … WHERE leased_until <= now OR holder = me`, atomic on both databases
(PostgreSQL re-checks the condition after waiting on a concurrent update of
the row; SQLite has one writer). A holder that dies keeps the lease only until
it runs out, so a crash delays a job, never stops it.
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q

from server.actions.claims import run_sql
from server.clock import utcnow
from server.models.jobs import JobLease
from server.transaction import atomic

NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


async def take_lease(name: str, holder: str, hold_s: float) -> bool:
    """True if `holder` now holds `name` (taken or renewed) for `hold_s` seconds."""
    holder = holder[:64]
    now = utcnow()
    if await JobLease.filter(name=name, leased_until__gt=now).exclude(holder=holder).exists():
        return False  # someone else holds it: no write transaction just to learn that
    async with atomic():
        await run_sql(
            "INSERT INTO job_leases (name, leased_until, holder) VALUES (?, ?, '') "
            "ON CONFLICT (name) DO NOTHING",
            [name, NEVER],
        )
        taken = await JobLease.filter(Q(leased_until__lte=now) | Q(holder=holder), name=name).update(
            leased_until=now + dt.timedelta(seconds=hold_s), holder=holder, last_started_at=now
        )
    return taken == 1


async def release_lease(name: str, holder: str, until: dt.datetime | None = None) -> None:
    """Let another process take `name` from `until` (default now), if `holder` still holds it."""
    async with atomic():
        await JobLease.filter(name=name, holder=holder[:64]).update(
            leased_until=until or utcnow(), last_finished_at=utcnow()
        )
