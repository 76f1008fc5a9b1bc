"""The whole card pipeline: checked bytes -> cleaned image -> OCR -> fields."""

from __future__ import annotations

from ocr.addresses import reread_addresses
from ocr.company import fix_company
from ocr import fields as F
from ocr.card import clean
from ocr.engine import Line, join_words, recognise
from ocr.images import load_oriented
from ocr.names import complete_name, reread_name
from ocr.titles import reread_title
from ocr.missed import reread_weak_and_missed
from ocr.orientation import read_upright, rotate_cw
from ocr.pattern import reread_under_line_art
from ocr.parser import CardResult, TextLine, parse_lines
from ocr.vertical import find_vertical_lines, merge_vertical


# A gap this many (smaller) word heights wide, or a jump in type size, parts a
# name from the title printed after it on the same row ("Grace Walker   Account Manager").
NAME_GAP = 0.6
SIZE_STEP = 1.35


def _head(line: Line) -> str:
    """The words before the row's widest break (a wide gap or a change of type size), or ""."""
    words = [w for w in line.words if w.box is not None and w.text]
    best, cut = 0.0, 0
    for k in range(1, len(words)):
        a, b = words[k - 1].box, words[k].box
        assert a is not None and b is not None  # `words` keeps boxed words only
        ha, hb = a[3] - a[1], b[3] - b[1]
        if min(ha, hb) <= 0:
            continue
        gap = (b[0] - a[2]) / min(ha, hb)
        step = max(ha, hb) / min(ha, hb)
        score = max(gap / NAME_GAP if gap > 0 else 0.0, step / SIZE_STEP if gap > -0.2 * min(ha, hb) else 0.0)
        if score >= 1.0 and score > best:
            best, cut = score, k
    return join_words([w.text for w in words[:cut]]) if cut else ""


def to_text_lines(lines: list[Line]) -> list[TextLine]:
    return [TextLine(line.text, line.conf, line.height, _head(line)) for line in lines]


def _reparsed(lines: list[Line], again: list[Line], result: CardResult,
              region: str) -> tuple[list[Line], CardResult]:
    """A re-read's lines and the card parsed from them; the same pair when it changed nothing."""
    if again == lines:
        return lines, result
    return again, parse_lines(to_text_lines(again), region=region)


def parse_card(image_bytes: bytes, *, region: str = "CN") -> CardResult:
    """Read a business-card photo (JPEG/PNG/WebP bytes) into fields.

    Raises an ``ocr.images.ImageError`` subclass for refused or unreadable
    images. Synchronous and CPU-bound: run it in a worker process.
    """
    gray = clean(load_oriented(image_bytes))
    lines, degrees = read_upright(gray, recognise)
    upright = rotate_cw(gray, degrees)
    lines = reread_under_line_art(upright, lines, recognise)
    lines = reread_weak_and_missed(upright, lines)
    lines = merge_vertical(lines, find_vertical_lines(upright, lines))
    lines = reread_addresses(upright, lines)
    result = parse_lines(to_text_lines(lines), region=region)
    if _doubtful_name(result):
        lines, result = _reparsed(lines, reread_name(upright, lines, result.fields["email"]), result, region)
    name = result.fields["name"]
    if name:
        lines, result = _reparsed(lines, complete_name(upright, lines, name, result.fields["email"]), result, region)
    if result.fields["title"] is None:
        lines, result = _reparsed(lines, reread_title(upright, lines, result.fields["name"]), result, region)
    fields = result.fields
    again = fix_company(upright, lines, fields["company"], fields["email"], fields["website"])
    _, result = _reparsed(lines, again, result, region)
    return result


# A name read below this raw confidence (an unknown surname, a garbled line) is read again.
DOUBTFUL_NAME = 0.5


def _doubtful_name(result: CardResult) -> bool:
    name = result.fields["name"]
    if name is None:
        return True
    return F.has_cjk(name) and result.evidence.get("name", (1.0, ""))[0] < DOUBTFUL_NAME
