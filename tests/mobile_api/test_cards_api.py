"""Business-card upload, reading, visibility and refused images (API.md, Business-card OCR)."""

from __future__ import annotations

import pathlib

from server.models.cards import Card
from tests.mobile_api.card_helpers import (
    corpus_card,
    make_card,
    png_bytes,
    png_header_claiming,
    upload,
    wait_until_read,
)


def stored_files(settings) -> list[pathlib.Path]:
    folder = pathlib.Path(settings.upload_dir) / "cards"
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_uploaded_card_is_read_and_the_owner_gets_card_parsed(org, settings, event_log):
    image, truth = corpus_card()
    accepted = await upload(org, "rep_sh", image, filename="IMG_0001.HEIC", content_type="application/octet-stream")
    assert accepted.status_code == 202, accepted.text
    assert set(accepted.json()) == {"id", "status"} and accepted.json()["status"] == "pending"
    card_id = accepted.json()["id"]
    assert [p.suffix for p in stored_files(settings)] == [".jpg"]  # named by content, not by the client

    card = await wait_until_read(org, "rep_sh", card_id)
    assert card["status"] == "done", card
    assert set(card["fields"]) == {"name", "title", "company", "mobile", "phones", "fax", "email", "website", "address"}
    assert card["fields"]["mobile"] == truth["mobile"]
    assert 0 < card["confidence"]["mobile"] <= 1
    assert truth["mobile"][-4:] in card["raw_text"].replace(" ", "").replace("-", "")
    assert card["error"] is None and card["duplicates"] == []

    parsed = [e for e in await event_log(org.rep_sh.id) if e["type"] == "card.parsed"]
    assert [e["data"] for e in parsed] == [card]


async def test_a_text_file_named_like_a_jpeg_is_415(org, settings):
    response = await upload(org, "rep_sh", b"BEGIN:VCARD\nFN:Not a photo\nEND:VCARD\n")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media"
    assert stored_files(settings) == [] and await Card.all().count() == 0


async def test_a_truncated_jpeg_is_422(org, settings):
    image, _ = corpus_card()
    response = await upload(org, "rep_sh", image[: len(image) // 2])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "image" in response.json()["error"]["details"]["fields"]
    assert stored_files(settings) == [] and await Card.all().count() == 0


async def test_a_png_header_claiming_50000_by_50000_pixels_is_413(org, settings):
    response = await upload(org, "rep_sh", png_header_claiming(50_000, 50_000), filename="card.png", content_type="image/png")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert await Card.all().count() == 0


async def test_more_than_10_mb_is_413(org, settings):
    just_over = b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024 - 3)
    response = await upload(org, "rep_sh", just_over)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    far_over = await upload(org, "rep_sh", b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024))
    assert far_over.status_code == 413
    assert stored_files(settings) == [] and await Card.all().count() == 0


async def test_upload_needs_a_multipart_image_part(org):
    as_json = await org.post("rep_sh", "/api/v1/cards", {"image": "aGVsbG8="})
    assert as_json.status_code == 415
    wrong_name = await org.post("rep_sh", "/api/v1/cards", files={"photo": ("card.png", png_bytes(), "image/png")})
    assert wrong_name.status_code == 422
    assert "image" in wrong_name.json()["error"]["details"]["fields"]
    not_a_file = await org.post("rep_sh", "/api/v1/cards", data={"image": "hello"},
                                files={"other": ("x.png", png_bytes(), "image/png")})
    assert not_a_file.status_code == 422
    assert (await org.post(None, "/api/v1/cards", files={"image": ("c.png", png_bytes(), "image/png")})).status_code == 401


async def test_only_the_owner_and_administrators_see_a_card(org):
    card = await make_card(org.rep_sh, company="示例贸易有限公司", name="赵测试")
    assert (await org.get("rep_sh", f"/api/v1/cards/{card.id}")).status_code == 200
    assert (await org.get("admin", f"/api/v1/cards/{card.id}")).status_code == 200
    for other in ("rep_east1", "manager_east", "rep_west"):
        response = await org.get(other, f"/api/v1/cards/{card.id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (await org.get("rep_sh", f"/api/v1/cards/{card.id + 1000}")).status_code == 404


async def test_a_pending_card_shows_every_field_empty(org):
    card = await make_card(org.rep_sh, status="pending")
    body = (await org.get("rep_sh", f"/api/v1/cards/{card.id}")).json()
    assert body["status"] == "pending"
    assert body["fields"]["phones"] == [] and body["fields"]["name"] is None
    assert body["confidence"] == {} and body["duplicates"] == []


async def test_the_same_idempotency_key_stores_one_card(org, settings):
    image = png_bytes(300, 200)
    headers = {"Idempotency-Key": "card-upload-1"}
    first = await org.post("rep_east1", "/api/v1/cards", files={"image": ("a.png", image, "image/png")}, headers=headers)
    again = await org.post("rep_east1", "/api/v1/cards", files={"image": ("a.png", image, "image/png")}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert await Card.filter(owner_id=org.rep_east1.id).count() == 1


async def test_openapi_documents_the_card_shapes(org):
    document = (await org.get(None, "/api/v1/openapi.json")).json()
    upload_op = document["paths"]["/api/v1/cards"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert {"202", "413", "415", "422"} <= set(upload_op["responses"])
    duplicate = document["components"]["schemas"]["CardDuplicate"]
    assert set(duplicate["properties"]["type"]["enum"]) == {"customer", "contact"}
    assert "201" in document["paths"]["/api/v1/cards/{id}/confirm"]["post"]["responses"]
