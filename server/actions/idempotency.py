"""Offline-safe creates: the first answer to an `Idempotency-Key` is kept 24 h.

The key is stored in the same transaction as the create it guards, so either
both exist or neither does. A second request with the same key waits on the
unique index (PostgreSQL) or the write lock (SQLite) and then gets the first
answer instead of creating again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from tortoise.exceptions import IntegrityError

from server.clock import utcnow
from server.errors import AppError, ErrorCode
from server.models.events import IdempotencyRecord
from server.transaction import atomic

KEY_TTL = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 128

Produce = Callable[[], Awaitable[tuple[int, bytes]]]


class _KeyTaken(Exception):
    pass


async def _stored(user_id: int, key: str, request_hash: str) -> tuple[int, bytes] | None:
    record = await IdempotencyRecord.get_or_none(user_id=user_id, key=key)
    if record is None or record.created_at < utcnow() - KEY_TTL or not record.status:
        return None
    if record.request_hash != request_hash:
        raise AppError(
            ErrorCode.CONFLICT,
            "This Idempotency-Key was already used for a different request; use a new key.",
        )
    return record.status, record.body.encode()


async def replay_or_run(user_id: int, key: str, request_hash: str, produce: Produce) -> tuple[int, bytes]:
    """The stored answer for (user, key), or run `produce` and store its answer."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise AppError(ErrorCode.MALFORMED, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.")
    stored = await _stored(user_id, key, request_hash)
    if stored is not None:
        return stored
    try:
        async with atomic():
            await IdempotencyRecord.filter(
                user_id=user_id, key=key, created_at__lt=utcnow() - KEY_TTL
            ).delete()
            try:
                record = await IdempotencyRecord.create(
                    user_id=user_id, key=key, request_hash=request_hash
                )
            except IntegrityError:
                raise _KeyTaken() from None
            status, body = await produce()
            record.status, record.body = status, body.decode()
            await record.save(update_fields=["status", "body"])
            return status, body
    except _KeyTaken:
        stored = await _stored(user_id, key, request_hash)
        if stored is None:
            raise AppError(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still running.") from None
        return stored


async def expire_keys() -> int:
    """Housekeeping: forget keys older than 24 h."""
    async with atomic():
        return await IdempotencyRecord.filter(created_at__lt=utcnow() - KEY_TTL).delete()
