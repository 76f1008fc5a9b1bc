"""The scheduler every server process runs for as long as the server runs.

APScheduler (AsyncIOScheduler) wakes each job of `schedulers.jobs.JOBS` on its
interval, in this process's event loop. Exactly-once across processes is the
database's business (claims and leases), so the scheduler itself keeps no
shared state and needs no job store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.applications import Starlette

from schedulers.jobs import HOLDER, JOBS, Job
from server.actions.leases import release_lease, take_lease
from server.settings import get_settings
from server.transaction import utcnow

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 0.05
SHUTDOWN_WAIT_S = 10.0


class JobRunner:
    """Runs jobs, one at a time per job, and lets shutdown wait for runs in flight."""

    def __init__(self, tick_s: float) -> None:
        self.tick_s = max(tick_s, MIN_INTERVAL_S)
        self.running: set[asyncio.Task[None]] = set()

    def interval(self, job: Job) -> float:
        every = self.tick_s if job.interval_s is None else job.interval_s
        return max(every, MIN_INTERVAL_S)

    async def run(self, job: Job) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.running.add(task)
        try:
            await self._run(job)
        except Exception:  # one failed run must not stop the schedule; the next tick retries
            log.exception("scheduled job %s failed", job.name)
        finally:
            self.running.discard(task)

    async def _run(self, job: Job) -> None:
        if not job.lease:
            await job.run()
            return
        started = utcnow()
        if not await take_lease(job.name, HOLDER, max(self.interval(job), job.max_run_s)):
            return
        try:
            await job.run()
        finally:
            await release_lease(job.name, HOLDER, started + dt.timedelta(seconds=self.interval(job)))

    async def drain(self) -> None:
        if self.running:
            await asyncio.wait(set(self.running), timeout=SHUTDOWN_WAIT_S)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    runner = JobRunner(get_settings().scheduler_tick_s)
    scheduler = AsyncIOScheduler(timezone=dt.timezone.utc)
    now = dt.datetime.now(dt.timezone.utc)
    for job in JOBS:
        # The first run is right away: reminders that came due while no server
        # ran fire at start (late), not a tick later.
        scheduler.add_job(
            runner.run, "interval", args=[job], id=job.name, seconds=runner.interval(job),
            next_run_time=now, max_instances=1, coalesce=True, misfire_grace_time=None,
        )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
        await runner.drain()
