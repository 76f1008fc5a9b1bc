"""Chinese set top to bottom: a name (and title) printed as a column of characters.

Some cards set the name vertically at one edge. Page layout reads such a
column as a few one-character lines, or not at all, and the ``chi_sim``
model has no vertical mode here. So columns are looked for in the ink that
no horizontal line covers: a narrow band of ink that breaks, top to bottom,
into two or more roughly square cells is a column of characters. Its cells
are laid side by side on a strip, which reads as an ordinary line; all
columns of a card share one Tesseract run.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from ocr.engine import Line, Word, _Crop, _read_stacked
from ocr.preprocess import band_values, blank_rim, otsu_threshold, runs_above

SCALE = 0.5  # the search runs at half size
MIN_CELLS = 2  # a column holds at least this many characters
MIN_CELL = 10  # px at half size: smaller ink is specks
SQUARE = (0.55, 1.8)  # height / width of a character cell
TEXT_HEIGHT = 36  # px; the strip is read at this text height
GAP = 0.15  # share of the cell size left blank between characters on the strip
MIN_CONF = 0.6

Box = tuple[int, int, int, int]


def _horizontal(line: Line) -> bool:
    """A line read across the page (several characters side by side)."""
    return len(line.text.replace(" ", "")) >= 2 and line.width > 1.5 * line.height


def _cells(ink: Image.Image, left: int, right: int) -> list[Box]:
    """Character cells of the column between ``left`` and ``right``, top to bottom."""
    strip = ink.crop((left, 0, right, ink.height))
    rows = band_values(strip.resize((1, strip.height), Image.Resampling.BOX))
    width = right - left
    cells: list[Box] = []
    top: int | None = None
    bottom = 0
    for start, end in runs_above(rows):
        if top is None:
            top = start
        bottom = end
        # Characters with gaps inside (三, 二) are joined until the cell is about square.
        if bottom - top >= 0.7 * width:
            cells.append((left, top, right, bottom))
            top = None
    return cells


def _columns(ink: Image.Image) -> list[list[Box]]:
    cols = band_values(ink.resize((ink.width, 1), Image.Resampling.BOX))
    out = []
    for left, right in runs_above(cols):
        if right - left < MIN_CELL:
            continue
        cells = _cells(ink, left, right)
        # A run of cells of a character's shape; the gaps between them under a cell's height.
        square = [c for c in cells if SQUARE[0] <= (c[3] - c[1]) / (c[2] - c[0]) <= SQUARE[1]]
        if len(square) < MIN_CELLS or len(square) < len(cells) - 1:
            continue
        gaps = [b[1] - a[3] for a, b in zip(square, square[1:])]
        if all(g < (right - left) for g in gaps):
            out.append(square)
    return out


def find_vertical_lines(gray: Image.Image, lines: list[Line]) -> list[Line]:
    """Columns of characters in ``gray`` outside the horizontal ``lines``, read as lines."""
    small = gray.resize((max(1, int(gray.width * SCALE)), max(1, int(gray.height * SCALE))))
    cut = otsu_threshold(small)
    ink = small.point(lambda v: 255 if v < cut else 0)
    draw = ImageDraw.Draw(ink)
    for line in lines:
        if _horizontal(line):
            pad = line.height * 0.15
            draw.rectangle([(line.left - pad) * SCALE, (line.top - pad) * SCALE,
                            (line.left + line.width + pad) * SCALE, (line.top + line.height + pad) * SCALE], fill=0)
    blank_rim(ink, 0.02, 0.03)
    columns = _columns(ink)
    if not columns:
        return []
    crops, geometry = [], []
    for cells in columns:
        boxes: list[Box] = [(round(c[0] / SCALE), round(c[1] / SCALE), round(c[2] / SCALE), round(c[3] / SCALE))
                            for c in cells]
        size = max(b[3] - b[1] for b in boxes)
        factor = TEXT_HEIGHT / size
        gap = round(GAP * TEXT_HEIGHT)
        pieces = [gray.crop(b).resize((max(1, round((b[2] - b[0]) * factor)), max(1, round((b[3] - b[1]) * factor))),
                                      Image.Resampling.LANCZOS) for b in boxes]
        strip = Image.new("L", (sum(p.width for p in pieces) + gap * (len(pieces) + 1), TEXT_HEIGHT + 2 * gap), 255)
        x = gap
        for piece in pieces:
            strip.paste(piece, (x, gap + (TEXT_HEIGHT - piece.height) // 2))
            x += piece.width + gap
        crops.append(_Crop(strip, 0, 0, 1.0))
        geometry.append((boxes[0][0], boxes[0][1], max(b[2] for b in boxes) - boxes[0][0], size))
    found = []
    for (left, top, width, size), readings in zip(geometry, _read_stacked(crops, "chi_sim")):
        words = [w for line in readings for w in line.words]
        if not words:
            continue
        line = Line(tuple(Word(w.text, w.conf, None) for w in words), size, top, left, width)
        if line.conf >= MIN_CONF:
            found.append(line)
    return found


def merge_vertical(lines: list[Line], columns: list[Line]) -> list[Line]:
    """Add the column readings; they replace the one-character lines read inside them."""
    if not columns:
        return lines

    def inside(line: Line, col: Line) -> bool:
        return (col.left - col.height // 2 <= line.left + line.width // 2 <= col.left + col.width + col.height // 2
                and not _horizontal(line))

    kept = [line for line in lines if not any(inside(line, c) for c in columns)]
    return kept + columns
