"""Updates across template versions: `cruft update` from an older template commit to this one,
and answers that older commits accepted (issue 14).

cruft renders the old and the new commit in one process, from one clone: the first render's
`local_extensions` stays in sys.modules, and cookiecutter imports `_extensions` by name."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from support import TEMPLATE_DIR, install_for_tests, run, run_generated_suite
from update_support import (
    NOT_TEMPLATE,
    Cruft,
    conflict_markers,
    cruft_answers,
    git,
    has_commit,
    is_git_checkout,
    readme_commands,
    rejects,
    status,
    template_repo,
)
from user_edits import edit_handler_module, missing

from local_extensions.answers import validate
from local_extensions.post_gen import SKIP_ENV
from local_extensions.routes import handler_classes, parse_handlers

#: The last commit whose generated package had one handlers.py for every handler class.
SINGLE_MODULE_LAYOUT = "2fcdba5"
JINJA_SYNTAX = ("{{", "{%", "{#")


@pytest.fixture(scope="module")
def cruft(tmp_path_factory: pytest.TempPathFactory) -> Cruft:
    return Cruft(tmp_path_factory.mktemp("cruft-home"))


@pytest.fixture
def template(tmp_path: Path, cruft: Cruft) -> Path:
    """A repository of its own for each test: some add commits to it."""
    return template_repo(tmp_path / "template", cruft.env)


@pytest.mark.slow
def test_an_update_from_the_single_module_layout_sets_the_edited_module_aside(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """From one handlers.py to one module per class: cruft cannot move code between files. It
    adds the new modules, leaves the edited handlers.py as it was, and reports success; Python
    then imports the handlers/ package, so the edits no longer run. Nothing leaves a marker."""
    if not has_commit(template, SINGLE_MODULE_LAYOUT):
        pytest.skip(f"{SINGLE_MODULE_LAYOUT} is not in this checkout's history (shallow clone?)")
    answers = {"handlers": "GET /hello; GET,POST /items"}
    project = cruft.create(template, tmp_path / "out", answers, checkout=SINGLE_MODULE_LAYOUT)
    package = cruft_answers(project)
    old_module = project / package["package_name"] / "handlers.py"
    edits = edit_handler_module(old_module, project)
    cruft.commit(project, "My handlers")

    result = cruft.update(project)

    assert "as clean as possible" in result.stdout
    assert "handlers.py: patch does not apply" in result.stdout + result.stderr
    assert conflict_markers(project) == [] and rejects(project) == []
    assert missing(project, edits) == []  # still there, in the file as the user left it
    changes = status(project)
    assert str(old_module.relative_to(project)) not in changes  # git status does not show it
    for handler in handler_classes(parse_handlers(answers["handlers"])):
        new_module = f"{package['package_name']}/handlers/{handler.module}.py"
        assert changes[new_module] == "??"  # the fallback applies without staging
    venv = install_for_tests(project, tmp_path / "venv")
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", f"import {package['package_name']}.handlers as h; print(h.__file__)"],
        cwd=project, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert Path(imported) == project / package["package_name"] / "handlers" / "__init__.py"
    suite = run_generated_suite(project, venv)
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]


PROBE = "rendered by the new filter: "


def add_a_filter_and_use_it(template: Path) -> None:
    """What a later template commit may do: a new filter in local_extensions, used by README.md."""
    init = template / "local_extensions" / "__init__.py"
    text = init.read_text()
    assert text.count("environment.filters.update(") == 1
    init.write_text(text.replace(
        "environment.filters.update(",
        f'environment.filters.update(\n            probe=lambda value: "{PROBE}" + value,', 1,
    ))  # fmt: skip
    readme = template / "{{cookiecutter.package_name}}" / "README.md"
    readme.write_text(readme.read_text() + "\n{{ cookiecutter.project_slug | probe }}\n")


@pytest.mark.slow
def test_an_update_renders_with_the_new_commits_local_extensions(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """The next template commit adds a filter and uses it: the update must render with it,
    although the old commit's local_extensions is already imported in cruft's process."""
    project = cruft.create(template, tmp_path / "out", {})
    add_a_filter_and_use_it(template)
    git(template, "commit", "-q", "-am", "A new filter", env=cruft.env)

    cruft.update(project)

    slug = cruft_answers(project)["project_slug"]
    assert PROBE + slug in (project / "README.md").read_text()
    assert conflict_markers(project) == []


BAKE_TWICE = """
import sys
from cookiecutter.main import cookiecutter
for template, out in zip(sys.argv[1::2], sys.argv[2::2]):
    cookiecutter(template, no_input=True, output_dir=out)
