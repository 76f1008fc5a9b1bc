"""`GET /api/v1/docs`: Swagger UI over the served OpenAPI document, from files
vendored in `mobile_api/api_docs/` (no network; versions and licence in its
README.md). No inline script, so a strict Content-Security-Policy holds."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mobile_api.meta import OPENAPI_PATH

DOCS_PATH = "/api/v1/docs"
FOLDER = Path(__file__).resolve().parent / "api_docs"
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "init.js": "text/javascript"}
CACHE = "public, max-age=3600"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fieldline API</title>
<link rel="stylesheet" href="{DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{OPENAPI_PATH}"></div>
<script src="{DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="{DOCS_PATH}/init.js"></script>
</body>
</html>
"""


async def docs_page(request: Request) -> Response:
    return Response(PAGE, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


async def docs_asset(request: Request) -> Response:
    name = request.path_params["name"]
    media_type = ASSETS.get(name)
    if media_type is None:
        return Response(status_code=404)
    return Response((FOLDER / name).read_bytes(), media_type=media_type, headers={"Cache-Control": CACHE})


def docs_routes() -> list[Route]:
    return [
        Route(DOCS_PATH, docs_page, methods=["GET"]),
        Route(DOCS_PATH + "/{name}", docs_asset, methods=["GET"]),
    ]
