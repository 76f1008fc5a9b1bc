"""What each caller must get from each route: the authorization sweep's table.

A route that is served but has no entry here fails
`test_authorization_sweep.py` with "add an expectation for ...". An entry is

    "METHOD /api/v1/path/{id}": Exp(kind, {role: status, ...}, json=..., fresh=...)

`kind` is a key of SEEDS (the record, created by the owner, whose id fills the
path), the statuses are for the five signed-in callers (anonymous callers
always get 401), helpers: `everyone(200)`, `seers(200)` (owner, owner's
manager and admin; others 404), `only(201, ADMIN)` (others 403), `but(...)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import PASSWORD
from tests.proof.authz import (
    ADMIN,
    MANAGER_OTHER,
    MANAGER_OWNER,
    MARKER,
    ORG_KEYS,
    OTHER_REP,
    OWNER,
    Ctx,
    Exp,
    Seed,
    but,
    everyone,
    only,
    members,
    seers,
    unique,
)

# Routes that answer without a token.
# Outside forms post sign-ups with a lead source's key instead of a token.
PUBLIC = {"POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/leads/intake"}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------ seeders


async def _owner_user(ctx: Ctx, text: str) -> dict[str, Any]:
    return {"id": ctx.uid(OWNER)}


async def _colleague(ctx: Ctx, text: str) -> dict[str, Any]:
    """A fresh colleague in the owner's department (for changes that end sessions)."""
    user = await ctx.org.add_user(unique("colleague_"), "rep", "east_sh")
    return {"id": user.id}


