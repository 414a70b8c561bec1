"""6. Request rate of every generated JSON route shape ÷ jupyter_server's /api/status, in one server.

The project of kinds_server.py; each target is loaded with the same wrk settings as section 4
(through wrk_request.lua, which adds the method and the JSON body), once per round, the order
rotated each round, and always right between two runs of /api/status: on a busy machine a
target and a reference run seconds apart share the load better than runs of a long round. wrk cannot time HEAD requests (it waits for the body the Content-Length
announces), so HEAD /ping is loaded with ApacheBench (`ab -k -i`), and divided by /api/status
loaded with ab in the same rounds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import kinds_server
import load
import machine
from common import BENCH_DIR, Settings, cpu_seconds, log, support
from stats import Sample

SCRIPT = BENCH_DIR / "wrk_request.lua"
STATUS = "GET /api/status (jupyter_server)"
STATUS_AB = "GET /api/status (jupyter_server, ab)"
ITEM = {"name": "benchmark item", "tags": ["a", "b"]}


@dataclass(frozen=True)
class Target:
    method: str
    path: str  # under the extension's namespace, or the server's own when it starts with /api/
    status: int = 200
    body: Any = None  # sent as JSON
    tool: str = "wrk"
    reference: str = STATUS  # the target this one is divided by
    json_route: bool = True  # a generated JSON route (the goal applies)


TARGETS = {
    STATUS: Target("GET", "/api/status", reference=STATUS, json_route=False),
    "GET /hello (hello)": Target("GET", "/hello"),
    "GET /items (collection, 1 item)": Target("GET", "/items"),
    "GET /items/seed (item)": Target("GET", "/items/seed"),
    "POST /drafts (create, schema-checked body)": Target("POST", "/drafts", 201, ITEM),
    "POST /webhook (inbox, public)": Target("POST", "/webhook", 202, {"event": "push"}),
    "PUT /settings (document)": Target("PUT", "/settings", body={"theme": "dark", "size": 14}),
    "PATCH /settings (document)": Target("PATCH", "/settings", body={"theme": "light"}),
    "GET /numbers/42 (echo, regex parameter)": Target("GET", "/numbers/42"),
    "GET /assets/hello.txt (static file)": Target("GET", "/assets/hello.txt", json_route=False),
    STATUS_AB: Target("GET", "/api/status", tool="ab", reference=STATUS_AB, json_route=False),
    "HEAD /ping (ab)": Target("HEAD", "/ping", tool="ab", reference=STATUS_AB),
}


@dataclass(frozen=True)
class Paired:
    """A run of a target and the runs of its reference just before and just after it."""

    run: load.LoadRun
    before: load.LoadRun
    after: load.LoadRun

    @property
    def ratio(self) -> float:
        return self.run.rate / ((self.before.rate + self.after.rate) / 2)

    @property
    def ratio_cpu(self) -> float:
        mean = (self.before.per_cpu_second + self.after.per_cpu_second) / 2
        return self.run.per_cpu_second / mean


def ensure_ab() -> str:
    """ApacheBench; installed from Debian (apache2-utils) when missing, as load.ensure_wrk."""
    if not shutil.which("ab"):
        log("ab is missing: apt-get install -y apache2-utils")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for argv in (["apt-get", "update"], ["apt-get", "install", "-y", "apache2-utils"]):
            subprocess.run(argv, check=True, capture_output=True, timeout=600, env=env)
    return shutil.which("ab") or "ab"


def run_wrk(url: str, target: Target, headers: Mapping[str, str], seconds: int,
            connections: int) -> load.LoadRun:  # fmt: skip
    """One wrk run, as load.run_wrk, with the target's method and body."""
    env = {"BENCH_METHOD": target.method, "BENCH_REPORT_SCRIPT": str(load.SCRIPT)}
    if target.body is not None:
        env["BENCH_BODY"] = json.dumps(target.body)
        headers = {**headers, "Content-Type": "application/json"}
    return load.run_wrk(
        url, seconds=seconds, connections=connections, headers=headers, script=SCRIPT, env=env
    )