"""


def test_one_process_baking_from_two_checkouts_renders_each_with_its_own_filters(
    tmp_path: Path,
) -> None:
    first, second = (
        shutil.copytree(TEMPLATE_DIR, tmp_path / name, ignore=shutil.ignore_patterns(*NOT_TEMPLATE))
        for name in ("first", "second")
    )
    add_a_filter_and_use_it(second)
    argv = [
        sys.executable,
        "-c",
        BAKE_TWICE,
        str(first),
        str(tmp_path / "out1"),
        str(second),
        str(tmp_path / "out2"),
    ]
    run(argv, cwd=tmp_path, env={**os.environ, SKIP_ENV: "1"})
    (readme,) = (tmp_path / "out2").glob("*/README.md")
    assert PROBE in readme.read_text()


def older_commits() -> list[Any]:
    """Each commit that changed the curated answers (tests/combinations.py)."""
    if not is_git_checkout(TEMPLATE_DIR):
        return [pytest.param("", marks=pytest.mark.skip(reason="the template is no git checkout"))]
    return git(TEMPLATE_DIR, "log", "--format=%h", "--", "tests/combinations.py").split()


def at_commit(commit: str, path: str) -> str:
    return git(TEMPLATE_DIR, "show", f"{commit}:{path}")


def rendered_answers(context_file: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """What cookiecutter (and cruft) make of `answers` with this cookiecutter.json: every
    variable rendered, defaults for what is not given."""
    context = generate_context(context_file=str(context_file), extra_context=answers)
    return dict(prompt_for_config(context, no_input=True))


@pytest.mark.parametrize("commit", older_commits())
def test_answers_an_older_template_accepted_still_validate(commit: str, tmp_path: Path) -> None:
    """The curated answers of an older commit, as its bake recorded them, go through this
    template's validation as cruft update gives them (answers holding Jinja syntax wrapped in
    raw, as the generated README tells: see the next test)."""
    module = types.ModuleType(f"combinations_{commit}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(
        compile(at_commit(commit, "tests/combinations.py"), module.__name__, "exec"),
        module.__dict__,
    )
    old_config = tmp_path / "cookiecutter.json"
    old_config.write_text(at_commit(commit, "cookiecutter.json"))
    choices = {k for k, v in json.loads(old_config.read_text()).items() if isinstance(v, list)}
    for combination in module.COMBINATIONS:
        recorded = rendered_answers(old_config, combination.answers)
        kept = {
            k: f"{{% raw %}}{v}{{% endraw %}}" if k not in choices and any(s in v for s in JINJA_SYNTAX) else v
            for k, v in recorded.items()
            if not k.startswith("_")
        }  # fmt: skip
        current = rendered_answers(TEMPLATE_DIR / "cookiecutter.json", kept)
        assert validate(current) == [], (commit, combination.id)


@pytest.mark.slow
def test_an_update_drops_hidden_answers(template: Path, tmp_path: Path) -> None:
    """cruft passes only answers without a leading '_' to its renders: `_verify_load: no` is
    recorded at creation, then each update renders twice with the default, load check and all."""
    cruft = Cruft(tmp_path / "home", verify_load=True)
    project = cruft.create(template, tmp_path / "out", {"_verify_load": "no"})
    assert cruft_answers(project)["_verify_load"] == "no"

    result = cruft.update(project, {"handlers": "GET /hello HelloWorldHandler; GET /more"})

    checks = [line for line in result.stdout.splitlines() if line.startswith("Load check")]
    assert len(checks) == 2 and not [line for line in checks if "(asked for)" in line], checks
    assert cruft_answers(project)["_verify_load"] == "yes"


@pytest.mark.slow
def test_an_answer_holding_jinja_syntax_stops_an_update_until_wrapped_in_raw(
    cruft: Cruft, template: Path, tmp_path: Path
) -> None:
    """cookiecutter renders every answer cruft gives it, so `{{ name }}` in a description is
    an undefined variable on update; wrapped in {% raw %} in .cruft.json (the README's advice)
    it goes through, and the project keeps the text as it was."""
    text = "Renders {{ name }} and {% tags %} as they are"
    project = cruft.create(
        template, tmp_path / "out", {"description": f"{{% raw %}}{text}{{% endraw %}}"}
    )
    assert cruft_answers(project)["description"] == text
    new_routes = json.dumps({"handlers": "GET /hello HelloWorldHandler; GET /more"})

    refused = cruft("update", "-y", "--variables-to-update", new_routes, cwd=project, check=False)

    assert refused.returncode != 0 and status(project) == {}
    if shutil.which("jq"):  # the README's commands, as they are
        for line in readme_commands(project, "endraw"):
            run(["bash", "-c", line], cwd=project, env=cruft.env)
    else:
        state = json.loads((project / ".cruft.json").read_text())
        state["context"]["cookiecutter"]["description"] = f"{{% raw %}}{text}{{% endraw %}}"
        (project / ".cruft.json").write_text(json.dumps(state, indent=2))
        cruft.commit(project, "Answers holding Jinja syntax wrapped in raw")
    cruft("update", "-y", "--variables-to-update", new_routes, cwd=project)
    replay = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"]
    assert replay["description"] == text and "GET /more" in replay["handlers"]
    assert conflict_markers(project) == []
