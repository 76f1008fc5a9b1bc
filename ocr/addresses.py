"""A second, closer reading of the email and web addresses on a card.

The page reading runs chi_sim+eng over the whole card at body-text size,
where the English model's sense of what words look like wins over the ink:
"info12" comes back as "infol2", "sales52" as "salesS2", a dot as a comma.
Addresses are one word each and matter most, so each one found in the page
reading is cut out again from its word box, straightened on its own (the
residual skew of a card photo makes a long word's box cover parts of the
rows above and below), enlarged and read by the English model alone with
only the characters an address can hold. All addresses of a card, in two
treatments each (grey, and Otsu-binarised), share one Tesseract run: loading
the model costs far more than reading a line.

The readings of an address vote; the page reading is one of them. An email
whose domain matches the card's web address (or the other way round) is
preferred, as the two are usually printed from the same domain.

An "l" next to a digit in a handle is the one confusion no treatment
undoes: the model reads "info12" as "infol2" because "infol" looks like a
word. The ink settles it: an "l" rises to the ascender line, above the
digits, while a "1" is as tall as the digit beside it ("michael63" stays).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from PIL import Image, ImageOps

from ocr import tess
from ocr.engine import Box, Line, Word, uncompressed
from ocr.fields import find_email, find_website
from ocr.preprocess import band_values, otsu_threshold, runs_above

# Characters of an email or web address (upper case is read as such and lowered
# by the parser). No space: an address is one word.
WHITELIST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-_:/%+"
CONFIG = f"--oem 1 --psm 6 -c tessedit_char_whitelist={WHITELIST} -c hocr_char_boxes=1"
LANG = "eng"
TEXT_HEIGHT = 48  # px from ascender to descender; the English model reads addresses best around here
GAP = 24  # px of white between crops stacked on one sheet
MAX_SKEW = 4.0  # degrees of residual slant searched per crop
REACH = 8  # text heights searched right of a word box for the rest of its address
BAND_FLOORS = (0.04, 0.12, 0.2)  # share of the fullest row's ink that counts as a row of text
MAX_BAND = 1.5  # a row of ink taller than this many word-box heights holds more than the address
WORD_SPACE = 0.4  # a blank this many text heights wide ends an address (letters sit closer)
_EMAIL_OR_WEB = re.compile(r"@|www|://", re.IGNORECASE)
_ELL_BY_DIGIT = re.compile(r"(?<=\d)l|l(?=\d)")
# Digits stand this share of TEXT_HEIGHT lower than an "l" at least, else the font can't tell them apart.
MIN_RISE = 0.04


@dataclass(frozen=True)
class _Target:
    line: int  # index in the page's lines
    first: int  # words[first:last] of that line hold the address
    last: int
    kind: str  # "email" or "web"


@dataclass(frozen=True)
class _Reading:
    text: str
    chars: tuple[tuple[str, int, int], ...]  # each character and its left and right edge on its crop


def _address_words(words: tuple[Word, ...], k: int) -> tuple[int, int]:
    """The run of words around ``words[k]`` that OCR cut out of one address
    at an "@" or a dot ("info12 @ruifeng.example.cn")."""
    def joined(a: Word, b: Word) -> bool:
        return a.text.endswith(("@", ".")) or b.text.startswith(("@", "."))

    first = last = k
    while first > 0 and joined(words[first - 1], words[first]):
        first -= 1
    while last < len(words) - 1 and joined(words[last], words[last + 1]):
        last += 1
    return first, last + 1


# An email whose "@" the page reading took for a letter ("ztaocehongdatech.example.com",
# "renz98edingshenggroup.example.net"): a host-like word ending in a top-level
# domain, with no "@", "www" or scheme, and a handle-and-brand's worth of letters
# before its first dot.
_HOST_LIKE = re.compile(r"[A-Za-z0-9._-]{6,}\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|cn)$", re.IGNORECASE)
_LABEL_PREFIX = re.compile(r"^.*[:：|]")


def _lost_at(words: tuple[Word, ...], k: int) -> tuple[int, int] | None:
    """The run of words holding an email read without its "@", if ``words[k]`` starts one."""
    first, last = _address_words(words, k)
    if first != k:
        return None
    text = _LABEL_PREFIX.sub("", "".join(w.text for w in words[first:last]))
    head = text.partition(".")[0]
    if re.match(r"(?:https?|www)", text, re.IGNORECASE) or len(head) < 6 or not _HOST_LIKE.fullmatch(text):
        return None
    return first, last


def _targets(lines: list[Line]) -> list[_Target]:
    out = []
    for n, line in enumerate(lines):
        for k, word in enumerate(line.words):
            if word.box is None:
                continue
            match = _EMAIL_OR_WEB.search(word.text)
            if match:
                first, last = _address_words(line.words, k)
                if all(w.box is not None for w in line.words[first:last]):
                    out.append(_Target(n, first, last, "email" if match.group() == "@" else "web"))
                break  # one address per line
            run = _lost_at(line.words, k)
            if run and all(w.box is not None for w in line.words[run[0]:run[1]]):
                out.append(_Target(n, run[0], run[1], "email"))
                break
    return out


def _row_variance(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, Image.Resampling.NEAREST, fillcolor=0)
    rows = band_values(turned.resize((1, turned.height), Image.Resampling.BOX))
    mean = sum(rows) / len(rows)
    return sum((r - mean) ** 2 for r in rows)


def _columns(ink: Image.Image, gap: float) -> list[tuple[int, int]]:
    """Runs of inked columns; a blank wider than ``gap`` (a word space) ends one."""
    cols = band_values(ink.resize((ink.width, 1), Image.Resampling.BOX))
    runs: list[tuple[int, int]] = []
    for x, value in enumerate(cols):
        if value <= 0:
            continue
        if runs and x - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], x + 1)
        else:
            runs.append((x, x + 1))
    return runs


def straighten(image: Image.Image, box: Box) -> tuple[Image.Image, int] | None:
    """The address in ``box`` levelled, cut to its own row and scaled to
    TEXT_HEIGHT; and where it ends on the page (x).

    The crop reaches well right of the box: on a slanted card page layout
    often cuts an address in two ("…@starlight.exam" + "ple.com"), and an
    address runs on as long as no word space interrupts its ink.
    """
    left, top, right, bottom = box
    height = bottom - top
    x0, y0 = max(0, left - height // 6), max(0, top - height // 2)
    crop = image.crop((x0, y0, min(image.width, right + REACH * height), min(image.height, bottom + height // 2)))
    cut = otsu_threshold(crop)
    ink = crop.point(lambda v: 255 if v < cut else 0)
    coarse = max((a / 2 for a in range(int(-2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)), key=lambda a: _row_variance(ink, a))
    angle = max((coarse + d / 8 for d in range(-3, 4)), key=lambda a: _row_variance(ink, a))
    if abs(angle) >= 0.2:
        crop = crop.rotate(angle, Image.Resampling.BICUBIC, fillcolor=255)
        ink = ink.rotate(angle, Image.Resampling.NEAREST, fillcolor=0)
    rows = band_values(ink.resize((1, ink.height), Image.Resampling.BOX))
    middle = (top + bottom) // 2 - y0
    # The row of ink under the word box's middle; neighbouring rows fall away.
    # Rows set close together touch (descenders over ascenders): a higher
    # floor then parts them, at the cost of the thin tops and tails, which the
    # padding below gives back.
    for floor in BAND_FLOORS:
        bands = runs_above(rows, floor * max(rows)) if max(rows) else []
        if not bands:
            return None
        start, end = max(bands, key=lambda b: (b[0] <= middle <= b[1], sum(rows[b[0]:b[1]])))
        if end - start <= MAX_BAND * height:
            break
    else:
        return None
    if floor > BAND_FLOORS[0]:
        # Give back the ascenders and descenders the higher floor cut off.
        reach, low = (end - start) * 2 // 5, BAND_FLOORS[0] * max(rows)
        lo, hi = max(0, start - reach), min(len(rows), end + reach)
        while start > lo and rows[start - 1] > low:
            start -= 1
        while end < hi and rows[end] > low:
            end += 1
    # From the word's first ink up to the next word space (a label before it
    # is a space away, and so is the next column after it).
    runs = _columns(ink.crop((0, start, ink.width, end)), WORD_SPACE * (end - start))
    runs = [r for r in runs if r[1] > left - x0 + 0.3 * height]
    if not runs:
        return None
    first, last = runs[0]
    pad = max(4, (end - start) // 4)
    crop = crop.crop((max(0, first - pad), max(0, start - pad),
                      min(crop.width, last + pad), min(crop.height, end + pad)))
    factor = TEXT_HEIGHT / max(1, end - start)
    return crop.resize((max(1, round(crop.width * factor)), max(1, round(crop.height * factor))),
                       Image.Resampling.LANCZOS), x0 + last


def binarise(image: Image.Image) -> Image.Image:
    cut = otsu_threshold(image)
    return image.point(lambda v: 255 if v > cut else 0)


def _bbox(title: str) -> tuple[int, int, int, int]:
    match = re.search(r"x_bboxes (\d+) (\d+) (\d+) (\d+)", title)
    if not match:
        return 0, 0, 0, 0
    left, top, right, bottom = (int(v) for v in match.groups())
    return left, top, right, bottom


def read_stacked(crops: list[Image.Image]) -> list[_Reading]:
    """Read each crop as one address, all in one Tesseract run."""
    width = max(c.width for c in crops) + 2 * GAP
    tops = [GAP]
    for crop in crops:
        tops.append(tops[-1] + crop.height + GAP)
    sheet = Image.new("L", (width, tops[-1]), 255)
    for crop, top in zip(crops, tops):
        sheet.paste(crop, (GAP, top))
    hocr = tess.image_to_hocr(uncompressed(sheet), LANG, CONFIG)
    found: list[list[tuple[str, int, int]]] = [[] for _ in crops]  # (char, left, right) per crop
    for span in ElementTree.fromstring(hocr).iter():
        if span.get("class") == "ocrx_cinfo" and span.text:
            x0, y0, x1, y1 = _bbox(span.get("title", ""))
            k = max((i for i, top in enumerate(tops[:-1]) if top - GAP / 2 <= (y0 + y1) / 2), default=0)
            found[k].append((span.text, x0 - GAP, x1 - GAP))
    return [_Reading("".join(c for c, _, _ in chars), tuple(chars)) for chars in found]


def _host(value: str | None, kind: str) -> str | None:
    if not value:
        return None
    return value.partition("@")[2] if kind == "email" else re.sub(r"^www\.", "", value)


def _value(text: str, kind: str) -> str | None:
    return find_email(text) if kind == "email" else find_website(text)


# A capital between a small letter or digit and a digit, in an address read
# with capitals allowed, is a digit of the same shape ("salesS6" is "sales56").
_CAPITAL_DIGIT = re.compile(r"(?<=[a-z0-9])[SOIBZG](?=\d)|(?<=\d)[SOIBZG](?=[a-z0-9@])")
_DIGIT_OF = str.maketrans("SOIBZG", "501826")


def _digits_for_capitals(text: str) -> str:
    return _CAPITAL_DIGIT.sub(lambda m: m.group().translate(_DIGIT_OF), text)


def _choose(readings: list[str | None], kind: str, other_hosts: set[str | None]) -> str | None:
    """Most votes, but a host also read on the card's other address first.

    The page reading comes first and wins a tie with nothing else to go by.
    """
    votes: dict[str, float] = {}
    for rank, value in enumerate(readings):
        if value:
            votes[value] = votes.get(value, 0.0) + 1.0 - 0.01 * rank
    if not votes:
        return None
    return max(votes, key=lambda v: (_host(v, kind) in other_hosts, votes[v]))


def _page_domain(page: str, rereadings: list[str | None]) -> str | None:
    """The page reading's vote on an email it read without the "@": the closer
    reading's handle with the domain as the page read it, when the two domains
    are one length and have their dots in the same places."""
    squeezed = re.sub(r"\s+", "", page).lower()
    for value in rereadings:
        if value:
            handle, _, domain = value.partition("@")
            tail = squeezed[-len(domain):]
            if len(squeezed) > len(domain) and [i for i, c in enumerate(tail) if c == "."] == [
                    i for i, c in enumerate(domain) if c == "."] and re.fullmatch(r"[a-z0-9.-]+", tail):
                return f"{handle}@{tail}"
            return None
    return None


def _glyphs(crop: Image.Image) -> list[tuple[int, int, int]]:
    """(left, right, top) of each run of inked columns: one glyph each, mostly."""
    cut = otsu_threshold(crop)
    ink = crop.point(lambda v: 255 if v < cut else 0)
    out = []
    for left, right in _columns(ink, 0):
        box = ink.crop((left, 0, right, ink.height)).getbbox()
        if box:
            out.append((left, right, box[1]))
    return out


def _glyph(glyphs: list[tuple[int, int, int]], char: tuple[str, int, int]) -> tuple[int, int, int] | None:
    """The inked glyph under a character Tesseract placed at ``char``'s box."""
    _, left, right = char
    overlap, glyph = max(((min(right, g[1]) - max(left, g[0]), g) for g in glyphs), default=(0, None))
    return glyph if overlap > 0 else None


