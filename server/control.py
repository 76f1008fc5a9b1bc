"""Control signals from actions to every process (sessions revoked, people changed).

The WebSocket hub installs its handler at start, which carries a signal to
every process over the broker; without one (CLI, tests without sockets) only
this process hears it, which is safe: a socket checks its session when it
connects, and remembered callers expire within seconds.

Listeners (`add_revoke_listener`) hear every revocation in their own process
at once and, through the hub, the revocations made in other processes. A
listener gets the revoked session ids, or None when anyone's standing may
have changed (a role, a department, an account switched off) and everything
remembered about signed-in people must be forgotten.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

RevokeHandler = Callable[[int | None, list[int]], Awaitable[None]]
RevokeListener = Callable[[list[int] | None], None]
_revoke_handler: RevokeHandler | None = None
_listeners: list[RevokeListener] = []


def set_revoke_handler(handler: RevokeHandler | None) -> None:
    global _revoke_handler
    _revoke_handler = handler


def add_revoke_listener(listener: RevokeListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def revoked_here(session_ids: list[int] | None) -> None:
    """Tell this process's listeners (the hub calls this for every revoke it receives)."""
    for listener in list(_listeners):
        listener(session_ids)


async def sessions_revoked(user_id: int, session_ids: list[int]) -> None:
    """Refuse these sessions at once here, and close their live sockets (code 4403) in every process."""
    if not session_ids:
        return
    revoked_here(session_ids)
    if _revoke_handler is not None:
        await _revoke_handler(user_id, session_ids)


async def people_changed() -> None:
    """Roles, departments or accounts changed: every process forgets the signed-in
    people it remembers (no socket is closed)."""
    revoked_here(None)
    if _revoke_handler is not None:
        await _revoke_handler(None, [])
