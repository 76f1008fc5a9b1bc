"""Headers every answer carries.

- `X-Content-Type-Options: nosniff` on everything: a browser takes the
  declared type, so an upload never runs as a page or script.
- `Cache-Control: no-store` on answers that carry tokens (sign-in, refresh,
  password change): no cache, proxy or browser history keeps them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_PATHS = frozenset({"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/me/password"})
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        extra = [_NOSNIFF] + (_NO_STORE if path in TOKEN_PATHS else [])
        replaced = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in replaced]
                message["headers"] = kept + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
