"""The AsyncAPI 3 document of `GET /ws`, served at `/api/v1/asyncapi.json`.

Built from the code it describes: the typed event catalogue
(`server.events.event_schemas()`: every event type and its payload), the
client frames' schemas in `realtime.frames`, and the close codes in
`realtime.connection.CloseCode`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mobile_api.openapi import ERROR_SCHEMA
from mobile_api.openapi import REF as SCHEMA_REF
from mobile_api.responses import json_response
from realtime.connection import CloseCode
from realtime.frames import MessageSend, Read, Received, Typing
from server.events import EventType, event_schemas

ASYNCAPI_PATH = "/api/v1/asyncapi.json"

CLIENT_FRAMES: dict[str, type[BaseModel] | None] = {
    "message.send": MessageSend, "typing": Typing, "read": Read, "ping": None, "received": Received,
}


def _message_name(kind: str) -> str:
    return kind.replace(".", "_")


def _event_message(event: EventType, data: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"const": event.value}, "ts": {"type": "string", "format": "date-time"},
                                  "data": data}
    required = ["type", "ts", "data"]
    if event.durable:
        properties["seq"] = {"type": "integer", "minimum": 1,
                             "description": "Per user, gap-free and increasing; resume with ?since=<seq>."}
        required.append("seq")
    return {
        "name": event.value,
        "title": event.value,
        "summary": ("Durable: stored in the recipient's log, replayed on resume." if event.durable
                    else "Ephemeral: never stored or replayed."),
        "payload": {"type": "object", "required": required, "properties": properties},
    }


def _client_message(kind: str, model: type[BaseModel] | None, schemas: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {"type": "object", "required": ["type"], "properties": {"type": {"const": kind}}}
    if model is not None:
        schema = model.model_json_schema(ref_template=SCHEMA_REF)
        schemas.update(schema.pop("$defs", {}))
        payload["properties"].update(schema.get("properties", {}))
        payload["required"] += schema.get("required", [])
    return {"name": kind, "title": kind, "payload": payload}


def _server_frames() -> dict[str, Any]:
    def frame(kind: str, summary: str, **properties: Any) -> dict[str, Any]:
        return {"name": kind, "title": kind, "summary": summary, "payload": {
            "type": "object", "required": ["type", *properties], "properties": {"type": {"const": kind}, **properties}}}

    integer = {"type": "integer"}
    return {
        "hello": frame("hello", "First frame on every socket.", data={
            "type": "object", "required": ["user_id", "last_seq", "server_time", "heartbeat_s"],
            "properties": {"user_id": integer, "last_seq": integer,
                           "server_time": {"type": "string", "format": "date-time"}, "heartbeat_s": integer}}),
        "resync_required": frame("resync_required", "?since= is older than the retention: re-read through REST."),
        "ack": frame("ack", "A message.send was stored (again: the same message_id).",
                     client_id={"type": "string"}, message_id=integer),
        "pong": frame("pong", "The answer to ping."),
        "error": frame("error", "A bad frame; the socket stays open.", error={"$ref": SCHEMA_REF.format(model="Error")}),
    }


def build_asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document: one channel (`/ws`), what the server sends, what a client may send."""
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}
    messages: dict[str, Any] = {}
    catalogue = event_schemas()
    for event in EventType:
        data = dict(catalogue[event.value]["payload"])
        schemas.update(data.pop("$defs", {}))  # the payload types' parts, shared by name
        messages[_message_name(event.value)] = _event_message(event, data)
    messages.update({_message_name(k): v for k, v in _server_frames().items()})
    client = {_message_name(kind): _client_message(kind, model, schemas) for kind, model in CLIENT_FRAMES.items()}
    messages.update(client)
    server_names = [name for name in messages if name not in client]
    refs = {name: {"$ref": f"#/channels/socket/messages/{name}"} for name in messages}
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Fieldline real-time channel",
            "version": "1",
            "description": (
                "One WebSocket per device at `/ws`. The access token goes in `?token=` or the "
                "`Authorization: Bearer` header; `?since=<seq>` resumes after the last durable event seen. "
                "Frames are JSON text. Close codes: "
                + ", ".join(f"{code.value} {code.name.lower()}" for code in CloseCode)
                + ". docs/api.md in the repository explains the protocol."
            ),
        },
        "servers": {"fieldline": {"host": "127.0.0.1:8000", "protocol": "ws",
                                  "description": "Your Fieldline server (wss behind TLS)."}},
        "channels": {"socket": {
            "address": "/ws",
            "servers": [{"$ref": "#/servers/fieldline"}],
            "bindings": {"ws": {"method": "GET", "query": {"type": "object", "properties": {
                "token": {"type": "string", "description": "The access token (or the Authorization header)."},
                "since": {"type": "integer", "minimum": 0, "description": "Resume after this seq."}}}}},
            "messages": messages,
        }},
        "operations": {
            "receive": {"action": "receive", "channel": {"$ref": "#/channels/socket"},
                        "summary": "What the server sends.", "messages": [refs[n] for n in server_names]},
            "send": {"action": "send", "channel": {"$ref": "#/channels/socket"},
                     "summary": "What a client may send.", "messages": [refs[n] for n in client]},
        },
        "components": {"schemas": schemas},
    }
    rebased: dict[str, Any] = _rebase_refs(document)
    return rebased


def _rebase_refs(node: Any) -> Any:
    """pydantic's `#/$defs/X` references point to `#/components/schemas/X`, where they were moved."""
    if isinstance(node, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" and isinstance(v, str)
                    else _rebase_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase_refs(item) for item in node]
    return node


async def asyncapi_document(request: Request) -> Response:
    document = getattr(request.app.state, "_asyncapi", None)  # built once per process
    if document is None:
        document = request.app.state._asyncapi = build_asyncapi()
    return json_response(document)


def asyncapi_route() -> Route:
    return Route(ASYNCAPI_PATH, asyncapi_document, methods=["GET"])
