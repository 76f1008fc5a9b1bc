"""Business-card OCR benchmark: the original corpus and the held-out generator, ours vs a naive baseline.

    PYTHONPATH=. python bench/ocr.py [--n 60] [--heldout-n 60] [--sets original,dev,heldout] [--before REF]

Three sets: "original" (ocr/corpus.py, the cards the parser was developed
on), "dev" and "heldout" (ocr/heldout.py, an independent generator, two
seeds; only "dev" may be tuned on). Prints per-field F1 and CPU seconds per
card for each set, the confidence calibration table per set, and writes
the same to bench/out/ocr.json. ``--before REF`` also reads every set with
``ocr/`` as it was at a git commit, in the same run. The baseline is raw
Tesseract (chi_sim+eng) on the unprocessed photo plus a few regexes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
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
from ocr.heldout import DEV_SEED, HELDOUT_SEED, generate_heldout  # noqa: E402

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


def correct(field: str, truth: dict, predicted: dict) -> bool:
    return values(field, truth) == values(field, predicted)


def score(corpus: list, readings: list[dict], cpu: float, wall: float) -> dict:
    """Per-field P/R/F1, cost, and (field, confidence, right?) for every field reported."""
    counts: dict = {}
    calibration: list = []
    for (_, truth), reading in zip(corpus, readings):
        fields = reading["fields"]
        tally(counts, truth, fields)
        evidence = reading.get("evidence", {})
        for field, conf in reading.get("confidence", {}).items():
            if fields.get(field):
                raw, check = evidence.get(field, (conf, "none"))
                calibration.append((field, conf, correct(field, truth, fields), raw, check))
    return {"fields": {f: prf(counts[f]) for f in FIELD_NAMES},
            "seconds_per_card": round(wall / len(corpus), 3), "cpu_seconds_per_card": round(cpu / len(corpus), 3),
            "calibration": calibration}


def read_all(reader, corpus: list) -> dict:
    """Score ``reader`` on ``corpus``; wall time depends on machine load, CPU time does not."""
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    readings = [reader(image_bytes) for image_bytes, _ in corpus]
    return score(corpus, readings, cpu_seconds() - cpu0, time.perf_counter() - wall0)


def ours_reader(image_bytes: bytes) -> dict:
    result = parse_card(image_bytes)
    return {"fields": result.fields, "confidence": result.confidence, "evidence": getattr(result, "evidence", {})}


def baseline_reader(image_bytes: bytes) -> dict:
    return {"fields": baseline(image_bytes), "confidence": {}}


def run(reader, corpus: list) -> dict:
    return read_all(lambda b: {"fields": reader(b), "confidence": {}}, corpus)


# ------------------------------------------------------------ the sets

SETS = ("original", "dev", "heldout")


def corpora(n: int, heldout_n: int, seed: int, names: tuple[str, ...] = SETS) -> dict[str, list]:
    out = {}
    if "original" in names:
        out["original"] = generate_corpus(n, seed=seed)
    if "dev" in names:
        out["dev"] = generate_heldout(heldout_n, seed=DEV_SEED)
    if "heldout" in names:
        out["heldout"] = generate_heldout(heldout_n, seed=HELDOUT_SEED)
    return out


def read_with_ref(ref: str, sets: dict[str, list]):
    """Start reading ``sets`` with the ``ocr`` package as it is at git ``ref`` (a subprocess,
    running beside this one); the returned function waits and scores its readings."""
    root = Path(__file__).resolve().parent.parent
    tmp = tempfile.TemporaryDirectory()
    archive = subprocess.run(["git", "-C", str(root), "archive", ref, "ocr"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", tmp.name], input=archive.stdout, check=True)
    images = Path(tmp.name) / "images.json"
    images.write_text(json.dumps({k: [b.hex() for b, _ in v] for k, v in sets.items()}))
    out = Path(tmp.name) / "readings.json"
    env = {**os.environ, "PYTHONPATH": tmp.name}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(images), str(out)], env=env, cwd=tmp.name)

    def finish() -> dict[str, dict]:
        if child.wait() != 0:
            raise RuntimeError(f"reading with {ref} failed")
        readings = json.loads(out.read_text())
        tmp.cleanup()
        return {k: score(sets[k], readings[k]["readings"], readings[k]["cpu"], readings[k]["wall"]) for k in sets}
    return finish


_CHILD = """
import json, resource, sys, time
from ocr import parse_card
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
sets = json.load(open(sys.argv[1]))
out = {}
for name, images in sets.items():
    c0, w0 = cpu(), time.perf_counter()
    readings = []
    for hexed in images:
        r = parse_card(bytes.fromhex(hexed))
        readings.append({"fields": r.fields, "confidence": r.confidence, "evidence": getattr(r, "evidence", {})})
    out[name] = {"readings": readings, "cpu": cpu() - c0, "wall": time.perf_counter() - w0}
