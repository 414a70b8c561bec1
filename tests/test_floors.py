"""True dependency floors: each curated combination's own suite passes with the lowest versions
its pyproject.toml admits (`uv pip install --resolution lowest-direct -e ".[test]"`), and those
are exactly the declared floors; each floor also works with the newest of everything else; and
the third-party modules the generated code imports without declaring them (tornado, traitlets:
jupyter_server's) work at the lowest versions the declared requirements admit.

Python: only 3.11 runs here; the generated CI's lowest-direct job runs the floors on 3.10.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomllib
from combinations import BY_ID, COMBINATIONS, Combination
from filelock import FileLock
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from support import CACHE_DIR, UV_ENV, bake, base_venv, run, venv_env

pytestmark = pytest.mark.slow

# the combinations whose code imports the most of tornado and traitlets (sockets, streams,
# static files, an ExtensionApp, public routes)
TRANSITIVE = ["realtime-static-shared", "extension_app=yes-classic_notebook=yes", "public+authorized-crud"]  # fmt: skip
RICHEST = "realtime-static-shared"  # every route kind
DEV_CHECKS = (
    ["ruff", "check", "--no-cache", "."],
    ["ruff", "format", "--check", "--no-cache", "."],
    ["mypy", "--strict"],
    ["pyright"],
)
INSTALLED = (
    "import json, importlib.metadata as m; print(json.dumps("
    "{d.metadata['Name']: [d.version, d.requires or []] for d in m.distributions()}))"
)
HOSTS = {"notebook"}  # Notebook 6 imports the package (classic.py), not the other way round
IMPORTERS = "import json, importlib.metadata as m; print(json.dumps(m.packages_distributions()))"


def uv(*args: str) -> subprocess.CompletedProcess[str]:
    """uv from the cached 'launcher-tools' flavour, with the tests' shared uv cache."""
    argv = [str(base_venv("launcher-tools") / "bin" / "uv"), *args]
    return run(argv, timeout=900, env={**os.environ, **UV_ENV})


def declared(project: Path, extras: tuple[str, ...] = ("test",)) -> list[Requirement]:
    """What `pip install -e ".[test]"` asks for: the dependencies and the extras."""
    table = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    optional = [r for extra in extras for r in table["optional-dependencies"][extra]]
    return [Requirement(r) for r in [*table["dependencies"], *optional]]


def floor(requirement: Requirement) -> Version:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: declare one floor (>=)"
    return bounds[0]


def installed(venv: Path) -> dict[str, tuple[Version, list[Requirement]]]:
    """Each distribution in the venv: its version and what it requires."""
    found = json.loads(run([str(venv / "bin" / "python"), "-c", INSTALLED]).stdout)
    return {
        canonicalize_name(name): (Version(version), [Requirement(r) for r in requires])
        for name, (version, requires) in found.items()
    }


@contextlib.contextmanager
def floors_venv(
    project: Path, name: str, pins: tuple[str, ...] = (), resolution: str = "lowest-direct",
    extras: tuple[str, ...] = ("test",),
) -> Iterator[Path]:  # fmt: skip
    """A venv made by `uv pip install --resolution <resolution> -e "<project>[test]" *pins`,
    cached as `name` until the requirements, pins, Python or uv change (the project itself is
    reinstalled every time). Locked while the caller uses it (pytest-xdist, parallel runs)."""
    path = CACHE_DIR / "venvs" / ("floors-" + re.sub(r"[^\w.-]+", "-", name))
    python = str(path / "bin" / "python")
    stamp = json.dumps(
        {"requires": sorted(map(str, declared(project, extras))), "pins": pins, "resolution": resolution,
         "python": sys.version, "uv": uv("--version").stdout.strip()}, indent=1,
    )  # fmt: skip
    (CACHE_DIR / "venvs").mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        stamp_file = path / ".floors"
        if stamp_file.exists() and stamp_file.read_text() == stamp:
            uv("pip", "install", "--python", python, "--no-deps", "--reinstall", "-e", str(project))
        else:
            shutil.rmtree(path, ignore_errors=True)
            uv("venv", "--python", sys.executable, str(path))
            uv("pip", "install", "--python", python, "--resolution", resolution,
               "-e", f"{project}[{','.join(extras)}]", *pins)  # fmt: skip
            stamp_file.write_text(stamp)
        yield path


def assert_suite_passes(project: Path, venv: Path, home: Path) -> None:
    """The generated project's own `pytest`, as its README runs it."""
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, env=venv_env(venv, home), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout) and " failed" not in result.stdout


def imported_third_party(project: Path, package: str) -> set[str]:
    """Top-level modules the generated code and tests import, other than its own and Python's."""
    modules: set[str] = set()
    for path in project.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.partition(".")[0])
    own = {package, "tests", *(p.stem for p in project.rglob("*.py"))}
    return modules - set(sys.stdlib_module_names) - own - HOSTS


