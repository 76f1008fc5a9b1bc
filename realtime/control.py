"""Control signals from actions to live sockets (sessions revoked, membership changed).

The WebSocket hub installs its handler at start; without one (CLI, tests
without sockets) the signals are dropped, which is safe: a socket checks its
session when it connects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

RevokeHandler = Callable[[int, list[int]], Awaitable[None]]
_revoke_handler: RevokeHandler | None = None


def set_revoke_handler(handler: RevokeHandler | None) -> None:
    global _revoke_handler
    _revoke_handler = handler


async def sessions_revoked(user_id: int, session_ids: list[int]) -> None:
    """Close the live sockets of these sessions (code 4403), in every process."""
    if _revoke_handler is not None and session_ids:
        await _revoke_handler(user_id, session_ids)
