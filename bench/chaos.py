"""Chaos: two server processes on PostgreSQL + a private Redis, no sticky
routing, clients chatting, posting, checking in and scanning cards while a
process is SIGKILLed and restarted and Redis is restarted. Then the books must balance:

- each user's event log is seq 1..N with no gap or repeat, and what that
  user's sockets received (after a final resume) is exactly 1..N, once each;
- every accepted write is stored exactly once, and retries with the same
  Idempotency-Key / client_id created nothing twice;
- every accepted card photo is read (or marked failed) once, with one
  `card.parsed` event;
- every reminder due during the run fired exactly once.

    FIELDLINE_CHAOS_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/chaos.py [--seconds 60] [--users 6]

Writes bench/out/chaos.json. Without PostgreSQL or redis-server it says so
and exits 0 (writing nothing). `tests/proof/test_chaos.py` runs a short form.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import orjson  # noqa: E402
import websockets  # noqa: E402

from tests.support.live import LiveServer  # noqa: E402
from tests.support.redis_server import PrivateRedis  # noqa: E402

OUT = ROOT / "bench" / "out" / "chaos.json"
PASSWORD = "chaos-password-1"
REQUEST_TIMEOUT_S = 10.0
RETRIES = 30
FINAL_RESUME_TRIES = 3
CARDS_PER_USER = 2  # OCR takes over a CPU-second a card: a few per user keep a 2-core run about the sockets
CARD_CHANCE = 0.05
CARDS_SETTLE_S = 120.0  # every accepted card is read (or failed) within this after the storm


# ------------------------------------------------------------ infrastructure


async def make_database(admin_url: str) -> str:
    from tests.support.databases import create_postgres_database, prepare_schema

    url = await create_postgres_database(admin_url, f"fieldline_chaos_{uuid.uuid4().hex[:10]}")
    await prepare_schema(url)
    return url


async def drop_database(admin_url: str, url: str) -> None:
    from tests.support.databases import drop_postgres_database

    await drop_postgres_database(admin_url, url.rsplit("/", 1)[1])


async def seed_people(url: str, count: int) -> list[str]:
    """A department with a manager and `count` reps (straight through the actions)."""
    from server.actions.users import create_department, create_user
    from server.db import close_database, open_database
    from server.security import hash_password_sync

    await open_database(url)
    try:
        password_hash = hash_password_sync(PASSWORD)
        dept = await create_department(None, "Field Team", None)
        logins = []
        for i in range(count):
            login = f"chaos_rep{i}"
            await create_user(None, {"login": login, "name": f"Chaos Rep {i}", "role": "rep", "department_id": dept.id,
                                     "managed_department_ids": []}, password_hash=password_hash)
            logins.append(login)
        return logins
    finally:
        await close_database()


async def schedule_reminders(url: str, user_ids: list[int], fire_times: list[dt.datetime]) -> None:
    from server.actions.reminders import schedule_reminder
    from server.db import close_database, open_database

    await open_database(url)
    try:
        for i, when in enumerate(fire_times):
            await schedule_reminder(user_ids[i % len(user_ids)], "follow_up", f"Chaos follow-up {i}", when,
                                    dedupe_key=f"chaos-{i}")
    finally:
        await close_database()


# ------------------------------------------------------------ clients


@dataclass
class Books:
    """What the clients did and saw; compared with the database at the end."""

    accepted: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # kind → ids answered
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # kind → client keys accepted
    received: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # user → seqs (all sockets)
    retries: int = 0
    failures: Counter = field(default_factory=Counter)
    reconnects: int = 0
    resyncs: int = 0
    latencies_ms: list[float] = field(default_factory=list)


class Cluster:
    def __init__(self, servers: list[LiveServer]) -> None:
        self.servers = servers

    def pick(self) -> LiveServer:
        alive = [s for s in self.servers if s.process and s.process.poll() is None]
        return random.choice(alive or self.servers)


async def call(cluster: Cluster, books: Books, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response | None:
    """One logical request: retried on any server until it gets an answer (same body, same key)."""
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    for attempt in range(RETRIES):
        server = cluster.pick()
        started = time.perf_counter()
        try:
            async with httpx.AsyncClient(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as client:
                response = await client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError:
            books.retries += 1
            await asyncio.sleep(0.1 * (attempt + 1))
            continue
        if response.status_code >= 500 or response.status_code == 409 and "still running" in response.text:
            books.retries += 1
            await asyncio.sleep(0.1 * (attempt + 1))
            continue
        books.latencies_ms.append((time.perf_counter() - started) * 1000)
        return response
    books.failures[f"{method} {path.split('/')[3]}: no answer after {RETRIES} tries"] += 1
    return None


async def listen(cluster: Cluster, books: Books, user_id: int, token: str, stop: asyncio.Event) -> None:
    """One phone: a socket to a random process, resumed from its last seq whenever it drops."""
    last = 0
    while not stop.is_set():
        server = cluster.pick()
        try:
            async with websockets.connect(f"{server.ws_url}?token={token}&since={last}", open_timeout=5,
                                          close_timeout=1) as socket:
                while not stop.is_set():
                    try:
                        raw = await asyncio.wait_for(socket.recv(), timeout=0.5)
                    except asyncio.TimeoutError:
                        continue
                    frame = orjson.loads(raw)
                    if frame.get("type") == "resync_required":
                        books.resyncs += 1
                    if "seq" in frame and frame["seq"] is not None:
                        books.received[user_id].append(frame["seq"])
                        last = max(last, frame["seq"])
        except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
            pass
        if not stop.is_set():
            books.reconnects += 1
            await asyncio.sleep(0.2)


async def final_resume(cluster: Cluster, books: Books, user_id: int, token: str, settle_s: float) -> None:
    """Catch up from the last seq seen, as a phone would after the storm: a
    socket that drops during the catch-up is resumed again from what arrived."""
    seen = books.received[user_id]
    for _ in range(FINAL_RESUME_TRIES - 1):
        try:
            await _resume_once(cluster, seen, token, settle_s)
            return
        except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
            books.reconnects += 1
            await asyncio.sleep(0.5)
    await _resume_once(cluster, seen, token, settle_s)


async def _resume_once(cluster: Cluster, seen: list[int], token: str, settle_s: float) -> None:
    last = max(seen) if seen else 0
    server = cluster.pick()
    async with websockets.connect(f"{server.ws_url}?token={token}&since={last}", open_timeout=10) as socket:
        deadline = time.monotonic() + settle_s
        while time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=0.5)
            except asyncio.TimeoutError:
                continue
            frame = orjson.loads(raw)
            if frame.get("seq") is not None:
                seen.append(frame["seq"])


@dataclass
class Person:
    login: str
    user_id: int
    token: str


async def work(cluster: Cluster, books: Books, me: Person, people: list[Person], routes: set[str],
               conversation_id: int | None, customer_id: int | None, cards: list[bytes], stop: asyncio.Event) -> None:
    """Chat, post, check in and now and then scan a card, in a random mix;
    every write carries its own retry key."""
    cards = list(cards)
    actions = []
    if conversation_id is not None:
        actions.append("message")
    if "POST /api/v1/posts" in routes:
        actions.append("post")
    if customer_id is not None and "POST /api/v1/checkins" in routes:
        actions.append("checkin")
    while not stop.is_set() and actions:
        action = random.choice(actions)
        if cards and "POST /api/v1/cards" in routes and random.random() < CARD_CHANCE:
            action = "card"
        key = f"{me.login}-{uuid.uuid4().hex[:12]}"
        if action == "card":
            response = await call(cluster, books, "POST", "/api/v1/cards", me.token, headers={"Idempotency-Key": key},
                                  files={"image": ("card.jpg", cards.pop(), "image/jpeg")})
        elif action == "message":
            response = await call(cluster, books, "POST", f"/api/v1/conversations/{conversation_id}/messages", me.token,
                                  json={"client_id": key, "body": f"chaos {key}"})
        elif action == "post":
            response = await call(cluster, books, "POST", "/api/v1/posts", me.token, headers={"Idempotency-Key": key},
                                  json={"body": f"chaos {key}"})
        else:
            response = await call(cluster, books, "POST", "/api/v1/checkins", me.token, headers={"Idempotency-Key": key},
                                  json={"customer_id": customer_id, "lat": 31.23, "lng": 121.47, "accuracy_m": 15,
                                        "captured_at": dt.datetime.now(dt.timezone.utc).isoformat(), "note": f"chaos {key}"})
        if response is not None and response.status_code in (200, 201, 202):
            books.accepted[action].add(response.json()["id"])
            books.keys[action].add(key)
        elif response is not None:
            books.failures[f"{action}: {response.status_code} {response.text[:120]}"] += 1
        await asyncio.sleep(random.uniform(0.02, 0.15))


# ------------------------------------------------------------ checking


async def audit(url: str, books: Books, people: list[Person], reminder_count: int) -> dict[str, Any]:
    from tortoise import connections

    from server.db import close_database, open_database

    await open_database(url)
    problems: list[str] = []
    figures: dict[str, Any] = {}
    try:
        db = connections.get("default")
        total_events = 0
        for person in people:
            rows = await db.execute_query_dict("SELECT seq FROM event_log WHERE user_id = $1 ORDER BY seq", [person.user_id])
            seqs = [r["seq"] for r in rows]
            total_events += len(seqs)
            if seqs != list(range(1, len(seqs) + 1)):
                problems.append(f"{person.login}: event_log seqs are not 1..{len(seqs)}")
            got = Counter(books.received[person.user_id])
            missing = sorted(set(seqs) - set(got))
            twice = sorted(s for s, n in got.items() if n > 1)
            if missing:
                order = books.received[person.user_id]
                at = next((i for i, s in enumerate(order) if s > missing[0]), len(order))
                problems.append(f"{person.login}: sockets never received seqs {missing[:10]} (of {len(missing)}); "
                                f"received in order ...{order[max(0, at - 4):at + 4]}...")
            if twice:
                problems.append(f"{person.login}: sockets received seqs more than once: {twice[:10]}")
        figures["events_logged"] = total_events
        for kind, table, column in (("message", "messages", "client_id"), ("post", "feed_items", "body"),
                                    ("checkin", "checkins", "note")):
            keys = books.keys.get(kind, set())
            if not keys:
                continue
            try:
                rows = await db.execute_query_dict(f"SELECT id, {column} AS k FROM {table}")
            except Exception as error:  # a table named differently: report, do not guess
                problems.append(f"{kind}: cannot read {table}.{column}: {error}")
                continue
            stored = Counter()
            for row in rows:
                text = row["k"] or ""
                key = text.removeprefix("chaos ")
                if key in keys:
                    stored[key] += 1
            lost = [k for k in keys if stored[k] == 0]
            doubled = [k for k, n in stored.items() if n > 1]
            figures[f"{kind}s_accepted"] = len(keys)
            if lost:
                problems.append(f"{kind}: {len(lost)} accepted writes are not stored")
            if doubled:
                problems.append(f"{kind}: {len(doubled)} writes stored more than once")
        card_ids = books.accepted.get("card", set())
        if card_ids:
            rows = await db.execute_query_dict("SELECT id, status FROM cards")
            parsed = Counter(orjson.loads(r["data"]).get("id") for r in
                             await db.execute_query_dict("SELECT e.data FROM event_log AS l JOIN events AS e ON e.id = l.event_id"
                             " WHERE e.type = 'card.parsed'"))
            figures["cards_accepted"] = len(card_ids)
            figures["cards_read"] = sum(1 for r in rows if r["status"] == "done")
            if len(rows) != len(books.keys["card"]) or {r["id"] for r in rows} != card_ids:
                problems.append(f"cards: {len(rows)} stored for {len(books.keys['card'])} accepted uploads")
            if pending := [r["id"] for r in rows if r["status"] == "pending"]:
                problems.append(f"cards still pending {CARDS_SETTLE_S:.0f} s after the run: {pending}")
            if wrong := [r["id"] for r in rows if r["status"] != "pending" and parsed[r["id"]] != 1]:
                problems.append(f"cards without exactly one card.parsed event: {wrong}")
        rows = await db.execute_query_dict(
            "SELECT id, status FROM reminders WHERE dedupe_key LIKE 'chaos-%'")
        fired = [r for r in rows if r["status"] == "fired"]
        events = await db.execute_query_dict("SELECT e.data FROM event_log AS l JOIN events AS e ON e.id = l.event_id WHERE e.type = 'reminder'")
        per_reminder = Counter(orjson.loads(r["data"]).get("reminder_id") for r in events)
        figures["reminders_due"] = reminder_count
        figures["reminders_fired"] = len(fired)
        if len(fired) != reminder_count:
            problems.append(f"reminders: {len(fired)} of {reminder_count} fired")
        repeated = [rid for rid, n in per_reminder.items() if n > 1]
        if repeated:
            problems.append(f"reminders fired more than once: {repeated[:10]}")
        unfired_events = [r["id"] for r in fired if per_reminder[r["id"]] == 0]
        if unfired_events:
            problems.append(f"reminders marked fired without a reminder event: {unfired_events[:10]}")
    finally:
        await close_database()
    return {"problems": problems, "figures": figures}


# ------------------------------------------------------------ the run


async def login(server: LiveServer, login_name: str) -> Person:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        response = await client.post("/api/v1/auth/login", json={"login": login_name, "password": PASSWORD})
        response.raise_for_status()
        body = response.json()
    return Person(login_name, body["user"]["id"], body["access_token"])


def card_photos(count: int) -> list[bytes]:
    """Card photos from the project's synthetic corpus (no real people)."""
    from ocr.corpus import generate_corpus

    return [image for image, _truth in generate_corpus(count, seed=2026)]


