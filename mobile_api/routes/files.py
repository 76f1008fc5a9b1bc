"""Ordinary files (documents, audio notes): upload, then attach by id to a post,
message, contract or expense claim; fetched by whoever may see what they are
attached to (the rule photos follow)."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import visits as s
from mobile_api.uploads import read_named_file_part
from server.actions import files
from server.queries.visits import access_photo
from mobile_api.routes.photos import serve_upload


@api.post("/api/v1/files", body=s.FileUpload, response=s.FileCreated, status=201, raw_body="multipart",
          idempotent=True, errors=(413, 415))
async def upload_file(call: Call) -> Any:
    """Upload a document or an audio note (multipart field `file`); the type is judged from the content.

    Accepted: PDF and Office documents (docx, xlsx, pptx, doc, xls) up to 10 MB; audio notes
    (m4a, aac, mp3, ogg, opus, wav, amr, webm audio) up to 5 MB; JPEG, PNG and WebP images
    (kept as a photo, ≤ 10 MB, ≤ 40 megapixels). Anything else (executables, scripts, HTML,
    archives, video) is refused with 415; a file over its kind's size with 413.
    """
    data, name = await read_named_file_part(call.request, "file")
    upload = await files.upload_file(call.viewer, data, name)
    is_image = upload.mime.startswith("image/")
    return {"id": upload.id, "content_type": upload.mime, "size_bytes": upload.size_bytes,
            "filename": upload.filename, "width": upload.width if is_image else None,
            "height": upload.height if is_image else None}


@api.get("/api/v1/files/{id:int}", produces="*/*")
async def get_file(call: Call) -> Any:
    """The file, for its uploader and whoever may see the post, comment, message, check-in or record it belongs to.

    Served with its content type, `X-Content-Type-Options: nosniff`, and (anything but an image)
    `Content-Disposition: attachment` with its file name.
    """
    return serve_upload(await access_photo(call.viewer, call["id"]))
