"""The ASGI app for uvicorn: `uvicorn fieldline.asgi:app` (what `fieldline serve` runs)."""

from starlette.types import ASGIApp

from fieldline.app import create_app
from mobile_api.middleware.proxies import TrustedProxies
from realtime.routes import SocketsFirst
from server.settings import get_settings

settings = get_settings()
app: ASGIApp = SocketsFirst(create_app(settings))
if settings.proxy_headers:
    app = TrustedProxies(app, list(settings.forwarded_allow_ips))
