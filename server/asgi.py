"""The ASGI app for uvicorn: `uvicorn server.asgi:app` (what `fieldline serve` runs)."""

from server.app import create_app

app = create_app()
