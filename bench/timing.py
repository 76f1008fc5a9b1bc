"""What the API-versus-raw-SQL benchmarks share: percentiles, timing one
statement on each database, a small keep-alive HTTP client to time the server
with, a server on a database, a fresh PostgreSQL database (waiting for free
connection slots on a shared server), bulk rows by COPY, EXPLAIN summaries."""

from __future__ import annotations

import asyncio
import statistics
import sqlite3
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
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


class KeepAlive:
    """One HTTP/1.1 keep-alive connection that sends GETs and reads the answers.

    The timed requests go through this rather than httpx: a Python HTTP client
    spends 0.3–0.5 ms of its own per request (building, parsing, its
    connection pool), which is not the server's and on two shared cores is not
    even the server's core. This writes the request bytes and reads the
    status line, the headers and `Content-Length` bytes of body: what is left
    is the loopback and the server. (The report keeps one httpx row beside it.)
    """

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{self.host}:{self.port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> "KeepAlive":
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass

    async def get(self, path: str) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"an answer without Content-Length: {head[:300]!r}")
        return status, await self.reader.readexactly(length)


async def time_get(url: str, headers: dict[str, str], path: str, requests: int, warmup: int,
                   check: Any = None) -> list[float]:
    """Seconds per `GET path`, one request at a time on one keep-alive connection."""
    async with KeepAlive(url, headers) as client:
        for _ in range(warmup):
            status, body = await client.get(path)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            status, body = await client.get(path)
            samples.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
        if check is not None:
            check(body)
        return samples


RawOnce = Callable[[], Awaitable[None]]


@asynccontextmanager
async def sqlite_statement(path: str, sql: str, params: list[Any], rows: int) -> AsyncIterator[RawOnce]:
    """One execution of a statement with the plain sqlite3 driver, in this thread."""
    connection = sqlite3.connect(path)

    async def once() -> None:
        found = connection.execute(sql, params).fetchall()
        assert len(found) == rows, f"expected {rows} rows, got {len(found)}"

    try:
        yield once
    finally:
        connection.close()


@asynccontextmanager
async def postgres_statement(url: str, sql: str, params: list[Any], rows: int) -> AsyncIterator[RawOnce]:
    """One execution of a statement with plain asyncpg on one connection."""
    connection = await postgres_connect(url)

    async def once() -> None:
        found = await connection.fetch(sql, *params)
        assert len(found) == rows, f"expected {rows} rows, got {len(found)}"

    try:
        yield once
    finally:
        await connection.close()


def run_queue_wait(pid: int, tid: int | None = None) -> float:
    """Seconds a thread (a process's main thread by default) has spent runnable but waiting
    for a core so far (Linux /proc schedstat, its second field, in ns)."""
    return int(Path(f"/proc/{pid}/task/{tid or pid}/schedstat").read_text().split()[1]) / 1e9


# A sample counts as held up by the machine when the server's main thread and the client
# together waited this long for a core during it.
HELD_UP_S = 0.0001


class CoreWaits:
    """How long the server's main thread and this client waited for a core during each
    timed sample, read outside the timed windows.

    On two cores shared with other work, a process that is ready to run can wait a
    scheduler slice (milliseconds) for a core whatever it is doing. `api[i]`: what
    the server's main thread (`server_pid`) and this client waited during request i;
    `raw[i]`: what this client waited during raw execution i."""

    def __init__(self, server_pid: int) -> None:
        import os
        import threading

        self.server_pid = server_pid
        self.own = (os.getpid(), threading.get_native_id())
        self.api: list[float] = []
        self.raw: list[float] = []

    def server(self) -> float:
        return run_queue_wait(self.server_pid)

    def client(self) -> float:
        return run_queue_wait(*self.own)


