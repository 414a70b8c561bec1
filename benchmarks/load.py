"""HTTP load with wrk: one bounded run against one URL, read back as requests/s and latencies.

Every run uses the same settings: 1 wrk thread (the other core is the server's), a fixed number
of connections, a fixed duration, a 5 s request timeout, and a request cap enforced by
wrk_report.lua (a safety bound set well above what the server can answer in that time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from common import BENCH_DIR, cpu_seconds, log, support

SCRIPT = BENCH_DIR / "wrk_report.lua"
THREADS = 1
MAX_RATE = 50_000  # requests/s the cap allows: far above a Python server on this hardware


@dataclass(frozen=True)
class LoadRun:
    requests: int
    seconds: float
    errors: int  # connect/read/write errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p99_ms: float
    capped: bool  # the request cap stopped the run early (its rate is then not comparable)
    server_cpu: float = 0.0  # CPU seconds the server process used during the run (0: unknown)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def per_cpu_second(self) -> float:
        """Requests per CPU-second of the server: its cost, less sensitive to other load."""
        return self.requests / self.server_cpu


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian when missing (needs root, as on these machines)."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: apt-get update && apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
        subprocess.run(argv, check=True, capture_output=True, timeout=600, env=env)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install -y wrk")
    return found


def wrk_version() -> str:
    result = subprocess.run([ensure_wrk(), "--version"], capture_output=True, text=True, timeout=30)
    return (result.stdout or result.stderr).splitlines()[0].split(" [")[0]


def run_wrk(
    url: str, *, seconds: int, connections: int, headers: Mapping[str, str] | None = None,
    script: Path = SCRIPT, env: Mapping[str, str] | None = None,
) -> LoadRun:  # fmt: skip
    """One wrk run against `url` on 127.0.0.1, bounded in time and request count; `script` and
    `env` for request scripts that report through this module's SCRIPT (wrk_request.lua)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"load runs stay on 127.0.0.1, not {url}")
    cap = MAX_RATE * seconds // THREADS
    argv = [ensure_wrk(), f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
            "-s", str(script)]  # fmt: skip
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*argv, url], capture_output=True, text=True, timeout=seconds + 60,
        env={**os.environ, **(env or {}), "BENCH_MAX_REQUESTS_PER_THREAD": str(cap)},
    )  # fmt: skip
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    error_keys = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    return LoadRun(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=sum(data[key] for key in error_keys),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        capped=data["requests"] >= cap * THREADS,
    )


Target = tuple[str, Mapping[str, str], int]  # (url, request headers, server pid)


def rounds(targets: Mapping[str, Target], n_rounds: int, seconds: int, connections: int,
           label: str) -> dict[str, list[LoadRun]]:  # fmt: skip
    """Each target once per round, rounds in rotated order, after a 1 s warm-up run each:
    the targets see the same machine load, and the ratios of round i compare like with like."""
    for name, (url, headers, _pid) in targets.items():
        status = support.http("GET", url, headers=headers).status
        if status != 200:
            raise RuntimeError(f"{name}: GET {url} answered {status}, not 200")
        run_wrk(url, seconds=1, connections=connections, headers=headers)
    runs: dict[str, list[LoadRun]] = {name: [] for name in targets}
    names = list(targets)
    for round_no in range(n_rounds):
        log(f"{label}: wrk round {round_no + 1}/{n_rounds} over {len(names)} targets")
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            url, headers, pid = targets[name]
            cpu_before = cpu_seconds(pid)
            result = run_wrk(url, seconds=seconds, connections=connections, headers=headers)
            result = replace(result, server_cpu=cpu_seconds(pid) - cpu_before)
            if result.errors or result.capped:
                raise RuntimeError(f"{name}: {result.errors} errors, capped={result.capped}")
            runs[name].append(result)
    return runs
