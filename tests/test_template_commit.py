"""The template commit a project is made from is recorded in its .cookiecutter.json, so that
`cruft link` can take over a project made with plain cookiecutter (issue 14)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import TEMPLATE_DIR, run
from update_support import (
    NOT_TEMPLATE,
    Cruft,
    conflict_markers,
    git,
    is_git_checkout,
    readme_commands,
    template_repo,
)

from local_extensions.post_gen import SKIP_ENV


def cookiecutter(template: Path, out: Path, *answers: str, python: str = sys.executable) -> Path:
    """Plain `cookiecutter --no-input` (no load check: the files are what matters here)."""
    out.mkdir(parents=True)  # and the working directory: `python -m` imports from there first
    run([python, "-m", "cookiecutter", "--no-input", "-o", str(out), str(template), *answers],
        env={**os.environ, SKIP_ENV: "1"}, stdin=subprocess.DEVNULL, cwd=out)  # fmt: skip
    (project,) = [p for p in out.iterdir() if p.is_dir()]
    return project


def recorded(project: Path) -> dict[str, Any]:
    return json.loads((project / ".cookiecutter.json").read_text())


def test_the_recorded_commit_is_the_template_checkouts_head(tmp_path: Path) -> None:
    if not is_git_checkout(TEMPLATE_DIR):
        pytest.skip("the template is not a git checkout")
    template = recorded(cookiecutter(TEMPLATE_DIR, tmp_path / "out"))["template"]
    assert template["commit"] == git(TEMPLATE_DIR, "rev-parse", "HEAD").strip()
    modified = git(
        TEMPLATE_DIR, "status", "--porcelain", env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    )
    assert ("note" in template) == bool(modified.strip())  # says so when it is not the commit


def test_a_template_that_is_not_a_git_checkout_is_said_so(tmp_path: Path) -> None:
    copy = shutil.copytree(
        TEMPLATE_DIR, tmp_path / "template", ignore=shutil.ignore_patterns(*NOT_TEMPLATE)
    )
    project = cookiecutter(copy, tmp_path / "out")
    template = recorded(project)["template"]
    assert template["commit"] is None and "not a git checkout" in template["note"]
    assert recorded(project)["cookiecutter"]["project_name"]  # the replay file is whole


@pytest.mark.slow
def test_cruft_link_at_the_recorded_commit_makes_a_cookiecutter_project_updatable(
    tmp_path: Path,
) -> None:
    """Made with plain cookiecutter, then the template moves on: `cruft link` at the recorded
    commit with the recorded answers matches the project exactly, and updates then work."""
    cruft = Cruft(tmp_path / "home")
    template = template_repo(tmp_path / "template", cruft.env)
    project = cookiecutter(template, tmp_path / "out", "handlers=GET /hello; GET,POST /items",
                           python=str(cruft.bin / "python"))  # fmt: skip
    git(project, "init", "-q", env=cruft.env)
    cruft.commit(project, "Generated with cookiecutter")
    made_from = recorded(project)
    readme = template / "{{cookiecutter.package_name}}" / "README.md"
    readme.write_text(readme.read_text() + "\nA later template commit.\n")
    git(template, "commit", "-q", "-am", "A later template commit", env=cruft.env)

    if shutil.which("jq"):  # the README's commands, as they are
        for line in readme_commands(project, "cruft link"):
            line = line.replace("<template git URL>", shlex.quote(str(template)))
            run(["bash", "-c", line], cwd=project, env=cruft.env)
    else:
        cruft("link", "--no-input", "--checkout", made_from["template"]["commit"],
              "--extra-context", json.dumps(made_from["cookiecutter"]), str(template), cwd=project)  # fmt: skip
        cruft.commit(project, "Linked to the template")
    assert (
        json.loads((project / ".cruft.json").read_text())["commit"]
        == made_from["template"]["commit"]
    )

    assert cruft("diff", "--exit-code", cwd=project, check=False).returncode == 0
    cruft.update(project, {"handlers": "GET /hello; GET,POST /items; GET /more"})
    assert "A later template commit." in (project / "README.md").read_text()
    package = made_from["cookiecutter"]["package_name"]
    assert (project / package / "handlers" / "more.py").exists()
    assert conflict_markers(project) == []
