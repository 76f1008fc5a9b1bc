"""Real server processes: a device whose socket acknowledged the event is not pushed;
with two processes on one PostgreSQL database, one killed, each push arrives once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect

from notifications.push import CONCURRENCY
from server.actions.push import LEASE_S
from server.actions.reminders import schedule_reminder
from server.clock import utcnow
from server.models.push import PushOutbox
from tests.push.conftest import eventually, subscribe
from tests.support.live import LiveServer, live_client
from tests.support.push_service import PushService


class LiveOrg:
    """`org`'s people, but speaking to a live server."""

    def __init__(self, org: Any, http: httpx.AsyncClient) -> None:
        self.org, self.http = org, http

    async def get(self, who: str, path: str) -> httpx.Response:
        return await self.http.get(path, headers=self.org.headers(who))

    async def post(self, who: str, path: str, body: Any) -> httpx.Response:
        return await self.http.post(path, json=body, headers=self.org.headers(who))


async def test_a_socket_that_acknowledges_the_event_cancels_its_devices_push(
    org: Any, test_env: dict[str, str], push_service: PushService
) -> None:
    server = LiveServer({**test_env, "FIELDLINE_PUSH_ACK_WAIT_S": "6"})
    await server.start()
    try:
        async with live_client(base_url=server.url, timeout=30) as http:
            live = LiveOrg(org, http)
            await subscribe(live, "rep_sh", push_service, "open-app")  # this session keeps a socket
            other = await http.post("/api/v1/auth/login", json={"login": "rep_sh", "password": "correct-horse-battery"})
            pocket = {"Authorization": f"Bearer {other.json()['access_token']}"}
            made = await http.post("/api/v1/push/subscriptions", json=push_service.subscription("pocket"), headers=pocket)
            assert made.status_code == 201
            async with connect(f"{server.ws_url}?token={org.tokens['rep_sh']}") as ws:
                hello = orjson.loads(await ws.recv())
                assert hello["type"] == "hello"
                assert (await live.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 在吗"})).status_code == 201
                while True:
                    frame = orjson.loads(await asyncio.wait_for(ws.recv(), 30))
                    if frame.get("type") == "notification.new":
                        break
                await ws.send(orjson.dumps({"type": "received", "seq": frame["seq"]}).decode())
                await eventually(lambda: push_service.pushes("pocket"), what="the other device's push")
                await eventually(lambda: PushOutbox.filter(state="acked").count(), what="the push cancelled")
    finally:
        await server.stop()
    assert push_service.pushes("open-app") == []
    [pushed] = push_service.pushes("pocket")
    assert pushed.payload is not None and pushed.payload["body"] == "@rep_sh 在吗" and not pushed.problems


async def test_two_processes_one_killed_push_each_reminder_once(
    org: Any, test_env: dict[str, str], backend: str, push_service: PushService
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite serves one process; two processes need PostgreSQL")
    env = {**test_env, "FIELDLINE_PUSH_ACK_WAIT_S": "0"}
    servers = [LiveServer(env), LiveServer(env)]
    await asyncio.gather(*(s.start() for s in servers))
    try:
        async with live_client(base_url=servers[0].url, timeout=30) as http:
            people = ["rep_east1", "rep_east2", "rep_sh", "rep_west"]
            for who in people:
                await subscribe(LiveOrg(org, http), who, push_service, f"{who}-phone")
        count, start = 200, utcnow() + dt.timedelta(seconds=1)
        for i in range(count):
            fire_at = start + dt.timedelta(seconds=3.0 * i / count)
            await schedule_reminder(getattr(org, people[i % 4]).id, "task", f"提醒 {i}", fire_at)
        await eventually(lambda: len(push_service.pushes()) >= count // 4, what="a quarter of the pushes")
        servers[0].kill()  # SIGKILL in the middle of the run

        async def drained() -> bool:
            # Pushes the killed process sent but never marked arrive once more
            # only when its lease runs out, so the push count alone can reach
            # `count` while its claims are still held: wait for every reminder
            # and for the outbox to be empty.
            arrived = {p.payload["tag"] for p in push_service.pushes() if p.payload}
            return len(arrived) >= count and await PushOutbox.exclude(state="sent").count() == 0

        await eventually(drained, timeout_s=LEASE_S + 60, what="every push, and the outbox drained")
        await asyncio.sleep(2)  # a duplicate would arrive now
        holders = set(await PushOutbox.all().values_list("claimed_by", flat=True))
    finally:
        for server in servers:
            await server.stop()
    # Every reminder reached its device. A push that arrives twice is one the
    # killed process had sent but not yet marked: at most one chunk of sends
    # (CONCURRENCY), each at most once more, with the same tag, so the device
    # shows it once (docs/push.md).
    tags = Counter(p.payload["tag"] if p.payload else "" for p in push_service.pushes())
    assert len(tags) == count, f"{count - len(tags)} reminders never arrived"
    assert max(tags.values()) <= 2, tags.most_common(3)
    assert len(push_service.pushes()) - count <= CONCURRENCY, tags.most_common(3)
    assert all(not p.problems for p in push_service.pushes())
    assert await PushOutbox.exclude(state="sent").count() == 0
    # The test's own process runs the jobs too (its app fixture), so up to three sent.
    assert len(holders) >= 2, "more than one process should have sent some"
