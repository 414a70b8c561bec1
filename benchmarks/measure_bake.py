"""1. Bake time: `cookiecutter --no-input` with and without the post-generation load check,
against `python -c "import jupyter_server.serverapp"` measured in the same rounds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from common import Settings, log, support, timed
from stats import Sample, paired_ratio

IMPORT = "import jupyter_server.serverapp"
TEN_ROUTES = (
    "GET /hello HelloWorldHandler; GET,POST /items; GET,PUT,PATCH,DELETE /items/{item_id}; "
    "GET /users; GET /users/{user_id}; GET,POST /users/{user_id}/items; GET /health public; "
    "GET /files/(.*); POST /jobs; GET,DELETE /jobs/{job_id}"
)
TABLES = {"defaults": {}, "10 routes": {"handlers": TEN_ROUTES}}


def bare_import() -> float:
    return timed(lambda: support.run([sys.executable, "-c", IMPORT], timeout=300))


def timed_bake(work: Path, answers: dict[str, str], verify: bool) -> float:
    """Seconds one `cookiecutter --no-input` took; checks the load check ran (or was skipped)."""
    shutil.rmtree(work, ignore_errors=True)
    answers = {**answers, "_verify_load": "yes" if verify else "no"}
    baked: list[support.Bake] = []
    seconds = timed(lambda: baked.append(support.bake(work, answers)))
    expected = "Load check passed" if verify else "Load check skipped (asked for)"
    if expected not in baked[0].stdout:
        raise RuntimeError(f"bake did not say {expected!r}:\n{baked[0].stdout}")
    shutil.rmtree(work, ignore_errors=True)
    return seconds


def variants(work: Path) -> dict[str, Callable[[], float]]:
    """Name -> a zero-argument callable that runs once and returns seconds."""
    found: dict[str, Callable[[], float]] = {"bare import": bare_import}
    for table, answers in TABLES.items():
        for verify in (True, False):
            name = f"bake {table}, {'with' if verify else 'without'} load check"
            found[name] = lambda a=answers, v=verify: timed_bake(work / "bake", a, v)
    return found


def measure(work: Path, settings: Settings) -> dict[str, object]:
    subprocess.run([sys.executable, "-c", IMPORT], check=True, timeout=300)  # warm the file cache
    runs = variants(work)
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_no in range(settings.bake_runs):
        log(f"bake: round {round_no + 1}/{settings.bake_runs}")
        shift = round_no % len(names)  # rotate the order: no variant always runs first
        for name in names[shift:] + names[:shift]:
            times[name].append(runs[name]())
    baseline = times["bare import"]
    return {
        "times": {name: Sample.of(values) for name, values in times.items()},
        "ratios": {
            name: paired_ratio(values, baseline)
            for name, values in times.items()
            if name != "bare import"
        },
    }
