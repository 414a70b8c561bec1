"""Mutation checks of the generated suite: break a baked project the way a careless edit would
and its own tests must notice — and only the tests that should. A suite that still passed would
prove nothing about authentication or schemas."""

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
    "handlers": "GET /hello; GET,POST /items; GET,PUT,DELETE /items/{item_id}; WS /rooms/{room_id}",
}
AUTHENTICATED = "    @web.authenticated\n"
AUTHORIZED = "    @authorized\n"
WS_AUTHENTICATED = "    @ws_authenticated\n"


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Bake:
    return bake(tmp_path_factory.mktemp("mutation") / "out", ANSWERS)


def handler_modules(project: Path, package: str) -> list[Path]:
    return sorted(p for p in (project / package / "handlers").glob("*.py") if p.stem != "__init__")


def mutant(baked: Bake, where: Path, mutate: Callable[[str, str], str] | None) -> Path:
    """A copy of the baked project whose handler modules are rewritten by
    `mutate(module name, text) -> text` (at least one of them must change)."""
    project = where / baked.project.name
    shutil.copytree(baked.project, project)
    if mutate is None:
        return project
    changed = 0
    for module in handler_modules(project, baked.context["package_name"]):
        original = module.read_text()
        text = mutate(module.stem, original)
        changed += text != original
        module.write_text(text)
    assert changed, "the mutation changed nothing"
    return project


def run_suite(project: Path, where: Path, *pytest_args: str):
    venv = install_for_tests(project, where / "venv")
    return run_generated_suite(project, venv, *pytest_args)


def failed_tests(stdout: str) -> set[str]:
    """Node ids after FAILED/ERROR in the short summary (the generated project runs with -ra)."""
    return set(re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", stdout, re.MULTILINE))


def test_unmodified_suite_passes(baked, tmp_path):
    result = run_suite(mutant(baked, tmp_path, None), tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert failed_tests(result.stdout) == set()


def test_suite_fails_without_web_authenticated(baked, tmp_path):
    project = mutant(baked, tmp_path, lambda _, text: text.replace(AUTHENTICATED, ""))
    result = run_suite(project, tmp_path, "tests/test_contract.py")
    # @authorized alone still answers 403 to a request without credentials; the strict-mode
    # declaration check is what catches the mutant, naming every method.
    assert failed_tests(result.stdout) == {
        "tests/test_contract.py::test_every_handler_declares_its_authentication"
    }, result.stdout[-4000:]
    for route in baked.routes:
        if route.kind == "api":
            for method in route.methods:
                assert f"{method} of {route.class_name} registered for" in result.stdout


def test_removing_authorized_leaves_the_routes_to_any_logged_in_user(baked, tmp_path):
    """The authorizer tests read each method's decorators: without @authorized a method is for
    any logged-in user, and the suite says so instead of failing (a user's choice)."""
    project = mutant(baked, tmp_path, lambda _, text: text.replace(AUTHORIZED, ""))
    result = run_suite(project, tmp_path, "tests/test_contract.py", "-rA")
    assert failed_tests(result.stdout) == set(), result.stdout[-4000:]
    passed = set(re.findall(r"^PASSED (.+)$", result.stdout, re.MULTILINE))
    for route in baked.routes:
        for method in route.methods:
            test = "TestUserWithoutAccess::test_is_refused_where_the_authorizer_guards"
            assert f"tests/test_contract.py::{test}[{method} {route.sample_path}]" in passed


def test_an_authorizer_check_on_the_wrong_resource_is_followed_and_named(baked, tmp_path):
    """A method guarded on another resource than its class's: the tests ask the authorizer
    about what the decorator declares, and refuse the call when that is refused."""

    def other_resource(module: str, text: str) -> str:
        delete = "    async def delete("
        if module != "items_item_id":
            return text
        return text.replace(AUTHORIZED + delete, '    @authorized(resource="audit")\n' + delete)

    project = mutant(baked, tmp_path, other_resource)
    result = run_suite(project, tmp_path, "tests/test_contract.py")
    assert failed_tests(result.stdout) == set(), result.stdout[-4000:]


def test_suite_fails_when_a_socket_loses_its_authentication(baked, tmp_path):
    project = mutant(baked, tmp_path, lambda _, text: text.replace(WS_AUTHENTICATED, ""))
    result = run_suite(project, tmp_path, "tests/test_contract.py")
    # (@authorized alone still refuses a handshake without credentials with 403: the strict-mode
    # declaration check is what names the socket)
    assert failed_tests(result.stdout) == {
        "tests/test_contract.py::test_every_handler_declares_its_authentication"
    }, result.stdout[-4000:]
    assert "GET of RoomsRoomIdHandler registered for" in result.stdout


def test_an_answer_that_breaks_its_schema_is_caught(baked, tmp_path):
    """A hand-broken handler (a field of the wrong type) fails the behaviour tests, which check
    answers against the schemas the OpenAPI document is built from."""

    def wrong_type(module: str, text: str) -> str:
        if module != "items":
            return text
        return text.replace('"id": uuid.uuid4().hex', '"id": len(self.store("items"))')

    project = mutant(baked, tmp_path, wrong_type)
    result = run_suite(project, tmp_path)
    failed = failed_tests(result.stdout)
    assert "tests/test_behaviour_items.py::test_post_creates_an_item_with_an_id" in failed
    assert not {f for f in failed if "test_contract" in f or "test_openapi" in f}, failed
    assert "is not of type 'string'" in result.stdout


def test_a_hand_edit_of_routes_that_takes_the_servers_api_fails_the_suite(baked, tmp_path):
    """routes.py is the template's, but nothing stops an edit: moved into /api by hand (the
    answer `api` would have had no catch-all), the namespace's JSON 404 takes jupyter_server's
    REST API, and the server-intact tests say so, naming the URLs."""
    project = mutant(baked, tmp_path, None)
    routes = project / baked.context["package_name"] / "routes.py"
    text = routes.read_text()
    namespace = re.search(r'^URL_NAMESPACE = "[^"]+"$', text, re.MULTILINE)
    assert namespace, text
    routes.write_text(text.replace(namespace.group(0), 'URL_NAMESPACE = "api"'))
    result = run_suite(project, tmp_path, "tests/test_server_intact.py")
    failed = failed_tests(result.stdout)
    assert "tests/test_server_intact.py::test_the_servers_urls_reach_their_own_handlers" in failed
    assert "tests/test_server_intact.py::test_the_servers_own_api_answers[api/contents]" in failed
    assert "/api/contents" in result.stdout
