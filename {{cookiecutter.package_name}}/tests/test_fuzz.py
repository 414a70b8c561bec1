{%- set pkg = cookiecutter.package_name -%}
"""Schemathesis against a live `jupyter server`: generated requests for every operation the
OpenAPI document describes, checked against the document; sockets and streams, which a request
fuzzer cannot call, get every method they do not serve. The server's log must stay free of
tracebacks and 5xx answers.

    pip install -e ".[test,fuzz]"
    pytest -m fuzz

It runs the server in a subprocess: schemathesis makes blocking calls, which must not run on the
test's own event loop. This file belongs to the template.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.utils import url_path_join

from {{ pkg }}.routes import URL_NAMESPACE

pytestmark = pytest.mark.fuzz
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,unsupported_method"
)
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
#: WebSockets and event streams are described, but not something a request fuzzer can call.
NOT_FUZZED = {"websocket", "event-stream"}
#: Methods a socket or stream does not serve, Tornado's unknown ones included.
OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "QUERY")
#: What must never appear in the server's log.
SERVER_ERRORS = re.compile(r"Traceback|Uncaught exception| 5\d\d [A-Z]+ /")


@dataclass
class Server:
    url: str
    token: str
    log: Path

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def errors(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if SERVER_ERRORS.search(line)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `jupyter server` with the extension, strict auth, on 127.0.0.1."""
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
    running = Server(f"http://127.0.0.1:{port}", token, home / "server.log")
    with running.log.open("wb") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(running, process)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_for(server: Server, process: subprocess.Popen[bytes]) -> None:
    request = urllib.request.Request(f"{server.url}/api/status", headers=server.auth)
    for _ in range(240):
        if process.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("jupyter server did not answer within a minute")


@pytest.fixture(scope="module")
def document_url(server: Server) -> str:
    return server.url + url_path_join("/", URL_NAMESPACE, "openapi.json")


@pytest.fixture(scope="module")
def document(server: Server, document_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(urllib.request.Request(document_url, headers=server.auth)) as got:
        return dict(json.load(got))


def operations(document: dict[str, Any], tags: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """(path, operation) for each operation of the document with one of `tags`."""
    return [
        (path, operation)
        for path, methods in document["paths"].items()
        for operation in methods.values()
        if tags & set(operation.get("tags", []))
    ]


def test_schemathesis_finds_nothing(
    server: Server, document_url: str, document: dict[str, Any], tmp_path: Path
) -> None:
    if importlib.util.find_spec("schemathesis") is None:
        pytest.skip('schemathesis is not installed: pip install -e ".[test,fuzz]"')
    tags = {tag for _, operation in operations(document, NOT_FUZZED) for tag in operation["tags"]}
    skipped = [arg for tag in sorted(tags) for arg in ("--exclude-tag", tag)]
    result = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", document_url, "--checks", CHECKS,
            "--header", f"Authorization: token {server.token}", "--max-examples", str(MAX_EXAMPLES),
            *skipped, "--seed", "1", "--report", "junit", "--report-dir", str(tmp_path),
        ],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,  # its .schemathesis/ goes there
    )  # fmt: skip
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert server.errors() == []


def test_sockets_and_streams_refuse_every_other_method(
    server: Server, document: dict[str, Any]
) -> None:
    for path, operation in operations(document, NOT_FUZZED):
        for parameter in operation["parameters"]:
            path = path.replace("{" + parameter["name"] + "}", parameter["example"])
        for method in OTHER_METHODS:
            request = urllib.request.Request(
                server.url + path, method=method, headers=server.auth, data=b"{}"
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            refused.value.close()
            assert refused.value.code == 405, (method, path)
    assert server.errors() == []
