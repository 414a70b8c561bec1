"""The generated GitHub workflows and Dependabot config: zizmor (offline) finds nothing in any
curated combination's, and the steps users rely on are there and do what they say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomllib
import yaml
from combinations import COMBINATIONS, Combination
from support import DEFAULTS, Bake, bake, install_for_tests, overlay_venv, venv_env

pytestmark = pytest.mark.xdist_group("workflows")  # one worker bakes each combination once

WITH_ACTIONS = [
    c
    for c in COMBINATIONS
    if c.answers.get("github_actions", DEFAULTS["github_actions"][0]) == "yes"
]
CI = Path(".github", "workflows", "ci.yml")
RELEASE = Path(".github", "workflows", "release.yml")
DEPENDABOT = Path(".github", "dependabot.yml")
CONFLICT_STEP = "No leftover merge conflicts"
ENABLED_STEP = "The extension is enabled by installing it"
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+)*)$")


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory):
    cache: dict[str, Bake] = {}

    def get(combination: Combination) -> Bake:
        if combination.id not in cache:
            out = tmp_path_factory.mktemp("workflows")
            cache[combination.id] = bake(out, {**combination.answers, "_verify_load": "no"})
        return cache[combination.id]

    return get


def zizmor(*inputs: Path) -> subprocess.CompletedProcess[str]:
    """zizmor from the test environment, offline, failing on files it cannot parse."""
    binary = Path(sys.executable).parent / "zizmor"
    assert binary.exists(), "zizmor is missing: install the template's test group"
    argv = [str(binary), "--offline", "--strict-collection", "--no-progress", "--format", "json"]
    return subprocess.run([*argv, *map(str, inputs)], capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def run_step(step: dict[str, Any], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Run a step's script the way GitHub's default shell on Linux does (bash -e)."""
    argv = ["bash", "--noprofile", "--norc", "-e", "-c", step["run"]]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=120).returncode


