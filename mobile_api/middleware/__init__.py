"""ASGI middleware, one concern per module, on the shared frame below."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware:
    """Acts on HTTP requests (`handle`); sockets and the lifespan pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def app_path(scope: Scope) -> str:
    """The request's path inside the app (without the proxy's `root_path` prefix)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def set_headers(message: Message, headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Put `headers` on a response start, replacing any the app set of the same names."""
    added = list(headers)
    names = {name for name, _ in added}
    message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names] + added
