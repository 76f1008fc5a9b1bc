"""Uploading a check-in photo: checked by content, turned upright, stripped of
metadata (EXIF and GPS) and stored under the upload folder."""

from __future__ import annotations

import asyncio
import pathlib
import uuid
from dataclasses import dataclass

from ocr.images import ImageError, ImageTooLarge, UnsupportedImage, check_image, normalise_photo
from server.access import Viewer
from server.errors import AppError, ErrorCode
from server.models.visits import Photo
from server.settings import get_settings
from server.transaction import atomic, utcnow

PHOTO_DIR = "photos"


@dataclass(frozen=True)
class _Stored:
    relative: str
    width: int
    height: int
    size_bytes: int


def upload_error(error: ImageError) -> AppError:
    """413 too large, 415 not a JPEG/PNG/WebP, 422 unreadable (UnreadableImage)."""
    if isinstance(error, ImageTooLarge):
        return AppError(ErrorCode.TOO_LARGE, f"The image is too large ({error.reason}); at most 10 MB and 40 megapixels.")
    if isinstance(error, UnsupportedImage):
        return AppError(ErrorCode.UNSUPPORTED_MEDIA, "Send a JPEG, PNG or WebP image.")
    return AppError(ErrorCode.VALIDATION_ERROR, f"The image cannot be read ({error.reason}).",
                    {"fields": {"file": "is not a readable image"}})


def photo_path(relative: str) -> pathlib.Path:
    return pathlib.Path(get_settings().upload_dir) / relative


def _store(data: bytes) -> _Stored:
    """Runs in a worker thread: the checks refuse bombs from the header before decoding."""
    check_image(data)
    upright = normalise_photo(data)
    info = check_image(upright)
    relative = f"{PHOTO_DIR}/{utcnow():%Y/%m}/{uuid.uuid4().hex}.jpg"
    target = photo_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(upright)
    return _Stored(relative, info.width, info.height, len(upright))


async def upload_photo(viewer: Viewer, data: bytes) -> Photo:
    try:
        stored = await asyncio.to_thread(_store, data)
    except ImageError as error:
        raise upload_error(error) from None
    try:
        async with atomic():
            return await Photo.create(
                uploader_id=viewer.id, path=stored.relative, width=stored.width,
                height=stored.height, size_bytes=stored.size_bytes,
            )
    except BaseException:
        photo_path(stored.relative).unlink(missing_ok=True)
        raise
