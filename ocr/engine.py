"""Tesseract wrapper: an image in, words and lines with confidences out."""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image

from ocr import tess

# One OpenMP thread per Tesseract run: callers parallelise with processes,
# and extra threads only fight over the same cores. Callers may override.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANGS = "chi_sim+eng"
# LSTM engine with automatic page segmentation.
CONFIG = "--oem 1 --psm 3"

_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_GAP = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


Box = tuple[int, int, int, int]  # left, top, right, bottom
# pytesseract's ``Output.DICT``: one list per column ("text", "conf", "left", ...), a row per word.
TesseractData = dict[str, list[Any]]


@dataclass(frozen=True)
class Word:
    text: str
    conf: float  # 0..1
    box: Box | None = None  # where it was read, in page pixels (None when unknown)


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    height: int  # pixel height of the line's box, a proxy for font size
    top: int
    left: int = 0
    width: int = 0

    @property
    def text(self) -> str:
        return join_words([w.text for w in self.words])

    @property
    def box(self) -> Box:
        """(left, top, right, bottom) on the page."""
        return self.left, self.top, self.left + self.width, self.top + self.height

    def overlaps(self, other: Line) -> bool:
        """The two lines' page boxes share some area."""
        return (min(self.left + self.width, other.left + other.width) > max(self.left, other.left)
                and min(self.top + self.height, other.top + other.height) > max(self.top, other.top))

    @property
    def conf(self) -> float:
        """Mean word confidence, weighted by word length."""
        total = sum(len(w.text) for w in self.words)
        return sum(w.conf * len(w.text) for w in self.words) / total if total else 0.0


def join_words(parts: list[str]) -> str:
    """Join words with spaces, except between CJK characters.

    chi_sim often returns each Chinese character as its own "word"; the
    spaces it puts between them are not in the printed text.
    """
    return _CJK_GAP.sub("", " ".join(p for p in parts if p))


COLUMN_GAP = 1.5  # a gap wider than this many text heights separates columns, not words


def _split_columns(data: TesseractData, idx: list[int]) -> list[list[int]]:
    """Cut a Tesseract line where a wide gap separates two columns.

    Page layout sometimes runs a row straight across a two-column card
    ("广州启明电子有限公司    电话: 0755-…"), which hides the company
    behind a phone number; the parser needs the two pieces apart.
    """
    height = max(data["height"][i] for i in idx)
    pieces, last_right = [[idx[0]]], data["left"][idx[0]] + data["width"][idx[0]]
    for i in idx[1:]:
        if data["left"][i] - last_right > COLUMN_GAP * height:
            pieces.append([])
        pieces[-1].append(i)
        last_right = max(last_right, data["left"][i] + data["width"][i])
    return pieces


def _box(data: TesseractData, i: int) -> Box:
    left, top = data["left"][i], data["top"][i]
    return left, top, left + data["width"][i], top + data["height"][i]


def _word(data: TesseractData, i: int, box: Box | None = None) -> Word:
    """Word ``i`` of Tesseract's answer, at ``box`` (default: where Tesseract saw it)."""
    return Word(data["text"][i].strip(), float(data["conf"][i]) / 100.0,
                _box(data, i) if box is None else box)


