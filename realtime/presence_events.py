"""Telling people who share a conversation when a colleague comes and goes."""

from __future__ import annotations

import logging

from realtime import wire
from realtime.hub import Hub
from server import presence
from server.actions.presence import record_disconnect
from server.clock import utcnow
from server.events import EventType
from server.queries.chat import contacts_of

log = logging.getLogger(__name__)


async def socket_opened(hub: Hub, user_id: int) -> None:
    tracker = presence.current()
    if tracker is None:
        return
    was_online = user_id in await tracker.online_among([user_id])
    await tracker.add(user_id)
    if not was_online:
        await _announce(hub, user_id, {"user_id": user_id, "online": True, "last_seen": None})


async def socket_closed(hub: Hub, user_id: int) -> None:
    """After the user's last socket anywhere: store the time and tell their contacts."""
    tracker = presence.current()
    if tracker is None:
        return
    try:
        await tracker.remove(user_id)
        if user_id in await tracker.online_among([user_id]):
            return
        now = utcnow()
        await record_disconnect(user_id, now)
        await _announce(hub, user_id, {"user_id": user_id, "online": False, "last_seen": now.isoformat()})
    except Exception:  # presence is best effort; the socket is closing anyway
        log.warning("could not record that user %s went offline", user_id, exc_info=True)


async def _announce(hub: Hub, user_id: int, data: dict) -> None:
    contacts = await contacts_of(user_id)
    if contacts:
        frame = wire.ephemeral_frame(EventType.PRESENCE.value, utcnow().isoformat(), data)
        await hub.send_ephemeral(contacts, frame)
