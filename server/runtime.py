"""What one running app holds for the core: its settings, keys, remembered callers
and the hooks its services plug in.

`fieldline.app.create_app` makes one `Runtime` per app (`app.state.runtime`)
and enters it for everything the app runs: each request and socket, and its
lifespan, so every task a service starts there runs in it too. The core reaches
it with `active()` / `current()`. Two apps in one process (the tests run
several) never see each other's hooks, keys or remembered callers. Code run
outside any app finds none (the command line enters its own): committed
events stay in the log and only this process hears of revocations.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from server.control import RevokeHandler
    from server.presence import Tracker
    from server.session_cache import SessionCache
    from server.settings import Settings
    from server.transaction import Publisher


class PushSender(Protocol):
    """This process's push sender (`notifications.push.Sender`)."""

    def wake(self, delay_s: float) -> None: ...

    async def deliver_due(self) -> int: ...


@dataclass(eq=False)
class Runtime:
    settings: Settings
    session_cache: SessionCache = field(init=False)
    # Loaded by the app's lifespan at start.
    token_key: str | None = None
    vapid_key: str | None = None
    # Plugged in by the app's services (fieldline/app.py); None while none runs.
    publisher: Publisher | None = None  # committed events → the socket hub
    revoke_handler: RevokeHandler | None = None  # revocations → every process
    tracker: Tracker | None = None  # who is online
    card_listeners: list[Callable[[int], None]] = field(default_factory=list)  # new cards → the card reader
    push_sender: PushSender | None = None

    def __post_init__(self) -> None:
        from server.session_cache import SessionCache

        self.session_cache = SessionCache(self.settings.session_cache_s)


_current: contextvars.ContextVar[Runtime | None] = contextvars.ContextVar("fieldline_runtime", default=None)


def active() -> Runtime | None:
    """The runtime of the app running this code, if any."""
    return _current.get()


def current() -> Runtime:
    runtime = _current.get()
    if runtime is None:
        raise RuntimeError("No app is running here; create_app (or the command line) enters one.")
    return runtime


def enter(runtime: Runtime | None) -> contextvars.Token[Runtime | None]:
    """Make `runtime` the one in force in this context (and the tasks it starts)."""
    return _current.set(runtime)


def leave(token: contextvars.Token[Runtime | None]) -> None:
    _current.reset(token)


def token_key() -> str:
    key = current().token_key
    if key is None:
        raise RuntimeError("The token key is not loaded; the app's lifespan loads it at start.")
    return key


def vapid_key() -> str:
    key = current().vapid_key
    if key is None:
        raise RuntimeError("The VAPID key is not loaded; the app's lifespan loads it at start.")
    return key
