"""`/healthz`, `/readyz` and `/metrics`: for load balancers and monitoring.

None of them needs a token: health answers say nothing about anyone's data,
and who may read `/metrics` is the settings' business (an address allow-list,
or `Authorization: Bearer <FIELDLINE_METRICS_TOKEN>`).
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mobile_api.responses import error_response, json_response
from server import metrics
from server.errors import AppError, ErrorCode, forbidden
from server.health import depths, readiness
from server.sessions import bearer_token
from server.settings import Settings


async def healthz(request: Request) -> Response:
    return json_response({"status": "ok"})


async def readyz(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    pool = getattr(request.app.state, "card_pool", None)
    ocr_problem = pool.problem() if pool is not None else "the card reader is not running"
    down = await readiness(settings.redis_url, ocr_problem)
    if not down:
        return json_response({"status": "ready"})
    names = ", ".join(sorted(down))
    return error_response(AppError(ErrorCode.UNAVAILABLE, f"Not ready: {names} down.", {"down": down}, status=503))


def _may_read_metrics(request: Request, settings: Settings) -> bool:
    if settings.metrics_token:
        token = bearer_token(request)
        if token and hmac.compare_digest(token.encode(), settings.metrics_token.encode()):
            return True
    client = request.client.host if request.client else None
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(item == "*" or address in ipaddress.ip_network(item, strict=False) for item in settings.metrics_allow)


async def metrics_page(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if not _may_read_metrics(request, settings):
        return error_response(forbidden("Metrics are readable from FIELDLINE_METRICS_ALLOW addresses or with FIELDLINE_METRICS_TOKEN."))
    waiting = await depths()
    metrics.EMAIL_OUTBOX_DEPTH.set(waiting["email_outbox"])
    metrics.PUSH_OUTBOX_DEPTH.set(waiting["push_outbox"])
    metrics.CARD_QUEUE_DEPTH.set(waiting["card_queue"])
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


def operation_routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