def ones_for_ells(crop: Image.Image, reading: _Reading, handle: str) -> str:
    """``handle`` (as found in ``reading``) with each "l" beside a digit that is
    printed no taller than that digit made a "1".

    An "l" rises to the ascender line, above the digits; a "1" is as tall as
    its neighbours. Where the address holds no letter taller than its digits
    (or the font draws them alike) nothing is changed.
    """
    start = reading.text.lower().find(handle + "@")
    glyphs = _glyphs(crop)
    if start < 0 or not glyphs or len(reading.chars) != len(reading.text):
        return handle
    # Tesseract's character boxes are rough (a narrow "1" may overlap the "@"
    # more than its own glyph), but the wide "@" is found reliably: count the
    # glyphs back from it. Letters that touch earlier in the handle don't matter.
    at = _glyph(glyphs, reading.chars[start + len(handle)])
    if at is None:
        return handle
    at_index = glyphs.index(at)
    ascender = min(g[2] for g in glyphs)
    out = list(handle)
    for match in _ELL_BY_DIGIT.finditer(handle):
        k = match.start()
        digit = k + 1 if k + 1 < len(handle) and handle[k + 1].isdigit() else k - 1
        ell_index, digit_index = at_index - (len(handle) - k), at_index - (len(handle) - digit)
        if min(ell_index, digit_index) < 0:
            continue
        ell_top, digit_top = glyphs[ell_index][2], glyphs[digit_index][2]
        if digit_top - ascender >= MIN_RISE * TEXT_HEIGHT and ell_top - ascender > 0.6 * (digit_top - ascender):
            out[k] = "1"
    return "".join(out)