def run_ab(url: str, target: Target, headers: Mapping[str, str], seconds: int,
           connections: int) -> load.LoadRun:  # fmt: skip
    """One ab run (keep-alive, HEAD with -i), bounded like a wrk run."""
    cap = load.MAX_RATE * seconds
    argv = [ensure_ab(), "-q", "-k", "-c", str(connections), "-t", str(seconds), "-n", str(cap),
            "-s", "5", *(["-i"] if target.method == "HEAD" else [])]  # fmt: skip
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    result = subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 60)
    fields = dict(re.findall(r"^([A-Z][\w -]+):\s+([\d.]+)", result.stdout, re.MULTILINE))
    percent = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", result.stdout, re.MULTILINE))
    if result.returncode != 0 or "Complete requests" not in fields:
        raise RuntimeError(f"ab failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    requests = int(fields["Complete requests"])
    return load.LoadRun(
        requests=requests, seconds=float(fields["Time taken for tests"]),
        errors=int(fields["Failed requests"]) + int(fields.get("Non-2xx responses", 0)),
        p50_ms=float(percent["50"]), p99_ms=float(percent["99"]), capped=requests >= cap,
    )  # fmt: skip


def rounds(served: kinds_server.Served, n_rounds: int, seconds: int,
           connections: int) -> dict[str, list[Paired]]:  # fmt: skip
    """Every target checked once and warmed up 1 s, then loaded once per round (the order
    rotated each round) right between two runs of its reference: each ratio compares runs
    seconds apart, so that the machine's changing load cancels out."""
    urls = {}
    for name, target in TARGETS.items():
        own = target.path.startswith("/api/")
        urls[name] = served.server.url(target.path) if own else served.url(target.path)
        status = served.call(target.method, urls[name], target.body).status
        if status != target.status:
            raise RuntimeError(f"{name}: {urls[name]} answered {status}, not {target.status}")

    def load_once(name: str, seconds: int) -> load.LoadRun:
        target, cpu_before = TARGETS[name], cpu_seconds(served.pid)
        runner = run_ab if target.tool == "ab" else run_wrk
        result = runner(urls[name], target, served.server.auth, seconds, connections)
        result = replace(result, server_cpu=cpu_seconds(served.pid) - cpu_before)
        if result.errors or result.capped:
            raise RuntimeError(f"{name}: {result.errors} errors, capped={result.capped}")
        return result

    for name in TARGETS:
        load_once(name, 1)
    measured = [name for name, target in TARGETS.items() if target.reference != name]
    runs: dict[str, list[Paired]] = {name: [] for name in measured}
    for round_no in range(n_rounds):
        log(f"route kinds: round {round_no + 1}/{n_rounds} over {len(measured)} targets")
        shift = round_no % len(measured)
        last: tuple[str, load.LoadRun] | None = None  # the run just before, of a reference
        for name in measured[shift:] + measured[:shift]:
            reference = TARGETS[name].reference
            before = last[1] if last and last[0] == reference else load_once(reference, seconds)
            result, after = load_once(name, seconds), load_once(reference, seconds)
            runs[name].append(Paired(result, before, after))
            last = (reference, after)
    return runs


def summarize(runs: dict[str, list[Paired]]) -> dict[str, Any]:
    """Rates and latencies per target, and its ratios to its reference (by wall time and by the
    server's CPU time), round by round."""
    references = {TARGETS[name].reference for name in runs}
    by_name = {name: [p.run for p in pairs] for name, pairs in runs.items()}
    for reference in references:
        by_name[reference] = [r for name, pairs in runs.items() if TARGETS[name].reference ==
                              reference for p in pairs for r in (p.before, p.after)]  # fmt: skip
    return {
        "rate": {name: Sample.of([r.rate for r in rs]) for name, rs in by_name.items()},
        "p50_ms": {name: Sample.of([r.p50_ms for r in rs]) for name, rs in by_name.items()},
        "p99_ms": {name: Sample.of([r.p99_ms for r in rs]) for name, rs in by_name.items()},
        "ratio": {name: Sample.of([p.ratio for p in pairs]) for name, pairs in runs.items()},
        "ratio_cpu": {
            name: Sample.of([p.ratio_cpu for p in pairs]) for name, pairs in runs.items()
        },
        "tool": {name: target.tool for name, target in TARGETS.items()},
        "reference": {name: target.reference for name, target in TARGETS.items()},
        "json_routes": [name for name, target in TARGETS.items() if target.json_route],
    }


def measure(work: Path, settings: Settings) -> dict[str, Any]:
    n_rounds = 2 * settings.wrk_rounds  # effects of a few percent: twice the rounds of section 4
    with kinds_server.serve(work) as served:
        runs = rounds(served, n_rounds, settings.wrk_seconds, settings.wrk_connections)
    ab = subprocess.run([ensure_ab(), "-V"], capture_output=True, text=True, timeout=30)
    python = support.base_venv("modern") / "bin" / "python"
    facts = {"ab": ab.stdout.splitlines()[0].split(" <")[0].removeprefix("This is "),
             "jsonschema (servers)": machine.version_in(python, "jsonschema")}  # fmt: skip
    return {**summarize(runs), "facts": facts}
