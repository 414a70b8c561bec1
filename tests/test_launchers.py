"""The load check finds jupyter_server behind every launcher form pip, uv, pipx and conda write, and
skips it (exit 0, project kept) when the only jupyter_server there cannot judge the project.

Fast layer: launcher parsing on small fake launchers, and the probe on real interpreters. Slow
layer: the real `cookiecutter` command (also through uvx, pipx and cruft) with real launchers on PATH.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from support import (
    CACHE_DIR,
    SYSTEM_PATH,
    TEMPLATE_DIR,
    UV_ENV,
    Bake,
    bake,
    base_venv,
    run,
    site_packages,
)

from local_extensions import verify_load
from local_extensions.jupyter_python import (
    ask,
    find_jupyter_python,
    interpreters,
    launchers_on_path,
    named_interpreter,
)

RUN_LATER = 'pip install -e ".[test]" && pytest'


def write_script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def passed_with(python: Path | str) -> str:
    return f"Load check passed: the extension loads in jupyter_server ({python})."


# --------------------------------------------------------------------------- fast: parsing


@pytest.mark.parametrize(
    ("first_line", "interpreter"),
    [
        ("#!/opt/venv/bin/python", "/opt/venv/bin/python"),
        ("#!/opt/venv/bin/python -E", "/opt/venv/bin/python"),  # pipx's form
        ("#! /opt/conda/bin/python3.11", "/opt/conda/bin/python3.11"),
    ],
    ids=["plain", "with-argument", "blank-after-bang"],
)
def test_a_direct_shebang_names_its_interpreter(first_line, interpreter):
    assert named_interpreter([first_line, "import sys"]) == interpreter


@pytest.mark.parametrize(
    "first_line",
    ["#!/usr/bin/env python3", "#!/usr/bin/env -S python3 -E", "#!/usr/bin/env PYTHONNOUSERSITE=1 python3"],
    ids=["plain", "split-arguments", "variable"],
)  # fmt: skip
def test_an_env_shebang_is_looked_up_on_path(tmp_path, monkeypatch, first_line):
    python3 = write_script(tmp_path / "bin" / "python3", "#!/bin/sh\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'empty'}:{python3.parent}")
    assert named_interpreter([first_line]) == str(python3)


def test_an_env_shebang_naming_nothing_on_path_names_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert named_interpreter(["#!/usr/bin/env python3"]) is None


@pytest.mark.parametrize(
    ("exec_line", "interpreter"),
    [
        ('\'\'\'exec\' "/my envs/venv/bin/python" "$0" "$@"', "/my envs/venv/bin/python"),  # pip
        ("'''exec' '/my envs/venv/bin/python' \"$0\" \"$@\"", "/my envs/venv/bin/python"),  # uv
        ("'''exec' /a/very/long/path/bin/python \"$0\" \"$@\"", "/a/very/long/path/bin/python"),
        ("'''exec' '/it'\\''s/bin/python' \"$0\" \"$@\"", "/it's/bin/python"),  # uv's escape
    ],
    ids=["pip-space", "uv-space", "pip-long", "quote-in-path"],
)
def test_the_sh_exec_wrapper_names_its_interpreter(exec_line, interpreter):
    assert named_interpreter(["#!/bin/sh", exec_line, "' '''"]) == interpreter


def test_a_wrapper_that_computes_its_interpreter_falls_back_to_the_python_beside(tmp_path):
    """uv's relocatable venvs: the exec line finds `python` beside the script at run time."""
    bin_dir = tmp_path / "venv" / "bin"
    launcher = write_script(
        bin_dir / "jupyter-server",
        "#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'python' \"$0\" \"$@\"\n' '''\n",
    )
    for name in ("python3", "python"):
        write_script(bin_dir / name, "#!/bin/sh\n")
    assert interpreters(str(launcher)) == [str(bin_dir / "python3"), str(bin_dir / "python")]


