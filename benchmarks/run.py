"""Benchmark the template: bake time, time to green, startup cost, request cost, route scaling,
and the cost of each route kind (JSON shapes, WebSocket, event stream).

    python benchmarks/run.py [--quick] [--only bake,green,startup,requests,scaling,kinds,websocket,sse]
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

import kinds_report
import load
import machine
import measure_bake
import measure_event_stream
import measure_green
import measure_requests
import measure_route_kinds
import measure_scaling
import measure_startup
import measure_websocket
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
    "kinds": measure_route_kinds.measure,  # sections 6-8: a block of their own in the page
    "websocket": measure_websocket.measure,
    "sse": measure_event_stream.measure,
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
    page_sections = [s for s in SECTIONS if s in results and s not in kinds_report.SECTIONS]
    tables = list(report.tables(results)) if page_sections else []
    for _key, title, table in [*tables, *kinds_report.tables(results)]:
        print(f"\n## {title}\n\n{table}")
    print(f"\n({minutes:.1f} minutes)")
    if not args.no_write:
        path = DOCS / "benchmarks.md"
        old = path.read_text() if path.exists() else ""
        text = old
        if page_sections:  # rewrite the page, keeping the route-kind block of the last run
            subtitle = f"wrk -t1 -c{settings.wrk_connections}, {settings.wrk_seconds} s runs"
            plot.plot(results, DOCS / PLOT, subtitle)
            has_plot = "requests" in results or "scaling" in results
            plot_name = PLOT if has_plot else None
            text = page.render(results, tables, settings, minutes, quick, plot_name)
            text = kinds_report.splice(text, kinds_report.block(old))
            log(f"wrote {path}" + (f" and {DOCS / PLOT}" if has_plot else ""))
        if any(s in results for s in kinds_report.SECTIONS):
            text = kinds_report.splice(text, kinds_report.render(results, settings))
            log(f"wrote the route-kind sections of {path}")
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
