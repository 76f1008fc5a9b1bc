"""Real sockets against a real server process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.live import LiveServer, live_client

RECV_TIMEOUT_S = 10.0


@pytest.fixture
async def http(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with live_client(base_url=live.url, timeout=30) as client:
        yield client


def socket_url(server: LiveServer, token: str | None = None, since: int | None = None) -> str:
    params = []
    if token is not None:
        params.append(f"token={token}")
    if since is not None:
        params.append(f"since={since}")
    return server.ws_url + ("?" + "&".join(params) if params else "")


async def open_socket(server: LiveServer, token: str | None, since: int | None = None, **kwargs: Any) -> ClientConnection:
    return await connect(socket_url(server, token, since), max_size=4 * 1024 * 1024, **kwargs)


async def recv(ws: ClientConnection, timeout: float = RECV_TIMEOUT_S) -> dict[str, Any]:
    return orjson.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_until(ws: ClientConnection, wanted: str, timeout: float = RECV_TIMEOUT_S) -> dict[str, Any]:
    """The next frame of type `wanted`, skipping others (presence, typing...)."""
    while True:
        frame = await recv(ws, timeout)
        if frame["type"] == wanted:
            return frame


async def events(ws: ClientConnection, count: int, timeout: float = RECV_TIMEOUT_S) -> list[dict[str, Any]]:
    """The next `count` durable event frames (those with a seq), skipping ephemeral ones."""
    found: list[dict[str, Any]] = []
    while len(found) < count:
        frame = await recv(ws, timeout)
        if "seq" in frame:
            found.append(frame)
    return found


async def close_code(ws: ClientConnection, timeout: float = RECV_TIMEOUT_S) -> int:
    """Read until the server closes the socket; its close code."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else closed.code  # type: ignore[union-attr]


def bearer(org: Any, who: str) -> dict[str, str]:
    return org.headers(who)


async def group(http: httpx.AsyncClient, org: Any, owner: str, members: list[str], title: str = "Team") -> dict[str, Any]:
    response = await http.post("/api/v1/conversations", headers=org.headers(owner), json={
        "kind": "group", "title": title, "member_ids": [org.users[m].id for m in members]})
    assert response.status_code == 201, response.text
    return response.json()


async def say(http: httpx.AsyncClient, org: Any, who: str, conversation_id: int, client_id: str, body: str = "hi") -> httpx.Response:
    return await http.post(f"/api/v1/conversations/{conversation_id}/messages", headers=org.headers(who),
                           json={"client_id": client_id, "body": body})


@pytest.fixture
async def http_factory(org: Any) -> AsyncIterator[Any]:
    """Start a server with a changed environment: `server, http = await http_factory(env)`."""
    started: list[tuple[LiveServer, httpx.AsyncClient]] = []

    async def start(env: dict[str, str]) -> tuple[LiveServer, httpx.AsyncClient]:
        server = LiveServer(env)
        await server.start()
        client = live_client(base_url=server.url, timeout=30)
        started.append((server, client))
        return server, client

    yield start
    for server, client in started:
        await client.aclose()
        await server.stop()
