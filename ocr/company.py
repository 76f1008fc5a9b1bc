"""A company name with one wrong character, settled by the domain and Tesseract's alternatives.

Chinese company names are often read with one character wrong (鼎盛 →
办盛), while the card's web host or email domain spells the brand in
pinyin (``dingsheng.example.com``). The domain alone cannot say which
character was printed – 丁, 鼎 and 定 all sound *ding* – but Tesseract's
LSTM keeps, for every character it reads, the other characters it weighed
(``lstm_choice_mode=2`` in hOCR). So when the company does not agree with
the brand:

1. hypotheses are made from the brand: two neighbouring characters of the
   company whose pinyin would spell the brand's start if one of them were
   replaced by a character of a given sound (办盛 + ``dingsheng`` → the
   first one should sound *ding*);
2. the company's line is read again alone (``chi_sim``, body-text size,
   one Tesseract run) with the per-character alternatives;
3. a hypothesis is taken only when exactly one character of that sound is
   among the alternatives Tesseract weighed at that place – otherwise the
   company is left as read.

Nothing is invented: the character comes from Tesseract's own candidates,
the domain only chooses among them.
"""

from __future__ import annotations

import difflib
import html
import re

from PIL import Image

from ocr import fields as F
from ocr import tess
from ocr.crosscheck import company_agrees, domain_brand
from ocr.engine import TEXT_HEIGHT, Line, Word, _line_crop, uncompressed
from ocr.pinyin import PINYIN

SOUNDS: dict[str, str] = {}  # sound -> the characters of that sound, in table order
for _ch, _sound in PINYIN.items():
    SOUNDS[_sound] = SOUNDS.get(_sound, "") + _ch
MAX_SOUND = max(len(s) for s in SOUNDS)

_WORD = re.compile(r"<span class='ocrx_word'[^>]*>([^<]*)(.*?)</span>\s*(?=<span class='ocrx_word'|</span>)", re.S)
_CHOICE = re.compile(r"<span class='ocrx_cinfo' id='choice_[^']*'[^>]*>([^<]*)</span>")


def hypotheses(company: str, brand: str) -> list[tuple[int, str]]:
    """(index in ``company``, sound): replacing that character by one of that sound
    makes it and its neighbour spell the start of ``brand``."""
    brand = brand.lower()
    spots = [i for i, ch in enumerate(company) if "\u3400" <= ch <= "\u9fff"]
    out: list[tuple[int, str]] = []
    for a, b in zip(spots, spots[1:]):
        pa, pb = PINYIN.get(company[a]), PINYIN.get(company[b])
        if pb:  # the first is wrong: brand = <sound> + pinyin(second) + ...
            for j in range(1, MAX_SOUND + 1):
                sound = brand[:j]
                if sound != pa and sound in SOUNDS and brand[j:].startswith(pb):
                    out.append((a, sound))
        if pa and brand.startswith(pa):  # the second is wrong: brand = pinyin(first) + <sound> + ...
            rest = brand[len(pa):]
            for j in range(1, MAX_SOUND + 1):
                sound = rest[:j]
                if sound != pb and sound in SOUNDS and len(rest) >= j:
                    out.append((b, sound))
    return out


def choices(image: Image.Image) -> list[tuple[str, str]]:
    """Each word of one line read alone: (its text, every character Tesseract weighed in it).

    The LSTM's alternatives come per time step, not per decoded character,
    and do not line up with the word's characters one to one; only the
    word they belong to is certain.
    """
    text = tess.image_to_hocr(uncompressed(image), "chi_sim", "--oem 1 --psm 7 -c lstm_choice_mode=2").decode("utf-8")
    out = []
    for word, inner in _WORD.findall(text):
        word = html.unescape(word).strip()
        alternatives = "".join(html.unescape(c).strip() for c in _CHOICE.findall(inner))
        if word:
            out.append((word, word + alternatives))
    return out


def settle(company: str, brand: str, words: list[tuple[str, str]]) -> str | None:
    """``company`` with the one character the brand and the alternatives agree on, or None."""
    spots = [i for i, ch in enumerate(company) if "\u3400" <= ch <= "\u9fff"]
    core = "".join(company[i] for i in spots)
    read = "".join(w for w, _ in words)
    weighed = [alternatives for w, alternatives in words for _ in w]  # per character read
    at: dict[int, str] = {}  # index in company -> the characters weighed at that place
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, core, read, autojunk=False).get_opcodes():
        if op in ("equal", "replace") and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                at[spots[i1 + k]] = weighed[j1 + k]
    fixes: set[tuple[int, str]] = set()
    for index, sound in hypotheses(company, brand):
        fixes.update((index, ch) for ch in SOUNDS[sound] if ch in at.get(index, ""))
    if len(fixes) != 1:
        return None
    index, ch = fixes.pop()
    return company[:index] + ch + company[index + 1:]


def _company_line(lines: list[Line], company: str) -> int | None:
    want = F.cjk_only(company)
    best, pick = 0.6, None
    for k, line in enumerate(lines):
        if line.width <= 0:
            continue
        ratio = difflib.SequenceMatcher(None, F.cjk_only(line.text), want, autojunk=False).ratio()
        if ratio > best:
            best, pick = ratio, k
    return pick


def fix_company(image: Image.Image, lines: list[Line], company: str | None, email: str | None,
                website: str | None) -> list[Line]:
    """``lines`` with one character of the company's line corrected, when the brand in the
    domain and Tesseract's alternatives single it out; else ``lines`` unchanged."""
    brand = domain_brand(email, website)
    if not company or company.isascii() or len(brand) < 4 or company_agrees(company, brand) == 1.0:
        return lines
    if not hypotheses(company, brand):
        return lines
    k = _company_line(lines, company)
    if k is None:
        return lines
    line = lines[k]
    crop = _line_crop(image, line.box, TEXT_HEIGHT)
    fixed = settle(company, brand, choices(crop.image))
    if fixed is None or line.text.count(company) != 1:
        return lines
    out = list(lines)
    out[k] = Line((Word(line.text.replace(company, fixed), line.conf, None),), line.height, line.top, line.left,
                  line.width)
    return out
