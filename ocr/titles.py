"""A title lost beside or under a display-size name, read again at its own scale.

Cards that print the name large (a display face, twice body size or more)
set the title small right under it or beside it. Page layout then either
boxes the small title into the name's line and reads it as garbage
("柴杰 npn" for 柴杰 高级顾问), or drops it altogether: the missed-text
search (``ocr.missed``) blanks a margin around the name's box, and the
title sits in that margin. When the parser found a name but no title, the
ink next to the name's glyphs is looked at directly:

- *beside*: in the rows of the name's glyphs, ink that starts after a gap
  of at least ``BESIDE_GAP`` glyph heights (the space between the name and
  its title; characters of one name sit closer);
- *under*: the first band of ink below the name's glyphs, within
  ``UNDER_REACH`` glyph heights and before any other line read there,
  no taller than ``MAX_SHARE`` of the name.

Each piece is cut to its own ink and read by ``engine.read_boxes`` (body
text height, ``chi_sim`` then ``chi_sim+eng`` for Latin) in one run; a
reading counts only when it is a title by the parser's vocabulary.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from ocr import fields as F
from ocr.engine import Box, Line, read_boxes
from ocr.names import candidate_lines
from ocr.vocab import ZH_TITLE
from ocr.preprocess import band_values, otsu_threshold, runs_above

BESIDE_GAP = 0.6  # glyph heights of blank between a name and a title printed after it
SMALL_GAP = 0.3  # ... or this much before type smaller than the name's
BESIDE_REACH = 6.0  # glyph heights right of the name's line a title may extend to
UNDER_REACH = 1.6  # glyph heights below the name's glyphs a title under it may start
MAX_SHARE = 0.8  # a title is printed smaller than the name above it
MIN_TEXT = 10  # px: a band of ink lower than this is a rule or specks, not text


def _ink(image: Image.Image, box: Box, blank: list[Box]) -> Image.Image:
    """Ink (255) of ``box``, Otsu-thresholded on the crop; ``blank`` boxes (page px) cleared."""
    crop = image.crop(box)
    cut = otsu_threshold(crop)
    ink = crop.point(lambda v: 255 if v < cut else 0).filter(ImageFilter.MedianFilter(3))
    draw = ImageDraw.Draw(ink)
    for left, top, right, bottom in blank:
        draw.rectangle([left - box[0], top - box[1], right - box[0], bottom - box[1]], fill=0)
    return ink


def _rows(ink: Image.Image) -> list[tuple[int, int]]:
    return runs_above(band_values(ink.resize((1, ink.height), Image.Resampling.BOX)), 0.0)


def _cols(ink: Image.Image) -> list[tuple[int, int]]:
    return runs_above(band_values(ink.resize((ink.width, 1), Image.Resampling.BOX)), 0.0)


def _merge(runs: list[tuple[int, int]], gap: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in runs:
        if out and start - out[-1][1] <= gap:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _glyph_rows(image: Image.Image, line: Line) -> tuple[int, int] | None:
    """Top and bottom (page px) of the name's glyphs: the tallest band of ink in its box."""
    box = line.box
    ink = _ink(image, box, [])
    runs = _merge(_rows(ink), 0.1 * line.height)
    if not runs:
        return None
    top, bottom = max(runs, key=lambda r: r[1] - r[0])
    return box[1] + top, box[1] + bottom


def _others(lines: list[Line], k: int) -> list[Box]:
    return [line.box for j, line in enumerate(lines) if j != k and line.width > 0]


