"""Upload checks: content sniffing, size limits, bombs, corrupt data, EXIF."""

import io
import struct
import time
import zlib

import psutil
import pytest
from PIL import Image

from ocr.images import (
    ImageError,
    ImageTooLarge,
    UnreadableImage,
    UnsupportedImage,
    check_image,
    load_oriented,
    normalise_photo,
)


def _encode(im: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    im.save(out, format=fmt, **kw)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt,mime", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_accepts_supported_formats(fmt, mime):
    data = _encode(Image.new("RGB", (64, 32), "white"), fmt)
    info = check_image(data)
    assert (info.format, info.width, info.height, info.mime) == (fmt.lower(), 64, 32, mime)


def test_content_decides_not_the_name():
    # PNG bytes uploaded as "card.jpg" are still a valid PNG.
    data = _encode(Image.new("RGB", (10, 10)), "PNG")
    assert check_image(data).format == "png"


def test_text_renamed_to_png_is_unsupported():
    with pytest.raises(UnsupportedImage) as err:
        check_image(b"Name,Phone\nAlice,123\n")
    assert isinstance(err.value, ImageError) and err.value.reason


def test_gif_is_unsupported():
    with pytest.raises(UnsupportedImage):
        check_image(_encode(Image.new("P", (8, 8)), "GIF"))


def test_too_many_bytes():
    data = _encode(Image.new("RGB", (10, 10)), "PNG")
    with pytest.raises(ImageTooLarge):
        check_image(data + b"\0" * 2000, max_bytes=1000)
    with pytest.raises(ImageTooLarge):
        check_image(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024))


def test_bomb_refused_from_header_without_allocating():
    data = _bomb_png(50_000, 50_000)
    rss_before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    with pytest.raises(ImageTooLarge):
        check_image(data)
    assert time.perf_counter() - started < 1.0
    # Decoding 2.5 gigapixels would need gigabytes; refusing needs next to nothing.
    assert psutil.Process().memory_info().rss - rss_before < 50 * 1024 * 1024


def test_pixel_limit_below_pillows_own_guard():
    data = _bomb_png(8_000, 6_000)  # 48 Mpx: under Pillow's limit, over ours
    with pytest.raises(ImageTooLarge):
        check_image(data)
    with pytest.raises(ImageTooLarge):
        check_image(_encode(Image.new("L", (100, 100)), "PNG"), max_pixels=9_999)


def test_truncated_jpeg_is_unreadable():
    data = _encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG", quality=90)
    with pytest.raises(UnreadableImage):
        check_image(data[: len(data) // 2])


def test_corrupt_png_is_unreadable():
    data = bytearray(_encode(Image.effect_noise((64, 64), 60), "PNG"))
    data[60:80] = b"\xaa" * 20
    with pytest.raises(UnreadableImage):
        check_image(bytes(data))


def test_header_only_png_is_unreadable():
    with pytest.raises(UnreadableImage):
        check_image(b"\x89PNG\r\n\x1a\n")


def _exif_rotated_jpeg() -> bytes:
    """A 200x100 upright picture stored sideways with EXIF orientation 6."""
    upright = Image.new("RGB", (200, 100), "white")
    upright.paste((255, 0, 0), (0, 0, 50, 100))  # red band on the left
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # a GPS block that must not survive
    return _encode(stored, "JPEG", exif=exif, quality=95)


def test_exif_rotated_jpeg_comes_out_upright():
    data = _exif_rotated_jpeg()
    assert check_image(data).width == 100  # stored sideways
    im = load_oriented(data)
    assert im.size == (200, 100)
    assert im.getpixel((10, 50))[0] > 200 and im.getpixel((10, 50))[1] < 60
    assert im.getpixel((190, 50)) > (200, 200, 200)


def test_normalise_photo_strips_exif_and_keeps_orientation():
    out = normalise_photo(_exif_rotated_jpeg())
    im = Image.open(io.BytesIO(out))
    assert im.format == "JPEG" and im.size == (200, 100)
    assert len(im.getexif()) == 0
