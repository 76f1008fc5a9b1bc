"""What the notifications package runs for as long as the server runs: the push sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from notifications import push
from notifications.push_gateway import Gateway
from server import runtime


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """The app's push sender (`Runtime.push_sender`): woken after commits that queue
    pushes, and run by the scheduler's `push_outbox` job."""
    state = runtime.current()
    gateway = Gateway.from_settings(state.settings, runtime.vapid_key())
    sender = push.Sender(gateway)
    state.push_sender = sender
    try:
        yield
    finally:
        state.push_sender = None
        await sender.stop()
        await gateway.close()
