"""The generated project as packaging tools see it: every curated combination passes the
Scientific Python guide's checks (sp-repo-review), leaving out only the checks its
`[tool.repo-review]` names with a reason; its metadata names its home and the Python versions it
supports; its sdist carries neither workflows nor cookiecutter's answers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import tomllib
from combinations import COMBINATIONS, Combination
from support import bake, base_venv, run

REVIEWED_IGNORES = {"PY004", "PY006", "PY007", "PP006"}


def review(project: Path) -> dict:
    subprocess.run(["git", "init", "-q", str(project)], check=True)  # as a user's repository
    result = subprocess.run(
        [sys.executable, "-m", "repo_review", str(project), "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(result.stdout)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_sp_repo_review_finds_nothing(tmp_path: Path, combination: Combination) -> None:
    project = bake(tmp_path / "out", {**combination.answers, "_verify_load": "no"}).project
    checks = review(project)["checks"]
    failed = {
        name: check["description"] for name, check in checks.items() if check["result"] is False
    }
    assert failed == {}
    assert sum(check["result"] is True for check in checks.values()) >= 25
    ignored = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["repo-review"]
    without_workflows = {"GH100"} if combination.answers.get("github_actions") == "no" else set()
    assert set(ignored["ignore"]) == REVIEWED_IGNORES | without_workflows
    reasons = re.findall(r'"(\w+)",  # \S.*', (project / "pyproject.toml").read_text())
    assert set(reasons) >= set(ignored["ignore"])  # each ignore says why


@pytest.mark.parametrize(
    ("url", "urls"),
    [
        ("https://github.com/ada/acme", {"Homepage", "Source", "Issues"}),
        ("https://git.example.org/ada/acme", {"Homepage", "Source"}),
        ("", None),
    ],
)
def test_the_home_answer_feeds_the_metadata_and_the_readme(tmp_path: Path, url, urls) -> None:
    project = bake(tmp_path / "out", {"repository_url": url, "_verify_load": "no"}).project
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert (set(metadata["urls"]) if urls else None) == urls
    readme = (project / "README.md").read_text()
    assert (f"<{url}>" in readme) == bool(url)
    classifiers = metadata["classifiers"]
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.10" in classifiers  # = requires-python's floor
    assert any(c.startswith("Development Status ::") for c in classifiers)


@pytest.mark.slow
def test_the_sdist_carries_no_workflow_and_no_answers(tmp_path: Path) -> None:
    project = bake(tmp_path / "out", {"_verify_load": "no"}).project
    python = base_venv("modern") / "bin" / "python"
    run([str(python), "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path / "dist")],
        cwd=project)  # fmt: skip
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert not [n for n in names if n.startswith((".github", ".cookiecutter.json"))], names
    assert "jupyter_hello/base.py" in names and "tests/test_contract.py" in names
