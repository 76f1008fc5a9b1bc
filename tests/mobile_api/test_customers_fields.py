"""Customer fields of the entry form (province, city, industry, source, level,
email, website, description), the last contact, list filters on each, sorting,
and CSV import/export carrying them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import orjson
import pytest

from server.clock import utcnow
from server.models.customers import Customer
from tests.support.customers import make_customer

FIELDS = {
    "province": "江苏", "city": "扬州", "industry": "印染", "source": "展会", "level": "A",
    "email": "sales@wuhuan.example.com", "website": "https://wuhuan.example.com", "description": "老客户，做印花布",
}


def ago(hours: float) -> str:
    return (utcnow() - dt.timedelta(hours=hours)).isoformat()


async def names(org, who: str, **params) -> list[str]:
    response = await org.get(who, "/api/v1/customers", params=params)
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


async def test_every_field_is_kept_and_changed(org) -> None:
    created = await make_customer(org, "rep_sh", "扬州五环印花厂", **FIELDS)
    assert {k: created[k] for k in FIELDS} == FIELDS
    assert created["last_contact_at"] is None
    changed = await org.patch("rep_sh", f"/api/v1/customers/{created['id']}", {"city": "泰州", "description": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["city"], changed.json()["description"], changed.json()["province"]) == ("泰州", None, "江苏")


async def test_province_and_city_are_optional_unless_the_server_requires_them(org) -> None:
    assert (await org.post("rep_sh", "/api/v1/customers", {"name": "申城建材"})).status_code == 201


class TestRequired:
    @pytest.fixture
    def test_env(self, test_env: dict[str, str]) -> dict[str, str]:
        return {**test_env, "FIELDLINE_REQUIRE_PROVINCE_CITY": "true"}

    async def test_the_entry_form_needs_province_and_city(self, org) -> None:
        response = await org.post("rep_sh", "/api/v1/customers", {"name": "申城建材", "city": " "})
        assert response.status_code == 422, response.text
        assert set(response.json()["error"]["details"]["fields"]) == {"province", "city"}
        ok = await org.post("rep_sh", "/api/v1/customers", {"name": "申城建材", "province": "上海", "city": "上海"})
        assert ok.status_code == 201, ok.text
        patched = await org.patch("rep_sh", f"/api/v1/customers/{ok.json()['id']}", {"phone": "021-58881234"})
        assert patched.status_code == 200


@pytest.mark.parametrize("name", ["province", "city", "industry", "source", "level"])
async def test_exact_filters(org, name: str) -> None:
    await make_customer(org, "rep_sh", "扬州五环印花厂", **FIELDS)
    await make_customer(org, "rep_sh", "申城建材", **{name: "其他"})
    assert await names(org, "rep_sh", **{name: FIELDS[name]}) == ["扬州五环印花厂"]
    assert await names(org, "rep_sh", **{name: "其他"}) == ["申城建材"]
    assert await names(org, "rep_sh", **{name: FIELDS[name][:1] + "x"}) == []


@pytest.mark.parametrize(("name", "part"), [("email", "WUHUAN.example"), ("website", "wuhuan"), ("description", "印花")])
async def test_substring_filters(org, name: str, part: str) -> None:
    await make_customer(org, "rep_sh", "扬州五环印花厂", **FIELDS)
    await make_customer(org, "rep_sh", "申城建材", email="info@shencheng.example.com", website="https://sc.example.com",
                        description="建材")
    assert await names(org, "rep_sh", **{name: part}) == ["扬州五环印花厂"]


async def test_the_last_contact_follows_notes_and_check_ins(org) -> None:
    customer = await make_customer(org, "rep_sh", "扬州五环印花厂", lat=32.39, lng=119.41)
    note = await org.post("rep_sh", "/api/v1/activities", {"customer_id": customer["id"], "kind": "call", "content": "约下周拜访"})
    assert note.status_code == 201, note.text
    first = (await org.get("rep_sh", f"/api/v1/customers/{customer['id']}")).json()["last_contact_at"]
    assert first is not None
    visit = {"customer_id": customer["id"], "lat": 32.39, "lng": 119.41, "accuracy_m": 10}
    assert (await org.post("rep_sh", "/api/v1/checkins", {**visit, "captured_at": ago(5)})).status_code == 201
    assert (await org.get("rep_sh", f"/api/v1/customers/{customer['id']}")).json()["last_contact_at"] == first


async def test_last_contact_filters_and_sorting(org) -> None:
    old = await make_customer(org, "rep_sh", "老客户")
    recent = await make_customer(org, "rep_sh", "新联系")
    await make_customer(org, "rep_sh", "没联系过")
    await Customer.filter(id=old["id"]).update(last_contact_at=utcnow() - dt.timedelta(days=40))
    await Customer.filter(id=recent["id"]).update(last_contact_at=utcnow() - dt.timedelta(days=1))
    month_ago = ago(24 * 30)
    assert sorted(await names(org, "rep_sh", last_contact_before=month_ago)) == sorted(["老客户", "没联系过"])
    assert await names(org, "rep_sh", last_contact_after=month_ago) == ["新联系"]
    assert await names(org, "rep_sh", sort="last_contact") == ["老客户", "新联系", "没联系过"]
    assert await names(org, "rep_sh", sort="-last_contact") == ["新联系", "老客户", "没联系过"]


async def test_sorting_by_name_and_created_pages_through_everything(org) -> None:
    for name in ("c-works", "a-works", "d-works", "b-works", "e-works"):
        await make_customer(org, "rep_sh", name)
    for sort, expected in [("name", ["a", "b", "c", "d", "e"]), ("-name", ["e", "d", "c", "b", "a"]),
                           ("created", ["c", "a", "d", "b", "e"]), ("-created", ["e", "b", "d", "a", "c"])]:
        seen, cursor = [], None
        for _ in range(5):
            params = {"sort": sort, "limit": 2} | ({"cursor": cursor} if cursor else {})
            body = (await org.get("rep_sh", "/api/v1/customers", params=params)).json()
            seen += [c["name"][0] for c in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, sort
    assert (await org.get("rep_sh", "/api/v1/customers", params={"sort": "owner"})).status_code == 422
    assert (await org.get("rep_sh", "/api/v1/customers", params={"sort": "name", "cursor": "eyJuZWFyIjoxfQ"})).status_code == 422


async def test_csv_import_and_export_carry_the_fields(org) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["公司名称", "省份", "城市", "行业", "来源", "级别", "邮箱", "网址", "简介"]
    writer.writerow(header)
    writer.writerow(["扬州五环印花厂", *FIELDS.values()])
    mapping = dict(zip(header, ["name", *FIELDS]))
    response = await org.post("rep_sh", "/api/v1/customers/import",
                              files={"file": ("c.csv", buffer.getvalue().encode(), "text/csv")},
                              data={"mapping": orjson.dumps(mapping).decode()})
    assert response.json()["created"] == 1, response.text
    item = (await org.get("rep_sh", "/api/v1/customers")).json()["items"][0]
    assert {k: item[k] for k in FIELDS} == FIELDS
    export = await org.get("rep_sh", "/api/v1/customers/export.csv", params={"province": "江苏"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [{k: r[k] for k in FIELDS} for r in rows] == [FIELDS]
    assert "last_contact_at" in rows[0]
    empty = await org.get("rep_sh", "/api/v1/customers/export.csv", params={"province": "浙江"})
    assert len(list(csv.DictReader(io.StringIO(empty.content.decode("utf-8-sig"))))) == 0


async def test_the_migration_fills_the_last_contact_of_existing_customers(org) -> None:
    import importlib
    from types import SimpleNamespace

    from tortoise import connections

    from server.models.visits import Activity, CheckIn

    migration = importlib.import_module("server.migrations.0005_customer_fields")
    noted = await Customer.create(name="笔记客户", owner_id=org.rep_sh.id)
    visited = await Customer.create(name="拜访客户", owner_id=org.rep_sh.id)
    untouched = await Customer.create(name="冷客户", owner_id=org.rep_sh.id)
    await Activity.create(author_id=org.rep_sh.id, customer_id=noted.id, kind="call", content="x")
    captured = utcnow() - dt.timedelta(hours=3)
    await CheckIn.create(user_id=org.rep_sh.id, customer_id=visited.id, lat=31, lng=121, accuracy_m=5, captured_at=captured)
    await migration.fill_last_contact(None, SimpleNamespace(client=connections.get("default")))
    assert (await Customer.get(id=noted.id)).last_contact_at is not None
    assert abs(((await Customer.get(id=visited.id)).last_contact_at - captured).total_seconds()) < 1
    assert (await Customer.get(id=untouched.id)).last_contact_at is None
