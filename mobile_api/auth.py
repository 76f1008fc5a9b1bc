"""Bearer tokens on every call but login and refresh."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from server.access import Viewer
from server.sessions import bearer_token, viewer_from_token


async def current_session(connection: HTTPConnection) -> tuple[Viewer, int]:
    """The caller and their session id, or 401."""
    cached = connection.scope.get("fieldline.viewer")
    if cached is not None:
        return cached
    result = await viewer_from_token(bearer_token(connection))
    connection.scope["fieldline.viewer"] = result
    return result
