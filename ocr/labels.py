"""Split OCR'd card lines into labelled segments ("Tel: ..." -> ("tel", "...")).

A line may hold several fields ("Tel: 1 Fax: 2") and bilingual labels
("手机 Mobile: ..."); text before the first label stays unlabelled.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ocr.engine import join_words
from ocr.vocab import LABELS

_KIND_OF = {label: kind for kind, labels in LABELS.items() for label in labels}


def _label_pattern(label: str) -> str:
    if len(label) == 1:
        # A lone letter is a label only when a separator or a value follows
        # ("M: 138…", "E. li@…"), or, with a dot, when it starts the line ("A. Floor 6, …").
        return (rf"(?<![A-Za-z0-9@./-]){label}(?:\s*[:：]|\.?\s+(?=[+\d(]|\S+@|www\.|https?:))"
                rf"|^{label}\.\s+")
    if label.isascii():
        return rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])\s*[:：.]?"
    return rf"{label}\s*[:：]?"


_LABEL_RE = re.compile(
    "|".join(_label_pattern(lab) for lab in sorted(_KIND_OF, key=len, reverse=True)),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Segment:
    kind: str | None  # a LABELS key, or None for unlabelled text
    text: str
    line_index: int


def normalise(text: str) -> str:
    """NFKC (full-width to ASCII), no spaces between CJK, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    return join_words(text.split())


def label_kind(matched: str) -> str:
    key = re.sub(r"[\s:：.]+$", "", matched).lower()
    return _KIND_OF[key]


_BAR = re.compile(r"\s[|¦]\s")


def segment_line(text: str, line_index: int) -> list[Segment]:
    """Cut one normalised line at each label."""
    segments: list[Segment] = []
    kind, start = None, 0
    for match in _LABEL_RE.finditer(text):
        value = text[start:match.start()].strip(" :：|,;")
        if value:
            segments.append(Segment(kind, value, line_index))
        kind, start = label_kind(match.group()), match.end()
    value = text[start:].strip(" :：|,;")
    if value:
        segments.append(Segment(kind, value, line_index))
    # A bar with space around it parts two items of a row, or two columns that page
    # layout read as one row across a printed rule ("Edward Thornton | srcreapeeewn").
    return [Segment(seg.kind, piece, line_index) for seg in segments
            for piece in (p.strip(" :：|,;") for p in _BAR.split(seg.text)) if piece]
