"""Declared endpoints: one decorator gives a route its auth, parsing, rendering
and its OpenAPI entry, from the same pydantic schemas.

    @api.post("/api/v1/posts", body=PostIn, response=FeedItem, status=201, idempotent=True)
    async def create_post(call: Call) -> dict:
        return await feed.create_post(call.viewer, call.body)

A handler returns a JSON-able value (rendered with the endpoint's status), a
`Reply` for another status or headers, or any Starlette `Response`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pydantic_core
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute
from starlette.types import Receive, Scope, Send

from mobile_api import idempotency
from mobile_api.responses import json_response
from server.access import Viewer
from server.errors import AppError, ErrorCode, malformed, not_found
from server.sessions import current_session
from server.validation import MAX_DB_INT, validation_error

# What someone whose password an administrator set may do before choosing their own.
BEFORE_PASSWORD_CHANGE = frozenset({("PUT", "/api/v1/me/password"), ("GET", "/api/v1/me"),
                                    ("POST", "/api/v1/auth/logout")})

MAX_JSON_INT = 2**63 - 1  # what JSON columns and the encoder can hold
JSON_TYPES = ("application/json", "text/json")


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """What a handler gets: the request, the caller and the parsed input."""

    request: Request
    caller: tuple[Viewer, int] | None  # the signed-in caller and their session; None on open routes
    params: dict[str, Any]
    body: Any = None
    query: Any = None

    @property
    def viewer(self) -> Viewer:
        return self._signed_in()[0]

    @property
    def session_id(self) -> int:
        return self._signed_in()[1]

    @property
    def user_id(self) -> int:
        return self.viewer.id

    def _signed_in(self) -> tuple[Viewer, int]:
        if self.caller is None:
            raise RuntimeError("a route open to anyone (auth=False) has no signed-in caller")
        return self.caller

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def changes(self) -> dict[str, Any]:
        """The body's fields the caller sent (a patch leaves the others alone)."""
        fields: dict[str, Any] = self.body.model_dump(exclude_unset=True)
        return fields


Handler = Callable[[Call], Awaitable[Any]]


@dataclass
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    auth: bool = True
    idempotent: bool = False
    raw_body: str | None = None  # "multipart" for uploads; parsed by the handler
    produces: str = "application/json"
    errors: tuple[int, ...] = ()
    also: tuple[int, ...] = ()  # other success statuses, same body (e.g. 200 for "already there")
    description: str = ""  # the handler's docstring after its first line

    @property
    def openapi_path(self) -> str:
        return re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", self.path)


