"""End to end: each curated combination, installed from a wheel into its own venv, served by
real `jupyter server`, `jupyter notebook` (7), `jupyter lab` and `jupyter nbclassic` processes
under a base_url, and spoken to over HTTP on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from combinations import BY_ID, COMBINATIONS
from e2e_checks import check_every_route
from support import (
    bake,
    build_wheel,
    http,
    jupyter_server,
    overlay_venv,
    pip_install,
    run,
    venv_env,
)

from local_extensions import camel_case, command_name

pytestmark = pytest.mark.slow
BASE_URL = "/user/alice/"
COMMANDS = {
    "server": ["server"],
    "notebook7": ["notebook"],
    "lab": ["lab"],
    "nbclassic": ["nbclassic"],
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """installed(combination_id, flavour, editable) -> (Bake, venv), built once per module."""
    cache: dict[tuple, tuple] = {}

    def get(combination_id: str, flavour: str = "modern", editable: bool = False):
        key = (combination_id, flavour, editable)
        if key not in cache:
            root = tmp_path_factory.mktemp(re.sub(r"\W", "_", "-".join(map(str, key))))
            baked = bake(root / "out", BY_ID[combination_id].answers)
            venv = overlay_venv(flavour, root / "venv")
            if editable:
                pip_install(venv, "-e", str(baked.project))
            else:
                pip_install(venv, str(build_wheel(venv, baked.project, root / "dist")))
            cache[key] = (baked, venv)
        return cache[key]

    return get


def extension_list(venv: Path, home: Path) -> str:
    result = run(
        [str(venv / "bin" / "jupyter"), "server", "extension", "list"], env=venv_env(venv, home)
    )
    return ANSI.sub("", result.stdout + result.stderr)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_installing_enables_the_extension(installed, tmp_path, combination):
    baked, venv = installed(combination.id)
    package = baked.context["package_name"]
    listing = extension_list(venv, tmp_path / "home")
    assert re.search(rf"^\s*{package} enabled", listing, re.M), listing
    assert re.search(rf"^\s*{package} \S+ OK", listing, re.M), listing


@pytest.mark.parametrize("command", COMMANDS, ids=str)
@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_every_route_in_a_real_server(installed, tmp_path, combination, command):
    baked, venv = installed(combination.id)
    with jupyter_server(venv, tmp_path / "home", COMMANDS[command], base_url=BASE_URL) as server:
        assert check_every_route(server, baked, base_url=BASE_URL) > 0


def test_editable_install_is_enabled_and_serves(installed, tmp_path):
    baked, venv = installed("public+authorized-crud", editable=True)
    listing = extension_list(venv, tmp_path / "home")
    assert re.search(r"^\s*acme_inventory \S+ OK", listing, re.M), listing
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        check_every_route(server, baked, base_url=BASE_URL)


def test_server_config_trait_reaches_the_handler(installed, tmp_path):
    _baked, venv = installed("defaults")
    args = ["--JupyterHelloSettings.greeting=Hi from the command line"]
    with jupyter_server(venv, tmp_path / "home", ["server"], extra_args=args) as server:
        reply = http("GET", server.url("jupyter-hello/hello"), headers=server.auth)
        assert reply.status == 200 and reply.json()["greeting"] == "Hi from the command line"


@pytest.mark.parametrize(
    "combination", [c for c in COMBINATIONS if c.extension_app], ids=lambda c: c.id
)
def test_extension_app_command_and_trait(installed, tmp_path, combination):
    """`jupyter <name>` starts a server with the extension; --<App>.greeting reaches handlers."""
    baked, venv = installed(combination.id)
    app_class = camel_case(baked.context["package_name"]) + "App"
    command = command_name(baked.context["project_slug"])  # the console script, e.g. jupyter-hello
    assert (venv / "bin" / command).exists()
    args = [f"--{app_class}.greeting=Hi from traitlets"]
    subcommand = [command.removeprefix("jupyter-")]  # `jupyter hello` runs `jupyter-hello`
    with jupyter_server(venv, tmp_path / "home", subcommand, extra_args=args) as server:
        # the example handlers that show the greeting: a GET-only JSON route, or a page
        route = next(r for r in baked.routes if r.methods == ("GET",) and r.kind in ("api", "page"))
        reply = http("GET", server.origin + baked.url("/user/alice/", route), headers=server.auth)
        assert reply.status == 200
        assert b"Hi from traitlets" in reply.body
