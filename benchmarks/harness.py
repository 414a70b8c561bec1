"""What the benchmark scripts share: the commit they measure, settings, medians of paired rounds,
wrk, and the facts about the machine that the page prints.

The template is measured as committed: `checkout()` exports a commit (`git archive`) and imports
that export's tests/support.py, whose bake(), overlay_venv() and jupyter_server() the benchmarks
use as the tests do. Uncommitted edits in the working tree are not measured.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DOCS = REPO / "docs"
RESULTS = BENCH / "results"  # raw figures of each run (git-ignored)
LUA = BENCH / "wrk.lua"

support: Any = None  # tests/support.py of the measured commit, set by checkout()


@dataclass(frozen=True)
class Settings:
    rounds: int = 10  # rounds of each load comparison (requests, messages, first events)
    repeats: int = 8  # bakes of each variant
    starts: int = 16  # server starts of each variant (one start varies by ±20% here)
    green_rounds: int = 3  # bake -> venv -> install -> pytest, per installer
    seconds: int = 2  # one wrk run
    connections: int = 16  # wrk connections (one wrk thread: the server has the other core)

    @classmethod
    def quick(cls) -> Settings:
        return cls(rounds=3, repeats=2, starts=3, green_rounds=1)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()  # fmt: skip


def checkout(commit: str, into: Path) -> dict[str, str]:
    """Export `commit` into `into`, import its tests/support.py as `support`; say which commit."""
    sha = git("rev-parse", "--verify", f"{commit}^{{commit}}")
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", sha], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    os.chdir(into)  # `python -m cookiecutter` imports local_extensions from the current directory
    spec = importlib.util.spec_from_file_location("support", into / "tests" / "support.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["support"] = module
    spec.loader.exec_module(module)
    global support
    support = module
    return {"commit": sha[:10], "date": git("log", "-1", "--format=%cd", "--date=short", sha)}


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Sample:
    """One figure measured in several rounds: shown as median (min-max, n)."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Sample:
        return cls(tuple(float(v) for v in values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def scaled(self, factor: float) -> Sample:
        return Sample.of([v * factor for v in self.values])

    def show(self, fmt: str = "{:.2f}", unit: str = "") -> str:
        low, high = fmt.format(min(self.values)), fmt.format(max(self.values))
        return f"{fmt.format(self.median)}{unit} ({low}\u2013{high}, n={len(self.values)})"


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> Sample:
    """Round i over round i: what the machine's load did to both cancels out."""
    return Sample.of([a / b for a, b in zip(numerators, denominators, strict=True)])


def differences(minuends: Sequence[float], subtrahends: Sequence[float]) -> Sample:
    return Sample.of([a - b for a, b in zip(minuends, subtrahends, strict=True)])


def rotated(names: Sequence[str], round_no: int) -> list[str]:
    """The round's order: each name goes first in turn."""
    shift = round_no % len(names)
    return [*names[shift:], *names[:shift]]


# --------------------------------------------------------------------------- wrk


def ensure_tool(name: str, package: str) -> str:
    """A Debian tool, installed with apt-get when missing (as root, as on these machines)."""
    if not shutil.which(name):
        log(f"{name} is missing: apt-get install -y {package}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for argv in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
            subprocess.run(argv, check=True, capture_output=True, timeout=900, env=env)
    return shutil.which(name) or name


@dataclass(frozen=True)
class LoadRun:
    rate: float  # requests/s
    p50_ms: float
    p99_ms: float


def wrk(url: str, seconds: int, connections: int, headers: Mapping[str, str],
        method: str = "GET", body: Any = None) -> LoadRun:  # fmt: skip
    """One wrk run on 127.0.0.1 (1 thread); any socket error or non-2xx/3xx answer fails it."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"load stays on 127.0.0.1, not {url}")
    headers = dict(headers)
    env = {**os.environ, "BENCH_METHOD": method}
    if body is not None:
        env["BENCH_BODY"] = json.dumps(body)
        headers["Content-Type"] = "application/json"
    argv = [ensure_tool("wrk", "wrk"), "-t1", f"-c{connections}", f"-d{seconds}s",
            "--timeout", "5s", "-s", str(LUA)]  # fmt: skip
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 60,
                          env=env)  # fmt: skip
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), "")
    if done.returncode or not line:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    if data["errors"]:
        raise RuntimeError(f"{method} {url}: {data['errors']} errors or unexpected statuses")
    return LoadRun(data["requests"] / (data["duration_us"] / 1e6), data["p50_us"] / 1000,
                   data["p99_us"] / 1000)  # fmt: skip


# --------------------------------------------------------------------------- the machine


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def facts() -> dict[str, str]:
    """What ran the benchmarks: hardware, versions. No host names, paths or package indexes."""
    server = support.base_venv("modern") / "bin" / "python"
    code = "import importlib.metadata as m, sys; print(*(m.version(p) for p in sys.argv[1:]))"
    packages = ("jupyter_server", "tornado", "jsonschema")
    versions = support.run([str(server), "-c", code, *packages]).stdout.split()
    uv = support.base_venv("launcher-tools") / "bin" / "uv"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").open()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    wrk_version = subprocess.run([ensure_tool("wrk", "wrk"), "--version"], capture_output=True,
                                 text=True).stdout.split(" [")[0]  # fmt: skip
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "OS": f"{platform.system()} {platform.release().split('-')[0]}",
        "Python": platform.python_version(),
        **{f"{p} (servers)": v for p, v in zip(packages, versions, strict=True)},
        "pip (what `python -m venv` installs)": support.run(
            [sys.executable, "-m", "ensurepip", "--version"]).stdout.split()[-1],
        "uv": support.run([str(uv), "--version"]).stdout.split()[1],
        "wrk": wrk_version.strip().split()[-1],
        "load average at start (1/5/15 min)": load_average(),
    }  # fmt: skip
