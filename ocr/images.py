"""Upload checks for images: business cards and check-in photos.

Everything here judges an upload by its *content*, never by its file name or
declared content type, and refuses oversized images from the header alone so
that a decompression bomb is never decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# Pillow's own bomb guard (Image.MAX_IMAGE_PIXELS) stays armed as a second
# line of defence; ours is stricter and runs first, on the header's size,
# before any pixel is decoded.

_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


class ImageError(ValueError):
    """Base class for refused uploads; ``reason`` is a short, stable text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImageTooLarge(ImageError):
    """Too many bytes or too many pixels (HTTP 413)."""


class UnsupportedImage(ImageError):
    """Not a JPEG, PNG or WebP (HTTP 415)."""


class UnreadableImage(ImageError):
    """Claims a supported format but cannot be decoded (HTTP 422)."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "jpeg" | "png" | "webp"
    width: int
    height: int
    mime: str


def sniff_format(data: bytes) -> str | None:
    """Return "jpeg", "png" or "webp" judged by magic bytes, else None."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _open_header(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Open ``data`` reading only its header, refusing too many pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[fmt]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge("too many pixels") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(f"cannot read {fmt} header") from exc
    width, height = im.size
    if width <= 0 or height <= 0:
        raise UnreadableImage("empty image")
    if width * height > max_pixels:
        im.close()
        raise ImageTooLarge(f"too many pixels: {width}x{height}")
    return im


def _decode(im: Image.Image, fmt: str) -> None:
    """Fully decode ``im`` so truncated or corrupt data is caught here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge("too many pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableImage(f"corrupt or truncated {fmt}") from exc


def _open_checked(data: bytes, max_bytes: int, max_pixels: int,
                  draft_side: int | None = None) -> tuple[Image.Image, str]:
    if len(data) > max_bytes:
        raise ImageTooLarge(f"more than {max_bytes} bytes")
    fmt = sniff_format(data)
    if fmt is None:
        raise UnsupportedImage("not a JPEG, PNG or WebP image")
    im = _open_header(data, fmt, max_pixels)
    if draft_side is not None and fmt == "jpeg" and max(im.size) > draft_side:
        im.draft("RGB", (draft_side, draft_side))  # decode at 1/2, 1/4 or 1/8 scale
    _decode(im, fmt)
    return im, fmt


def check_image(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ImageInfo:
    """Validate an upload and describe it.

    Raises ImageTooLarge, UnsupportedImage or UnreadableImage (all ImageError).
    Byte and pixel limits are checked before any pixel data is decoded.
    """
    im, fmt = _open_checked(data, max_bytes, max_pixels)
    with im:
        return ImageInfo(fmt, im.width, im.height, _MIME[fmt])


def load_oriented(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    draft_side: int | None = None,
) -> Image.Image:
    """Check and decode ``data``, returning an image turned upright per EXIF
    (a JPEG larger than ``draft_side`` is decoded at reduced size)."""
    im, _ = _open_checked(data, max_bytes, max_pixels, draft_side)
    with im:
        upright = ImageOps.exif_transpose(im)
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    return upright


PHOTO_MAX_SIDE = 4096  # a check-in photo is kept at most this many pixels on its long side


def normalise_photo(data: bytes, *, quality: int = 88, max_side: int = PHOTO_MAX_SIDE, **limits: int) -> bytes:
    """Re-encode a photo as an upright JPEG with all metadata (EXIF, GPS) dropped,
    at most `max_side` pixels on its long side.

    A JPEG is decoded at reduced size when it is larger (`draft`: 1/2, 1/4 or
    1/8 of the pixels, from the compressed data), so a large photo never
    costs its full size in memory; other formats are reduced right after
    decoding, and every later copy is the small one.
    """
    im = load_oriented(data, draft_side=max_side, **limits)
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    # A fresh save without exif= writes no EXIF block, so location data is gone.
    (im if im.mode == "RGB" else im.convert("RGB")).save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