@asynccontextmanager
async def served_statement(path: str, sql: str, rows: int) -> AsyncIterator[RawOnce]:
    """One execution of a statement by a process of its own (bench/raw_server.py) over a
    keep-alive connection: the raw statement behind the same loopback trip and process
    wake-ups as a request to the server."""
    import subprocess
    import sys

    import orjson

    from tests.support.live import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("raw_server.py")), path, str(port)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(sql.encode() + b"\n")
    process.stdin.close()
    if process.stdout.readline().strip() != b"ready":
        raise RuntimeError(f"the raw statement's server did not start ({process.wait()})")
    try:
        async with KeepAlive(f"http://127.0.0.1:{port}", {}) as client:
            _, body = await client.get("/")
            if len(orjson.loads(body)) != rows:
                raise RuntimeError(f"expected {rows} rows, got {body[:300]!r}")

            async def once() -> None:
                await client.get("/")

            yield once
    finally:
        process.terminate()
        process.wait()


async def time_side_by_side(url: str, headers: dict[str, str], path: str, raw: RawOnce, requests: int,
                            warmup: int, check: Any = None,
                            waits: CoreWaits | None = None,
                            served: tuple[RawOnce, list[float]] | None = None) -> tuple[list[float], list[float]]:
    """(API seconds, raw seconds): each `GET path` followed at once by one raw execution of
    the statement behind it, so both see the same moments of a shared machine's load.
    With `waits`, how long each sample waited for a core is recorded there too; with
    `served` (a `served_statement` and a list), each raw execution is followed by one
    through that process, its seconds appended to the list."""
    async with KeepAlive(url, headers) as client:
        for _ in range(warmup):
            status, body = await client.get(path)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
            await raw()
            if served is not None:
                await served[0]()
        api: list[float] = []
        direct: list[float] = []
        for _ in range(requests):
            if waits is not None:
                server, client_waited = waits.server(), waits.client()
            start = time.perf_counter()
            status, body = await client.get(path)
            api.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
            if waits is not None:
                waits.api.append(waits.server() - server + waits.client() - client_waited)
                client_waited = waits.client()
            start = time.perf_counter()
            await raw()
            direct.append(time.perf_counter() - start)
            if waits is not None:
                waits.raw.append(waits.client() - client_waited)
            if served is not None:
                start = time.perf_counter()
                await served[0]()
                served[1].append(time.perf_counter() - start)
        if check is not None:
            check(body)
        return api, direct


async def time_round_robin(targets: list[tuple[KeepAlive, str, RawOnce]], requests: int, warmup: int,
                           check: Any = None) -> list[tuple[list[float], list[float]]]:
    """[(API seconds, raw seconds)] per target: one request to each in turn, each followed by
    its raw statement, so every target sees the same moments of a shared machine's load."""
    timings: list[tuple[list[float], list[float]]] = [([], []) for _ in targets]
    for n in range(warmup + requests):
        for (client, path, raw), (api, direct) in zip(targets, timings):
            start = time.perf_counter()
            status, body = await client.get(path)
            took = time.perf_counter() - start
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
            start = time.perf_counter()
            await raw()
            if n >= warmup:
                api.append(took)
                direct.append(time.perf_counter() - start)
            if check is not None and n == 0:
                check(body)
    return timings


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def requests_per_second(url: str, headers: dict[str, str], path: str, clients: int, seconds: float) -> float:
    """Answers per second with `clients` connections each sending its next request
    as soon as the last is answered, for `seconds` after a short warm-up."""
    done = 0
    stop_at = 0.0

    async def client() -> None:
        nonlocal done
        async with KeepAlive(url, headers) as connection:
            for _ in range(20):
                await connection.get(path)
            await ready.wait()
            while time.perf_counter() < stop_at:
                status, body = await connection.get(path)
                if status != 200:
                    raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
                done += 1

    ready = asyncio.Event()
    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(1.0)  # the warm-up requests
    started = time.perf_counter()
    stop_at = started + seconds
    ready.set()
    await asyncio.gather(*tasks)
    return done / (time.perf_counter() - started)


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


# What one API-versus-raw run holds at most on PostgreSQL: the server's pool
# (one per concurrent client, 8, plus its jobs), the seeding and the raw timing.
SLOTS_NEEDED = 16