def _beside(image: Image.Image, lines: list[Line], k: int, rows: tuple[int, int]) -> Box | None:
    line = lines[k]
    top, bottom = rows
    glyph = bottom - top
    right = min(image.width, line.left + line.width + round(BESIDE_REACH * glyph))
    box = (max(0, line.left - 2), top, right, bottom)
    ink = _ink(image, box, [b for b in _others(lines, k) if b[1] < bottom and b[3] > top])
    cols = _merge(_cols(ink), 0.05 * glyph)
    for i in range(1, len(cols)):
        gap = cols[i][0] - cols[i - 1][1]
        if gap < SMALL_GAP * glyph:
            continue
        rest = cols[i:]
        end = rest[0][1]
        for a, b in zip(rest, rest[1:]):
            if b[0] - a[1] > 2 * glyph:
                break
            end = b[1]
        piece = ink.crop((rest[0][0], 0, end, ink.height)).getbbox()
        if piece is None or piece[3] - piece[1] < MIN_TEXT or piece[2] - piece[0] < glyph:
            continue
        # A wide gap, or a smaller type after a narrower one: the name ends here.
        if gap >= BESIDE_GAP * glyph or piece[3] - piece[1] <= MAX_SHARE * glyph:
            x0 = box[0] + rest[0][0]
            return x0 + piece[0], top + piece[1], x0 + piece[2], top + piece[3]
    return None


def _under(image: Image.Image, lines: list[Line], k: int, rows: tuple[int, int]) -> Box | None:
    line = lines[k]
    top, bottom = rows
    glyph = bottom - top
    left = max(0, line.left - round(0.3 * glyph))
    right = min(image.width, line.left + line.width + glyph)
    limit = min(image.height, bottom + round(UNDER_REACH * glyph))
    for other in lines:
        if other is not line and other.top > bottom and other.left < right and other.left + other.width > left:
            # A title set close above the next line can reach into that line's box.
            limit = min(limit, other.top + other.height // 2)
    start = bottom + max(2, round(0.05 * glyph))
    if limit - start < MIN_TEXT:
        return None
    box = (left, start, right, limit)
    ink = _ink(image, box, [b for b in _others(lines, k) if b[1] < start and b[3] > start])
    runs = [r for r in _merge(_rows(ink), 2) if r[1] - r[0] >= MIN_TEXT]
    if not runs:
        return None
    r0, r1 = runs[0]
    if r1 - r0 > MAX_SHARE * glyph or r1 >= ink.height - 1:
        return None  # as large as the name, or cut off by the region: not a title under it
    piece = ink.crop((0, r0, ink.width, r1)).getbbox()
    if piece is None:
        return None
    return left + piece[0], start + r0, left + piece[2], start + r1


def _is_title(text: str) -> bool:
    if F.has_cjk(text):
        core = F.cjk_only(text)
        match = ZH_TITLE.search(core)
        return match is not None and match.start() == 0 and len(core) <= 10
    return F.title_score(text) > 0 and F.EN_TITLE_START.match(text) is not None


def name_line(lines: list[Line], name: str) -> int | None:
    """Index of the (tallest) line holding ``name``."""
    want = name.replace(" ", "")
    hits = [k for k, line in enumerate(lines) if line.width > 0 and want and want in line.text.replace(" ", "")]
    return max(hits, key=lambda k: lines[k].height) if hits else None


def reread_title(image: Image.Image, lines: list[Line], name: str | None) -> list[Line]:
    """``lines`` with a title found beside or under the name's line added after it.

    Without a name, the tallest line that could hold one (``names.candidate_lines``:
    a display-size name read as garbage) stands in for it.
    """
    if name:
        k = name_line(lines, name)
    else:
        picks = candidate_lines(lines)
        k = picks[0] if picks else None
    if k is None:
        return lines
    rows = _glyph_rows(image, lines[k])
    if rows is None or rows[1] - rows[0] < MIN_TEXT:
        return lines
    boxes = [b for b in (_beside(image, lines, k, rows), _under(image, lines, k, rows)) if b is not None]
    if not boxes:
        return lines
    for box, found in zip(boxes, read_boxes(image, boxes)):
        text = " ".join(line.text for line in found).strip()
        if found and _is_title(text):
            words = tuple(w for line in found for w in line.words)
            title = Line(words, box[3] - box[1], box[1], box[0], box[2] - box[0])
            name_row = lines[k]
            out = list(lines)
            if box[1] < rows[1]:  # beside: garbage the page reading made of it in the name's line goes
                kept = tuple(w for w in name_row.words if w.box is None or (w.box[0] + w.box[2]) / 2 < box[0])
                out[k] = Line(kept or name_row.words, name_row.height, name_row.top, name_row.left, name_row.width)
            out.insert(k + 1, title)
            return out
    return lines
