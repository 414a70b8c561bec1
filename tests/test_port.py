"""Bring your own extension (local_extensions/port.py), run as the README says: from this
checkout, by the python of the extension's own environment. Every table of real_tables.py
round-trips (bake, install, the command, its answers bake the same ROUTES); on the third-party
extensions the test environment installs it reads their routes and names what the template
cannot express."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from real_tables import TABLES, Table
from support import (
    SYSTEM_PATH,
    TEMPLATE_DIR,
    UV_ENV,
    bake,
    base_venv,
    build_wheel,
    install_for_tests,
    overlay_venv,
    pip_install,
    venv_env,
)

from local_extensions.port import namespace_of, plain_pattern
from local_extensions.routes import parse_handlers

pytestmark = pytest.mark.slow


def run_port(python: Path, package: str, home: Path) -> tuple[int, dict[str, Any]]:
    """The command as a user runs it; its exit status and JSON document."""
    result = subprocess.run(
        [str(python), "-m", "local_extensions.port", package, "--json"],
        cwd=TEMPLATE_DIR, capture_output=True, text=True, timeout=300,
        env=venv_env(python.parent.parent, home),
    )  # fmt: skip
    assert result.stdout, result.stderr[-3000:]
    return result.returncode, json.loads(result.stdout)


def route_table(project: Path) -> str:
    """What routes.py registers: URL_NAMESPACE and ROUTES, as generated."""
    text = (project / project.name / "routes.py").read_text()
    return "\n".join(re.findall(r"^(?:URL_NAMESPACE = .*|    Route\(.*)$", text, re.M))


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.id)
def test_every_real_table_round_trips(tmp_path: Path, table: Table) -> None:
    baked = bake(tmp_path / "first", {**table.answers, "_verify_load": "no"})
    venv = install_for_tests(baked.project, tmp_path / "venv")
    status, found = run_port(venv / "bin" / "python", baked.context["package_name"], tmp_path)
    assert status == 0 and found["cannot_express"] == [], found
    again = bake(tmp_path / "again", {**found["answers"], "_verify_load": "no"})
    assert route_table(again.project) == route_table(baked.project)
    for key in ("auth", "extension_app", "classic_notebook"):
        assert found["answers"][key] == baked.context[key], key
    classes = {route.class_name for route in parse_handlers(table.answers["handlers"])}
    assert {source.rsplit(":", 1)[1] for source in found["modules"]} == classes
    for source, target in found["modules"].items():
        module = source.split(":")[0].replace(".", "/") + ".py"
        assert target == module  # each class goes back to the module it came from


@pytest.mark.parametrize(
    ("package", "routes", "limits"),
    [
        ("jupyter_lsp", ["GET /status", "WS /ws/(?P<language_server>.*)"],
         ["'package_name': 'jupyter_lsp' is a package of the Jupyter stack"]),
        ("jupyter_server_terminals",
         ["WS /terminals/websocket/(\\w+)", "GET,POST /api/terminals", "GET,DELETE /api/terminals/(\\w+)"],
         ["'package_name': 'jupyter_server_terminals' is a package of the Jupyter stack",
          "catches /terminals/websocket/example that notebook serves"]),
    ],
)  # fmt: skip
def test_third_party_extensions_are_read_and_their_limits_named(
    tmp_path: Path, package: str, routes: list[str], limits: list[str]
) -> None:
    status, found = run_port(base_venv("modern") / "bin" / "python", package, tmp_path)
    assert status == 1  # something cannot be expressed
    for route in routes:
        assert route in found["answers"]["handlers"], (route, found["answers"])
    for limit in limits:
        assert any(limit in line for line in found["cannot_express"]), (limit, found)
    assert any("handler arguments" in line for line in found["carry_over"])
    assert found["command"].startswith("cookiecutter --no-input ")


def test_a_package_that_is_not_installed_fails_in_one_line(tmp_path: Path) -> None:
    python = base_venv("modern") / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "local_extensions.port", "no_such_extension"],
        cwd=TEMPLATE_DIR, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().startswith("no_such_extension did not load: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("pattern", "plain"),
    [("/proxy/(?P<host>[^/]+)(?::|%3A)(?P<port>[^/]+)", "/proxy/{host}:{port}"),
     (r"/a(?:\$|%24)b/(\d+)", r"/a\$b/(\d+)"), ("/files/(.*)", "/files/(.*)")],
)  # fmt: skip
def test_registered_patterns_read_back_as_the_answer_writes_them(pattern: str, plain: str) -> None:
    assert plain_pattern(pattern) == plain
    (route,) = parse_handlers(f"GET {plain}")
    assert route.pattern == pattern


@pytest.mark.parametrize(
    ("patterns", "namespace"),
    [(["/lsp/status", "/lsp/ws/(?P<x>.*)"], "lsp"), (["/git(?P<p>.*)/add", "/git/settings"], "git"),
     (["/directories/(.*)", "/extract-archive/(.*)"], ""), (["/api/metrics/v1"], ""),
     (["/a/b", "/a/bc"], "a"), (["/ab", "/abc"], "")],
)  # fmt: skip
def test_the_namespace_is_the_whole_segments_every_route_starts_with(patterns, namespace):
    assert namespace_of(patterns, None) == namespace


def test_uvx_runs_the_command_from_a_checkout_with_the_extension(tmp_path: Path) -> None:
    """`uvx --from <checkout> --with <extension> port-jupyter-extension`, as the README says:
    the same answers as from the checkout, and a command naming this checkout."""
    venv = overlay_venv("modern", tmp_path / "venv")
    wheel = build_wheel(venv, Path(__file__).parent / "ported" / "archiver", tmp_path / "dist")
    pip_install(venv, str(wheel))
    _, from_checkout = run_port(venv / "bin" / "python", "archiver", tmp_path / "home")
    uvx = base_venv("launcher-tools") / "bin" / "uvx"
    result = subprocess.run(
        [str(uvx), "--from", str(TEMPLATE_DIR), "--with", str(wheel), "port-jupyter-extension",
         "archiver", "--json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
        env={**venv_env(venv, tmp_path / "home"), **UV_ENV, "PATH": SYSTEM_PATH},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    assert found["answers"] == from_checkout["answers"]
    assert found["command"].startswith(f"cookiecutter --no-input {TEMPLATE_DIR} ")
