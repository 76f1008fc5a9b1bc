"""Uploaded images: checked by content before anything keeps them, stored as files.

Files live under the `upload_dir` setting, in one folder per kind
(`cards/`, ...), named by a random id (never by the client's file name).
Several server machines must share that folder (a network volume) so that
any of them can read what another stored.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from ocr.images import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PIXELS,
    ImageError,
    ImageInfo,
    ImageTooLarge,
    UnsupportedImage,
    check_image,
)
from server.decoding import bounded
from server.errors import AppError, ErrorCode
from server.private_files import write_private
from server.settings import get_settings

MAX_IMAGE_BYTES = DEFAULT_MAX_BYTES
MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS
_EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def image_error(error: ImageError) -> AppError:
    """The HTTP answer for a refused image: 413, 415 or 422."""
    if isinstance(error, ImageTooLarge):
        return AppError(
            ErrorCode.TOO_LARGE,
            f"The image is too large ({error.reason}); send at most 10 MB and 40 megapixels.",
            {"max_bytes": MAX_IMAGE_BYTES, "max_pixels": MAX_IMAGE_PIXELS},
        )
    if isinstance(error, UnsupportedImage):
        return AppError(ErrorCode.UNSUPPORTED_MEDIA, "Send a JPEG, PNG or WebP image.")
    return AppError(
        ErrorCode.VALIDATION_ERROR,
        f"The image cannot be read ({error.reason}).",
        {"fields": {"image": "is corrupt or truncated"}},
    )


async def check_upload(data: bytes) -> ImageInfo:
    """Check an uploaded image (in a thread: decoding a large photo takes a while)."""
    try:
        return await bounded(check_image, data, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS)
    except ImageError as error:
        raise image_error(error) from None


def upload_root() -> Path:
    return Path(get_settings().upload_dir)


async def store_upload(kind: str, data: bytes, info: ImageInfo) -> str:
    """Write `data` under the upload folder; returns its path relative to the folder."""
    return await store_bytes(kind, data, _EXTENSIONS[info.format])


async def store_bytes(kind: str, data: bytes, extension: str) -> str:
    """Write `data` under the upload folder as a new file ending in `extension`."""
    relative = f"{kind}/{uuid.uuid4().hex}.{extension}"
    await asyncio.to_thread(write_private, upload_root() / relative, data)  # 0600 in 0700 folders
    return relative


async def delete_upload(relative: str) -> None:
    await asyncio.to_thread((upload_root() / relative).unlink, True)


def upload_path(relative: str) -> str:
    """The absolute path of a stored upload (for worker processes that read it)."""
    return str((upload_root() / relative).resolve())
