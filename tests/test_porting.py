"""Porting a real extension as a user would (issue 21), for two shapes written for these tests
(tests/ported/): `archiver`, a plain extension with download routes at the server root and a
Configurable of its own, and `showcase`, an ExtensionApp with a Jinja page, static files, traits
of its own and a handler guarded by an authorizer resource of its own.

Each is installed and its own tests pass; the README's porting path follows: the port command's
answers bake a project, each handler class's code moves into the module the command names
(with the template's base class, as it advises), the extension-level code into settings.py,
templates and static files beside it, the upstream tests into tests/. Then the upstream tests
and the generated suite (contract, OpenAPI, server intact, fuzz) pass together, and git shows
that only files the generated README calls the user's changed."""

from __future__ import annotations

import ast
import fnmatch
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import (
    bake,
    build_wheel,
    install_for_tests,
    overlay_venv,
    pip_install,
    run,
    run_generated_suite,
)
from test_port import run_port

pytestmark = pytest.mark.slow
PORTED = Path(__file__).parent / "ported"
#: The upstream modules whose content moves elsewhere (into settings.py), never copied.
EXTENSION_LEVEL = {"archiver": {"__init__", "config"}, "showcase": {"__init__", "app"}}


def git(project: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Porter", "-c", "user.email=p@example.com", *args]
    return run(command, cwd=project).stdout


def rebased(source: str, class_name: str, base: str, module: str) -> str:
    """Upstream module text with the template's `base` in place of jupyter_server's own among
    `class_name`'s bases (and the mixins `base` already holds dropped), as the command advises."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    names = [ast.unparse(b) for b in cls.bases]
    held = {"PageHandler": {"ExtensionHandlerJinjaMixin", "ExtensionHandlerMixin"}}.get(base, set())
    bases = [base if n in ("JupyterHandler", "APIHandler") else n for n in names if n not in held]
    lines = source.splitlines()
    lines[cls.lineno - 1] = f"class {class_name}({', '.join(bases)}):"
    last_import = max(n.end_lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
    lines.insert(last_import, f"from ..{module} import {base}")
    return "\n".join(lines) + "\n"


def port_as_a_user_would(project: Path, upstream: Path, name: str, found: dict[str, Any]) -> None:
    package = project / name
    for source, target in found["modules"].items():
        module, class_name = source.split(":")
        text = (upstream / (module.replace(".", "/") + ".py")).read_text()
        if class_name in found["rebase"]:
            text = rebased(text, class_name, *found["rebase"][class_name])
        (project / target).write_text(text)
        # The example's behaviour tests tested the example's code: the upstream tests take over.
        (project / "tests" / f"test_behaviour_{Path(target).stem}.py").unlink()
    shutil.copy(PORTED / f"{name}.settings.py", package / "settings.py")
    for folder in ("templates", "static"):
        if (upstream / name / folder).is_dir():
            shutil.copytree(upstream / name / folder, package / folder, dirs_exist_ok=True)
    for test in (upstream / "tests").glob("test_*.py"):
        shutil.copy(test, project / "tests" / test.name)


def passed(pytest_output: str) -> int:
    return int(re.search(r"(\d+) passed", pytest_output).group(1))  # type: ignore[union-attr]


def users_paths(project: Path) -> list[str]:
    """The patterns of the generated README's ownership table rows marked **yours**."""
    readme = (project / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("|") and "**yours**" in line]
    names = [name for row in rows for name in re.findall(r"`([^`]+)`", row.split("|")[1])]
    return [name + "*" if name.endswith("/") else name for name in names]


@pytest.mark.parametrize("name", ["archiver", "showcase"])
def test_a_ported_extension_passes_its_tests_and_the_contract_touching_only_users_files(
    tmp_path: Path, name: str
) -> None:
    upstream = tmp_path / "upstream"
    shutil.copytree(PORTED / name, upstream)
    venv = overlay_venv("modern", tmp_path / "upstream-venv")
    pip_install(venv, str(build_wheel(venv, upstream, tmp_path / "dist")))
    result = run_generated_suite(upstream, venv)
    assert result.returncode == 0, "upstream's own tests: " + result.stdout[-3000:]
    upstream_passed = passed(result.stdout)

    status, found = run_port(venv / "bin" / "python", name, tmp_path / "home")
    assert status == 0 and found["cannot_express"] == [], found
    assert {m.split(":")[0].rsplit(".", 1)[-1] for m in found["modules"]}.isdisjoint(
        EXTENSION_LEVEL[name]
    )
    project = bake(tmp_path / "out", found["answers"]).project
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "baked")

    port_as_a_user_would(project, upstream, name, found)
    ported = install_for_tests(project, tmp_path / "ported-venv")
    result = run_generated_suite(project, ported)  # everything: contract and upstream's
    assert result.returncode == 0, result.stdout[-5000:]
    alone = run_generated_suite(project, ported, f"tests/test_{name}.py")
    assert alone.returncode == 0 and passed(alone.stdout) == upstream_passed, alone.stdout[-3000:]
    fuzz = run_generated_suite(project, ported, "-m", "fuzz")
    assert fuzz.returncode == 0, fuzz.stdout[-5000:]

    changed = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    yours = users_paths(project)
    for line in changed:
        state, path = line[:2].strip(), line[3:]
        if state != "??":  # a file of the bake: it must be one the README gives the user
            assert any(fnmatch.fnmatch(path, pattern) for pattern in yours), (line, yours)
    assert any(line.startswith("??") for line in changed)  # the upstream tests, at least
    assert (
        subprocess.run(
            ["git", "diff", "--quiet", "--", f"{name}/routes.py"], cwd=project
        ).returncode
        == 0
    )
