"""Business-card OCR benchmark on the synthetic corpus: ours vs a naive baseline.

    PYTHONPATH=. python bench/ocr.py [--n 60] [--seed 20240611]

Prints a markdown table of per-field precision/recall/F1 and seconds per
card, and writes the same numbers to bench/out/ocr.json. The baseline is raw
Tesseract (chi_sim+eng) on the unprocessed photo plus a few regexes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import sys
import time
import unicodedata
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # measure one core
# Run as a script, this file's folder comes first on sys.path and its name
# would shadow the ocr package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import phonenumbers  # noqa: E402
import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402

from ocr import FIELD_NAMES, parse_card  # noqa: E402
from ocr.corpus import generate_corpus  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "ocr.json"


# ------------------------------------------------------------ baseline

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[\s)-]*\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"www\.[\w.-]+", re.I)


def baseline(image_bytes: bytes) -> dict:
    """Naive reader: Tesseract on the raw photo, first regex hit per field."""
    text = pytesseract.image_to_string(Image.open(io.BytesIO(image_bytes)), lang="chi_sim+eng")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    fields: dict = {k: None for k in FIELD_NAMES}
    fields["phones"] = []
    mobiles = _MOBILE.findall(text)
    fields["mobile"] = mobiles[0] if mobiles else None
    landlines = _LANDLINE.findall(text)
    fields["phones"] = landlines[:1]
    fields["fax"] = next((m.group() for line in lines if "fax" in line.lower() or "传真" in line
                          for m in [_LANDLINE.search(line)] if m), None)
    email = _EMAIL.search(text)
    fields["email"] = email.group() if email else None
    web = _WEB.search(text)
    fields["website"] = web.group() if web else None
    fields["company"] = next((x for x in lines if re.search(r"公司|Ltd|Inc|LLC|GmbH|Corporation", x)), None)
    fields["address"] = next((x for x in lines if re.search(r"地址|Add", x)), None)
    fields["name"] = lines[0] if lines else None
    fields["title"] = lines[1] if len(lines) > 1 else None
    return fields


# ------------------------------------------------------------ scoring


def norm_phone(value: str) -> str | None:
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def norm_text(field: str, value: str) -> str:
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).casefold()
    if field == "website":
        value = re.sub(r"^https?://", "", value).rstrip("/")
    return value


def values(field: str, fields: dict) -> set[str]:
    """A field's values as a normalised set (phones is a list, the rest single)."""
    raw = fields.get(field)
    items = raw if isinstance(raw, list) else ([raw] if raw else [])
    if field in ("mobile", "phones", "fax"):
        return {p for p in (norm_phone(v) for v in items) if p}
    return {norm_text(field, v) for v in items}


def tally(counts: dict, truth: dict, predicted: dict) -> None:
    for field in FIELD_NAMES:
        want, got = values(field, truth), values(field, predicted)
        c = counts.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
        c["tp"] += len(want & got)
        c["fp"] += len(got - want)
        c["fn"] += len(want - got)


def prf(c: dict) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), **c}


def cpu_seconds() -> float:
    """CPU time of this process plus its finished children (the tesseract runs)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(reader, corpus: list) -> dict:
    """Score ``reader`` on ``corpus``; wall time depends on machine load, CPU time does not."""
    counts: dict = {}
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    for image_bytes, truth in corpus:
        tally(counts, truth, reader(image_bytes))
    cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
    return {"fields": {f: prf(counts[f]) for f in FIELD_NAMES},
            "seconds_per_card": round(wall / len(corpus), 3), "cpu_seconds_per_card": round(cpu / len(corpus), 3)}


def table(ours: dict, base: dict) -> str:
    rows = ["| field | ours P | ours R | ours F1 | baseline F1 |", "|---|---|---|---|---|"]
    for f in FIELD_NAMES:
        o, b = ours["fields"][f], base["fields"][f]
        rows.append(f"| {f} | {o['precision']:.2f} | {o['recall']:.2f} | {o['f1']:.2f} | {b['f1']:.2f} |")
    rows.append(f"| wall s/card | | | {ours['seconds_per_card']:.2f} | {base['seconds_per_card']:.2f} |")
    rows.append(f"| CPU s/card | | | {ours['cpu_seconds_per_card']:.2f} | {base['cpu_seconds_per_card']:.2f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)
    corpus = generate_corpus(args.n, seed=args.seed)
    ours = run(lambda b: parse_card(b).fields, corpus)
    base = run(baseline, corpus) if not args.no_baseline else {
        "fields": {f: prf({"tp": 0, "fp": 0, "fn": 0}) for f in FIELD_NAMES},
        "seconds_per_card": 0.0, "cpu_seconds_per_card": 0.0}
    md = table(ours, base)
    print(f"{args.n} synthetic cards, seed {args.seed}, OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']}\n")
    print(md)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    f1 = {f: ours["fields"][f]["f1"] for f in ("name", "company", "email", "mobile")}
    headline = (", ".join(f"{f} F1 {v:.2f}" for f, v in f1.items())
                + f"; {ours['cpu_seconds_per_card']:.2f} CPU-s per card (raw Tesseract {base['cpu_seconds_per_card']:.2f})")
    OUT.write_text(json.dumps({"title": "Business-card OCR: fields read, against raw Tesseract and naive rules",
                               "n": args.n, "seed": args.seed, "headline": headline, "ours": ours, "baseline": base,
                               "table": md},
                              ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
