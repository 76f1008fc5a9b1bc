"""A name the page reading lost: the card's largest text read again at its own scale.

Names are often printed in a display face (heavy, brush, large) that
``chi_sim`` reads as garbage on the page ("ARB AR" for 熊晓东) while the
same crop, cut out and shrunk to body-text size, reads right. When the
parser found no name, or only a doubtful one, the tallest lines that are
not contact data, a company or a clean title are cut out and read by
``chi_sim`` alone at a few text heights, one Tesseract run per height
(mixed sizes on one sheet read worse). A reading counts only when it
parses as a name: a known surname (one logo character may precede it),
two to four characters in all, every given-name character one that names
use (``ocr.pinyin`` knows it). The readings vote, weighted by their
confidence; an email handle that spells a candidate (``liu.yang``,
``xiongx``) settles the vote. Only a name with the email's support, two
readings behind it, or one clear reading replaces the line.
"""

from __future__ import annotations

import re

from PIL import Image

from ocr import fields as F
from ocr.crosscheck import name_spellings
from ocr.engine import ADDRESS_LINE, Line, Word, read_at
from ocr.pinyin import spell
from ocr.vocab import COMPOUND_SURNAMES, SURNAMES, ZH_TITLE

# chi_sim reads one line of a display face best at one of these text heights;
# which one depends on the face, so each is tried (one run each).
NAME_HEIGHTS = (28, 40)
CANDIDATE_LINES = 2  # the tallest lines worth a second look
MIN_SCORE = 0.45  # summed confidence a name needs without the email's support
TALLER = 1.15  # a lost name is printed larger than the median line
_CONTACT = re.compile(r"@|://|www\.|\d(?:[\s().+-]*\d){4}", re.IGNORECASE)
_COMPANY = re.compile(r"公司|集团|Ltd|Inc|Corp|Limited|Co\.", re.IGNORECASE)


