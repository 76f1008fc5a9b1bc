"""Check-in photos: content checks, orientation, storage, who may see them."""

from __future__ import annotations

import io
import pathlib
import struct
import zlib

from PIL import Image

from tests.visits.conftest import checkin_body, image_bytes, make_customer


async def upload(org, who: str, data: bytes, field: str = "file", name: str = "photo.jpg"):
    return await org.post(who, "/api/v1/photos", files={field: (name, data, "image/jpeg")})


async def test_upload_then_attach_and_serve(org, settings):
    response = await upload(org, "rep_sh", image_bytes("PNG"), name="whatever.txt")
    assert response.status_code == 201, response.text
    photo_id = response.json()["id"]
    customer = await make_customer(org.rep_sh)
    checkin = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[photo_id]))
    assert checkin.status_code == 201 and checkin.json()["photo_ids"] == [photo_id]
    served = await org.get("manager_east", f"/api/v1/photos/{photo_id}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"
    stored = list(pathlib.Path(settings.upload_dir).rglob("*.jpg"))
    assert len(stored) == 1 and stored[0].read_bytes() == served.content


async def test_the_image_field_is_accepted_too(org):
    response = await upload(org, "rep_sh", image_bytes("WEBP"), field="image")
    assert response.status_code == 201, response.text


async def test_photo_is_private_until_attached(org):
    photo_id = (await upload(org, "rep_sh", image_bytes())).json()["id"]
    assert (await org.get("rep_sh", f"/api/v1/photos/{photo_id}")).status_code == 200
    assert (await org.get("manager_east", f"/api/v1/photos/{photo_id}")).status_code == 404
    assert (await org.get("rep_east1", f"/api/v1/photos/{photo_id}")).status_code == 404


async def test_photo_of_a_checkin_is_hidden_from_people_outside(org):
    photo_id = (await upload(org, "rep_sh", image_bytes())).json()["id"]
    customer = await make_customer(org.rep_sh)
    await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[photo_id]))
    assert (await org.get("rep_west", f"/api/v1/photos/{photo_id}")).status_code == 404
    assert (await org.get("manager_west", f"/api/v1/photos/{photo_id}")).status_code == 404
    assert (await org.get("admin", f"/api/v1/photos/{photo_id}")).status_code == 200


async def test_checkin_with_someone_elses_or_used_photo_is_422(org):
    from server.models.visits import CheckIn

    theirs = (await upload(org, "rep_east1", image_bytes())).json()["id"]
    mine = (await upload(org, "rep_sh", image_bytes())).json()["id"]
    customer = await make_customer(org.rep_sh)
    refused = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[mine, theirs]))
    assert refused.status_code == 422
    assert "photo_ids" in refused.json()["error"]["details"]["fields"]
    assert await CheckIn.all().count() == 0
    assert (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[mine]))).status_code == 201
    reused = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[mine]))
    assert reused.status_code == 422
    unknown = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[987654]))
    assert unknown.status_code == 422


async def test_exif_orientation_is_applied_and_metadata_dropped(org):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "Example Camera Co"
    data = image_bytes("JPEG", (40, 20), exif=exif.tobytes())
    photo_id = (await upload(org, "rep_sh", data)).json()["id"]
    served = Image.open(io.BytesIO((await org.get("rep_sh", f"/api/v1/photos/{photo_id}")).content))
    assert served.size == (20, 40)
    assert not served.getexif()


async def test_not_an_image_is_415(org):
    response = await upload(org, "rep_sh", b"%PDF-1.4 this is a document", name="photo.jpg")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media"


async def test_truncated_image_is_422(org):
    data = image_bytes("PNG", (300, 300))
    response = await upload(org, "rep_sh", data[: len(data) // 2])
    assert response.status_code == 422, response.text


async def test_too_many_pixels_is_413_before_decoding(org):
    # A tiny PNG whose header claims 8000 x 8000 (64 megapixels): a bomb if decoded.
    data = _claimed_size(image_bytes("PNG", (8, 8)), 8000, 8000)
    response = await upload(org, "rep_sh", data)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def _claimed_size(png: bytes, width: int, height: int) -> bytes:
    ihdr = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + png[33:]


async def test_over_10_mb_is_413(org):
    response = await upload(org, "rep_sh", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 + 300 * 1024))
    assert response.status_code == 413


async def test_missing_file_field_or_json_body_is_refused(org):
    wrong_field = await org.post("rep_sh", "/api/v1/photos", files={"attachment": ("a.jpg", image_bytes(), "image/jpeg")})
    assert wrong_field.status_code == 422 and "file" in wrong_field.json()["error"]["details"]["fields"]
    as_json = await org.post("rep_sh", "/api/v1/photos", {"file": "abc"})
    assert as_json.status_code == 415
