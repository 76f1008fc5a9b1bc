"""Two server processes behind one port (PostgreSQL + Redis): events and revocations
reach a socket whichever process holds it and whichever handled the request."""

from __future__ import annotations

import asyncio

import pytest

from tests.realtime.conftest import close_code, events, group, open_socket, recv, say
from tests.support.live import LiveServer, live_client

SOCKETS = 8
MESSAGES = 40


@pytest.fixture
async def cluster(org, test_env, backend):
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL and Redis")
    server = LiveServer(test_env, workers=2)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _worker_pids(server: LiveServer) -> set[int]:
    import psutil

    return {child.pid for child in psutil.Process(server.process.pid).children(recursive=True)}


async def test_every_socket_gets_every_event_in_seq_order_across_processes(cluster, org):
    assert len(await _worker_pids(cluster)) >= 2
    async with live_client(base_url=cluster.url, timeout=30) as http:
        conversation = await group(http, org, "rep_east1", ["rep_east2"])
        sockets = [await open_socket(cluster, org.tokens["rep_east2"]) for _ in range(SOCKETS)]
        starts = {(await recv(ws))["data"]["last_seq"] for ws in sockets}
        assert len(starts) == 1
        start = starts.pop()
        # New connections per request, so the kernel spreads them over both workers.
        for i in range(MESSAGES):
            async with live_client(base_url=cluster.url, timeout=30) as fresh:
                response = await say(fresh, org, "rep_east1", conversation["id"], f"x{i}", f"n{i}")
                assert response.status_code == 201, response.text
        for ws in sockets:
            frames = await events(ws, MESSAGES)
            assert [f["seq"] for f in frames] == list(range(start + 1, start + MESSAGES + 1))
            assert [f["data"]["body"] for f in frames] == [f"n{i}" for i in range(MESSAGES)]
            await ws.close()


async def test_a_revoked_session_is_closed_4403_in_whichever_process_holds_it(cluster, org):
    sockets = [await open_socket(cluster, org.tokens["rep_east1"]) for _ in range(SOCKETS)]
    for ws in sockets:
        await recv(ws)
    async with live_client(base_url=cluster.url, timeout=30) as http:
        response = await http.post("/api/v1/auth/logout", headers=org.headers("rep_east1"))
        assert response.status_code in (200, 204)
    codes = await asyncio.gather(*(close_code(ws, timeout=3) for ws in sockets))
    assert codes == [4403] * SOCKETS
