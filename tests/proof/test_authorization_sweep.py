"""Every served route, tried by every kind of caller, against `authz_table`.

The routes come from the served OpenAPI document, so a new route is swept
(or fails for want of an expectation) the moment it is declared.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

import orjson

from tests.conftest import events_for
from tests.proof.authz import (
    ANONYMOUS,
    MANAGER_OTHER,
    MANAGER_OWNER,
    MARKER,
    ORG_KEYS,
    OTHER_REP,
    OWNER,
    ROLES,
    Ctx,
    Exp,
)
from tests.proof.authz_table import EXPECTATIONS, PUBLIC, SEEDS

OPENAPI = "/api/v1/openapi.json"
NO_SUCH_ID = 2**31 - 1
# Answers that reveal a little of records the caller cannot see, by design.
REVEAL_EXEMPT = {
    "GET /api/v1/customers/duplicates": "API.md: duplicates show id, name, owner and pool state of any record",
    "GET /api/v1/customers/lookup": "API.md: the global lookup shows name, owner and pool state of any record",
}


async def _document(org: Any) -> dict[str, Any]:
    return (await org.client.get(OPENAPI)).json()


def served_routes(document: dict[str, Any]) -> set[str]:
    return {f"{method.upper()} {path}" for path, ops in document["paths"].items() for method in ops}


async def _seed(ctx: Ctx, kind: str, text: str) -> dict[str, Any] | None:
    seed = SEEDS[kind]
    missing = [route for route in seed.needs if route not in ctx.routes]
    if missing:
        return None
    for dependency in seed.depends:
        if await _shared(ctx, dependency) is None:
            return None
    return await seed.create(ctx, text)


async def _shared(ctx: Ctx, kind: str) -> dict[str, Any] | None:
    """The one marked record of a kind that every read goes to (created once)."""
    if kind not in ctx.shared:
        record = await _seed(ctx, kind, MARKER)
        if record is None:
            return None
        ctx.shared[kind] = record
    return ctx.shared[kind]


async def _new_session_token(org: Any, role: str) -> str:
    from server.actions.auth import _open_session
    from server.transaction import atomic

    async with atomic():
        tokens = await _open_session(org.users[ORG_KEYS[role]])
    return tokens["access_token"]


def _fill(template: str, record: dict[str, Any] | None, extra: dict[str, Any]) -> str:
    values = {**({"id": record["id"]} if record else {}), **extra}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


async def _try(ctx: Ctx, route: str, exp: Exp, role: str) -> str | None:
    """Send the route's request as `role`; a description of what went wrong, or None."""
    method, template = route.split(" ", 1)
    record = None
    if exp.kind:
        record = await (_seed(ctx, exp.kind, "Fresh") if exp.fresh else _shared(ctx, exp.kind))
        if record is None:
            return f"{route}: cannot create a {exp.kind!r}: a route in SEEDS[{exp.kind!r}].needs is not served"
    extra = exp.path_params(ctx, record or {}) if exp.path_params else {}
    kwargs: dict[str, Any] = exp.request(ctx, record or {}) if exp.request else {}
    if exp.json is not None:
        kwargs["json"] = exp.json(ctx, record or {}) if callable(exp.json) else exp.json
    if exp.prepare is not None and role != ANONYMOUS:
        await exp.prepare(ctx, role, record or {})
    who = ORG_KEYS[role]
    if exp.own_session and who is not None:
        kwargs["headers"] = {"Authorization": f"Bearer {await _new_session_token(ctx.org, role)}"}
        who = None
    response = await ctx.org.request(who, method, _fill(template, record, extra), **kwargs)
    want = 401 if role == ANONYMOUS else exp.expect[role]
    if response.status_code != want:
        return f"{route} as {role}: expected {want}, got {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400 and set(response.json().get("error", {})) != {"code", "message", "details"}:
        return f"{route} as {role}: error not in the one shape: {response.text[:300]}"
    if response.status_code == 404 and record and "{id}" in template:
        # "exists but not yours" must read exactly like "does not exist"
        nowhere = await ctx.org.request(who, method, _fill(template, {"id": NO_SUCH_ID}, extra), **kwargs)
        if nowhere.json() != response.json():
            return f"{route} as {role}: 404 tells an unseen record {response.text} from none {nowhere.text}"
    return None


