"""What a post or chat message may attach: uploads the author may see (their
own, or ones shown to them) and links to http(s) pages, nothing else (no
`javascript:` or `data:` URL a colleague's client might open)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from server.access import Viewer
from server.errors import AppError, ErrorCode, invalid_field
from server.models.visits import Photo
from server.queries.visits import access_photo


async def _seen_upload(viewer: Viewer, upload_id: int, field: str) -> Photo:
    try:
        return await access_photo(viewer, upload_id)
    except AppError as error:
        if error.code != ErrorCode.NOT_FOUND:
            raise
        raise invalid_field(field, "must name an upload you may see") from None


def _web_link(url: str | None, field: str) -> None:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise invalid_field(field, "must be an http or https URL")


async def check_post_attachments(viewer: Viewer, attachments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """422 on the first attachment that is not the viewer's to attach.

    The attachments as stored: a file given without a `name` takes its upload's, so
    colleagues see what they are about to download.
    """
    checked = []
    for index, item in enumerate(attachments):
        if item.get("type") == "link":
            _web_link(item.get("url"), f"attachments.{index}.url")
        elif item.get("id") is None:
            raise invalid_field(f"attachments.{index}.id", "is required for a photo or file")
        else:
            upload = await _seen_upload(viewer, item["id"], f"attachments.{index}.id")
            if item.get("type") == "file" and not item.get("name") and upload.filename:
                item = {**item, "name": upload.filename}
        checked.append(item)
    return checked


async def check_upload_ids(viewer: Viewer, upload_ids: Iterable[int], field: str = "attachments") -> None:
    for index, upload_id in enumerate(upload_ids):
        await _seen_upload(viewer, upload_id, f"{field}.{index}")
