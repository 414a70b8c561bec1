"""A generated project grows by template update: `cruft update --variables-to-update` brings new
routes, methods, kinds, access and namespace, and every line the user wrote survives (issue 14).

For real: cruft from PyPI, a git repository of this checkout, a project made with `cruft create`
and committed, the user's edits committed, then the update, then the generated suite."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import install_for_tests, run, run_generated_suite
from update_support import (
    Cruft,
    conflict_markers,
    cruft_answers,
    git,
    readme_commands,
    rejects,
    status,
    template_repo,
)
from user_edits import edit_project, missing

from local_extensions.answers import normalized_namespace
from local_extensions.routes import HandlerClass, handler_classes, parse_handlers

pytestmark = pytest.mark.slow
CI_STEP = "No leftover merge conflicts"


@dataclass(frozen=True)
class Scenario:
    id: str
    start: dict[str, str]  # the answers the project is created with
    update: dict[str, str]  # what --variables-to-update changes
    spare: tuple[str, ...] = field(default=())  # handler modules the user leaves alone
    removed_first: tuple[str, ...] = field(default=())  # modules the user `git rm`s beforehand


SCENARIOS = [
    Scenario(
        "add-a-route",
        {"handlers": "GET /hello; GET,POST /items"},
        {"handlers": "GET /hello; GET,POST /items; GET,DELETE /items/{item_id}"},
    ),
    Scenario(
        "add-a-method-after-the-others",
        {"handlers": "GET /hello; GET,POST /items"},
        {"handlers": "GET /hello; GET,POST,DELETE /items"},
    ),
    Scenario(
        "add-methods-before-and-between-the-others",
        {"handlers": "PUT,PATCH /settings; GET,DELETE /things/{thing_id}; GET /status"},
        {"handlers": "GET,PUT,PATCH /settings; GET,PATCH,DELETE /things/{thing_id}; GET,HEAD /status"},
    ),
    Scenario(
        "add-a-websocket-and-an-event-stream",
        {"handlers": "GET /hello; GET,POST /items"},
        {"handlers": "GET /hello; GET,POST /items; WS /rooms/{room_id}; SSE /jobs/{job_id}/progress"},
    ),
    Scenario(
        "switch-routes-to-public",
        {"handlers": "GET /hello; GET /health; POST /webhook"},
        {"handlers": "GET /hello; GET /health public; POST /webhook public"},
    ),
    Scenario(
        "change-the-namespace",
        {"handlers": "GET /hello; GET,POST /items"},
        {"url_namespace": "acme/hello"},
    ),
    Scenario(
        "remove-a-route-never-edited",
        {"handlers": "GET /hello; GET,POST /items; GET /health"},
        {"handlers": "GET /hello; GET,POST /items"},
        spare=("health",),
    ),
    Scenario(  # as the README says: git rm an edited module before the update that drops it
        "remove-an-edited-route-after-git-rm",
        {"handlers": "GET /hello; GET,POST /items; GET /health"},
        {"handlers": "GET /hello; GET,POST,DELETE /items"},
        removed_first=("health",),
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def cruft(tmp_path_factory: pytest.TempPathFactory) -> Cruft:
    return Cruft(tmp_path_factory.mktemp("cruft-home"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, cruft: Cruft) -> Path:
    return template_repo(tmp_path_factory.mktemp("template") / "repo", cruft.env)


def classes(context: dict[str, Any]) -> dict[str, HandlerClass]:
    return {c.module: c for c in handler_classes(parse_handlers(context["handlers"]))}


def expected_changes(
    before: dict[str, Any], after: dict[str, Any], removed_first: tuple[str, ...] = ()
) -> dict[str, str]:
    """What `git status` should list (path: first status letter) for a change of answers."""
    package, old, new = after["package_name"], classes(before), classes(after)
    changes = {".cruft.json": "M"}  # cruft writes it last, unstaged
    rows = [
        [(r.pattern, r.class_name) for r in parse_handlers(c["handlers"])] for c in (before, after)
    ]
    if rows[0] != rows[1] or before["url_namespace"] != after["url_namespace"]:
        changes[f"{package}/routes.py"] = "M"
    for module in (new.keys() | old.keys()) - set(removed_first):
        handler, test = f"{package}/handlers/{module}.py", f"tests/test_behaviour_{module}.py"
        if module not in old or module not in new:
            changes[handler] = changes[test] = "A" if module in new else "D"
            continue
        if old[module] != new[module]:
            changes[handler] = "M"
        if old[module].methods != new[module].methods:
            changes[test] = "M"
    return changes


SERVED = """
import json, sys
from importlib import import_module
routes = import_module(sys.argv[1] + ".routes")
methods = ("get", "head", "post", "put", "patch", "delete")
print(json.dumps({
    "namespace": routes.URL_NAMESPACE,
    "routes": [[r.pattern, r.handler.__name__, sorted(m.upper() for m in vars(r.handler) if m in methods),
                all(getattr(getattr(r.handler, m), "__allow_unauthenticated", False)
                    for m in vars(r.handler) if m in methods)] for r in routes.ROUTES],
}))
"""


def served(venv: Path, project: Path, package: str) -> dict[str, Any]:
    """The route table the installed package serves: pattern, class, own methods, public."""
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", SERVED, package],
        cwd=project, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_an_update_merges_with_every_edited_line(
    scenario: Scenario, cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    project = cruft.create(template, tmp_path / "out", scenario.start)
    before = cruft_answers(project)
    edits = edit_project(project, before["package_name"], spare=scenario.spare)
    assert edits
    cruft.commit(project, "My handlers and tests")
    for module in scenario.removed_first:
        paths = [
            f"{before['package_name']}/handlers/{module}.py",
            f"tests/test_behaviour_{module}.py",
        ]
        git(project, "rm", "-q", *paths)
        cruft.commit(project, f"Remove {module}")
        edits = [(path, line) for path, line in edits if path not in paths]

    result = cruft.update(project, scenario.update)

    after = cruft_answers(project)
    assert {k: after[k] for k in scenario.update} == scenario.update
    assert "as clean as possible" in result.stdout
    assert conflict_markers(project) == []
    assert rejects(project) == []
    assert missing(project, edits) == []
    changes = status(project)
    assert not [path for path, code in changes.items() if "U" in code], changes
    for path, letter in expected_changes(before, after, scenario.removed_first).items():
        assert changes.get(path, "").strip()[:1] == letter, (path, changes)
    for module in classes(before).keys() - classes(after).keys():
        assert not (project / after["package_name"] / "handlers" / f"{module}.py").exists()

    venv = install_for_tests(project, tmp_path / "venv")
    table = served(venv, project, after["package_name"])
    routes = parse_handlers(after["handlers"])
    assert table["namespace"] == normalized_namespace(after["url_namespace"])
    assert [row[:2] for row in table["routes"]] == [[r.pattern, r.class_name] for r in routes]
    for (_, _, methods, public), route in zip(table["routes"], routes, strict=True):
        if route.kind == "api":
            assert methods == sorted(route.methods) and public == route.public
    suite = run_generated_suite(project, venv)
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]


def ci_step(project: Path, name: str) -> str:
    """The `run:` of the generated CI step called `name`."""
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    found = [step["run"] for step in steps if step.get("name") == name]
    assert found, f"the generated CI has no step named {name!r}"
    return found[0]


def run_step(command: str, project: Path) -> int:
    """Run a step's command as GitHub Actions runs `run:` on Linux (bash -e -o pipefail)."""
    argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command]
    return subprocess.run(argv, cwd=project, capture_output=True).returncode


