"""Reading multipart uploads that carry a file and a few text fields."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request

from mobile_api.uploads import MAX_FORM_FIELDS, require_multipart
from server.errors import invalid_field

TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no", "")


@dataclass
class CsvUpload:
    content: bytes
    mapping: str | None
    dry_run: bool


async def read_csv_upload(request: Request, max_bytes: int) -> CsvUpload:
    """The `file` (read up to one byte past `max_bytes`, so the caller can refuse
    it as too large), the `mapping` text and the `dry_run` flag."""
    require_multipart(request, "file")
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise invalid_field("file", "is required: attach the CSV file as the field `file`")
        content = await upload.read(max_bytes + 1)
        mapping = form.get("mapping")
        flag = form.get("dry_run", "false")
    if mapping is not None and not isinstance(mapping, str):
        raise invalid_field("mapping", "must be a text field, not a file")
    if not isinstance(flag, str) or flag.strip().lower() not in TRUE_WORDS + FALSE_WORDS:
        raise invalid_field("dry_run", "must be true or false")
    return CsvUpload(content, mapping, flag.strip().lower() in TRUE_WORDS)