def _union(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _group_lines(data: TesseractData) -> list[Line]:
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
    lines = []
    for idx in (piece for group in groups.values() for piece in _split_columns(data, group)):
        words = tuple(_word(data, i) for i in idx)
        top = min(data["top"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        left = min(data["left"][i] for i in idx)
        right = max(data["left"][i] + data["width"][i] for i in idx)
        lines.append(Line(words, bottom - top, top, left, right - left))
    return lines


def _same_row(a: Line, b: Line) -> bool:
    """``b`` continues ``a`` on the same printed row, just right of it."""
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    # Both boxes must cover the same band: a tall box spanning two rows is no match.
    if overlap < 0.7 * max(a.height, b.height):
        return False
    gap = b.left - (a.left + a.width)
    # A word space is ~0.3 of the text height; columns sit much further apart.
    # A colon between the pieces makes them label and value ("传真" ": 020-…"),
    # which cards often print with a tab-like gap.
    reach = 2.5 if a.text.endswith((":", "：")) or b.text.startswith((":", "：")) else 0.6
    return -0.2 * a.height <= gap <= reach * min(a.height, b.height)


def _join(a: Line, b: Line) -> Line:
    gap = b.left - (a.left + a.width)
    words = list(a.words)
    if gap < 0.15 * min(a.height, b.height) and words and b.words:
        # No visible space: one word that page layout cut in two ("ke" + "vin42@...").
        first, rest = b.words[0], b.words[1:]
        last = words.pop()
        words.append(Word(last.text + first.text, min(last.conf, first.conf), _union(last.box, first.box)))
        words.extend(rest)
    else:
        words.extend(b.words)
    top, bottom = min(a.top, b.top), max(a.top + a.height, b.top + b.height)
    right = max(a.left + a.width, b.left + b.width)
    return Line(tuple(words), bottom - top, top, a.left, right - a.left)


def merge_rows(lines: list[Line]) -> list[Line]:
    """Rejoin pieces of one printed row that page layout put in different blocks.

    On two-column cards Tesseract sometimes starts a new block in the middle
    of a row (an email cut after "ke", the rest read as its own line), which
    the parser could never put back together.
    """
    merged: list[Line] = []  # Tesseract's reading order, by each row's first piece
    for line in lines:
        for k, row in enumerate(merged):
            if _same_row(row, line):
                merged[k] = _join(row, line)
                break
            if _same_row(line, row):
                merged[k] = _join(line, row)
                break
        else:
            merged.append(line)
    return merged


def uncompressed(image: Image.Image) -> Image.Image:
    """``image`` marked to reach Tesseract as PGM: pytesseract writes each image
    to a file first, as PNG unless told otherwise, and compressing a page of
    1400 px cost about a tenth of a CPU second per call. PGM (Pillow's "PPM")
    is written and read as it is and, unlike BMP, states no resolution, so
    Tesseract estimates it from the text as it does for a PNG without one."""
    image.format = "PPM"
    return image


def recognise(image: Image.Image, *, psm: int = 3) -> list[Line]:
    """OCR ``image`` with chi_sim+eng and return its text lines in reading order."""
    config = CONFIG.replace("--psm 3", f"--psm {psm}")
    data = tess.image_to_data(uncompressed(image), LANGS, config)
    return merge_rows(_group_lines(data))


# Lines read worse than this get a second, single-line reading.
WEAK_LINE = 0.75
TEXT_HEIGHT = 32  # px; chi_sim reads single lines best around this text height
# Very bold, large text (a name in heavy type) often reads only when shrunk
# further; such lines are also tried at this size.
SMALL_TEXT_HEIGHT = 24
STACK_GAP = 32  # px of white around lines stacked for one reading
# Contact lines are Latin whatever their confidence: no point asking chi_sim.
_LATIN_LINE = re.compile(r"@|://|www\.|\d(?:[\s().+-]*\d){4}", re.IGNORECASE)
# A line holding only an email or web address (no phone number beside it):
# ocr.addresses reads it closer and cheaper than a weak-line re-read would.
ADDRESS_LINE = re.compile(r"^(?!.*\d(?:[\s().+-]*\d){4}).*(?:@|://|www\.)", re.IGNORECASE)


@dataclass(frozen=True)
class _Crop:
    image: Image.Image
    left: int  # where the crop came from in the page, and how much it was scaled
    top: int
    factor: float


def _line_crop(image: Image.Image, box: Box, text_height: int) -> _Crop:
    left, top, right, bottom = box
    pad = max(6, (bottom - top) // 4)
    x0, y0 = max(0, left - pad), max(0, top - pad)
    crop = image.crop((x0, y0, min(image.width, right + pad), min(image.height, bottom + pad)))
    factor = text_height / max(1, bottom - top)
    size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
    return _Crop(crop.resize(size, Image.Resampling.LANCZOS), x0, y0, factor)


def _to_page(box: Box, crop: _Crop, sheet_top: int) -> Box:
    """A box on the stacked sheet, back in page pixels."""
    f = crop.factor
    return (crop.left + round((box[0] - STACK_GAP) / f), crop.top + round((box[1] - sheet_top) / f),
            crop.left + round((box[2] - STACK_GAP) / f), crop.top + round((box[3] - sheet_top) / f))


def _read_stacked(crops: list[_Crop], lang: str) -> list[list[Line]]:
    """Read several line crops in one Tesseract run; the lines found in each crop.

    Every Tesseract run pays for loading its models (~0.15 CPU s for chi_sim),
    which dwarfs reading one short line, so the crops are stacked on one
    white sheet and read together as a uniform block of text. A crop may
    hold two printed rows (page layout sometimes boxes a name with its
    title): those come back as two lines, in page coordinates.
    """
    width = max(c.image.width for c in crops) + 2 * STACK_GAP
    tops = [STACK_GAP]
    for crop in crops:
        tops.append(tops[-1] + crop.image.height + STACK_GAP)
    sheet = Image.new("L", (width, tops[-1]), 255)
    for crop, top in zip(crops, tops):
        sheet.paste(crop.image, (STACK_GAP, top))
    data = tess.image_to_data(uncompressed(sheet), lang, "--oem 1 --psm 6")
    found: list[dict[tuple[int, int, int], list[int]]] = [{} for _ in crops]
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            middle = data["top"][i] + data["height"][i] / 2
            k = max(0, min(len(crops) - 1, bisect.bisect_right(tops, middle + STACK_GAP / 2) - 1))
            found[k].setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    out = []
    for crop, top, rows in zip(crops, tops, found):
        lines = []
        f = crop.factor
        for idx in rows.values():
            words = tuple(_word(data, i, _to_page(_box(data, i), crop, top)) for i in idx)
            y0 = min(data["top"][i] for i in idx) - top
            y1 = max(data["top"][i] + data["height"][i] for i in idx) - top
            x0 = min(data["left"][i] for i in idx) - STACK_GAP
            x1 = max(data["left"][i] + data["width"][i] for i in idx) - STACK_GAP
            lines.append(Line(words, round((y1 - y0) / f), crop.top + round(y0 / f), crop.left + round(x0 / f),
                              round((x1 - x0) / f)))
        out.append(lines)
    return out


def read_at(image: Image.Image, boxes: list[Box], text_height: int, lang: str = "chi_sim") -> list[list[Line]]:
    """The lines found in each box, every box scaled to ``text_height`` and all read in one run."""
    return _read_stacked([_line_crop(image, box, text_height) for box in boxes], lang) if boxes else []


def _conf(lines: list[Line]) -> float:
    return Line(tuple(w for line in lines for w in line.words), 0, 0).conf


def _has_cjk(lines: list[Line]) -> bool:
    return any(_CJK_CHAR.search(w.text) for line in lines for w in line.words)


def read_boxes(image: Image.Image, boxes: list[Box], hints: list[str] | None = None, *,
               sizes: tuple[int, ...] = (TEXT_HEIGHT,), skip_first: int = 0) -> list[list[Line]]:
    """Read the text inside each box; the lines found in each box.

    One Tesseract run per text size in ``sizes`` (later sizes only for boxes
    not yet read well), plus one for Latin lines.

    chi_sim alone first: in chi_sim+eng the English model tends to win on
    large or bold Chinese text and returns Latin garbage. Lines where chi_sim
    finds no Chinese are Latin, and chi_sim+eng (which keeps word spaces)
    reads them again. ``hints`` (an earlier reading of each box) send
    obvious contact lines (emails, URLs, numbers) straight to chi_sim+eng.
    The first ``skip_first`` boxes start at the second size.
    """
    if not boxes:
        return []
    hints = hints or [""] * len(boxes)
    found: list[list[Line]] = [[] for _ in boxes]
    pending = [k for k, hint in enumerate(hints) if not _LATIN_LINE.search(hint)]
    for n, size in enumerate(sizes):
        now = [k for k in pending if n > 0 or k >= skip_first]
        if now:
            readings = _read_stacked([_line_crop(image, boxes[k], size) for k in now], "chi_sim")
            for k, lines in zip(now, readings):
                found[k] = lines if _conf(lines) > _conf(found[k]) else found[k]
        # One Tesseract run per size: mixed sizes on one sheet read worse.
        pending = [k for k in pending if not (_has_cjk(found[k]) and _conf(found[k]) >= WEAK_LINE)]
    latin = [k for k in range(len(boxes)) if not _has_cjk(found[k])]
    if latin:
        readings = _read_stacked([_line_crop(image, boxes[k], TEXT_HEIGHT) for k in latin], LANGS)
        for k, lines in zip(latin, readings):
            found[k] = lines if lines else found[k]
    return found
