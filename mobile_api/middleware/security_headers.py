"""Headers every answer carries.

- `X-Content-Type-Options: nosniff` on everything: a browser takes the
  declared type, so an upload never runs as a page or script.
- `Cache-Control: no-store` on answers that carry tokens (sign-in, refresh,
  password change): no cache, proxy or browser history keeps them.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from mobile_api.middleware import HttpMiddleware, app_path, set_headers

TOKEN_PATHS = frozenset({"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/me/password"})
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = [_NOSNIFF] + (_NO_STORE if app_path(scope) in TOKEN_PATHS else [])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                set_headers(message, extra)
            await send(message)

        await self.app(scope, receive, send_with_headers)
