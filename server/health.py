"""What `GET /readyz` checks: each check answers None when fine, or what is wrong."""

from __future__ import annotations

import asyncio
import pkgutil
from typing import Any

from tortoise import connections

import server.migrations
from server.models.cards import Card, CardStatus
from server.models.notifications import EmailOutbox
from server.models.push import PushOutbox

CHECK_TIMEOUT_S = 3.0


async def _database() -> None:
    await connections.get("default").execute_query("SELECT 1")


def _migration_files() -> set[str]:
    return {info.name for info in pkgutil.iter_modules(server.migrations.__path__)}


async def _migrations() -> str | None:
    _, rows = await connections.get("default").execute_query("SELECT name FROM tortoise_migrations")
    missing = sorted(_migration_files() - {row["name"] for row in rows})
    return f"not applied: {', '.join(missing)} (run fieldline migrate)" if missing else None


async def _redis(url: str) -> None:
    import redis.asyncio as redis

    client: Any = redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_S, socket_timeout=CHECK_TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _answer(check: Any) -> str | None:
    try:
        return await asyncio.wait_for(check, CHECK_TIMEOUT_S)
    except Exception as error:  # what is down, in a few words
        return f"{type(error).__name__}: {error}"[:200] or type(error).__name__


async def readiness(redis_url: str | None, ocr_problem: str | None) -> dict[str, str]:
    """`{"database": "…", …}` naming each part that is down; empty when all answer."""
    checks: dict[str, Any] = {"database": _database(), "migrations": _migrations()}
    if redis_url:
        checks["redis"] = _redis(redis_url)
    answers = await asyncio.gather(*(_answer(check) for check in checks.values()))
    down = {name: answer for name, answer in zip(checks, answers) if answer}
    if "database" in down:
        down.pop("migrations", None)  # unknowable without the database
    if ocr_problem:
        down["ocr"] = ocr_problem
    return down


async def depths() -> dict[str, int]:
    """Work waiting: emails and pushes not yet sent, cards not yet read."""
    return {
        "email_outbox": await EmailOutbox.filter(sent_at=None).count(),
        "push_outbox": await PushOutbox.filter(state="queued").count(),
        "card_queue": await Card.filter(status=CardStatus.PENDING).count(),
    }
