"""Fan-out benchmark: Fieldline's /ws against a bare `websockets.broadcast` server.

    PYTHONPATH=. python bench/fanout.py [--sockets 2000] [--sockets-per-user 5] [--group 100]
        [--messages 160] [--postgres URL [--redis URL]] [--workers 2]

Both servers get the same number of sockets (opened by client processes), the
same groups and frames of the same size: by default 400 users with 5 sockets
each (2,000 sockets), in groups of 100 users (500 sockets), 160 messages a pass
(80,000 deliveries). With `--postgres` the same run is made on PostgreSQL +
Redis as well (a fresh database, a private redis-server), and with
`--workers 2` also under `serve --workers 2` there (CPU and RSS summed over
the worker processes). Fieldline's messages go in through
REST (`POST /conversations/{id}/messages`: a transaction that writes the
message and one event-log row per member, then publishes); the bare server
is told over a control socket to broadcast a prepared frame to a group.

Every socket checks its durable frames: each seq once, in order, none skipped.
At the end each socket waits (up to a minute) for its user's last committed
seq, read from the database: frames that come in that wait are counted as
`late`, seqs that never come as `missing` (and `gaps`/`duplicates` should be
zero).

Printed per server: deliveries per server CPU-second, commit→receive latency
(p50/p99/p99.9; for the bare server broadcast→receive), and server RSS per
idle socket; then the ratio Fieldline / bare. Numbers also go to
bench/out/fanout.json.

For each server the run also prints where the machine's CPU went in its
cheapest pass (each worker, the socket clients, this process driving the
REST posts, PostgreSQL, Redis), how many cores that kept busy, and the
sockets and deliveries per CPU-second of each worker: on two cores the
clients' own CPU caps what `--workers 2` can show (docs/realtime.md).

Each server gets `--rounds` passes of the messages; its CPU figure is the
cheapest pass (on a shared machine other work only ever adds to a pass).
What Fieldline's writes alone cost is measured in the same server with the
same sockets open: before each pass and after the last, the same number of
messages to groups of the same size whose members have no socket
(`writes_cpu_s`, again the cheapest). The fan-out alone is the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.timing import KeepAlive  # noqa: E402

CLIENT_PROCESSES = 4
CONNECT_CONCURRENCY = 100
SENDERS = 4


# --- client processes -------------------------------------------------------

def client_process(urls: list[str], ready: mp.Queue, stop: mp.Queue, results: mp.Queue) -> None:
    import uvloop

    uvloop.run(_client_main(urls, ready, stop, results))


class _Tally:
    """One socket's durable frames: every seq must come once, in order, with none left out."""

    __slots__ = ("user_id", "last", "duplicates", "gaps")

    def __init__(self, user_id: int | None, last_seq: int) -> None:
        self.user_id, self.last, self.duplicates, self.gaps = user_id, last_seq, 0, 0

    def see(self, seq: int) -> None:
        if seq <= self.last:
            self.duplicates += 1
            return
        self.gaps += seq - self.last - 1  # seqs skipped (the server never sends out of order)
        self.last = seq


async def _client_main(urls: list[str], ready: mp.Queue, stop: mp.Queue, results: mp.Queue) -> None:
    from websockets.asyncio.client import connect

    latencies: list[float] = []
    counts = {"delivered": 0, "late": 0}
    finishing = {"started": False}
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    sockets: list[tuple[object, _Tally]] = []

    failures: list[str] = []

    async def open_one(url: str) -> None:
        async with gate:
            try:
                ws = await connect(url, compression=None, max_size=2**22, open_timeout=60, ping_interval=None)
                first = orjson.loads(await ws.recv())  # hello (Fieldline) or welcome (bare)
            except Exception as exc:  # counted: `sockets` says how many opened
                failures.append(repr(exc))
                return
            hello = first.get("data") or {}
            sockets.append((ws, _Tally(hello.get("user_id"), hello.get("last_seq", 0))))

    async def read(ws, tally: _Tally) -> None:
        try:
            async for text in ws:
                received = time.time()
                frame = orjson.loads(text)
                if frame.get("type") == "message.new":
                    counts["delivered"] += 1
                    counts["late"] += finishing["started"]
                    latencies.append(received - dt.datetime.fromisoformat(frame["ts"]).timestamp())
                    if tally.user_id is not None:
                        tally.see(frame["seq"])
        except Exception:
            pass

    await asyncio.gather(*(open_one(u) for u in urls))
    readers = [asyncio.create_task(read(ws, tally)) for ws, tally in sockets]
    if failures:
        print(f"{len(failures)} sockets did not open, e.g. {failures[0]}", file=sys.stderr, flush=True)
    ready.put(len(sockets))
    loop = asyncio.get_running_loop()
    targets, wait_s = await loop.run_in_executor(None, stop.get)
    finishing["started"] = True
    if targets:  # wait for each socket's last seq (late frames still count), up to wait_s
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and any(t.last < targets.get(t.user_id, 0) for _, t in sockets):
            await asyncio.sleep(0.1)
    missing = sum(max(0, targets.get(t.user_id, 0) - t.last) for _, t in sockets) if targets else 0
    results.put({"delivered": counts["delivered"], "late": counts["late"], "missing": missing,
                 "gaps": sum(t.gaps for _, t in sockets), "duplicates": sum(t.duplicates for _, t in sockets),
                 "latencies": latencies})
    for task in readers:
        task.cancel()
    for ws, _ in sockets:
        ws.transport.abort()


