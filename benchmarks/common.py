"""What every benchmark module shares: paths, settings, and the template tests' helpers.

`support` is tests/support.py (bake(), base_venv(), overlay_venv(), jupyter_server(), http()),
imported as is so that the benchmarks bake and serve projects exactly as the tests do.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DOCS = REPO / "docs"
RESULTS = BENCH_DIR / "results"  # raw JSON of each run (git-ignored)

if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

import support  # noqa: E402  (tests/support.py)

__all__ = [
    "BENCH_DIR",
    "DOCS",
    "REPO",
    "RESULTS",
    "Settings",
    "cpu_seconds",
    "log",
    "support",
    "timed",
]


@dataclass(frozen=True)
class Settings:
    """How many times each figure is measured, and how long each load run lasts."""

    bake_runs: int = 5  # per variant, interleaved with the bare-import baseline
    green_runs: int = 3  # bake + fresh venv + pip install + pytest
    green_warm_up: bool = True  # an uncounted bake + venv + pip download first (warms caches)
    startup_runs: int = 5  # per server, interleaved (none / ours), after one uncounted pair
    wrk_rounds: int = 5  # rounds over all targets, each target once per round
    wrk_seconds: int = 2  # duration of one wrk run
    wrk_connections: int = 16
    scaling_runs: int = 3  # bake and startup runs per route count
    scaling_rounds: int = 3  # wrk rounds over the scaling targets

    @classmethod
    def quick(cls) -> Settings:
        return cls(
            bake_runs=3, green_runs=1, green_warm_up=False, startup_runs=3, wrk_rounds=2,
            wrk_seconds=2, scaling_runs=2, scaling_rounds=2,
        )  # fmt: skip


def timed(action: Callable[[], object]) -> float:
    """Seconds `action()` took (wall clock)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a running process (all its threads) has used so far (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds only the results table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
