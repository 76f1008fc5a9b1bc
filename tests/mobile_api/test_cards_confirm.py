"""Confirming a card: contact and customer in one step, duplicates, and refusals (docs/cards.md)."""

from __future__ import annotations

from server.access import viewer_for
from server.actions.customers import create_contact, create_customer
from server.models.cards import Card
from server.models.customers import Contact, Customer
from tests.mobile_api.card_helpers import make_card

RUILI = {"name": "陈测试", "title": "销售经理", "company": "上海市瑞丽服装有限公司", "mobile": "+8613912345678",
         "phones": ["+862158881234"], "fax": "+862158881235", "email": "chen@ruili.example.com",
         "website": "www.ruili.example.com", "address": "上海市徐汇区示例路1号"}


async def confirm(org, who, card_id, json=None):
    return await org.post(who, f"/api/v1/cards/{card_id}/confirm", json if json is not None else {})


async def customer_of(org, who, name, **extra):
    return await create_customer(await viewer_for(org.users[who]), {"name": name, **extra})


async def test_confirm_creates_the_contact_and_the_customer_with_corrections(org):
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id, {"fields": {"title": "销售总监", "email": None}})
    assert response.status_code == 201, response.text
    contact, customer = response.json()["contact"], response.json()["customer"]
    assert (contact["name"], contact["title"], contact["email"]) == ("陈测试", "销售总监", None)
    assert (contact["mobile"], contact["phone"], contact["website"]) == ("+8613912345678", "+862158881234", "www.ruili.example.com")
    assert (contact["source"], contact["card_id"], contact["customer_id"]) == ("card", card.id, customer["id"])
    assert (customer["name"], customer["phone"], customer["fax"]) == ("上海市瑞丽服装有限公司", "+862158881234", "+862158881235")
    assert customer["owner_id"] == org.rep_sh.id and customer["source"] == "card"
    shown = (await org.get("rep_sh", f"/api/v1/cards/{card.id}")).json()
    assert (shown["contact_id"], shown["customer_id"]) == (contact["id"], customer["id"])
    assert shown["duplicates"] == []  # what the card became is not its own duplicate


async def test_confirming_twice_is_409_and_creates_nothing_more(org):
    card = await make_card(org.rep_sh, **RUILI)
    assert (await confirm(org, "rep_sh", card.id)).status_code == 201
    again = await confirm(org, "rep_sh", card.id)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert "already been confirmed" in again.json()["error"]["message"]
    assert await Contact.all().count() == 1 and await Customer.all().count() == 1


async def test_confirm_links_to_the_one_matching_customer_the_rep_sees(org):
    existing = await customer_of(org, "rep_sh", "瑞丽服装（上海）", phone="021 5888 1234")
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id)
    assert response.status_code == 201, response.text
    assert response.json()["customer"]["id"] == existing.id
    assert response.json()["contact"]["customer_id"] == existing.id
    assert await Customer.all().count() == 1


async def test_confirm_links_to_the_customer_named_by_customer_id(org):
    chosen = await customer_of(org, "rep_sh", "示例贸易有限公司")
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id, {"customer_id": chosen.id})
    assert response.status_code == 201
    assert response.json()["customer"]["id"] == chosen.id
    assert await Customer.all().count() == 1


async def test_a_customer_id_the_rep_cannot_see_is_404(org):
    hidden = await customer_of(org, "rep_west", "西部示例有限公司")
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id, {"customer_id": hidden.id})
    assert response.status_code == 404
    assert await Contact.all().count() == 0
    assert (await Card.get(id=card.id)).confirmed_at is None


async def test_a_match_only_someone_else_sees_is_409_duplicate_and_nothing_is_created(org):
    theirs = await customer_of(org, "rep_west", "瑞丽服装有限公司")
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert [(d["id"], d["owner_id"], d["matched_on"]) for d in error["details"]["duplicates"]] == [
        (theirs.id, org.rep_west.id, ["name"])
    ]
    assert await Contact.all().count() == 0 and await Customer.all().count() == 1
    assert (await Card.get(id=card.id)).confirmed_at is None
    retry = await confirm(org, "rep_sh", card.id, {"fields": {"company": "瑞丽服饰有限公司"}})
    assert retry.status_code == 201  # a corrected company name is another company


async def test_several_visible_matches_ask_for_customer_id(org):
    by_name = await customer_of(org, "rep_sh", "瑞丽服装厂")
    by_phone = await customer_of(org, "rep_sh", "示例物流有限公司", phone="021-5888-1234")
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id)
    assert response.status_code == 409
    assert "customer_id" in response.json()["error"]["message"]
    assert {d["id"] for d in response.json()["error"]["details"]["duplicates"]} == {by_name.id, by_phone.id}
    assert await Contact.all().count() == 0


async def test_a_pending_card_cannot_be_confirmed(org):
    card = await make_card(org.rep_sh, status="pending")
    response = await confirm(org, "rep_sh", card.id, {"fields": {"name": "陈测试", "company": "示例贸易有限公司"}})
    assert response.status_code == 409
    assert "still being read" in response.json()["error"]["message"]


async def test_a_failed_card_is_confirmed_with_the_fields_typed_by_hand(org):
    card = await make_card(org.rep_sh, status="failed")
    missing = await confirm(org, "rep_sh", card.id)
    assert missing.status_code == 422
    assert "fields.name" in missing.json()["error"]["details"]["fields"]
    no_company = await confirm(org, "rep_sh", card.id, {"fields": {"name": "陈测试"}})
    assert no_company.status_code == 422
    assert "fields.company" in no_company.json()["error"]["details"]["fields"]
    typed = await confirm(org, "rep_sh", card.id, {"fields": {"name": "陈测试", "company": "示例贸易有限公司"}})
    assert typed.status_code == 201, typed.text
    assert typed.json()["customer"]["name"] == "示例贸易有限公司"


async def test_only_the_rep_who_scanned_it_confirms(org):
    card = await make_card(org.rep_sh, **RUILI)
    assert (await confirm(org, "rep_east1", card.id)).status_code == 404
    admin = await confirm(org, "admin", card.id)
    assert admin.status_code == 403
    assert await Contact.all().count() == 0


async def test_bad_corrections_are_422(org):
    card = await make_card(org.rep_sh, **RUILI)
    response = await confirm(org, "rep_sh", card.id, {"fields": {"phones": "021 5888 1234"}})
    assert response.status_code == 422
    assert "fields.phones" in response.json()["error"]["details"]["fields"]
    too_long = await confirm(org, "rep_sh", card.id, {"fields": {"name": "x" * 101}})
    assert too_long.status_code == 422


async def test_duplicates_list_matching_customers_and_contacts(org):
    rep_west = await viewer_for(org.rep_west)
    theirs = await create_customer(rep_west, {"name": "瑞丽服装股份有限公司"})
    person = await create_contact(rep_west, {"name": "陈某", "mobile": "139 1234 5678", "customer_id": theirs.id})
    card = await make_card(org.rep_sh, **RUILI)
    duplicates = (await org.get("rep_sh", f"/api/v1/cards/{card.id}")).json()["duplicates"]
    assert duplicates == [
        {"type": "customer", "id": theirs.id, "name": "瑞丽服装股份有限公司", "owner_id": org.rep_west.id,
         "in_pool": False, "matched_on": ["name"]},
        {"type": "contact", "id": person.id, "name": "陈某", "owner_id": org.rep_west.id, "in_pool": False,
         "matched_on": ["mobile"], "customer_id": theirs.id},
    ]
