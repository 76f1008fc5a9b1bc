"""Clients that stop reading cost the server bounded memory (a real process, RSS)."""

from __future__ import annotations

import asyncio
import socket

import psutil
from websockets.asyncio.client import connect

from tests.realtime.conftest import recv, socket_url
from tests.support.live import live_client

STALLED = 100
MESSAGES = 250
BODY = "库存" * 4_000  # 24 KB of UTF-8 per message
GROWTH_LIMIT_MB = 64  # unbounded queues would hold STALLED * MESSAGES * 24 KB = 600 MB


def _small_buffer_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def test_a_hundred_clients_that_stop_reading_keep_server_memory_flat(live, http, org):
    users = [await org.add_user(f"stalled{i}", "rep", "east") for i in range(STALLED)]
    response = await http.post("/api/v1/conversations", headers=org.headers("rep_east1"), json={
        "kind": "group", "title": "All hands", "member_ids": [u.id for u in users]})
    conversation = response.json()["id"]
    sockets = []
    for user in users:
        # max_queue=1: the client library stops reading the TCP socket at once,
        # and a small receive buffer keeps the kernel from absorbing the backlog.
        ws = await connect(socket_url(live, org.tokens[user.login]), max_queue=1, max_size=2**24, compression=None,
                           sock=_small_buffer_socket(live.port))
        sockets.append(ws)
    await recv(sockets[0])
    server = psutil.Process(live.process.pid)
    before = server.memory_info().rss
    async with live_client(base_url=live.url, timeout=60) as client:
        for i in range(MESSAGES):
            sent = await client.post(f"/api/v1/conversations/{conversation}/messages", headers=org.headers("rep_east1"),
                                     json={"client_id": f"big{i}", "body": BODY})
            assert sent.status_code == 201, sent.text
    await asyncio.sleep(1)
    growth_mb = (server.memory_info().rss - before) / 2**20
    assert growth_mb < GROWTH_LIMIT_MB, f"server RSS grew by {growth_mb:.0f} MB"
    alive = await http.get("/api/v1/me", headers=org.headers("rep_east2"))
    assert alive.status_code == 200
    for ws in sockets:
        ws.transport.abort()
