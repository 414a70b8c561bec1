"""Every curated combination's package is clean under `mypy --strict` (its pyproject.toml says
`strict = true`) and pyright, with the project installed in an overlay venv of the 'modern'
flavour (the newest jupyter_server, tornado, traitlets, mypy and pyright)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import tomllib
from combinations import COMBINATIONS, Combination
from support import bake, install_for_tests, venv_env

pytestmark = pytest.mark.slow

MYPY_ERROR = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): error: (?P<message>.+)$", re.M)


def check(argv: list[str], project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=900)


def mypy_errors(output: str) -> list[str]:
    return [f"{m['file']}:{m['line']}: {m['message']}" for m in MYPY_ERROR.finditer(output)]


def pyright_errors(output: str) -> list[str]:
    diagnostics = json.loads(output)["generalDiagnostics"]
    return [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule', '')})"
        for d in diagnostics
        if d["severity"] == "error"
    ]


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_mypy_strict_and_pyright_find_no_errors(tmp_path: Path, combination: Combination) -> None:
    project = bake(tmp_path / "out", {**combination.answers, "_verify_load": "no"}).project
    assert tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]["strict"]
    venv = install_for_tests(project, tmp_path / "venv")
    env = venv_env(venv, tmp_path / "home")  # its python first on PATH: pyright asks it
    python = str(venv / "bin" / "python")

    mypy = check([python, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy")], project, env)  # fmt: skip
    assert mypy_errors(mypy.stdout) == [], mypy.stdout
    assert mypy.returncode == 0 and "Success: no issues found" in mypy.stdout, (
        mypy.stdout + mypy.stderr
    )

    pyright = check([python, "-m", "pyright", "--outputjson"], project, env)
    assert pyright_errors(pyright.stdout) == [], pyright.stdout[-4000:]
    summary = json.loads(pyright.stdout)["summary"]
    assert pyright.returncode == 0 and summary["filesAnalyzed"] > 0, pyright.stdout[-4000:]
