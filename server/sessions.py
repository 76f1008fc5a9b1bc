"""Session and token resolution: a bearer token to the signed-in caller and their
session (HTTP routes and the socket both ask here)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from server import runtime, session_cache
from server.access import Viewer, viewer_for
from server.actions.auth import authenticate
from server.errors import AppError, ErrorCode
from server.security import read_access_token


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def viewer_from_token(token: str | None) -> tuple[Viewer, int]:
    if not token:
        raise AppError(
            ErrorCode.UNAUTHORIZED,
            "Log in first: send Authorization: Bearer <access_token>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    claims = read_access_token(runtime.token_key(), token)
    cache = session_cache.cache()
    viewer = cache.get(claims.session_id, claims.user_id)
    if viewer is not None:
        return viewer, claims.session_id
    generation = cache.generation
    auth = await authenticate(claims.user_id, claims.session_id)
    viewer = await viewer_for(auth.user)
    cache.put(auth.session_id, viewer, generation)
    return viewer, auth.session_id


async def current_session(connection: HTTPConnection) -> tuple[Viewer, int]:
    """The caller and their session id, or 401."""
    cached: tuple[Viewer, int] | None = connection.scope.get("fieldline.viewer")
    if cached is not None:
        return cached
    result = await viewer_from_token(bearer_token(connection))
    connection.scope["fieldline.viewer"] = result
    return result
