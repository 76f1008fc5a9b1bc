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
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.applications import Starlette

from schedulers.jobs import HOLDER, JOBS, Job
from server.actions.leases import release_lease, take_lease
from server.clock import utcnow
from server.logs import job_context
from server.metrics import JOB_RUNS
from server.settings import get_settings

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 0.05
SHUTDOWN_WAIT_S = 10.0
LEASE_S = 60.0


class JobRunner:
    """Runs jobs, one run at a time per job, and lets shutdown wait for runs in flight.

    A leased job runs only while this process holds its lease. The lease lasts
    `max(interval, LEASE_S)` and is renewed when less than a third is left, so
    a job due every tick costs its holder one write every `LEASE_S` or so and
    costs the other processes one read per tick.
    """

    def __init__(self, tick_s: float) -> None:
        self.tick_s = max(tick_s, MIN_INTERVAL_S)
        self.running: set[asyncio.Task[None]] = set()
        self.held_until: dict[str, dt.datetime] = {}

    def interval(self, job: Job) -> float:
        every = self.tick_s if job.interval_s is None else job.interval_s
        return max(every, MIN_INTERVAL_S)

    async def run(self, job: Job) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.running.add(task)
        with job_context(job.name):
            try:
                if not job.lease or await self._holds(job):
                    await self._run_logged(job)
            except Exception:  # one failed run must not stop the schedule; the next tick retries
                JOB_RUNS.labels(job.name, "failed").inc()
                log.exception("scheduled job %s failed", job.name)
            finally:
                self.running.discard(task)

    async def _run_logged(self, job: Job) -> None:
        """Run `job`; a run that did something (returned a count > 0) is logged at info."""
        started = time.perf_counter()
        done = await job.run()
        JOB_RUNS.labels(job.name, "ok").inc()
        # Every tick's empty run at info would drown the rest; a run that did something is news.
        log.log(logging.INFO if done else logging.DEBUG, "job %s ran: %s done in %.0f ms",
                job.name, done or 0, (time.perf_counter() - started) * 1000)

    async def _holds(self, job: Job) -> bool:
        now = utcnow()
        hold_s = max(self.interval(job), LEASE_S)
        until = self.held_until.get(job.name)
        if until is not None and now < until - dt.timedelta(seconds=hold_s / 3):
            return True
        if await take_lease(job.name, HOLDER, hold_s):
            self.held_until[job.name] = now + dt.timedelta(seconds=hold_s)
            return True
        self.held_until.pop(job.name, None)
        return False

    async def stop(self) -> None:
        """Wait for runs in flight, then hand this process's leases on at once.

        A run still going after SHUTDOWN_WAIT_S (waiting on a database lock
        under load) is cancelled: nothing may query once the database closes.
        """
        if self.running:
            _, late = await asyncio.wait(set(self.running), timeout=SHUTDOWN_WAIT_S)
            for task in late:
                log.warning("scheduled job still running at shutdown; cancelling it")
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        for name in list(self.held_until):
            try:
                await release_lease(name, HOLDER)
            except Exception:
                log.exception("releasing the lease of %s failed", name)
        self.held_until.clear()


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
        await runner.stop()
