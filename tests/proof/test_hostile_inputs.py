"""A corpus of hostile requests against a real server process: each gets a
clear 4xx in the one error shape (or is stored exactly as sent, for text that
is merely unusual), the server's memory stays bounded, and it still answers.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import struct
import zipfile
import zlib
from typing import Any

import httpx
import psutil
import pytest

from tests.support.live import LiveServer, live_client

JSON = {"Content-Type": "application/json"}
MIB = 1024 * 1024
# Generous: the corpus pushes tens of MiB through; a server that buffered it
# all, or decoded a bomb, would grow by far more.
RSS_GROWTH_LIMIT_BYTES = 150 * MIB


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]["code"]


def server_rss(server: LiveServer) -> int:
    process = psutil.Process(server.process.pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


async def still_answers(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await client.get("/api/v1/me", headers=headers, timeout=10)
    assert response.status_code == 200, response.text


@pytest.fixture
async def hostile(sqlite_only: None, org: Any, live: LiveServer) -> Any:
    async with live_client(base_url=live.url, timeout=30) as client:
        yield client, org.headers("rep_west"), live


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be width × height (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024 * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.jpg", b"\x00" * 50 * MIB)
    return buffer.getvalue()


async def test_oversized_and_malformed_bodies_get_4xx_and_memory_stays_bounded(hostile):
    client, headers, server = hostile
    before = server_rss(server)
    huge = b'{"body": "' + b"a" * (3 * MIB) + b'"}'
    for _ in range(5):
        declared = await client.post("/api/v1/posts", content=huge, headers={**headers, **JSON})
        assert declared.status_code == 413 and error_code(declared) == "too_large"

    async def chunks():
        for _ in range(3 * 16):
            yield b"a" * (MIB // 16)

    streamed = await client.post("/api/v1/posts", content=chunks(), headers={**headers, **JSON})
    assert streamed.status_code == 413 and error_code(streamed) == "too_large"
    cases = {
        "deep nesting": b'{"body": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        "invalid UTF-8": b'{"body": "caf\xc3\x28 \xff\xfe"}',
        "truncated": b'{"body": "unfinished',
        "not an object": b'["body", "list"]',
        "gzip claimed": gzip.compress(b'{"body": "zipped"}'),
        "lone surrogate": b'{"body": "\\ud800"}',
    }
    for name, raw in cases.items():
        extra = {"Content-Encoding": "gzip"} if name == "gzip claimed" else {}
        response = await client.post("/api/v1/posts", content=raw, headers={**headers, **JSON, **extra})
        assert response.status_code == 400 and error_code(response) == "malformed", (name, response.text)
    assert server_rss(server) - before < RSS_GROWTH_LIMIT_BYTES
    await still_answers(client, headers)


async def test_nul_bytes_and_huge_arrays_are_refused_with_422(hostile):
    client, headers, _ = hostile
    for body in ({"body": "before\x00after"}, {"body": "ok", "attachments": [{"na\x00me": 1}]}):
        response = await client.post("/api/v1/posts", json=body, headers=headers)
        assert response.status_code == 422 and error_code(response) == "validation_error", response.text
    query = await client.get("/api/v1/users", params={"q": "a\x00b"}, headers=headers)
    assert query.status_code == 400 and error_code(query) == "malformed"
    many = await client.post("/api/v1/posts", json={"body": "x", "attachments": list(range(10_000))}, headers=headers)
    assert many.status_code == 422 and "attachments" in many.json()["error"]["details"]["fields"]
    members = await client.post("/api/v1/conversations", headers=headers,
                                json={"kind": "group", "title": "big", "member_ids": list(range(1, 10_001))})
    assert members.status_code == 422 and error_code(members) == "validation_error"
    await still_answers(client, headers)


UNUSUAL_TEXT = [
    "Robert'); DROP TABLE users;--",
    "1 OR 1=1; SELECT * FROM sessions",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "👩‍💼🚀 客户拜访 ✅",
    "\u202eRTL override עברית مرحبا\u200f",
    "%00%27%22\\\\u0000${jndi:ldap://x}{{7*7}}",
]


async def test_injection_emoji_and_rtl_text_is_stored_and_returned_exactly(hostile):
    client, headers, _ = hostile
    paths = (await client.get("/api/v1/openapi.json")).json()["paths"]
    for text in UNUSUAL_TEXT:
        created = await client.post("/api/v1/posts", json={"body": text, "visibility": "private"}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.headers["content-type"].startswith("application/json")
        again = await client.get(f"/api/v1/posts/{created.json()['id']}", headers=headers)
        assert again.json()["body"] == text
        for search in ("/api/v1/users", "/api/v1/customers"):
            if search in paths:
                found = await client.get(search, params={"q": text[:100]}, headers=headers)
                assert found.status_code == 200, (search, found.text)
        if "/api/v1/customers" in paths:
            customer = await client.post("/api/v1/customers", json={"name": text}, headers=headers)
            assert customer.status_code in (201, 409), customer.text
            if customer.status_code == 201:
                assert customer.json()["name"] == text
    await still_answers(client, headers)


async def _image_routes(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    paths = (await client.get("/api/v1/openapi.json")).json()["paths"]
    candidates = [("/api/v1/cards", "image"), ("/api/v1/photos", "file"), ("/api/v1/photos", "image")]
    return [(path, field) for path, field in candidates if "post" in paths.get(path, {})]


async def test_image_and_zip_bombs_are_refused_before_decoding(hostile):
    client, headers, server = hostile
    routes = await _image_routes(client)
    if not routes:
        pytest.skip("no image upload route is served yet")
    before = server_rss(server)
    bomb, archive = png_header(100_000, 100_000), zip_bomb()
    for path, field in routes:
        pixels = await client.post(path, files={field: ("card.png", bomb, "image/png")}, headers=headers)
        assert pixels.status_code in (413, 422), (path, pixels.status_code, pixels.text)
        error_code(pixels)
        zipped = await client.post(path, files={field: ("card.jpg", archive, "image/jpeg")}, headers=headers)
        assert zipped.status_code == 415 and error_code(zipped) == "unsupported_media", (path, zipped.text)
    assert server_rss(server) - before < RSS_GROWTH_LIMIT_BYTES
    await still_answers(client, headers)


async def _slow_request(port: int, body_bytes: int, pause_s: float) -> asyncio.StreamWriter:
    """Headers promising a body, then a trickle of it, then silence."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /api/v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100000\r\n\r\n")
    for _ in range(body_bytes):
        writer.write(b" ")
        await writer.drain()
        await asyncio.sleep(pause_s)
    return writer


async def test_slow_clients_do_not_stop_the_server_answering_others(hostile):
    client, headers, server = hostile
    writers = await asyncio.gather(*[_slow_request(server.port, 5, 0.05) for _ in range(100)])
    half_headers: list[asyncio.StreamWriter] = []
    try:
        for _ in range(5):
            await still_answers(client, headers)
        for _ in range(50):
            _, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            half_headers.append(writer)
        await still_answers(client, headers)
    finally:
        for writer in [*writers, *half_headers]:
            writer.close()
    await still_answers(client, headers)
