"""Customer list benchmark: the API against the raw SQL of the same query.

    PYTHONPATH=. python bench/api_list.py [--customers 100000] [--owners 50]
        [--requests 600] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Seeds a fresh database (a new SQLite file; with --postgres also a new
PostgreSQL database, dropped at the end) with customers spread over reps in
two regions, starts a real server (uvicorn subprocess), signs in as the
manager of one region and times `GET /api/v1/customers?scope=team&limit=50`
one request at a time; beside it, in the same run and on the same database,
the raw SQL of that list query. Prints p50/p99 of both, the ratio
(goal: API p99 ≤ 3 × raw p99) and the requests per second with 8 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.timing import (  # noqa: E402
    Result,
    fresh_postgres,
    login,
    quantiles,
    server_on,
    time_postgres,
    time_sqlite,
)

PASSWORD = "bench-password-1"
NOTES = ("A manager's `scope=team` page of 50 through a real server (uvicorn, one process), one request at a "
         "time over HTTP with httpx, against the same SQL statement run in-process by the plain driver. "
         "`/me` is the fixed cost of any signed-in request (HTTP both ways plus the session check).")
WARMUP = 50
CLIENTS = 8


async def _seed(database_url: str, customers: int, owners: int) -> tuple[list[int], str]:
    """People through the actions, customers by bulk SQL. (manager's team ids, manager login)"""
    from tortoise import connections

    from server.actions.users import create_department, create_user
    from server.db import close_database, dialect, open_database
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
        now = dt.datetime.now(dt.timezone.utc)
        rows = []
        for i in range(customers):
            owner = reps[i % len(reps)][0]
            stamp = now - dt.timedelta(seconds=customers - i)
            rows.append([stamp, stamp, 1, None, f"测试{i}号贸易有限公司", f"测试{i}号贸易", f"021-6{i % 1000:03d} {i % 10000:04d}",
                         f"+86216{i % 1000:03d}{i % 10000:04d}", f"上海市浦东新区张江路{i % 999 + 1}号",
                         31.2 + (i % 100) / 1000, 121.5 + (i % 77) / 1000, "贸易", "展会", "B", "[]", False, False, owner, owner])
        postgres = dialect() == "postgres"
        marks = ", ".join(f"${n}" for n in range(1, 20)) if postgres else ", ".join("?" * 19)
        sql = ("INSERT INTO customers (created_at, updated_at, version, deleted_at, name, name_key, phone, phone_key, "
               "address, lat, lng, industry, source, level, tags, in_pool, imported, created_by_id, owner_id) "
               f"VALUES ({marks})")
        if not postgres:
            rows = [[r[0].isoformat(sep=" "), r[1].isoformat(sep=" "), *r[2:]] for r in rows]
        connection = connections.get("default")
        for start in range(0, len(rows), 5000):
            await connection.execute_many(sql, rows[start : start + 5000])
        if postgres:
            await connection.execute_script("ANALYZE")
        team_ids = sorted(uid for uid, east in reps if east)
        return team_ids, "manager"
    finally:
        await close_database()


def _time_path(client: httpx.Client, path: str, requests: int) -> list[float]:
    for _ in range(WARMUP):
        client.get(path).raise_for_status()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text[:300]
    return samples


def _time_api(url: str, token: str, requests: int) -> tuple[list[float], list[float], float]:
    """(list samples, /me samples: the same sign-in check with no list behind it, requests/s)."""
    headers = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/customers?scope=team&limit=50"
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        assert len(client.get(path).json()["items"]) == 50
        samples = _time_path(client, path, requests)
        floor = _time_path(client, "/api/v1/me", requests)
    done = 0
    lock = threading.Lock()

    def worker(count: int) -> None:
        nonlocal done
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            for _ in range(count):
                client.get(path).raise_for_status()
                with lock:
                    done += 1

    per_client = max(requests // CLIENTS, 20)
    threads = [threading.Thread(target=worker, args=(per_client,)) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, floor, done / (time.perf_counter() - start)


def _raw_sql(team: list[int], dialect: str) -> str:
    """The statement the server runs for scope=team (server.queries.customer_page): the page
    plus one row, to know whether more follow, with `shared_with` from a subquery."""
    from server.queries.customer_page import COLUMNS, SHARES

    ids = ", ".join(str(i) for i in team)
    return (f"SELECT {COLUMNS}, {SHARES[dialect]} AS shared_with FROM customers "
            f"WHERE deleted_at IS NULL AND owner_id IN ({ids}) ORDER BY id DESC LIMIT 51")


def _time_raw_sqlite(path: str, team: list[int], requests: int) -> list[float]:
    return time_sqlite(path, _raw_sql(team, "sqlite"), [], requests, 51, WARMUP)


async def _time_raw_postgres(url: str, team: list[int], requests: int) -> list[float]:
    return await time_postgres(url, _raw_sql(team, "postgres"), [], requests, 51, WARMUP)


async def _run(label: str, database_url: str, args: argparse.Namespace, raw: callable,  # type: ignore[valid-type]
               result: Result) -> None:
    started = time.perf_counter()
    team, manager = await _seed(database_url, args.customers, args.owners)
    seeded = time.perf_counter() - started
    async with server_on(database_url) as server:
        token = await login(server.url, manager, PASSWORD)
        samples, floor, rps = await asyncio.to_thread(_time_api, server.url, token, args.requests)
    raw_samples = await raw(team, args.requests)
    api50, api99 = quantiles(samples)
    raw50, raw99 = quantiles(raw_samples)
    me50, me99 = quantiles(floor)
    result.add("\n".join([
        f"\n## {label}: {args.customers} customers, {args.owners} owners, manager's team {len(team)} owners "
        f"(seeded in {seeded:.1f} s)", "",
        "| | p50 ms | p99 ms |", "|---|---|---|",
        f"| API GET /api/v1/customers?scope=team&limit=50 | {api50 * 1000:.2f} | {api99 * 1000:.2f} |",
        f"| raw SQL of the same statement, same database | {raw50 * 1000:.2f} | {raw99 * 1000:.2f} |",
        f"| API GET /api/v1/me (sign-in check and HTTP alone) | {me50 * 1000:.2f} | {me99 * 1000:.2f} |", "",
        f"ratio p99 API/raw: {api99 / raw99:.1f}× (goal ≤ 3×); p50: {api50 / raw50:.1f}×; "
        f"p50 beyond the sign-in-and-HTTP floor: {(api50 - me50) / raw50:.1f}× raw", "",
        f"throughput: {rps:.0f} requests/s with {CLIENTS} clients",
    ]), {f"{label} API list": samples, f"{label} raw SQL": raw_samples, f"{label} /me": floor},
        f"{label} p99 {api99 / raw99:.1f}× raw SQL")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is created there")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="fieldline-bench-")) / "bench.db"
    result = Result("api_list", "Customer list: the API against raw SQL", NOTES)
    await _run("SQLite", f"sqlite://{path}", args,
               lambda team, n: asyncio.to_thread(_time_raw_sqlite, str(path), team, n), result)
    if args.postgres:
        async with fresh_postgres(args.postgres, "fieldline_bench") as url:
            await _run("PostgreSQL", url, args, lambda team, n: _time_raw_postgres(url, team, n), result)
    result.write()


if __name__ == "__main__":
    asyncio.run(main())
