"""Line art behind the contact rows: found where it runs alone at the card's edges, read around.

Some cards print thin decorative lines (waves, swooshes) across the part of
the card that holds the contact rows. The lines are a tint – lighter than
the type – but after the light is evened out and the contrast stretched
they are as dark as mid-grey ink, and Tesseract's page layout takes the
rows they cross for a picture: whole email, mobile and address rows are
lost or read as garbage.

Type keeps a margin from the card's edge; background art is printed to
the edge (it bleeds). So line art announces itself in the card's outer
strips, left and right: several thin runs of ink at both edges, where no
text ever stands (a solid corner or a dark rim gives one thick run and is
not art). Only then is the band the art covers read a second time with
every pixel lighter than halfway between the ink's median and the Otsu
threshold lifted to paper: the art goes where it does not cross type (type
is darker than its tint), and the rows come apart again. Lifting those
pixels on the whole page instead thins every light stroke of the type,
and the first reading stays where it was surer.

Pillow only for the look at the edges; one Tesseract page reading of the
band on cards with line art.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from ocr.engine import Line, Word
from ocr.preprocess import band_values, otsu_threshold, runs_above

STRIP = (0.004, 0.03)  # the outer strip looked at: from 0.4 % to 3 % of the width in from each edge
INK_BELOW = 60  # a strip pixel this many grey levels below the paper is ink
MAX_RUN = 0.03  # a run of line art across the strip is at most 3 % of the card's height (a thin line)
MIN_RUNS = 3  # thin runs needed at each of the two side edges
PAD = 0.05  # the band the art covers reaches this share of the card beyond its runs at the edges
MIN_CONF = 0.6  # a line of the second reading read worse than this is noise (the art's remains)
MIN_CHARS = 3  # letters, digits or Chinese characters a line of the second reading needs, two of them
# different: the art's remains read as one stroke repeated ("一一一")
CLOSE_CONF = 0.05  # a longer reading this close in confidence is the row read whole (the art cut it short)


def _edge_profile(gray: Image.Image, left: bool) -> list[float]:
    """Per row, the darkest pixel of the outer strip at the left (or right) edge."""
    w = gray.width
    a, b = int(w * STRIP[0]), max(int(w * STRIP[1]), int(w * STRIP[0]) + 1)
    strip = gray.crop((a, 0, b, gray.height) if left else (w - b, 0, w - a, gray.height))
    values, width = band_values(strip), strip.width
    return [min(values[y * width:(y + 1) * width]) for y in range(strip.height)]


def _thin_runs(profile: list[float], paper: float, height: int) -> list[tuple[int, int]]:
    """(start, end) of each run of ink in an edge profile; [] when a thick run (a solid
    corner, a dark rim, desk left at the edge) is among them."""
    runs = runs_above([paper - v - INK_BELOW for v in profile])
    if any(end - start > MAX_RUN * height for start, end in runs):
        return []
    return runs


def _paper(gray: Image.Image) -> int:
    """The paper's grey level: the 90th percentile of a small copy."""
    values = sorted(band_values(gray.reduce(8)))
    return int(values[len(values) * 9 // 10])


def line_art_band(gray: Image.Image) -> tuple[int, int] | None:
    """(top, bottom) of the band of line art that runs across the card from its left to its
    right edge, or None."""
    if min(gray.size) < 64:
        return None
    paper = _paper(gray)
    left = _thin_runs(_edge_profile(gray, True), paper, gray.height)
    right = _thin_runs(_edge_profile(gray, False), paper, gray.height)
    if len(left) < MIN_RUNS or len(right) < MIN_RUNS:
        return None
    runs = left + right
    pad = int(PAD * gray.height)
    return max(0, min(s for s, _ in runs) - pad), min(gray.height, max(e for _, e in runs) + pad)


def clear_line_art(gray: Image.Image) -> Image.Image:
    """``gray`` with every pixel lighter than halfway between the ink's median and the
    Otsu threshold lifted to paper."""
    cut = otsu_threshold(gray)
    hist = gray.histogram()[:cut]
    half, seen, median = sum(hist) / 2, 0, 0
    for level, count in enumerate(hist):
        seen += count
        if seen >= half:
            median = level
            break
    keep_below = (median + cut) / 2
    return gray.point(lambda v: 255 if v >= keep_below else v)


def _shifted(line: Line, dy: int) -> Line:
    words = tuple(Word(w.text, w.conf, None if w.box is None else (w.box[0], w.box[1] + dy, w.box[2], w.box[3] + dy))
                  for w in line.words)
    return Line(words, line.height, line.top + dy, line.left, line.width)


def _text_like(text: str) -> bool:
    chars = [c for c in text if c.isalnum()]
    return len(chars) >= MIN_CHARS and len(set(chars)) >= 2


def _better(again: Line, first: Line) -> bool:
    """The second reading is surer, or about as sure and longer (the row read whole)."""
    if again.conf > first.conf:
        return True
    longer = len(again.text.replace(" ", "")) > len(first.text.replace(" ", ""))
    return longer and again.conf >= first.conf - CLOSE_CONF


def reread_under_line_art(gray: Image.Image, lines: list[Line],
                          read: Callable[[Image.Image], list[Line]]) -> list[Line]:
    """``lines`` (the page reading of the upright card ``gray``) with the band under line
    art read again by ``read`` (a page reading), cleared of the art (``clear_line_art``).

    A line of the second reading replaces the lines of the first it covers when it
    was read surer than each of them (or about as sure, and holds more: the art had cut
    the row short), and is added where the first reading found
    nothing; the first reading stays wherever it was surer. A card without line art
    is returned as it is.
    """
    found = line_art_band(gray)
    if found is None:
        return lines
    top, bottom = found
    band = clear_line_art(gray.crop((0, top, gray.width, bottom)))
    again = [_shifted(line, top) for line in read(band)
             if line.width > 0 and line.conf >= MIN_CONF and _text_like(line.text)]
    taken = [a for a in again if all(_better(a, line) for line in lines if a.overlaps(line))]
    if not taken:
        return lines
    kept = [line for line in lines if not any(line.overlaps(a) for a in taken)]
    return sorted(kept + taken, key=lambda line: line.top)
