"""Find the card in a desk photo, cut it out square-on, and even out its lighting.

A business card photographed on a desk is a tilted, slightly keystoned
quadrilateral surrounded by wood, cloth or a drop shadow. A bounding-box
crop leaves dark wedges of desk in the corners, which page layout reads as
a picture and the skew estimate takes for lines of ink. Here the card's
four edges are found on a thumbnail (the paper is told from the desk by
brightness, whichever way round), a straight line is fitted to each edge,
and the quadrilateral they make is mapped onto an upright rectangle
(``Image.transform`` with ``QUAD``): crop, deskew and keystone in one
resampling. A desk lamp lights the card unevenly; dividing by a
large-scale estimate of the paper's brightness (text removed by a max
filter) flattens it before contrast is stretched.

Pillow only: everything runs on thumbnails or as whole-image filters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageMath, ImageOps, ImageStat

from ocr import preprocess
from ocr.preprocess import band_values, otsu_threshold

THUMB = 320  # long side of the thumbnail the edges are looked for on
EDGE_BAND = 0.4  # an edge is looked for within this share of the photo from its border
FIT_TOLERANCE = 1.5  # thumbnail px: a scan point this close to a fitted edge supports it
MIN_SUPPORT = 0.45  # share of an edge's scan lines that must lie on the fitted line
MIN_AREA = 0.25  # the card covers at least this share of the photo
MAX_CORNER_SKEW = 12.0  # degrees a corner may differ from a right angle (tilt + keystone)
CARD_RATIO = (1.3, 2.1)  # long side over short side of a business card, with margin
MIN_CONTRAST = 18  # grey levels between the paper and the desk around it
INSET = 0.008  # share of each side trimmed inside the found edges (their soft rim, the shadow)
CARD_LONG_SIDE = 1400  # px of the cut-out card's long side: body text lands around 30-38 px

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True)
class _Edge:
    slope: float  # the edge as  across = slope * along + offset
    offset: float
    support: float  # share of scan lines on the line


def _fit(points: list[tuple[float, float]]) -> _Edge | None:
    """Robust straight line through (along, across) scan points.

    Pairs of points half the edge apart propose lines; the one most points
    lie close to wins and is refined by least squares over those points.
    Text or a logo near the edge, or the desk's grain, only ever moves a
    minority of scan points.
    """
    n = len(points)
    if n < 8:
        return None
    half = n // 2
    best: list[tuple[float, float]] = []
    for k in range(0, n - half, max(1, half // 24)):
        (a0, c0), (a1, c1) = points[k], points[k + half]
        if a1 == a0:
            continue
        slope = (c1 - c0) / (a1 - a0)
        offset = c0 - slope * a0
        near = [(a, c) for a, c in points if abs(slope * a + offset - c) <= FIT_TOLERANCE]
        if len(near) > len(best):
            best = near
    if len(best) < 2:
        return None
    ma = sum(a for a, _ in best) / len(best)
    mc = sum(c for _, c in best) / len(best)
    var = sum((a - ma) ** 2 for a, _ in best)
    if var == 0:
        return None
    slope = sum((a - ma) * (c - mc) for a, c in best) / var
    return _Edge(slope, mc - slope * ma, len(best) / n)


def _first_paper(row: list[bool], limit: int) -> int | None:
    for i in range(min(limit, len(row))):
        if row[i]:
            return i
    return None


def _edges(paper: list[list[bool]], width: int, height: int) -> list[_Edge | None]:
    """Fitted left, right, top and bottom edges of the paper mask (rows of booleans)."""
    reach_x, reach_y = int(width * EDGE_BAND), int(height * EDGE_BAND)
    columns = [[paper[y][x] for y in range(height)] for x in range(width)]
    # Scan only the middle of each side: a corner's scan lines run along the other edge.
    ys = range(int(height * 0.15), int(height * 0.85))
    xs = range(int(width * 0.15), int(width * 0.85))
    sides: list[list[tuple[float, float]]] = [[], [], [], []]
    for y in ys:
        left = _first_paper(paper[y], reach_x)
        right = _first_paper(paper[y][::-1], reach_x)
        if left is not None and left > 0:
            sides[0].append((y, left))
        if right is not None and right > 0:
            sides[1].append((y, width - 1 - right))
    for x in xs:
        top = _first_paper(columns[x], reach_y)
        bottom = _first_paper(columns[x][::-1], reach_y)
        if top is not None and top > 0:
            sides[2].append((x, top))
        if bottom is not None and bottom > 0:
            sides[3].append((x, height - 1 - bottom))
    spans = (len(ys), len(ys), len(xs), len(xs))
    out: list[_Edge | None] = []
    for points, span in zip(sides, spans):
        edge = _fit(points)
        # Support counts against every scan line of the side, found or not.
        out.append(None if edge is None else _Edge(edge.slope, edge.offset, edge.support * len(points) / span))
    return out


def _corner(vertical: _Edge, horizontal: _Edge) -> Point | None:
    """Where x = a*y + b meets y = c*x + d."""
    a, b, c, d = vertical.slope, vertical.offset, horizontal.slope, horizontal.offset
    det = 1 - a * c
    if abs(det) < 1e-6:
        return None
    x = (a * d + b) / det
    return x, c * x + d


def _angle(p: Point, q: Point, r: Point) -> float:
    """The angle at ``q`` between ``p`` and ``r``, in degrees."""
    v, w = (p[0] - q[0], p[1] - q[1]), (r[0] - q[0], r[1] - q[1])
    norm = math.hypot(*v) * math.hypot(*w)
    if norm == 0:
        return 0.0
    return math.degrees(math.acos(max(-1.0, min(1.0, (v[0] * w[0] + v[1] * w[1]) / norm))))


def _area(quad: Quad) -> float:
    return abs(sum(quad[i][0] * quad[(i + 1) % 4][1] - quad[(i + 1) % 4][0] * quad[i][1] for i in range(4))) / 2


def _sides(quad: Quad) -> tuple[float, float]:
    """Mean width and height of the quadrilateral."""
    tl, tr, br, bl = quad
    width = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    height = (math.dist(tl, bl) + math.dist(tr, br)) / 2
    return width, height


def _plausible(quad: Quad, size: tuple[int, int]) -> bool:
    w, h = size
    if any(not (-0.02 * w <= x <= 1.02 * w and -0.02 * h <= y <= 1.02 * h) for x, y in quad):
        return False
    if _area(quad) < MIN_AREA * w * h:
        return False
    for i in range(4):
        if abs(_angle(quad[i - 1], quad[i], quad[(i + 1) % 4]) - 90) > MAX_CORNER_SKEW:
            return False
    qw, qh = _sides(quad)
    ratio = max(qw, qh) / max(1.0, min(qw, qh))
    return CARD_RATIO[0] <= ratio <= CARD_RATIO[1]


def _stands_out(small: Image.Image, quad: Quad) -> bool:
    """The paper inside the quadrilateral differs clearly from what lies outside it."""
    inside = Image.new("L", small.size, 0)
    ImageDraw.Draw(inside).polygon(list(quad), fill=255)
    outside = inside.point(lambda v: 255 - v)
    if not outside.getbbox():
        return False
    a = ImageStat.Stat(small, inside).median[0]
    b = ImageStat.Stat(small, outside).median[0]
    return abs(a - b) >= MIN_CONTRAST


def find_card(gray: Image.Image) -> Quad | None:
    """The card's corners in ``gray`` (top-left, top-right, bottom-right, bottom-left), or None.

    None when no card-shaped quadrilateral stands out from its surroundings
    (a card filling the frame, a card the same shade as the desk).
    """
    small = gray.copy()
    small.thumbnail((THUMB, THUMB))
    small = small.filter(ImageFilter.GaussianBlur(1))
    w, h = small.size
    cut = otsu_threshold(small)
    centre = ImageStat.Stat(small.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4))).median[0]
    # Paper is whichever side of the threshold the card's middle falls on.
    bright_paper = centre > cut
    mask = small.point(lambda v: 255 if (v > cut) == bright_paper else 0)
    # Opening drops desk speckle that crosses the threshold; text inside does not matter.
    mask = mask.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(3))
    values = band_values(mask)
    paper = [[values[y * w + x] > 0 for x in range(w)] for y in range(h)]
    left, right, top, bottom = _edges(paper, w, h)
    if left is None or right is None or top is None or bottom is None:
        return None
    if min(e.support for e in (left, right, top, bottom)) < MIN_SUPPORT:
        return None
    corners = [_corner(left, top), _corner(right, top), _corner(right, bottom), _corner(left, bottom)]
    if any(c is None for c in corners):
        return None
    tl, tr, br, bl = (c for c in corners if c is not None)
    quad: Quad = (tl, tr, br, bl)
    if not _plausible(quad, small.size) or not _stands_out(small, quad):
        return None
    sx, sy = gray.width / w, gray.height / h
    return ((tl[0] * sx, tl[1] * sy), (tr[0] * sx, tr[1] * sy), (br[0] * sx, br[1] * sy), (bl[0] * sx, bl[1] * sy))


def cut_out(gray: Image.Image, quad: Quad, long_side: int = CARD_LONG_SIDE) -> Image.Image:
    """The card inside ``quad`` mapped onto an upright rectangle with ``long_side`` px."""
    tl, tr, br, bl = quad

    def toward(p: Point, q: Point, share: float) -> Point:
        return p[0] + (q[0] - p[0]) * share, p[1] + (q[1] - p[1]) * share

    # Trim the soft rim of the edges (and a shadow line) by moving each corner inwards.
    tl, br = toward(tl, br, INSET), toward(br, tl, INSET)
    tr, bl = toward(tr, bl, INSET), toward(bl, tr, INSET)
    qw, qh = _sides((tl, tr, br, bl))
    factor = long_side / max(qw, qh)
    size = (max(1, round(qw * factor)), max(1, round(qh * factor)))
    source = gray
    if factor < 0.75:  # QUAD resampling does not filter: shrink first, or fine strokes alias
        source = gray.resize((max(1, round(gray.width * factor)), max(1, round(gray.height * factor))),
                             Image.Resampling.LANCZOS)
        s = source.width / gray.width
        tl, tr, br, bl = ((x * s, y * s) for x, y in (tl, tr, br, bl))
    data = (tl[0], tl[1], bl[0], bl[1], br[0], br[1], tr[0], tr[1])
    return source.transform(size, Image.Transform.QUAD, data, Image.Resampling.BICUBIC, fillcolor=255)


CARD_BLUR = 1.0  # Gaussian radius before the contrast stretch of a cut-out card
FLATTEN_SCALE = 16  # the paper's brightness is estimated at 1/16 size
FLATTEN_REACH = 4  # max-filter passes (3x3 each) at that size: dark areas up to ~130 px across vanish


def flatten_light(gray: Image.Image) -> Image.Image:
    """Divide out slow changes of the paper's brightness (a lamp's spot, a shadow's falloff).

    The paper's own brightness is estimated on a small copy where a max
    filter has removed the (darker) text; the card divided by it is evenly
    lit, so one global threshold or contrast stretch fits every part.
    """
    small = gray.reduce(FLATTEN_SCALE) if min(gray.size) >= 4 * FLATTEN_SCALE else gray
    for _ in range(FLATTEN_REACH):
        small = small.filter(ImageFilter.MaxFilter(3))
    background = small.filter(ImageFilter.GaussianBlur(2)).resize(gray.size, Image.Resampling.BILINEAR)
    flat = ImageMath.lambda_eval(
        lambda args: args["convert"](args["min"](args["float"](args["g"]) * 250.0 / (args["float"](args["b"]) + 1.0),
                                                 255.0), "L"),
        g=gray, b=background)
    assert isinstance(flat, Image.Image)
    return flat


def clean(image: Image.Image) -> Image.Image:
    """Grey, upright-agnostic card image for OCR.

    When the card's outline is found, it is cut out square-on and its light
    evened out before the usual polarity, contrast and residual-skew steps;
    otherwise ``preprocess.clean`` crops to the paper's bounding box.
    """
    gray = preprocess.to_gray(image)
    quad = find_card(gray)
    if quad is None:
        return preprocess.clean(gray)
    card = flatten_light(preprocess.fix_polarity(cut_out(gray, quad)))
    # A touch more blur than on an uncut photo: dividing out the light lifts the
    # sensor grain of the darker parts with the paper.
    card = ImageOps.autocontrast(card.filter(ImageFilter.GaussianBlur(CARD_BLUR)), cutoff=1)
    return preprocess.deskew(card)
