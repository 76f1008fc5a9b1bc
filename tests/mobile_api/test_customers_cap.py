"""The cap on customers owned holds on every path that gives someone a customer:
create, import, claim, transfer, card save; per role, and when requests race."""

from __future__ import annotations

import asyncio
import csv
import io

import orjson
import pytest

from server.models.customers import Customer
from server.settings import SettingsError, load_settings
from tests.mobile_api.card_helpers import make_card
from tests.support.customers import ids, make_customer, make_pool_customer


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_MAX_CUSTOMERS_PER_REP": "3", "FIELDLINE_MAX_CUSTOMERS_PER_MANAGER": "4"}


async def fill(owner, count: int, prefix: str = "客户") -> None:
    for i in range(count):
        await Customer.create(name=f"{prefix}{owner.login}{i}", owner_id=owner.id)


def limit_reached(response, limit: int, owned: int) -> bool:
    body = response.json()
    return (response.status_code, body["error"]["code"], body["error"]["details"]) == (
        409, "limit_reached", {"limit": limit, "owned": owned})


async def test_create_past_the_cap_is_limit_reached(org) -> None:
    await fill(org.rep_sh, 3)
    response = await org.post("rep_sh", "/api/v1/customers", {"name": "远洋渔业"})
    assert limit_reached(response, 3, 3), response.text
    assert not await Customer.exists(name="远洋渔业")


async def test_a_manager_cannot_create_past_a_reps_cap_for_them(org) -> None:
    await fill(org.rep_sh, 3)
    response = await org.post("manager_east", "/api/v1/customers", {"name": "远洋渔业", "owner_id": org.rep_sh.id})
    assert limit_reached(response, 3, 3), response.text
    assert org.rep_sh.name in response.json()["error"]["message"]


async def test_import_refuses_the_rows_past_the_cap_one_by_one(org) -> None:
    """The issue's example at a small scale: a rep near the cap imports more rows than fit."""
    await fill(org.rep_sh, 1)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["公司名称"])
    writer.writerows([[name] for name in ("申城建材", "东海水产", "浦江印刷", "远洋渔业")])
    files = {"file": ("customers.csv", buffer.getvalue().encode(), "text/csv")}
    data = {"mapping": orjson.dumps({"公司名称": "name"}).decode()}
    dry = await org.post("rep_sh", "/api/v1/customers/import", files=files, data={**data, "dry_run": "true"})
    assert dry.status_code == 200, dry.text
    assert dry.json()["created"] == 2 and [e["row"] for e in dry.json()["errors"]] == [4, 5]
    response = await org.post("rep_sh", "/api/v1/customers/import", files=files, data=data)
    body = response.json()
    assert (body["created"], body["duplicates"]) == (2, [])
    assert [e["row"] for e in body["errors"]] == [4, 5]
    assert all("cap" in e["message"] for e in body["errors"])
    assert len(await ids(org, "rep_sh", "/api/v1/customers?scope=mine")) == 3


async def test_claim_past_a_managers_cap(org) -> None:
    await fill(org.manager_east, 4)
    pooled = await make_pool_customer(org, "远洋渔业")
    response = await org.post("manager_east", f"/api/v1/customers/{pooled['id']}/claim")
    assert limit_reached(response, 4, 4), response.text


async def test_transfer_to_someone_at_their_cap_is_limit_reached(org) -> None:
    """The issue's example: a manager's transfer took a rep past the cap."""
    await fill(org.rep_sh, 3)
    customer = await make_customer(org, "rep_east1", "申城建材")
    response = await org.post("manager_east", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_sh.id})
    assert limit_reached(response, 3, 3), response.text
    assert (await Customer.get(id=customer["id"])).owner_id == org.rep_east1.id
    pooled = await make_pool_customer(org, "远洋渔业")
    response = await org.post("admin", f"/api/v1/customers/{pooled['id']}/transfer", {"owner_id": org.rep_sh.id})
    assert limit_reached(response, 3, 3), response.text


async def test_admins_are_not_capped_by_default(org) -> None:
    await fill(org.admin, 6)
    assert (await org.post("admin", "/api/v1/customers", {"name": "远洋渔业"})).status_code == 201


async def test_card_save_past_the_cap_creates_nothing(org) -> None:
    await fill(org.rep_sh, 3)
    card = await make_card(org.rep_sh, name="李明", company="扬州五环印花厂", mobile="13912345678")
    response = await org.post("rep_sh", f"/api/v1/cards/{card.id}/confirm", {"fields": {}})
    assert limit_reached(response, 3, 3), response.text
    assert not await Customer.exists(name="扬州五环印花厂")
    # The card stays confirmable once there is room.
    await Customer.filter(owner_id=org.rep_sh.id).limit(1).delete()
    assert (await org.post("rep_sh", f"/api/v1/cards/{card.id}/confirm", {"fields": {}})).status_code == 201


async def test_creates_racing_for_the_last_place_get_one(org) -> None:
    await fill(org.rep_sh, 2)
    names = ("申城建材", "东海水产", "浦江印刷", "远洋渔业")
    answers = await asyncio.gather(*(org.post("rep_sh", "/api/v1/customers", {"name": n}) for n in names))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"limit_reached"}
    assert await Customer.filter(owner_id=org.rep_sh.id).count() == 3


async def test_a_transfer_and_a_claim_racing_for_the_last_place_get_one(org) -> None:
    await fill(org.rep_sh, 2)
    customer = await make_customer(org, "rep_east1", "申城建材")
    pooled = await make_pool_customer(org, "远洋渔业")
    answers = await asyncio.gather(
        org.post("manager_east", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_sh.id}),
        org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim"),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await Customer.filter(owner_id=org.rep_sh.id, in_pool=False).count() == 3


def test_limits_are_settings_and_unlimited_is_a_value() -> None:
    settings = load_settings({})
    assert (settings.max_customers_per_rep, settings.max_customers_per_manager, settings.max_customers_per_admin) == (130, 130, None)
    settings = load_settings({"FIELDLINE_MAX_CUSTOMERS_PER_MANAGER": "unlimited", "FIELDLINE_MAX_CUSTOMERS_PER_ADMIN": "500"})
    assert (settings.max_customers_per_manager, settings.max_customers_per_admin) == (None, 500)
    with pytest.raises(SettingsError, match="FIELDLINE_MAX_CUSTOMERS_PER_REP"):
        load_settings({"FIELDLINE_MAX_CUSTOMERS_PER_REP": "lots"})
