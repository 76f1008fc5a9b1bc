"""Reading one file out of a multipart/form-data upload.

The body limit middleware has already capped the request's size; the
content is judged later by whoever stores it (`server.uploads`), never by
the part's file name or declared type.
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request

from server.errors import AppError, ErrorCode, invalid_field

MAX_FORM_FIELDS = 20


async def read_file_part(request: Request, name: str) -> bytes:
    """The bytes of the file part `name`; 415 unless multipart, 422 if missing."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith("multipart/form-data"):
        raise AppError(ErrorCode.UNSUPPORTED_MEDIA, f"Send the {name} as multipart/form-data.")
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS) as form:
        part = form.get(name)
        if part is None:
            raise invalid_field(name, "is required as a file part")
        if not isinstance(part, UploadFile):
            raise invalid_field(name, "must be a file part (with a filename)")
        return await part.read()
