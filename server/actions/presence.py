"""Remembering when a user was last connected (for email fallbacks)."""

from __future__ import annotations

import datetime as dt

from server.models.chat import Presence
from server.transaction import atomic


async def record_disconnect(user_id: int, at: dt.datetime) -> None:
    """Store the time the user's last live socket closed."""
    async with atomic():
        updated = await Presence.filter(user_id=user_id).update(last_disconnect_at=at)
        if not updated:
            await Presence.create(user_id=user_id, last_disconnect_at=at)
