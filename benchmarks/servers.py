"""Environments and server processes to measure: isolated `jupyter server`s and a bare Tornado app.

Every server runs from an overlay venv (tests/support.py) on the cached 'modern' flavour: its own
sys.prefix, so its etc/jupyter holds only what was installed into it. The bundled extensions of the
base venv (jupyterlab, notebook, nbclassic, terminals, lsp, notebook_shim) are importable there but
not enabled; `loaded_extensions()` checks that from the server log.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from common import BENCH_DIR, cpu_seconds, support

POLL_INTERVAL = 0.005  # seconds between readiness probes while timing a start
STARTUP_TIMEOUT = 120
_LOADED = re.compile(r"(\S+) \| extension was successfully loaded")


def empty_venv(path: Path) -> Path:
    """A server environment with no extension enabled."""
    return support.overlay_venv("modern", path)


def project_venv(project: Path, path: Path) -> Path:
    """A server environment with `project` installed (editable, as its README says)."""
    venv = support.overlay_venv("modern", path)
    support.pip_install(venv, "-e", str(project))
    return venv


def loaded_extensions(log_text: str) -> set[str]:
    return set(_LOADED.findall(log_text))


def _server_argv(venv: Path, home: Path, port: int, token: str) -> list[str]:
    root_dir = home / "notebooks"
    root_dir.mkdir(parents=True, exist_ok=True)
    return [
        str(venv / "bin" / "jupyter"), "server", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}", "--ServerApp.base_url=/", f"--ServerApp.root_dir={root_dir}",
    ]  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Startup:
    wall: float  # seconds from starting the process to its first 200 on /api/status
    cpu: float  # CPU seconds the server process used by then (less sensitive to machine load)
    loaded: frozenset[str]  # extensions the server log says were loaded


def time_to_first_status(venv: Path, home: Path) -> Startup:
    """Start `jupyter server`, time it to its first 200 on /api/status, then stop it.
    (`jupyter server` execs `jupyter-server` in the same process: one pid throughout.)"""
    env = support.venv_env(venv, home)
    port, token = support.free_port(), secrets.token_hex(16)
    argv = _server_argv(venv, home, port, token)
    url = f"http://127.0.0.1:{port}/api/status"
    headers = {"Authorization": f"token {token}"}
    log_path = home / f"startup-{port}.log"
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
    try:
        while True:
            with contextlib.suppress(OSError):
                if support.http("GET", url, headers=headers, timeout=10).status == 200:
                    wall = time.perf_counter() - start
                    cpu = cpu_seconds(process.pid)
                    break
            if process.poll() is not None or time.perf_counter() - start > STARTUP_TIMEOUT:
                raise RuntimeError(f"jupyter server did not start:\n{log_path.read_text()}")
            time.sleep(POLL_INTERVAL)
    finally:
        _stop(process)
    loaded = loaded_extensions(log_path.read_text(errors="replace"))
    return Startup(wall, cpu, frozenset(loaded))


@contextlib.contextmanager
def jupyter(venv: Path, home: Path, expect: set[str]) -> Iterator[support.Server]:
    """A running `jupyter server` (support.jupyter_server) at base_url '/', refusing to go on
    unless exactly the `expect`ed extensions were loaded."""
    with support.jupyter_server(venv, home, ["server"], base_url="/") as server:
        loaded = loaded_extensions(server.log())
        if loaded != expect:
            raise RuntimeError(
                f"expected extensions {sorted(expect)}, the log shows {sorted(loaded)}"
            )
        yield server


@contextlib.contextmanager
def tornado_hello(python: Path, home: Path) -> Iterator[tuple[str, int]]:
    """The bare Tornado app, run by `python` (the same Tornado as the servers); yields its URL
    and process id."""
    port = support.free_port()
    url = f"http://127.0.0.1:{port}/"
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "tornado-hello.log", "wb") as log:
        process = subprocess.Popen(
            [str(python), str(BENCH_DIR / "hello_app.py"), str(port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=home,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if support.http("GET", url, timeout=5).status == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Tornado hello app did not start")
            time.sleep(0.05)
        yield url, process.pid
    finally:
        _stop(process)
