"""Conventions every route shares: error shape, body limits, idempotency, paging, OpenAPI."""

from __future__ import annotations

import asyncio

import orjson


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


async def test_malformed_json_is_400(org):
    response = await org.post("admin", "/api/v1/departments", content=b'{"name": ', headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed")


async def test_non_object_json_is_400(org):
    response = await org.post("admin", "/api/v1/departments", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed")


async def test_nan_literal_is_400(org):
    response = await org.post("admin", "/api/v1/departments", content=b'{"name": NaN}', headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed")


async def test_wrong_types_are_422_with_field_messages(org):
    response = await org.post("admin", "/api/v1/users", {"login": "x1", "name": 5, "password": "long-enough-1", "role": "emperor"})
    error = assert_error(response, 422, "validation_error")
    assert {"name", "role"} <= set(error["details"]["fields"])


async def test_numeric_string_is_not_a_number(org):
    response = await org.post("admin", "/api/v1/departments", {"name": "X", "parent_id": "1"})
    error = assert_error(response, 422, "validation_error")
    assert "parent_id" in error["details"]["fields"]


async def test_unknown_route_is_404_in_the_error_shape(client):
    assert_error(await client.get("/api/v1/nowhere"), 404, "not_found")


async def test_wrong_method_is_405_in_the_error_shape(client):
    assert_error(await client.delete("/api/v1/auth/login"), 405, "method_not_allowed")


async def test_unsupported_content_type_is_415(org):
    response = await org.post("admin", "/api/v1/departments", content=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(response, 415, "unsupported_media")


async def test_oversized_json_is_413_before_auth(client):
    body = b'{"login": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = await client.post("/api/v1/users", content=body, headers={"Content-Type": "application/json"})
    assert_error(response, 413, "too_large")


async def test_oversized_body_without_length_is_cut_off(org):
    async def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = await org.post("admin", "/api/v1/departments", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(response, 413, "too_large")


async def test_a_json_route_reads_at_most_1_mib_even_when_the_request_claims_multipart(org):
    """It read 10 MB before answering 415."""
    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    declared = await org.post("admin", "/api/v1/departments", content=b"x" * (2 * 1024 * 1024), headers=multipart)
    assert_error(declared, 413, "too_large")
    pulled = []

    async def chunks():
        for _ in range(160):  # 10 MiB
            pulled.append(65536)
            yield b"x" * 65536

    streamed = await org.post("admin", "/api/v1/departments", content=chunks(), headers=multipart)
    assert_error(streamed, 413, "too_large")
    assert sum(pulled) <= 1024 * 1024 + 2 * 65536
    upload = await org.post("rep_sh", "/api/v1/photos", files={"file": ("big.bin", b"x" * (2 * 1024 * 1024), "image/jpeg")})
    assert upload.status_code != 413 and upload.status_code < 500, upload.text  # uploads still take 10 MB


async def test_huge_path_id_is_404_not_500(org):
    assert_error(await org.get("admin", "/api/v1/users/99999999999999999999"), 404, "not_found")


async def test_nul_in_query_is_refused(org):
    response = await org.get("admin", "/api/v1/users?q=a%00b")
    assert response.status_code == 400


async def test_idempotency_key_returns_the_first_answer_and_creates_once(org):
    headers = {"Idempotency-Key": "dept-create-1"}
    first = await org.post("admin", "/api/v1/departments", {"name": "北区"}, headers=headers)
    second = await org.post("admin", "/api/v1/departments", {"name": "北区"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    tree = (await org.get("admin", "/api/v1/departments")).json()
    assert orjson.dumps(tree).decode().count("北区") == 1


async def test_idempotency_key_is_per_user(org):
    await org.add_user("admin2", "admin", "hq")
    a = await org.post("admin", "/api/v1/departments", {"name": "A"}, headers={"Idempotency-Key": "k"})
    b = await org.post("admin2", "/api/v1/departments", {"name": "B"}, headers={"Idempotency-Key": "k"})
    assert a.json()["id"] != b.json()["id"]


async def test_concurrent_requests_with_one_key_create_once(org):
    headers = {"Idempotency-Key": "race-key"}
    responses = await asyncio.gather(*(
        org.post("admin", "/api/v1/departments", {"name": "并发部门"}, headers=headers) for _ in range(5)
    ))
    ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(ids) == 1, [r.text for r in responses]
    assert all(r.status_code in (201, 409) for r in responses)
    tree = (await org.get("admin", "/api/v1/departments")).json()
    assert orjson.dumps(tree).decode().count("并发部门") == 1


async def test_same_key_for_a_different_request_is_a_conflict(org):
    headers = {"Idempotency-Key": "reused"}
    await org.post("admin", "/api/v1/departments", {"name": "One"}, headers=headers)
    other = await org.post("admin", "/api/v1/departments", {"name": "Two"}, headers=headers)
    assert_error(other, 409, "conflict")


async def test_failed_create_is_not_remembered_for_the_key(org):
    headers = {"Idempotency-Key": "retry-after-fix"}
    bad = await org.post("admin", "/api/v1/departments", {"name": "X", "parent_id": 999999}, headers=headers)
    assert bad.status_code == 422
    good = await org.post("admin", "/api/v1/departments", {"name": "X", "parent_id": org.departments["hq"].id}, headers={"Idempotency-Key": "retry-after-fix-2"})
    assert good.status_code == 201


async def test_too_long_idempotency_key_is_400(org):
    response = await org.post("admin", "/api/v1/departments", {"name": "X"}, headers={"Idempotency-Key": "k" * 129})
    assert_error(response, 400, "malformed")


async def test_cursor_paging_is_stable_and_complete(org):
    for i in range(7):
        await org.add_user(f"extra{i}", "rep", "west")
    seen, cursor = [], None
    while True:
        url = "/api/v1/users?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await org.get("admin", url)).json()
        seen += [u["id"] for u in page["items"]]
        if cursor is None:
            await org.add_user("late_arrival", "rep", "west")  # new rows must not shift later pages
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 14


async def test_bad_cursor_and_limit_are_422(org):
    assert_error(await org.get("admin", "/api/v1/users?cursor=%%%"), 422, "validation_error")
    assert_error(await org.get("admin", "/api/v1/users?limit=0"), 422, "validation_error")
    assert (await org.get("admin", "/api/v1/users?limit=100000")).status_code == 200


async def test_openapi_document_is_valid_and_lists_every_route(client, app):
    from openapi_spec_validator import validate

    from mobile_api.routing import api

    document = (await client.get("/api/v1/openapi.json")).json()
    validate(document)
    for endpoint in api.endpoints:
        assert endpoint.method.lower() in document["paths"][endpoint.openapi_path]
