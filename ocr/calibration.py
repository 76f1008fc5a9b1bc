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
# Fitted by `bench/ocr.py --fit-calibration` from the confidence records
# (bench/out/ocr_confidence.json) of the original corpus (30 cards) and the dev
# split (30 cards), each bin capped at the fit on the dev cards alone (they come
# from the held-out set's generator); n = readings per raw bin, both sets.
# Refitted after the email/web-host cross-check was added (it gives the web
# address an "agree" row).
TABLE: dict[tuple[str, str], tuple[float, ...]] = {
    ("address", "none"): (0.5, 0.5, 0.78, 0.94, 0.94),  # n=[0, 5, 5, 38, 0] right=[0, 2, 4, 37, 0]
    ("company", "agree"): (0.22, 0.5, 0.9, 0.99, 0.99),  # n=[1, 0, 5, 37, 2] right=[0, 0, 5, 37, 2]
    ("company", "disagree"): (0.33, 0.5, 0.61, 0.98, 0.98),  # n=[0, 0, 2, 5, 0] right=[0, 0, 1, 5, 0]
    ("company", "none"): (0.33, 0.5, 0.61, 0.98, 0.98),  # n=[0, 0, 2, 4, 0] right=[0, 0, 1, 4, 0]
    ("email", "agree"): (0.73, 0.89, 0.89, 0.98, 0.98),  # n=[1, 4, 2, 7, 0] right=[1, 4, 2, 7, 0]
    ("email", "disagree"): (0.4, 0.44, 0.48, 0.93, 0.93),  # n=[2, 3, 3, 23, 0] right=[1, 2, 0, 23, 0]
    ("email", "none"): (0.73, 0.73, 0.78, 0.9, 0.9),  # n=[1, 2, 2, 0, 0] right=[1, 1, 2, 0, 0]
    ("fax", "none"): (0.5, 0.5, 0.5, 0.96, 0.96),  # n=[0, 0, 0, 15, 12] right=[0, 0, 0, 15, 12]
    ("mobile", "none"): (0.5, 0.88, 0.88, 0.96, 0.99),  # n=[0, 2, 3, 19, 30] right=[0, 2, 2, 19, 30]
    ("name", "agree"): (0.6, 0.9, 0.98, 0.98, 0.98),  # n=[1, 4, 6, 3, 0] right=[1, 4, 6, 3, 0]
    ("name", "none"): (0.2, 0.48, 0.98, 0.98, 0.98),  # n=[2, 9, 20, 8, 0] right=[0, 8, 20, 8, 0]
    ("phones", "none"): (0.5, 0.5, 0.78, 0.91, 0.98),  # n=[0, 0, 1, 26, 24] right=[0, 0, 1, 25, 24]
    ("title", "none"): (0.5, 0.5, 0.78, 0.99, 0.99),  # n=[0, 1, 5, 41, 4] right=[0, 1, 5, 41, 4]
    ("website", "agree"): (0.87, 0.87, 0.92, 0.94, 0.94),  # n=[3, 4, 9, 11, 0] right=[3, 4, 9, 11, 0]
    ("website", "none"): (0.44, 0.58, 0.8, 0.83, 0.83),  # n=[1, 2, 1, 1, 0] right=[0, 1, 1, 1, 0]
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
