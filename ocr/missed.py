"""Find printed text that Tesseract's page layout skipped.

Short, large lines (a two-character Chinese name in a big font) are often
dropped by page segmentation as if they were a logo. Here the ink left after
blanking every line Tesseract did read is cut into horizontal bands, and
each band is read again as a single line.
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from ocr.engine import WEAK_LINE, ADDRESS_LINE, SMALL_TEXT_HEIGHT, TEXT_HEIGHT, Line, read_boxes
from ocr.preprocess import band_values, blank_rim, otsu_threshold

SCALE = 0.5  # band search runs on a half-size image: 4x fewer pixels
MIN_BAND = 12  # px at half size: ~24 px text, smaller leftovers are specks
READ_CONF = 0.65  # a line read worse than this is searched again like unread ink
MIN_CONF = 0.6  # a re-read below this is noise (card edge, logo), not text
MASK_SCALE = 8  # the paper mask is found at 1/8 size: holes up to ~64 px are closed cheaply
MIN_INK = 0.06  # printed text covers 15-40 % of its box; noise far less
COLUMN_GAP = 1.5  # a horizontal gap wider than this many band heights separates columns


def _repeat(image: Image.Image, image_filter: ImageFilter.Filter, times: int) -> Image.Image:
    for _ in range(times):
        image = image.filter(image_filter)
    return image


def _paper_mask(small: Image.Image, cut: int) -> Image.Image:
    """255 on the card's paper (text holes closed), 0 on the table around it.

    When the photo shows the table, its dark corners would otherwise count
    as ink and swallow every band that touches them.
    """
    tiny = small.reduce(max(1, round(MASK_SCALE * SCALE)))
    paper = tiny.point(lambda v: 255 if v > cut else 0)
    closed = _repeat(_repeat(paper, ImageFilter.MaxFilter(3), 4), ImageFilter.MinFilter(3), 5)
    return closed.resize(small.size, Image.Resampling.NEAREST)


def _leftover_ink(gray: Image.Image, lines: list[Line]) -> Image.Image:
    """Half-size mask (ink = 255) with read lines and the outer margin blanked."""
    small = gray.resize((max(1, int(gray.width * SCALE)), max(1, int(gray.height * SCALE))))
    cut = otsu_threshold(small)
    # No opening: at half size the strokes of a light serif face are ~1 px and
    # would vanish; specks are dropped later as sparse or tiny boxes.
    ink = small.point(lambda v: 255 if v < cut else 0)
    ink = ImageChops.darker(ink, _paper_mask(small, cut))
    draw = ImageDraw.Draw(ink)
    for line in lines:
        if line.conf < READ_CONF and not ADDRESS_LINE.search(line.text):
            continue  # garbage where a heavy name was printed: look there again (ocr.addresses reads addresses)
        pad = line.height * 0.2
        draw.rectangle([(line.left - pad) * SCALE, (line.top - pad) * SCALE,
                        (line.left + line.width + pad) * SCALE, (line.top + line.height + pad) * SCALE], fill=0)
    blank_rim(ink, 0.04, 0.05)
    return ink


def _columns(ink: Image.Image, top: int, bottom: int) -> list[tuple[int, int, int, int]]:
    """Split one band into boxes separated by wide blank gaps (two-column cards)."""
    band = ink.crop((0, top, ink.width, bottom))
    cols = band_values(band.resize((band.width, 1), Image.Resampling.BOX))
    widest_gap = COLUMN_GAP * (bottom - top)
    boxes: list[tuple[int, int, int, int]] = []
    start: int | None = None
    last = 0  # the last inked column, read only once a box has started
    for x, value in enumerate(cols + [0] * (int(widest_gap) + 2)):
        if value > 0:
            start = x if start is None else start
            last = x
        elif start is not None and x - last > widest_gap:
            boxes.append(_full_height(ink, (start, top, last + 1, bottom)))
            start = None
    return boxes


def _full_height(ink: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Grow a band's box to the whole glyphs: the thin tops and tails of a short,
    large word fall below the band threshold, and a clipped line reads as nothing."""
    left, top, right, bottom = box
    reach = (bottom - top) // 2
    grown = ink.crop((left, max(0, top - reach), right, min(ink.height, bottom + reach))).getbbox()
    if not grown:
        return box
    return left, max(0, top - reach) + grown[1], right, max(0, top - reach) + grown[3]


