"""4. Request cost: generated GET routes vs jupyter_server's own /api/status vs a bare Tornado app.

One server process holds the extension baked from ROUTES; its first route's GET awaits
asyncio.to_thread (the template's example of keeping blocking work off the loop), the second is
a plain GET. All targets get the same wrk settings, round after round, side by side.
"""

from __future__ import annotations

from pathlib import Path

import load
import servers
from common import Settings, support
from stats import Sample, paired_ratio

ROUTES = "GET /hello HelloWorldHandler; GET /items"
STATUS = "jupyter_server /api/status"
HELLO = "bare Tornado hello"
TO_THREAD = "generated GET /hello (to_thread)"
PLAIN = "generated GET /items (plain)"


def summarize(runs: dict[str, list[load.LoadRun]], reference: str) -> dict[str, object]:
    """Rates, latencies, and per-round rate ratios to `reference` (by wall time and by the
    server's CPU time)."""
    rates = {name: [r.rate for r in results] for name, results in runs.items()}
    per_cpu = {name: [r.per_cpu_second for r in results] for name, results in runs.items()}
    return {
        "rate": {name: Sample.of(values) for name, values in rates.items()},
        "per_cpu": {name: Sample.of(values) for name, values in per_cpu.items()},
        "ratio_cpu": {
            name: paired_ratio(values, per_cpu[reference]) for name, values in per_cpu.items()
        },
        "p50_ms": {name: Sample.of([r.p50_ms for r in results]) for name, results in runs.items()},
        "p99_ms": {name: Sample.of([r.p99_ms for r in results]) for name, results in runs.items()},
        "ratio": {name: paired_ratio(values, rates[reference]) for name, values in rates.items()},
    }


def measure(work: Path, settings: Settings) -> dict[str, object]:
    baked = support.bake(work / "bake", {"handlers": ROUTES, "_verify_load": "no"})
    package = baked.context["package_name"]
    venv = servers.project_venv(baked.project, work / "venv")
    hello_python = support.base_venv("modern") / "bin" / "python"  # the servers' own Tornado
    with (
        servers.jupyter(venv, work / "home", expect={package}) as server,
        servers.tornado_hello(hello_python, work / "hello") as (hello_url, hello_pid),
    ):
        hello, items = baked.routes
        pid = server.process.pid  # `jupyter server` execs jupyter-server: the same process
        targets: dict[str, load.Target] = {
            HELLO: (hello_url, {}, hello_pid),
            STATUS: (server.url("api/status"), server.auth, pid),
            TO_THREAD: (server.url(baked.url("/", hello)), server.auth, pid),
            PLAIN: (server.url(baked.url("/", items)), server.auth, pid),
        }
        runs = load.rounds(
            targets, settings.wrk_rounds, settings.wrk_seconds, settings.wrk_connections,
            label="requests",
        )  # fmt: skip
    result = summarize(runs, STATUS)
    to_hello = summarize(runs, HELLO)
    result["ratio_to_hello"], result["ratio_cpu_to_hello"] = (
        to_hello["ratio"],
        to_hello["ratio_cpu"],
    )
    return result
