"""What one open socket holds in the server, by tracemalloc (a tool, not a benchmark).

    PYTHONPATH=. python bench/socket_memory.py [--sockets 1000] [--sockets-per-user 5] [--top 40]

Starts `fieldline serve`'s app under uvicorn with `fieldline serve`'s settings
(SQLite, one process), opens and closes a few sockets (so what the first
socket builds once is not counted), starts tracemalloc and takes a snapshot, opens
`--sockets` sockets that stay idle, takes another and prints the difference per
socket: by source line, and by the frame of the traceback in each package that
asked for the memory. RSS per socket with tracemalloc on is not the server's
(`bench/fanout.py --memory-only` measures that); this says what the Python heap
holds and who allocated it. Allocations outside the Python allocators (the
kernel's socket buffers, libuv's own) are not seen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

SERVER = r'''
import gc, os, sys, threading, time, tracemalloc
trigger = os.environ["TRACE_TRIGGER"]

def watch():
    n = 0
    while True:
        time.sleep(0.2)
        if os.path.exists(f"{trigger}.{n}"):
            if not n:  # traced from here on: start-up under tracemalloc would take minutes
                tracemalloc.start(int(os.environ["TRACE_DEPTH"]))
            gc.collect()
            tracemalloc.take_snapshot().dump(f"{trigger}.{n}.snap")
            os.rename(f"{trigger}.{n}.snap", f"{trigger}.{n}.done")
            n += 1

threading.Thread(target=watch, daemon=True).start()
import uvicorn
from fieldline.cli import websocket_options
uvicorn.run("fieldline.asgi:app", host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
            log_level="warning", access_log=False, proxy_headers=False, **websocket_options())
'''


def snapshot(trigger: str, n: int):  # -> tracemalloc.Snapshot
    import tracemalloc

    Path(f"{trigger}.{n}").touch()
    while not Path(f"{trigger}.{n}.done").exists():
        time.sleep(0.2)
    return tracemalloc.Snapshot.load(f"{trigger}.{n}.done")


def main() -> None:
    import tracemalloc

    import httpx

    from bench.fanout import Clients, seed
    from tests.support.live import free_port

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--sockets-per-user", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--depth", type=int, default=30, help="traceback frames kept per allocation")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fieldline-socket-memory-"))
    env = {"DATABASE_URL": f"sqlite://{workdir}/bench.db", "FIELDLINE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "FIELDLINE_OUTBOX_DIR": str(workdir / "outbox"), "FIELDLINE_UPLOAD_DIR": str(workdir / "uploads")}
    people = max(1, args.sockets // args.sockets_per_user)
    tokens, _, _ = asyncio.run(seed(env["DATABASE_URL"], env["FIELDLINE_SECRET_KEY"], people, 100))
    port = free_port()
    trigger = str(workdir / "snapshot")
    server_env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDLINE_", "DATABASE_URL", "REDIS_URL"))}
    server_env.update(env, PYTHONPATH=str(ROOT), TRACE_DEPTH=str(args.depth), TRACE_TRIGGER=trigger)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=server_env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        urls = [f"ws://127.0.0.1:{port}/ws?token={t}" for t in tokens for _ in range(args.sockets_per_user)]
        warm = Clients(urls[:50])
        warm.start()
        warm.finish()
        time.sleep(2)
        before = snapshot(trigger, 0)
        clients = Clients(urls)
        opened = clients.start()
        time.sleep(3)
        after = snapshot(trigger, 1)
        clients.finish()
    finally:
        server.terminate()
        server.wait()
    report(before, after, opened, args.top)


def report(before, after, opened: int, top: int) -> None:  # tracemalloc.Snapshot
    total = sum(s.size_diff for s in after.compare_to(before, "filename"))
    print(f"{opened} sockets: the Python heap grew {total / 1024 / opened:.2f} KiB per socket\n")
    print("by source line (bytes per socket, allocations per socket):")
    for stat in after.compare_to(before, "lineno")[:top]:
        frame = stat.traceback[0]
        print(f"{stat.size_diff / opened:9.1f} B {stat.count_diff / opened:6.2f}  "
              f"{_short(frame.filename)}:{frame.lineno}")
    print("\nby the innermost line of Fieldline's code that led to it, and the line that allocated:")
    totals: dict[str, float] = {}
    for stat in after.compare_to(before, "traceback"):
        totals[_owner(stat.traceback)] = totals.get(_owner(stat.traceback), 0) + stat.size_diff
    for owner, size in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{size / opened:9.1f} B  {owner}")


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _owner(traceback) -> str:  # tracemalloc.Traceback, oldest frame first
    """The innermost frame in Fieldline's code with the line that allocated, or that line alone."""
    last = traceback[-1]
    for frame in reversed(traceback):
        if frame.filename.startswith(str(ROOT)) and "/.venv/" not in frame.filename:
            return f"{_short(frame.filename)}:{frame.lineno} <- {_short(last.filename)}:{last.lineno}"
    return f"{_short(last.filename)}:{last.lineno}"


if __name__ == "__main__":
    main()
