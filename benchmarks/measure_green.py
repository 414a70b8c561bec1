"""2. Time to green: what a new user waits for between `cookiecutter` and a passing `pytest`.

Each run: bake the defaults (load check included), create a fresh venv, `pip install -e ".[test]"`
into it from the project folder (jupyter_server, pytest-jupyter and their dependencies, after one
uncounted `pip download` that warms pip's cache), then the generated project's `pytest`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from common import Settings, log, support, timed
from stats import Sample

STEPS = ("bake", "create venv", 'pip install -e ".[test]"', "pytest")


def pip_version(venv: Path) -> str:
    argv = [str(venv / "bin" / "python"), "-m", "pip", "--version"]
    return support.run(argv, timeout=60).stdout.split(" from ")[0]


def pip_sources(output: str) -> str:
    """Where pip took the distributions it installed: the network, its cache, local files."""
    lines = [line.strip() for line in output.splitlines()]
    downloaded = sum(line.startswith("Downloading ") for line in lines)
    cached = sum(line.startswith("Using cached ") for line in lines)
    local = sum(line.startswith("Processing /") for line in lines)
    return f"{downloaded} downloaded, {cached} from pip's cache, {local} from local files"


def warm_up(work: Path) -> None:
    """Uncounted: bake, venv, and `pip download` of everything `pip install -e ".[test]"` needs
    (its build backend included), which fills pip's cache where pip can keep one, and the disk
    cache, without the time an install takes."""
    shutil.rmtree(work, ignore_errors=True)
    project = support.bake(work / "out", {"_verify_load": "no"}).project
    support.run([sys.executable, "-m", "venv", str(work / "venv")], timeout=300)
    python = str(work / "venv" / "bin" / "python")
    download = [python, "-m", "pip", "download", "-q", "-d", str(work / "wheels"), ".[test]"]
    support.run(download, cwd=project)
    shutil.rmtree(work, ignore_errors=True)


def one_run(work: Path) -> tuple[dict[str, float], str]:
    """Seconds per step, and what pip used (version, indexes, downloads vs cache)."""
    shutil.rmtree(work, ignore_errors=True)
    baked: list[support.Bake] = []
    seconds = {"bake": timed(lambda: baked.append(support.bake(work / "out", {})))}
    project, venv = baked[0].project, work / "venv"
    python = str(venv / "bin" / "python")
    seconds["create venv"] = timed(
        lambda: support.run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    )
    installs: list[subprocess.CompletedProcess[str]] = []
    seconds['pip install -e ".[test]"'] = timed(
        lambda: installs.append(
            support.run([python, "-m", "pip", "install", "-e", ".[test]"], cwd=project)
        )
    )
    indexes = [x for x in installs[0].stdout.splitlines() if x.startswith("Looking in indexes")]
    pip = f"{pip_version(venv)}; {pip_sources(installs[0].stdout)}"
    if indexes:
        pip += f"; {indexes[0]}"
    results: list[subprocess.CompletedProcess[str]] = []
    seconds["pytest"] = timed(lambda: results.append(support.run_generated_suite(project, venv)))
    if results[0].returncode != 0:
        raise RuntimeError(
            f"the generated pytest failed:\n{results[0].stdout}\n{results[0].stderr}"
        )
    shutil.rmtree(work, ignore_errors=True)
    return seconds, pip


def measure(work: Path, settings: Settings) -> dict[str, object]:
    if settings.green_warm_up:
        log("time to green: warm-up (bake, venv, pip download; not counted)")
        warm_up(work / "warm-up")
    runs = []
    for run_no in range(settings.green_runs):
        log(f"time to green: run {run_no + 1}/{settings.green_runs}")
        seconds, pip = one_run(work / f"run-{run_no}")
        runs.append(seconds)
    steps = {step: Sample.of([run[step] for run in runs]) for step in STEPS}
    total = Sample.of([sum(run.values()) for run in runs])
    return {"steps": steps, "total": total, "pip": pip, "warm_up": settings.green_warm_up}