async def test_every_served_route_has_an_expectation(org):
    routes = served_routes(await _document(org))
    missing = sorted(routes - set(EXPECTATIONS) - PUBLIC)
    assert not missing, "\n".join(
        f"add an expectation for {route} to tests/proof/authz_table.py EXPECTATIONS" for route in missing)


async def test_each_caller_gets_the_documented_answer_from_every_route(org):
    routes = served_routes(await _document(org))
    ctx = Ctx(org, routes)
    problems = []
    for route in sorted(routes & set(EXPECTATIONS)):
        for role in ROLES:
            problem = await _try(ctx, route, EXPECTATIONS[route], role)
            if problem:
                problems.append(problem)
    assert not problems, f"{len(problems)} answers differ from authz_table:\n" + "\n".join(problems)


async def test_anonymous_callers_get_401_everywhere_but_sign_in(org):
    routes = served_routes(await _document(org)) - PUBLIC
    wrong = []
    for route in sorted(routes):
        method, template = route.split(" ", 1)
        path = re.sub(r"\{(\w+)\}", "1", template)
        response = await org.request(None, method, path, json={})
        if response.status_code != 401 or response.json()["error"]["code"] != "unauthorized":
            wrong.append(f"{route}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


def _query_variants(operation: dict[str, Any], ctx: Ctx) -> list[dict[str, str]]:
    """No filters, then each filter value that could widen what is listed."""
    variants: list[dict[str, str]] = [{}]
    today = dt.date.today().isoformat()
    for param in operation.get("parameters", []):
        if param.get("in") != "query":
            continue
        name, schema = param["name"], param.get("schema", {})
        options = schema.get("enum") or [v for s in schema.get("anyOf", []) for v in s.get("enum", [])]
        variants += [{name: str(value)} for value in options]
        if name in ("q", "name"):
            variants.append({name: MARKER})
        if name in ("owner_id", "user_id", "assignee_id"):
            variants.append({name: str(ctx.uid(OWNER))})
        if name == "date":
            variants.append({name: today})
    return variants


async def _emails_by_user() -> dict[int, str]:
    """Queue and send every due digest now; the text of all emails per user."""
    from notifications.digest import send_due_digests
    from notifications.outbox import deliver_due_emails
    from server.models.notifications import EmailOutbox

    await asyncio.sleep(0.2)  # FIELDLINE_EMAIL_AFTER_MINUTES is a moment in these tests
    await send_due_digests()
    await deliver_due_emails()
    texts: dict[int, str] = {}
    for email in await EmailOutbox.all():
        texts[email.user_id] = texts.get(email.user_id, "") + email.subject + email.text + email.html
    return texts


async def test_no_list_search_export_event_or_email_reveals_a_record_to_those_who_cannot_see_it(org):
    document = await _document(org)
    ctx = Ctx(org, served_routes(document))
    for key, user in org.users.items():
        await org.patch("admin", f"/api/v1/users/{user.id}", json={"email": f"{key}@fieldline.example"})
    seeded = [kind for kind in SEEDS if await _shared(ctx, kind) is not None]
    leaks = []
    for path, operations in sorted(document["paths"].items()):
        operation = operations.get("get")
        if operation is None or "{" in path or f"GET {path}" in REVEAL_EXEMPT or f"GET {path}" in PUBLIC:
            continue
        for role in (MANAGER_OTHER, OTHER_REP):
            for query in _query_variants(operation, ctx):
                response = await org.get(ORG_KEYS[role], path, params=query)
                if MARKER.lower() in response.text.lower():
                    leaks.append(f"GET {path}?{query} as {role} shows a record it may not see: {response.text[:300]}")
    for role in (MANAGER_OTHER, OTHER_REP):
        for event in await events_for(ctx.uid(role)):
            if MARKER.lower() in orjson.dumps(event).decode().lower():
                leaks.append(f"{role} received the event {event}")
    emails = await _emails_by_user()
    for role in (MANAGER_OTHER, OTHER_REP):
        if MARKER.lower() in emails.get(ctx.uid(role), "").lower():
            leaks.append(f"{role} was emailed about a record it may not see: {emails[ctx.uid(role)][:300]}")
    if "mention_post" in seeded:  # the control: mail does flow to someone who may see it
        assert MARKER.lower() in emails.get(ctx.uid(MANAGER_OWNER), "").lower(), emails
    assert seeded, "nothing could be seeded"
    assert not leaks, f"seeded {seeded}; {len(leaks)} leaks:\n" + "\n".join(leaks)
