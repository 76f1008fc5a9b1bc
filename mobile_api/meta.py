"""`GET /api/v1/openapi.json`: the document built from the declared endpoints."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mobile_api.openapi import build_document
from mobile_api.responses import json_response
from mobile_api.routing import api

OPENAPI_PATH = "/api/v1/openapi.json"


async def openapi_document(request: Request) -> Response:
    document = getattr(request.app.state, "_openapi", None)  # built once per process
    if document is None:
        document = build_document(api.endpoints)
        request.app.state._openapi = document
    return json_response(document)


def openapi_route() -> Route:
    return Route(OPENAPI_PATH, openapi_document, methods=["GET"])
