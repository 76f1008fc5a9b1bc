"""Quarter-turn page orientation (0/90/180/270) for card photos.

Tesseract's OSD answers first when its model is installed and it is
confident. Otherwise (or when its answer reads badly) the candidates are
OCR'd in turn and the reading with the best mean word confidence wins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytesseract
from PIL import Image

from ocr.engine import Line

# OSD "orientation_conf" below this is often wrong on short Chinese text.
MIN_OSD_CONFIDENCE = 1.0
# A reading whose character-weighted confidence reaches this is real text;
# text read upside down or sideways scores ~0.2-0.5.
GOOD_READING = 0.75
OSD_LONG_SIDE = 1000  # OSD needs far fewer pixels than recognition


@functools.lru_cache(maxsize=1)
def osd_available() -> bool:
    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractError, OSError):
        return False
    return "osd" in langs


def osd_rotation(gray: Image.Image) -> int | None:
    """Clockwise degrees that make ``gray`` upright per OSD, or None if unsure."""
    if not osd_available():
        return None
    small = gray.copy()
    small.thumbnail((OSD_LONG_SIDE, OSD_LONG_SIDE))
    try:
        osd = pytesseract.image_to_osd(small, output_type=pytesseract.Output.DICT)
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


def aspect_guess(gray: Image.Image) -> int:
    """Cards are usually landscape: a portrait photo is most likely turned."""
    return 90 if gray.height > gray.width * 1.15 else 0


def rotate_cw(gray: Image.Image, degrees: int) -> Image.Image:
    return gray.rotate(-degrees, expand=True) if degrees % 360 else gray


def _candidates(gray: Image.Image, first: int):
    """Clockwise rotations to try after ``first``: OSD's answer, then the rest."""
    tried = {first}
    hint = osd_rotation(gray)  # only asked when the first guess read badly
    rest = [90, 270, 0, 180] if first == 90 else [0, 180, 90, 270]
    for degrees in ([hint] if hint is not None else []) + rest:
        if degrees not in tried:
            tried.add(degrees)
            yield degrees


def read_upright(gray: Image.Image, read: Callable[[Image.Image], list[Line]]) -> tuple[list[Line], int]:
    """OCR ``gray`` in its most plausible orientation; return lines and the rotation used.

    Most photos are upright, so the cheap aspect-ratio guess is read first
    and OSD is consulted only when that reading is poor.
    """
    first = aspect_guess(gray)
    lines = read(rotate_cw(gray, first))
    best = (reading_score(lines), lines, first)
    if best[0] >= GOOD_READING:
        return lines, first
    for degrees in _candidates(gray, first):
        lines = read(rotate_cw(gray, degrees))
        score = reading_score(lines)
        if score >= GOOD_READING:
            return lines, degrees
        if score > best[0]:
            best = (score, lines, degrees)
    return best[1], best[2]
