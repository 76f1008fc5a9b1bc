"""Check-in photos: upload, then attach by id to a check-in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import FileResponse

from mobile_api.routing import Call, api
from mobile_api.schemas import visits as s
from mobile_api.uploads import read_first_file_part
from server.actions import photos
from server.errors import not_found
from server.models.visits import Photo
from server.queries.visits import access_photo

UPLOAD_FIELDS = ("file", "image")


@api.post("/api/v1/photos", body=s.PhotoUpload, response=s.PhotoCreated, status=201, raw_body="multipart",
          idempotent=True, errors=(413, 415))
async def upload_photo(call: Call) -> Any:
    """Upload a JPEG, PNG or WebP (multipart field `file`, or `image`; ≤ 10 MB, ≤ 40 megapixels).

    Stored upright as JPEG without EXIF or GPS data.
    """
    photo = await photos.upload_photo(call.viewer, await read_first_file_part(call.request, UPLOAD_FIELDS))
    return {"id": photo.id, "width": photo.width, "height": photo.height}


@api.get("/api/v1/photos/{id:int}", produces="image/jpeg")
async def get_photo(call: Call) -> Any:
    """The image, for its uploader and whoever may see the check-in, contract or expense claim it belongs to.

    Images only: a document or audio note is fetched at `/api/v1/files/{id}` (here it is a 404).
    """
    upload = await access_photo(call.viewer, call["id"])
    if not upload.mime.startswith("image/"):
        raise not_found("photo")
    return serve_upload(upload)


def serve_upload(upload: Photo) -> FileResponse:
    """An upload's bytes: images inline, anything else as a download under its safe name."""
    path = photos.photo_path(upload.path)
    if not path.is_file():
        raise not_found("photo")
    headers = {"Cache-Control": "private, max-age=86400"}  # nosniff: on every answer (middleware)
    if not upload.mime.startswith("image/"):
        headers["Content-Disposition"] = attachment_disposition(upload.filename or path.name)
    return FileResponse(path, media_type=upload.mime, headers=headers)


def attachment_disposition(name: str) -> str:
    """`attachment` with an ASCII `filename` and the exact name as `filename*` (RFC 6266, RFC 8187)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in name) or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
