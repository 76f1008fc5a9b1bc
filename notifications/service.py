"""What the notifications package runs for as long as the server runs: the push senders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from notifications import push
from notifications.push_gateway import Gateway
from server import runtime
from server.actions import push as push_actions
from server.settings import get_settings


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    gateway = Gateway.from_settings(get_settings(), runtime.vapid_key())
    waker = push.Waker()
    push.use_gateway(gateway)
    push_actions.set_waker(waker.wake)
    try:
        yield
    finally:
        push_actions.set_waker(None)
        await waker.stop()
        push.use_gateway(None)
        await gateway.close()
