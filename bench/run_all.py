"""Run every benchmark under bench/ and write one report: docs/benchmarks.md.

    python bench/run_all.py [--quick] [--only api_list,feed] [--report-only]

Each benchmark is a script `bench/<name>.py` that prints its figures and
writes `bench/out/<name>.json`. This runner reads whatever JSON each wrote
(see bench/README.md for the shape it understands best) and renders tables,
each figure beside its same-run baseline, plus PNG plots of any latency
samples. A benchmark that fails or writes nothing is listed as such; the rest
of the report is still written. `--quick` sets FIELDLINE_BENCH_QUICK=1, which
benchmarks may honour with smaller runs (a smoke run, not a measurement).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
REPORT = ROOT / "docs" / "benchmarks.md"
PLOTS = ROOT / "docs" / "benchmarks"
NOTES = HERE / "goals.md"
# timing.py is what api_list and feed share, raw_server.py a process api_list starts;
# list_profile and socket_memory are tools
NOT_BENCHMARKS = {"run_all", "report", "timing", "raw_server", "list_profile", "socket_memory"}
TIMEOUT_S = 3600
OURS_KEYS = ("ours", "fieldline")
BASELINE_KEYS = ("baseline", "naive", "bare", "raw")
# Small sizes for a smoke run, for the benchmarks that take them as options
# (each also sees FIELDLINE_BENCH_QUICK=1).
QUICK_ARGS = {
    "api_list": ["--customers", "3000", "--owners", "20", "--requests", "150"],
    "feed": ["--items", "3000", "--reps", "10", "--requests", "100"],
    "fanout": ["--sockets", "200", "--group", "20", "--messages", "20", "--rounds", "1"],
    "ocr": ["--n", "4", "--heldout-n", "4"],
    "chaos": ["--seconds", "15"],
    "reminders": ["--count", "300", "--spread-s", "10"],
}
# Where PostgreSQL is given (FIELDLINE_BENCH_POSTGRES_URL), the benchmarks that
# can compare backends get it.
POSTGRES = os.environ.get("FIELDLINE_BENCH_POSTGRES_URL")


def args_for(name: str, quick: bool) -> list[str]:
    args = list(QUICK_ARGS.get(name, [])) if quick else []
    if name in ("api_list", "feed") and POSTGRES:
        args += ["--postgres", POSTGRES]
        if not quick:  # issue 18: the page at 10k, 100k and 1M rows on PostgreSQL
            args += ["--scaling", "10000,100000,1000000"]
    if name == "reminders":  # it takes the database as its first argument
        scratch = OUT / "reminders-bench.db"
        for stale in OUT.glob("reminders-bench.db*"):
            stale.unlink()
        args[:0] = [POSTGRES] if POSTGRES else [f"sqlite://{scratch}", "--processes", "1"]
    return args


def discover(only: set[str] | None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem not in NOT_BENCHMARKS)
    return [n for n in names if only is None or n in only]


def run_one(name: str, quick: bool) -> dict[str, Any]:
    """Run one benchmark script; what happened (its JSON is read afterwards)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if quick:
        env["FIELDLINE_BENCH_QUICK"] = "1"
    started = time.perf_counter()
    print(f"== {name}", flush=True)
    try:
        if POSTGRES:
            env.setdefault("FIELDLINE_CHAOS_POSTGRES_URL", POSTGRES)
        proc = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *args_for(name, quick)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"name": name, "exit": "timeout", "seconds": TIMEOUT_S, "stdout": "", "stderr": ""}
    print(proc.stdout[-4000:], flush=True)
    if proc.returncode == 0:  # kept so that --report-only can show what it printed
        (OUT / f"{name}.stdout.txt").write_text(proc.stdout)
    if proc.returncode:
        print(proc.stderr[-4000:], file=sys.stderr, flush=True)
    return {"name": name, "exit": proc.returncode, "seconds": round(time.perf_counter() - started, 1),
            "stdout": proc.stdout, "stderr": proc.stderr}


# ------------------------------------------------------------ reading results


