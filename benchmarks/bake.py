"""Before any server runs: how long `cookiecutter` takes, and how long a new user waits from
`cookiecutter` to a passing generated `pytest` with pip and with uv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import harness
from harness import Sample, Settings, log, ratios, rotated, timed
from servers import HUNDRED

IMPORT = "import jupyter_server.serverapp"


def bake_times(work: Path, settings: Settings) -> dict[str, Any]:
    """`cookiecutter --no-input` (tests/support.bake) with its load check, which imports
    jupyter_server and starts a ServerApp in a subprocess, beside that import alone."""

    def bake(answers: dict[str, str], check: bool) -> Callable[[], float]:
        def once() -> float:
            shutil.rmtree(work, ignore_errors=True)
            answers_now = {**answers, "_verify_load": "yes" if check else "no"}
            baked: list[Any] = []
            seconds = timed(lambda: baked.append(harness.support.bake(work, answers_now)))
            said = "Load check passed" if check else "Load check skipped"
            if said not in baked[0].stdout:
                raise RuntimeError(f"the bake did not say {said!r}:\n{baked[0].stdout}")
            return seconds

        return once

    variants = {
        "python -c 'import jupyter_server.serverapp'": lambda: timed(
            lambda: harness.support.run([sys.executable, "-c", IMPORT])),
        "bake, defaults (1 route)": bake({}, check=True),
        "bake, 100 routes": bake(HUNDRED, check=True),
        "bake, defaults, no load check (_verify_load=no)": bake({}, check=False),
    }  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_no in range(-1, settings.repeats):  # round -1 warms the disk cache
        log(f"bake: round {round_no + 1}/{settings.repeats}")
        for name in rotated(list(variants), round_no):
            seconds = variants[name]()
            if round_no >= 0:
                times[name].append(seconds)
    floor = times["python -c 'import jupyter_server.serverapp'"]
    return {
        "seconds": {name: Sample.of(values) for name, values in times.items()},
        "ratio": {name: ratios(values, floor) for name, values in times.items()},
        "hundred": ratios(times["bake, 100 routes"], times["bake, defaults (1 route)"]),
    }


INSTALLERS = {  # (create the venv, install the project): in the project folder, as its README says
    "pip": ([sys.executable, "-m", "venv", ".venv"],
            [".venv/bin/python", "-m", "pip", "install", "-q", "-e", ".[test]"]),
    "uv": (["{uv}", "venv", "-q", "--python", sys.executable],
           ["{uv}", "pip", "install", "-q", "-e", ".[test]"]),
}  # fmt: skip
GREEN_STEPS = ("bake", "create venv", "install", "pytest")


def green_once(work: Path, installer: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds of each step from `cookiecutter` (defaults, load check included) to a passing
    generated `pytest`."""
    uv = str(harness.support.base_venv("launcher-tools") / "bin" / "uv")
    create, install = ([uv if arg == "{uv}" else arg for arg in argv]
                       for argv in INSTALLERS[installer])  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    baked: list[Any] = []
    seconds = {"bake": timed(lambda: baked.append(harness.support.bake(work, {})))}
    project = baked[0].project
    seconds["create venv"] = timed(lambda: harness.support.run(create, cwd=project, env=env))
    seconds["install"] = timed(lambda: harness.support.run(install, cwd=project, env=env))
    tests: list[subprocess.CompletedProcess[str]] = []
    venv = project / ".venv"
    seconds["pytest"] = timed(
        lambda: tests.append(harness.support.run_generated_suite(project, venv)))  # fmt: skip
    if tests[0].returncode:
        raise RuntimeError(f"the generated pytest failed ({installer}):\n{tests[0].stdout[-3000:]}")
    return seconds


def time_to_green(work: Path, settings: Settings) -> dict[str, Any]:
    """Rounds of pip and uv, which goes first alternating, after one uncounted round of each
    that fills their caches (uv's in the work folder; pip's where pip keeps it)."""
    env = {**os.environ, "UV_CACHE_DIR": str(work / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in INSTALLERS}
    for round_no in range(-1, settings.green_rounds):  # round -1 warms the caches
        for name in rotated(list(INSTALLERS), round_no):
            log(f"time to green ({name}): round {round_no + 1}/{settings.green_rounds}")
            seconds = green_once(work / "project", name, env)
            if round_no >= 0:
                runs[name].append(seconds)
    return {
        name: {**{step: Sample.of([r[step] for r in done]) for step in GREEN_STEPS},
               "total": Sample.of([sum(r.values()) for r in done])}
        for name, done in runs.items()
    }  # fmt: skip
