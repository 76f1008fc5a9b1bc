"""The broker: chosen by URL, ordered per channel, overflow reported instead of growing."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from realtime import broker as broker_module
from realtime.broker import Broker

REDIS_URL = os.environ.get("FIELDLINE_TEST_REDIS_URL")
URLS = ["memory://"] + ([REDIS_URL] if REDIS_URL else [])


@pytest.mark.parametrize("url", URLS)
async def test_subscribers_get_messages_of_their_channel_in_order(url):
    broker = Broker(url, prefix=f"fieldline_test_{uuid.uuid4().hex[:8]}")
    await broker.connect()
    try:
        async with broker.subscribe("events") as events, broker.subscribe("control") as control:
            await asyncio.sleep(0.1)  # Redis confirms the subscription asynchronously
            for i in range(50):
                await broker.publish("events", b"e%d" % i)
            await broker.publish("control", b"c")
            got = [await asyncio.wait_for(events.get(), 5) for _ in range(50)]
            assert got == [b"e%d" % i for i in range(50)]
            assert await asyncio.wait_for(control.get(), 5) == b"c"
    finally:
        await broker.disconnect()


async def test_a_subscriber_that_falls_behind_reads_one_overflow_marker(monkeypatch):
    monkeypatch.setattr(broker_module, "SUBSCRIPTION_QUEUE", 10)
    broker = Broker("memory://")
    await broker.connect()
    async with broker.subscribe("events") as events:
        for i in range(25):
            await broker.publish("events", b"m%d" % i)
        first = await events.get()
        assert first == Broker.OVERFLOW
    await broker.disconnect()


def test_an_unknown_url_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="memory:// or redis://"):
        Broker("kafka://somewhere")
