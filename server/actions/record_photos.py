"""Photos attached to a contract (its files) or an expense claim (its receipts).

They are uploaded through `POST /api/v1/photos` (content, size and pixel
checks, EXIF stripped) and attached here by id; the link lets whoever sees the
record see the photo.
"""

from __future__ import annotations

from server.access import Viewer
from server.errors import AppError, invalid_field
from server.actions.files import mark_attached
from server.models.expenses import RecordPhoto
from server.queries.visits import access_photo


async def check_photos(viewer: Viewer, field: str, photo_ids: list[int]) -> list[int]:
    """The ids, each a photo the viewer may see (422 on the field otherwise)."""
    for photo_id in photo_ids:
        try:
            await access_photo(viewer, photo_id)
        except AppError:
            raise invalid_field(field, f"photo {photo_id} does not exist or is not yours") from None
    return list(dict.fromkeys(photo_ids))


async def link_photos(subject_type: str, subject_id: int, photo_ids: list[int]) -> None:
    """Replace the record's photo links (inside the caller's transaction)."""
    await RecordPhoto.filter(subject_type=subject_type, subject_id=subject_id).delete()
    for photo_id in dict.fromkeys(photo_ids):
        await RecordPhoto.create(subject_type=subject_type, subject_id=subject_id, photo_id=photo_id)
    await mark_attached(photo_ids)
