"""classic_notebook=yes: the package loads in Notebook 6 (`notebook<7`) through the original API,
enabled by its config.d file, by `--NotebookApp.nbserver_extensions` or by
`jupyter_notebook_config.py`, and serves every route there."""

from __future__ import annotations

import pytest
from combinations import COMBINATIONS
from e2e_checks import check_every_route
from support import bake, build_wheel, http, jupyter_server, overlay_venv, pip_install

pytestmark = pytest.mark.slow
CLASSIC = [c for c in COMBINATIONS if c.classic]


@pytest.fixture(scope="module")
def classic_install(tmp_path_factory):
    cache: dict[str, tuple] = {}

    def get(combination):
        if combination.id not in cache:
            root = tmp_path_factory.mktemp(combination.id.replace("=", "_"))
            baked = bake(root / "out", combination.answers)
            venv = overlay_venv("classic", root / "venv")
            pip_install(venv, str(build_wheel(venv, baked.project, root / "dist")))
            cache[combination.id] = (baked, venv)
        return cache[combination.id]

    return get


def enabling_file(venv, package):
    return venv / "etc" / "jupyter" / "jupyter_notebook_config.d" / f"{package}.json"


@pytest.mark.parametrize("base_url", ["/", "/user/alice/"])
@pytest.mark.parametrize("combination", CLASSIC, ids=lambda c: c.id)
def test_enabled_by_installing(classic_install, tmp_path, combination, base_url):
    baked, venv = classic_install(combination)
    assert enabling_file(venv, baked.context["package_name"]).exists()
    with jupyter_server(
        venv, tmp_path / "home", ["notebook"], base_url=base_url, app="NotebookApp"
    ) as server:
        assert "Jupyter Notebook 6." in server.log()
        check_every_route(server, baked, base_url=base_url)


@pytest.mark.parametrize("how", ["command-line", "config-file", "not-enabled"])
@pytest.mark.parametrize("combination", CLASSIC, ids=lambda c: c.id)
def test_enabled_the_way_the_original_docs_say(classic_install, tmp_path, combination, how):
    baked, venv = classic_install(combination)
    package = baked.context["package_name"]
    home = tmp_path / "home"
    args = []
    if how == "command-line":
        args = [f"--NotebookApp.nbserver_extensions={{'{package}': True}}"]
    elif how == "config-file":
        (home / ".jupyter").mkdir(parents=True)
        (home / ".jupyter" / "jupyter_notebook_config.py").write_text(
            f"c = get_config()\nc.NotebookApp.nbserver_extensions = {{\n    {package!r}: True,\n}}\n"
        )
    # without the file pip installed, only the way under test can enable the extension
    enabling_file(venv, package).rename(tmp_path / "disabled.json")
    try:
        with jupyter_server(venv, home, ["notebook"], app="NotebookApp", extra_args=args) as server:
            if how == "not-enabled":
                route = baked.routes[0]
                reply = http(
                    "GET", server.origin + baked.url("/user/alice/", route), headers=server.auth
                )
                assert reply.status == 404
            else:
                check_every_route(server, baked, base_url="/user/alice/")
    finally:
        (tmp_path / "disabled.json").rename(enabling_file(venv, package))