json.dump(out, open(sys.argv[2], "w"), ensure_ascii=False)
"""


# ------------------------------------------------------------ reports

BINS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 1.01))


def calibration_table(records: list) -> str:
    """Reported confidence (binned) against how often the field was right."""
    rows = ["| confidence | fields | right | accuracy |", "|---|---|---|---|"]
    for lo, hi in BINS:
        hits = [ok for _, conf, ok, *_ in records if lo <= conf < hi]
        acc = f"{sum(hits) / len(hits):.2f}" if hits else "–"
        rows.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(hits)} | {sum(hits)} | {acc} |")
    return "\n".join(rows)


def high_confidence_by_field(records: list) -> dict[str, tuple[int, float | None]]:
    """Per field: how many were reported at >= 0.9 and the share of those that were right."""
    out = {}
    for f in FIELD_NAMES:
        hits = [ok for field, conf, ok, *_ in records if field == f and conf >= 0.9]
        out[f] = (len(hits), round(sum(hits) / len(hits), 3) if hits else None)
    return out


def set_table(results: dict[str, dict], columns: list[tuple[str, str]]) -> str:
    """F1 per field, one column per (label, key) in ``columns``."""
    rows = ["| field | " + " | ".join(label for label, _ in columns) + " |",
            "|---|" + "---|" * len(columns)]
    for f in FIELD_NAMES:
        rows.append(f"| {f} | " + " | ".join(f"{results[k]['fields'][f]['f1']:.2f}" for _, k in columns) + " |")
    rows.append("| CPU s/card | " + " | ".join(f"{results[k]['cpu_seconds_per_card']:.2f}" for _, k in columns) + " |")
    return "\n".join(rows)


# ------------------------------------------------------------ refitting ocr/calibration.py

FIT_SETS = ("original", "dev")  # never the held-out split
SMOOTHING = 2.0  # pseudo-readings of the pooled rate added to every (field, check) bin


def fit_calibration(records: list) -> dict[tuple[str, str], tuple[tuple[float, ...], list[int], list[int]]]:
    """(field, check) -> (calibrated value per raw bin, readings per bin, right per bin).

    Each bin's share right is pulled towards the same bin pooled over the
    field's checks (itself pulled towards 0.5 by one right and one wrong
    reading) by ``SMOOTHING`` readings, then made non-decreasing in the raw
    score: a bin seen five times, all right, says 0.93, not 1.0.
    """
    from ocr.calibration import EDGES

    def bin_of(raw: float) -> int:
        return sum(raw >= e for e in EDGES)

    nbins = len(EDGES) + 1
    cells: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for field, _, ok, raw, check in records:
        n, right = cells.setdefault((field, check), ([0] * nbins, [0] * nbins))
        n[bin_of(raw)] += 1
        right[bin_of(raw)] += int(ok)
    per_field: dict[str, list[list[int]]] = {}
    for (field, _), (n, right) in cells.items():
        pooled = per_field.setdefault(field, [[0, 0] for _ in range(nbins)])
        for b in range(nbins):
            pooled[b][0] += n[b]
            pooled[b][1] += right[b]
    out = {}
    for key, (n, right) in sorted(cells.items()):
        pooled = per_field[key[0]]
        values, floor = [], 0.0
        for b in range(nbins):
            pn, pr = pooled[b]
            prior = (pr + 1) / (pn + 2)  # the field's rate in the bin, itself pulled towards 0.5
            value = (right[b] + SMOOTHING * prior) / (n[b] + SMOOTHING)
            floor = max(floor, value)
            values.append(round(floor, 2))
        out[key] = (tuple(values), n, right)
    return out


def print_calibration_table(path: Path) -> None:
    """The TABLE for ocr/calibration.py from the original and dev records in ``path``."""
    saved = json.loads(path.read_text())
    records = [r for name in FIT_SETS for r in saved.get(name, [])]
    # The dev split comes from the held-out set's generator; the original corpus
    # is easier. A bin says no more than it holds on the dev cards alone.
    harder = fit_calibration(saved.get("dev", []))
    for key, (values, n, right) in fit_calibration(records).items():
        if key in harder:
            values = tuple(min(a, b) for a, b in zip(values, harder[key][0]))
        print(f'    ("{key[0]}", "{key[1]}"): {values},  # n={n} right={right}')


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60, help="cards from the original corpus")
    ap.add_argument("--heldout-n", type=int, default=60, help="cards in each split of the held-out generator")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--before", metavar="GIT_REF", help="also read every set with ocr/ as of this commit")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--fit-calibration", action="store_true",
                    help="print ocr/calibration.py's TABLE refitted from the original and dev records of the last run")
    args = ap.parse_args(argv)
    if args.fit_calibration:
        print_calibration_table(OUT.parent / "ocr_confidence.json")
        return 0
    names = tuple(s for s in args.sets.split(",") if s)
    sets = corpora(args.n, args.heldout_n, args.seed, names)
    results: dict[str, dict] = {}
    columns: list[tuple[str, str]] = []
    finish_before = read_with_ref(args.before, sets) if args.before else dict
    for name, corpus in sets.items():
        results[name] = read_all(ours_reader, corpus)
    before = finish_before()
    for name, corpus in sets.items():
        if name in before:
            results[f"{name}_before"] = before[name]
            columns.append((f"{name} before", f"{name}_before"))
        columns.append((f"{name} ours", name))
        if not args.no_baseline and name != "dev":
            results[f"{name}_baseline"] = read_all(baseline_reader, corpus)
            columns.append((f"{name} raw Tesseract", f"{name}_baseline"))
    md = set_table(results, columns)
    sizes = {k: len(v) for k, v in sets.items()}
    print(f"cards per set {sizes}; original seed {args.seed}, dev seed {DEV_SEED}, held-out seed {HELDOUT_SEED}; "
          f"OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']}\n")
    print(md)
    calib = {}
    for name in sets:
        calib[name] = calibration_table(results[name]["calibration"])
        print(f"\ncalibration, {name}:\n{calib[name]}")
        print("reported >= 0.9, per field (count, share right):", high_confidence_by_field(results[name]["calibration"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    main_set = "heldout" if "heldout" in results else names[0]
    ours = results[main_set]
    base = results.get(f"{main_set}_baseline", {"fields": {f: prf({"tp": 0, "fp": 0, "fn": 0}) for f in FIELD_NAMES},
                                                  "seconds_per_card": 0.0, "cpu_seconds_per_card": 0.0})
    f1 = {f: ours["fields"][f]["f1"] for f in ("name", "title", "company", "email", "address")}
    headline = (f"{main_set}: " + ", ".join(f"{f} F1 {v:.2f}" for f, v in f1.items())
                + f"; {ours['cpu_seconds_per_card']:.2f} CPU-s per card (raw Tesseract {base['cpu_seconds_per_card']:.2f})")
    strip = lambda r: {k: v for k, v in r.items() if k != "calibration"}  # noqa: E731
    (OUT.parent / "ocr_confidence.json").write_text(json.dumps({k: v["calibration"] for k, v in results.items()
                                                                if "calibration" in v}))
    OUT.write_text(json.dumps({
        "title": "Business-card OCR: fields read on the original corpus and on held-out cards",
        "notes": (f"F1 per field; cards per set {sizes}. 'original' is ocr/corpus.py (seed {args.seed}); "
                  f"'dev' and 'heldout' come from the independent generator ocr/heldout.py "
                  f"(seeds {DEV_SEED} and {HELDOUT_SEED}); the held-out split is never tuned on."),
        "n": args.n, "heldout_n": args.heldout_n, "seed": args.seed, "headline": headline,
        "ours": strip(ours), "baseline": strip(base),
        "sets": {k: strip(v) for k, v in results.items()},
        "calibration": calib, "table": md}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