def _span(words: tuple[Word, ...]) -> Box:
    boxes = [w.box for w in words if w.box is not None]
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


# A label glued to the address ("W:www…", "邮箱：info@…"), but not a scheme's colon.
_GLUED_LABEL = re.compile(r"^.*?[:：](?!//)")


def _replace(line: Line, target: _Target, text: str) -> Line:
    words = list(line.words)
    label = _GLUED_LABEL.match(words[target.first].text)
    conf = max(w.conf for w in words[target.first:target.last])
    box = _span(tuple(words[target.first:target.last]))
    words[target.first:target.last] = [Word((label.group() if label else "") + text, conf, box)]
    return Line(tuple(words), line.height, line.top, line.left, line.width)


def reread_addresses(image: Image.Image, lines: list[Line]) -> list[Line]:
    """``lines`` with each email and web address replaced by its best reading."""
    targets: list[_Target] = []
    crops: list[tuple[_Target, Image.Image]] = []
    for target in _targets(lines):
        words = lines[target.line].words
        found = straighten(image, _span(words[target.first:target.last]))
        if found is None:
            continue  # no clean crop: the page reading stands
        crop, end = found
        # Words the crop took in (the rest of a cut address) are replaced too.
        last = target.last
        while last < len(words) and (box := words[last].box) is not None and box[0] < end:
            last += 1
        target = _Target(target.line, target.first, last, target.kind)
        targets.append(target)
        crops += [(target, ImageOps.expand(crop, 8, fill=255)), (target, ImageOps.expand(binarise(crop), 8, fill=255))]
    if not crops:
        return lines
    readings = read_stacked([c for _, c in crops])
    per_target: dict[_Target, list[tuple[Image.Image, _Reading]]] = {}
    for (target, crop), reading in zip(crops, readings):
        per_target.setdefault(target, []).append((crop, reading))
    values: dict[_Target, list[str | None]] = {}
    for target in targets:
        # As the parser would see it: the rest of the line, pieces of the address rejoined.
        page = " ".join(w.text for w in lines[target.line].words[target.first:])
        values[target] = [_value(page, target.kind)] + [_value(_digits_for_capitals(r.text), target.kind)
                                                       for _, r in per_target.get(target, [])]
        if target.kind == "email" and values[target][0] is None:
            values[target][0] = _page_domain(page, values[target][1:])
    chosen: dict[_Target, str] = {}
    for target in targets:
        other = {_host(v, t.kind) for t in targets if t.kind != target.kind for v in values[t] if v}
        value = _choose(values[target], target.kind, other)
        if value:
            chosen[target] = value
    # An "l" beside a digit in a handle: is it as tall as an "l" or as a digit?
    for target, value in chosen.items():
        handle, _, domain = value.partition("@")
        for crop, reading in per_target.get(target, []) if target.kind == "email" else []:
            if handle + "@" in reading.text.lower() and _ELL_BY_DIGIT.search(handle):
                chosen[target] = f"{ones_for_ells(crop, reading, handle)}@{domain}"
                break
    out = list(lines)
    for target, value in chosen.items():
        # The parser takes an unlabelled web address only with "www." or a scheme.
        text = value if target.kind == "email" or value.startswith("www.") else f"http://{value}"
        out[target.line] = _replace(out[target.line], target, text)
    return out
