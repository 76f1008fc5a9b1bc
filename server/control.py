"""Control signals from actions to every process (sessions revoked, people changed).

The running app's WebSocket hub is its handler (`Runtime.revoke_handler`),
which carries a signal to every process over the broker; without one (CLI,
tests without sockets) only this process hears it, which is safe: a socket
checks its session when it connects, and remembered callers expire within
seconds.

The app's remembered callers (`Runtime.session_cache`) hear every revocation
in their own process at once and, through the hub, the revocations made in
other processes: the revoked session ids, or None when anyone's standing may
have changed (a role, a department, an account switched off) and everything
remembered about signed-in people must be forgotten.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from server import runtime

RevokeHandler = Callable[[int | None, list[int]], Awaitable[None]]


def revoked_here(session_ids: list[int] | None) -> None:
    """Forget what this app remembers of them (the hub calls this for every revoke it receives)."""
    app = runtime.active()
    if app is not None:
        app.session_cache.forget(session_ids)


def _handler() -> RevokeHandler | None:
    app = runtime.active()
    return app.revoke_handler if app is not None else None


async def sessions_revoked(user_id: int, session_ids: list[int]) -> None:
    """Refuse these sessions at once here, and close their live sockets (code 4403) in every process."""
    if not session_ids:
        return
    revoked_here(session_ids)
    handler = _handler()
    if handler is not None:
        await handler(user_id, session_ids)


async def people_changed() -> None:
    """Roles, departments or accounts changed: every process forgets the signed-in
    people it remembers (no socket is closed)."""
    revoked_here(None)
    handler = _handler()
    if handler is not None:
        await handler(None, [])
