"""GET /customers/lookup (全局查询): anyone may ask who is on a company, across
every owner, and learns only its name, owner (name, department) and pool state."""

from __future__ import annotations

import pytest

from server.models.customers import Contact
from tests.support.customers import make_customer, make_pool_customer


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_LOOKUPS_PER_MINUTE": "20"}


async def lookup(org, who: str, q: str) -> list[dict]:
    response = await org.get(who, "/api/v1/customers/lookup", params={"q": q})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"items"}
    return response.json()["items"]


async def test_a_rep_finds_a_colleagues_company_by_a_word_of_its_name(org) -> None:
    """The issue's example: q=瑞丽 answered [] while another rep owned 上海瑞丽服装有限公司."""
    ruili = await make_customer(org, "rep_west", "上海瑞丽服装有限公司", phone="021-5888 1234",
                                address="上海市闵行区", industry="服装", tags=["重点"])
    await Contact.create(customer_id=ruili["id"], name="赵总", mobile="13800138000")
    assert (await org.get("rep_sh", f"/api/v1/customers/{ruili['id']}")).status_code == 404
    items = await lookup(org, "rep_sh", "瑞丽")
    assert items == [{
        "id": ruili["id"], "name": "上海瑞丽服装有限公司",
        "owner": {"id": org.rep_west.id, "name": "Will West", "department": "West"}, "in_pool": False,
    }]


async def test_every_word_must_be_in_the_name_or_the_name_key_the_same(org) -> None:
    ruili = await make_customer(org, "rep_west", "上海瑞丽服装有限公司")
    await make_customer(org, "rep_east1", "瑞丽食品")
    assert [i["id"] for i in await lookup(org, "rep_sh", "瑞丽 服装")] == [ruili["id"]]
    assert [i["id"] for i in await lookup(org, "rep_sh", "上海市瑞丽服装厂")] == [ruili["id"]]
    assert len(await lookup(org, "rep_sh", "瑞丽")) == 2
    assert await lookup(org, "rep_sh", "瑞丽 物流") == []


async def test_phone_and_fax_match_also_without_area_code(org) -> None:
    wuhuan = await make_customer(org, "rep_west", "扬州五环印花厂", phone="0514-2398577", fax="0514-2345586")
    for q in ("0514-2398577", "2398577", "2345586", "+86 514 2345586"):
        assert [i["id"] for i in await lookup(org, "rep_sh", q)] == [wuhuan["id"]], q


async def test_pool_customers_have_no_owner_and_deleted_ones_are_not_found(org) -> None:
    pooled = await make_pool_customer(org, "远洋渔业")
    gone = await make_customer(org, "rep_west", "远洋贸易")
    assert (await org.delete("rep_west", f"/api/v1/customers/{gone['id']}")).status_code == 204
    assert await lookup(org, "rep_sh", "远洋") == [
        {"id": pooled["id"], "name": "远洋渔业", "owner": None, "in_pool": True}]


async def test_like_wildcards_are_plain_characters(org) -> None:
    await make_customer(org, "rep_west", "申城建材")
    assert await lookup(org, "rep_sh", "%%") == []
    assert await lookup(org, "rep_sh", "__") == []


async def test_bad_queries_are_422(org) -> None:
    for params in ({}, {"q": ""}, {"q": "瑞"}, {"q": "  瑞 "}, {"q": "x" * 101}):
        response = await org.get("rep_sh", "/api/v1/customers/lookup", params=params)
        assert response.status_code == 422, (params, response.text)
        assert "q" in response.json()["error"]["details"]["fields"]


async def test_lookups_are_limited_per_user(org) -> None:
    answers = [await org.get("rep_sh", "/api/v1/customers/lookup", params={"q": "瑞丽"}) for _ in range(21)]
    assert [a.status_code for a in answers] == [200] * 20 + [429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert (await org.get("rep_west", "/api/v1/customers/lookup", params={"q": "瑞丽"})).status_code == 200


async def test_signed_out_callers_are_401(org) -> None:
    response = await org.client.get("/api/v1/customers/lookup", params={"q": "瑞丽"})
    assert response.status_code == 401