async def wait_for_cards(url: str, timeout_s: float) -> None:
    import asyncpg

    deadline = time.monotonic() + timeout_s
    connection = await asyncpg.connect(url)
    try:
        while time.monotonic() < deadline:
            if not await connection.fetchval("SELECT count(*) FROM cards WHERE status = 'pending'"):
                return
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def setup_records(server: LiveServer, people: list[Person], routes: set[str]) -> tuple[int | None, int | None]:
    conversation_id = customer_id = None
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        auth = {"Authorization": f"Bearer {people[0].token}"}
        if "POST /api/v1/conversations" in routes:
            response = await client.post("/api/v1/conversations", headers=auth, json={
                "kind": "group", "title": "Chaos room", "member_ids": [p.user_id for p in people[1:]]})
            conversation_id = response.json()["id"] if response.status_code == 201 else None
        if "POST /api/v1/customers" in routes:
            response = await client.post("/api/v1/customers", headers=auth, json={
                "name": "Chaos Garden Supplies", "lat": 31.23, "lng": 121.47})
            if response.status_code == 201:
                customer_id = response.json()["id"]
                # Shared with everyone, so that they all may check in there.
                await client.post(f"/api/v1/customers/{customer_id}/share", headers=auth,
                                  json={"user_ids": [p.user_id for p in people[1:]]})
    return conversation_id, customer_id