def candidate_lines(lines: list[Line]) -> list[int]:
    """Indices of the tallest lines that could hold a name printed large."""
    heights = sorted(line.height for line in lines if line.width > 0)
    if not heights:
        return []
    median = heights[len(heights) // 2]
    out = []
    for k, line in enumerate(lines):
        text = line.text
        if line.width <= 0 or line.height < TALLER * median or ADDRESS_LINE.search(text) or _CONTACT.search(text):
            continue
        if _COMPANY.search(text) or F.address_score(text) > 0:
            continue
        core = F.cjk_only(text)
        if line.conf >= 0.8 and (F.zh_name_score(core) >= 0.8 or ZH_TITLE.match(core)):
            continue  # read cleanly already
        out.append(k)
    return sorted(out, key=lambda k: -lines[k].height)[:CANDIDATE_LINES]


def name_in(text: str) -> tuple[str, str] | None:
    """(name, title after it or "") when a reading holds a name: a known surname at its
    start or after one stray character (a logo beside the name), 2-4 characters."""
    core = F.cjk_only(text)
    for start in (0, 1):
        rest = core[start:]
        if len(rest) < 2:
            return None
        compound = rest[:2] in COMPOUND_SURNAMES
        if not compound and rest[0] not in SURNAMES:
            continue
        title = ZH_TITLE.search(rest)
        cut = title.start() if title and title.start() >= 2 else len(rest)
        name, after = rest[:cut], rest[cut:]
        if not 2 <= len(name) <= (4 if compound else 3):
            continue
        if spell(name[2 if compound else 1:]) is None:
            continue  # a given-name character no name uses: a misreading
        return name, after
    return None


def _handle(email: str | None) -> str:
    local = (email or "").partition("@")[0].lower()
    return re.sub(r"\d+$", "", local)


def choose(readings: list[tuple[str, float]], email: str | None) -> tuple[str, str, float] | None:
    """(name, title, confidence) from the readings of one line, or None."""
    votes: dict[str, float] = {}
    counts: dict[str, int] = {}
    titles: dict[str, str] = {}
    for text, conf in readings:
        found = name_in(text)
        if found:
            votes[found[0]] = votes.get(found[0], 0.0) + conf
            counts[found[0]] = counts.get(found[0], 0) + 1
            titles.setdefault(found[0], found[1])
    if not votes:
        return None
    handle = _handle(email)
    agreed = [n for n in votes if handle and handle in name_spellings(n)]
    if agreed:
        name = max(agreed, key=lambda n: votes[n])
        return name, titles[name], max(0.8, min(1.0, votes[name]))
    name = max(votes, key=lambda n: votes[n])
    if counts[name] >= 2 or votes[name] >= MIN_SCORE:
        return name, titles[name], min(0.9, votes[name] / counts[name])
    return None


def reread_name(image: Image.Image, lines: list[Line], email: str | None) -> list[Line]:
    """``lines`` with a large line that holds a name (read again) replaced by that name."""
    picks = candidate_lines(lines)
    if not picks:
        return lines
    readings: list[list[tuple[str, float]]] = [[] for _ in picks]
    for height in NAME_HEIGHTS:
        found = read_at(image, [lines[k].box for k in picks], height)
        for slot, got in zip(readings, found):
            slot.extend((line.text, line.conf) for line in got)
    out = list(lines)
    for k, slot in zip(picks, readings):
        chosen = choose(slot, email)
        if chosen:
            name, title, conf = chosen
            line = lines[k]
            words = (Word(name, conf, None),) + ((Word(title, conf, None),) if title else ())
            out[k] = Line(words, line.height, line.top, line.left, line.width)
            break
    return out


# A name whose last glyph the page box left out ("彭海" for 彭海燕, the email says
# penghaiyan) is read again with its box one character wider.
WIDER_BY = 1.3  # line heights added to the right of the box: one more character and its gap
COMPLETE_HEIGHT = 32  # px text height the widened crop is read at


def _handle_letters(email: str) -> str:
    return re.sub(r"[^a-z]", "", email.partition("@")[0].lower())


def _spelled(name: str) -> set[str]:
    """The name's spellings in pinyin, letters only (as a handle would hold them)."""
    return {re.sub(r"[^a-z]", "", s) for s in name_spellings(name)}


def cut_short(name: str, email: str | None) -> bool:
    """The email's handle spells this Chinese name with more after it: a character lost."""
    core = F.cjk_only(name)
    if not email or "@" not in email or core != name or not 2 <= len(core) <= 3:
        return False
    letters = _handle_letters(email)
    spellings = _spelled(core)
    if letters in spellings:
        return False
    return any(len(s) >= 2 and letters.startswith(s) and 2 <= len(letters) - len(s) <= 6 for s in spellings)


def complete_name(image: Image.Image, lines: list[Line], name: str, email: str | None) -> list[Line]:
    """``lines`` with a name cut short (``cut_short``) completed from its line read again
    one character wider, when the handle spells the longer reading; else as they were."""
    if not cut_short(name, email):
        return lines
    assert email is not None  # cut_short needs one
    k = next((k for k, line in enumerate(lines) if name in line.text.replace(" ", "") and line.width > 0), None)
    if k is None:
        return lines
    line = lines[k]
    left, top, right, bottom = line.box
    wider = (left, top, min(image.width, right + round(WIDER_BY * line.height)), bottom)
    for found in read_at(image, [wider], COMPLETE_HEIGHT):
        for reading in found:
            core = F.cjk_only(reading.text)
            longer = core[:len(name) + 1]
            if core.startswith(name) and len(longer) == len(name) + 1 and \
                    _handle_letters(email) in _spelled(longer):
                rest = line.text.replace(" ", "").replace(name, "", 1)
                words = (Word(longer, line.conf, None),) + ((Word(rest, line.conf, None),) if rest else ())
                out = list(lines)
                out[k] = Line(words, line.height, line.top, line.left, line.width)
                return out
    return lines
