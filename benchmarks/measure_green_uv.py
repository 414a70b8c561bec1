"""Time to green with pip and with uv, side by side: bake -> venv -> install -> generated pytest.

    python benchmarks/measure_green_uv.py [--runs 3] [--no-write]

Run it with the template's test venv Python. Each round bakes the defaults (load check
included) once per installer and takes each project from there to a passing `pytest`, as its
README says: `python -m venv .venv` + `.venv/bin/pip install -e ".[test]"`, or `uv venv` +
`uv pip install -e ".[test]"`. Installers alternate which goes first. One uncounted round of
each first fills pip's and uv's caches (uv's lives in the work directory, on the same disk as
the venvs, as ~/.cache/uv usually is). Prints the table and writes it, with the machine and the
date, as a section of docs/benchmarks.md between markers (benchmarks/run.py rewrites that page:
run this after it).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import machine
from common import DOCS, log, support, timed
from stats import Sample

GOAL_SECONDS = 12.0  # with uv
STEPS = ("bake", "create venv", "install", "pytest")
BEGIN = "<!-- measure_green_uv.py: begin -->"
END = "<!-- measure_green_uv.py: end -->"


@dataclass(frozen=True)
class Installer:
    name: str
    create: list[str]  # run in the project folder
    install: list[str]
    shown: tuple[str, str]  # the two commands, as the README writes them


def installers() -> list[Installer]:
    uv = str(support.base_venv("launcher-tools") / "bin" / "uv")
    pip = [".venv/bin/python", "-m", "pip", "install", "-q", "-e", ".[test]"]
    return [
        Installer("pip", [sys.executable, "-m", "venv", ".venv"], pip,
                  ("python -m venv .venv", '.venv/bin/pip install -e ".[test]"')),
        Installer("uv", [uv, "venv", "-q", "--python", sys.executable],
                  [uv, "pip", "install", "-q", "-e", ".[test]"],
                  ("uv venv", 'uv pip install -e ".[test]"')),
    ]  # fmt: skip


def one_run(installer: Installer, work: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds per step, from `cookiecutter` to a passing generated `pytest`."""
    shutil.rmtree(work, ignore_errors=True)
    baked: list[support.Bake] = []
    seconds = {"bake": timed(lambda: baked.append(support.bake(work / "out", {})))}
    project = baked[0].project
    seconds["create venv"] = timed(
        lambda: support.run(installer.create, cwd=project, env=env, timeout=300)
    )
    seconds["install"] = timed(
        lambda: support.run(installer.install, cwd=project, env=env, timeout=900)
    )
    results: list[subprocess.CompletedProcess[str]] = []
    venv = project / ".venv"
    seconds["pytest"] = timed(lambda: results.append(support.run_generated_suite(project, venv)))
    if results[0].returncode != 0:
        raise RuntimeError(f"the generated pytest failed:\n{results[0].stdout[-4000:]}")
    shutil.rmtree(work, ignore_errors=True)
    return seconds


def measure(work: Path, runs: int) -> dict[str, dict[str, Sample]]:
    env = {**os.environ, "UV_CACHE_DIR": str(work / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    tools = installers()
    for installer in tools:
        log(f"time to green ({installer.name}): warm-up round, not counted")
        one_run(installer, work / "warm-up", env)
    rounds: dict[str, list[dict[str, float]]] = {i.name: [] for i in tools}
    for run_no in range(runs):
        for installer in tools if run_no % 2 == 0 else tools[::-1]:
            log(f"time to green ({installer.name}): run {run_no + 1}/{runs}")
            rounds[installer.name].append(one_run(installer, work / "run", env))
    return {
        name: {
            **{step: Sample.of([r[step] for r in done]) for step in STEPS},
            "total": Sample.of([sum(r.values()) for r in done]),
        }
        for name, done in rounds.items()
    }


def facts(started: str, load_at_start: str) -> dict[str, str]:
    pip = support.run([sys.executable, "-m", "ensurepip", "--version"]).stdout.strip()
    return {
        "date": started,
        "CPU": machine.cpu_model(),
        "nproc": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "pip (what `python -m venv` installs)": pip,
        "uv": support.run([installers()[1].create[0], "--version"]).stdout.strip(),
        "load average at start / end (1/5/15 min)": f"{load_at_start}; {machine.load_average()}",
    }


def section(results: dict[str, dict[str, Sample]], machine_facts: dict[str, str], runs: int) -> str:
    pip, uv = results["pip"], results["uv"]
    shown = {i.name: i.shown for i in installers()}
    uv_total = uv["total"]
    verdict = "met" if uv_total.high < GOAL_SECONDS else (
        "met by the median" if uv_total.median < GOAL_SECONDS else "**missed**"
    )  # fmt: skip
    rows = [
        ("bake (defaults, load check included)", "bake"),
        (f"create venv: `{shown['pip'][0]}` / `{shown['uv'][0]}`", "create venv"),
        (f"install: `{shown['pip'][1]}` / `{shown['uv'][1]}`", "install"),
        ("generated `pytest`", "pytest"),
        ("**total**", "total"),
    ]
    shares = (
        "Where uv's time goes: "
        + ", ".join(f"{key} {uv[key].median / uv_total.median:.0%}" for key in STEPS)
        + "."
    )
    table = ["| Step | pip | uv |", "|---|---|---|"]
    table += [f"| {label} | {pip[key].show(unit=' s')} | {uv[key].show(unit=' s')} |" for label, key in rows]  # fmt: skip
    facts_table = ["|  |  |", "|---|---|", *(f"| {k} | {v} |" for k, v in machine_facts.items())]
    return "\n".join([
        BEGIN,
        "## Time to green: pip and uv",
        "",
        "What a new user waits for between `cookiecutter` and a passing `pytest`, with each",
        "installer (`benchmarks/measure_green_uv.py`): bake the defaults (load check included),",
        "create the venv in the project, install it with its test extra, run the generated suite.",
        f"Median of {runs} round{'s' if runs > 1 else ''} (min\u2013max), the installers alternating which goes first, after",
        "one uncounted round of each that fills pip's and uv's caches. pip also reads this",
        "machine's pip configuration (two local indexes besides PyPI); uv reads PyPI only.",
        "",
        *table,
        "",
        f"Goal with uv: < {GOAL_SECONDS:.0f} s; {verdict} "
        f"(median {uv_total.median:.2f} s, slowest run {uv_total.high:.2f} s). {shares}",
        "The bake's share is mostly its load check (a `ServerApp` started in a subprocess). uv",
        "installs without compiling bytecode, which pip does while installing: the first",
        "`pytest` after uv compiles jupyter_server's modules as it imports them.",
        "",
        *facts_table,
        END,
    ])  # fmt: skip


def write(text: str) -> Path:
    """Replace the section between the markers in docs/benchmarks.md, or append it."""
    page = DOCS / "benchmarks.md"
    current = page.read_text() if page.exists() else "# Benchmarks\n"
    if BEGIN in current and END in current:
        before, rest = current.split(BEGIN, 1)
        current = before + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    page.write_text(current)
    return page


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted rounds (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args(argv)
    started, load_at_start = time.strftime("%Y-%m-%d %H:%M %Z"), machine.load_average()
    work = Path(tempfile.mkdtemp(prefix="template-green-uv-"))
    try:
        results = measure(work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = section(results, facts(started, load_at_start), args.runs)
    print(text)
    if not args.no_write:
        log(f"wrote {write(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
