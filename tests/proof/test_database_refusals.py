"""A write the database refuses is still a 4xx in the one error shape, never a 500."""

from __future__ import annotations


async def test_an_explicit_null_for_a_required_column_is_422_on_that_field(org):
    response = await org.patch("admin", f"/api/v1/users/{org.rep_west.id}", json={"active": None})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"] == {"active": "must not be null"}
    me = await org.get("rep_west", "/api/v1/me")
    assert me.status_code == 200 and me.json()["active"] is True


async def test_a_null_name_is_refused_and_the_user_keeps_theirs(org):
    response = await org.patch("admin", f"/api/v1/users/{org.rep_west.id}", json={"name": None})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert (await org.get("rep_west", "/api/v1/me")).json()["name"] == "Will West"


async def test_an_integer_beyond_64_bits_in_a_free_form_field_is_422(org):
    raw = b'{"body": "numbers", "attachments": [{"size": 123456789012345678901234567890}]}'
    response = await org.post("rep_west", "/api/v1/posts", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"] == {"attachments.0.size": "is too large a number"}
    feed = await org.get("rep_west", "/api/v1/feed", params={"scope": "mine"})
    assert feed.json()["items"] == []


async def test_preferences_with_a_null_email_object_change_nothing(org):
    before = (await org.get("rep_west", "/api/v1/me/preferences")).json()
    response = await org.put("rep_west", "/api/v1/me/preferences", json={"email": None})
    assert response.status_code == 200, response.text
    assert response.json()["email"] == before["email"]


async def test_routes_that_answer_200_for_an_existing_record_document_it(org):
    document = (await org.client.get("/api/v1/openapi.json")).json()
    follow = await org.post("rep_west", "/api/v1/follows", json={"target_type": "user", "target_id": org.admin.id})
    again = await org.post("rep_west", "/api/v1/follows", json={"target_type": "user", "target_id": org.admin.id})
    assert (follow.status_code, again.status_code) == (201, 200)
    assert {"200", "201"} <= set(document["paths"]["/api/v1/follows"]["post"]["responses"])
