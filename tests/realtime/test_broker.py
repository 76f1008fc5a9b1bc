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


async def _until_confirmed(broker: Broker, *channels: str, timeout: float = 10.0) -> None:
    """Wait until Redis has confirmed the broker's subscriptions (the memory broker's stand at once):
    a message published before that is not delivered, and a loaded machine can take a while."""
    async with asyncio.timeout(timeout):
        while not set(channels) <= getattr(broker._backend, "_confirmed", set(channels)):
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("url", URLS)
async def test_subscribers_get_messages_of_their_channel_in_order(url):
    broker = Broker(url, prefix=f"fieldline_test_{uuid.uuid4().hex[:8]}")
    await broker.connect()
    try:
        async with broker.subscribe("events") as events, broker.subscribe("control") as control:
            await _until_confirmed(broker, "events", "control")
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


async def _next_that(subscription, wanted, timeout: float = 20.0) -> list[bytes]:
    """Read until `wanted` arrives; everything read, in order."""
    got: list[bytes] = []
    async with asyncio.timeout(timeout):
        while True:
            got.append(await subscription.get())
            if got[-1] == wanted:
                return got


@pytest.fixture
def private_redis():
    from tests.support.redis_server import PrivateRedis, have_redis_server

    if not have_redis_server():
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


async def test_after_a_redis_restart_the_catch_up_signal_comes_once_the_subscription_stands(private_redis):
    """Two processes' brokers. When Redis comes back, the subscriber is told to
    catch up only after it is subscribed again: a message published right
    after that signal reaches it (a catch-up read earlier could miss it)."""
    publisher, subscriber = Broker(private_redis.url, prefix="t"), Broker(private_redis.url, prefix="t")
    await publisher.connect()
    await subscriber.connect()
    try:
        async with subscriber.subscribe("events") as events:
            await _until_confirmed(subscriber, "events")
            await publisher.publish("events", b"before")
            assert await _next_that(events, b"before") == [b"before"]
            private_redis.stop()
            await asyncio.sleep(1.0)  # the subscriber notices and retries meanwhile
            assert events._queue.empty(), "no catch-up signal while Redis is away"
            private_redis.start()
            await _next_that(events, Broker.OVERFLOW)
            await publisher.publish("events", b"right after")
            assert (await _next_that(events, b"right after", timeout=5))[-1] == b"right after"
    finally:
        await publisher.disconnect()
        await subscriber.disconnect()


async def test_a_message_redis_refuses_reaches_this_process_now_and_the_others_once_redis_takes_it(private_redis):
    """Redis refuses PUBLISH for a while (as when it is down, but with every
    subscription still standing): the publishing process's own subscribers
    get the messages at once, the others get them in order once Redis takes
    them again, and a later message stays behind them."""
    import redis.asyncio as redis

    admin = redis.from_url(private_redis.url)
    publisher, other = Broker(private_redis.url, prefix="t"), Broker(private_redis.url, prefix="t")
    await publisher.connect()
    await other.connect()
    try:
        async with publisher.subscribe("events") as here, other.subscribe("events") as there:
            await _until_confirmed(publisher, "events")
            await _until_confirmed(other, "events")
            await admin.execute_command("ACL", "SETUSER", "default", "-publish")
            await publisher.publish("events", b"during 1")  # no error for the caller
            await publisher.publish("events", b"during 2")
            assert [await here.get(), await here.get()] == [b"during 1", b"during 2"]
            await asyncio.sleep(0.3)
            assert there._queue.empty()
            await publisher.publish("events", b"after")  # waits behind the kept ones
            await admin.execute_command("ACL", "SETUSER", "default", "+publish")
            assert await _next_that(there, b"after") == [b"during 1", b"during 2", b"after"]
    finally:
        await admin.aclose()
        await publisher.disconnect()
        await other.disconnect()
