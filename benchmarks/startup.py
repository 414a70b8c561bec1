"""What the extension adds to a server's start: `jupyter server` with no extension, with the
default project, and with a 100-route project, started in turn; and the extension's own share,
timed inside a server process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import harness
import servers
from harness import Sample, Settings, differences, log, ratios, rotated

#: Run in a server venv where the package is importable but not enabled: initialize a ServerApp
#: with no extension, then add, link and load the package as a server does at startup.
PROBE = """
import json, sys, time
from jupyter_server.serverapp import ServerApp
app = ServerApp(open_browser=False, reraise_server_extension_failures=True)
app.initialize(argv=[], new_httpserver=False)
assert not app.extension_manager.extensions, app.extension_manager.extensions
rules = len(app.web_app.default_router.rules)
start = time.perf_counter()
app.extension_manager.add_extension(sys.argv[1], enabled=True)  # imports it
app.extension_manager.link_extension(sys.argv[1])
app.extension_manager.load_extension(sys.argv[1])  # registers its routes
seconds = time.perf_counter() - start
assert len(app.web_app.default_router.rules) > rules, "no routes registered"
print(json.dumps(seconds))
"""


def in_process(venv: Path, project: servers.Project, home: Path) -> float:
    """Seconds a ServerApp takes to import, link and load the project's extension."""
    env = {**harness.support.venv_env(venv, home), "PYTHONPATH": str(project.path)}
    argv = [str(venv / "bin" / "python"), "-c", PROBE, project.package]
    out = harness.support.run(argv, env=env, cwd=home).stdout
    return float(json.loads(out.strip().splitlines()[-1]))


def measure(work: Path, settings: Settings) -> dict[str, Any]:
    default = servers.project(work / "default", servers.DEFAULTS)
    hundred = servers.project(work / "hundred", servers.HUNDRED)
    variants = {
        "no extension": (servers.plain_venv(work / "none"), set()),
        "default project (1 route)": (default.venv, {default.package}),
        "100 routes": (hundred.venv, {hundred.package}),
    }
    wall: dict[str, list[float]] = {name: [] for name in variants}
    probes: dict[str, list[float]] = {name: [] for name in ("1 route", "100 routes")}
    for round_no in range(-1, settings.starts):  # round -1 warms caches, is not counted
        log(f"startup: round {round_no + 1}/{settings.starts}")
        for name in rotated(list(variants), round_no):
            venv, expect = variants[name]
            seconds = servers.time_to_status(venv, work / f"home-{round_no}-{name}", expect)
            if round_no >= 0:
                wall[name].append(seconds)
        for name, project in (("1 route", default), ("100 routes", hundred)):
            seconds = in_process(variants["no extension"][0], project, work / f"probe-{round_no}")
            if round_no >= 0:
                probes[name].append(seconds)
    return {
        "seconds": {name: Sample.of(values) for name, values in wall.items()},
        "added": differences(wall["default project (1 route)"], wall["no extension"]),
        "in_process": {name: Sample.of(values) for name, values in probes.items()},
        "hundred": ratios(wall["100 routes"], wall["default project (1 route)"]),
    }