def _text_like(ink: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Big enough and dense enough to be printed text rather than scattered specks."""
    if box[2] - box[0] < MIN_BAND or box[3] - box[1] < MIN_BAND:
        return False
    return ImageStat.Stat(ink.crop(box)).mean[0] >= MIN_INK * 255


def _bands(ink: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (half-size coords) of horizontal bands of ink tall enough to be text."""
    rows = band_values(ink.resize((1, ink.height), Image.Resampling.BOX))
    boxes: list[tuple[int, int, int, int]] = []
    start: int | None = None
    for y, value in enumerate(rows + [0]):
        if value > 0 and start is None:
            start = y
        elif value <= 0 and start is not None:
            if y - start >= MIN_BAND:
                boxes.extend(box for box in _columns(ink, start, y) if _text_like(ink, box))
            start = None
    return boxes


def find_missed_lines(gray: Image.Image, lines: list[Line]) -> list[Line]:
    """Lines of text in ``gray`` not among ``lines``, read together in one pass."""
    boxes = [(int(left / SCALE), int(top / SCALE), int(right / SCALE), int(bottom / SCALE))
             for left, top, right, bottom in _bands(_leftover_ink(gray, lines))]
    lines = [line for found in read_boxes(gray, boxes, sizes=(SMALL_TEXT_HEIGHT, TEXT_HEIGHT)) for line in found]
    return [line for line in lines if line.words and line.conf >= MIN_CONF]


def merge_in_reading_order(lines: list[Line], extra: list[Line]) -> list[Line]:
    """Insert ``extra`` lines by their vertical position; they replace the
    badly read lines they cover."""
    if not extra:
        return lines
    kept = [line for line in lines if line.conf >= READ_CONF or not any(line.overlaps(e) for e in extra)]
    return sorted(kept + extra, key=lambda line: line.top)


def _weak(line: Line) -> bool:
    return line.conf < WEAK_LINE and line.width > 0 and not ADDRESS_LINE.search(line.text)


def _box_line(box: tuple[int, int, int, int]) -> Line:
    return Line((), box[3] - box[1], box[1], box[0], box[2] - box[0])


def _page_boxes(ink_boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    return [(int(left / SCALE), int(top / SCALE), int(right / SCALE), int(bottom / SCALE))
            for left, top, right, bottom in ink_boxes]


def reread_weak_and_missed(gray: Image.Image, lines: list[Line]) -> list[Line]:
    """Weak lines (a surer single-line reading replaces them) and unread ink (``find_missed_lines``)
    read again in the same Tesseract runs.

    Every run loads its model (~0.15 CPU-s), more than reading a few lines
    costs, and the two searches ran one after the other with up to five
    runs between them. Here the unread ink is looked for on the page
    reading itself and both sets of crops share the runs: 24 px (unread
    ink only; heavy type reads only when small), 32 px (weak lines, and
    unread ink not yet read well), chi_sim+eng for Latin. Then, as before,
    a weak line takes its new reading when surer; a band of ink is kept
    unless a line that read badly and now reads well lies in it – there the
    band search is run again with that line blanked (as it was when the
    searches ran in turn), which costs its own runs only on such cards.
    """
    weak = [k for k, line in enumerate(lines) if _weak(line)]
    weak_boxes = [lines[k].box for k in weak]
    bands = _page_boxes(_bands(_leftover_ink(gray, lines)))
    found = read_boxes(gray, weak_boxes + bands, [lines[k].text for k in weak] + [""] * len(bands),
                       sizes=(SMALL_TEXT_HEIGHT, TEXT_HEIGHT), skip_first=len(weak_boxes))
    again = dict(zip(weak, found))
    first: list[Line] = []
    now_read: list[Line] = []  # lines the band search took for unread ink that now read well
    for k, line in enumerate(lines):
        better = again.get(k)
        if better and _mean_conf(better) > line.conf:
            first.extend(better)
            if line.conf < READ_CONF:
                now_read.extend(b for b in better if b.conf >= READ_CONF)
        else:
            first.append(line)
    extra: list[Line] = []
    stale = []
    for box, lines_in_box in zip(bands, found[len(weak_boxes):]):
        if any(_box_line(box).overlaps(line) for line in now_read):
            stale.append(_box_line(box))
            continue
        extra.extend(line for line in lines_in_box if line.words and line.conf >= MIN_CONF)
    if stale:
        redo = [box for box in _page_boxes(_bands(_leftover_ink(gray, first)))
                if any(_box_line(box).overlaps(s) for s in stale) and box not in bands]
        found = read_boxes(gray, redo, sizes=(SMALL_TEXT_HEIGHT, TEXT_HEIGHT))
        extra.extend(line for lines_in_box in found for line in lines_in_box if line.words and line.conf >= MIN_CONF)
    return merge_in_reading_order(first, extra)


def _mean_conf(lines: list[Line]) -> float:
    return Line(tuple(w for line in lines for w in line.words), 0, 0).conf
