"""ASGI middleware: the frame of every HTTP request (`request_frame`) and,
behind a reverse proxy, the trusted proxies (`proxies`); the helpers they share."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Message, Scope


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
