"""One-line text fields (names, titles, customer and task names, conversation
titles) refuse control characters with 422 on the field; multi-line fields
(notes, bodies) keep their line breaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.mobile_api.card_helpers import make_card

BAD = ["王经理\r\nBcc: everyone@example.com", "a\nb", "tab\tinside", "bell\x07", "nul\x00", "line\u2028sep", "c1\x85"]


def _soon() -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).isoformat()


async def _customer(org: Any) -> int:
    return (await org.post("rep_east1", "/api/v1/customers", {"name": "Brightstar Trading"})).json()["id"]


CASES = {
    "user name": ("admin", "POST", "/api/v1/users", lambda o, c, v: {
        "login": "new.rep", "name": v, "password": "violet-kettle-harbor", "role": "rep"}, "name"),
    "user title": ("admin", "PATCH", "/api/v1/users/{rep}", lambda o, c, v: {"title": v}, "title"),
    "department name": ("admin", "POST", "/api/v1/departments", lambda o, c, v: {"name": v}, "name"),
    "customer name": ("rep_east1", "POST", "/api/v1/customers", lambda o, c, v: {"name": v}, "name"),
    "customer rename": ("rep_east1", "PATCH", "/api/v1/customers/{customer}", lambda o, c, v: {"name": v}, "name"),
    "customer tag": ("rep_east1", "POST", "/api/v1/customers", lambda o, c, v: {"name": "Tagged", "tags": [v]},
                     "tags.0"),
    "contact name": ("rep_east1", "POST", "/api/v1/contacts", lambda o, c, v: {"customer_id": c, "name": v}, "name"),
    "opportunity name": ("rep_east1", "POST", "/api/v1/opportunities",
                         lambda o, c, v: {"customer_id": c, "name": v}, "name"),
    "task title": ("rep_east1", "POST", "/api/v1/tasks", lambda o, c, v: {"title": v, "due_at": _soon()}, "title"),
    "conversation title": ("rep_east1", "POST", "/api/v1/conversations",
                           lambda o, c, v: {"kind": "group", "title": v, "member_ids": [o.rep_east2.id]}, "title"),
    "announcement title": ("admin", "POST", "/api/v1/announcements", lambda o, c, v: {"title": v, "body": "x"}, "title"),
    "lead company": ("rep_east1", "POST", "/api/v1/leads", lambda o, c, v: {"company": v}, "company"),
    "lead contact name": ("rep_east1", "POST", "/api/v1/leads", lambda o, c, v: {"company": "Lead Co", "contact_name": v},
                          "contact_name"),
    "lead source name": ("admin", "POST", "/api/v1/lead-sources", lambda o, c, v: {"name": v, "owner_id": o.rep_west.id},
                         "name"),
    "approval template name": ("admin", "POST", "/api/v1/approval-templates",
                               lambda o, c, v: {"kind": "leave", "name": v, "steps": [{"type": "direct_manager"}]}, "name"),
    "contract name": ("rep_east1", "POST", "/api/v1/contracts", lambda o, c, v: {"customer_id": c, "name": v, "amount": 1000},
                      "name"),
    "expense claim title": ("rep_east1", "POST", "/api/v1/expenses", lambda o, c, v: {"title": v}, "title"),
    "card correction phone": ("rep_east1", "POST", "/api/v1/cards/{card}/confirm",
                              lambda o, c, v: {"fields": {"phones": [v]}, "customer_id": c}, "fields.phones.0"),
    "card correction name": ("rep_east1", "POST", "/api/v1/cards/{card}/confirm",
                             lambda o, c, v: {"fields": {"name": v}, "customer_id": c}, "fields.name"),
}


@pytest.mark.parametrize("case", CASES)
async def test_a_one_line_field_with_a_control_character_is_422_on_that_field(org: Any, case: str) -> None:
    who, method, template, body, field = CASES[case]
    customer = await _customer(org)
    card = await make_card(org.rep_east1, name="张伟", company="Brightstar Trading")
    path = template.format(rep=org.rep_west.id, customer=customer, card=card.id)
    for value in BAD:
        answer = await org.request(who, method, path, json=body(org, customer, value))
        assert answer.status_code == 422, (case, repr(value), answer.text)
        problems = answer.json()["error"]["details"]["fields"]
        assert set(problems) == {field}, (case, repr(value), problems)
        if "\x00" not in value:  # NUL has its own older message in some fields
            assert problems[field] == "must be one line without control characters"
    fine = await org.request(who, method, path, json=body(org, customer, "上海 Brightstar · 二期"))
    assert fine.status_code in (200, 201), fine.text


async def test_multi_line_fields_keep_their_line_breaks(org: Any) -> None:
    customer = await _customer(org)
    task = await org.post("rep_east1", "/api/v1/tasks", {"title": "Call", "notes": "first\nsecond\tthird",
                                                         "due_at": _soon(), "subject": {"type": "customer", "id": customer}})
    assert task.status_code == 201 and task.json()["notes"] == "first\nsecond\tthird"
    post = await org.post("rep_east1", "/api/v1/posts", {"body": "line one\nline two"})
    assert post.status_code == 201 and post.json()["body"] == "line one\nline two"


async def test_an_approval_request_title_is_one_line(org: Any) -> None:
    template = {"kind": "leave", "name": "请假", "steps": [{"type": "direct_manager"}]}
    assert (await org.post("admin", "/api/v1/approval-templates", template)).status_code == 201
    for value in BAD:
        answer = await org.post("rep_sh", "/api/v1/approvals", {"kind": "leave", "title": value})
        assert answer.status_code == 422, (repr(value), answer.text)
        assert set(answer.json()["error"]["details"]["fields"]) == {"title"}
    assert (await org.post("rep_sh", "/api/v1/approvals", {"kind": "leave", "title": "请假 · 两天"})).status_code == 201


async def test_a_lead_from_a_sign_up_form_refuses_control_characters(org: Any) -> None:
    key = (await org.post("admin", "/api/v1/lead-sources", {"name": "官网注册", "owner_id": org.rep_sh.id})).json()["key"]
    for field in ("company", "contact_name", "phone", "email"):
        for value in BAD:
            body = {"company": "泰安印刷厂", field: value}
            answer = await org.client.post("/api/v1/leads/intake", json=body, headers={"X-Lead-Key": key})
            assert answer.status_code == 422, (field, repr(value), answer.text)
            assert set(answer.json()["error"]["details"]["fields"]) == {field}
    fine = await org.client.post("/api/v1/leads/intake", json={"company": "泰安印刷厂", "note": "一\n二"},
                                 headers={"X-Lead-Key": key})
    assert fine.status_code == 201, fine.text


async def test_a_confirmed_card_keeps_no_control_characters_the_reader_left(org: Any) -> None:
    """What the reader took from the image becomes one line (a correction with one is 422, above)."""
    card = await make_card(org.rep_east1, name="张\r\n伟", title="销售\x0c经理", company="Brightstar\tTrading",
                           phones=["021\n6222 7788"], email="zw@example.com\x1b")
    answer = await org.post("rep_east1", f"/api/v1/cards/{card.id}/confirm", {})
    assert answer.status_code == 201, answer.text
    contact, customer = answer.json()["contact"], answer.json()["customer"]
    assert (contact["name"], contact["title"], contact["phone"], contact["email"]) == (
        "张 伟", "销售 经理", "021 6222 7788", "zw@example.com")
    assert (customer["name"], customer["phone"]) == ("Brightstar Trading", "021 6222 7788")
