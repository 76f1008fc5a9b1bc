"""docs/api.md, /api/v1/docs, /api/v1/asyncapi.json and the OpenAPI examples
stay true to the server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from starlette.routing import Route, WebSocketRoute

from fieldline.asyncapi import CLIENT_FRAMES, build_asyncapi
from mobile_api.openapi_examples import EXAMPLES
from server.errors import ErrorCode
from server.events import EventType

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "api.md"
# `- `GET /path` — …` or `- `GET /path?query=` — …`: the path ends at `?` or the backtick.
ROUTE_LINE = re.compile(r"^- `(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)[^`]*`", re.M)


def served_routes(app: Any) -> set[str]:
    found = set()
    for route in app.routes:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        if isinstance(route, WebSocketRoute):
            found.add(f"GET {path}")
        elif isinstance(route, Route):
            found |= {f"{method} {path}" for method in (route.methods or set()) - {"HEAD"}}
    return found


def documented_routes() -> set[str]:
    section = REFERENCE.read_text().split("\n## Every route\n", 1)[1]
    return {f"{method} {path}" for method, path in ROUTE_LINE.findall(section)}


async def test_docs_api_md_lists_every_route_the_server_serves_and_no_other(app: Any) -> None:
    served, documented = served_routes(app), documented_routes()
    missing = sorted(served - documented)
    assert not missing, "add to docs/api.md, \"Every route\":\n" + "\n".join(f"- `{r}` — …" for r in missing)
    gone = sorted(documented - served)
    assert not gone, f"docs/api.md lists routes the server does not serve: {gone}"


def test_docs_api_md_names_every_error_code_and_event_type() -> None:
    text = REFERENCE.read_text()
    assert [code.value for code in ErrorCode if f"`{code.value}`" not in text] == []
    assert [event.value for event in EventType if f"`{event.value}`" not in text] == []


def test_readme_and_openapi_description_point_inside_the_repository() -> None:
    from mobile_api.openapi import DESCRIPTION

    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme and "shared/design" not in readme
    assert "docs/api.md" in readme and "docs/api.md" in DESCRIPTION
    assert "API.md" not in DESCRIPTION.replace("docs/api.md", "")


async def test_openapi_examples_match_their_operations_schemas(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    resolver_root = {"components": document["components"]}
    for (method, path), example in EXAMPLES.items():
        operation = document["paths"][path][method.lower()]
        content = operation["requestBody"]["content"]["application/json"]
        assert content["example"] == example
        jsonschema.validate(example, {**content["schema"], **resolver_root})


async def test_interactive_docs_are_served_from_the_repository(client: httpx.AsyncClient) -> None:
    page = await client.get("/api/v1/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/api/v1/docs/") for source in sources), sources
    assert 'data-openapi="/api/v1/openapi.json"' in page.text
    for source in sources:
        asset = await client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert (await client.get("/api/v1/docs/../../pyproject.toml")).status_code == 404
    assert (await client.get("/api/v1/docs/LICENSE")).status_code == 404


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


async def test_asyncapi_document_describes_every_event_and_client_frame(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/asyncapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["asyncapi"] == "3.0.0"
    channel = document["channels"]["socket"]
    assert channel["address"] == "/ws"
    names = {message["name"] for message in channel["messages"].values()}
    assert {event.value for event in EventType} <= names
    assert set(CLIENT_FRAMES) <= names
    assert {"hello", "ack", "pong", "error", "resync_required"} <= names
    for ref in _refs(document):
        assert ref.startswith("#/"), ref
        _resolve(document, ref)  # every reference leads somewhere
    durable = channel["messages"]["message_new"]["payload"]
    assert "seq" in durable["required"]
    assert "seq" not in channel["messages"]["typing"]["payload"]["properties"]


def test_asyncapi_payloads_validate_real_frames() -> None:
    document = build_asyncapi()
    messages = document["channels"]["socket"]["messages"]
    send = messages["message_send"]["payload"]
    schema = {**send, "components": document["components"]}
    jsonschema.validate({"type": "message.send", "conversation_id": 3, "client_id": "c1", "body": "hi"}, schema)
    try:
        jsonschema.validate({"type": "message.send", "conversation_id": 3}, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a message.send without client_id and body must not validate")


async def test_asyncapi_payloads_validate_the_events_a_session_causes(org: Any, event_log: Any) -> None:
    """Events as the socket sends them (a task, a group chat message) validate against their messages."""
    document = build_asyncapi()
    messages = document["channels"]["socket"]["messages"]
    due = "2026-12-31T17:00:00+08:00"
    assert (await org.post("rep_sh", "/api/v1/tasks", {"title": "Call back", "due_at": due})).status_code == 201
    group = await org.post("rep_sh", "/api/v1/conversations", {"kind": "group", "title": "East", "member_ids": [org.rep_east1.id]})
    sent = await org.post("rep_sh", f"/api/v1/conversations/{group.json()['id']}/messages", {"client_id": "c-1", "body": "hi"})
    assert sent.status_code == 201, sent.text
    events = await event_log(org.rep_sh.id)
    assert {"task.updated", "message.new"} <= {event["type"] for event in events}
    for event in events:
        frame = {**event, "ts": "2026-12-04T09:30:00+00:00"}
        schema = {**messages[event["type"].replace(".", "_")]["payload"], "components": document["components"]}
        jsonschema.validate(frame, schema)
