"""Confidence that means what it says: raw scores mapped to measured accuracy.

The parser's raw confidence (method certainty x OCR confidence of the line)
orders readings well but is not a probability. ``calibrate`` maps it, per
field and per cross-check outcome (another field confirmed the reading,
nothing to check against, or a check that failed), to the share of such
readings that were right on the development cards (ocr/corpus.py and the
dev split of ocr/heldout.py; never the held-out split). The held-out split
then shows whether "0.9" still means right nine times in ten
(docs/ocr.md, "Calibration").
"""

from __future__ import annotations

import bisect

# Upper edges of the raw-confidence bins.
EDGES = (0.5, 0.7, 0.8, 0.9)
# (field, check) -> calibrated confidence per raw bin (len(EDGES) + 1 values).
# check: "agree" (another field confirms), "none" (nothing to check), "disagree".
# Fitted by bench/ocr.py's confidence records (bench/out/ocr_confidence.json) on
# the original corpus (60 cards) and the dev split (30 cards); n = dev readings per bin.
TABLE: dict[tuple[str, str], tuple[float, ...]] = {
    ("address", "none"): (0.26, 0.26, 0.44, 0.68, 0.68),  # n=[0, 5, 5, 9, 0] right=[0, 1, 2, 6, 0]
    ("company", "agree"): (0.47, 0.47, 0.47, 0.98, 0.98),  # n=[0, 0, 1, 13, 0] right=[0, 0, 0, 13, 0]
    ("company", "disagree"): (0.5, 0.5, 0.6, 0.61, 0.8),  # n=[0, 0, 0, 1, 0] right=[0, 0, 0, 0, 0]
    ("company", "none"): (0.5, 0.5, 0.6, 0.83, 0.87),  # n=[0, 0, 0, 5, 1] right=[0, 0, 0, 4, 1]
    ("email", "agree"): (0.22, 0.84, 0.84, 0.84, 0.84),  # n=[1, 1, 2, 3, 0] right=[0, 1, 2, 3, 0]
    ("email", "disagree"): (0.42, 0.51, 0.51, 0.51, 0.51),  # n=[2, 0, 0, 3, 0] right=[1, 0, 0, 0, 0]
    ("email", "none"): (0.13, 0.68, 0.68, 0.68, 0.68),  # n=[3, 0, 2, 3, 0] right=[0, 0, 1, 2, 0]
    ("fax", "none"): (0.5, 0.5, 0.5, 0.89, 0.89),  # n=[0, 0, 0, 2, 4] right=[0, 0, 0, 2, 4]
    ("mobile", "none"): (0.5, 0.67, 0.88, 0.99, 0.99),  # n=[0, 0, 2, 10, 8] right=[0, 0, 2, 10, 8]
    ("name", "agree"): (0.14, 0.89, 0.9, 0.9, 0.9),  # n=[0, 2, 5, 0, 0] right=[0, 2, 5, 0, 0]
    ("name", "none"): (0.05, 0.74, 0.88, 0.88, 0.88),  # n=[4, 3, 3, 2, 0] right=[0, 2, 3, 2, 0]
    ("phones", "none"): (0.5, 0.5, 0.74, 0.74, 0.99),  # n=[0, 0, 0, 11, 5] right=[0, 0, 0, 8, 5]
    ("title", "none"): (0.22, 0.5, 0.62, 0.99, 0.99),  # n=[1, 0, 2, 18, 1] right=[0, 0, 1, 18, 1]
    ("website", "none"): (0.81, 0.81, 0.81, 0.81, 0.81),  # n=[3, 5, 3, 1, 0] right=[3, 5, 1, 1, 0]
}


def check_kind(agreement: float | None, checked: bool) -> str:
    if not checked or agreement == 0.0:
        return "none"
    return "agree" if agreement else "disagree"


def calibrate(field: str, raw: float, check: str) -> float:
    row = TABLE.get((field, check)) or TABLE.get((field, "none"))
    if row is None:
        return raw
    return row[bisect.bisect_right(EDGES, raw)]
