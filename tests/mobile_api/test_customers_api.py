"""Customers over HTTP: create, 撞单, read, change, delete, versions, idempotency."""

from __future__ import annotations

from tests.support.customers import make_customer


async def test_create_answers_the_customer_as_the_contract_shapes_it(org) -> None:
    response = await org.post("rep_sh", "/api/v1/customers", {
        "name": "上海瑞丽服装有限公司", "phone": "021-5888 1234", "address": "上海市徐汇区漕溪北路 88 号",
        "lat": 31.19, "lng": 121.43, "industry": "服装", "level": "A", "tags": ["重点", "华东", "重点"],
    })
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "name", "phone", "fax", "address", "lat", "lng", "industry", "source", "level",
                         "tags", "owner_id", "in_pool", "shared_with", "created_at", "updated_at", "version"}
    assert (body["owner_id"], body["in_pool"], body["shared_with"], body["version"]) == (org.rep_sh.id, False, [], 1)
    assert body["tags"] == ["华东", "重点"]
    assert "上海瑞丽服装有限公司" in response.text  # UTF-8 as is, not \u-escaped


async def test_a_duplicate_is_refused_with_what_matched_even_when_invisible(org) -> None:
    theirs = await make_customer(org, "rep_west", "瑞丽服装（上海）有限公司", phone="+86 21 5888 1234")
    response = await org.post("rep_sh", "/api/v1/customers", {"name": "上海市瑞丽服装厂", "fax": "021 58881234"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["details"]["duplicates"] == [{
        "id": theirs["id"], "name": "瑞丽服装（上海）有限公司", "owner_id": org.rep_west.id,
        "in_pool": False, "matched_on": ["name", "phone"],
    }]
    assert (await org.get("rep_sh", f"/api/v1/customers/{theirs['id']}")).status_code == 404


async def test_different_industries_and_places_only_are_not_duplicates(org) -> None:
    await make_customer(org, "rep_west", "华南物流有限公司")
    await make_customer(org, "rep_west", "上海服装有限公司")
    for name in ("华南食品有限公司", "北京服装有限公司"):
        assert (await org.post("rep_sh", "/api/v1/customers", {"name": name})).status_code == 201


async def test_duplicates_endpoint_checks_without_creating(org) -> None:
    first = await make_customer(org, "rep_east1", "Ruili Garment Co., Ltd.", fax="+86 21 5888 9999")
    response = await org.get("rep_west", "/api/v1/customers/duplicates",
                             params={"name": "RUILI GARMENT", "phone": "021-5888-9999"})
    assert response.status_code == 200
    assert response.json() == {"duplicates": [{"id": first["id"], "name": "Ruili Garment Co., Ltd.",
                                               "owner_id": org.rep_east1.id, "in_pool": False,
                                               "matched_on": ["fax", "name"]}]}
    nothing = await org.get("rep_west", "/api/v1/customers/duplicates", params={"name": "有限公司"})
    assert nothing.json() == {"duplicates": []}


async def test_a_deleted_customer_is_no_longer_a_duplicate(org) -> None:
    customer = await make_customer(org, "rep_sh", "腾达科技有限公司")
    assert (await org.delete("rep_sh", f"/api/v1/customers/{customer['id']}")).status_code == 204
    assert (await org.post("rep_west", "/api/v1/customers", {"name": "深圳腾达科技"})).status_code == 201


async def test_patch_changes_fields_bumps_version_and_keeps_keys_in_step(org) -> None:
    customer = await make_customer(org, "rep_sh", "金盛五金", phone="021 6111 2222")
    path = f"/api/v1/customers/{customer['id']}"
    response = await org.patch("rep_sh", path, {"name": "金盛五金机电", "tags": ["五金"]}, headers={"If-Match": "1"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"], response.json()["tags"]) == ("金盛五金机电", 2, ["五金"])
    dup = await org.get("rep_west", "/api/v1/customers/duplicates", params={"name": "金盛五金机电有限公司"})
    assert [d["id"] for d in dup.json()["duplicates"]] == [customer["id"]]
    old = await org.get("rep_west", "/api/v1/customers/duplicates", params={"name": "金盛五金"})
    assert old.json()["duplicates"] == []


async def test_patch_with_a_stale_version_is_409(org) -> None:
    customer = await make_customer(org, "rep_sh", "海德化工")
    path = f"/api/v1/customers/{customer['id']}"
    assert (await org.patch("rep_sh", path, {"level": "B"}, headers={"If-Match": "1"})).status_code == 200
    stale = await org.patch("rep_sh", path, {"level": "C"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["details"] == {"current_version": 2}
    assert (await org.get("rep_sh", path)).json()["level"] == "B"
    bad = await org.patch("rep_sh", path, {"level": "C"}, headers={"If-Match": "abc"})
    assert bad.status_code == 422


async def test_patch_into_a_duplicate_is_refused(org) -> None:
    await make_customer(org, "rep_west", "恒通物流有限公司")
    mine = await make_customer(org, "rep_sh", "恒达物流")
    response = await org.patch("rep_sh", f"/api/v1/customers/{mine['id']}", {"name": "恒通物流"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"


async def test_create_is_idempotent_with_a_key(org) -> None:
    headers = {"Idempotency-Key": "offline-42"}
    first = await org.post("rep_sh", "/api/v1/customers", {"name": "宏远电子"}, headers=headers)
    again = await org.post("rep_sh", "/api/v1/customers", {"name": "宏远电子"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    listed = await org.get("rep_sh", "/api/v1/customers")
    assert [c["name"] for c in listed.json()["items"]] == ["宏远电子"]


async def test_bad_input_gets_a_clear_422(org) -> None:
    cases = [
        ({"name": ""}, "name"),
        ({"name": "x", "lat": 91, "lng": 0}, "lat"),
        ({"name": "x", "lat": 31.2}, "lng"),
        ({"name": "x", "tags": "重点"}, "tags"),
        ({"name": "x", "owner_id": 999999}, "owner_id"),
    ]
    for body, field in cases:
        response = await org.post("rep_sh", "/api/v1/customers", body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["error"]["details"]["fields"], (body, response.text)


async def test_a_rep_cannot_create_for_someone_else_but_a_manager_can_for_the_team(org) -> None:
    denied = await org.post("rep_sh", "/api/v1/customers", {"name": "大华包装", "owner_id": org.rep_east1.id})
    assert denied.status_code == 403
    made = await org.post("manager_east", "/api/v1/customers", {"name": "大华包装", "owner_id": org.rep_sh.id})
    assert made.status_code == 201 and made.json()["owner_id"] == org.rep_sh.id
    foreign = await org.post("manager_east", "/api/v1/customers", {"name": "大明包装", "owner_id": org.rep_west.id})
    assert foreign.status_code == 403


async def test_delete_then_get_is_404(org) -> None:
    customer = await make_customer(org, "rep_sh", "新锐广告")
    path = f"/api/v1/customers/{customer['id']}"
    assert (await org.delete("rep_sh", path, headers={"If-Match": "2"})).status_code == 409
    assert (await org.delete("rep_sh", path)).status_code == 204
    assert (await org.get("rep_sh", path)).status_code == 404
    assert (await org.delete("rep_sh", path)).status_code == 404