@pytest.mark.parametrize("combination", WITH_ACTIONS, ids=lambda c: c.id)
def test_zizmor_finds_nothing(baked, combination):
    project = baked(combination).project
    result = zizmor(project / CI, project / RELEASE, project / DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_zizmor_sees_a_sabotaged_workflow(baked, tmp_path):
    """The audit is real: an action pinned by tag and a checkout keeping its credentials fail."""
    ci = (baked(COMBINATIONS[0]).project / CI).read_text()
    sabotaged = re.sub(r"actions/checkout@[0-9a-f]{40} # (v\d+)\S*", r"actions/checkout@\1", ci)
    sabotaged = sabotaged.replace("        with:\n          persist-credentials: false\n", "")
    assert sabotaged != ci
    (tmp_path / "ci.yml").write_text(sabotaged)
    result = zizmor(tmp_path / "ci.yml")
    assert result.returncode != 0
    assert {finding["ident"] for finding in json.loads(result.stdout)} >= {
        "unpinned-uses",
        "artipacked",
    }


@pytest.mark.parametrize("combination", WITH_ACTIONS, ids=lambda c: c.id)
def test_actions_are_pinned_by_hash_with_their_version(baked, combination):
    project = baked(combination).project
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in (CI, RELEASE):
        for line in (project / path).read_text().splitlines():
            if "uses:" in line:
                match = PINNED.match(line)
                assert match, f"{path}: not pinned by hash with a version comment: {line.strip()}"
                pins.setdefault(match[1], set()).add((match[2], match[3]))
        for checkout in [s for s in steps(load(project / path)) if "checkout" in s.get("uses", "")]:
            assert checkout["with"]["persist-credentials"] is False
    assert {"actions/checkout", "astral-sh/setup-uv", "pypa/gh-action-pypi-publish"} <= set(pins)
    assert all(len(versions) == 1 for versions in pins.values()), pins  # one pin per action


@pytest.mark.parametrize("combination", WITH_ACTIONS, ids=lambda c: c.id)
def test_permissions_are_minimal(baked, combination):
    for path in (CI, RELEASE):
        workflow = load(baked(combination).project / path)
        assert workflow["permissions"] == {}, path
        for name, job in workflow["jobs"].items():
            if name == "publish":
                assert job["permissions"] == {"id-token": "write"}
                assert job["environment"]["name"] == "pypi"
            else:
                assert job["permissions"] == {"contents": "read"}, (path, name)


@pytest.mark.parametrize("combination", WITH_ACTIONS, ids=lambda c: c.id)
def test_ci_runs_what_users_rely_on(baked, combination):
    result = baked(combination)
    project, package = result.project, result.context["package_name"]
    workflow = load(project / CI)
    runs = [step.get("run", "").strip() for step in steps(workflow)]
    scripts = "\n".join(runs)
    assert 'uv venv\nuv pip install -e ".[test,dev]"' in scripts
    assert any("setup-uv" in step.get("uses", "") for step in steps(workflow))
    for command in ("ruff check .", "ruff format --check .", "mypy", "pyright", "pytest"):
        assert command in runs, command
    names = {step.get("name"): step for step in steps(workflow)}
    assert re.search(rf"grep -E \"{package} \.\*OK\"", names[ENABLED_STEP]["run"])
    assert names[CONFLICT_STEP]["run"].strip() == "! git grep -nE '^(<<<<<<<|>>>>>>>)( |$)' -- ."
    # the floors job runs on the oldest Python the package declares
    requires = tomllib.loads((project / "pyproject.toml").read_text())["project"]["requires-python"]
    matrix = workflow["jobs"]["test"]["strategy"]["matrix"]["include"]
    lowest = [row["python-version"] for row in matrix if row["resolution"] == "lowest-direct"]
    assert lowest == [requires.removeprefix(">=")]


@pytest.mark.parametrize("combination", WITH_ACTIONS, ids=lambda c: c.id)
def test_release_builds_on_tags_and_publishes_with_trusted_publishing(baked, combination):
    result = baked(combination)
    workflow = load(result.project / RELEASE)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    build = workflow["jobs"]["build"]["steps"]
    assert "uv build" in [step.get("run", "").split("#")[0].strip() for step in build]
    assert any("upload-artifact" in step.get("uses", "") for step in build)
    publish = workflow["jobs"].get("publish")
    if result.context["license"] == "proprietary":  # PyPI refuses "Private :: Do Not Upload"
        assert publish is None
        return
    assert publish["needs"] == "build"
    assert publish["environment"]["url"].endswith(f"/project/{result.context['project_slug']}/")
    (upload,) = [s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert "password" not in upload.get("with", {})  # trusted publishing: no token


def test_dependabot_keeps_the_action_pins_current(baked):
    config = load(baked(COMBINATIONS[0]).project / DEPENDABOT)
    (update,) = config["updates"]
    assert update["package-ecosystem"] == "github-actions" and update["directory"] == "/"


def test_conflict_marker_step_fails_only_on_conflict_markers(baked, tmp_path):
    project = tmp_path / "project"  # a copy: the module's other tests share the bake
    shutil.copytree(baked(COMBINATIONS[0]).project, project)
    (step,) = [s for s in steps(load(project / CI)) if s.get("name") == CONFLICT_STEP]
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    assert run_step(step, project) == 0
    readme = project / "README.md"
    clean = readme.read_text()
    readme.write_text(clean + "\nText quoting a marker: <<<<<<< is fine mid-line.\n=======\n")
    assert run_step(step, project) == 0
    for marker in ("<<<<<<< HEAD", ">>>>>>> feature", "<<<<<<<"):
        readme.write_text(clean + f"\n{marker}\n")
        assert run_step(step, project) != 0, marker


@pytest.mark.slow
def test_extension_enabled_step_passes_only_when_installed(baked, tmp_path):
    project = baked(COMBINATIONS[0]).project
    (step,) = [s for s in steps(load(project / CI)) if s.get("name") == ENABLED_STEP]
    installed = install_for_tests(project, tmp_path / "installed")
    assert run_step(step, project, venv_env(installed, tmp_path / "home-1")) == 0
    bare = overlay_venv("modern", tmp_path / "bare")
    assert run_step(step, project, venv_env(bare, tmp_path / "home-2")) != 0
