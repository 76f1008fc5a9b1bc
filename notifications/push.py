"""The push outbox: queued pushes sent by whichever process claims them first.

Every process runs `deliver_due_pushes` on each scheduler tick, and also right
after one of its own commits queued a push (woken `push_ack_wait_s` later).
Rows are claimed in the database (server/actions/push.py `claim_pushes`), so
each goes out once however many processes run; a process that dies mid-send
gives its claims back after the lease. Sends run concurrently in chunks of
`CONCURRENCY`, each chunk's sent rows marked in one statement.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import socket
import uuid

from notifications.push_gateway import Gateway, Outcome, Result
from server import runtime
from server.actions import push as outbox
from server.models.push import PushOutbox
from server.clock import utcnow

log = logging.getLogger(__name__)
HOLDER = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
BATCH = 200
CONCURRENCY = 64

async def deliver_due_pushes(gateway: Gateway) -> int:
    """Send every due push this process can claim; returns how many went."""
    sent = 0
    while True:
        claimed = await outbox.claim_pushes(HOLDER, utcnow(), BATCH)
        if not claimed:
            return sent
        # Sent rows are marked one chunk at a time, so a process killed mid-batch
        # leaves at most one chunk sent but unmarked (each goes again, same tag).
        for first in range(0, len(claimed), CONCURRENCY):
            chunk = claimed[first : first + CONCURRENCY]
            results = await asyncio.gather(*(_send(gateway, push) for push in chunk))
            sent += await _record(list(zip(chunk, results)))
        if len(claimed) < BATCH:
            return sent


async def _send(gateway: Gateway, push: PushOutbox) -> Result:
    try:
        return await gateway.send(push.subscription, push.payload)
    except Exception as error:  # a sender bug must not lose the push: it is retried
        log.exception("push %s failed in its sender", push.id)
        return Result(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])


async def _record(outcomes: list[tuple[PushOutbox, Result]]) -> int:
    """Write down what became of a batch: the sent ones in one statement."""
    now = utcnow()
    sent = [push.id for push, result in outcomes if result.outcome is Outcome.SENT]
    await outbox.mark_sent(sent, now)
    for push, result in outcomes:
        if result.outcome is Outcome.GONE:
            await outbox.forget_subscription(push.subscription_id)
        elif result.outcome is Outcome.RETRY:
            await outbox.mark_retry(push, result.error, now, result.retry_after_s)
        elif result.outcome is Outcome.FAILED:
            await outbox.mark_failed(push.id, result.error)
    return len(sent)


async def deliver_pushes_now() -> int:
    """The scheduler's job: the running app's sender delivers what is due (none: nothing)."""
    app = runtime.active()
    return await app.push_sender.deliver_due() if app is not None and app.push_sender is not None else 0


class Sender:
    """This process's push sender: its gateway, and a delivery run `delay_s` after
    a commit of this process queued pushes (`wake`).

    Wakes that fall within `SLACK_S` of one already planned share it; runs never
    overlap (a wake during a run makes the run go once more).
    """

    SLACK_S = 0.05
    STOP_WAIT_S = 10.0

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.runtime = runtime.active()
        self.planned: float | None = None
        self.running: asyncio.Task[None] | None = None
        self.again = False
        self.tasks: set[asyncio.Task[None]] = set()

    def wake(self, delay_s: float) -> None:
        loop = asyncio.get_running_loop()
        when = loop.time() + delay_s
        if self.planned is not None and loop.time() < self.planned <= when + self.SLACK_S:
            return
        self.planned = when
        # A fresh context: the wake comes from a commit callback, and the delivery
        # must not inherit anything of the request or job that caused it (only
        # the app it runs for).
        context = contextvars.Context()
        context.run(runtime.enter, self.runtime)
        loop.call_at(when, self._fire, context=context)

    def _fire(self) -> None:
        self.planned = None
        if self.running is not None and not self.running.done():
            self.again = True
            return
        self.running = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.again = False
            try:
                await self.deliver_due()
            except Exception:
                log.exception("delivering pushes failed; the scheduler's next tick retries")
            if not self.again:
                return

    async def deliver_due(self) -> int:
        return await deliver_due_pushes(self.gateway)

    async def stop(self) -> None:
        """Let a delivery in flight finish (at most STOP_WAIT_S; its claims return after the lease)."""
        if self.running is not None and not self.running.done():
            _, late = await asyncio.wait({self.running}, timeout=self.STOP_WAIT_S)
            for task in late:
                task.cancel()
            await asyncio.gather(self.running, return_exceptions=True)