def test_a_conflict_is_left_as_markers_that_the_generated_ci_refuses(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """A row added to routes.py by hand (the template's file) meets the row the update adds:
    cruft leaves markers, still exits 0 and says 'as clean as possible'; CI goes red."""
    project = cruft.create(template, tmp_path / "out", {"handlers": "GET /hello"})
    context = cruft_answers(project)
    routes_py = project / context["package_name"] / "routes.py"
    (handler,) = handler_classes(parse_handlers(context["handlers"]))
    row = f'    Route(r"/hello-again", {handler.name}, example="/hello-again"),\n'
    routes_py.write_text(routes_py.read_text().replace("\n]\n", f"\n{row}]\n", 1))
    cruft.commit(project, "A route added by hand")
    check = ci_step(project, CI_STEP)
    assert run_step(check, project) == 0

    result = cruft.update(project, {"handlers": "GET /hello; GET,POST /items"})

    assert "as clean as possible" in result.stdout
    assert conflict_markers(project)
    assert status(project)[f"{context['package_name']}/routes.py"] == "UU"
    assert run_step(check, project) != 0
    resolved = [line for line in routes_py.read_text().splitlines(keepends=True)
                if not line.startswith(("<<<<<<< ", "=======", ">>>>>>> "))]  # fmt: skip
    routes_py.write_text("".join(resolved))  # keep both rows
    cruft.commit(project, "Template update, conflict resolved")
    assert run_step(check, project) == 0
    assert row.strip() in routes_py.read_text() and "ItemsHandler" in routes_py.read_text()


def test_an_update_refuses_uncommitted_changes(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    project = cruft.create(template, tmp_path / "out", {"handlers": "GET /hello"})
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nNot committed yet.\n")
    result = cruft("update", "-y", "--variables-to-update", '{"handlers": "GET /hello; GET /more"}',
                   cwd=project, check=False)  # fmt: skip
    assert result.returncode != 0
    assert "unclean" in result.stdout + result.stderr
    assert status(project) == {"README.md": " M"}


def test_the_readmes_update_command_adds_a_route(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """The command the generated README shows, quotes and regex groups included, as it is."""
    table = "GET /hello; GET /files/(?P<path>.*) FileHandler; GET /it's"
    project = cruft.create(template, tmp_path / "out", {"handlers": table})
    before = classes(cruft_answers(project))
    for line in readme_commands(project, "cruft update"):
        if not line.startswith("pytest"):
            run(["bash", "-c", line], cwd=project, env=cruft.env)
    after = cruft_answers(project)
    assert after["handlers"].startswith(table + "; ")
    (added,) = classes(after).keys() - before.keys()
    assert (project / after["package_name"] / "handlers" / f"{added}.py").exists()
    assert status(project) == {} and conflict_markers(project) == []  # committed, as shown


def test_dropping_a_route_whose_module_was_edited_makes_the_whole_update_fall_back(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """cruft's three-way apply is all or nothing: deleting a file the user changed makes it
    fail, and `git apply --reject` then keeps that file and turns even changes a three-way
    merge would take into .rej files. Hence the README's advice: git rm it first."""
    project = cruft.create(template, tmp_path / "out", {"handlers": "GET /hello; GET,POST /items"})
    edits = edit_project(project, cruft_answers(project)["package_name"])
    cruft.commit(project, "My handlers and tests")

    result = cruft.update(project, {"handlers": "GET,POST,DELETE /items"})

    assert "as clean as possible" in result.stdout
    assert "patch does not apply" in result.stdout + result.stderr
    assert missing(project, edits) == []  # the dropped route's module stays, as edited
    assert rejects(project)  # the new DELETE method did not apply
    assert conflict_markers(project) == []


def test_without_the_generated_files_in_history_changes_next_to_edits_go_to_rej_files(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """`git apply -3` needs the blobs of the old render: a project whose first commit already
    held the user's edits gets no three-way merge (hence the README: commit it as generated)."""
    out = tmp_path / "out"
    out.mkdir()
    cruft("create", "--no-input", "--extra-context", '{"handlers": "GET /hello; GET,POST /items"}',
          str(template), cwd=out)  # fmt: skip
    (project,) = out.iterdir()
    edits = edit_project(project, cruft_answers(project)["package_name"])
    git(project, "init", "-q", env=cruft.env)
    cruft.commit(project, "Generated and edited")

    result = cruft.update(project, {"handlers": "GET /hello; GET,POST,DELETE /items"})

    assert "lacks the necessary blob" in result.stdout + result.stderr
    assert rejects(project) and missing(project, edits) == []


def test_updates_in_a_row_keep_merging(cruft: Cruft, template: Path, tmp_path: Path) -> None:
    """A project grows over several updates, the user editing what each one added."""
    project = cruft.create(template, tmp_path / "out", {"handlers": "GET /hello; GET,POST /items"})
    package = cruft_answers(project)["package_name"]
    for table in (
        "GET /hello; GET,POST,DELETE /items",
        "GET,HEAD /hello; GET,POST,PUT,DELETE /items; GET,DELETE /items/{item_id}",
        "GET,HEAD /hello; GET,POST,PUT,DELETE /items; GET,PATCH,DELETE /items/{item_id}",
    ):
        edits = edit_project(project, package)
        cruft.commit(project, "My changes")
        cruft.update(project, {"handlers": table})
        assert conflict_markers(project) == [] and rejects(project) == [], table
        assert missing(project, edits) == [], table
        cruft.commit(project, f"Routes: {table}")