async def _department(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(ADMIN, "POST", "/api/v1/departments", json={"name": unique("Dept ")})


async def _customer(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/customers",
                          json={"name": f"{text} Trading {unique()}", "phone": None, "lat": 31.23, "lng": 121.47})


async def _pool_customer(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = await _customer(ctx, "Pool")
    return await ctx.make(OWNER, "POST", f"/api/v1/customers/{customer['id']}/release", json={"reason": "moved away"})


async def _contact(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/contacts",
                          json={"customer_id": customer["id"], "name": f"{text} Contact {unique()}"})


async def _opportunity(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/opportunities",
                          json={"customer_id": customer["id"], "name": f"{text} Deal {unique()}", "amount": 1000})


async def _activity(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/activities",
                          json={"customer_id": customer["id"], "kind": "note", "content": f"{text} note"})


async def _checkin(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/checkins",
                          json={"customer_id": customer["id"], "lat": 31.23, "lng": 121.47, "accuracy_m": 20,
                                "captured_at": _now(), "note": f"{text} visit"})


async def _lead(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/leads",
                          json={"company": f"{text} Lead {unique()}", "contact_name": f"{text} Li", "note": f"{text} tip"})


async def _push_subscription(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/push/subscriptions", json={"kind": "fcm", "token": unique("fcm-token-")})


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _upload(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    return {"files": {"file": ("visit.png", _png(), "image/png")}}


async def _photo(ctx: Ctx, text: str) -> dict[str, Any]:
    """A photo attached to one of the owner's check-ins."""
    customer = ctx.shared["customer"]
    photo = await ctx.make(OWNER, "POST", "/api/v1/photos", **_upload(ctx, {}))
    await ctx.make(OWNER, "POST", "/api/v1/checkins",
                   json={"customer_id": customer["id"], "lat": 31.23, "lng": 121.47, "accuracy_m": 20,
                         "captured_at": _now(), "note": f"{text} photo visit", "photo_ids": [photo["id"]]})
    return photo


def _today_in_shanghai() -> str:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


async def _daily_report(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/daily-reports",
                          json={"date": _today_in_shanghai(), "summary": f"{text} day", "plan": "More visits"})


def _visit_body(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    return {"customer_id": record["id"], "lat": 31.23, "lng": 121.47, "accuracy_m": 20, "captured_at": _now()}


async def _conversation(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/conversations",
                          json={"kind": "group", "title": f"{text} group", "member_ids": [ctx.uid(MANAGER_OWNER)]})


async def _message(ctx: Ctx, text: str) -> dict[str, Any]:
    conversation = ctx.shared["conversation"]
    return await ctx.make(OWNER, "POST", f"/api/v1/conversations/{conversation['id']}/messages",
                          json={"client_id": unique("c"), "body": f"{text} message"})


async def _post(ctx: Ctx, text: str) -> dict[str, Any]:
    """A private post: its author's alone (naming someone in it would let them in)."""
    return await ctx.make(OWNER, "POST", "/api/v1/posts", json={"body": f"{text} private thought", "visibility": "private"})


def _card_upload(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    from tests.mobile_api.card_helpers import png_bytes

    return {"files": {"image": ("card.png", png_bytes(300, 180), "image/png")}}


async def _card(ctx: Ctx, text: str) -> dict[str, Any]:
    """A card as its owner uploaded it, once the reader has finished with it."""
    from tests.mobile_api.card_helpers import wait_until_read

    card = await ctx.make(OWNER, "POST", "/api/v1/cards", **_card_upload(ctx, {}))
    return await wait_until_read(ctx.org, ORG_KEYS[OWNER], card["id"])


def _soon(hours: float) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


async def _task(ctx: Ctx, text: str) -> dict[str, Any]:
    """The owner's own task, with a reminder in a day."""
    return await ctx.make(OWNER, "POST", "/api/v1/tasks",
                          json={"title": f"{text} task {unique()}", "due_at": _soon(48), "remind_at": _soon(24)})


async def _assigned_task(ctx: Ctx, text: str) -> dict[str, Any]:
    """A task the owner's manager gave the owner (pending until the owner answers)."""
    return await ctx.make(MANAGER_OWNER, "POST", "/api/v1/tasks",
                          json={"title": f"{text} assigned {unique()}", "due_at": _soon(48), "assignee_id": ctx.uid(OWNER)})


async def _done_task(ctx: Ctx, text: str) -> dict[str, Any]:
    task = await _task(ctx, text)
    return await ctx.make(OWNER, "POST", f"/api/v1/tasks/{task['id']}/complete")


async def _reminder(ctx: Ctx, text: str) -> dict[str, Any]:
    task = await _task(ctx, text)
    listed = await ctx.make(OWNER, "GET", "/api/v1/reminders", params={"upcoming": "true", "limit": 200})
    return next(r for r in listed["items"] if r["link"] == {"type": "task", "id": task["id"]})


async def _subject_post(ctx: Ctx, text: str) -> dict[str, Any]:
    """A public post about the owner's customer, naming people who may not see that
    customer: they must neither see it nor be told of it."""
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/posts", json={
        "body": f"{text} visit went well @rep_east1 @manager_west", "subject": {"type": "customer", "id": customer["id"]}})


async def _mention_post(ctx: Ctx, text: str) -> dict[str, Any]:
    """A private post naming the owner's manager: the mention (and its email) reach them alone."""
    return await ctx.make(OWNER, "POST", "/api/v1/posts", json={"body": f"{text} for @manager_east", "visibility": "private"})


async def _approval_templates(ctx: Ctx, text: str) -> dict[str, Any]:
    """Company-wide flows (everyone reads templates, so no marker): the owner's manager decides."""
    made = {}
    for kind in ("contract", "expense", "custom"):
        made[kind] = await ctx.make(ADMIN, "POST", "/api/v1/approval-templates", json={
            "kind": kind, "name": unique("Flow "), "steps": [{"type": "direct_manager"}], "allow_forward": True})
    return made["custom"]


async def _approval(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/approvals", json={"kind": "custom", "title": f"{text} leave"})


async def _contract(ctx: Ctx, text: str) -> dict[str, Any]:
    customer = ctx.shared["customer"]
    return await ctx.make(OWNER, "POST", "/api/v1/contracts",
                          json={"customer_id": customer["id"], "name": f"{text} Contract {unique()}", "amount": 100000})


async def _active_contract(ctx: Ctx, text: str) -> dict[str, Any]:
    contract = await _contract(ctx, text)
    request = await ctx.make(OWNER, "POST", f"/api/v1/contracts/{contract['id']}/submit", json={})
    await ctx.make(MANAGER_OWNER, "POST", f"/api/v1/approvals/{request['id']}/approve", json={})
    return contract


async def _payment_plan(ctx: Ctx, text: str) -> dict[str, Any]:
    contract = ctx.shared["active_contract"]
    return await ctx.make(OWNER, "POST", f"/api/v1/contracts/{contract['id']}/payment-plans",
                          json={"due_on": "2026-12-31", "amount": 1000, "note": f"{text} plan"})


async def _payment(ctx: Ctx, text: str) -> dict[str, Any]:
    contract = ctx.shared["active_contract"]
    return await ctx.make(OWNER, "POST", f"/api/v1/contracts/{contract['id']}/payments",
                          json={"paid_on": "2026-12-01", "amount": 1, "note": f"{text} payment"})


async def _won_opportunity(ctx: Ctx, text: str) -> dict[str, Any]:
    opportunity = await _opportunity(ctx, text)
    return await ctx.make(OWNER, "PATCH", f"/api/v1/opportunities/{opportunity['id']}", json={"status": "won"})


async def _expense(ctx: Ctx, text: str) -> dict[str, Any]:
    return await ctx.make(OWNER, "POST", "/api/v1/expenses", json={"title": f"{text} trip", "lines": [
        {"spent_on": "2026-12-01", "category": "travel", "amount": 120, "note": f"{text} taxi"}]})


def _pdf_upload(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    return {"files": {"file": ("quote.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}}


async def _file(ctx: Ctx, text: str) -> dict[str, Any]:
    """A PDF attached as a receipt to one of the owner's expense claims."""
    upload = await ctx.make(OWNER, "POST", "/api/v1/files", **_pdf_upload(ctx, {}))
    await ctx.make(OWNER, "POST", "/api/v1/expenses", json={"title": f"{text} receipt", "lines": [
        {"spent_on": "2026-12-01", "category": "travel", "amount": 80, "note": f"{text} hotel",
         "receipt_ids": [upload["id"]]}]})
    return upload


SEEDS: dict[str, Seed] = {
    "mention_post": Seed(("POST /api/v1/posts",), _mention_post),
    "post": Seed(("POST /api/v1/posts",), _post),
    "subject_post": Seed(("POST /api/v1/posts",), _subject_post, ("customer",)),
    "owner_user": Seed((), _owner_user),
    "colleague": Seed((), _colleague),
    "department": Seed(("POST /api/v1/departments",), _department),
    "customer": Seed(("POST /api/v1/customers",), _customer),
    "pool_customer": Seed(("POST /api/v1/customers", "POST /api/v1/customers/{id}/release"), _pool_customer),
    "contact": Seed(("POST /api/v1/contacts",), _contact, ("customer",)),
    "lead": Seed(("POST /api/v1/leads",), _lead),
    "push_subscription": Seed(("POST /api/v1/push/subscriptions",), _push_subscription),
    "opportunity": Seed(("POST /api/v1/opportunities",), _opportunity, ("customer",)),
    "activity": Seed(("POST /api/v1/activities",), _activity, ("customer",)),
    "checkin": Seed(("POST /api/v1/checkins",), _checkin, ("customer",)),
    "photo": Seed(("POST /api/v1/photos", "POST /api/v1/checkins"), _photo, ("customer",)),
    "daily_report": Seed(("POST /api/v1/daily-reports",), _daily_report),
    "conversation": Seed(("POST /api/v1/conversations",), _conversation),
    "message": Seed(("POST /api/v1/conversations/{id}/messages",), _message, ("conversation",)),
    "card": Seed(("POST /api/v1/cards",), _card),
    "task": Seed(("POST /api/v1/tasks",), _task),
    "assigned_task": Seed(("POST /api/v1/tasks",), _assigned_task),
    "done_task": Seed(("POST /api/v1/tasks", "POST /api/v1/tasks/{id}/complete"), _done_task),
    "reminder": Seed(("POST /api/v1/tasks", "GET /api/v1/reminders"), _reminder),
    "approval_template": Seed(("POST /api/v1/approval-templates",), _approval_templates),
    "approval": Seed(("POST /api/v1/approvals",), _approval, ("approval_template",)),
    "contract": Seed(("POST /api/v1/contracts",), _contract, ("customer",)),
    "active_contract": Seed(("POST /api/v1/contracts", "POST /api/v1/contracts/{id}/submit"), _active_contract,
                            ("customer", "approval_template")),
    "payment_plan": Seed(("POST /api/v1/contracts/{id}/payment-plans",), _payment_plan, ("active_contract",)),
    "payment": Seed(("POST /api/v1/contracts/{id}/payments",), _payment, ("active_contract",)),
    "won_opportunity": Seed(("POST /api/v1/opportunities",), _won_opportunity, ("customer",)),
    "expense": Seed(("POST /api/v1/expenses",), _expense),
    "file": Seed(("POST /api/v1/files", "POST /api/v1/expenses"), _file),
}


# ------------------------------------------------------------------ expectations


def _new_user(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    return {"login": unique("new_user_"), "name": "New Person", "password": PASSWORD, "role": "rep"}


def _import_request(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any]:
    content = f"name\n{unique('Importstar')} Trading\n".encode()
    return {"files": {"file": ("customers.csv", content, "text/csv")}, "data": {"mapping": '{"name": "name"}'}}


EXPECTATIONS: dict[str, Exp] = {
    # identity: colleagues and departments are company-wide; changes are for admins
    "POST /api/v1/auth/logout": Exp(None, everyone(204), own_session=True),
    "GET /api/v1/me": Exp(None, everyone(200)),
    "PATCH /api/v1/me": Exp(None, everyone(200), json={"timezone": "Asia/Shanghai"}),
    "PUT /api/v1/me/password": Exp(None, everyone(403), json={"old_password": "not-the-password", "new_password": "a-new-long-password"}),
    "GET /api/v1/users": Exp(None, everyone(200)),
    "POST /api/v1/users": Exp(None, only(201, ADMIN), json=_new_user),
    "GET /api/v1/users/{id}": Exp("owner_user", everyone(200)),
    # The owner's colleagues of East Shanghai may too; rep_east1 is in East, another department.
    "GET /api/v1/users/{id}/schedule": Exp("owner_user", seers(200)),
    "PATCH /api/v1/users/{id}": Exp("owner_user", only(200, ADMIN), json={"title": "Sales"}),
    "POST /api/v1/users/{id}/unlock": Exp("owner_user", only(200, ADMIN)),
    "POST /api/v1/users/{id}/reset-password": Exp("colleague", only(200, ADMIN), json={"password": "another-long-password"}, fresh=True),
    "POST /api/v1/departments": Exp(None, only(201, ADMIN), json=lambda ctx, r: {"name": unique("Dept ")}),
    "PATCH /api/v1/departments/{id}": Exp("department", only(200, ADMIN), json={"name": "Renamed"}, fresh=True),
    "GET /api/v1/departments": Exp(None, everyone(200)),
    "GET /api/v1/directory": Exp(None, everyone(200)),
    "GET /api/v1/directory.vcf": Exp(None, everyone(200)),
    # cards: private to whoever scanned them (and admins); only the scanner confirms
    "POST /api/v1/cards": Exp(None, everyone(202), request=_card_upload),
    "GET /api/v1/cards/{id}": Exp("card", but(seers(200), **{MANAGER_OWNER: 404})),
    "POST /api/v1/cards/{id}/confirm": Exp("card", but(seers(201), **{MANAGER_OWNER: 404, ADMIN: 403}),
                                           json=lambda ctx, r: {"fields": {"name": "Card Person",
                                                                           "company": unique("Card Trading ")}}),
    # customers: visible to the owner, the owner's managers and admins; the pool to everyone
    "GET /api/v1/customers": Exp(None, everyone(200)),
    "POST /api/v1/customers": Exp(None, everyone(201), json=lambda ctx, r: {"name": f"{unique('Brightstar')} Trading"}),
    "GET /api/v1/customers/duplicates": Exp(None, everyone(200), request=lambda ctx, r: {"params": {"name": MARKER}}),
    "GET /api/v1/customers/lookup": Exp(None, everyone(200), request=lambda ctx, r: {"params": {"q": MARKER}}),
    "GET /api/v1/customers/export.csv": Exp(None, everyone(200)),
    "POST /api/v1/customers/import": Exp(None, everyone(200), request=_import_request),
    "GET /api/v1/customers/{id}": Exp("customer", seers(200)),
    "PATCH /api/v1/customers/{id}": Exp("customer", seers(200), json={"level": "A"}),
    "DELETE /api/v1/customers/{id}": Exp("customer", seers(204), fresh=True),
    "GET /api/v1/customers/{id}/history": Exp("customer", seers(200)),
    "POST /api/v1/customers/{id}/release": Exp("customer", seers(200), json={"reason": "moved away"}, fresh=True),
    "POST /api/v1/customers/{id}/claim": Exp("pool_customer", everyone(200), fresh=True),
    "POST /api/v1/customers/{id}/transfer": Exp("customer", but(seers(200), owner=403), fresh=True,
                                                 json=lambda ctx, r: {"owner_id": ctx.uid(OTHER_REP)}),
    "POST /api/v1/customers/{id}/share": Exp("customer", seers(200), fresh=True,
                                              json=lambda ctx, r: {"user_ids": [ctx.uid(OTHER_REP)]}),
    # contacts follow their customer; opportunities their customer and owner
    "GET /api/v1/push/vapid-public-key": Exp(None, everyone(200)),
    "GET /api/v1/push/subscriptions": Exp(None, everyone(200)),
    "POST /api/v1/push/subscriptions": Exp(None, everyone(201), json=lambda ctx, r: {"kind": "fcm", "token": unique("fcm-token-")}),
    "DELETE /api/v1/push/subscriptions/{id}": Exp("push_subscription", only(204, OWNER, others=404), fresh=True),
    "GET /api/v1/leads": Exp(None, everyone(200)),
    "POST /api/v1/leads": Exp(None, everyone(201), json=lambda ctx, r: {"company": unique("Lead ")}),
    "GET /api/v1/leads/{id}": Exp("lead", seers(200)),
    "PATCH /api/v1/leads/{id}": Exp("lead", seers(200), json={"status": "following"}),
    "DELETE /api/v1/leads/{id}": Exp("lead", seers(204), fresh=True),
    "POST /api/v1/leads/{id}/convert": Exp("lead", seers(200), json={}, fresh=True),
    "GET /api/v1/leads/{id}/history": Exp("lead", seers(200)),
    # quotas: managers and admins read the targets, only admins set them
    "GET /api/v1/quotas": Exp(None, only(200, ADMIN, MANAGER_OWNER, MANAGER_OTHER)),
    "PUT /api/v1/quotas/roles/{role}": Exp(None, only(200, ADMIN), json={"effective_contacts": 30},
                                            path_params=lambda ctx, r: {"role": "rep"}),
    "PUT /api/v1/quotas/departments/{id}": Exp("department", only(200, ADMIN), json={"new_key_customers": 2}),
    "POST /api/v1/lead-sources": Exp(None, only(201, ADMIN),
                                     json=lambda ctx, r: {"name": unique("Source "), "owner_id": ctx.uid(OWNER)}),
    "GET /api/v1/contacts": Exp(None, everyone(200)),
    "POST /api/v1/contacts": Exp("customer", seers(201), json=lambda ctx, r: {"customer_id": r["id"], "name": unique("Contact ")}),
    "GET /api/v1/contacts/{id}": Exp("contact", seers(200)),
    "GET /api/v1/contacts/{id}.vcf": Exp("contact", seers(200)),
    "PATCH /api/v1/contacts/{id}": Exp("contact", seers(200), json={"title": "Buyer"}),
    "DELETE /api/v1/contacts/{id}": Exp("contact", seers(204), fresh=True),
    "GET /api/v1/opportunities": Exp(None, everyone(200)),
    "POST /api/v1/opportunities": Exp("customer", seers(201), json=lambda ctx, r: {"customer_id": r["id"], "name": unique("Deal ")}),
    "GET /api/v1/opportunities/{id}": Exp("opportunity", seers(200)),
    "PATCH /api/v1/opportunities/{id}": Exp("opportunity", seers(200), json={"amount": 2000}),
    "DELETE /api/v1/opportunities/{id}": Exp("opportunity", seers(204), fresh=True),
    # tasks: the creator, the assignee, managers over either, admins; reminders are one's own
    "POST /api/v1/tasks": Exp(None, everyone(201), json=lambda ctx, r: {"title": "Call back", "due_at": _soon(5)}),
    "GET /api/v1/tasks": Exp(None, everyone(200)),
    "GET /api/v1/tasks/{id}": Exp("task", seers(200)),
    "PATCH /api/v1/tasks/{id}": Exp("task", seers(200), json={"notes": "Bring the catalogue"}, fresh=True),
    "DELETE /api/v1/tasks/{id}": Exp("task", seers(204), fresh=True),
    "POST /api/v1/tasks/{id}/accept": Exp("assigned_task", but(seers(403), **{OWNER: 200}), fresh=True),
    "POST /api/v1/tasks/{id}/reject": Exp("assigned_task", but(seers(403), **{OWNER: 200}),
                                          json={"reason": "Away that week"}, fresh=True),
    "POST /api/v1/tasks/{id}/complete": Exp("task", seers(200), fresh=True),
    "POST /api/v1/tasks/{id}/cancel": Exp("task", seers(200), fresh=True),
    "POST /api/v1/tasks/{id}/reopen": Exp("done_task", seers(200), fresh=True),
    "POST /api/v1/tasks/{id}/postpone": Exp("task", seers(200), json=lambda ctx, r: {"until": _soon(72)}, fresh=True),
    "GET /api/v1/agenda": Exp(None, seers(200), request=lambda ctx, r: {"params": {"user_id": ctx.uid(OWNER)}}),
    "GET /api/v1/reminders": Exp(None, everyone(200)),
    "POST /api/v1/reminders/{id}/snooze": Exp("reminder", only(200, OWNER, others=404), json={"minutes": 15}, fresh=True),
    "DELETE /api/v1/reminders/{id}": Exp("reminder", only(204, OWNER, others=404), fresh=True),
    # field visits: notes and check-ins follow the customer's and the author's visibility
    "POST /api/v1/activities": Exp("customer", seers(201), json=lambda ctx, r: {
        "customer_id": r["id"], "kind": "call", "content": "Called"}),
    "GET /api/v1/activities": Exp(None, everyone(200)),
    "GET /api/v1/activities/{id}": Exp("activity", seers(200)),
    "POST /api/v1/checkins": Exp("customer", seers(201), json=_visit_body),
    "GET /api/v1/checkins": Exp(None, everyone(200)),
    "GET /api/v1/checkins.geojson": Exp(None, everyone(200)),
    "GET /api/v1/checkins/{id}": Exp("checkin", seers(200)),
    "POST /api/v1/checkins/{id}/checkout": Exp("checkin", but(seers(403), owner=200), fresh=True, json=lambda ctx, r: {
        "lat": 31.23, "lng": 121.47, "captured_at": _now()}),
    "POST /api/v1/photos": Exp(None, everyone(201), request=_upload),
    "GET /api/v1/photos/{id}": Exp("photo", seers(200)),
    "POST /api/v1/files": Exp(None, everyone(201), request=_pdf_upload),
    "GET /api/v1/files/{id}": Exp("file", seers(200)),
    # daily reports: everyone reports their own day; the owner's second one is an update
    "POST /api/v1/daily-reports": Exp(None, but(everyone(201), owner=200), json=lambda ctx, r: {
        "date": _today_in_shanghai(), "summary": "Busy day", "plan": "Follow up"}),
    "GET /api/v1/daily-reports": Exp(None, everyone(200)),
    "GET /api/v1/daily-reports/{id}": Exp("daily_report", seers(200)),
    "GET /api/v1/stats/funnel": Exp(None, everyone(200)),
    "GET /api/v1/stats/leaderboard": Exp(None, everyone(200)),
    "GET /api/v1/stats/activity": Exp(None, everyone(200)),
    "GET /api/v1/stats/approvals": Exp(None, everyone(200)),
}

AUTHOR_OR_ADMIN = only(200, OWNER, ADMIN, others=404)


async def _follow_admin(ctx: Ctx, role: str, record: dict[str, Any]) -> None:
    await ctx.make(role, "POST", "/api/v1/follows", json={"target_type": "user", "target_id": ctx.uid(ADMIN)})


EXPECTATIONS.update({
    # feed: a private post is its author's (and admins'); mentioning someone who may not see it lets nobody in
    "POST /api/v1/posts": Exp(None, everyone(201), json={"body": "Fresh news for all"}),
    "GET /api/v1/posts/{id}": Exp("post", AUTHOR_OR_ADMIN),
    "GET /api/v1/posts/{id}/comments": Exp("post", AUTHOR_OR_ADMIN),
    "POST /api/v1/posts/{id}/comments": Exp("post", only(201, OWNER, ADMIN, others=404), json={"body": "Fresh comment"}),
    "POST /api/v1/posts/{id}/like": Exp("post", AUTHOR_OR_ADMIN),
    "DELETE /api/v1/posts/{id}/like": Exp("post", AUTHOR_OR_ADMIN),
    "GET /api/v1/feed": Exp(None, everyone(200)),
    "POST /api/v1/follows": Exp(None, but(everyone(201), admin=422),
                                json=lambda ctx, r: {"target_type": "user", "target_id": ctx.uid(ADMIN)}),
    "DELETE /api/v1/follows/{target_type}/{target_id}": Exp(
        None, but(everyone(204), admin=404), prepare=lambda ctx, role, r: (
            _follow_admin(ctx, role, r) if role != ADMIN else _nothing()),
        path_params=lambda ctx, r: {"target_type": "user", "target_id": ctx.uid(ADMIN)}),
    "GET /api/v1/follows": Exp(None, everyone(200)),
    # notifications: each person's own inbox; announcements by managers to their departments
    "GET /api/v1/notifications": Exp(None, everyone(200)),
    "GET /api/v1/notifications/unread-counts": Exp(None, everyone(200)),
    "POST /api/v1/notifications/read": Exp(None, everyone(200), json={"all": True}),
    "POST /api/v1/announcements": Exp(None, only(201, ADMIN, MANAGER_OWNER), json=lambda ctx, r: {
        "title": "Fresh rules", "body": "Read them", "department_id": ctx.org.departments["east_sh"].id}),
    "GET /api/v1/me/preferences": Exp(None, everyone(200)),
    "PUT /api/v1/me/preferences": Exp(None, everyone(200), json={"email": {"mention": False}}),
    # chat: members only (administrators included: a conversation is not a record they oversee)
    "GET /api/v1/conversations": Exp(None, everyone(200)),
    "POST /api/v1/conversations": Exp(None, everyone(201), json=lambda ctx, r: {
        "kind": "group", "title": "Fresh group", "member_ids": [ctx.org.rep_west.id]}),
    "GET /api/v1/conversations/{id}": Exp("conversation", members(200)),
    "DELETE /api/v1/conversations/{id}": Exp("conversation", but(members(204), manager_owner=403), fresh=True),
    "POST /api/v1/conversations/{id}/members": Exp("conversation", but(members(200), manager_owner=403), fresh=True,
                                                   json=lambda ctx, r: {"user_ids": [ctx.org.rep_east2.id]}),
    "DELETE /api/v1/conversations/{id}/members": Exp("conversation", but(members(200), manager_owner=403), fresh=True,
                                                     json=lambda ctx, r: {"user_ids": [ctx.uid(MANAGER_OWNER)]}),
    "POST /api/v1/conversations/{id}/leave": Exp("conversation", members(204), fresh=True),
    "GET /api/v1/conversations/{id}/messages": Exp("conversation", members(200)),
    "POST /api/v1/conversations/{id}/messages": Exp("conversation", members(201), json=lambda ctx, r: {
        "client_id": unique("fresh"), "body": "Fresh message"}),
    "POST /api/v1/conversations/{id}/read": Exp("conversation", members(200), json={"up_to_message_id": 0}),
    "PATCH /api/v1/messages/{id}": Exp("message", but(members(200), manager_owner=403), fresh=True, json={"body": "Edited"}),
    "DELETE /api/v1/messages/{id}": Exp("message", but(members(204), manager_owner=403), fresh=True),
})


# approvals: templates are company-wide and an administrator's; a request is seen by its submitter, whoever sees
# the submitter's records and the people asked to decide it (here the owner's manager); only they decide
APPROVER_ONLY = but(seers(403), manager_owner=200)
EXPECTATIONS.update({
    "GET /api/v1/approval-templates": Exp(None, everyone(200)),
    "POST /api/v1/approval-templates": Exp(None, only(201, ADMIN), json=lambda ctx, r: {
        "kind": "leave", "name": unique("Leave "), "steps": [{"type": "direct_manager"}]}),
    "GET /api/v1/approval-templates/{id}": Exp("approval_template", everyone(200)),
    "PATCH /api/v1/approval-templates/{id}": Exp("approval_template", only(200, ADMIN), json={"allow_forward": True}),
    "DELETE /api/v1/approval-templates/{id}": Exp("approval_template", only(204, ADMIN), fresh=True),
    "GET /api/v1/approvals": Exp(None, everyone(200)),
    "POST /api/v1/approvals": Exp("approval_template", everyone(201), json={"kind": "custom", "title": "Fresh leave"}),
    "GET /api/v1/approvals/inbox": Exp(None, everyone(200)),
    "GET /api/v1/approvals/counts": Exp(None, everyone(200)),
    "GET /api/v1/approvals/{id}": Exp("approval", seers(200)),
    "GET /api/v1/approvals/{id}/history": Exp("approval", seers(200)),
    "POST /api/v1/approvals/{id}/approve": Exp("approval", APPROVER_ONLY, json={}, fresh=True),
    "POST /api/v1/approvals/{id}/reject": Exp("approval", APPROVER_ONLY, json={"reason": "No"}, fresh=True),
    "POST /api/v1/approvals/{id}/return": Exp("approval", APPROVER_ONLY, json={"reason": "Redo"}, fresh=True),
    "POST /api/v1/approvals/{id}/forward": Exp("approval", APPROVER_ONLY, fresh=True,
                                               json=lambda ctx, r: {"user_id": ctx.org.rep_east2.id}),
    "POST /api/v1/approvals/{id}/withdraw": Exp("approval", but(seers(403), owner=200), fresh=True),
    "POST /api/v1/approvals/{id}/comments": Exp("approval", seers(201), json={"body": "Fresh remark"}),
    # contracts follow their customer and owner like opportunities; payments their contract
    "GET /api/v1/contracts": Exp(None, everyone(200)),
    "POST /api/v1/contracts": Exp("customer", seers(201), json=lambda ctx, r: {
        "customer_id": r["id"], "name": unique("Contract "), "amount": 5000}),
    "POST /api/v1/opportunities/{id}/contract": Exp("won_opportunity", seers(201)),
    "GET /api/v1/contracts/{id}": Exp("contract", seers(200)),
    "PATCH /api/v1/contracts/{id}": Exp("contract", seers(200), json={"notes": "Signed copy filed"}),
    "DELETE /api/v1/contracts/{id}": Exp("contract", seers(204), fresh=True),
    "POST /api/v1/contracts/{id}/submit": Exp("contract", seers(201), json={}, fresh=True),
    "GET /api/v1/contracts/{id}/payment-plans": Exp("active_contract", seers(200)),
    "POST /api/v1/contracts/{id}/payment-plans": Exp("active_contract", seers(201), json={
        "due_on": "2027-01-31", "amount": 100}),
    "PATCH /api/v1/payment-plans/{id}": Exp("payment_plan", seers(200), json={"amount": 900}),
    "DELETE /api/v1/payment-plans/{id}": Exp("payment_plan", seers(204), fresh=True),
    "GET /api/v1/contracts/{id}/payments": Exp("active_contract", seers(200)),
    "POST /api/v1/contracts/{id}/payments": Exp("active_contract", seers(201), json={
        "paid_on": "2026-12-02", "amount": 1}),
    "DELETE /api/v1/payments/{id}": Exp("payment", seers(204), fresh=True),
    # expense claims: the claimant, their managers and admins
    "GET /api/v1/expenses": Exp(None, everyone(200)),
    "POST /api/v1/expenses": Exp(None, everyone(201), json={"title": "Fresh trip"}),
    "GET /api/v1/expenses/export.csv": Exp(None, everyone(200)),
    "GET /api/v1/expenses/{id}": Exp("expense", seers(200)),
    "PATCH /api/v1/expenses/{id}": Exp("expense", seers(200), json={"title": "Fresh title"}, fresh=True),
    "DELETE /api/v1/expenses/{id}": Exp("expense", seers(204), fresh=True),
    "POST /api/v1/expenses/{id}/submit": Exp("expense", seers(201), json={}, fresh=True),
})


async def _nothing() -> None:
    return None


__all__ = ["EXPECTATIONS", "MARKER", "PUBLIC", "SEEDS", "MANAGER_OTHER", "OTHER_REP", "but"]