def test_a_symlinked_launcher_is_read_at_its_target(tmp_path):
    """pipx's ~/.local/bin: the python beside the link is not the one beside the launcher."""
    bin_dir = tmp_path / "venvs" / "jupyter-server" / "bin"
    target = write_script(bin_dir / "jupyter-server", f"#!{bin_dir / 'python'} -E\n")
    write_script(bin_dir / "python", "#!/bin/sh\n")
    link = tmp_path / "local" / "bin" / "jupyter-server"
    link.parent.mkdir(parents=True)
    link.symlink_to(target)
    write_script(link.parent / "python3", "#!/bin/sh\n")  # a decoy beside the link
    assert interpreters(str(link)) == [str(bin_dir / "python")]


@pytest.mark.parametrize(
    "content",
    [b"\x7fELF\x02\x01\x01\x00", b"MZ\x90\x00", b"", b"import sys\n"],
    ids=["elf", "windows-exe", "empty", "no-shebang"],
)
def test_a_launcher_that_is_not_a_script_names_nothing(tmp_path, content):
    launcher = tmp_path / "jupyter-server"
    launcher.write_bytes(content)
    assert interpreters(str(launcher)) == []


def test_every_launcher_on_path_is_found_in_path_order_once(tmp_path, monkeypatch):
    first = write_script(tmp_path / "first" / "jupyter-server", "#!/bin/sh\n")
    second = write_script(tmp_path / "second" / "jupyter-server", "#!/bin/sh\n")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "jupyter-server").write_text("not executable")
    dirs = [tmp_path / "plain", first.parent, tmp_path / "missing", second.parent, first.parent]
    monkeypatch.setenv("PATH", os.pathsep.join(map(str, dirs)))
    assert launchers_on_path() == [str(first), str(second)]


# --------------------------------------------------------------------------- fast: the probe


def test_the_probe_reports_the_jupyter_server_version_an_interpreter_imports():
    probe = ask(sys.executable)
    assert probe.version == importlib.metadata.version("jupyter_server"), probe


def test_the_probe_reports_an_interpreter_without_jupyter_server(tmp_path):
    run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")])
    probe = ask(str(tmp_path / "bare" / "bin" / "python"))
    assert probe.version is None
    assert "cannot import jupyter_server: ModuleNotFoundError" in probe.problem


def test_the_probe_reports_a_missing_interpreter(tmp_path):
    gone = tmp_path / "gone" / "bin" / "python"
    assert ask(str(gone)).problem == f"{gone} does not exist"


def test_the_probe_reports_an_interpreter_it_cannot_run(tmp_path):
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\n")  # no execute bit
    assert ask(str(python)).problem == f"{python} cannot run: Permission denied"


def test_the_probe_gives_up_on_an_interpreter_that_hangs(tmp_path):
    python = write_script(tmp_path / "python", "#!/bin/sh\nexec sleep 30\n")
    assert ask(str(python), timeout=0.5).problem == f"{python} did not answer within 0.5 s"


def fake_python(path: Path, version: str) -> Path:
    """An 'interpreter' that answers the probe with `version` (the choice rule is under test)."""
    return write_script(path, f"#!/bin/sh\necho {version}\n")


@pytest.mark.parametrize(
    ("on_path", "chosen"),
    [
        (["gone", "1.24.0", "2.21.1", "2.13.0"], "2.21.1"),
        (["gone", "1.24.0", "1.10.0"], "1.24.0"),
        (["gone", "also-gone"], "gone"),
    ],
    ids=["first-supported", "first-older", "first-failure"],
)
def test_the_first_supported_jupyter_server_wins(tmp_path, monkeypatch, on_path, chosen):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(  # cookiecutter's own Python, as under pipx: no jupyter_server
        importlib.util, "find_spec", lambda name, *args: None if name == "jupyter_server" else real_find_spec(name, *args)
    )  # fmt: skip
    pythons = {}
    for index, answer in enumerate(on_path):
        bin_dir = tmp_path / f"env{index}" / "bin"
        python = bin_dir / "python"
        if answer[0].isdigit():
            fake_python(python, answer)
        write_script(bin_dir / "jupyter-server", f"#!{python}\n")
        pythons[answer] = str(python)
    monkeypatch.setenv("PATH", os.pathsep.join(str(Path(p).parent) for p in pythons.values()))
    found = find_jupyter_python()
    assert found is not None and found.python == pythons[chosen]


