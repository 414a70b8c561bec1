"""What the update tests share: this template as a git repository (its history, with the working
tree committed on top), cruft from PyPI run as a user runs it, and git with a fixed identity."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from support import SYSTEM_PATH, TEMPLATE_DIR, base_venv, run

from local_extensions.post_gen import SKIP_ENV

#: The flavour whose venv holds cruft (installed from PyPI, like users install it).
CRUFT_FLAVOUR = "launcher-tools"
#: What the generated CI's "No leftover merge conflicts" step looks for.
MARKER = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)
#: What a copy of this checkout leaves out (git would ignore most of it anyway).
NOT_TEMPLATE = (".git", ".venv", "__pycache__", ".hypothesis", ".ruff_cache", ".pytest_cache")


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """No user or system git and cookiecutter configuration; the load check skipped (the
    generated suite proves the project loads, and cruft would run it twice per update)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "COOKIECUTTER"))}
    env.update(
        HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        COOKIECUTTER_CONFIG=str(home / "cookiecutterrc"), **extra,
    )  # fmt: skip
    (home / "gitconfig").write_text(
        "[init]\n\tdefaultBranch = main\n[user]\n\tname = Update Test\n"
        "\temail = update-test@example.com\n"
    )
    (home / "cookiecutterrc").write_text("{}\n")
    return env


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return run(["git", *args], cwd=cwd, env=env).stdout


def template_repo(dest: Path, env: dict[str, str]) -> Path:
    """A git repository of this template for cruft to clone: this checkout's history (when it
    is a git checkout), and on top of it a commit of the working tree as it is now."""
    shutil.copytree(TEMPLATE_DIR, dest, ignore=shutil.ignore_patterns(*NOT_TEMPLATE))
    git(dest, "init", "-q", env=env)
    if is_git_checkout(TEMPLATE_DIR):
        git(dest, "fetch", "-q", str(TEMPLATE_DIR), "HEAD", env=env)
        git(dest, "reset", "-q", "--soft", "FETCH_HEAD", env=env)
    git(dest, "add", "-A", env=env)  # the template's .gitignore leaves caches out
    git(dest, "commit", "-q", "--allow-empty", "-m", "The working tree", env=env)
    return dest


def is_git_checkout(path: Path) -> bool:
    return (path / ".git").exists() and shutil.which("git") is not None


def has_commit(repo: Path, commit: str) -> bool:
    probe = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=repo, capture_output=True
    )
    return probe.returncode == 0


def cruft_answers(project: Path) -> dict[str, Any]:
    """The answers cruft rendered the project with last."""
    return json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]


class Cruft:
    """The `cruft` command from PyPI, with an isolated home."""

    def __init__(self, home: Path, *, verify_load: bool = False) -> None:
        self.bin = base_venv(CRUFT_FLAVOUR) / "bin"
        extra = {} if verify_load else {SKIP_ENV: "1"}
        self.env = isolated_env(home, PATH=f"{self.bin}:{SYSTEM_PATH}", **extra)

    def __call__(
        self, *args: str, cwd: Path, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin / "cruft"), *args]
        if check:
            return run(argv, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL)
        return subprocess.run(
            argv, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip

    def create(
        self, template: Path, out: Path, answers: dict[str, Any], *, checkout: str | None = None
    ) -> Path:
        """`cruft create` the project, then commit it as the user's first commit."""
        out.mkdir(parents=True, exist_ok=True)
        options = ["--checkout", checkout] if checkout else []
        self("create", "--no-input", *options, "--extra-context", json.dumps(answers),
             str(template), cwd=out)  # fmt: skip
        (project,) = [p for p in out.iterdir() if p.is_dir()]
        git(project, "init", "-q", env=self.env)
        self.commit(project, "Generated from the template")
        return project

    def commit(self, project: Path, message: str) -> None:
        git(project, "add", "-A", env=self.env)
        git(project, "commit", "-q", "-m", message, env=self.env)

    def update(
        self, project: Path, variables: dict[str, Any] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """`cruft update -y`, with new answers if given; raises unless it exits 0."""
        options = ["--variables-to-update", json.dumps(variables)] if variables else []
        return self("update", "-y", *options, cwd=project)


def conflict_markers(project: Path) -> list[str]:
    """Lines that start or end a merge conflict, as `path:line`."""
    found = []
    for path in sorted(project.rglob("*")):
        if ".git" in path.relative_to(project).parts or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for match in MARKER.finditer(text):
            found.append(f"{path.relative_to(project)}:{text.count(chr(10), 0, match.start()) + 1}")
    return found


def rejects(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in project.rglob("*.rej"))


def status(project: Path) -> dict[str, str]:
    """`git status --porcelain` as {path: two-letter status}."""
    lines = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    return {line[3:]: line[:2] for line in lines}


def readme_commands(project: Path, containing: str) -> list[str]:
    """The lines of the bash block of the generated README's "Keep it up to date" section
    that holds `containing` (continuation lines joined)."""
    section = (project / "README.md").read_text().split("## Keep it up to date", 1)[1]
    blocks = re.findall(r"```bash\n(.*?)\n```", section, re.DOTALL)
    (block,) = [b for b in blocks if containing in b]
    return block.replace("\\\n", "").splitlines()
