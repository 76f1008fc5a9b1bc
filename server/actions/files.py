"""Uploading ordinary files (documents, audio notes), marking uploads as used,
and deleting the ones nothing ever used.

A file is judged by its content (`server.file_types`), never by the name or
type the client gives; an image sent here is kept as a photo (turned upright,
metadata stripped). Uploads share one id space, so a post, comment, message
or record names a photo or a file the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from server.access import Viewer
from server.actions import photos
from server.clock import utcnow
from server.errors import AppError, ErrorCode
from server.file_types import MAX_BYTES, display_name, sniff
from server.models.visits import Photo
from server.transaction import atomic
from server.uploads import delete_upload, store_bytes

FILE_DIR = "files"
UNATTACHED_LIFETIME = dt.timedelta(days=1)
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
ACCEPTED = "a PDF, an Office document (docx, xlsx, pptx, doc, xls), an audio note " \
           "(m4a, aac, mp3, ogg, opus, wav, amr, webm) or a JPEG, PNG or WebP image"


def _looks_like_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


async def upload_file(viewer: Viewer, data: bytes, client_name: str | None) -> Photo:
    """Keep the file for its uploader; 415 for anything not accepted, 413 over its kind's size."""
    if _looks_like_image(data):
        return await photos.upload_photo(viewer, data)
    file_type = sniff(data)
    if file_type is None:
        raise AppError(ErrorCode.UNSUPPORTED_MEDIA, f"This kind of file is not accepted; send {ACCEPTED}.")
    if len(data) > file_type.max_bytes:
        raise AppError(
            ErrorCode.TOO_LARGE,
            f"The file is too large; a {file_type.kind} may be at most {file_type.max_bytes // 1_000_000} MB.",
            {"max_bytes": file_type.max_bytes, "kind": file_type.kind, "limits": MAX_BYTES},
        )
    relative = await store_bytes(FILE_DIR, data, file_type.extension)
    try:
        async with atomic():
            return await Photo.create(
                uploader_id=viewer.id, path=relative, mime=file_type.mime, width=0, height=0,
                size_bytes=len(data), filename=display_name(client_name, file_type),
            )
    except BaseException:
        await delete_upload(relative)
        raise


async def mark_attached(upload_ids: Iterable[int]) -> None:
    """Note that something now uses these uploads (inside the caller's transaction)."""
    ids = sorted({i for i in upload_ids if isinstance(i, int) and not isinstance(i, bool)})
    if ids:
        await Photo.filter(id__in=ids, attached_at__isnull=True).update(attached_at=utcnow())


async def delete_unattached(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Delete uploads nothing used within a day of their upload (rows and bytes); how many went."""
    cutoff = (now or utcnow()) - UNATTACHED_LIFETIME
    gone = 0
    while True:
        rows = await Photo.filter(attached_at__isnull=True, checkin_id__isnull=True, created_at__lt=cutoff) \
            .order_by("id").limit(batch).values_list("id", "path")
        if not rows:
            return gone
        ids = [row[0] for row in rows]
        async with atomic():
            await Photo.filter(id__in=ids, attached_at__isnull=True, checkin_id__isnull=True).delete()
            kept = set(await Photo.filter(id__in=ids).values_list("id", flat=True))  # attached meanwhile
        for upload_id, relative in rows:
            if upload_id not in kept:
                await delete_upload(relative)
                gone += 1
        if len(rows) < batch:
            return gone
