"""Customer list benchmark: the API against the raw SQL of the same query.

    PYTHONPATH=. python bench/api_list.py [--customers 100000] [--owners 50]
        [--requests 600] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
        [--scaling 10000,100000,1000000]

Seeds a fresh database (a new SQLite file; with --postgres also a new
PostgreSQL database, dropped at the end) with customers spread over reps in
two regions, starts a real server (`fieldline serve`, one process), signs in
as the manager of one region and times `GET /api/v1/customers?scope=team&limit=50`
one request at a time; beside it, in the same run and on the same database,
the raw SQL of that list query. Prints p50/p99 of both, the ratio
(goal: API p99 ≤ 3 × raw p99) and the requests per second with 8 clients.
With --scaling (PostgreSQL) the same page is timed on one database per size,
requests to each in turn, with the plan PostgreSQL chose (EXPLAIN ANALYZE) at
each (goal: p99 at the largest within 1.5× of the smallest).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

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
    postgres_statement,
    quantiles,
    requests_per_second,
    server_on,
    served_statement,
    sqlite_statement,
    time_get,
    time_round_robin,
    time_side_by_side,
    without_core_waits,
)

PASSWORD = "bench-password-1"
NOTES = ("A manager's `scope=team` page of 50 through a real server (`fieldline serve`: uvicorn with uvloop and "
         "httptools, one process), one request at a time over a keep-alive HTTP/1.1 connection, against the same "
         "SQL statement run in-process by the plain driver. The client writes the request bytes and reads the "
         "answer (bench/timing.py `KeepAlive`), so the figure is the server's and the loopback's; the same page "
         "through httpx is shown beside it. `/me` is the fixed cost of any signed-in request (HTTP both ways "
         "plus the session check). Throughput: 8 keep-alive connections, each sending its next request when "
         "the last is answered, for 5 s." " A second view, beside the figures over every sample: the samples in which the server's main thread and "
         "the client waited less than 100 µs for a core (/proc schedstat), since on two shared cores a request "
         "crosses two process wake-ups and the in-process raw statement none."
         " On SQLite the same statement is also served by a process of its own (bench/raw_server.py: the "
         "statement, its rows as JSON, the same loopback trip and wake-ups), right after each raw execution.")
WARMUP = 50
CLIENTS = 8
THROUGHPUT_S = 5.0
PATH = "/api/v1/customers?scope=team&limit=50"
COLUMNS = ["created_at", "updated_at", "version", "deleted_at", "name", "name_key", "phone", "phone_key",
           "address", "lat", "lng", "industry", "source", "level", "tags", "in_pool", "imported", "created_by_id",
           "owner_id"]
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


async def _people(database_url: str, owners: int) -> list[tuple[int, bool]]:
    """Departments, the manager and the reps through the actions: [(rep id, in the manager's region)]."""
    from server.actions.users import create_department, create_user
    from server.db import close_database, open_database
    from server.migrate import apply_migrations
    from server.security import hash_password_sync

    await apply_migrations(database_url)
    await open_database(database_url)
    try:
        hashed = hash_password_sync(PASSWORD)
        hq = await create_department(None, "总部", None)
        regions = [await create_department(None, name, hq.id) for name in ("华东区", "华南区")]
        teams = [await create_department(None, f"{r.name}{i}组", r.id) for r in regions for i in range(1, 4)]
        await create_user(None, {"login": "manager", "name": "王经理", "role": "manager", "department_id": regions[0].id,
                                 "managed_department_ids": [regions[0].id]}, password_hash=hashed)
        reps = []
        for i in range(owners):
            team = teams[i % len(teams)]
            user = await create_user(None, {"login": f"rep{i}", "name": f"销售{i}", "role": "rep",
                                            "department_id": team.id}, password_hash=hashed)
            reps.append((user.id, team.parent_id == regions[0].id))
        return reps
    finally:
        await close_database()


def _rows(reps: list[tuple[int, bool]], first: int, last: int, postgres: bool) -> list[list[object]]:
    """Customers number `first` to `last - 1`, each a second newer than the one before."""
    rows: list[list[object]] = []
    for i in range(first, last):
        owner = reps[i % len(reps)][0]
        stamp = START + dt.timedelta(seconds=i)
        rows.append([stamp if postgres else stamp.isoformat(sep=" "), stamp if postgres else stamp.isoformat(sep=" "),
                     1, None, f"测试{i}号贸易有限公司", f"测试{i}号贸易", f"021-6{i % 1000:03d} {i % 10000:04d}",
                     f"+86216{i % 1000:03d}{i % 10000:04d}", f"上海市浦东新区张江路{i % 999 + 1}号",
                     31.2 + (i % 100) / 1000, 121.5 + (i % 77) / 1000, "贸易", "展会", "B", "[]", False, False, owner,
                     owner])
    return rows


async def _add_customers(database_url: str, reps: list[tuple[int, bool]], first: int, last: int) -> None:
    """Customers by bulk insert: COPY on PostgreSQL (then ANALYZE), the plain driver on SQLite."""
    chunk = 100_000
    for start in range(first, last, chunk):
        end = min(start + chunk, last)
        if database_url.startswith("sqlite://"):
            connection = sqlite3.connect(database_url[len("sqlite://"):])
            with connection:
                connection.executemany(f"INSERT INTO customers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 19)})",
                                       _rows(reps, start, end, False))
            connection.close()
        else:
            await copy_rows(database_url, "customers", COLUMNS, _rows(reps, start, end, True))
    if database_url.startswith("sqlite://"):
        connection = sqlite3.connect(database_url[len("sqlite://"):])
        connection.execute("ANALYZE")
        connection.close()
    else:
        from bench.timing import postgres_connect

        connection = await postgres_connect(database_url)
        try:
            await connection.execute("VACUUM ANALYZE customers")
        finally:
            await connection.close()


async def _seed(database_url: str, customers: int, owners: int) -> tuple[list[tuple[int, bool]], list[int]]:
    """(reps, the manager's team ids)"""
    reps = await _people(database_url, owners)
    await _add_customers(database_url, reps, 0, customers)
    return reps, sorted(uid for uid, east in reps if east)


def _page_of(items: int, body: bytes) -> None:
    import orjson

    assert len(orjson.loads(body)["items"]) == items, body[:300]


def _one_page(body: bytes) -> None:
    _page_of(50, body)


def _time_httpx(url: str, headers: dict[str, str], requests: int) -> list[float]:
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for _ in range(WARMUP):
            client.get(PATH).raise_for_status()
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(PATH)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text[:300]
        return samples


def _raw_sql(team: list[int], dialect: str) -> str:
    """The statement the server runs for scope=team (server.queries.customer_page): the page
    plus one row, to know whether more follow, with `shared_with` from a subquery."""
    from server.queries.customer_page import COLUMNS as SELECTED, SHARES

    ids = ", ".join(str(i) for i in team)
    return (f"SELECT {SELECTED[dialect]}, {SHARES[dialect]} AS shared_with FROM customers "
            f"WHERE deleted_at IS NULL AND owner_id IN ({ids}) ORDER BY id DESC LIMIT 51")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _served_rows(api: list[float], served: list[float]) -> list[str]:
    """The raw statement served by a process of its own, timed right after each raw execution."""
    if not served:
        return []
    served50, served99 = quantiles(served)
    return [f"| raw SQL served by a process of its own over the same loopback (bench/raw_server.py: the statement, "
            f"its rows as JSON, two processes' wake-ups), right after each raw execution | {_ms(served50)} | "
            f"{_ms(served99)} |"]


def _served_ratio(api: list[float], served: list[float]) -> list[str]:
    if not served:
        return []
    api50, api99 = quantiles(api)
    served50, served99 = quantiles(served)
    return ["", f"ratio to the served raw statement: p99 {api99 / served99:.1f}×, p50 {api50 / served50:.1f}× "
            "(the API's figure over every request against a baseline that pays the same trip and wake-ups)"]


async def _run(label: str, database_url: str, args: argparse.Namespace, raw: Any, result: Result) -> None:
    """`raw(team)`: a context giving one raw execution of the page's statement."""
    started = time.perf_counter()
    _, team = await _seed(database_url, args.customers, args.owners)
    seeded = time.perf_counter() - started
    served: list[float] = []
    async with server_on(database_url) as server, raw(team) as once, AsyncExitStack() as stack:
        # on SQLite, the same statement served by a process of its own (bench/raw_server.py)
        by_process = (await stack.enter_async_context(served_statement(database_url[len("sqlite://"):],
                                                                        _raw_sql(team, "sqlite"), 51))
                      if database_url.startswith("sqlite://") else None)
        token = await login(server.url, "manager", PASSWORD)
        headers = {"Authorization": f"Bearer {token}"}
        assert server.process is not None
        waits = CoreWaits(server.process.pid)
        samples, raw_samples = await time_side_by_side(server.url, headers, PATH, once, args.requests, WARMUP,
                                                       _one_page, waits=waits,
                                                       served=(by_process, served) if by_process else None)
        floor = await time_get(server.url, headers, "/api/v1/me", args.requests, WARMUP)
        through_httpx = await asyncio.to_thread(_time_httpx, server.url, headers, args.requests)
        cpu_before = cpu_seconds(server.process.pid)
        rps = await requests_per_second(server.url, headers, PATH, CLIENTS, THROUGHPUT_S)
        # the 20 warm-up requests per client are in the CPU too: a slight overestimate per request
        per_cpu_s = (rps * THROUGHPUT_S + 20 * CLIENTS) / (cpu_seconds(server.process.pid) - cpu_before)
    api50, api99 = quantiles(samples)
    raw50, raw99 = quantiles(raw_samples)
    me50, me99 = quantiles(floor)
    hx50, hx99 = quantiles(through_httpx)
    result.add("\n".join([
        f"\n## {label}: {args.customers} customers, {args.owners} owners, manager's team {len(team)} owners "
        f"(seeded in {seeded:.1f} s)", "",
        "| | p50 ms | p99 ms |", "|---|---|---|",
        f"| API GET {PATH} | {_ms(api50)} | {_ms(api99)} |",
        f"| raw SQL of the same statement, same database, run right after each request | {_ms(raw50)} | {_ms(raw99)} |",
        f"| API GET /api/v1/me (sign-in check and HTTP alone) | {_ms(me50)} | {_ms(me99)} |",
        f"| the list page through httpx (its client cost included) | {_ms(hx50)} | {_ms(hx99)} |",
        *_served_rows(samples, served), *without_core_waits(samples, raw_samples, waits),
        *_served_ratio(samples, served), "",
        f"ratio p99 API/raw: {api99 / raw99:.1f}× (goal ≤ 3×); p50: {api50 / raw50:.1f}×; "
        f"p50 beyond the sign-in-and-HTTP floor: {(api50 - me50) / raw50:.1f}× raw", "",
        f"throughput: {rps:.0f} requests/s with {CLIENTS} clients (goal ≥ 1,000); the server answered "
        f"{per_cpu_s:.0f} per CPU-second it used, what one process makes of a core of its own",
    ]), {f"{label} API list": samples, f"{label} raw SQL": raw_samples, f"{label} /me": floor},
        f"{label} p99 {api99 / raw99:.1f}× raw SQL, {rps:.0f} req/s, {per_cpu_s:.0f} per server CPU-s")


async def _scaling(base_url: str, args: argparse.Namespace, result: Result) -> None:
    """The page on one database per size (PostgreSQL), one server each, timed in turn
    (a request to each, each followed by its raw statement) so that every size sees the
    same moments of the machine's load; beside it a rep's own customers (`scope=mine`,
    one owner in 50), the sparsest common list."""
    from server.queries.customer_page import COLUMNS as SELECTED, SHARES

    sizes = sorted(int(n) for n in args.scaling.split(","))
    mine_path = "/api/v1/customers?scope=mine&limit=50"
    targets = []
    items: list[int] = []  # how many items each target's page holds
    labels = []
    statements = []
    async with AsyncExitStack() as stack:
        for size in sizes:
            url = await stack.enter_async_context(fresh_postgres(base_url, f"fieldline_bench_{size}"))
            reps = await _people(url, args.owners)
            await _add_customers(url, reps, 0, size)
            team = sorted(uid for uid, east in reps if east)
            mine_sql = (f"SELECT {SELECTED['postgres']}, {SHARES['postgres']} AS shared_with FROM customers "
                        f"WHERE deleted_at IS NULL AND owner_id = {reps[0][0]} ORDER BY id DESC LIMIT 51")
            server = await stack.enter_async_context(server_on(url))
            # a small database can hold fewer than a page's 51 rows for an owner (rep0 owns
            # every 50th customer: fewer than 2,550 customers are less than 51)
            owned = {"team": sum(1 for i in range(size) if reps[i % len(reps)][1]), "mine": len(range(0, size, len(reps)))}
            for label, login_name, path, statement in (("team", "manager", PATH, _raw_sql(team, "postgres")),
                                                       ("mine", "rep0", mine_path, mine_sql)):
                token = await login(server.url, login_name, PASSWORD)
                client = await stack.enter_async_context(KeepAlive(server.url, {"Authorization": f"Bearer {token}"}))
                once = await stack.enter_async_context(postgres_statement(url, statement, [], min(51, owned[label])))
                targets.append((client, path, once))
                items.append(min(50, owned[label]))
                labels.append((size, label))
                statements.append((url, statement))
            print(f"{size:,} customers ready", flush=True)
        for (client, path, _), expected in zip(targets, items):
            # checked now: uvicorn closes a connection kept idle for 5 s after an answer
            _page_of(expected, (await client.get(path))[1])
        timings = await time_round_robin(targets, args.requests, WARMUP)
        plans = [plan_summary(await explain_postgres(url, statement, [])) for url, statement in statements]
    lines = ["| customers | page | API p50 ms | API p99 ms | raw p50 ms | raw p99 ms | plan (EXPLAIN ANALYZE) |",
             "|---|---|---|---|---|---|---|"]
    p99s: dict[str, list[float]] = {"team": [], "mine": []}
    samples: dict[str, list[float]] = {}
    for (size, label), (api, raw), plan in zip(labels, timings, plans):
        api50, api99 = quantiles(api)
        raw50, raw99 = quantiles(raw)
        p99s[label].append(api99)
        samples[f"PostgreSQL {size:,} API list {label}"] = api
        lines.append(f"| {size:,} | {label} | {_ms(api50)} | {_ms(api99)} | {_ms(raw50)} | {_ms(raw99)} | {plan} |")
    spread = max(p99s["team"]) / min(p99s["team"])
    spread_mine = max(p99s["mine"]) / min(p99s["mine"])
    result.add("\n".join([f"\n## PostgreSQL: the list page at each size ({args.owners} owners)", "", *lines, "",
                          f"largest p99 / smallest p99: manager's team {spread:.2f}×, a rep's own "
                          f"{spread_mine:.2f}× (goal ≤ 1.5×)"]), samples,
               f"list p99 across {sizes[0]:,}–{sizes[-1]:,} customers within {spread:.2f}× (team), "
               f"{spread_mine:.2f}× (mine)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is created there")
    parser.add_argument("--scaling", help="sizes for the growth run on PostgreSQL, e.g. 10000,100000,1000000")
    parser.add_argument("--only-scaling", action="store_true", help="the growth run alone")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="fieldline-bench-")) / "bench.db"
    result = Result("api_list", "Customer list: the API against raw SQL", NOTES)
    if not args.only_scaling:
        await _run("SQLite", f"sqlite://{path}", args,
                   lambda team: sqlite_statement(str(path), _raw_sql(team, "sqlite"), [], 51), result)
    if args.postgres and not args.only_scaling:
        async with fresh_postgres(args.postgres, "fieldline_bench") as url:
            await _run("PostgreSQL", url, args,
                       lambda team: postgres_statement(url, _raw_sql(team, "postgres"), [], 51), result)
    if args.postgres and args.scaling:
        await _scaling(args.postgres, args, result)
    result.write()


if __name__ == "__main__":
    asyncio.run(main())
