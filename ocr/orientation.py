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
GOOD_READING = 0.80
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


def candidate_order(gray: Image.Image, hint: int | None) -> list[int]:
    """Clockwise rotations to try, most likely first."""
    # Cards are usually landscape: a portrait photo is most likely turned.
    base = [90, 270, 0, 180] if gray.height > gray.width * 1.15 else [0, 180, 90, 270]
    return ([hint] if hint is not None else []) + [r for r in base if r != hint]


def rotate_cw(gray: Image.Image, degrees: int) -> Image.Image:
    return gray.rotate(-degrees, expand=True) if degrees % 360 else gray


def read_upright(gray: Image.Image, read: Callable[[Image.Image], list[Line]]) -> tuple[list[Line], int]:
    """OCR ``gray`` in its most plausible orientation; return lines and the rotation used."""
    best: tuple[float, list[Line], int] | None = None
    for degrees in candidate_order(gray, osd_rotation(gray)):
        lines = read(rotate_cw(gray, degrees))
        score = reading_score(lines)
        if score >= GOOD_READING:
            return lines, degrees
        if best is None or score > best[0]:
            best = (score, lines, degrees)
    assert best is not None
    return best[1], best[2]