@pytest.mark.parametrize(
    ("version", "too_old"),
    [("1.24.0", True), ("2.12.5", True), ("2.13.0rc1", False), ("2.13.0", False), ("3.0.0", False)],
)
def test_the_minimum_jupyter_server_is_2_13(version, too_old):
    assert (verify_load.version_tuple(version) < verify_load.MIN_JUPYTER_SERVER) is too_old


# --------------------------------------------------------------------------- slow: real launchers


def installed_version(venv: Path) -> str:
    """The jupyter_server version installed in `venv`, read from its metadata."""
    (dist,) = importlib.metadata.distributions(
        name="jupyter_server", path=[str(site_packages(venv))]
    )
    return dist.version


def pip_venv(path: Path, modern: Path) -> Path:
    """A venv at `path` whose `jupyter-server` launcher pip wrote; the rest of jupyter_server's
    dependencies come from the modern base venv (a .pth file), so that it takes a second."""
    run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    (site_packages(path) / "_modern_base.pth").write_text(f"{site_packages(modern)}\n")
    run([str(path / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
         "--ignore-installed", f"jupyter_server=={installed_version(modern)}"])  # fmt: skip
    return path


@pytest.fixture(scope="module")
def cookiecutter_python() -> str:
    return str(base_venv("cookiecutter-only") / "bin" / "python")


@pytest.fixture(scope="module")
def modern() -> Path:
    return base_venv("modern")


@pytest.fixture(scope="module")
def tools() -> Path:
    """uv, pipx and cruft, installed the way users install them (from PyPI, in a venv)."""
    return base_venv("launcher-tools")


def uv_venv(tools: Path, path: Path, *install: str, relocatable: bool = False) -> Path:
    """A venv uv made at `path`, with `install` (uv pip install's arguments) installed by uv."""
    uv, env = str(tools / "bin" / "uv"), {**os.environ, **UV_ENV}
    options = ["--relocatable"] if relocatable else []
    run([uv, "venv", "-q", *options, "--python", sys.executable, str(path)], env=env)
    run([uv, "pip", "install", "-q", "--python", str(path / "bin" / "python"), *install], env=env)
    return path


def bake_with_launchers(out: Path, python: str, *launcher_dirs: Path) -> Bake:
    """`cookiecutter` in a Python without jupyter_server, with only `launcher_dirs` on PATH."""
    path = os.pathsep.join([*map(str, launcher_dirs), SYSTEM_PATH])
    return bake(out, python=python, env={"PATH": path})


@pytest.mark.slow
def test_pip_launcher_of_a_venv_whose_path_has_a_space(tmp_path, cookiecutter_python, modern):
    venv = pip_venv(tmp_path / "my envs" / "jupyter env", modern)
    first, exec_line = (venv / "bin" / "jupyter-server").read_text().splitlines()[:2]
    assert (first, exec_line.split('"')[:2]) == (
        "#!/bin/sh",
        ["'''exec' ", str(venv / "bin" / "python")],
    )
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, venv / "bin")
    assert passed_with(venv / "bin" / "python") in baked.stdout


@pytest.mark.slow
def test_pip_launcher_of_a_venv_whose_path_is_too_long_for_a_shebang(
    tmp_path, cookiecutter_python, modern
):
    venv = pip_venv(tmp_path / ("long-" + "x" * max(1, 130 - len(str(tmp_path)))), modern)
    python = venv / "bin" / "python"
    assert len(f"#!{python}") > 127
    first, exec_line = (venv / "bin" / "jupyter-server").read_text().splitlines()[:2]
    assert (first, exec_line) == ("#!/bin/sh", f"'''exec' {python} \"$0\" \"$@\"")
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, venv / "bin")
    assert passed_with(python) in baked.stdout


