"""What the API-versus-raw-SQL benchmarks share: percentiles, timing one
statement on each database, a server on a database, a fresh PostgreSQL database."""

from __future__ import annotations

import statistics
import sqlite3
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support.live import LiveServer


OUT = Path(__file__).resolve().parent / "out"


class Result:
    """What an API-versus-raw-SQL benchmark prints, kept for `bench/out/<name>.json`:
    its markdown per backend, the raw samples (ms) for the plots, a headline."""

    def __init__(self, name: str, title: str, notes: str) -> None:
        self.name, self.title, self.notes = name, title, notes
        self.sections: list[str] = []
        self.samples: dict[str, list[float]] = {}
        self.headlines: list[str] = []

    def add(self, markdown: str, samples: dict[str, list[float]], headline: str) -> None:
        print(markdown, flush=True)
        self.sections.append(markdown.replace("\n## ", "\n### ").strip())
        self.samples.update({label: [round(s * 1000, 4) for s in values] for label, values in samples.items()})
        self.headlines.append(headline)

    def write(self) -> None:
        import json

        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"{self.name}.json").write_text(json.dumps({
            "title": self.title, "notes": self.notes, "headline": "; ".join(self.headlines),
            "table": "\n\n".join(self.sections), "latencies_ms": self.samples,
        }, ensure_ascii=False))


def quantiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) of a list of durations."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def time_sqlite(path: str, sql: str, params: list[Any], requests: int, rows: int, warmup: int) -> list[float]:
    """Seconds per execution of one statement with the plain sqlite3 driver."""
    connection = sqlite3.connect(path)
    try:
        for _ in range(warmup):
            connection.execute(sql, params).fetchall()
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            found = connection.execute(sql, params).fetchall()
            samples.append(time.perf_counter() - start)
            assert len(found) == rows, f"expected {rows} rows, got {len(found)}"
        return samples
    finally:
        connection.close()


async def postgres_connect(url: str) -> Any:
    import asyncpg

    parts = urlsplit(url)
    return await asyncpg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                                 password=parts.password or None, database=parts.path.lstrip("/") or "postgres")


async def time_postgres(url: str, sql: str, params: list[Any], requests: int, rows: int, warmup: int) -> list[float]:
    """Seconds per execution of one statement with plain asyncpg."""
    connection = await postgres_connect(url)
    try:
        for _ in range(warmup):
            await connection.fetch(sql, *params)
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            found = await connection.fetch(sql, *params)
            samples.append(time.perf_counter() - start)
            assert len(found) == rows, f"expected {rows} rows, got {len(found)}"
        return samples
    finally:
        await connection.close()


async def login(url: str, login_name: str, password: str) -> str:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post("/api/v1/auth/login", json={"login": login_name, "password": password})
        response.raise_for_status()
        return response.json()["access_token"]


@asynccontextmanager
async def server_on(database_url: str) -> AsyncIterator[LiveServer]:
    """A real server process on `database_url`, stopped afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="fieldline-bench-"))
    server = LiveServer({"DATABASE_URL": database_url, "FIELDLINE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
                         "FIELDLINE_OUTBOX_DIR": str(scratch / "outbox"), "FIELDLINE_UPLOAD_DIR": str(scratch / "uploads"),
                         "FIELDLINE_LOGIN_ATTEMPTS_PER_MINUTE": "1000"})
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def fresh_postgres(base_url: str, prefix: str) -> AsyncIterator[str]:
    """A new PostgreSQL database on the server of `base_url`, dropped afterwards."""
    import os

    from tests.support.databases import create_postgres_database, drop_postgres_database

    name = f"{prefix}_{os.getpid()}"
    url = await create_postgres_database(base_url, name)
    try:
        yield url
    finally:
        await drop_postgres_database(base_url, name)
