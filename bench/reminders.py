"""Reminder firing under load: N reminders due in one minute, fired by P server processes.

    PYTHONPATH=. python bench/reminders.py postgres://postgres@127.0.0.1:5432/postgres \\
        [--count 10000] [--processes 2] [--spread-s 60] [--kill-one]
    PYTHONPATH=. python bench/reminders.py sqlite:///tmp/bench.db --processes 1

With a PostgreSQL URL it creates a fresh database beside the one named (and
drops it afterwards); each process is a real `fieldline serve`. Lateness is
measured from each reminder's `fire_at` to the commit of its `reminder` event
(the event log's `created_at`), so it includes the claim, the notification
and the commit. Prints p50/p99/max lateness, duplicates and missing (both
must be 0), and how many each process fired; writes bench/out/reminders.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import orjson  # noqa: E402

from tests.support.databases import create_postgres_database, drop_postgres_database, prepare_schema  # noqa: E402
from tests.support.live import LiveServer  # noqa: E402

OUT = _HERE / "out" / "reminders.json"
USERS = 200
START_MARGIN_S = 20.0  # servers start and the rows are written before the first is due
GOAL_S = 10.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="postgres://user@host:port/db (a fresh database is made beside it) or sqlite://PATH")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--spread-s", type=float, default=60.0, help="due times spread over this many seconds")
    parser.add_argument("--kill-one", action="store_true", help="SIGKILL one process half-way through")
    parser.add_argument("--seed", type=int, default=20261125)
    return parser.parse_args()


async def open_db(url: str) -> None:
    from server.db import open_database

    await open_database(url)


async def seed(count: int, start: dt.datetime, spread_s: float, rng: random.Random) -> None:
    """Users and reminders, inserted in bulk (the bench measures firing, not scheduling)."""
    from server.models.events import EventCounter
    from server.models.identity import Role, User
    from server.models.reminders import Reminder

    users = [User(login=f"bench{i}", name=f"Bench Rep {i}", role=Role.REP, password_hash="x") for i in range(USERS)]
    await User.bulk_create(users, batch_size=500)
    ids = await User.all().values_list("id", flat=True)
    await EventCounter.bulk_create([EventCounter(user_id=i, last_seq=0) for i in ids])
    rows = []
    for n in range(count):
        fire_at = start + dt.timedelta(seconds=rng.uniform(0, spread_s))
        rows.append(Reminder(user_id=ids[n % len(ids)], kind="task", title=f"Bench reminder {n}",
                             due_at=fire_at, fire_at=fire_at, link_type="task", link_id=n + 1))
    await Reminder.bulk_create(rows, batch_size=1000)


async def fired_count() -> int:
    from server.models.reminders import Reminder

    return await Reminder.filter(status="fired").count()


async def measure(count: int) -> dict:
    from server.models.events import EventLogEntry
    from server.models.reminders import Reminder

    due = dict(await Reminder.all().values_list("id", "fire_at"))
    holders = Counter(await Reminder.filter(status="fired").values_list("claimed_by", flat=True))
    events = await EventLogEntry.filter(event__type="reminder").values_list("event__data", "event__created_at")
    seen: Counter[int] = Counter()
    lateness = []
    for data, created_at in events:
        reminder_id = orjson.loads(data)["reminder_id"]
        seen[reminder_id] += 1
        if seen[reminder_id] == 1:
            lateness.append((created_at - due[reminder_id]).total_seconds())
    lateness.sort()
    pick = lambda q: lateness[min(len(lateness) - 1, int(q * len(lateness)))] if lateness else None  # noqa: E731
    return {
        "reminders": count, "fired_rows": await Reminder.filter(status="fired").count(),
        "duplicates": sum(n - 1 for n in seen.values() if n > 1), "missing": len(set(due) - set(seen)),
        "lateness_s": {"p50": pick(0.50), "p99": pick(0.99), "max": lateness[-1] if lateness else None,
                       "mean": statistics.fmean(lateness) if lateness else None},
        "within_goal": sum(1 for x in lateness if x <= GOAL_S), "per_process": dict(holders),
    }


async def run(args: argparse.Namespace) -> dict:
    from server.db import close_database

    postgres = args.database_url.startswith(("postgres://", "postgresql://"))
    name = f"fieldline_bench_{uuid.uuid4().hex[:8]}"
    url = await create_postgres_database(args.database_url, name) if postgres else args.database_url
    if not postgres and args.processes > 1:
        raise SystemExit("SQLite serves one process; use --processes 1 or a PostgreSQL URL")
    try:
        await prepare_schema(url)
        env = {"DATABASE_URL": url, "FIELDLINE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
               "FIELDLINE_OUTBOX_DIR": tempfile.mkdtemp(prefix="fieldline-bench-outbox-")}
        servers = [LiveServer(env) for _ in range(args.processes)]
        await open_db(url)
        start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=START_MARGIN_S)
        await seed(args.count, start, args.spread_s, random.Random(args.seed))
        await asyncio.gather(*(s.start() for s in servers))
        print(f"{args.count} reminders due from {start:%H:%M:%S} over {args.spread_s:.0f} s; "
              f"{args.processes} process(es) on {'PostgreSQL' if postgres else 'SQLite'}", flush=True)
        try:
            await wait_all(args, servers, start)
        finally:
            for server in servers:
                await server.stop()
        result = await measure(args.count)
        await close_database()
    finally:
        if postgres:
            await drop_postgres_database(args.database_url, name)
    return {**result, "processes": args.processes, "spread_s": args.spread_s, "killed_one": args.kill_one,
            "backend": "postgres" if postgres else "sqlite"}


async def wait_all(args: argparse.Namespace, servers: list[LiveServer], start: dt.datetime) -> None:
    deadline = time.monotonic() + START_MARGIN_S + args.spread_s + 120
    killed = False
    while time.monotonic() < deadline:
        fired = await fired_count()
        if args.kill_one and not killed and fired >= args.count // 2 and len(servers) > 1:
            servers[0].kill()
            killed = True
            print(f"SIGKILLed one process at {fired} fired", flush=True)
        if fired >= args.count:
            return
        await asyncio.sleep(0.5)
    print("gave up waiting; reporting what fired", flush=True)


def main() -> None:
    args = parse_args()
    result = asyncio.run(run(args))
    late = result["lateness_s"]
    print(f"lateness p50 {late['p50']:.3f} s · p99 {late['p99']:.3f} s · max {late['max']:.3f} s")
    print(f"duplicates {result['duplicates']} · missing {result['missing']} · "
          f"within {GOAL_S:.0f} s: {result['within_goal']}/{result['reminders']} · per process {result['per_process']}")
    result["title"] = "Reminders: due work claimed in the database, fired once across processes"
    result["headline"] = (f"{result['reminders']} reminders over {result['processes']} process(es): "
                          f"{result['duplicates']} duplicates, {result['missing']} missing, "
                          f"lateness p99 {late['p99']:.2f} s")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, default=str))
    ok = result["duplicates"] == 0 and result["missing"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(_HERE.parent))
    main()
