"""撞单 by local numbers: a landline or fax given without its area code (7 or 8
digits) matches the stored numbers whose local part equals it; old 7-digit
numbers are numbers."""

from __future__ import annotations

from server import dedupe
from tests.support.customers import make_customer


async def duplicates(org, who: str, **params) -> list[tuple[int, list[str]]]:
    response = await org.get(who, "/api/v1/customers/duplicates", params=params)
    assert response.status_code == 200, response.text
    return [(d["id"], d["matched_on"]) for d in response.json()["duplicates"]]


async def test_the_rules_example_matches_by_phone_and_fax_without_area_code(org) -> None:
    """慧聪: 扬州五环印花厂, 电话 0514-2398577, 传真 0514-2345586; 撞单 by 固定电话(不带区号)."""
    wuhuan = await make_customer(org, "rep_west", "扬州五环印花厂", phone="0514——2398577", fax="0514——2345586")
    assert await duplicates(org, "rep_sh", phone="2398577") == [(wuhuan["id"], ["phone"])]
    assert await duplicates(org, "rep_sh", fax="2345586") == [(wuhuan["id"], ["fax"])]
    assert await duplicates(org, "rep_sh", phone="2345586") == [(wuhuan["id"], ["fax"])]
    assert await duplicates(org, "rep_sh", phone="0514-2398577") == [(wuhuan["id"], ["phone"])]
    assert await duplicates(org, "rep_sh", phone="2398578") == []


async def test_creating_with_a_local_number_someone_holds_is_a_duplicate(org) -> None:
    wuhuan = await make_customer(org, "rep_west", "扬州五环印花厂", phone="0514-2398577")
    response = await org.post("rep_sh", "/api/v1/customers", {"name": "五环印染", "phone": "239 8577"})
    assert response.status_code == 409, response.text
    assert [(d["id"], d["matched_on"]) for d in response.json()["error"]["details"]["duplicates"]] == [
        (wuhuan["id"], ["phone"])]


async def test_eight_digit_local_numbers_match_only_whole_local_parts(org) -> None:
    shanghai = await make_customer(org, "rep_west", "申城建材", phone="021-5888 1234")
    yangzhou = await make_customer(org, "rep_west", "扬州新厂", phone="0514-82398577")
    assert await duplicates(org, "rep_sh", phone="5888-1234") == [(shanghai["id"], ["phone"])]
    assert await duplicates(org, "rep_sh", phone="82398577") == [(yangzhou["id"], ["phone"])]
    # 2398577 is the tail of 82398577, not its local number.
    assert await duplicates(org, "rep_sh", phone="2398577") == []


async def test_mobiles_and_short_numbers_are_not_local_numbers(org) -> None:
    await make_customer(org, "rep_west", "移动客户", phone="138 0013 8000")
    assert await duplicates(org, "rep_sh", phone="00138000") == []
    assert await duplicates(org, "rep_sh", phone="0138000") == []
    assert await duplicates(org, "rep_sh", phone="95588") == []


def test_local_number_and_local_part() -> None:
    assert dedupe.normalize_phone("0514-2398577") == "+865142398577"
    assert dedupe.local_part("+865142398577") == "2398577"
    assert dedupe.local_part("+862158881234") == "58881234"
    assert dedupe.local_part("+86106222778") == "6222778"
    assert dedupe.local_part("+8613800138000") is None
    assert [dedupe.local_number(raw) for raw in ("2398577", "电话:5888-1234", "2398577 转 8")] == [
        "2398577", "58881234", "2398577"]
    assert [dedupe.local_number(raw) for raw in ("0514-2398577", "12345678", "239857", "123456789", "2398577abc")] == [
        None, None, None, None, None]


async def test_the_migration_keys_old_landlines_stored_without_a_key(org) -> None:
    import importlib
    from types import SimpleNamespace

    from tortoise import connections

    from server.models.customers import Customer

    migration = importlib.import_module("server.migrations.0004_old_landline_keys")
    old = await Customer.create(name="扬州五环印花厂", phone="0514-2398577", fax="0514-2345586", owner_id=org.rep_west.id)
    mobile = await Customer.create(name="移动客户", phone="13800138000", phone_key="+8613800138000", owner_id=org.rep_west.id)
    await migration.rekey_old_landlines(None, SimpleNamespace(client=connections.get("default")))
    old = await Customer.get(id=old.id)
    assert (old.phone_key, old.fax_key) == ("+865142398577", "+865142345586")
    assert (await Customer.get(id=mobile.id)).phone_key == "+8613800138000"
    assert await duplicates(org, "rep_sh", phone="2398577") == [(old.id, ["phone"])]
