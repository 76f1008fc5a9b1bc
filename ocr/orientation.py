"""Quarter-turn page orientation (0/90/180/270) for card photos.

A cheap ink-projection test tells whether text lines run across or up and
down; that way round is read first, then upside down. Only when both read
badly does Tesseract's OSD (when installed) propose a turn, and the
remaining candidates are OCR'd in turn; the best mean word confidence wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from PIL import Image

from ocr.engine import Line, uncompressed
from ocr.preprocess import band_values, otsu_threshold

# OSD "orientation_conf" below this is often wrong on short Chinese text.
MIN_OSD_CONFIDENCE = 1.0
# A reading whose character-weighted confidence reaches this is real text;
# text read upside down or sideways scores ~0.2-0.5.
GOOD_READING = 0.75
# Below this even the better of two opposite readings is suspect: the
# line direction may have been misjudged, so every turn is tried.
FAIR_READING = 0.55
OSD_LONG_SIDE = 1000  # OSD needs far fewer pixels than recognition
# Row vs column ink-profile variance needed to call the text direction.
LINES_RATIO = 1.5


# Words that only come out of text read the right way up: an email or web
# address, or a contact label. Upside-down or sideways text reads as scattered
# letters, digits and punctuation, never as these.
_UPRIGHT_WORDS = re.compile(
    r"[A-Za-z0-9._-]{2,}@[A-Za-z0-9-]{2,}\.[A-Za-z]{2,}|www\.[A-Za-z0-9-]{3,}\.|电话|手机|邮箱|地址|传真|网址|"
    r"\b(?:Tel|Mobile|E-?mail|Fax|Phone|Address)\b",
    re.IGNORECASE,
)


def plainly_upright(lines: list[Line]) -> bool:
    """The reading holds words that only text read the right way up produces."""
    return any(_UPRIGHT_WORDS.search(line.text) for line in lines)


@functools.lru_cache(maxsize=1)
def osd_available() -> bool:
    import pytesseract  # where used: pytesseract imports numpy if installed
    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractError, OSError):
        return False
    return "osd" in langs


def osd_rotation(gray: Image.Image) -> int | None:
    """Clockwise degrees that make ``gray`` upright per OSD, or None if unsure."""
    import pytesseract  # where used: pytesseract imports numpy if installed
    if not osd_available():
        return None
    small = gray.copy()
    small.thumbnail((OSD_LONG_SIDE, OSD_LONG_SIDE))
    try:
        osd = pytesseract.image_to_osd(uncompressed(small), output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:  # e.g. "Too few characters"
        return None
    if float(osd["orientation_conf"]) < MIN_OSD_CONFIDENCE:
        return None
    return int(osd["rotate"]) % 360


def reading_score(lines: list[Line]) -> float:
    """Character-weighted mean confidence, discounted when almost nothing was read."""
    chars = sum(len(w.text) for line in lines for w in line.words)
    if not chars:
        return 0.0
    conf = sum(w.conf * len(w.text) for line in lines for w in line.words) / chars
    return conf * min(1.0, chars / 40)


def _profile_variance(ink: Image.Image) -> float:
    rows = band_values(ink.resize((1, ink.height), Image.Resampling.BOX))
    mean = sum(rows) / len(rows)
    return sum((r - mean) ** 2 for r in rows) / len(rows)


def lines_run_across(gray: Image.Image) -> bool | None:
    """True when text lines run left-right (0 or 180 degrees), False when up-down.

    Level text lines make the row ink profile alternate sharply between
    lines and gaps, while the column profile stays flat; turned a quarter,
    it is the other way round. None when neither clearly wins (little text).
    """
    small = gray.copy()
    small.thumbnail((400, 400))
    cut = otsu_threshold(small)  # once: ``point`` calls the lambda for each of the 256 grey levels
    ink = small.point(lambda v: 255 if v < cut else 0)
    across = _profile_variance(ink)
    down = _profile_variance(ink.transpose(Image.Transpose.ROTATE_90))
    if across > LINES_RATIO * down:
        return True
    if down > LINES_RATIO * across:
        return False
    return None


def aspect_guess(gray: Image.Image, across: bool | None = None) -> int:
    """Which way round to read first: by the text lines (``lines_run_across``),
    else by the shape. Cards are usually landscape, so a portrait photo is
    most likely turned.
    """
    if across is None:
        return 90 if gray.height > gray.width * 1.15 else 0
    return 0 if across else 90


def rotate_cw(gray: Image.Image, degrees: int) -> Image.Image:
    return gray.rotate(-degrees, expand=True) if degrees % 360 else gray


def _candidates(gray: Image.Image, tried: set[int]) -> Iterator[int]:
    """Clockwise rotations not yet tried: OSD's answer first, then the rest."""
    hint = osd_rotation(gray)
    for degrees in ([hint] if hint is not None else []) + [0, 180, 90, 270]:
        if degrees not in tried:
            tried.add(degrees)
            yield degrees


def read_upright(gray: Image.Image, read: Callable[[Image.Image], list[Line]]) -> tuple[list[Line], int]:
    """OCR ``gray`` in its most plausible orientation; return lines and the rotation used.

    Most photos are upright, so the cheap guess (text-line direction, else
    aspect ratio) is read first; it is kept if it reads well, or fairly with
    an address or a contact label in it. Otherwise, when the line
    direction is known, the only other way round is upside down; OSD and
    the remaining quarter turns are tried only if that reads poorly too.
    """
    across = lines_run_across(gray)
    first = aspect_guess(gray, across)
    order = [first] if across is None else [first, (first + 180) % 360]
    best: tuple[float, list[Line], int] = (-1.0, [], first)
    for degrees in order:
        lines = read(rotate_cw(gray, degrees))
        best = max(best, (reading_score(lines), lines, degrees), key=lambda b: b[0])
        if best[0] >= GOOD_READING:
            return best[1], best[2]
        if best[0] >= FAIR_READING and best[2] == degrees and plainly_upright(lines):
            # A fair reading with an address or a contact label in it: the photo
            # was the right way up, whatever the rest of the card reads like.
            # (Reading it upside down as well cost a whole page reading.)
            return best[1], best[2]
    if best[0] >= FAIR_READING and across is not None:
        return best[1], best[2]
    for degrees in _candidates(gray, set(order)):
        lines = read(rotate_cw(gray, degrees))
        best = max(best, (reading_score(lines), lines, degrees), key=lambda b: b[0])
        if best[0] >= GOOD_READING:
            break
    return best[1], best[2]
