"""Signed-in callers, remembered for a few seconds in each process.

Every authenticated request needs the caller's live session, their account
and (managers) the people in their departments: two database round trips that
cost more than many a page itself. A caller verified less than
`FIELDLINE_SESSION_CACHE_S` seconds ago (default 5; 0 turns this off) is
taken from here instead.

Nothing that ends a session or changes a person waits for the time to run
out: logging out, a password change or reset and switching an account off
forget the sessions at once in the process that made the change and, through
the revoke control message (`server.control`), in every other process; a
change of role, department, managed departments or details, and new or moved
departments, forget everyone. Only a change written behind the server's back
(straight into the database, or by the command line while servers run) waits
for the entries to expire.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from server import runtime
from server.access import Viewer

MAX_ENTRIES = 10_000


class SessionCache:
    """session id → (expiry, viewer). A generation counter keeps a lookup that
    started before a revocation from storing what it read."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self.generation = 0
        self._entries: dict[int, tuple[float, Viewer]] = {}

    def get(self, session_id: int, user_id: int) -> Viewer | None:
        """A copy of the remembered viewer (its own per-request cache), or None."""
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        expires, viewer = entry
        if expires <= self.clock() or viewer.id != user_id:
            self._entries.pop(session_id, None)
            return None
        return dataclasses.replace(viewer, cache={})

    def put(self, session_id: int, viewer: Viewer, generation: int) -> None:
        """Remember a viewer read while `generation` was current (else drop it)."""
        if self.ttl_s <= 0 or generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[session_id] = (self.clock() + self.ttl_s, viewer)

    def forget(self, session_ids: list[int] | None) -> None:
        """These sessions, or (None) everyone."""
        self.generation += 1
        if session_ids is None:
            self._entries.clear()
        else:
            for session_id in session_ids:
                self._entries.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._entries)


def cache() -> SessionCache:
    """The running app's cache (`Runtime.session_cache`); outside any app, one that
    remembers nothing."""
    app = runtime.active()
    return app.session_cache if app is not None else SessionCache(0)


def use_ttl(ttl_s: float) -> None:
    """The running app starts afresh with another time to live."""
    runtime.current().session_cache = SessionCache(ttl_s)
