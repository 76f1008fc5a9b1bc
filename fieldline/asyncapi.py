"""The AsyncAPI 3 document of `GET /ws`, served at `/api/v1/asyncapi.json`.

Built from the code it describes: every `server.events.EventType` (a type
without a payload below fails `tests/ops/test_api_reference.py`), the client
frames' schemas in `realtime.frames`, the close codes in
`realtime.connection.CloseCode`, and the REST answer schemas that durable
events carry as `data` (API.md: "`data` is the record as the REST API renders it").
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mobile_api.openapi import REF as SCHEMA_REF
from mobile_api.openapi import _Schemas, build_document
from mobile_api.responses import json_response
from mobile_api.routing import api
from mobile_api.schemas import cards, chat, feed, notifications, tasks
from realtime.connection import CloseCode
from realtime.frames import MessageSend, Read, Typing
from server.events import EventType

ASYNCAPI_PATH = "/api/v1/asyncapi.json"

_REMINDER = {
    "type": "object",
    "required": ["reminder_id", "kind", "title", "due_at", "link", "late"],
    "properties": {
        "reminder_id": {"type": "integer"}, "kind": {"enum": ["task", "follow_up", "daily_report"]},
        "title": {"type": "string"}, "due_at": {"type": "string", "format": "date-time"},
        "link": {"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": "integer"}}},
        "late": {"type": "boolean"},
    },
}
_READ_UPDATED = {
    "type": "object", "required": ["conversation_id", "user_id", "up_to_message_id"],
    "properties": {"conversation_id": {"type": "integer"}, "user_id": {"type": "integer"},
                   "up_to_message_id": {"type": "integer"}},
}
_TYPING = {"type": "object", "required": ["conversation_id", "user_id"],
           "properties": {"conversation_id": {"type": "integer"}, "user_id": {"type": "integer"}}}
_PRESENCE = {"type": "object", "required": ["user_id", "online", "last_seen"],
             "properties": {"user_id": {"type": "integer"}, "online": {"type": "boolean"},
                            "last_seen": {"type": ["string", "null"], "format": "date-time"}}}

# What each event carries as `data`: a REST answer schema, or a schema of its own.
PAYLOADS: dict[EventType, type[BaseModel] | dict[str, Any]] = {
    EventType.MESSAGE_NEW: chat.Message,
    EventType.MESSAGE_EDITED: chat.Message,
    EventType.MESSAGE_DELETED: chat.Message,
    EventType.CONVERSATION_UPDATED: chat.Conversation,
    EventType.READ_UPDATED: _READ_UPDATED,
    EventType.NOTIFICATION_NEW: notifications.Notification,
    EventType.FEED_NEW: feed.FeedItem,
    EventType.COMMENT_NEW: feed.Comment,
    EventType.TASK_UPDATED: tasks.Task,
    EventType.CARD_PARSED: cards.Card,
    EventType.REMINDER: _REMINDER,
    EventType.TYPING: _TYPING,
    EventType.PRESENCE: _PRESENCE,
}
CLIENT_FRAMES: dict[str, type[BaseModel] | None] = {
    "message.send": MessageSend, "typing": Typing, "read": Read, "ping": None,
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


def build_asyncapi(openapi_components: dict[str, Any] | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document: one channel (`/ws`), what the server sends, what a client may send."""
    collected = _Schemas()
    schemas: dict[str, Any] = dict(openapi_components or {})
    messages: dict[str, Any] = {}
    for event in EventType:
        payload = PAYLOADS[event]
        data = collected.ref(payload) if isinstance(payload, type) else payload
        messages[_message_name(event.value)] = _event_message(event, data)
    schemas.update({name: schema for name, schema in collected.components.items()})
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
    return _rebase_refs(document)


def _rebase_refs(node: Any) -> Any:
    """OpenAPI's `#/components/schemas/X` is the same path in AsyncAPI: nothing to move,
    but pydantic's refs must all point there."""
    if isinstance(node, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" and isinstance(v, str)
                    else _rebase_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase_refs(item) for item in node]
    return node


async def asyncapi_document(request: Request) -> Response:
    document = request.app.state.__dict__.get("_asyncapi")
    if document is None:
        components = build_document(api.endpoints)["components"]["schemas"]
        document = request.app.state._asyncapi = build_asyncapi(components)
    return json_response(document)


def asyncapi_route() -> Route:
    return Route(ASYNCAPI_PATH, asyncapi_document, methods=["GET"])
