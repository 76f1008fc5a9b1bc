"""Feed benchmark: `GET /api/v1/feed?scope=following` against the raw SQL of the same query.

    PYTHONPATH=. python bench/feed.py [--items 100000] [--reps 50] [--requests 400]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--scaling 10000,100000,1000000]

Seeds a fresh database (a new SQLite file; with --postgres also a new
PostgreSQL database, dropped at the end): a manager whose region holds
`--reps` reps (followed automatically), as many reps in another region,
customers owned by all of them, and `--items` feed items by everyone — public,
department and private, a fifth of them about a customer. Starts a real
server (uvicorn subprocess), signs in as the manager and times
`GET /api/v1/feed?scope=following&limit=50` one request at a time, then the
statement the server runs for that page (from `server.queries.feed_page`, so
it is the same query: visibility, scope, follows and `liked_by_me` in one), on
the same database in the same run. Prints p50/p99 of both and the ratio (goal: API p99 ≤ 3 × raw p99),
and the pages answered per second with 8 clients and per CPU-second the server process used.
With --scaling (PostgreSQL) the same page is timed on one database per size,
requests to each in turn, with the plan PostgreSQL chose (EXPLAIN ANALYZE) at
each (goal: p99 at the largest within 1.5× of the smallest).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.timing import (  # noqa: E402
    CoreWaits,
    KeepAlive,
    Result,
    copy_rows,
    cpu_seconds,
    explain_postgres,
    fresh_postgres,
    login,
    plan_summary,
    postgres_connect,
    postgres_statement,
    quantiles,
    requests_per_second,
    server_on,
    sqlite_statement,
    time_round_robin,
    time_side_by_side,
    without_core_waits,
)

PASSWORD = "bench-password-1"
NOTES = ("A manager's `scope=following` page of 50 (50 followed reps, visibility and likes included) through a "
         "real server (`fieldline serve`, one process), one request at a time over a keep-alive HTTP/1.1 "
         "connection (bench/timing.py `KeepAlive`: no Python HTTP client's own cost in the figure), against the "
         "statement the server runs with the same parameters, executed in-process by the plain driver right after each "
         "request. Throughput: 8 keep-alive connections, each sending its next request when the last is answered, "
         "for 5 s, and the same per CPU-second the server process used." " A second view, beside the figures over every sample: the samples in which the server's main thread and "
         "the client waited less than 100 µs for a core (/proc schedstat), since on two shared cores a request "
         "crosses two process wake-ups and the in-process raw statement none.")
WARMUP = 30
PAGE = 50
PATH = f"/api/v1/feed?scope=following&limit={PAGE}"
CUSTOMERS_PER_REP = 40
CLIENTS = 8
THROUGHPUT_S = 5.0
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


async def _people(reps: int) -> tuple[list[tuple[int, int]], int]:
    """Departments and people through the actions: ([(rep id, department id)], manager id)."""
    from server.actions.users import create_department, create_user
    from server.security import hash_password_sync

    hashed = hash_password_sync(PASSWORD)
    hq = await create_department(None, "总部", None)
    regions = [await create_department(None, name, hq.id) for name in ("华东区", "华南区")]
    teams = [await create_department(None, f"{r.name}{i}组", r.id) for r in regions for i in range(1, 4)]
    manager = await create_user(None, {"login": "manager", "name": "王经理", "role": "manager",
                                       "department_id": regions[0].id,
                                       "managed_department_ids": [regions[0].id]}, password_hash=hashed)
    people = []
    for i in range(2 * reps):
        team = teams[(i % 3) + (0 if i < reps else 3)]
        user = await create_user(None, {"login": f"rep{i}", "name": f"销售{i}", "role": "rep",
                                        "department_id": team.id}, password_hash=hashed)
        people.append((user.id, team.id))
    return people, manager.id


async def _seed(database_url: str, items: int, reps: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """People and customers; then `items` feed items. (people, customers)"""
    from tortoise import connections

    from server.db import close_database, dialect, open_database
    from server.migrate import apply_migrations

    await apply_migrations(database_url)
    await open_database(database_url)
    try:
        people, _ = await _people(reps)
        postgres = dialect() == "postgres"
        connection = connections.get("default")
        customers = await _customers(connection, people, START, postgres)
    finally:
        await close_database()
    await _add_items(database_url, people, customers, 0, items)
    return people, customers


def _stamp(value: dt.datetime, postgres: bool) -> object:
    return value if postgres else value.isoformat(sep=" ")


def _marks(n: int, postgres: bool) -> str:
    return ", ".join(f"${i}" for i in range(1, n + 1)) if postgres else ", ".join("?" * n)


async def _customers(connection, people, now, postgres) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    rows = []
    for n, (owner, _) in enumerate(p for p in people for _ in range(CUSTOMERS_PER_REP)):
        stamp = _stamp(now, postgres)
        rows.append([stamp, stamp, 1, f"客户{n}贸易有限公司", f"客户{n}贸易", "[]", n % 25 == 0, False, None if n % 25 == 0 else owner])
    sql = ("INSERT INTO customers (created_at, updated_at, version, name, name_key, tags, in_pool, imported, owner_id) "
           f"VALUES ({_marks(9, postgres)})")
    await connection.execute_many(sql, rows)
    _, found = await connection.execute_query("SELECT id, owner_id FROM customers ORDER BY id")
    return [(row["id"], row["owner_id"]) for row in found]


ITEM_COLUMNS = ["kind", "author_id", "body", "mentions", "visibility", "department_id", "subject_type",
                "subject_id", "attachments", "like_count", "comment_count", "created_at"]


def _item_rows(people, customers, first: int, last: int, postgres: bool) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """Feed items number `first` to `last - 1`, each a second newer than the one before: 70 % public,
    20 % department, 10 % private, a fifth about one of the author's customers."""
    chance = random.Random(7 + first)
    by_owner: dict[int, list[int]] = {}
    for customer_id, owner in customers:
        by_owner.setdefault(owner, []).append(customer_id)
    rows: list[list[object]] = []
    for n in range(first, last):
        author, department = people[n % len(people)]
        roll = chance.random()
        visibility = "public" if roll < 0.7 else "department" if roll < 0.9 else "private"
        subject = chance.choice(by_owner[author]) if chance.random() < 0.2 and by_owner.get(author) else None
        kind = "checkin" if subject else "post"
        stamp = _stamp(START + dt.timedelta(seconds=n), postgres)
        rows.append([kind, author, f"第{n}条工作动态", "[]", visibility, department,
                     "customer" if subject else None, subject, "[]", 0, 0, stamp])
    return rows


