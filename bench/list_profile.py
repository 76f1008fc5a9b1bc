"""Where a list request's time goes inside the server process.

    PYTHONPATH=. python bench/list_profile.py [--customers 20000] [--requests 3000] [--path …] [--profile]

Seeds a fresh SQLite database like bench/api_list.py, builds the app in this
process and drives it as uvicorn would (the ASGI scope, receive and send; no
socket and no HTTP parsing), one request after another, for the manager's
`scope=team` page, the feed page and `GET /me`. Prints the server's own time
per request (p50/p99, µs) and, with --profile, the cProfile functions that
hold the most cumulative time. With --breakdown, the list page's parts timed
alone, medians in µs: the statement (as the server reads it), rendering the
rows, the JSON encoding, the access line and metrics, beside the whole
request and `/me` (the app's fixed cost: the frame, routing, the cached
sign-in, the answer).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

PATHS = ("/api/v1/customers?scope=team&limit=50", "/api/v1/feed?scope=following&limit=50", "/api/v1/me")


def _scope(path: str, token: str) -> dict:
    raw_path, _, query = path.partition("?")
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000), "scheme": "http", "method": "GET",
        "root_path": "", "path": raw_path, "raw_path": raw_path.encode(), "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*"), (b"accept-encoding", b"gzip, deflate"),
                    (b"connection", b"keep-alive"), (b"user-agent", b"python-httpx/0.27"),
                    (b"authorization", f"Bearer {token}".encode())],
        "state": {},
    }


async def _call(app, path: str, token: str) -> int:  # type: ignore[no-untyped-def]
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(path, token), receive, send)
    return status


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database", help="an already seeded SQLite file (skips seeding)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", help="time only this path")
    parser.add_argument("--breakdown", action="store_true", help="time the list page's parts alone")
    args = parser.parse_args()
    if args.database:
        path = Path(args.database)
    else:
        path = Path(tempfile.mkdtemp(prefix="fieldline-profile-")) / "bench.db"
    url = f"sqlite://{path}"
    os.environ.update({"DATABASE_URL": url, "FIELDLINE_SECRET_KEY": "profile-secret-key-0123456789abcdef",
                       "FIELDLINE_UPLOAD_DIR": str(path.parent / "uploads"),
                       "FIELDLINE_OUTBOX_DIR": str(path.parent / "outbox")})
    if not args.database:
        from bench import api_list, feed

        await api_list._seed(url, args.customers, 50)
        from server.db import close_database, open_database

        await open_database(url)
        try:
            from tortoise import connections

            people = [(u, d) for u, d in (await connections.get("default").execute_query(
                "SELECT id, department_id FROM users WHERE login LIKE 'rep%' ORDER BY id"))[1]]
            customers = [(r["id"], r["owner_id"]) for r in (await connections.get("default").execute_query(
                "SELECT id, owner_id FROM customers ORDER BY id LIMIT 2000"))[1]]
        finally:
            await close_database()
        await feed._add_items(url, people, customers, 0, args.items)
        print(f"seeded {path}", flush=True)

    from server.logs import configure_logging

    configure_logging("info", True)
    import logging

    logging.getLogger("fieldline.access").handlers = []
    # the access lines to a file, as under `fieldline serve` with a redirected stderr
    handler = logging.FileHandler(path.parent / "access.log")
    from server.logs import JsonFormatter, RequestIdFilter

    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger().handlers = [handler]

    from fieldline.app import create_app
    from realtime.routes import SocketsFirst

    inner = create_app(run_services=False)
    app = SocketsFirst(inner)
    async with inner.router.lifespan_context(inner):
        from server import runtime

        token_runtime = runtime.enter(inner.state.runtime)

        import httpx

        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.post("/api/v1/auth/login", json={"login": "manager", "password": "bench-password-1"})
            response.raise_for_status()
            token = response.json()["access_token"]
        runtime.leave(token_runtime)
        paths = [p for p in PATHS if not args.only or p.startswith(args.only)]
        for p in paths:
            for _ in range(100):
                assert await _call(app, p, token) == 200, p
            samples = []
            for _ in range(args.requests):
                start = time.perf_counter()
                await _call(app, p, token)
                samples.append(time.perf_counter() - start)
            samples.sort()
            print(f"{p}: p50 {samples[len(samples) // 2] * 1e6:.0f} µs, p99 {samples[int(len(samples) * 0.99)] * 1e6:.0f} µs,"
                  f" mean {sum(samples) / len(samples) * 1e6:.0f} µs", flush=True)
        if args.breakdown:
            await _breakdown(app, token, args.requests)
        if args.profile:
            for p in paths:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.requests):
                    await _call(app, p, token)
                profiler.disable()
                print(f"\n=== {p}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def _median_us(samples: list[float]) -> float:
    samples.sort()
    return samples[len(samples) // 2] * 1e6


async def _breakdown(app, token: str, requests: int) -> None:  # type: ignore[no-untyped-def]
    """The list page's parts, each timed alone (medians), beside the whole request and `/me`."""
    from mobile_api.middleware.request_frame import _record
    from server.access import viewer_for
    from server.db import read_page
    from server.encoding import dumps
    from server.models.identity import User
    from server.queries import customer_page

    viewer = await viewer_for(await User.get(login="manager"))
    page = await customer_page.plain_page(viewer, "team", None, 50, None)
    terms, params = customer_page._scope(viewer, "team")
    sql = (f"SELECT {customer_page.COLUMNS['sqlite']}, {customer_page.SHARES['sqlite']} AS shared_with "
           f"FROM customers WHERE deleted_at IS NULL AND {' AND '.join(terms)} ORDER BY id DESC LIMIT ?")
    params.append(51)
    rows = await read_page(sql, params)
    scope = {**_scope(PATHS[0], token), "route": type("R", (), {"path": "/api/v1/customers"})()}
    parts: dict[str, list[float]] = {name: [] for name in ("request", "me", "statement", "render", "json", "log")}
    for _ in range(requests):
        start = time.perf_counter()
        await _call(app, PATHS[0], token)
        parts["request"].append(time.perf_counter() - start)
        start = time.perf_counter()
        await _call(app, PATHS[2], token)
        parts["me"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = await read_page(sql, params)
        parts["statement"].append(time.perf_counter() - start)
        start = time.perf_counter()
        [customer_page._render(row) for row in rows[:50]]
        parts["render"].append(time.perf_counter() - start)
        start = time.perf_counter()
        dumps(page)
        parts["json"].append(time.perf_counter() - start)
        start = time.perf_counter()
        _record(scope, 200, 0.001)
        parts["log"].append(time.perf_counter() - start)
    m = {name: _median_us(values) for name, values in parts.items()}
    rest = m["request"] - m["me"] - m["statement"] - m["render"] - m["json"]
    print("\n| part of GET /api/v1/customers?scope=team&limit=50 (in-process, no HTTP) | median µs |\n|---|---|")
    for label, value in (
        ("the whole request", m["request"]),
        ("the app's fixed cost: `/me` (frame, routing, cached sign-in, answer, access line)", m["me"]),
        ("  of which the access line and metrics", m["log"]),
        ("the statement, read on the event loop (`read_page`)", m["statement"]),
        ("rendering 50 rows", m["render"]),
        ("JSON encoding (orjson)", m["json"]),
        ("the rest (query parsing, the list's own routing and checks)", rest),
    ):
        print(f"| {label} | {value:.0f} |")


if __name__ == "__main__":
    asyncio.run(main())