class Clients:
    """`CLIENT_PROCESSES` client processes holding `urls` between them."""

    def __init__(self, urls: list[str]) -> None:
        self.ready: mp.Queue = mp.Queue()
        self.results: mp.Queue = mp.Queue()
        self.stop: mp.Queue = mp.Queue()
        chunks = [urls[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
        self.processes = [mp.Process(target=client_process, args=(c, self.ready, self.stop, self.results))
                          for c in chunks]

    def start(self) -> int:
        for p in self.processes:
            p.start()
        return sum(self.ready.get(timeout=600) for _ in self.processes)

    def finish(self, targets: dict[int, int] | None = None, wait_s: float = 60.0) -> dict:
        """Stop the clients. With `targets` (user id → the user's last seq), each socket
        first waits up to `wait_s` for every seq up to its user's: deliveries that come
        in that wait are `late`, seqs that never come `missing`, seqs skipped between two
        that came `gaps`, seqs that came twice `duplicates`."""
        for _ in self.processes:
            self.stop.put((targets, wait_s))
        total: dict = {"delivered": 0, "late": 0, "missing": 0, "gaps": 0, "duplicates": 0, "latencies": []}
        for _ in self.processes:
            part = self.results.get(timeout=wait_s + 120)
            for key in total:
                total[key] += part[key]
        for p in self.processes:
            p.join(timeout=30)
        return total


# --- Fieldline --------------------------------------------------------------

async def seed(database_url: str, secret: str, people: int, group_size: int,
               ) -> tuple[list[str], list[tuple[str, int]], list[tuple[str, int]]]:
    """`people` users with tokens, and groups of `group_size` users: (sender token,
    conversation id) per group; then `SENDERS` groups of the same size of users
    who never connect ("offline")."""
    from server import runtime
    from server.access import viewer_for
    from server.actions.auth import _open_session
    from server.actions.chat import create_group
    from server.actions.system import ensure_token_key
    from server.actions.users import create_user
    from server.db import close_database, open_database
    from server.security import hash_password_sync
    from server.settings import load_settings
    from server.transaction import atomic
    from tests.support.databases import prepare_schema

    await prepare_schema(database_url)
    await open_database(database_url)
    state = runtime.Runtime(load_settings({"DATABASE_URL": database_url}))
    state.token_key = await ensure_token_key(secret, "")
    runtime.enter(state)
    hashed = hash_password_sync("bench-password-1")
    offline = min(group_size, people) * min(SENDERS, -(-people // group_size))
    users, tokens = [], []
    for i in range(people + offline):
        user = await create_user(None, {"login": f"rep{i}", "name": f"Rep {i}", "role": "rep"}, password_hash=hashed)
        async with atomic():
            tokens.append((await _open_session(user))["access_token"])
        users.append(user)

    async def groups_of(first: int, last: int, size: int) -> list[tuple[str, int]]:
        groups = []
        for start in range(first, last, size):
            members = users[start:min(start + size, last)]
            conversation = await create_group(await viewer_for(members[0]), f"Group {start}", [u.id for u in members[1:]])
            groups.append((tokens[start], conversation.id))
        return groups

    groups = await groups_of(0, people, group_size)
    offline_groups = await groups_of(people, people + offline, min(group_size, people))
    await close_database()
    return tokens[:people], groups, offline_groups


class Poster(KeepAlive):
    """POSTs on one keep-alive HTTP/1.1 connection: the request bytes written, the answer read.

    Not httpx: a Python HTTP client spends about 2 ms of CPU per request of its own
    (measured here: 0.28 CPU-s for 160 posts), on the same two cores as the
    server and the sockets' clients, whose reading speed sets the latencies."""

    async def post(self, path: str, token: str, payload: dict) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        data = orjson.dumps(payload)
        self.writer.write(f"POST {path} HTTP/1.1\r\n{self.head}Authorization: Bearer {token}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
        return await self._answer()

    async def _answer(self) -> tuple[int, bytes]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = next(int(v) for n, _, v in (line.partition(b":") for line in lines[1:])
                      if n.strip().lower() == b"content-length")
        return int(lines[0].split(b" ", 2)[1]), await self.reader.readexactly(length)


async def drive_fieldline(url: str, groups: list[tuple[str, int]], messages: int, body: str, tag: str = "bench") -> None:
    async def sender(k: int) -> None:
        async with Poster(url, {}) as http:
            for n in range(k, messages, SENDERS):
                token, conversation = groups[n % len(groups)]
                status, answer = await http.post(f"/api/v1/conversations/{conversation}/messages", token,
                                                  {"client_id": f"{tag}-{n}", "body": body})
                if status >= 300:
                    raise RuntimeError(f"posting a message: {status} {answer[:300]!r}")

    await asyncio.gather(*(sender(k) for k in range(SENDERS)))


def _tree_cpu(process: psutil.Process) -> float:
    """CPU-seconds (user + system) of the server and its worker processes."""
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += sum(p.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            total += sum(p.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _named(*names: str) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "") in names]


class MachineCpu:
    """CPU-seconds each part of the run spends during a pass, to see what a two-core
    machine can give the server: the server's processes (each worker apart), the
    client processes, this process (it drives the REST senders), PostgreSQL (every
    backend on the machine) and Redis."""

    def __init__(self, server: psutil.Process, clients: list[int], postgres: bool) -> None:
        self.server = server
        self.parts: dict[str, list[psutil.Process]] = {
            "clients": [psutil.Process(pid) for pid in clients], "driver": [psutil.Process()],
            "redis": _named("redis-server"),
        }
        if postgres:
            self.parts["postgres"] = _named("postgres", "postgresql")

    def workers(self) -> list[psutil.Process]:
        return _workers(self.server)

    def sample(self) -> dict[str, float]:
        workers = self.workers()
        figures = {f"worker_{i}": _cpu([w]) for i, w in enumerate(workers)}
        figures["server_parent"] = _cpu([self.server]) if workers != [self.server] else 0.0
        figures.update({name: _cpu(processes) for name, processes in self.parts.items()})
        return figures


def _workers(server: psutil.Process) -> list[psutil.Process]:
    """The processes serving requests: uvicorn's workers under `--workers N` (the parent only
    watches them), else the server itself (multiprocessing's resource tracker is no worker)."""
    try:
        children = [c for c in server.children() if "resource_tracker" not in " ".join(c.cmdline())]
    except psutil.NoSuchProcess:
        children = []
    return children or [server]


def _sockets_per_worker(server: psutil.Process, port: int) -> list[int]:
    """Established connections on the server's port held by each worker process."""
    counts = []
    for worker in _workers(server):
        try:
            counts.append(sum(1 for c in worker.net_connections("tcp")
                              if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED))
        except psutil.NoSuchProcess:
            counts.append(0)
    return counts


def run_fieldline(args: argparse.Namespace, body: str, database_url: str | None = None, redis_url: str | None = None,
                  workers: int = 1, label: str = "fieldline") -> dict:
    from tests.support.live import LiveServer

    workdir = Path(tempfile.mkdtemp(prefix="fieldline-bench-"))
    env = {"DATABASE_URL": database_url or f"sqlite://{workdir}/bench.db",
           "FIELDLINE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "FIELDLINE_OUTBOX_DIR": str(workdir / "outbox"), "FIELDLINE_UPLOAD_DIR": str(workdir / "uploads"),
           # The daily-report reminder and the quota alert at the last minute of the users' day: at their
           # usual hours (18:00 and 17:00 in Shanghai, 09:00-16:00 UTC) a run would add 800 reminders
           # and alerts to the pass, and the e-mail digest job would go through them every second.
           "FIELDLINE_DAILY_REPORT_DEADLINE": "23:59", "FIELDLINE_QUOTA_ALERT_AT": "23:59"}
    if redis_url:
        env.update(REDIS_URL=redis_url, FIELDLINE_REDIS_PREFIX="bench" + uuid.uuid4().hex[:8])
    people = args.sockets // args.sockets_per_user
    tokens, groups, offline_groups = asyncio.run(
        seed(env["DATABASE_URL"], env["FIELDLINE_SECRET_KEY"], people, args.group))
    server = LiveServer(env, workers=workers)
    asyncio.run(server.start())
    try:
        process = psutil.Process(server.process.pid)

        def cpu_of(target: list[tuple[str, int]], tag: str) -> float:
            before = _tree_cpu(process)
            asyncio.run(drive_fieldline(server.url, target, args.messages, body, tag))
            _wait_cpu_quiet(process)
            return _tree_cpu(process) - before

        cpu_of(offline_groups, "warm")  # the first requests of a fresh process cost more
        _wait_cpu_quiet(process)
        rss_before = _tree_rss(process)
        clients = Clients([f"{server.ws_url}?token={t}" for t in tokens for _ in range(args.sockets_per_user)])
        connected = clients.start()
        time.sleep(2)
        _wait_cpu_quiet(process)
        rss_idle = _tree_rss(process)
        if args.memory_only:
            clients.finish()
            return _memory_figures(label, connected, rss_before, rss_idle, workers)
        machine = MachineCpu(process, [p.pid for p in clients.processes], database_url is not None)
        spread = _sockets_per_worker(process, server.port)
        writes, passes, machine_passes = [cpu_of(offline_groups, "offline-0")], [], []
        for round_ in range(args.rounds):
            started = time.monotonic()
            before = machine.sample()
            passes.append((cpu_of(groups, f"bench-{round_}"), time.monotonic() - started))
            after = machine.sample()
            machine_passes.append({k: round(after[k] - before.get(k, 0.0), 2) for k in after})
            writes.append(cpu_of(offline_groups, f"offline-{round_ + 1}"))
        per_pass = sum(_group_size(args, n % len(groups)) * args.sockets_per_user for n in range(args.messages))
        received = clients.finish(asyncio.run(final_seqs(env["DATABASE_URL"])))
    finally:
        asyncio.run(server.stop())
    cheapest = passes.index(min(passes))
    cpu, wall = passes[cheapest]
    writes_cpu = min(writes)
    figures = _figures(label, connected, received, per_pass * args.rounds, cpu, wall, rss_before, rss_idle,
                       args.rounds)
    figures["workers"] = workers
    figures["cpu_s_per_pass"] = [round(c, 2) for c, _ in passes]
    figures["writes_cpu_s_per_pass"] = [round(c, 2) for c in writes]
    figures["writes_cpu_s"] = round(writes_cpu, 2)
    # Where the machine's CPU went in the cheapest pass (includes the quiet wait after it), and how
    # the sockets and the work fell to the workers: each worker's deliveries are its share of the
    # sockets (every socket gets the same number of frames) over its own CPU.
    used = machine_passes[cheapest]
    figures["machine_cpu_s"] = used
    figures["machine_cores_busy"] = round(sum(used.values()) / wall, 2) if wall else None
    figures["sockets_per_worker"] = spread
    per_pass = received["delivered"] / args.rounds
    figures["deliveries_per_cpu_s_per_worker"] = [
        round(per_pass * n / max(sum(spread), 1) / used[f"worker_{i}"]) if used.get(f"worker_{i}") else None
        for i, n in enumerate(spread)]
    fanout_cpu = cpu - writes_cpu
    figures["fanout_deliveries_per_cpu_s"] = round(received["delivered"] / args.rounds / fanout_cpu) if fanout_cpu > 0 else None
    return figures


async def final_seqs(database_url: str) -> dict[int, int]:
    """Each user's last seq as committed: what their sockets must have received by the end."""
    if database_url.startswith("sqlite://"):
        import sqlite3

        with sqlite3.connect(database_url[len("sqlite://"):]) as db:
            return dict(db.execute("SELECT user_id, last_seq FROM event_counters").fetchall())
    import asyncpg

    connection = await asyncpg.connect(database_url, ssl=False)
    try:
        return {row["user_id"]: row["last_seq"] for row in await connection.fetch(
            "SELECT user_id, last_seq FROM event_counters")}
    finally:
        await connection.close()


def _group_size(args: argparse.Namespace, index: int) -> int:
    """Users in group `index` (the last one may be short)."""
    people = args.sockets // args.sockets_per_user
    return min(args.group, people - index * args.group)


# --- the bare websockets server ----------------------------------------------

BARE_SERVER = r'''
import asyncio, sys, time, datetime as dt
import uvloop
from websockets.asyncio.server import serve, broadcast

groups = {}

async def handler(ws):
    query = dict(p.split("=") for p in ws.request.path.split("?", 1)[1].split("&"))
    if "control" in query:
        async for command in ws:
            group, frame = command.split(" ", 1)
            ts = dt.datetime.now(dt.timezone.utc).isoformat()
            broadcast(groups.get(int(group), ()), frame.replace("@TS@", ts))
            await ws.send("ok")
        return
    members = groups.setdefault(int(query["group"]), set())
    members.add(ws)
    await ws.send('{"type":"welcome"}')
    try:
        await ws.wait_closed()
    finally:
        members.discard(ws)

async def main():
    async with serve(handler, "127.0.0.1", int(sys.argv[1]), compression=None, max_size=2**21, ping_interval=None):
        print("ready", flush=True)
        await asyncio.Future()

uvloop.run(main())
'''


async def drive_bare(url: str, group_count: int, messages: int, frame: str) -> None:
    from websockets.asyncio.client import connect

    async def sender(k: int) -> None:
        async with connect(url + "?control=1", compression=None, max_size=2**22) as control:
            for n in range(k, messages, SENDERS):
                await control.send(f"{n % group_count} {frame}")
                await control.recv()

    await asyncio.gather(*(sender(k) for k in range(SENDERS)))


def run_bare(args: argparse.Namespace, frame: str) -> dict:
    from tests.support.live import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)], stdout=subprocess.PIPE)
    assert server.stdout is not None and server.stdout.readline().strip() == b"ready"
    try:
        process = psutil.Process(server.pid)
        rss_before = process.memory_info().rss
        people = args.sockets // args.sockets_per_user
        group_count = -(-people // args.group)
        urls = [f"ws://127.0.0.1:{port}/?group={i // args.group}" for i in range(people)
                for _ in range(args.sockets_per_user)]
        clients = Clients(urls)
        connected = clients.start()
        time.sleep(2)
        rss_idle = process.memory_info().rss
        if args.memory_only:
            clients.finish()
            return _memory_figures("bare websockets.broadcast", connected, rss_before, rss_idle, 1)
        passes, machine_passes = [], []
        machine = MachineCpu(process, [p.pid for p in clients.processes], False)
        for _ in range(args.rounds):
            cpu_before = sum(process.cpu_times()[:2])
            before = machine.sample()
            started = time.monotonic()
            asyncio.run(drive_bare(f"ws://127.0.0.1:{port}/", group_count, args.messages, frame))
            _wait_cpu_quiet(process)
            passes.append((sum(process.cpu_times()[:2]) - cpu_before, time.monotonic() - started))
            after = machine.sample()
            machine_passes.append({k: round(after[k] - before.get(k, 0.0), 2) for k in after})
        per_pass = sum(_group_size(args, n % group_count) * args.sockets_per_user for n in range(args.messages))
        received = clients.finish()
    finally:
        server.kill()
        server.wait()
    cpu, wall = min(passes)
    figures = _figures("bare websockets.broadcast", connected, received, per_pass * args.rounds, cpu, wall,
                       rss_before, rss_idle, args.rounds)
    figures["cpu_s_per_pass"] = [round(c, 2) for c, _ in passes]
    figures["workers"] = 1
    used = machine_passes[passes.index(min(passes))]
    figures["machine_cpu_s"] = used
    figures["machine_cores_busy"] = round(sum(used.values()) / wall, 2) if wall else None
    figures["sockets_per_worker"] = [connected]
    figures["deliveries_per_cpu_s_per_worker"] = [figures["deliveries_per_cpu_s"]]
    return figures


# --- figures ------------------------------------------------------------------

def _wait_cpu_quiet(process: psutil.Process, quiet_s: float = 1.0, limit_s: float = 120.0) -> None:
    """Wait until the server stops spending CPU: every frame has left it."""
    deadline = time.monotonic() + limit_s
    last = _tree_cpu(process)
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = _tree_cpu(process)
        if now - last < 0.02 * quiet_s:
            return
        last = now


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _figures(name: str, connected: int, received: dict, expected: int, cpu: float, wall: float,
             rss_before: int, rss_idle: int, rounds: int) -> dict:
    """`cpu` and `wall` of the cheapest of `rounds` passes; `received` (`Clients.finish`) over all of them."""
    delivered, latencies = received["delivered"], received["latencies"]
    return {
        "server": name, "sockets": connected, "delivered": delivered, "expected": expected,
        "late": received["late"], "missing": received["missing"], "gaps": received["gaps"],
        "duplicates": received["duplicates"],
        "server_cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
        "deliveries_per_cpu_s": round(delivered / rounds / cpu) if cpu else None,
        "deliveries_per_s": round(delivered / rounds / wall) if wall else None,
        "latency_ms": {p: round(_percentile(latencies, q) * 1000, 1)
                       for p, q in (("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999))},
        "rss_kib_per_idle_socket": round((rss_idle - rss_before) / 1024 / max(connected, 1), 1),
        "rss_mib_at_rest": round(rss_before / 2**20, 1),
        "samples_ms": _spread(latencies),
    }


def _memory_figures(name: str, connected: int, rss_before: int, rss_idle: int, workers: int) -> dict:
    """`--memory-only`: the sockets were opened and measured, no message was sent."""
    return {"server": name, "sockets": connected, "workers": workers,
            "rss_kib_per_idle_socket": round((rss_idle - rss_before) / 1024 / max(connected, 1), 1),
            "rss_mib_at_rest": round(rss_before / 2**20, 1)}


def _spread(latencies: list[float], keep: int = 20000) -> list[float]:
    """At most `keep` samples (ms) evenly spaced through the sorted list: the same distribution, smaller JSON."""
    ordered = sorted(latencies)
    step = max(1, len(ordered) // keep)
    return [round(v * 1000, 2) for v in ordered[::step]]


def sample_frame(body: str) -> str:
    """A message.new frame the size Fieldline sends, with a @TS@ slot for the time."""
    data = {"id": 123456, "conversation_id": 12, "sender_id": 34, "client_id": "bench-123456", "body": body,
            "mentions": [], "attachments": [], "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "edited_at": None, "deleted": False}
    return orjson.dumps({"seq": 1234, "type": "message.new", "ts": "@TS@", "data": data}).decode()


def _line(figures: dict) -> str:
    if "delivered" not in figures:  # --memory-only
        return (f"{figures['server']:>28}: {figures['sockets']} sockets, {figures['rss_kib_per_idle_socket']} KiB "
                f"RSS per idle socket, {figures['rss_mib_at_rest']} MiB at rest")
    checked = (f" ({figures['late']} late, {figures['missing']} missing, {figures['gaps']} skipped, "
               f"{figures['duplicates']} twice)" if "late" in figures else "")
    return (f"{figures['server']:>28}: {figures['delivered']}/{figures['expected']} delivered{checked} to "
            f"{figures['sockets']} sockets, {figures['deliveries_per_cpu_s']} deliveries per server CPU-s "
            f"({figures['server_cpu_s']} CPU-s, {figures['wall_s']} s wall for the cheapest pass), latency ms "
            f"p50 {figures['latency_ms']['p50']} p99 {figures['latency_ms']['p99']} "
            f"p99.9 {figures['latency_ms']['p99.9']}, {figures['rss_kib_per_idle_socket']} KiB RSS per idle socket"
            + (f"\n{'':>30}machine CPU-s in that pass {figures['machine_cpu_s']} ({figures['machine_cores_busy']} of the "
               f"{os.cpu_count()} cores busy); sockets per worker {figures['sockets_per_worker']}, deliveries per "
               f"CPU-s per worker {figures['deliveries_per_cpu_s_per_worker']}" if "machine_cpu_s" in figures else ""))


def _verdicts(ours: dict, bare: dict) -> dict:
    """The issue's goals for one Fieldline configuration against the same run's bare server."""
    memory = {
        "rss_ratio": round(ours["rss_kib_per_idle_socket"] / max(bare["rss_kib_per_idle_socket"], 0.1), 2),
        "rss_met": ours["rss_kib_per_idle_socket"] <= 1.5 * bare["rss_kib_per_idle_socket"],
    }
    if "delivered" not in ours:  # --memory-only
        return memory
    ratio = ours["deliveries_per_cpu_s"] / bare["deliveries_per_cpu_s"]
    return {
        "ratio": round(ratio, 3), "ratio_met": ratio >= 0.5,
        "p99_met": ours["latency_ms"]["p99"] <= bare["latency_ms"]["p99"],
        "p999_met": ours["latency_ms"]["p99.9"] <= 2 * bare["latency_ms"]["p99.9"],
        **memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--sockets-per-user", type=int, default=5)
    parser.add_argument("--group", type=int, default=100, help="users per group")
    parser.add_argument("--messages", type=int, default=160)
    parser.add_argument("--body-chars", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="passes of the messages per server; the cheapest counts")
    parser.add_argument("--postgres", default=os.environ.get("FIELDLINE_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL server URL: also run on a fresh database there, with Redis")
    parser.add_argument("--redis", help="Redis URL for the PostgreSQL runs (default: a private redis-server)")
    parser.add_argument("--workers", type=int, default=2, help="also run `serve --workers N` on PostgreSQL (1: skip)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="run one backend only")
    parser.add_argument("--senders", type=int, default=SENDERS, help="REST clients posting at once")
    parser.add_argument("--memory-only", action="store_true",
                        help="only open the sockets and measure RSS per idle socket (no messages); e.g. "
                             "--memory-only --workers 1 [--only sqlite]")
    args = parser.parse_args()
    globals()["SENDERS"] = args.senders
    body = ("客户拜访记录 " * 100)[: args.body_chars]
    bare = run_bare(args, sample_frame(body))
    print(_line(bare), flush=True)
    runs: dict[str, dict] = {}
    if args.only != "postgres":
        runs["sqlite"] = run_fieldline(args, body, label="fieldline sqlite")
        print(_line(runs["sqlite"]), flush=True)
    if args.postgres and args.only != "sqlite":
        runs.update(_postgres_runs_sync(args, body))
    if args.memory_only:
        _memory_report(args, bare, runs)
        return
    result: dict = {"title": "WebSocket fan-out with the REST writes: Fieldline against bare websockets.broadcast",
                    "notes": (f"{args.sockets // args.sockets_per_user} users with {args.sockets_per_user} sockets each "
                              f"({args.sockets} sockets), groups of {args.group} users, {args.messages} messages of "
                              f"{args.body_chars} characters per pass posted over REST by {SENDERS} clients, "
                              f"{args.rounds} passes; CPU is the cheapest pass. The bare server broadcasts the same "
                              "frames to the same groups."),
                    "runs": {"bare": bare}, "args": vars(args)}
    headlines = []
    for name, ours in runs.items():
        result.setdefault("runs", {})[name] = ours
        verdict = _verdicts(ours, bare)
        result[f"goals_{name}"] = verdict
        print(f"{name}: ratio Fieldline / bare (deliveries per server CPU-s): {verdict['ratio']:.2f} (goal >= 0.5); "
              f"p99 {ours['latency_ms']['p99']} vs bare {bare['latency_ms']['p99']}; p99.9 {ours['latency_ms']['p99.9']}"
              f" vs 2x bare {2 * bare['latency_ms']['p99.9']}; RSS/socket {verdict['rss_ratio']}x bare", flush=True)
        if ours.get("fanout_deliveries_per_cpu_s"):
            result[f"fanout_only_ratio_{name}"] = round(ours["fanout_deliveries_per_cpu_s"] / bare["deliveries_per_cpu_s"], 3)
        headlines.append(f"{name} {verdict['ratio']:.2f}×")
    if "postgres" in runs and "postgres_workers" in runs:
        scale = runs["postgres_workers"]["deliveries_per_s"] / runs["postgres"]["deliveries_per_s"]
        result["workers_scaling"] = round(scale, 2)
        per_cpu = runs["postgres_workers"]["deliveries_per_cpu_s"] / runs["postgres"]["deliveries_per_cpu_s"]
        result["workers_per_cpu_s_ratio"] = round(per_cpu, 2)
        print(f"workers {args.workers} / 1 deliveries per second on PostgreSQL: {scale:.2f} (goal >= 1.6; p99 "
              f"{runs['postgres_workers']['latency_ms']['p99']} against {runs['postgres']['latency_ms']['p99']} ms); "
              f"deliveries per server CPU-s {per_cpu:.2f}x one worker's; cores busy in the pass "
              f"{runs['postgres_workers']['machine_cores_busy']} against {runs['postgres']['machine_cores_busy']}")
        headlines.append(f"{args.workers} workers {scale:.2f}× one")
    first = next(iter(runs.values()), None)
    result["headline"] = ("deliveries per CPU-s against bare broadcast: " + ", ".join(headlines)
                          + (f"; {first['rss_kib_per_idle_socket']} KiB per idle socket (bare "
                             f"{bare['rss_kib_per_idle_socket']})" if first else ""))
    columns = [("bare broadcast", bare)] + [(ours["server"].replace("fieldline ", ""), ours) for ours in runs.values()]
    result["latencies_ms"] = {label: figures.pop("samples_ms") for label, figures in columns}
    rows = ["| figure | " + " | ".join(label for label, _ in columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for key in ("sockets", "delivered", "expected", "late", "missing", "gaps", "duplicates", "workers", "server_cpu_s", "wall_s", "deliveries_per_cpu_s",
                "deliveries_per_s", "latency_ms.p50", "latency_ms.p99", "latency_ms.p99.9", "rss_kib_per_idle_socket",
                "rss_mib_at_rest", "writes_cpu_s", "fanout_deliveries_per_cpu_s", "machine_cores_busy",
                "sockets_per_worker", "deliveries_per_cpu_s_per_worker"):
        cells = []
        for _, figures in columns:
            value = figures
            for part in key.split(".", 1) if key.startswith("latency") else [key]:
                value = value.get(part) if isinstance(value, dict) else None
            cells.append("—" if value is None else f"{value:,}" if isinstance(value, int) else str(value))
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    result["table"] = "\n".join(rows)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "fanout.json").write_text(json.dumps(result, indent=2))


def _memory_report(args: argparse.Namespace, bare: dict, runs: dict[str, dict]) -> None:
    """`--memory-only`: RSS per idle socket against the same run's bare server, to bench/out/fanout_memory.json."""
    result: dict = {"title": "Server RSS per idle socket: Fieldline against a bare websockets server",
                    "notes": f"{args.sockets} sockets ({args.sockets_per_user} per user), no messages sent",
                    "runs": {"bare": bare, **runs}, "args": vars(args)}
    for name, ours in runs.items():
        verdict = _verdicts(ours, bare)
        result[f"goals_{name}"] = verdict
        print(f"{name}: RSS/socket {verdict['rss_ratio']}x bare (goal <= 1.5)", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "fanout_memory.json").write_text(json.dumps(result, indent=2))


def _postgres_runs_sync(args: argparse.Namespace, body: str) -> dict[str, dict]:
    from tests.support.databases import create_postgres_database, drop_postgres_database
    from tests.support.redis_server import PrivateRedis

    runs: dict[str, dict] = {}
    redis = None
    redis_url = args.redis
    if not redis_url:
        redis = PrivateRedis()
        redis.start()
        redis_url = redis.url
    try:
        for key, workers in [("postgres", 1)] + ([("postgres_workers", args.workers)] if args.workers > 1 else []):
            name = f"fieldline_fanout_{os.getpid()}"
            url = asyncio.run(create_postgres_database(args.postgres, name))
            try:
                runs[key] = run_fieldline(args, body, url, redis_url, workers,
                                          label=f"fieldline postgres+redis {workers}w")
                print(_line(runs[key]), flush=True)
            finally:
                asyncio.run(drop_postgres_database(args.postgres, name))
    finally:
        if redis is not None:
            redis.stop()
    return runs


if __name__ == "__main__":
    main()
