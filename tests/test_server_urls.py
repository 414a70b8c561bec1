"""Routes beside the server's own: which ones collide with a URL that jupyter_server, Notebook 6,
the bundled apps or JupyterHub's single-user server serve (local_extensions.server_urls), and the
snapshot of those URLs (server_urls.json), kept honest against the live route tables."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
import support

from local_extensions import server_urls
from local_extensions.refresh_server_urls import MODULE, REFRESH_COMMAND, SKIPPED_HANDLERS, render
from local_extensions.routes import route_to_pattern
from local_extensions.sample_paths import sample_path
from local_extensions.server_urls import FLAVOURS, TRIED, collisions, server_routes


def check(namespace: str, route: str, package: str = "jupyter_hello", **kwargs) -> list[str]:
    """collisions() for ROUTE, as typed in the `handlers` answer, under `namespace`."""
    pattern = route_to_pattern(route)[0]
    full = "/" + "/".join(part for part in (namespace.strip("/"), pattern.lstrip("/")) if part)
    return collisions(full, sample_path(full), package, **kwargs)


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("namespace", "route"),
    [
        ("", "/api/metrics/v1"),  # under /api, but no server route matches it
        ("api/metrics", "/v1"),  # the same URL as a namespace
        ("api/collaboration", "/room/{room_id}"),  # jupyter_server_ydoc is in no flavour
        ("api/status", "/details"),  # below a served URL is not that URL
        ("metrics", "/v1"),  # the server serves /metrics alone
        ("lsp", "/hello"),  # jupyter-lsp serves /lsp/status and /lsp/ws/... only
        ("", "/hello"),
        ("jupyter-hello", "/hello"),  # the template's default answers
        ("jupyter-hello", "/"),
        ("jupyter-hello", "/items/{item_id}"),
    ],
)
def test_a_route_that_only_shares_a_prefix_with_served_urls_is_accepted(namespace, route):
    assert check(namespace, route) == []


@pytest.mark.parametrize(
    ("namespace", "route", "message"),
    [
        ("", "/api/{name}", "catches /api/status that the server serves"),
        ("api", "/{name}", "catches /api/status that the server serves"),
        ("", "/{name}", "catches /login that the server serves"),
        ("", "/", "catches / that the server serves"),
        ("", "/lab", "catches /lab that jupyterlab serves"),
        ("lab", "/", "catches /lab that jupyterlab serves"),
        ("", "/api/kernels/{kernel_id}", "catches /api/kernels/example-example-example-example-"),
        ("", "/api/contents/{path}", "catches /api/contents/example that the server serves"),
        ("files", "/{name}", "catches /files/example that the server serves (/files/(.*))"),
        ("", "/oauth_callback", "catches /oauth_callback that jupyterhub serves"),
        ("", "/nbextensions/{name}", "catches /nbextensions/example that nbclassic serves"),
        # a server sample's prefix followed by the rest of the route's own sample
        ("", "/{name}/hello", "catches /files/hello that the server serves"),
        ("", "/api/{name}/v1", "catches /api/contents/v1 that the server serves"),
        # Notebook 7 serves /tree(.*), /edit(.*) and /notebooks(.*): any URL that starts so
        ("edit-helper", "/hello", "catches /edit-helper/hello that notebook serves (/edit(.*))"),
    ],
)
def test_a_route_that_catches_a_served_url_is_refused_naming_it(namespace, route, message):
    assert any(m.startswith(message) for m in check(namespace, route)), check(namespace, route)


@pytest.mark.parametrize(
    ("namespace", "route", "package", "message"),
    [
        ("", "/lab/api/settings/x", "zz_ext", "never reached: jupyterlab serves /lab/api/settings/x"),
        ("", "/api/terminals/{name}", "zz_ext", "never reached: jupyter_server_terminals serves"),
        ("tree-tools", "/hello", "tree_tools", "never reached: notebook serves /tree-tools/hello"),
        # Notebook 6 registers its terminals before any extension, whatever its name
        ("", "/terminals/new", "aa_ext", "never reached: the server serves /terminals/new"),
    ],
)  # fmt: skip
def test_a_route_that_a_server_route_tried_first_serves_is_never_reached(
    namespace, route, package, message
):
    assert any(m.startswith(message) for m in check(namespace, route, package))


@pytest.mark.parametrize(
    ("package", "verdict"),
    [("aa_ext", "catches /lab/api/settings/x that jupyterlab serves"),
     ("zz_ext", "never reached: jupyterlab serves /lab/api/settings/x")],
)  # fmt: skip
def test_extensions_are_tried_in_alphabetical_order_of_their_names(package, verdict):
    assert check("", "/lab/api/settings/x", package)[0].startswith(verdict)


def test_core_routes_come_after_every_extension():
    assert check("", "/api/status", "a")[0] == "catches /api/status that the server serves"
    assert check("", "/api/status", "zzz")[0] == "catches /api/status that the server serves"


@pytest.mark.parametrize(
    ("flavours", "refused"), [(FLAVOURS, True), (("hub",), True), (("modern", "classic"), False)]
)
def test_flavours_narrow_the_check_to_the_servers_that_load_the_extension(flavours, refused):
    assert bool(check("", "/oauth_callback", flavours=flavours)) is refused


def test_each_served_url_is_named_once():
    messages = check("", "/{name}")
    assert len(messages) == len(set(messages))
    assert all(m.startswith(("catches ", "never reached: ")) for m in messages)


# --------------------------------------------------------------------------- the snapshot


def test_every_sample_is_a_url_its_pattern_matches():
    for route in server_routes():
        assert route.samples
        assert all(route.regex.fullmatch(sample) for sample in route.samples), route


def test_the_snapshot_holds_flavours_owners_and_orders_only_of_known_kinds():
    routes = server_routes()
    assert {f for r in routes for f in r.flavours} == set(FLAVOURS)
    assert {r.tried for r in routes} <= set(TRIED)
    assert all(r.pattern.startswith("/") for r in routes)
    assert not {".*/", "(.*)"} & {r.pattern for r in routes}, SKIPPED_HANDLERS
    assert {r.owner for r in routes} == {
        "core", "jupyter_lsp", "jupyter_server_terminals", "jupyterhub", "jupyterlab",
        "nbclassic", "notebook",
    }  # fmt: skip


def test_the_snapshot_is_written_sorted_one_route_a_line():
    text = server_urls.SNAPSHOT.read_text(encoding="utf-8")
    assert render(json.loads(text)) == text


def test_the_rule_needs_no_jupyter_package():
    tree = ast.parse(Path(server_urls.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported if name} <= set(sys.stdlib_module_names)


@pytest.mark.slow
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_snapshot_matches_the_live_route_tables(flavour, tmp_path):
    venv = support.base_venv(flavour)
    python = venv / "bin" / "python"
    reading = support.run(
        [str(python), "-m", MODULE, "--flavour", flavour, "--print"],
        cwd=support.TEMPLATE_DIR, env=support.venv_env(venv, tmp_path / "home"),
    )  # fmt: skip
    live = {tuple(route) for route in json.loads(reading.stdout)["routes"]}
    recorded = {(r.pattern, r.owner, r.tried) for r in server_routes() if flavour in r.flavours}
    diff = [f"+ {r}" for r in sorted(live - recorded)] + [f"- {r}" for r in sorted(recorded - live)]
    assert not diff, (
        f"server_urls.json is out of date for {flavour!r} (+ live only, - snapshot only):\n"
        + "\n".join(diff)
        + f"\nrefresh it: cd {support.TEMPLATE_DIR} && {python} -m {MODULE} --flavour {flavour}"
        f"\n(or every flavour, each in its venv: {REFRESH_COMMAND})"
    )
