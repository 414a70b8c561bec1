"""Bake every curated combination and check the output as files: valid TOML/JSON/Python, no
template leftovers, ruff-clean, answers escaped correctly, optional files present or absent."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys

import pytest
import tomllib
from combinations import COMBINATIONS, HOSTILE_TEXT
from support import TEMPLATE_DIR, Bake, bake, ruff_findings

from local_extensions import post_gen

pytestmark = pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)


@pytest.fixture(scope="module")
def baked(tmp_path_factory):
    cache: dict[str, Bake] = {}

    def get(combination) -> Bake:
        if combination.id not in cache:
            out = tmp_path_factory.mktemp(combination.id)
            cache[combination.id] = bake(out, combination.answers)
        return cache[combination.id]

    return get


def test_toml_and_json_files_parse(baked, combination):
    project = baked(combination).project
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert any(d.startswith("jupyter_server>=2.13") for d in pyproject["project"]["dependencies"])
    for path in project.rglob("*.json"):
        json.loads(path.read_text())


def test_no_template_syntax_is_left(baked, combination):
    for path in baked(combination).project.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{ cookiecutter" not in text and "{%" not in text, path


def test_python_compiles_and_is_ruff_clean(baked, combination):
    project = baked(combination).project
    for path in project.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    assert ruff_findings(project) == ""


def test_no_bytecode_or_residue_is_left(baked, combination):
    project = baked(combination).project
    assert not list(project.rglob("__pycache__"))
    assert not list(project.rglob("*.pyc"))


def test_text_answers_round_trip(baked, combination):
    result = baked(combination)
    context = result.context
    project = tomllib.loads((result.project / "pyproject.toml").read_text())["project"]
    assert project["description"] == context["description"]
    assert project["name"] == context["project_slug"]
    assert project["authors"] == [{"name": context["full_name"], "email": context["email"]}]
    if combination.id == "hostile-text":
        assert context["description"] == HOSTILE_TEXT


def test_recorded_answers_have_no_machine_paths(baked, combination):
    recorded = json.loads((baked(combination).project / ".cookiecutter.json").read_text())
    assert set(recorded) == {"cookiecutter", "template"}  # answers, and the template commit
    assert not [k for k in recorded["cookiecutter"] if k.startswith("_")]
    assert str(baked(combination).output_dir) not in json.dumps(recorded)
    assert str(TEMPLATE_DIR) not in json.dumps(recorded)


def test_optional_files_follow_the_answers(baked, combination):
    result = baked(combination)
    project, package = result.project, result.context["package_name"]
    present = lambda rel: (project / rel).exists()  # noqa: E731
    assert present(".github/workflows/ci.yml") == (result.context["github_actions"] == "yes")
    assert present("jupyter-config/nb-config") == combination.classic
    assert present(f"{package}/app.py") == combination.extension_app
    assert present(f"jupyter-config/server-config/{package}.json")
    assert present("LICENSE")


def test_summary_lists_every_route(baked, combination):
    result = baked(combination)
    assert "Load check passed" in result.stdout
    for route in result.routes:
        assert route.class_name in result.stdout


def test_replay_file_regenerates_the_same_project(baked, combination, tmp_path):
    """`cookiecutter --replay-file .cookiecutter.json <template>` gives the project back."""
    original = baked(combination).project
    out = tmp_path / "replayed"
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--replay-file", str(original / ".cookiecutter.json"),
         "-o", str(out), str(TEMPLATE_DIR)],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env={**os.environ, post_gen.SKIP_ENV: "1"},  # the files are compared; no need to load
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    replayed = out / original.name
    files = sorted(str(p.relative_to(original)) for p in original.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(replayed)) for p in replayed.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(original, replayed, files, shallow=False)
    assert mismatch == [] and errors == []
