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


def require_multipart(request: Request, name: str) -> None:
    """415 unless the request is multipart/form-data (`name`: what to send, for the message)."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith("multipart/form-data"):
        raise AppError(ErrorCode.UNSUPPORTED_MEDIA, f"Send the {name} as multipart/form-data.")


async def read_file_part(request: Request, name: str) -> bytes:
    """The bytes of the file part `name`; 415 unless multipart, 422 if missing."""
    require_multipart(request, name)
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS) as form:
        part = form.get(name)
        if part is None:
            raise invalid_field(name, "is required as a file part")
        if not isinstance(part, UploadFile):
            raise invalid_field(name, "must be a file part (with a filename)")
        return await part.read()


async def read_first_file_part(request: Request, names: tuple[str, ...]) -> bytes:
    """The bytes of the first file part among `names` (a field with an alias,
    e.g. ("file", "image")); 415 unless multipart, 422 naming `names[0]` if none."""
    require_multipart(request, names[0])
    async with request.form(max_files=len(names), max_fields=MAX_FORM_FIELDS) as form:
        for name in names:
            part = form.get(name)
            if isinstance(part, UploadFile):
                return await part.read()
    raise invalid_field(names[0], f"is required as a file part (named {' or '.join(names)})")


async def read_named_file_part(request: Request, name: str) -> tuple[bytes, str | None]:
    """The bytes of the file part `name` and the file name the client gave it
    (kept only as a name to offer on download); 415 unless multipart, 422 if missing."""
    require_multipart(request, name)
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS) as form:
        part = form.get(name)
        if not isinstance(part, UploadFile):
            raise invalid_field(name, "is required as a file part (with a filename)")
        return await part.read(), part.filename
