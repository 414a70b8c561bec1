{%- set pkg = cookiecutter.package_name -%}
"""Schemathesis against a live `jupyter server`: generated requests for every operation the
OpenAPI document describes (sockets and streams excepted), checked against the document.

    pip install -e ".[test,fuzz]"
    pytest -m fuzz

It runs the server in a subprocess: schemathesis makes blocking calls, which must not run on the
test's own event loop. This file belongs to the template.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,unsupported_method"
)
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
#: WebSockets and event streams are described, but not something a request fuzzer can call.
NOT_FUZZED = {"websocket", "event-stream"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real `jupyter server` with the extension, strict auth, on 127.0.0.1: (URL, token)."""
    home = tmp_path_factory.mktemp("fuzz-home")
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    argv = [
        sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}",
        "--ServerApp.allow_unauthenticated_access=False",
        "--ServerApp.jpserver_extensions={'{{ pkg }}': True}",
    ]  # fmt: skip
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/api/status", token, process)
        yield url, token
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def wait_for(url: str, token: str, process: subprocess.Popen[bytes]) -> None:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    for _ in range(240):
        if process.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("jupyter server did not answer within a minute")


def test_schemathesis_finds_nothing(server: tuple[str, str], tmp_path: Path) -> None:
    from {{ pkg }}.routes import URL_NAMESPACE

    if importlib.util.find_spec("schemathesis") is None:
        pytest.skip('schemathesis is not installed: pip install -e ".[test,fuzz]"')
    url, token = server
    document_url = f"{url}/{URL_NAMESPACE}/openapi.json".replace("//openapi", "/openapi")
    auth = {"Authorization": f"token {token}"}
    request = urllib.request.Request(document_url, headers=auth)
    with urllib.request.urlopen(request, timeout=10) as answer:
        document = json.load(answer)
    operations = [op for path in document["paths"].values() for op in path.values()]
    tags = {tag for operation in operations for tag in operation.get("tags", [])}
    skipped = [arg for tag in sorted(tags & NOT_FUZZED) for arg in ("--exclude-tag", tag)]
    result = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", document_url, "--checks", CHECKS,
            "--header", f"Authorization: token {token}", "--max-examples", str(MAX_EXAMPLES),
            *skipped, "--seed", "1", "--report", "junit", "--report-dir", str(tmp_path),
        ],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