async def _add_items(database_url: str, people, customers, first: int, last: int) -> None:  # type: ignore[no-untyped-def]
    """Feed items by bulk insert: COPY on PostgreSQL, the plain driver on SQLite; then ANALYZE."""
    sqlite = database_url.startswith("sqlite://")
    for start in range(first, last, 100_000):
        rows = _item_rows(people, customers, start, min(start + 100_000, last), not sqlite)
        if sqlite:
            connection = sqlite3.connect(database_url[len("sqlite://"):])
            with connection:
                connection.executemany(f"INSERT INTO feed_items ({', '.join(ITEM_COLUMNS)}) "
                                       f"VALUES ({_marks(len(ITEM_COLUMNS), False)})", rows)
            connection.close()
        else:
            await copy_rows(database_url, "feed_items", ITEM_COLUMNS, rows)
    if sqlite:
        connection = sqlite3.connect(database_url[len("sqlite://"):])
        connection.execute("ANALYZE")
        connection.close()
    else:
        pg = await postgres_connect(database_url)
        try:
            await pg.execute("VACUUM ANALYZE")
        finally:
            await pg.close()


async def _page_sql(database_url: str) -> tuple[str, list]:
    """The statement the server runs for the manager's first `following` page."""
    from server.access import viewer_for
    from server.db import close_database, open_database
    from server.models.identity import User
    from server.queries.feed_page import page_sql

    await open_database(database_url)
    try:
        viewer = await viewer_for(await User.get(login="manager"))
        return page_sql(viewer, "following", PAGE, None)
    finally:
        await close_database()


def _full_page(body: bytes) -> None:
    import orjson

    assert len(orjson.loads(body)["items"]) == PAGE, body[:300]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


