"""The customer actions and queries other features call (card confirm, check-ins)."""

from __future__ import annotations

import pytest

from server.access import viewer_for
from server.actions.customers import create_contact, create_customer
from server.errors import AppError
from server.queries.customers import access_customer, find_duplicates, visible_customers


async def test_create_customer_stores_the_match_keys(org) -> None:
    rep = await viewer_for(org.rep_sh)
    customer = await create_customer(rep, {"name": "上海市瑞丽服装有限公司", "phone": "021-5888 1234", "fax": "(021) 5888-1235"})
    assert (customer.name_key, customer.phone_key, customer.fax_key) == ("瑞丽服装", "+862158881234", "+862158881235")
    assert customer.owner_id == org.rep_sh.id and not customer.in_pool


async def test_create_customer_refuses_a_duplicate_owned_by_someone_the_caller_cannot_see(org) -> None:
    west = await create_customer(await viewer_for(org.rep_west), {"name": "瑞丽服装（上海）有限公司"})
    with pytest.raises(AppError) as caught:
        await create_customer(await viewer_for(org.rep_sh), {"name": "上海瑞丽服装厂"})
    assert caught.value.status == 409 and caught.value.code.value == "duplicate"
    assert caught.value.details["duplicates"] == [
        {"id": west.id, "name": "瑞丽服装（上海）有限公司", "owner_id": org.rep_west.id, "in_pool": False, "matched_on": ["name"]}
    ]


async def test_find_duplicates_reports_each_matching_field(org) -> None:
    rep = await viewer_for(org.rep_east1)
    await create_customer(rep, {"name": "华南物流有限公司", "phone": "+86 20 8888 1234", "fax": "020-8888-1235"})
    by_fax = await find_duplicates("华南食品", "020 8888 1235", None, rep)
    assert [d["matched_on"] for d in by_fax] == [["fax"]]
    both = await find_duplicates("广州华南物流", None, "02088881234", rep)
    assert [d["matched_on"] for d in both] == [["name", "phone"]]
    assert await find_duplicates("华南食品", "021 1234 5678", None, rep) == []


async def test_access_customer_hides_other_peoples_customers_but_not_shared_or_pool(org) -> None:
    owner = await viewer_for(org.rep_west)
    customer = await create_customer(owner, {"name": "腾达科技有限公司"})
    other = await viewer_for(org.rep_sh)
    with pytest.raises(AppError) as caught:
        await access_customer(other, customer.id)
    assert caught.value.status == 404
    assert await visible_customers(other).count() == 0
    manager = await viewer_for(org.manager_west)
    assert (await access_customer(manager, customer.id)).id == customer.id
    foreign_manager = await viewer_for(org.manager_east)
    with pytest.raises(AppError):
        await access_customer(foreign_manager, customer.id)


async def test_create_contact_needs_a_visible_customer(org) -> None:
    customer = await create_customer(await viewer_for(org.rep_west), {"name": "金盛五金"})
    with pytest.raises(AppError) as caught:
        await create_contact(await viewer_for(org.rep_sh), {"name": "陈小姐", "customer_id": customer.id})
    assert caught.value.status == 404
    contact = await create_contact(
        await viewer_for(org.rep_west),
        {"name": "陈小姐", "customer_id": customer.id, "mobile": "138 0013 8000", "source": "card", "card_id": 7},
    )
    assert (contact.owner_id, contact.mobile_key, contact.source, contact.card_id) == (
        org.rep_west.id, "+8613800138000", "card", 7,
    )
