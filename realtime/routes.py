"""The `/ws` route (the socket endpoint lives in `realtime.socket`)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    return []