async def _run(label: str, database_url: str, args: argparse.Namespace, raw: Any, result: Result) -> None:
    """`raw(sql)`: a context giving one raw execution of the page's statement."""
    started = time.perf_counter()
    await _seed(database_url, args.items, args.reps)
    seeded = time.perf_counter() - started
    sql = await _page_sql(database_url)
    async with server_on(database_url) as server, raw(sql) as once:
        token = await login(server.url, "manager", PASSWORD)
        headers = {"Authorization": f"Bearer {token}"}
        assert server.process is not None
        waits = CoreWaits(server.process.pid)
        samples, raw_samples = await time_side_by_side(server.url, headers, PATH, once, args.requests, WARMUP,
                                                       _full_page, waits=waits)
        cpu_before = cpu_seconds(server.process.pid)
        rps = await requests_per_second(server.url, headers, PATH, CLIENTS, THROUGHPUT_S)
        # the 20 warm-up requests per client are in the CPU too: a slight overestimate per request
        per_cpu_s = (rps * THROUGHPUT_S + 20 * CLIENTS) / (cpu_seconds(server.process.pid) - cpu_before)
    api50, api99 = quantiles(samples)
    raw50, raw99 = quantiles(raw_samples)
    result.add("\n".join([
        f"\n## {label}: {args.items} feed items, manager following {args.reps} reps "
        f"of {2 * args.reps} (seeded in {seeded:.1f} s)", "",
        "| | p50 ms | p99 ms |", "|---|---|---|",
        f"| API GET {PATH} | {_ms(api50)} | {_ms(api99)} |",
        f"| raw SQL of the same query, run right after each request | {_ms(raw50)} | {_ms(raw99)} |",
        *without_core_waits(samples, raw_samples, waits), "",
        f"ratio p99 API/raw: {api99 / raw99:.1f}× (goal ≤ 3×); p50: {api50 / raw50:.1f}×", "",
        f"throughput: {rps:.0f} pages/s with {CLIENTS} clients; the server answered {per_cpu_s:.0f} per CPU-second "
        "it used",
    ]), {f"{label} API feed page": samples, f"{label} raw SQL": raw_samples},
        f"{label} p99 {api99 / raw99:.1f}× raw SQL (p50 {api50 / raw50:.1f}×), {per_cpu_s:.0f} per server CPU-s")


async def _scaling(base_url: str, args: argparse.Namespace, result: Result) -> None:
    """The page on one database per size (PostgreSQL), one server each, timed in turn
    (a request to each, each followed by its raw statement) so that every size sees the
    same moments of the machine's load."""
    from contextlib import AsyncExitStack

    sizes = sorted(int(n) for n in args.scaling.split(","))
    targets = []
    statements = []
    async with AsyncExitStack() as stack:
        for size in sizes:
            url = await stack.enter_async_context(fresh_postgres(base_url, f"fieldline_bench_{size}"))
            await _seed(url, size, args.reps)
            sql, params = await _page_sql(url)
            server = await stack.enter_async_context(server_on(url))
            token = await login(server.url, "manager", PASSWORD)
            client = await stack.enter_async_context(KeepAlive(server.url, {"Authorization": f"Bearer {token}"}))
            once = await stack.enter_async_context(postgres_statement(url, sql, params, PAGE + 1))
            targets.append((client, PATH, once))
            statements.append((url, sql, params))
            print(f"{size:,} feed items ready", flush=True)
        timings = await time_round_robin(targets, args.requests, WARMUP, _full_page)
        plans = [plan_summary(await explain_postgres(url, sql, params)) for url, sql, params in statements]
    lines = ["| feed items | API p50 ms | API p99 ms | raw p50 ms | raw p99 ms | plan (EXPLAIN ANALYZE) |",
             "|---|---|---|---|---|---|"]
    p99s: list[float] = []
    samples: dict[str, list[float]] = {}
    for size, (api, raw), plan in zip(sizes, timings, plans):
        api50, api99 = quantiles(api)
        raw50, raw99 = quantiles(raw)
        p99s.append(api99)
        samples[f"PostgreSQL {size:,} API feed page"] = api
        lines.append(f"| {size:,} | {_ms(api50)} | {_ms(api99)} | {_ms(raw50)} | {_ms(raw99)} | {plan} |")
    spread = max(p99s) / min(p99s)
    result.add("\n".join([f"\n## PostgreSQL: the feed page at each size (following {args.reps} reps)", "",
                          *lines, "", f"largest p99 / smallest p99: {spread:.2f}× (goal ≤ 1.5×)"]), samples,
               f"feed p99 across {sizes[0]:,}–{sizes[-1]:,} items within {spread:.2f}×")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is created there")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--scaling", help="sizes for the growth run on PostgreSQL, e.g. 10000,100000,1000000")
    parser.add_argument("--only-scaling", action="store_true", help="the growth run alone")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="fieldline-bench-")) / "bench.db"
    url = f"sqlite://{path}"
    result = Result("feed", "Feed page: the API against raw SQL", NOTES)
    if not args.only_scaling:
        await _run("SQLite", url, args, lambda q: sqlite_statement(str(path), q[0], q[1], PAGE + 1), result)
    if args.show_sql and not args.only_scaling:
        sql, params = await _page_sql(url)
        print(sql, params)
    if args.postgres and not args.only_scaling:
        async with fresh_postgres(args.postgres, "fieldline_bench") as pg_url:
            await _run("PostgreSQL", pg_url, args, lambda q: postgres_statement(pg_url, q[0], q[1], PAGE + 1), result)
    if args.postgres and args.scaling:
        await _scaling(args.postgres, args, result)
    result.write()


if __name__ == "__main__":
    asyncio.run(main())
