"""Uploading a check-in photo: checked by content, turned upright, stripped of
metadata (EXIF and GPS) and stored under the upload folder."""

from __future__ import annotations

from pathlib import Path

from ocr.images import ImageError, ImageInfo, check_image, normalise_photo
from server.access import Viewer
from server.decoding import bounded
from server.models.visits import Photo
from server.transaction import atomic
from server.uploads import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, image_error, store_upload, upload_root

PHOTO_DIR = "photos"


def photo_path(relative: str) -> Path:
    return upload_root() / relative


def _upright(data: bytes) -> tuple[bytes, ImageInfo]:
    """Runs in a worker thread. Size, type and pixel count are checked from the
    header before anything is decoded, so a decompression bomb never is."""
    jpeg = normalise_photo(data, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS)
    return jpeg, check_image(jpeg)


async def upload_photo(viewer: Viewer, data: bytes) -> Photo:
    """Keep the photo for its uploader; a check-in attaches it later by id."""
    try:
        jpeg, info = await bounded(_upright, data)
    except ImageError as error:
        raise image_error(error) from None
    relative = await store_upload(PHOTO_DIR, jpeg, info)
    try:
        async with atomic():
            return await Photo.create(
                uploader_id=viewer.id, path=relative, width=info.width, height=info.height,
                size_bytes=len(jpeg),
            )
    except BaseException:
        photo_path(relative).unlink(missing_ok=True)
        raise
