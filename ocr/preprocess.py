"""Pillow clean-up before OCR: grayscale, polarity, scale, contrast, deskew.

Page orientation (quarter turns) lives in ``ocr.orientation`` because it
needs Tesseract; everything here is pure Pillow.
"""

from __future__ import annotations

from typing import cast

from PIL import Image, ImageDraw, ImageFilter, ImageOps, ImageStat

# Tesseract's LSTM reads best with body text roughly 25-45 px tall. Card
# photos put body text at ~2.5-3.5 % of the long side, so a long side of
# ~1600 px lands there; smaller photos are enlarged, larger ones shrunk
# (which also bounds OCR time).
TARGET_LONG_SIDE = 1600
MIN_LONG_SIDE = 1300
MAX_LONG_SIDE = 1900
MAX_SKEW_DEGREES = 8.0


def band_values(image: Image.Image) -> list[float]:
    """The pixels of a one-band image ("L" or "1"), row by row.

    Pillow annotates ``get_flattened_data`` for every mode at once; a one-band
    image gives plain numbers, never the per-pixel tuples of a multi-band one.
    """
    return list(cast("tuple[float, ...]", image.get_flattened_data()))


def runs_above(values: list[float], floor: float = 0.0) -> list[tuple[int, int]]:
    """(start, end) of each run of ``values`` above ``floor``: the text bands of a
    row or column profile."""
    runs, start = [], None
    for i, value in enumerate(values + [0.0]):
        if value > floor and start is None:
            start = i
        elif value <= floor and start is not None:
            runs.append((start, i))
            start = None
    return runs


def blank_rim(ink: Image.Image, x_share: float, y_share: float) -> None:
    """Paint the outer ``x_share`` of the width and ``y_share`` of the height black:
    a card's rim (and any desk left at it) is no text."""
    mx, my = int(ink.width * x_share), int(ink.height * y_share)
    draw = ImageDraw.Draw(ink)
    draw.rectangle([0, 0, ink.width, my], fill=0)
    draw.rectangle([0, ink.height - my, ink.width, ink.height], fill=0)
    draw.rectangle([0, 0, mx, ink.height], fill=0)
    draw.rectangle([ink.width - mx, 0, ink.width, ink.height], fill=0)


def to_gray(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def fix_polarity(gray: Image.Image) -> Image.Image:
    """Invert light-on-dark cards; Tesseract expects dark text on light paper."""
    w, h = gray.size
    centre = gray.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4))
    # The median of the card's centre is its paper colour (text is sparse).
    return ImageOps.invert(gray) if ImageStat.Stat(centre).median[0] < 110 else gray


def _plausible_card(box: tuple[int, int, int, int], size: tuple[int, int]) -> bool:
    """A found paper region must be big and card-shaped, else cropping is a guess."""
    w, h = box[2] - box[0], box[3] - box[1]
    if w * h < 0.35 * size[0] * size[1]:
        return False
    ratio = max(w, h) / max(1, min(w, h))
    # A photo frames the card the same way round as itself.
    return 1.3 <= ratio <= 2.1 and (w > h) == (size[0] > size[1])


def _darker_outside(small: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """True when what the crop drops is clearly darker than the paper (a table, not shade)."""
    inside = ImageStat.Stat(small.crop(box)).mean[0]
    outside_mask = Image.new("L", small.size, 255)
    outside_mask.paste(0, box)
    if not outside_mask.getbbox():
        return False
    outside = ImageStat.Stat(small, outside_mask).mean[0]
    return inside - outside > 40


def crop_to_card(gray: Image.Image) -> Image.Image:
    """Cut away the table around the card.

    A wide dark frame makes Tesseract's layout analysis treat the whole card
    as a picture, so the brightest large region (the paper) is kept.
    """
    small = gray.copy()
    small.thumbnail((400, 400))
    cut = otsu_threshold(small)
    # Opening removes text holes' edges and table speckle; the paper survives.
    paper = small.point(lambda v: 255 if v > cut else 0)
    paper = paper.filter(ImageFilter.MinFilter(5)).filter(ImageFilter.MaxFilter(5))
    box = paper.getbbox()
    if box is None or not _plausible_card(box, small.size) or not _darker_outside(small, box):
        return gray
    sx, sy = gray.width / small.width, gray.height / small.height
    pad = 4
    return gray.crop((
        max(0, int((box[0] - pad) * sx)), max(0, int((box[1] - pad) * sy)),
        min(gray.width, int((box[2] + pad) * sx)), min(gray.height, int((box[3] + pad) * sy)),
    ))


def rescale(gray: Image.Image) -> Image.Image:
    long_side = max(gray.size)
    if MIN_LONG_SIDE <= long_side <= MAX_LONG_SIDE:
        return gray
    factor = TARGET_LONG_SIDE / long_side
    size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
    return gray.resize(size, Image.Resampling.LANCZOS)


def enhance(gray: Image.Image) -> Image.Image:
    """Stretch contrast; a slight blur softens sensor/JPEG speckle.

    A Gaussian costs a tenth of a 3x3 median on a full-size card (the median
    was ~0.18 CPU s, a tenth of the whole budget) and the LSTM reads as well.
    """
    return ImageOps.autocontrast(gray.filter(ImageFilter.GaussianBlur(0.6)), cutoff=1)


def otsu_threshold(gray: Image.Image) -> int:
    """Global Otsu threshold from the histogram (no numpy needed)."""
    hist = gray.histogram()[:256]
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    best, best_var, w_bg, sum_bg = 128, -1.0, 0, 0.0
    for t, count in enumerate(hist):
        w_bg += count
        if w_bg == 0 or w_bg == total:
            continue
        sum_bg += t * count
        m_bg, m_fg = sum_bg / w_bg, (sum_all - sum_bg) / (total - w_bg)
        var = w_bg * (total - w_bg) * (m_bg - m_fg) ** 2
        if var > best_var:
            best, best_var = t, var
    return best


def _row_profile_score(ink: Image.Image, angle: float) -> float:
    """Variance of per-row ink after rotating by ``angle``: peaks when text lines are level."""
    rotated = ink.rotate(angle, Image.Resampling.NEAREST, expand=False, fillcolor=0)
    rows = band_values(rotated.resize((1, rotated.height), Image.Resampling.BOX))
    mean = sum(rows) / len(rows)
    return sum((r - mean) ** 2 for r in rows)


def estimate_skew(gray: Image.Image) -> float:
    """Small-angle skew in degrees (counter-clockwise positive) by projection profiles."""
    small = gray.copy()
    small.thumbnail((600, 600))
    cut = otsu_threshold(small)
    ink = small.point(lambda v: 255 if v < cut else 0)
    coarse = max((a * 1.0 for a in range(-8, 9)), key=lambda a: _row_profile_score(ink, a))
    fine = [coarse + d / 4 for d in range(-4, 5)]
    return max(fine, key=lambda a: _row_profile_score(ink, a))


def deskew(gray: Image.Image) -> Image.Image:
    angle = estimate_skew(gray)
    if abs(angle) < 0.3 or abs(angle) > MAX_SKEW_DEGREES:
        return gray
    return gray.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def clean(image: Image.Image) -> Image.Image:
    """Upright-agnostic clean-up: everything except quarter-turn orientation."""
    gray = rescale(crop_to_card(fix_polarity(to_gray(image))))
    return deskew(enhance(gray))
