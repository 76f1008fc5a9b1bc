"""Contacts: create, list, change, delete, vCards; visibility follows the customer."""

from __future__ import annotations

import datetime as dt

from tests.support.customers import ids, make_customer


async def test_create_and_read_a_contact(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    response = await org.post("rep_sh", "/api/v1/contacts", {
        "customer_id": customer["id"], "name": "欧阳娜娜", "title": "采购经理", "mobile": "139 1234 5678",
        "email": "nana@example.com", "wechat": "nana_oy", "source": "card", "card_id": 12,
    })
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "customer_id", "name", "title", "mobile", "phone", "email", "wechat", "address",
                         "website", "source", "card_id"}
    assert (body["customer_id"], body["source"], body["card_id"], body["owner_id"]) == (customer["id"], "card", 12, org.rep_sh.id)
    assert (await org.get("rep_sh", f"/api/v1/contacts/{body['id']}")).json() == body


async def test_contact_input_is_checked(org) -> None:
    customer = await make_customer(org, "rep_west", "西部矿业")
    assert (await org.post("rep_sh", "/api/v1/contacts", {"name": "x", "customer_id": customer["id"]})).status_code == 404
    assert (await org.post("rep_sh", "/api/v1/contacts", {"name": ""})).status_code == 422
    assert (await org.post("rep_sh", "/api/v1/contacts", {"name": "x", "source": "fax"})).status_code == 422
    assert (await org.post("rep_sh", "/api/v1/contacts", {"name": "x", "email": "not-an-email"})).status_code == 422


async def test_a_contact_without_customer_is_seen_by_its_owner_and_their_managers(org) -> None:
    contact = (await org.post("rep_sh", "/api/v1/contacts", {"name": "独立联系人"})).json()
    path = f"/api/v1/contacts/{contact['id']}"
    assert (await org.get("manager_east", path)).status_code == 200
    assert (await org.get("rep_east1", path)).status_code == 404
    assert (await org.get("manager_west", path)).status_code == 404


async def test_contacts_follow_their_customer_when_it_moves(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    contact = (await org.post("rep_sh", "/api/v1/contacts", {"customer_id": customer["id"], "name": "陈静"})).json()
    assert await ids(org, "rep_east1", "/api/v1/contacts") == []
    await org.post("manager_east", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_east1.id})
    assert await ids(org, "rep_east1", "/api/v1/contacts") == [contact["id"]]
    assert await ids(org, "rep_east1", f"/api/v1/contacts?customer_id={customer['id']}") == [contact["id"]]


async def test_list_search_and_delta_sync(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    first = (await org.post("rep_sh", "/api/v1/contacts", {"customer_id": customer["id"], "name": "陈静", "mobile": "13912345678"})).json()
    second = (await org.post("rep_sh", "/api/v1/contacts", {"customer_id": customer["id"], "name": "Wang Lei"})).json()
    assert await ids(org, "rep_sh", "/api/v1/contacts?q=wang") == [second["id"]]
    assert await ids(org, "rep_sh", "/api/v1/contacts?q=139-1234-5678") == [first["id"]]
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)).isoformat()
    assert (await org.delete("rep_sh", f"/api/v1/contacts/{first['id']}")).status_code == 204
    items = (await org.get("rep_sh", "/api/v1/contacts", params={"updated_since": since})).json()["items"]
    assert {"id": first["id"], "deleted": True} in items
    assert await ids(org, "rep_sh", "/api/v1/contacts") == [second["id"]]


async def test_patch_with_versions(org) -> None:
    contact = (await org.post("rep_sh", "/api/v1/contacts", {"name": "陈静"})).json()
    path = f"/api/v1/contacts/{contact['id']}"
    changed = await org.patch("rep_sh", path, {"title": "总经理"}, headers={"If-Match": "1"})
    assert (changed.status_code, changed.json()["title"], changed.json()["version"]) == (200, "总经理", 2)
    stale = await org.patch("rep_sh", path, {"title": "董事长"}, headers={"If-Match": "1"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"


async def test_vcard_with_a_chinese_name_and_escaping(org) -> None:
    customer = await make_customer(org, "rep_sh", "瑞丽服装; 上海, 分部")
    contact = (await org.post("rep_sh", "/api/v1/contacts", {
        "customer_id": customer["id"], "name": "欧阳娜娜", "title": "采购, 经理", "mobile": "+86 139 1234 5678",
        "phone": "021-5888 1234", "email": "nana@example.com",
    })).json()
    response = await org.get("rep_sh", f"/api/v1/contacts/{contact['id']}.vcf")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vcard")
    text = response.content.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[:4] == ["BEGIN:VCARD", "VERSION:3.0", "N:欧阳;娜娜;;;", "FN:欧阳娜娜"]
    assert "ORG:瑞丽服装\\; 上海\\, 分部" in lines
    assert "TITLE:采购\\, 经理" in lines
    assert "TEL;TYPE=CELL:+86 139 1234 5678" in lines and "TEL;TYPE=WORK:021-5888 1234" in lines
    assert text.endswith("END:VCARD\r\n")
    assert (await org.get("rep_west", f"/api/v1/contacts/{contact['id']}.vcf")).status_code == 404
