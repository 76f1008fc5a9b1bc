"""Find printed text that Tesseract's page layout skipped.

Short, large lines (a two-character Chinese name in a big font) are often
dropped by page segmentation as if they were a logo. Here the ink left after
blanking every line Tesseract did read is cut into horizontal bands, and
each band is read again as a single line.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from ocr.engine import Line, read_single_line
from ocr.preprocess import otsu_threshold

SCALE = 0.5  # band search runs on a half-size image: 4x fewer pixels
MIN_BAND = 12  # px at half size: ~24 px text, smaller leftovers are specks
MIN_CONF = 0.6  # a re-read below this is noise (card edge, logo), not text


def _leftover_ink(gray: Image.Image, lines: list[Line]) -> Image.Image:
    """Half-size mask (ink = 255) with read lines and the outer margin blanked."""
    small = gray.resize((max(1, int(gray.width * SCALE)), max(1, int(gray.height * SCALE))))
    cut = otsu_threshold(small)
    ink = small.point(lambda v: 255 if v < cut else 0).filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(3))
    draw = ImageDraw.Draw(ink)
    for line in lines:
        pad = line.height * 0.2
        draw.rectangle([(line.left - pad) * SCALE, (line.top - pad) * SCALE,
                        (line.left + line.width + pad) * SCALE, (line.top + line.height + pad) * SCALE], fill=0)
    mx, my = int(ink.width * 0.04), int(ink.height * 0.05)
    draw.rectangle([0, 0, ink.width, my], fill=0)
    draw.rectangle([0, ink.height - my, ink.width, ink.height], fill=0)
    draw.rectangle([0, 0, mx, ink.height], fill=0)
    draw.rectangle([ink.width - mx, 0, ink.width, ink.height], fill=0)
    return ink


def _bands(ink: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (half-size coords) of horizontal bands of ink tall enough to be text."""
    rows = list(ink.resize((1, ink.height), Image.Resampling.BOX).get_flattened_data())
    boxes, start = [], None
    for y, value in enumerate(rows + [0]):
        if value > 2 and start is None:
            start = y
        elif value <= 2 and start is not None:
            if y - start >= MIN_BAND:
                box = ink.crop((0, start, ink.width, y)).getbbox()
                if box:
                    boxes.append((box[0], start, box[2], y))
            start = None
    return boxes


def find_missed_lines(gray: Image.Image, lines: list[Line]) -> list[Line]:
    """Lines of text in ``gray`` not among ``lines``, read one by one."""
    found = []
    for x0, y0, x1, y1 in _bands(_leftover_ink(gray, lines)):
        box = (int(x0 / SCALE), int(y0 / SCALE), int(x1 / SCALE), int(y1 / SCALE))
        line = read_single_line(gray, box)
        if line.words and line.conf >= MIN_CONF:
            found.append(line)
    return found


def merge_in_reading_order(lines: list[Line], extra: list[Line]) -> list[Line]:
    """Insert ``extra`` lines by their vertical position."""
    return sorted(lines + extra, key=lambda line: line.top) if extra else lines
