"""Clients that reconnect at random while messages flow and the server restarts
still see every one of their events exactly once, in order.

FIELDLINE_CHURN_MESSAGES (default 120) sets how many messages are sent;
2,000 is the full run (bench-sized, minutes on two cores).
"""

from __future__ import annotations

import asyncio
import os
import random

import httpx
import orjson
from websockets.asyncio.client import connect

from server.models.events import EventCounter
from tests.support.live import LiveServer, live_client

CLIENTS = 20
MESSAGES = int(os.environ.get("FIELDLINE_CHURN_MESSAGES", "120"))
WS_SHARE = 0.3  # of messages sent as message.send frames, the rest over REST


class ChurningClient:
    """Reconnects at random with `since`; records every seq it is given."""

    def __init__(self, server: LiveServer, token: str) -> None:
        self.server, self.token = server, token
        self.seqs: list[int] = []
        self.bodies: list[str] = []
        self.stop = asyncio.Event()

    @property
    def since(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    async def run(self) -> None:
        while not self.stop.is_set():
            try:
                url = f"{self.server.ws_url}?token={self.token}&since={self.since}"
                async with connect(url, open_timeout=5) as ws:
                    await asyncio.wait_for(self._read(ws), random.uniform(0.1, 2.5))
            except (asyncio.TimeoutError, OSError, Exception):
                await asyncio.sleep(random.uniform(0, 0.2))

    async def _read(self, ws) -> None:
        async for text in ws:
            frame = orjson.loads(text)
            if frame["type"] == "resync_required":
                raise AssertionError("resync_required during churn")
            if "seq" in frame:
                self.seqs.append(frame["seq"])
                if frame["type"] == "message.new":
                    self.bodies.append(frame["data"]["body"])


async def _send_rest(server: LiveServer, token: str, conversation: int, n: int) -> None:
    while True:  # retried with the same client_id through the restart
        try:
            async with live_client(base_url=server.url, timeout=10) as http:
                response = await http.post(f"/api/v1/conversations/{conversation}/messages",
                                           headers={"Authorization": f"Bearer {token}"},
                                           json={"client_id": f"churn-{n}", "body": f"m{n}"})
            if response.status_code in (200, 201):
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)


async def _send_ws(server: LiveServer, token: str, conversation: int, n: int) -> None:
    frame = orjson.dumps({"type": "message.send", "conversation_id": conversation,
                          "client_id": f"churn-{n}", "body": f"m{n}"}).decode()
    while True:  # until acked; a resend after a drop is answered with the same message
        try:
            async with connect(f"{server.ws_url}?token={token}", open_timeout=5) as ws:
                await ws.send(frame)
                async for text in ws:
                    if orjson.loads(text)["type"] == "ack":
                        return
        except Exception:
            await asyncio.sleep(0.1)


async def _send_all(server: LiveServer, token: str, conversation: int, restart: asyncio.Event) -> None:
    for n in range(MESSAGES):
        if n == MESSAGES // 2:
            restart.set()
        send = _send_ws if random.random() < WS_SHARE else _send_rest
        await asyncio.wait_for(send(server, token, conversation, n), 60)


async def test_churning_clients_through_a_restart_see_1_to_n_exactly(org, test_env):
    users = [await org.add_user(f"churn{i}", "rep", "east") for i in range(CLIENTS)]
    server = LiveServer(test_env)
    await server.start()
    async with live_client(base_url=server.url, timeout=30) as http:
        created = await http.post("/api/v1/conversations", headers=org.headers(users[0].login), json={
            "kind": "group", "title": "Churn", "member_ids": [u.id for u in users]})
    conversation = created.json()["id"]
    clients = [ChurningClient(server, org.tokens[u.login]) for u in users]
    readers = [asyncio.create_task(c.run()) for c in clients]
    restart = asyncio.Event()
    sender = asyncio.create_task(_send_all(server, org.tokens[users[0].login], conversation, restart))
    try:
        await restart.wait()
        server.kill()  # abrupt: no goodbye to any socket
        await server.start()
        await sender
        expected = {u.id: (await EventCounter.get(user_id=u.id)).last_seq for u in users}
        for _ in range(600):
            if all(c.since >= expected[u.id] for c, u in zip(clients, users)):
                break
            await asyncio.sleep(0.1)
    finally:
        for client in clients:
            client.stop.set()
        for task in (*readers, sender):
            task.cancel()
        await asyncio.gather(*readers, sender, return_exceptions=True)
        await server.stop()
    for client, user in zip(clients, users):
        assert client.seqs == list(range(1, expected[user.id] + 1))
        assert client.bodies == [f"m{n}" for n in range(MESSAGES)]  # sent one after another
