"""Worker processes for CPU-bound jobs (card OCR), with a timeout per job.

OCR takes about a second of CPU per card and must never run on the event
loop. `WorkerPool.run(fn, *args)` runs `fn` in a process pool started with
the 'spawn' method (a forked copy of a process that runs an event loop and
database connections is not safe) and waits at most `timeout_s` for it.

A job that overruns is abandoned and its worker killed; a job whose worker
dies breaks the whole `ProcessPoolExecutor`. Either way the pool is replaced
by a fresh one, and every job that was running in the broken pool is tried
once more in a worker of its own: the innocent ones succeed, the culprit
dies again and fails alone. A job therefore takes at most twice the timeout.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class JobTimeout(Exception):
    """The job ran longer than the pool's timeout and was killed."""


class WorkerCrashed(Exception):
    """The job's worker process died (again and again) while running it."""


def pool_size(setting: int, serve_workers: int = 1) -> int:
    """The `ocr_workers` setting; 0 shares the CPU cores among the server's
    `serve_workers` processes, at least one reader each (a reader keeps
    Tesseract's models loaded, ~275 MiB: one per core in every server
    process would hold N × cores of them)."""
    return setting if setting > 0 else max(1, (os.cpu_count() or 1) // max(1, serve_workers))


class WorkerPool:
    def __init__(self, workers: int, timeout_s: float) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._executor = self._new_executor()
        # Jobs only enter the executor when a worker is free, so that the
        # timeout measures the work and not the wait in the executor's queue.
        self._slots = asyncio.Semaphore(workers)

    def _new_executor(self, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers or self.workers, mp_context=self._context,
                                   initializer=_ignore_interrupts)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker; raises JobTimeout or WorkerCrashed, or what `fn` raised."""
        async with self._slots:
            executor = self._executor
            try:
                return await self._wait(executor, fn, args)
            except BrokenProcessPool:
                self._replace(executor, "a worker process died")
            # Which job killed the pool is unknown: each job that was in it
            # runs again in a worker of its own, where only the culprit dies.
            alone = self._new_executor(1)
            try:
                result = await self._wait(alone, fn, args)
            except BrokenProcessPool:
                raise WorkerCrashed("the worker process stopped while reading it") from None
            except BaseException:
                _kill(alone)
                raise
            alone.shutdown(wait=False)
            return result

    async def _wait(self, executor: ProcessPoolExecutor, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        future = asyncio.wrap_future(executor.submit(fn, *args))
        try:
            return await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError:
            self._replace(executor, "a job ran past %.3g s" % self.timeout_s)
            raise JobTimeout(f"reading took longer than {self.timeout_s:g} s") from None

    def _replace(self, broken: ProcessPoolExecutor, why: str) -> None:
        if broken is not self._executor:
            _kill(broken)  # a job's own executor, or one another job replaced already
            return
        log.warning("replacing the OCR worker pool: %s", why)
        self._executor = self._new_executor()
        _kill(broken)

    def problem(self) -> str | None:
        """None while the pool can take work; else why not (for `/readyz`).

        Worker processes start on first use; one that died is replaced when
        its job fails, so only a pool that is closed or broken now is down.
        """
        executor = self._executor
        if getattr(executor, "_shutdown_thread", False):
            return "the card reader pool is shut down"
        if getattr(executor, "_broken", False):
            return f"the card reader pool is broken: {executor._broken}"
        return None

    async def close(self) -> None:
        """Stop at once: running jobs are killed (whoever waits gets BrokenProcessPool)."""
        processes = _kill(self._executor)
        await asyncio.to_thread(_join, processes)


def _ignore_interrupts() -> None:
    """Ctrl+C in a terminal reaches the whole process group; the server stops
    its workers itself, so a worker has no KeyboardInterrupt traceback to print."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _kill(executor: ProcessPoolExecutor) -> list[Any]:
    # ProcessPoolExecutor (before Python 3.14) cannot stop a running job;
    # killing its processes is the only way. The executor's own management
    # thread then sees them gone and reaps them.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    return processes


def _join(processes: list[Any]) -> None:
    for process in processes:
        process.join(timeout=5)
