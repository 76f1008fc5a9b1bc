"""Leased jobs run in one process at a time, and a crashed holder only delays them."""

from __future__ import annotations

import asyncio
import datetime as dt

from schedulers import service
from schedulers.jobs import JOBS, Job
from server.actions.leases import release_lease, take_lease
from server.clock import utcnow
from server.models.jobs import JobLease


async def test_only_one_holder_gets_a_lease(org):
    results = await asyncio.gather(*(take_lease("digest", f"p{n}", 60) for n in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await take_lease("digest", "p9", 60) is False


async def test_released_lease_is_free_again_at_the_next_run_time(org):
    assert await take_lease("prune", "a", 300)
    await release_lease("prune", "a", utcnow() - dt.timedelta(seconds=1))
    assert await take_lease("prune", "b", 300)
    await release_lease("prune", "a", utcnow())  # no longer a's: must not free b's lease
    assert await take_lease("prune", "c", 300) is False
    assert (await JobLease.get(name="prune")).holder == "b"


async def test_an_expired_lease_of_a_dead_holder_is_taken_over(org):
    assert await take_lease("outbox", "dead", 2.0)  # long enough that a loaded machine cannot outlast it here
    assert await take_lease("outbox", "alive", 60) is False
    await asyncio.sleep(2.1)
    assert await take_lease("outbox", "alive", 60)


async def test_a_leased_job_runs_once_per_interval_across_runners(org, monkeypatch):
    runs = []

    async def work() -> None:
        runs.append(1)

    job = Job("counting", 3600.0, work)
    runners = [service.JobRunner(1.0) for _ in range(3)]
    for n, runner in enumerate(runners):
        monkeypatch.setattr(service, "HOLDER", f"process{n}")
        await runner.run(job)
    assert runs == [1]


async def test_the_holder_renews_and_others_keep_out(org):
    assert await take_lease("digest", "holder", 60)
    assert await take_lease("digest", "holder", 60)
    assert await take_lease("digest", "other", 60) is False


async def test_a_failing_job_is_logged_and_runs_again_next_time(org, caplog):
    attempts = []

    async def flaky() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("smtp down")

    runner = service.JobRunner(1.0)
    job = Job("flaky", None, flaky)
    await runner.run(job)
    assert "scheduled job flaky failed" in caplog.text
    await runner.run(job)
    assert len(attempts) == 2


async def test_a_stopping_process_hands_its_leases_on(org, monkeypatch):
    runs = []

    async def work() -> None:
        runs.append(service.HOLDER)

    job = Job("handover", None, work)
    monkeypatch.setattr(service, "HOLDER", "first")
    first = service.JobRunner(1.0)
    await first.run(job)
    monkeypatch.setattr(service, "HOLDER", "second")
    second = service.JobRunner(1.0)
    await second.run(job)
    assert runs == ["first"]
    monkeypatch.setattr(service, "HOLDER", "first")
    await first.stop()
    monkeypatch.setattr(service, "HOLDER", "second")
    await second.run(job)
    assert runs == ["first", "second"]


def test_the_registry_names_each_job_once():
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    assert {"reminders", "overdue_escalation", "prune_event_log", "expire_idempotency_keys"} <= set(names)


async def test_a_run_that_outlasts_the_shutdown_wait_is_cancelled_before_stop_returns(org, monkeypatch):
    # The database closes right after the scheduler stops; a run still going
    # then would query a closed database.
    started = asyncio.Event()

    async def stuck() -> None:
        started.set()
        await asyncio.Event().wait()  # a lock that is never granted

    monkeypatch.setattr(service, "SHUTDOWN_WAIT_S", 0.01)
    runner = service.JobRunner(1.0)
    run = asyncio.create_task(runner.run(Job("stuck", None, stuck)))
    await started.wait()
    await runner.stop()
    assert run.done()
    assert not runner.running