@pytest.mark.slow
def test_hand_written_env_python3_launcher(tmp_path, cookiecutter_python, modern):
    """`#!/usr/bin/env python3`: the python3 first on PATH is the one that has jupyter_server."""
    launcher = write_script(
        tmp_path / "bin" / "jupyter-server",
        "#!/usr/bin/env python3\nimport sys\nfrom jupyter_server.serverapp import main\nsys.exit(main())\n",
    )
    baked = bake_with_launchers(
        tmp_path / "out", cookiecutter_python, launcher.parent, modern / "bin"
    )
    # python3, not the python that modern's own jupyter-server (next on PATH) names.
    assert passed_with(modern / "bin" / "python3") in baked.stdout


@pytest.fixture(scope="module")
def pipx_env(tools) -> dict[str, str]:
    """pipx's home and bin dir under the cache, with cookiecutter and jupyter-server installed once."""
    home = CACHE_DIR / "pipx"
    env = {**os.environ, "PIPX_HOME": str(home / "home"), "PIPX_BIN_DIR": str(home / "bin"),
           "PIPX_MAN_DIR": str(home / "man")}  # fmt: skip
    with FileLock(str(home) + ".lock"):
        for app in ("cookiecutter", "jupyter-server"):
            if not (home / "bin" / app).exists():
                run([str(tools / "bin" / "pipx"), "install", "--force", app], env=env)
    return env


@pytest.mark.slow
def test_pipx_symlinked_launcher(tmp_path, cookiecutter_python, pipx_env):
    launcher = Path(pipx_env["PIPX_BIN_DIR"]) / "jupyter-server"
    assert launcher.is_symlink()
    python = launcher.resolve().parent / "python"
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, launcher.parent)
    assert passed_with(python) in baked.stdout


@pytest.mark.slow
def test_uv_launcher_of_a_venv_whose_path_has_a_space(tmp_path, cookiecutter_python, tools):
    venv = uv_venv(tools, tmp_path / "my envs" / "uv env", "jupyter_server>=2.13")
    lines = (venv / "bin" / "jupyter-server").read_text().splitlines()
    assert lines[:2] == ["#!/bin/sh", f"'''exec' '{venv / 'bin' / 'python'}' \"$0\" \"$@\""]
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, venv / "bin")
    assert passed_with(venv / "bin" / "python") in baked.stdout


@pytest.mark.slow
def test_uv_relocatable_launcher(tmp_path, cookiecutter_python, tools):
    """The exec line computes the interpreter in the shell: the python beside the launcher runs."""
    venv = uv_venv(tools, tmp_path / "relocatable", "jupyter_server>=2.13", relocatable=True)
    assert "$(realpath" in (venv / "bin" / "jupyter-server").read_text().splitlines()[1]
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, venv / "bin")
    assert passed_with(venv / "bin" / "python3") in baked.stdout


# ------------------------------------------------------------- slow: servers that cannot judge


def assert_skipped_and_kept(baked: Bake, reason: str) -> None:
    assert baked.returncode == 0
    note = next(line for line in baked.stdout.splitlines() if line.startswith("Load check"))
    assert note.startswith("Load check skipped: ") and reason in note, note
    assert note.endswith(f"Run it later: cd {baked.project.name} && {RUN_LATER}"), note
    assert (baked.project / "pyproject.toml").exists()
    assert "the generated project is broken" not in baked.stderr


