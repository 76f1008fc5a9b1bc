"""One-line text fields (names, titles, customer and task names, conversation
titles) refuse control characters with 422 on the field; multi-line fields
(notes, bodies) keep their line breaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

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
}


@pytest.mark.parametrize("case", CASES)
async def test_a_one_line_field_with_a_control_character_is_422_on_that_field(org: Any, case: str) -> None:
    who, method, template, body, field = CASES[case]
    customer = await _customer(org)
    path = template.format(rep=org.rep_west.id, customer=customer)
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
