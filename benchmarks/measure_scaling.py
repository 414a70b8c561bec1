"""5. Route-table scaling: projects with 1, 10 and 100 GET routes; bake time, startup time (and
the extension's own share of it, as in section 3), and request rate of the first and the last route (plus /api/status, which Tornado matches only after
every extension route). Route counts are interleaved so that they share the machine's load.

The first route's GET awaits asyncio.to_thread (the template's example); the others are plain:
compare first with first and last with last across route counts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import load
import measure_bake
import measure_startup
import servers
from common import Settings, log, support
from measure_requests import summarize
from stats import Sample, paired_ratio

COUNTS = (1, 10, 100)


def label(count: int) -> str:
    return f"{count} route{'s' if count > 1 else ''}"


def answers(count: int) -> dict[str, str]:
    return {
        "project_name": f"Bench Routes {count}",
        "handlers": "; ".join(f"GET /route{i}" for i in range(1, count + 1)),
    }


def bake_times(work: Path, runs: int) -> dict[int, list[float]]:
    times: dict[int, list[float]] = {count: [] for count in COUNTS}
    for run_no in range(runs):
        log(f"scaling: bake round {run_no + 1}/{runs}")
        shift = run_no % len(COUNTS)
        for count in COUNTS[shift:] + COUNTS[:shift]:
            times[count].append(measure_bake.timed_bake(work / "bake", answers(count), verify=True))
    return times


def same_kind_ratios(runs: dict[str, list[load.LoadRun]], figure: str) -> dict[str, Sample]:
    """Each target's `figure` (a LoadRun property) over that of the same kind of target (first,
    last, /api/status) in the project with the fewest routes, round by round: flat means 1."""
    rates = {name: [getattr(r, figure) for r in results] for name, results in runs.items()}
    ratios = {}
    for name, values in rates.items():
        kind = name.split(": ", 1)[1]
        reference = next(n for n in rates if n.endswith(f": {kind}"))  # fewest routes come first
        ratios[name] = paired_ratio(values, rates[reference])
    return ratios


def measure(work: Path, settings: Settings) -> dict[str, object]:
    bake = bake_times(work, settings.scaling_runs)
    projects = {
        count: support.bake(work / f"project-{count}", {**answers(count), "_verify_load": "no"})
        for count in COUNTS
    }
    venvs = {
        count: servers.project_venv(baked.project, work / f"venv-{count}")
        for count, baked in projects.items()
    }
    packages = {count: baked.context["package_name"] for count, baked in projects.items()}
    log(f"scaling: {settings.scaling_runs} starts of each server")
    starts = measure_startup.startups(
        {f"{count}": (venvs[count], {packages[count]}) for count in COUNTS},
        work, settings.scaling_runs, warm_up=False,  # section 3 has just warmed the same files
    )  # fmt: skip
    log(f"scaling: {settings.scaling_runs} in-process probes of each extension")
    bare = servers.empty_venv(work / "venv-none")
    probes: dict[int, list[float]] = {count: [] for count in COUNTS}
    for run_no in range(settings.scaling_runs):
        for count in COUNTS:
            probe = measure_startup.in_process(
                bare, projects[count].project, packages[count], work / f"probe-{count}-{run_no}"
            )
            probes[count].append(sum(probe.values()))
    with contextlib.ExitStack() as stack:
        targets: dict[str, load.Target] = {}
        for count in COUNTS:
            server = stack.enter_context(
                servers.jupyter(venvs[count], work / f"home-{count}", expect={packages[count]})
            )
            baked, pid = projects[count], server.process.pid
            first, last = baked.routes[0], baked.routes[-1]
            name = label(count)
            targets[f"{name}: first"] = (server.url(baked.url("/", first)), server.auth, pid)
            if count > 1:
                targets[f"{name}: last"] = (server.url(baked.url("/", last)), server.auth, pid)
            if count in (COUNTS[0], COUNTS[-1]):
                targets[f"{name}: /api/status"] = (server.url("api/status"), server.auth, pid)
        runs = load.rounds(
            targets, settings.scaling_rounds, settings.wrk_seconds, settings.wrk_connections,
            label="scaling",
        )  # fmt: skip
    requests = summarize(runs, f"{label(COUNTS[0])}: first")
    requests["ratio"] = same_kind_ratios(runs, "rate")
    requests["ratio_cpu"] = same_kind_ratios(runs, "per_cpu_second")
    wall = {count: [s.wall for s in starts[f"{count}"]] for count in COUNTS}
    cpu = {count: [s.cpu for s in starts[f"{count}"]] for count in COUNTS}
    times = {"bake": bake, "startup": wall, "startup_cpu": cpu}
    return {
        **{key: {c: Sample.of(v) for c, v in values.items()} for key, values in times.items()},
        "in_process": {count: Sample.of(values) for count, values in probes.items()},
        "ratio": {  # over the fewest routes, run by run
            key: {c: paired_ratio(v, values[COUNTS[0]]) for c, v in values.items()}
            for key, values in times.items()
        },
        "requests": requests,
    }
