"""Server bootstrap writes: the shared token key."""

from __future__ import annotations

import secrets

from tortoise.exceptions import IntegrityError

from server.models.identity import ServerSecret
from server.transaction import atomic

TOKEN_KEY_NAME = "token_key"


async def ensure_token_key(configured: str | None) -> str:
    """The configured key, or the one stored on first start (shared by all workers)."""
    if configured:
        return configured
    existing = await ServerSecret.get_or_none(name=TOKEN_KEY_NAME)
    if existing is not None:
        return existing.value
    try:
        async with atomic():
            await ServerSecret.create(name=TOKEN_KEY_NAME, value=secrets.token_urlsafe(48))
    except IntegrityError:
        pass  # another worker stored it first
    return (await ServerSecret.get(name=TOKEN_KEY_NAME)).value
