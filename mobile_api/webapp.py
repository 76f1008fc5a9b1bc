"""The web app at /app: its HTML page for every client-side path, its static
files (vendored libraries included) and its service worker.

The files live in the top-level `web/` folder and are read once at start.
Static files are addressed as `/app/static/<build>/<path>`, where `<build>` is
a digest of the whole folder: a new release gets new URLs, so the files can
be cached for a year. Answers are gzip-compressed (computed once per file)
when the browser accepts it. Nothing here imports the web app's code: it
speaks only HTTP /api/v1 and /ws.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
LONG_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
# Types worth compressing; images such as PNG are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
         ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml", ".png": "image/png",
         ".json": "application/json", ".md": "text/plain", ".txt": "text/plain", ".html": "text/html"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str


class WebApp:
    """The folder's files in memory, with their compressed forms."""

    def __init__(self, root: Path, tile_url: str) -> None:
        self.root = root
        self.assets: dict[str, Asset] = {}
        digest = hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            body = path.read_bytes()
            digest.update(rel.encode() + b"\0" + body)
            self.assets[rel] = _asset(rel, body)
        self.build = digest.hexdigest()[:12]
        self.static_prefix = f"/app/static/{self.build}/"
        page = self.assets["index.html"].body.decode("utf-8")
        page = page.replace("{{STATIC}}", self.static_prefix).replace("{{TILE_URL}}", html.escape(tile_url, quote=True))
        self.page = _asset("index.html", page.encode("utf-8"))
        self.worker = self._template("sw.js")
        self.manifest = self._template("manifest.webmanifest")

    def _template(self, rel: str) -> Asset:
        text = self.assets[rel].body.decode("utf-8")
        return _asset(rel, text.replace("{{STATIC}}", self.static_prefix).replace("{{BUILD}}", self.build).encode())

    def static(self, rel: str) -> Asset | None:
        if rel in ("index.html", "sw.js", "manifest.webmanifest"):
            return None
        return self.assets.get(rel)


def _asset(rel: str, body: bytes) -> Asset:
    suffix = Path(rel).suffix
    media_type = TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
    gzipped = gzip.compress(body, 9, mtime=0) if media_type.startswith(COMPRESSIBLE) else None
    return Asset(body, gzipped, media_type)


def _send(request: Request, asset: Asset, cache: str, extra: dict[str, str] | None = None) -> Response:
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff", **(extra or {})}
    media_type = asset.media_type + ("; charset=utf-8" if asset.media_type.startswith("text/") else "")
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=media_type, headers=headers)
    return Response(asset.body, media_type=media_type, headers=headers)


def routes(tile_url: str) -> list[BaseRoute]:
    app = WebApp(WEB_ROOT, tile_url)

    async def page(request: Request) -> Response:
        rest = request.path_params.get("rest", "")
        if rest.startswith("static/"):
            parts = rest.split("/", 2)
            asset = app.static(parts[2]) if len(parts) == 3 else None
            if asset is None:
                return Response("not found", status_code=404, media_type="text/plain")
            cache = LONG_CACHE if parts[1] == app.build else NO_CACHE
            return _send(request, asset, cache)
        return _send(request, app.page, NO_CACHE)

    async def worker(request: Request) -> Response:
        # Served under /app so that its scope may cover /app itself and every path below.
        return _send(request, app.worker, NO_CACHE, {"Service-Worker-Allowed": "/app"})

    async def manifest(request: Request) -> Response:
        return _send(request, app.manifest, NO_CACHE)

    async def home(request: Request) -> Response:
        return RedirectResponse("/app", status_code=307)

    return [
        Route("/", home, methods=["GET", "HEAD"], include_in_schema=False),
        Route("/app/sw.js", worker, methods=["GET", "HEAD"], include_in_schema=False),
        Route("/app/manifest.webmanifest", manifest, methods=["GET", "HEAD"], include_in_schema=False),
        Route("/app", page, methods=["GET", "HEAD"], include_in_schema=False),
        Route("/app/{rest:path}", page, methods=["GET", "HEAD"], include_in_schema=False),
    ]
