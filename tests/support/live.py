"""A real Fieldline server in a subprocess (uvicorn), for socket, restart and
multi-process tests.

    server = LiveServer(test_env)           # the test's database and settings
    await server.start()
    ... httpx / websockets against server.url / server.ws_url ...
    server.kill()                           # SIGKILL, or await server.stop() for SIGTERM
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0


# uvicorn closes a connection idle for 5 s, and httpx keeps one for 5 s: a request sent on
# a pooled connection just as the server closes it fails with ReadError. Clients of a test
# server drop theirs first, as a well-behaved client of any keep-alive server does.
CLIENT_KEEPALIVE_S = 2.0


def live_client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client for a test server: keeps idle connections shorter than the server does."""
    return httpx.AsyncClient(limits=httpx.Limits(keepalive_expiry=CLIENT_KEEPALIVE_S), **kwargs)


# Test servers listen on ports below the range Linux hands out to outgoing connections
# (32768-60999), so no client socket can take a port between its choice and the server's
# bind. Each pytest-xdist worker picks from its own slice, from a random start (another run
# on the machine starts elsewhere), and skips ports that are taken.
PORTS = range(20_000, 32_000)
_cursor: list[int] = []


def _port_slice() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    workers = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1), 1)
    index = int(worker) % workers if worker.isdigit() else 0
    size = len(PORTS) // workers
    return range(PORTS.start + index * size, PORTS.start + (index + 1) * size)


def free_port() -> int:
    """A port nothing listens on now (for a server of the test's own)."""
    ports = _port_slice()
    if not _cursor:
        _cursor.append(random.randrange(len(ports)))
    for _ in range(len(ports)):
        port = ports[_cursor[0] % len(ports)]
        _cursor[0] += 1
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {ports}")


class LiveServer:
    def __init__(self, env: dict[str, str], *, workers: int = 1, port: int | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.env = env
        self.workers = workers
        self.args = args  # more `serve` options
        self.chosen_port = port is None  # a port of our choosing may be taken by now: choose again
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="fieldline-live-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDLINE_", "DATABASE_URL", "REDIS_URL", "SMTP_"))}
        env.update(self.env)
        env["PYTHONPATH"] = str(ROOT)
        return env

    async def start(self) -> None:
        for attempt in range(3):
            logged = self.log_path.stat().st_size
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "fieldline.cli", "serve", "--port", str(self.port),
                     "--workers", str(self.workers), *self.args],
                    cwd=ROOT, env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                await self._wait_ready()
                return
            except RuntimeError:
                with self.log_path.open("rb") as log:
                    log.seek(logged)
                    taken = b"fieldline: cannot listen on" in log.read()
                if not (taken and self.chosen_port and attempt < 2):
                    raise
                self.port = free_port()

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"server exited at start:\n{self.log()}")
                try:
                    # /healthz is cheap; a loaded machine can take over a second to render openapi.json.
                    response = await client.get(f"{self.url}/healthz", timeout=5.0)
                    if response.status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"server not ready after {START_TIMEOUT_S}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole process group (all workers) at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    async def stop(self) -> None:
        """SIGTERM and wait for a graceful shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            for _ in range(150):
                if self.process.poll() is not None:
                    return
                await asyncio.sleep(0.1)
            self.kill()


@asynccontextmanager
async def live_servers(env: dict[str, str], count: int = 2,
                       args: tuple[str, ...] = ()) -> AsyncIterator[list[LiveServer]]:
    """`count` server processes on one database, started together, stopped after."""
    servers = [LiveServer(env, args=args) for _ in range(count)]
    await asyncio.gather(*(s.start() for s in servers))
    try:
        yield servers
    finally:
        await asyncio.gather(*(s.stop() for s in servers))
