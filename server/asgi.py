"""The ASGI app for uvicorn: `uvicorn server.asgi:app` (what `fieldline serve` runs)."""

from realtime.routes import SocketsFirst
from server.app import create_app

app = SocketsFirst(create_app())
