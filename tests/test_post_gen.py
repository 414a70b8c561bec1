"""The post-generation hook: optional files, compile and load checks, and what it does when
jupyter_server is not where cookiecutter runs."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from support import TEMPLATE_DIR, bake, base_venv

from local_extensions import post_gen

ROUTES_TEMPLATE = Path(
    "{{cookiecutter.package_name}}", "{{cookiecutter.package_name}}", "routes.py"
)
HANDLERS_TEMPLATES = ROUTES_TEMPLATE.with_name("handlers") / "_templates"


def broken_template(tmp_path: Path, relative: Path, old: str, new: str) -> Path:
    """A copy of this template with one generated file sabotaged."""
    copy = tmp_path / "template"
    shutil.copytree(
        TEMPLATE_DIR, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv")
    )
    target = copy / relative
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    return copy


def bake_template(template: Path, out: Path, answers: dict | None = None):
    import subprocess

    argv = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(out), str(template)]
    argv += [f"{k}={v}" for k, v in (answers or {}).items()]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def test_route_table_that_registers_nothing_fails_the_bake(tmp_path):
    template = broken_template(
        tmp_path,
        ROUTES_TEMPLATE,
        "for route in ROUTES),",
        "for route in ROUTES[:0]),",
    )
    result = bake_template(template, tmp_path / "out")
    assert result.returncode == 1
    assert "ERROR: the generated project is broken: load check failed" in result.stderr
    assert "reaches" in result.stderr and "not jupyter_hello.HelloWorldHandler" in result.stderr
    assert not (tmp_path / "out" / "jupyter_hello").exists()


def test_handler_without_auth_decorator_fails_the_bake(tmp_path):
    template = broken_template(
        tmp_path,
        HANDLERS_TEMPLATES / "_common.jinja",
        """    @{{ "ws_authenticated" if handler.kind == "ws" else names.web ~ ".authenticated" }}""",
        "",
    )
    result = bake_template(template, tmp_path / "out")
    assert result.returncode == 1
    assert "JupyterServerAuthWarning" in result.stderr
    assert "HelloWorldHandler" in result.stderr


def test_generated_syntax_error_fails_the_bake(tmp_path):
    template = broken_template(
        tmp_path, ROUTES_TEMPLATE, "-> list[HandlerRule]:", "-> list[HandlerRule]"
    )
    result = bake_template(template, tmp_path / "out")
    assert result.returncode == 1
    assert re.search(r"routes\.py does not compile", result.stderr)


def test_load_check_reports_a_wrong_method_set(tmp_path):
    baked = bake(tmp_path / "out", {"_verify_load": "no", "handlers": "GET,POST /items"})
    answers = baked.context | {"handlers": "GET,POST,DELETE /items"}
    with pytest.raises(post_gen.VerificationError, match=r"serves \['GET', 'POST'\], expected"):
        post_gen.run_load_check(sys.executable, post_gen.verification_plan(baked.project, answers))


def test_load_check_leaves_no_bytecode(tmp_path):
    baked = bake(tmp_path / "out")
    assert "Load check passed" in baked.stdout
    assert not list(baked.project.rglob("__pycache__"))


@pytest.mark.parametrize(
    ("answers", "env"),
    [({"_verify_load": "no"}, {}), ({}, {post_gen.SKIP_ENV: "1"})],
    ids=["answer", "environment"],
)
def test_load_check_can_be_skipped(tmp_path, answers, env):
    baked = bake(tmp_path / "out", answers, env=env)
    assert "Load check skipped (asked for)" in baked.stdout


def test_summary_shows_routes_patterns_and_next_steps(tmp_path):
    baked = bake(
        tmp_path / "out", {"handlers": "GET /hello; GET,PUT /items/{item_id}; GET /ping public"}
    )
    out = baked.stdout
    assert (
        "{base_url}jupyter-hello/items/(?P<item_id>[^/]+)  -> ItemsItemIdHandler (api, authorized)"
        in out
    )
    assert "/ping  -> PingHandler (api, public)" in out
    for step in ('pip install -e ".[test]"', "pytest", "jupyter server"):
        assert step in out


@pytest.mark.parametrize(
    ("answers", "removed", "kept"),
    [
        ({}, [".github-absent-never"], [".github/workflows/ci.yml", "jupyter-config/server-config/jupyter_hello.json"]),
        ({"github_actions": "no"}, [".github"], []),
        ({}, ["jupyter-config/nb-config", "jupyter_hello/classic.py", "jupyter_hello/app.py"], ["jupyter_hello/settings.py"]),
        ({"classic_notebook": "yes"}, [], ["jupyter-config/nb-config/jupyter_hello.json", "jupyter_hello/classic.py"]),
        ({"extension_app": "yes"}, ["jupyter_hello/templates"], ["jupyter_hello/app.py", "jupyter_hello/settings.py"]),
        ({}, ["jupyter_hello/static", "tests/test_contract_static.py", "tests/test_contract_realtime.py", "jupyter_hello/handlers/handler.py.jinja", "tests/test_behaviour.py.jinja"], ["jupyter_hello/handlers/hello_world.py", "tests/test_behaviour_hello_world.py", "tests/test_contract.py", "jupyter_hello/py.typed"]),
        ({"handlers": "STATIC /assets; WS /chat; GET /ping public"}, [], ["jupyter_hello/static/hello.txt", "tests/test_contract_static.py", "tests/test_contract_realtime.py", "jupyter_hello/handlers/chat.py", "tests/test_behaviour_ping.py"]),
    ],
    ids=["defaults", "no-actions", "no-classic-no-app", "classic", "app-without-pages", "one-module-per-handler", "static-and-realtime"],
)  # fmt: skip
def test_optional_files(tmp_path, answers, removed, kept):
    project = bake(tmp_path / "out", {"_verify_load": "no", **answers}).project
    for relative in removed:
        assert not (project / relative).exists(), relative
    for relative in kept:
        assert (project / relative).exists(), relative


@pytest.mark.slow
def test_without_jupyter_server_the_bake_succeeds_and_says_what_it_skipped(tmp_path):
    """cookiecutter installed alone (as with pipx or uvx), no jupyter-server on PATH."""
    python = str(base_venv("cookiecutter-only") / "bin" / "python")
    env = {"PATH": f"{Path(python).parent}:/usr/bin:/bin"}
    baked = bake(tmp_path / "out", python=python, env=env)
    assert (
        "Load check skipped: no jupyter_server in this Python and no `jupyter-server` on PATH"
        in baked.stdout
    )
    assert 'pip install -e ".[test]" && pytest' in baked.stdout
    assert (baked.project / "pyproject.toml").exists()


@pytest.mark.slow
def test_without_jupyter_server_it_uses_the_jupyter_server_on_path(tmp_path):
    python = str(base_venv("cookiecutter-only") / "bin" / "python")
    jupyter_bin = base_venv("modern") / "bin"
    env = {"PATH": f"{Path(python).parent}:{jupyter_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    baked = bake(tmp_path / "out", python=python, env=env)
    assert (
        f"Load check passed: the extension loads in jupyter_server ({jupyter_bin}" in baked.stdout
    )