@pytest.mark.slow
def test_an_old_jupyter_server_on_path_skips_the_check(tmp_path, cookiecutter_python):
    old = base_venv("jupyter-server-1")
    version = installed_version(old)
    assert version.startswith("1.")
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, old / "bin")
    assert_skipped_and_kept(
        baked, f"jupyter_server {version} ({old / 'bin' / 'python'}) is too old"
    )
    assert "needs jupyter_server >= 2.13" in baked.stdout


@pytest.mark.slow
def test_a_supported_jupyter_server_later_on_path_is_preferred_to_an_old_one(
    tmp_path, cookiecutter_python, modern
):
    old = base_venv("jupyter-server-1")
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, old / "bin", modern / "bin")
    assert passed_with(modern / "bin" / "python") in baked.stdout


@pytest.mark.slow
def test_a_broken_jupyter_server_on_path_skips_the_check(tmp_path, cookiecutter_python, tools):
    """jupyter_server installed without its dependencies: it imports, its server app does not."""
    venv = uv_venv(tools, tmp_path / "broken", "--no-deps", "jupyter_server>=2.13")
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, venv / "bin")
    assert_skipped_and_kept(baked, "is broken: importing it fails with ModuleNotFoundError")


@pytest.mark.slow
def test_a_launcher_whose_python_is_gone_skips_the_check(tmp_path, cookiecutter_python):
    """A pipx venv whose base Python was removed, say."""
    gone = tmp_path / "venvs" / "old" / "bin" / "python"
    launcher = write_script(tmp_path / "bin" / "jupyter-server", f"#!{gone}\nimport sys\n")
    baked = bake_with_launchers(tmp_path / "out", cookiecutter_python, launcher.parent)
    assert_skipped_and_kept(baked, f"no usable jupyter_server ({gone} does not exist)")


# ------------------------------------------------------------ slow: cookiecutter run by a tool


def tool_bake(
    command: list[str], out: Path, env: dict[str, str], template: Path = TEMPLATE_DIR
) -> Bake:
    """Run `command` (a cookiecutter-like CLI) on the template, with only `env` given."""
    argv = [*command, "--no-input", "--output-dir", str(out), str(template)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, f"{argv}:\n{result.stdout}\n{result.stderr}"
    return Bake(result.returncode, result.stdout, result.stderr, out, {})


def with_modern_on_path(modern: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, **extra, "PATH": f"{modern / 'bin'}:{SYSTEM_PATH}"}


@pytest.mark.slow
def test_cookiecutter_through_uvx(tmp_path, modern, tools):
    uvx = [str(tools / "bin" / "uvx"), "--python", sys.executable, "--from", "cookiecutter"]
    baked = tool_bake(
        [*uvx, "cookiecutter"], tmp_path / "out", with_modern_on_path(modern, **UV_ENV)
    )
    assert passed_with(modern / "bin" / "python") in baked.stdout


@pytest.mark.slow
def test_cookiecutter_through_pipx(tmp_path, modern, pipx_env):
    cookiecutter = Path(pipx_env["PIPX_BIN_DIR"]) / "cookiecutter"
    baked = tool_bake(
        [str(cookiecutter)], tmp_path / "out", with_modern_on_path(modern, **pipx_env)
    )
    assert passed_with(modern / "bin" / "python") in baked.stdout


@pytest.mark.slow
def test_cruft_create(tmp_path, modern, tools):
    """cruft clones its template with git: a commit of this working tree stands in for it."""
    template = tmp_path / "template"
    shutil.copytree(
        TEMPLATE_DIR,
        template,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".hypothesis"),
    )
    git = ["git", "-C", str(template), "-c", "user.name=test", "-c", "user.email=test@example.com"]
    run([*git, "init", "-q"])
    run([*git, "add", "-A"])
    run([*git, "commit", "-q", "-m", "template"])
    baked = tool_bake(
        [str(tools / "bin" / "cruft"), "create"],
        tmp_path / "out",
        with_modern_on_path(modern),
        template,
    )
    assert passed_with(modern / "bin" / "python") in baked.stdout
    assert (baked.project / ".cruft.json").exists()
