"""Route tables shaped like real extensions (a metrics endpoint under /api, jupyterlab-git's 40+
path-regex routes, jupyter-server-proxy's host:port and catch-all paths, a dashboard mixing pages,
static files, sockets and streams) bake, route their own URLs to the intended class with the
intended arguments in a real jupyter_server, and pass their generated suites."""

from __future__ import annotations

import re
import sys

import pytest
from real_tables import TABLES, Table
from support import bake, install_for_tests, run_generated_suite

from local_extensions import post_gen
from local_extensions.routes import parse_handlers


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.id)
def test_every_route_of_the_table_parses(table: Table) -> None:
    routes = parse_handlers(table.answers["handlers"])
    assert len({r.class_name for r in routes}) == len(routes)
    for route in routes:
        assert re.fullmatch(route.pattern, route.sample_path)


def test_the_git_table_is_as_long_as_the_real_one() -> None:
    (git,) = [t for t in TABLES if t.id == "git-path-regex"]
    assert len(parse_handlers(git.answers["handlers"])) >= 40


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.id)
def test_urls_reach_the_intended_class_with_the_intended_arguments(tmp_path, table: Table) -> None:
    baked = bake(tmp_path / "out", table.answers)
    by_class = {route.class_name: route for route in baked.routes}
    plan = post_gen.verification_plan(baked.project, baked.context)
    plan["base_url"] = "/"
    plan["routes"] = [
        {
            "route": url,
            "url": url,
            "class_name": name,
            "methods": list(by_class[name].methods),
            "params": list(arguments),
            "sample_params": arguments,
        }
        for url, name, arguments in table.routed
    ]
    post_gen.run_load_check(sys.executable, plan)  # raises, naming each URL routed elsewhere


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.id)
def test_the_generated_suite_passes(tmp_path, table: Table) -> None:
    baked = bake(tmp_path / "out", table.answers)
    venv = install_for_tests(baked.project, tmp_path / "venv")
    result = run_generated_suite(baked.project, venv)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
