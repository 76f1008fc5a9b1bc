"""Pushes per second one server process sends (docs/push.md).

Queues N Web Push rows on a fresh SQLite database (or a fresh database, dropped
afterwards, on the PostgreSQL server of FIELDLINE_BENCH_POSTGRES_URL)
and times `deliver_due_pushes` — claim, encrypt (aes128gcm), sign (VAPID ES256),
POST, mark sent — against a push service in another process that answers 201
at once, so the number is this process's own cost.

    .venv/bin/python bench/push_rate.py --count 2000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVICE = """
import asyncio, sys
from aiohttp import web
async def push(request):
    await request.read()
    return web.Response(status=201)
app = web.Application()
app.router.add_post("/push/{name}", push)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def subscription_keys() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    encode = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    return encode(point), encode(os.urandom(16))


async def run(count: int, devices: int, url: str, port: int) -> float:
    from notifications import push
    from notifications.push_gateway import Gateway
    from server.clock import utcnow
    from server.db import close_database, open_database
    from server.models.identity import Session, User
    from server.models.push import PushOutbox, PushSubscription
    from server import runtime
    from server.settings import load_settings
    from server.vapid import new_private_key
    from tests.support.databases import prepare_schema

    await prepare_schema(url)
    settings = load_settings({"DATABASE_URL": url, "FIELDLINE_PUSH_ALLOW_HTTP": "true"})
    runtime.enter(runtime.Runtime(settings))
    await open_database(url)
    gateway = Gateway.from_settings(settings, new_private_key())
    try:
        user = await User.create(login="bench", name="Bench", role="rep", password_hash="x")
        session = await Session.create(user=user, refresh_hash="bench", expires_at=utcnow())
        subs = []
        for i in range(devices):
            p256dh, auth = subscription_keys()
            subs.append(await PushSubscription.create(
                user=user, session=session, kind="webpush", address_hash=f"{i:064d}",
                endpoint=f"http://127.0.0.1:{port}/push/{i}", p256dh=p256dh, auth=auth))
        payload = {"title": "提醒: 回访上海瑞丽服装", "body": "明天 10:00 拜访，带上报价单", "url": "/app/task/7",
                   "kind": "reminder", "tag": "notification-1"}
        await PushOutbox.bulk_create([
            PushOutbox(subscription_id=subs[i % devices].id, user_id=user.id, session_id=session.id, seq=i,
                       kind="reminder", payload=payload, next_attempt_at=utcnow()) for i in range(count)])
        started = time.perf_counter()
        sent = await push.deliver_due_pushes(gateway)
        elapsed = time.perf_counter() - started
        assert sent == count, (sent, count)
        return count / elapsed
    finally:
        await gateway.close()
        await close_database()


async def on_fresh_postgres(base_url: str, count: int, devices: int, port: int) -> tuple[str, float]:
    """The run on a database of its own, so an earlier run's rows never meet this one's."""
    from bench.timing import fresh_postgres

    async with fresh_postgres(base_url, "fieldline_bench_push") as url:
        return url, await run(count, devices, url, port)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--devices", type=int, default=200)
    args = parser.parse_args()
    port = 20000 + os.getpid() % 20000
    service = subprocess.Popen([sys.executable, "-c", SERVICE, str(port)])
    try:
        time.sleep(1.5)
        postgres = os.environ.get("FIELDLINE_BENCH_POSTGRES_URL")
        if postgres:
            url, rate = asyncio.run(on_fresh_postgres(postgres, args.count, args.devices, port))
        else:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite://{folder}/bench.db"
                rate = asyncio.run(run(args.count, args.devices, url, port))
        print(f"{args.count} pushes: {rate:.0f} pushes/s from one process ({url.split(':')[0]})")
    finally:
        service.terminate()
        service.wait()


if __name__ == "__main__":
    main()
