"""Benchmark the template: bake time, time to green, startup cost, request cost, route scaling.

    python benchmarks/run.py [--quick] [--only bake,green,startup,requests,scaling]
    python benchmarks/run.py --render benchmarks/results/<run>.json   # page and plot, no measuring

Run it with the template's test venv Python (plus matplotlib: `pip install --group bench`).
Prints the tables, writes docs/benchmarks.md and docs/benchmarks-request-rate.png, and keeps the
raw figures in benchmarks/results/. See docs/benchmarks.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import load
import machine
import measure_bake
import measure_green
import measure_requests
import measure_scaling
import measure_startup
import page
import plot
import report
from common import DOCS, RESULTS, Settings, log, support
from stats import Sample

SECTIONS = {
    "bake": measure_bake.measure,
    "green": measure_green.measure,
    "startup": measure_startup.measure,
    "requests": measure_requests.measure,
    "scaling": measure_scaling.measure,
}
PLOT = "benchmarks-request-rate.png"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter wrk runs")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help="comma-separated sections (default: all)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--render", type=Path, metavar="JSON", help="rewrite the page and plot from raw results"
    )
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    return args


def as_json(value: Any) -> Any:
    if isinstance(value, Sample):
        return value.to_json()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    return value


def from_json(value: Any) -> Any:
    """Inverse of as_json: Samples back, and integer keys (route counts) back to int."""
    if isinstance(value, dict) and set(value) == {"median", "min", "max", "values"}:
        return Sample.of(value["values"])
    if isinstance(value, dict):
        return {int(k) if k.isdigit() else k: from_json(v) for k, v in value.items()}
    return value


def measure(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    started = time.monotonic()
    load.ensure_wrk()
    log("preparing the cached 'modern' server venv (tests/support.base_venv)")
    support.base_venv("modern")
    results: dict[str, Any] = {"machine": machine.facts(), "settings": settings.__dict__}
    work = Path(tempfile.mkdtemp(prefix="template-bench-"))
    try:
        for name in args.only:
            log(f"section {name}")
            results[name] = SECTIONS[name](work / name, settings)
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load average at end (1/5/15 min)"] = machine.load_average()
    results["run"] = {"minutes": (time.monotonic() - started) / 60, "quick": args.quick}
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(as_json(results), indent=2))
    log(f"raw figures: {raw}")
    return results


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.render:
        results = from_json(json.loads(args.render.read_text()))
        settings = Settings(**results["settings"])
    else:
        settings = Settings.quick() if args.quick else Settings()
        results = measure(args, settings)
    minutes, quick = results["run"]["minutes"], results["run"]["quick"]
    tables = list(report.tables(results))
    for _key, title, table in tables:
        print(f"\n## {title}\n\n{table}")
    print(f"\n({minutes:.1f} minutes)")
    if not args.no_write:
        subtitle = f"wrk -t1 -c{settings.wrk_connections}, {settings.wrk_seconds} s runs"
        plot.plot(results, DOCS / PLOT, subtitle)
        has_plot = "requests" in results or "scaling" in results
        text = page.render(results, tables, settings, minutes, quick, PLOT if has_plot else None)
        (DOCS / "benchmarks.md").write_text(text)
        log(f"wrote {DOCS / 'benchmarks.md'}" + (f" and {DOCS / PLOT}" if has_plot else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
