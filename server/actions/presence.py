"""Coming and going: who is told when a colleague's first socket opens or last one
closes, and when they were last connected (for email fallbacks).

The socket layer reports a socket opening or closing and sends what comes back;
who may receive a `presence` event (everyone who shares a conversation with the
user) is decided here.
"""

from __future__ import annotations

import datetime as dt
import logging

from server import presence
from server.clock import utcnow
from server.events import Ephemeral, EventType, PresencePayload
from server.models.chat import Presence
from server.queries.chat import contacts_of
from server.transaction import atomic

log = logging.getLogger(__name__)


async def record_disconnect(user_id: int, at: dt.datetime) -> None:
    """Store the time the user's last live socket closed."""
    async with atomic():
        updated = await Presence.filter(user_id=user_id).update(last_disconnect_at=at)
        if not updated:
            await Presence.create(user_id=user_id, last_disconnect_at=at)


async def socket_opened(user_id: int) -> Ephemeral | None:
    """Count the socket; the `presence` event to send when it is the user's first anywhere."""
    tracker = presence.current()
    if tracker is None:
        return None
    was_online = user_id in await tracker.online_among([user_id])
    await tracker.add(user_id)
    if was_online:
        return None
    return await _announce(user_id, {"user_id": user_id, "online": True, "last_seen": None})


async def socket_closed(user_id: int) -> Ephemeral | None:
    """After the user's last socket anywhere: store the time; the event that tells their contacts."""
    tracker = presence.current()
    if tracker is None:
        return None
    try:
        await tracker.remove(user_id)
        if user_id in await tracker.online_among([user_id]):
            return None
        now = utcnow()
        await record_disconnect(user_id, now)
        return await _announce(user_id, {"user_id": user_id, "online": False, "last_seen": now.isoformat()})
    except Exception:  # presence is best effort; the socket is closing anyway
        log.warning("could not record that user %s went offline", user_id, exc_info=True)
        return None


async def _announce(user_id: int, data: PresencePayload) -> Ephemeral | None:
    contacts = await contacts_of(user_id)
    return Ephemeral(EventType.PRESENCE, contacts, data) if contacts else None