def load(name: str) -> dict[str, Any] | None:
    path = OUT / f"{name}.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return None
    return data if isinstance(data, dict) else {"value": data}


def flatten(value: Any, prefix: str = "") -> dict[str, float | str]:
    """Numeric (and short text) leaves as dotted keys; latency sample lists skipped."""
    flat: dict[str, float | str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("table", "latencies_ms", "notes", "samples", "title", "headline", "runs"):
                continue
            flat.update(flatten(item, f"{prefix}{key}."))
    elif isinstance(value, bool):
        flat[prefix.rstrip(".")] = str(value).lower()
    elif isinstance(value, (int, float)):
        flat[prefix.rstrip(".")] = value
    elif isinstance(value, str) and len(value) <= 60 and prefix:
        flat[prefix.rstrip(".")] = value
    return flat


def pick(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((data[k] for k in keys if k in data), None)


def fmt(value: float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def comparison_table(data: dict[str, Any]) -> str | None:
    """Figures beside their baseline: `ours` vs `baseline` (any nesting), matched by key."""
    ours, base = pick(data, OURS_KEYS), pick(data, BASELINE_KEYS)
    if not isinstance(ours, dict) or not isinstance(base, dict):
        return None
    flat_ours, flat_base = flatten(ours), flatten(base)
    rows = ["| figure | Fieldline | baseline |", "|---|---|---|"]
    rows += [f"| {k} | {fmt(v)} | {fmt(flat_base.get(k))} |" for k, v in flat_ours.items()]
    return "\n".join(rows)


def figures_table(data: dict[str, Any]) -> str | None:
    skip = set(OURS_KEYS + BASELINE_KEYS)
    flat = flatten({k: v for k, v in data.items() if k not in skip})
    if not flat:
        return None
    rows = ["| figure | value |", "|---|---|"] + [f"| {k} | {fmt(v)} |" for k, v in flat.items()]
    return "\n".join(rows)


def latency_samples(data: dict[str, Any]) -> dict[str, list[float]]:
    """`latencies_ms: {label: [...]}` at the top level or under ours/baseline."""
    found: dict[str, list[float]] = {}
    for label, source in [("", data), *((k, data.get(k)) for k in OURS_KEYS + BASELINE_KEYS)]:
        samples = source.get("latencies_ms") if isinstance(source, dict) else None
        if isinstance(samples, dict):
            for key, values in samples.items():
                if isinstance(values, list) and values:
                    found[f"{label} {key}".strip()] = [float(v) for v in values]
        elif isinstance(samples, list) and samples:
            found[label or "all"] = [float(v) for v in samples]
    return found


def plot(name: str, samples: dict[str, list[float]]) -> str | None:
    """A PNG of each latency distribution (empirical CDF, log time axis)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    PLOTS.mkdir(parents=True, exist_ok=True)
    figure, axis = plt.subplots(figsize=(7, 4))
    for label, values in samples.items():
        ordered = sorted(values)
        n = len(ordered)
        axis.step(ordered, [(i + 1) / n for i in range(n)], where="post", label=f"{label} (n={n})")
    axis.set_xscale("log")
    axis.set_xlabel("latency (ms, log scale)")
    axis.set_ylabel("fraction of requests ≤ x")
    axis.set_title(f"{name}: latency distribution")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    path = PLOTS / f"{name}.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return str(path.relative_to(ROOT / "docs"))


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": ordered[-1]}


def latency_table(samples: dict[str, list[float]]) -> str:
    rows = ["| series | n | p50 ms | p90 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
    for label, values in samples.items():
        p = percentiles(values)
        rows.append(f"| {label} | {len(values)} | {p['p50']:.3g} | {p['p90']:.3g} | {p['p99']:.3g} | {p['max']:.3g} |")
    return "\n".join(rows)


# ------------------------------------------------------------ the report


def printed_output(name: str, run: dict[str, Any] | None) -> str:
    if run is not None:
        return run["stdout"].strip() if run["exit"] == 0 else ""
    path = OUT / f"{name}.stdout.txt"
    return path.read_text().strip() if path.exists() else ""


def section(name: str, run: dict[str, Any] | None, data: dict[str, Any] | None) -> str:
    lines = [f'<a id="{name}"></a>', "", f"## {data.get('title', name) if data else name}", ""]
    source = f"`bench/{name}.py` → `bench/out/{name}.json`"
    if run is not None:
        source += f"; this run: exit {run['exit']}, {run['seconds']} s"
    lines += [source, ""]
    printed = printed_output(name, run)
    if data is None and printed:
        # No JSON, but the benchmark printed its figures (markdown): show them as printed.
        demoted = "\n".join("###" + line[2:] if line.startswith("## ") else line for line in printed[-6000:].splitlines())
        lines += ["As printed (this benchmark writes no JSON):", "", demoted, ""]
        return "\n".join(lines)
    if data is None:
        why = (run or {}).get("stderr", "").strip().splitlines()[-3:]
        lines += ["No result: the benchmark did not write its JSON." + (f" Last lines:\n\n```\n{chr(10).join(why)}\n```" if why else ""), ""]
        return "\n".join(lines)
    if data.get("notes"):
        lines += [str(data["notes"]), ""]
    for key, value in data.items():  # findings such as chaos "problems": shown even when empty
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            lines += [f"**{key}**: " + ("none" if not value else ""), *[f"- {v}" for v in value], ""]
    # A benchmark's own table, when it prints one, already sets ours beside the baseline.
    for block in (data.get("table") or comparison_table(data), figures_table(data)):
        if block:
            lines += [block, ""]
    samples = latency_samples(data)
    if samples:
        lines += [latency_table(samples), ""]
        image = plot(name, samples)
        if image:
            lines += [f"![{name} latency distribution]({image})", ""]
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPU(s), "
            f"load average {load:.1f} when written; generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")


def headline(data: dict[str, Any] | None) -> str:
    """A benchmark's own one-line summary (`headline`), else its `ratio` or `problems`."""
    if not data:
        return ""
    if data.get("headline"):
        return str(data["headline"])
    if isinstance(data.get("problems"), list):
        return "no problems" if not data["problems"] else f"{len(data['problems'])} problem(s)"
    if isinstance(data.get("ratio"), (int, float)):
        return f"ratio {data['ratio']:.2f}"
    return ""


def write_report(names: list[str], runs: dict[str, dict[str, Any]], quick: bool) -> None:
    parts = ["# Fieldline benchmarks", "",
             "Written by `make bench` (`bench/run_all.py`). Each figure stands beside a baseline "
             "measured in the same run on the same machine, so the comparison holds even where the "
             "absolute numbers do not travel.", "", f"Machine: {machine()}.", ""]
    if quick:
        parts += ["**Smoke run** (`--quick`): small sizes that prove the benchmarks work; "
                  "the figures are not measurements.", ""]
    summary = ["| benchmark | result | headline |", "|---|---|---|"]
    for name in names:
        run, data = runs.get(name), load(name)
        if run is not None and run["exit"] != 0:
            state = f"failed (exit {run['exit']})" + (", older JSON shown" if data is not None else "")
        elif data is None:
            state = "printed figures only" if printed_output(name, run) else "no result"
        else:
            state = "ok"
        summary.append(f"| [{name}](#{name}) | {state} | {headline(data)} |")
    parts += summary + [""]
    if NOTES.exists():  # the reading of a run against the goals, written by hand after it
        parts += [NOTES.read_text().strip(), ""]
    parts += [section(name, runs.get(name), load(name)) for name in names]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(parts))
    print(f"wrote {REPORT.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke runs (FIELDLINE_BENCH_QUICK=1)")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--report-only", action="store_true", help="render the JSON already in bench/out")
    args = parser.parse_args(argv)
    names = discover(set(args.only.split(",")) if args.only else None)
    OUT.mkdir(parents=True, exist_ok=True)
    runs = {} if args.report_only else {name: run_one(name, args.quick) for name in names}
    write_report(names, runs, args.quick)
    failed = [n for n, r in runs.items() if r["exit"] != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