class Api:
    """The registry of endpoints that `mobile_api.app` mounts."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def route(self, method: str, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            doc = (handler.__doc__ or handler.__name__.replace("_", " ")).strip()
            meta.setdefault("summary", doc.splitlines()[0])
            meta.setdefault("description", inspect.cleandoc("\n".join(doc.splitlines()[1:])) if "\n" in doc else "")
            meta.setdefault("tag", path.split("/")[3] if path.count("/") >= 3 else "meta")
            self.endpoints.append(Endpoint(method, path, handler, **meta))
            return handler

        return register

    def get(self, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **meta)

    def post(self, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **meta)

    def put(self, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **meta)

    def patch(self, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **meta)

    def delete(self, path: str, **meta: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **meta)

    def starlette_routes(self) -> list[Route]:
        by_path: dict[str, dict[str, Endpoint]] = {}
        for endpoint in self.endpoints:
            by_path.setdefault(endpoint.path, {})[endpoint.method] = endpoint
        return [
            Route(path, _dispatcher(methods), methods=list(methods))
            for path, methods in by_path.items()
        ]


api = Api()


def _dispatcher(methods: dict[str, Endpoint]) -> Callable[[Request], Awaitable[Response]]:
    async def dispatch(request: Request) -> Response:
        endpoint = methods.get(request.method) or methods.get("GET")
        assert endpoint is not None  # Starlette answered 405 otherwise
        return await _run(endpoint, request)

    return dispatch


async def _run(endpoint: Endpoint, request: Request) -> Response:
    params = _path_params(request)
    caller = await current_session(request) if endpoint.auth else None
    if caller is not None and caller[0].user.must_change_password \
            and (endpoint.method, endpoint.path) not in BEFORE_PASSWORD_CHANGE:
        raise AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED,
                       "Choose your own password first (PUT /api/v1/me/password).")
    query = _parse_query(endpoint, request)
    body = await _parse_body(endpoint, request)
    call = Call(request, caller, params, body, query)
    key = request.headers.get("idempotency-key")
    if endpoint.idempotent and key is not None and caller is not None:
        return await idempotency.replay_or_run(call, key, lambda: _respond(endpoint, call))
    return await _respond(endpoint, call)


async def _respond(endpoint: Endpoint, call: Call) -> Response:
    result = await endpoint.handler(call)
    if isinstance(result, Response):
        return result
    if isinstance(result, Reply):
        return json_response(result.body, result.status, result.headers)
    if result is None and endpoint.status == 204:
        return Response(status_code=204)
    return json_response(result, endpoint.status)


def _path_params(request: Request) -> dict[str, Any]:
    params = dict(request.path_params)
    for name, value in params.items():
        if isinstance(value, int) and not 0 < value <= MAX_DB_INT:
            raise not_found()
    return params


def _parse_query(endpoint: Endpoint, request: Request) -> Any:
    if endpoint.query is None:
        return None
    raw: dict[str, Any] = {}
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise malformed(f"The query parameter {name} contains a NUL character.")
        raw.setdefault(name, value)
    try:
        return endpoint.query.model_validate(raw)
    except ValidationError as error:
        raise validation_error(error) from None


async def _parse_body(endpoint: Endpoint, request: Request) -> Any:
    if endpoint.body is None or endpoint.raw_body:
        return None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if content_type and content_type not in JSON_TYPES:
        raise AppError(ErrorCode.UNSUPPORTED_MEDIA, "Send the body as application/json.")
    if not raw.strip():
        raise malformed("The request needs a JSON body.")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        _refuse_non_finite(endpoint.body, raw)
        raise malformed(f"The body is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise malformed("The body must be a JSON object.")
    _check_values(raw)
    try:
        # JSON mode: strict about types (no "12" for a number) yet reads ISO times.
        return endpoint.body.model_validate_json(raw)
    except ValidationError as error:
        raise validation_error(error) from None


def _check_values(raw: bytes) -> None:
    """Refuse integers beyond 64 bits and NUL characters anywhere in the body.

    pydantic reads big integers as Python's unbounded ints, which free-form
    fields (`Any`, JSON columns) would carry to an encoder that cannot write
    them; PostgreSQL refuses NUL in text. Both would surface as a 500.
    """
    try:
        data = pydantic_core.from_json(raw)
    except ValueError:
        return  # pydantic's own validation reports it
    stack: list[tuple[str, Any]] = [("body", data)]
    while stack:
        where, value = stack.pop()
        problem = None
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}", v) for k, v in value.items())
            problem = "must not contain NUL characters" if any("\x00" in k for k in value) else None
        elif isinstance(value, list):
            stack.extend((f"{where}.{i}", v) for i, v in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            problem = "must not contain NUL characters"
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_JSON_INT:
            problem = "is too large a number"
        if problem:
            name = where.removeprefix("body.").replace("\x00", "\\u0000")
            raise AppError(ErrorCode.VALIDATION_ERROR, f"{name}: {problem}", {"fields": {name: problem}})


def _refuse_non_finite(body: type[BaseModel], raw: bytes) -> None:
    """Python's json writes NaN and Infinity, which orjson refuses. Where a number
    is expected (a check-in's lat), the answer is 422 naming the field; anywhere
    else such a body stays malformed (400)."""
    try:
        body.model_validate_json(raw)
    except ValidationError as error:
        if any(item["type"] == "finite_number" for item in error.errors(include_url=False)):
            raise validation_error(error) from None


class StaticFirstRouter(Router):
    """Starlette's router with a dictionary in front for the paths without parameters.

    Starlette tries every route's pattern in turn, fifty or more before
    `/api/v1/customers` and ninety before `/api/v1/feed`. A path with no
    parameter is looked up directly when no route before it could match it
    (checked once, so the answer is the one the scan would give); anything else,
    a method the route does not take included, goes through the scan as before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._static: dict[str, BaseRoute] = {}
        self._static_of = -1  # how many routes the dictionary was built from

    def _static_routes(self) -> dict[str, BaseRoute]:
        # Rebuilt when a route is added (Starlette only appends); a length check, not a
        # comparison of the whole list, on every request.
        if self._static_of != len(self.routes):
            self._static_of = len(self.routes)
            self._static = {}
            for index, route in enumerate(self.routes):
                if not isinstance(route, Route) or route.param_convertors or route.path in self._static:
                    continue
                earlier = self.routes[:index]
                if all(isinstance(r, (Route, WebSocketRoute, Mount)) and not r.path_regex.match(route.path)
                       for r in earlier):
                    self._static[route.path] = route
        return self._static

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = self._static_routes().get(get_route_path(scope))
            if route is not None:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    if "router" not in scope:
                        scope["router"] = self
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)
