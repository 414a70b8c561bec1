"""Mutation checks of the generated suite: strip the auth decorators from a baked handlers.py and
the project's own tests must notice. A suite that still passed would prove nothing about auth."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import Bake, bake, install_for_tests, run_generated_suite

pytestmark = pytest.mark.slow

ANSWERS = {
    "project_name": "Mutant Store",
    "auth": "authorized",
    "handlers": "GET /hello; GET,POST /items; GET,PUT,DELETE /items/{item_id}",
}
AUTHENTICATED = "    @web.authenticated\n"
AUTHORIZED = "    @authorized\n"


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Bake:
    return bake(tmp_path_factory.mktemp("mutation") / "out", ANSWERS)


def mutant(baked: Bake, where: Path, mutate: Callable[[str], str] | None) -> Path:
    """A copy of the baked project, with handlers.py rewritten by `mutate(text) -> text`."""
    project = where / baked.project.name
    shutil.copytree(baked.project, project)
    if mutate is None:
        return project
    handlers = project / baked.context["package_name"] / "handlers.py"
    original = handlers.read_text()
    changed = mutate(original)
    assert changed != original, "the mutation changed nothing"
    handlers.write_text(changed)
    return project


def run_suite(project: Path, where: Path):
    venv = install_for_tests(project, where / "venv")
    return run_generated_suite(project, venv)


def failed_tests(stdout: str) -> set[str]:
    """Node ids after FAILED/ERROR in the short summary (the generated project runs with -ra)."""
    return set(re.findall(r"^(?:FAILED|ERROR) (\S+)", stdout, re.MULTILINE))


def private_calls(baked: Bake) -> list[str]:
    """The test ids the generated test_authorization.py gives each (path, method) it checks."""
    return [f"{r.sample_path}-{m}" for r in baked.routes if not r.public for m in r.methods]


def test_unmodified_suite_passes(baked, tmp_path):
    handlers = (baked.project / baked.context["package_name"] / "handlers.py").read_text()
    calls = sum(len(r.methods) for r in baked.routes)
    assert handlers.count(AUTHENTICATED) == handlers.count(AUTHORIZED) == calls == 6
    result = run_suite(mutant(baked, tmp_path, None), tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert failed_tests(result.stdout) == set()
    assert re.search(r"\b\d+ passed\b", result.stdout)


def test_suite_fails_without_web_authenticated(baked, tmp_path):
    project = mutant(baked, tmp_path, lambda text: text.replace(AUTHENTICATED, ""))
    result = run_suite(project, tmp_path)
    assert result.returncode != 0, result.stdout[-4000:]
    # @authorized alone still answers 403 to a request without credentials, so the suite's
    # request tests pass; the strict-mode declaration check is what catches the mutant.
    assert failed_tests(result.stdout) == {
        "tests/test_handlers.py::test_every_handler_declares_its_authentication"
    }, result.stdout[-4000:]
    for route in baked.routes:
        for method in route.methods:
            assert f"{method} of {route.class_name} registered for" in result.stdout


def test_suite_fails_without_authorized(baked, tmp_path):
    project = mutant(baked, tmp_path, lambda text: text.replace(AUTHORIZED, ""))
    result = run_suite(project, tmp_path)
    assert result.returncode != 0, result.stdout[-4000:]
    expected = {
        f"tests/test_authorization.py::test_authorizer_can_deny_a_logged_in_user[{call}]"
        for call in private_calls(baked)
    }
    assert len(expected) == 6
    assert failed_tests(result.stdout) == expected, result.stdout[-4000:]


def test_suite_names_the_one_method_left_unauthorized(baked, tmp_path):
    """Removing a single @authorized (the last method of the last route) fails exactly its test."""

    def drop_last(text: str) -> str:
        head, _, tail = text.rpartition(AUTHORIZED)
        return head + tail

    project = mutant(baked, tmp_path, drop_last)
    last = baked.routes[-1]
    result = run_suite(project, tmp_path)
    assert result.returncode != 0, result.stdout[-4000:]
    assert failed_tests(result.stdout) == {
        "tests/test_authorization.py::test_authorizer_can_deny_a_logged_in_user"
        f"[{last.sample_path}-{last.methods[-1]}]"
    }, result.stdout[-4000:]
