"""The whole card pipeline: checked bytes -> cleaned image -> OCR -> fields."""

from __future__ import annotations

from ocr.addresses import reread_addresses
from ocr.engine import Line, recognise, reread_weak_lines
from ocr.images import load_oriented
from ocr.missed import find_missed_lines, merge_in_reading_order
from ocr.orientation import read_upright, rotate_cw
from ocr.parser import CardResult, TextLine, parse_lines
from ocr.preprocess import clean


def to_text_lines(lines: list[Line]) -> list[TextLine]:
    return [TextLine(line.text, line.conf, line.height) for line in lines]


def parse_card(image_bytes: bytes, *, region: str = "CN") -> CardResult:
    """Read a business-card photo (JPEG/PNG/WebP bytes) into fields.

    Raises an ``ocr.images.ImageError`` subclass for refused or unreadable
    images. Synchronous and CPU-bound: run it in a worker process.
    """
    gray = clean(load_oriented(image_bytes))
    lines, degrees = read_upright(gray, recognise)
    upright = rotate_cw(gray, degrees)
    lines = reread_weak_lines(upright, lines)
    lines = merge_in_reading_order(lines, find_missed_lines(upright, lines))
    lines = reread_addresses(upright, lines)
    return parse_lines(to_text_lines(lines), region=region)