async def free_slots(base_url: str) -> int:
    connection = await postgres_connect(base_url)
    try:
        return int(await connection.fetchval(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"))
    finally:
        await connection.close()


async def wait_for_slots(base_url: str, needed: int = SLOTS_NEEDED, timeout_s: float = 600.0) -> int:
    """Wait until the shared PostgreSQL server has `needed` connection slots free
    (other work on the machine uses the same 100); the number free at start."""
    deadline = time.monotonic() + timeout_s
    while True:
        free = await free_slots(base_url)
        if free >= needed:
            return free
        if time.monotonic() > deadline:
            raise RuntimeError(f"PostgreSQL has {free} connection slots free, this run needs {needed}")
        print(f"waiting for PostgreSQL connection slots: {free} free, {needed} needed", flush=True)
        await asyncio.sleep(5)


@asynccontextmanager
async def fresh_postgres(base_url: str, prefix: str) -> AsyncIterator[str]:
    """A new PostgreSQL database on the server of `base_url`, dropped afterwards
    (once enough connection slots are free for the run)."""
    import os

    from tests.support.databases import create_postgres_database, drop_postgres_database

    await wait_for_slots(base_url)
    name = f"{prefix}_{os.getpid()}"
    url = await create_postgres_database(base_url, name)
    try:
        yield url
    finally:
        await drop_postgres_database(base_url, name)


async def copy_rows(url: str, table: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Rows into a PostgreSQL table by COPY (a million in seconds, not minutes)."""
    connection = await postgres_connect(url)
    try:
        await connection.copy_records_to_table(table, records=[tuple(r) for r in rows], columns=columns)
    finally:
        await connection.close()


async def explain_postgres(url: str, sql: str, params: list[Any]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement, one line per plan line."""
    connection = await postgres_connect(url)
    try:
        rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", *params)
        return [row[0] for row in rows]
    finally:
        await connection.close()


def plan_summary(lines: list[str]) -> str:
    """The plan's nodes (scans with their index, rows actually read) and its execution time, on one line."""
    import re

    nodes = []
    for line in lines:
        text = line.strip().removeprefix("->").strip()
        if text.startswith("Rows Removed by Filter") and nodes:
            nodes[-1] += f" ({text.split(':')[1].strip()} filtered out)"
        elif re.match(r"(Limit|Index|Bitmap|Seq Scan|Nested Loop|Hash|Sort|Merge|SubPlan|InitPlan|Aggregate|Result)",
                      text) and "Cond:" not in text:
            name = re.sub(r"\s*\(actual.*", "", text)
            rows = re.search(r"rows=(\d+) loops=(\d+)", text)
            nodes.append(f"{name} [{rows.group(1)}×{rows.group(2)}]" if rows else name)
    total = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Execution Time")), "?")
    return f"{' → '.join(nodes)}; execution {total}"


def without_core_waits(api: list[float], raw: list[float], waits: CoreWaits) -> list[str]:
    """Table rows and a ratio line: the same samples without those that waited for a core
    (a second view beside the figures over every sample, which stay as they are)."""
    kept_api = [s for s, waited in zip(api, waits.api) if waited < HELD_UP_S]
    kept_raw = [s for s, waited in zip(raw, waits.raw) if waited < HELD_UP_S]
    held = sorted(waits.api)
    if len(kept_api) < 100 or len(kept_raw) < 100:
        return ["", f"(too few samples that did not wait for a core: {len(kept_api)} API, {len(kept_raw)} raw)"]
    api50, api99 = quantiles(kept_api)
    raw50, raw99 = quantiles(kept_raw)
    return [
        f"| API, only the requests in which the server's main thread and the client waited < "
        f"{HELD_UP_S * 1e6:.0f} µs for a core ({len(kept_api)} of {len(api)}) | {api50 * 1000:.2f} | {api99 * 1000:.2f} |",
        f"| raw SQL, only the executions in which the client waited < {HELD_UP_S * 1e6:.0f} µs for a core "
        f"({len(kept_raw)} of {len(raw)}) | {raw50 * 1000:.2f} | {raw99 * 1000:.2f} |", "",
        f"without the samples that waited for a core: ratio p99 API/raw {api99 / raw99:.1f}×, p50 {api50 / raw50:.1f}×; "
        f"the wait for a core per request (server's main thread + client, /proc schedstat): p50 "
        f"{held[len(held) // 2] * 1000:.2f} ms, p99 {held[int(len(held) * 0.99)] * 1000:.2f} ms",
    ]
