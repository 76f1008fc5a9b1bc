"""Tesseract wrapper: an image in, words and lines with confidences out."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytesseract
from PIL import Image

# One OpenMP thread per Tesseract run: callers parallelise with processes,
# and extra threads only fight over the same cores. Callers may override.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANGS = "chi_sim+eng"
# LSTM engine with automatic page segmentation.
CONFIG = "--oem 1 --psm 3"

_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_GAP = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


@dataclass(frozen=True)
class Word:
    text: str
    conf: float  # 0..1


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    height: int  # pixel height of the line's box, a proxy for font size
    top: int
    left: int = 0
    width: int = 0

    @property
    def text(self) -> str:
        return join_words([w.text for w in self.words])

    @property
    def conf(self) -> float:
        """Mean word confidence, weighted by word length."""
        total = sum(len(w.text) for w in self.words)
        return sum(w.conf * len(w.text) for w in self.words) / total if total else 0.0


def join_words(parts: list[str]) -> str:
    """Join words with spaces, except between CJK characters.

    chi_sim often returns each Chinese character as its own "word"; the
    spaces it puts between them are not in the printed text.
    """
    return _CJK_GAP.sub("", " ".join(p for p in parts if p))


def _group_lines(data: dict) -> list[Line]:
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
    lines = []
    for idx in groups.values():
        words = tuple(Word(data["text"][i].strip(), float(data["conf"][i]) / 100.0) for i in idx)
        top = min(data["top"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        left = min(data["left"][i] for i in idx)
        right = max(data["left"][i] + data["width"][i] for i in idx)
        lines.append(Line(words, bottom - top, top, left, right - left))
    return lines


def recognise(image: Image.Image, *, psm: int = 3, timeout: float = 0) -> list[Line]:
    """OCR ``image`` with chi_sim+eng and return its text lines in reading order."""
    config = CONFIG.replace("--psm 3", f"--psm {psm}")
    data = pytesseract.image_to_data(
        image, lang=LANGS, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
    )
    return _group_lines(data)


# Lines read worse than this get a second, single-line reading.
WEAK_LINE = 0.75
REREAD_HEIGHT = 48  # px; chi_sim reads single lines best around this height


def _read_crop(crop: Image.Image, lang: str) -> tuple[Word, ...]:
    factor = REREAD_HEIGHT / max(1, crop.height)
    crop = crop.resize((max(1, round(crop.width * factor)), REREAD_HEIGHT), Image.Resampling.LANCZOS)
    data = pytesseract.image_to_data(crop, lang=lang, config="--oem 1 --psm 7", output_type=pytesseract.Output.DICT)
    return tuple(
        Word(t.strip(), float(c) / 100.0) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0
    )


def read_single_line(image: Image.Image, box: tuple[int, int, int, int]) -> Line:
    """Read the text inside ``box`` (left, top, right, bottom) as one line.

    chi_sim alone first: in chi_sim+eng the English model tends to win on
    large or bold Chinese text and returns Latin garbage. When chi_sim finds
    no Chinese the line is Latin, and chi_sim+eng keeps its word spaces.
    """
    left, top, right, bottom = box
    pad = max(6, (bottom - top) // 4)
    crop = image.crop((max(0, left - pad), max(0, top - pad), min(image.width, right + pad), min(image.height, bottom + pad)))
    words = _read_crop(crop, "chi_sim")
    if not _CJK_CHAR.search("".join(w.text for w in words)):
        latin = _read_crop(crop, LANGS)
        words = latin if latin else words
    return Line(words, bottom - top, top, left, right - left)


def reread_weak_lines(image: Image.Image, lines: list[Line]) -> list[Line]:
    """Second, single-line reading of badly read lines; keep the surer reading."""
    out = []
    for line in lines:
        if line.conf < WEAK_LINE and line.width > 0:
            box = (line.left, line.top, line.left + line.width, line.top + line.height)
            again = read_single_line(image, box)
            line = again if again.words and again.conf > line.conf else line
        out.append(line)
    return out