def lowest_admitted(dist: str, venv: Path, requirers: set[str]) -> Version:
    """The highest `>=` bound the `requirers` (installed in `venv`) put on `dist`, markers
    without extras evaluated here: the lowest version they all admit."""
    environment = {**default_environment(), "extra": ""}
    bounds = [
        floor(r)
        for name, (_, requires) in installed(venv).items()
        if name in requirers
        for r in requires
        if canonicalize_name(r.name) == dist
        and (r.marker is None or r.marker.evaluate(environment))
        and any(s.operator == ">=" for s in r.specifier)
    ]
    assert bounds, f"nothing bounds {dist} from below: declare its floor in pyproject.toml"
    return max(bounds)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_suite_passes_at_the_declared_floors(tmp_path: Path, combination: Combination) -> None:
    project = bake(tmp_path / "out", {**combination.answers, "_verify_load": "no"}).project
    with floors_venv(project, combination.id) as venv:
        versions = installed(venv)
        for requirement in declared(project):
            version = versions[canonicalize_name(requirement.name)][0]
            assert version == floor(requirement), (
                f"{requirement}: uv installed {version}, not the floor: the floor cannot be "
                "installed with the other requirements; raise it to the lowest that can"
            )
        assert_suite_passes(project, venv, tmp_path / "home")


@pytest.mark.parametrize("combination", [BY_ID[i] for i in TRANSITIVE], ids=lambda c: c.id)
def test_imported_transitive_dependencies_work_at_their_floors(
    tmp_path: Path, combination: Combination
) -> None:
    baked = bake(tmp_path / "out", {**combination.answers, "_verify_load": "no"})
    project, package = baked.project, baked.context["package_name"]
    direct = {canonicalize_name(r.name) for r in declared(project)}
    with floors_venv(project, combination.id) as venv:
        importers = json.loads(run([str(venv / "bin" / "python"), "-c", IMPORTERS]).stdout)
        modules = imported_third_party(project, package)
        assert modules <= set(importers), f"not installed by [test]: {modules - set(importers)}"
        transitive = {canonicalize_name(d) for m in modules for d in importers[m]} - direct
        assert {"tornado", "traitlets"} <= transitive  # the test looks at real imports
        floors = {dist: lowest_admitted(dist, venv, direct) for dist in sorted(transitive)}
    # pinned: uv then picks versions of the rest (ipykernel, jupyter_client...) that admit them
    pins = tuple(f"{dist}=={version}" for dist, version in floors.items())
    with floors_venv(project, f"{combination.id}-transitive", pins) as venv:
        versions = installed(venv)
        for dist, version in floors.items():
            assert versions[dist][0] == version, dist
        assert_suite_passes(project, venv, tmp_path / "home")


def test_each_floor_works_with_the_newest_of_the_rest(tmp_path: Path) -> None:
    """The other corner: one requirement at its floor, everything else as new as it gets (an old
    pytest-timeout breaks under a new pytest, for one)."""
    project = bake(tmp_path / "out", {**BY_ID[RICHEST].answers, "_verify_load": "no"}).project
    for requirement in declared(project):
        pin = f"{requirement.name}=={floor(requirement)}"
        with floors_venv(project, f"{RICHEST}-{pin}", (pin,), resolution="highest") as venv:
            versions = installed(venv)
            assert versions[canonicalize_name(requirement.name)][0] == floor(requirement)
            assert_suite_passes(project, venv, tmp_path / "home" / requirement.name)


def test_dev_tools_at_their_floors_find_nothing(tmp_path: Path) -> None:
    """ruff, mypy --strict, pyright and types-jsonschema at the `dev` extra's floors, everything
    else as new as `pip install -e ".[test,dev]"` gets it: every combination is clean."""
    env_extra = {"PYRIGHT_PYTHON_CACHE_DIR": str(CACHE_DIR / "pyright-python")}  # old pyrights
    problems: list[str] = []
    for combination in COMBINATIONS:
        out = tmp_path / re.sub(r"[^\w.-]+", "-", combination.id)
        project = bake(out, {**combination.answers, "_verify_load": "no"}).project
        dev = [r for r in declared(project, ("dev",)) if r not in declared(project, ())]
        pins = tuple(f"{r.name}=={floor(r)}" for r in dev)
        with floors_venv(project, "dev", pins, "highest", ("test", "dev")) as venv:
            versions = installed(venv)
            assert [versions[canonicalize_name(r.name)][0] for r in dev] == list(map(floor, dev))
            env = {**venv_env(venv, out / "home"), **env_extra}
            for argv in DEV_CHECKS:
                python = [str(venv / "bin" / "python"), "-m"]
                if argv[0] == "mypy":
                    argv = [*argv, "--cache-dir", str(tmp_path / "mypy-cache")]
                result = subprocess.run(
                    [*python, *argv], cwd=project, env=env, capture_output=True, text=True,
                    timeout=900,
                )  # fmt: skip
                if result.returncode:
                    problems.append(f"{combination.id}: {' '.join(argv)}\n{result.stdout[-3000:]}")
    assert not problems, "\n\n".join(problems)
