"""3. Startup cost: process start to first 200 on /api/status, `jupyter server` with only the
generated extension enabled vs with no extension at all (both from overlay venvs, see servers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import servers
from common import BENCH_DIR, Settings, log, support
from stats import Sample, paired_difference


def startups(
    venvs: dict[str, tuple[Path, set[str]]], work: Path, runs: int, *, warm_up: bool = True
) -> dict[str, list[servers.Startup]]:
    """Start each server `runs` times, alternating the order; check which extensions loaded."""
    found: dict[str, list[servers.Startup]] = {name: [] for name in venvs}
    names = list(venvs)
    for run_no in range(-1 if warm_up else 0, runs):  # run -1 warms caches, is not counted
        order = names if run_no % 2 == 0 else names[::-1]
        for name in order:
            venv, expected = venvs[name]
            startup = servers.time_to_first_status(venv, work / f"home-{name}-{run_no}")
            if startup.loaded != expected:
                raise RuntimeError(
                    f"{name}: expected {sorted(expected)}, got {sorted(startup.loaded)}"
                )
            if run_no >= 0:
                found[name].append(startup)
    return found


def in_process(venv: Path, project: Path, package: str, home: Path) -> dict[str, float]:
    """Seconds a ServerApp spends adding, linking and loading `package` (probe_extension_load.py),
    run in the extension-less venv with the project importable as an editable install makes it."""
    env = {**support.venv_env(venv, home), "PYTHONPATH": str(project)}
    argv = [str(venv / "bin" / "python"), str(BENCH_DIR / "probe_extension_load.py"), package]
    output = support.run(argv, timeout=300, env=env, cwd=home).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(work: Path, settings: Settings) -> dict[str, object]:
    baked = support.bake(work / "bake", {"_verify_load": "no"})
    package = baked.context["package_name"]
    venvs = {
        "no extension": (servers.empty_venv(work / "venv-none"), set()),
        "our extension": (servers.project_venv(baked.project, work / "venv-ours"), {package}),
    }
    log(f"startup: {settings.startup_runs} starts of each server")
    found = startups(venvs, work, settings.startup_runs)
    log(f"startup: {settings.startup_runs} in-process probes of the extension's own cost")
    probes = [
        in_process(venvs["no extension"][0], baked.project, package, work / f"probe-{run_no}")
        for run_no in range(settings.startup_runs)
    ]
    wall = {name: [s.wall for s in runs] for name, runs in found.items()}
    cpu = {name: [s.cpu for s in runs] for name, runs in found.items()}
    return {
        "times": {name: Sample.of(values) for name, values in wall.items()},
        "cpu": {name: Sample.of(values) for name, values in cpu.items()},
        "added": paired_difference(wall["our extension"], wall["no extension"]),
        "added_cpu": paired_difference(cpu["our extension"], cpu["no extension"]),
        "in_process": {
            step: Sample.of([probe[step] for probe in probes])
            for step in ("import", "link", "load")
        },
        "in_process_total": Sample.of([sum(probe.values()) for probe in probes]),
    }
