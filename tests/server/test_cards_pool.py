"""The OCR worker pool: results, errors, timeouts and crashes without losing the pool."""

from __future__ import annotations

import asyncio

import pytest

from schedulers.ocr_pool import JobTimeout, WorkerCrashed, WorkerPool, pool_size
from tests.server import pool_jobs


async def test_a_job_runs_in_a_worker_and_its_errors_come_back() -> None:
    pool = WorkerPool(1, timeout_s=60)
    try:
        assert await pool.run(pool_jobs.add, 2, 3) == 5
        with pytest.raises(ValueError, match="no such card"):
            await pool.run(pool_jobs.refuse, "no such card")
        assert await pool.run(pool_jobs.add, 1, 1) == 2
    finally:
        await pool.close()


async def test_an_overrunning_job_is_killed_and_the_next_job_still_runs() -> None:
    pool = WorkerPool(1, timeout_s=60)
    try:
        assert await pool.run(pool_jobs.add, 0, 0) == 0  # the worker is up: the timeout measures the job
        pool.timeout_s = 1.0
        with pytest.raises(JobTimeout, match="longer than 1 s"):
            await pool.run(pool_jobs.sleep_then_add, 600, 1, 1)
        pool.timeout_s = 60
        assert await pool.run(pool_jobs.add, 4, 4) == 8
    finally:
        await pool.close()


async def test_a_crashing_job_fails_alone_and_the_pool_recovers() -> None:
    pool = WorkerPool(2, timeout_s=120)
    try:
        innocent = asyncio.ensure_future(pool.run(pool_jobs.sleep_then_add, 1.0, 20, 22))
        with pytest.raises(WorkerCrashed):
            await pool.run(pool_jobs.die)
        assert await innocent == 42  # resubmitted after its pool broke under it
        assert await pool.run(pool_jobs.add, 1, 2) == 3
    finally:
        await pool.close()


def test_zero_workers_shares_the_cores_among_the_server_processes() -> None:
    import os

    cores = os.cpu_count() or 1
    assert pool_size(0) == cores
    assert pool_size(0, serve_workers=2) == max(1, cores // 2)
    assert pool_size(0, serve_workers=cores * 4) == 1  # never none
    assert pool_size(3) == 3 and pool_size(3, serve_workers=4) == 3  # a number set is kept
