"""Measure the template and write docs/benchmarks.md (and its figure) from this one run.

    .venv/bin/python benchmarks/run.py [--quick] [--only bake,green,startup,load] [--no-write]
    .venv/bin/python benchmarks/run.py --render benchmarks/results/<run>.json  # no measuring

Measures the commit `--commit` (default HEAD), not the working tree. Raw figures of each run
are kept in benchmarks/results/ (git-ignored). See docs/benchmarks.md for what each one means.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bake
import harness
import load
import page
import startup
from harness import DOCS, RESULTS, Sample, Settings, log

SECTIONS = {
    "bake": lambda work, settings: bake.bake_times(work, settings),
    "green": lambda work, settings: bake.time_to_green(work, settings),
    "startup": startup.measure,
    "load": load.measure,
}


def to_json(value: Any) -> Any:
    if isinstance(value, Sample):
        return {"values": value.values, "median": value.median}
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"values", "median"}:
        return Sample.of(value["values"])
    if isinstance(value, dict):
        return {key: from_json(item) for key, item in value.items()}
    return value


def measure(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings.quick() if args.quick else Settings()
    started, work = time.monotonic(), Path(tempfile.mkdtemp(prefix="template-bench-"))
    try:
        results: dict[str, Any] = {"commit": harness.checkout(args.commit, work / "template")}
        log("the cached server venvs (tests/support.base_venv)")
        for flavour in ("modern", "launcher-tools"):
            harness.support.base_venv(flavour)
        results |= {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "quick": args.quick, "settings": dataclasses.asdict(settings),
                    "machine": harness.facts()}  # fmt: skip
        for name in args.only:
            log(f"section {name}")
            results[name] = SECTIONS[name](work / name, settings)
    finally:
        os.chdir(harness.REPO)  # out of the work folder (checkout() went in)
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load average at end (1/5/15 min)"] = harness.load_average()
    results["minutes"] = (time.monotonic() - started) / 60
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(to_json(results), indent=1))
    log(f"raw figures: {raw}")
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for trying changes")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections (default: all)")
    parser.add_argument("--commit", default="HEAD", help="the commit to measure")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--render", type=Path, help="write the page from a raw results file")
    args = parser.parse_args(argv)
    args.only = [s for s in args.only.split(",") if s]
    if set(args.only) - set(SECTIONS):
        parser.error(f"sections are {', '.join(SECTIONS)}")
    results = from_json(json.loads(args.render.read_text())) if args.render else measure(args)
    for goal in page.goals(results):
        print(f"{goal.name}: {goal.figure()} (goal {goal.goal}): {goal.verdict()}")
    if not args.no_write:
        drawn = page.figure(results, DOCS / page.FIGURE)
        (DOCS / "benchmarks.md").write_text(page.render(results, page.FIGURE if drawn else None))
        log(f"wrote {DOCS / 'benchmarks.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
