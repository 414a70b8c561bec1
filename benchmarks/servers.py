"""The projects and servers the benchmarks measure: baked copies of the template, each installed
(editable) in an overlay venv on the tests' cached 'modern' venv, and `jupyter server` on
127.0.0.1 with token auth. Only what was installed into the overlay venv is enabled (not the
base venv's jupyterlab, notebook...); the server log is checked for exactly the expected
extensions.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness
from harness import BENCH

#: One route of each kind the performance goals name, plus a plain GET, a WebSocket and a PUT.
KINDS = ("GET /hello HelloWorldHandler; GET,POST /items; GET,PUT /items/{item_id}; "
         "WS /rooms/{room_id}; SSE /jobs/{job_id}/progress; STATIC /assets")  # fmt: skip
DEFAULTS: dict[str, str] = {}  # the template's default answers: one route, GET /hello
#: 100 routes, the default one last: Tornado tries routes in order, so it is matched last.
HUNDRED = {"handlers": "; ".join([*(f"GET /route{i}" for i in range(1, 100)),
                                  "GET /hello HelloWorldHandler"]), "project_name": "Bench 100"}  # fmt: skip
EXAMPLE_PAUSE = "await asyncio.sleep(0.2)"  # the event-stream example's stand-in for work
FIRST_AT_ONCE = "step > 1 and await asyncio.sleep(0.2)"
_LOADED = re.compile(r"(\S+) \| extension was successfully loaded")


@dataclass(frozen=True)
class Project:
    path: Path
    package: str
    namespace: str  # the URL path of its routes, e.g. "jupyter-hello/"
    venv: Path


def project(work: Path, answers: dict[str, str], *, bare: bool = False) -> Project:
    """Bake `answers` (no load check), install the project in an overlay venv of its own, and
    with `bare` the reference handlers of bare_handlers.py too."""
    baked = harness.support.bake(work / "bake", {**answers, "_verify_load": "no"})
    package = baked.context["package_name"]
    for module in (baked.project / package / "handlers").glob("*progress.py"):
        # time the stream, not the example's stand-in for work: no pause before the first event
        text = module.read_text()
        if EXAMPLE_PAUSE not in text:
            raise RuntimeError(f"{module.name} no longer pauses with {EXAMPLE_PAUSE}")
        module.write_text(text.replace(EXAMPLE_PAUSE, FIRST_AT_ONCE))
    venv = plain_venv(work / "venv")
    harness.support.pip_install(venv, "-e", str(baked.project))
    if bare:
        site = harness.support.site_packages(venv)
        shutil.copy(BENCH / "bare_handlers.py", site / "bare_handlers.py")
        config = venv / "etc" / "jupyter" / "jupyter_server_config.d"
        config.mkdir(parents=True, exist_ok=True)
        enable = {"ServerApp": {"jpserver_extensions": {"bare_handlers": True}}}
        (config / "bare_handlers.json").write_text(json.dumps(enable))
    return Project(baked.project, package, baked.namespace.strip("/") + "/", venv)


def plain_venv(path: Path) -> Path:
    """An overlay venv with no server extension enabled: the files by which the base venv's
    bundled extensions (jupyterlab, notebook...) enable themselves are not carried over."""
    venv = harness.support.overlay_venv("modern", path)
    shutil.rmtree(venv / "etc" / "jupyter", ignore_errors=True)
    return venv


def extensions(log_text: str) -> set[str]:
    return set(_LOADED.findall(log_text))


@contextlib.contextmanager
def serve(venv: Path, home: Path, expect: set[str], static: Path | None = None
          ) -> Iterator[Any]:  # fmt: skip
    """A running `jupyter server` (tests/support.jupyter_server, base_url '/'); `static` is added
    to the server's own static search path (ServerApp.extra_static_paths)."""
    extra = [f"--ServerApp.extra_static_paths={json.dumps([str(static)])}"] if static else []
    with harness.support.jupyter_server(venv, home, ["server"], base_url="/",
                                        extra_args=extra) as server:  # fmt: skip
        if extensions(server.log()) != expect:
            raise RuntimeError(f"expected {sorted(expect)} loaded:\n{server.log()}")
        yield server


def time_to_status(venv: Path, home: Path, expect: set[str]) -> float:
    """Seconds from starting `jupyter server` to its first 200 on /api/status (probed every
    5 ms); the server is stopped afterwards."""
    support = harness.support
    env = support.venv_env(venv, home)
    port, token = support.free_port(), secrets.token_hex(16)
    (home / "notebooks").mkdir(parents=True, exist_ok=True)
    argv = [str(venv / "bin" / "jupyter"), "server", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.token={token}", f"--ServerApp.root_dir={home / 'notebooks'}"]  # fmt: skip
    url, auth = f"http://127.0.0.1:{port}/api/status", {"Authorization": f"token {token}"}
    log = home / "server.log"
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=home)
    try:
        while True:
            with contextlib.suppress(OSError):
                if support.http("GET", url, headers=auth, timeout=10).status == 200:
                    seconds = time.perf_counter() - start
                    break
            if process.poll() is not None or time.perf_counter() - start > 120:
                raise RuntimeError(f"jupyter server did not start:\n{log.read_text()}")
            time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=30)
    if extensions(log.read_text(errors="replace")) != expect:
        raise RuntimeError(f"expected {sorted(expect)} loaded:\n{log.read_text()}")
    return seconds
