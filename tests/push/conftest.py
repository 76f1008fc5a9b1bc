"""Push tests: a local push service, and a server that may send to it over plain http."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.push_service import PushService


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_PUSH_ALLOW_HTTP": "true", "FIELDLINE_PUSH_ACK_WAIT_S": "0.3",
            "FIELDLINE_SCHEDULER_TICK_S": "0.2", "FIELDLINE_PUSH_RETRY_BASE_S": "0.2"}


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with PushService() as service:
        yield service


async def eventually(check: Callable[[], Any], timeout_s: float = 20.0, what: str = "the condition") -> Any:
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def subscribe(org: Any, who: str, service: PushService, device: str, **kwargs: Any) -> int:
    """Register a device of `who` with the push service double; returns the subscription id."""
    key = (await org.get(who, "/api/v1/push/vapid-public-key")).json()["key"]
    service.server_key = key
    answer = await org.post(who, "/api/v1/push/subscriptions", service.subscription(device, **kwargs))
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])