async def run(admin_url: str, seconds: float, users: int, log: Any = print) -> dict[str, Any]:
    redis = PrivateRedis()
    redis.start()
    url = await make_database(admin_url)
    servers: list[LiveServer] = []
    notes: list[str] = []
    try:
        logins = await seed_people(url, users)
        env = {"DATABASE_URL": url, "REDIS_URL": redis.url, "FIELDLINE_SECRET_KEY": "chaos-" + uuid.uuid4().hex,
               "FIELDLINE_REDIS_PREFIX": f"chaos_{uuid.uuid4().hex[:8]}", "FIELDLINE_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
               "FIELDLINE_OUTBOX_DIR": f"/tmp/fieldline-chaos-outbox-{os.getpid()}", "FIELDLINE_OCR_WORKERS": "1",
               "FIELDLINE_UPLOAD_DIR": f"/tmp/fieldline-chaos-uploads-{os.getpid()}"}
        servers = [LiveServer(env), LiveServer(env)]
        for server in servers:
            await server.start()
        cluster = Cluster(servers)
        people = [await login(servers[0], name) for name in logins]
        async with httpx.AsyncClient(base_url=servers[0].url) as client:
            document = (await client.get("/api/v1/openapi.json")).json()
        routes = {f"{m.upper()} {p}" for p, ops in document["paths"].items() for m in ops}
        conversation_id, customer_id = await setup_records(servers[0], people, routes)
        for route, what in (("POST /api/v1/conversations", "chat"), ("POST /api/v1/posts", "posts"),
                            ("POST /api/v1/checkins", "check-ins"), ("POST /api/v1/cards", "card scans")):
            if route not in routes:
                notes.append(f"{what} skipped: {route} is not served")
        cards = card_photos(users * CARDS_PER_USER) if "POST /api/v1/cards" in routes else []
        now = dt.datetime.now(dt.timezone.utc)
        fire_times = [now + dt.timedelta(seconds=seconds * (i + 1) / 13) for i in range(12)]
        await schedule_reminders(url, [p.user_id for p in people], fire_times)

        books, stop = Books(), asyncio.Event()
        listeners = [asyncio.create_task(listen(cluster, books, p.user_id, p.token, stop)) for p in people]
        workers = [asyncio.create_task(work(cluster, books, p, people, routes, conversation_id, customer_id,
                                            cards[i::users], stop)) for i, p in enumerate(people)]
        log(f"chaos: {users} users, {seconds:.0f} s, servers on {[s.port for s in servers]}, redis on {redis.port}")
        await asyncio.sleep(seconds * 0.25)
        log("chaos: SIGKILL server 0")
        servers[0].kill()
        await asyncio.sleep(seconds * 0.15)
        log("chaos: restart server 0")
        await servers[0].start()
        await asyncio.sleep(seconds * 0.2)
        log("chaos: restart redis")
        redis.stop()
        await asyncio.sleep(min(2.0, seconds * 0.05))
        redis.start()
        await asyncio.sleep(seconds * 0.3)
        stop.set()
        await asyncio.gather(*workers, *listeners)
        # Reminders due during the run must all have fired by now (they fire
        # within 5 s); accepted cards are read within CARDS_SETTLE_S.
        await asyncio.sleep(6)
        await wait_for_cards(url, CARDS_SETTLE_S)
        await asyncio.gather(*(final_resume(cluster, books, p.user_id, p.token, settle_s=2.0) for p in people))
        result = await audit(url, books, people, len(fire_times))
        lat = sorted(books.latencies_ms)
        result["figures"].update({
            "users": users, "seconds": seconds, "requests_answered": len(lat), "retries": books.retries,
            "socket_reconnects": books.reconnects, "resync_required": books.resyncs,
            "p50_ms": round(lat[len(lat) // 2], 1) if lat else None,
            "p99_ms": round(lat[int(len(lat) * 0.99)], 1) if lat else None,
        })
        result["unanswered"] = dict(books.failures)
        result["notes"] = "; ".join(notes) or "all workloads ran"
        result["latencies_ms"] = {"writes during chaos": [round(v, 2) for v in books.latencies_ms]}
        return result
    finally:
        for server in servers:
            server.kill()
        redis.stop()
        await drop_database(admin_url, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0 if os.environ.get("FIELDLINE_BENCH_QUICK") else 60.0)
    parser.add_argument("--users", type=int, default=6)
    args = parser.parse_args(argv)
    admin_url = os.environ.get("FIELDLINE_CHAOS_POSTGRES_URL") or os.environ.get("FIELDLINE_TEST_POSTGRES_URL")
    if not admin_url or not shutil.which("redis-server"):
        print("chaos: skipped (set FIELDLINE_CHAOS_POSTGRES_URL and install redis-server)")
        return 0
    result = asyncio.run(run(admin_url, args.seconds, args.users))
    print(json.dumps({k: v for k, v in result.items() if k != "latencies_ms"}, indent=2, ensure_ascii=False))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"title": "Chaos: SIGKILL and Redis restart under load", **result}, ensure_ascii=False))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
