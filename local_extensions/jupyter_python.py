"""Find a Python that has jupyter_server, for the load check, when cookiecutter's own may not.

Cookiecutter often runs where jupyter_server is not (pipx, uvx, cruft); the user's server is then
behind a `jupyter-server` launcher on PATH. The launchers pip, uv, pipx and conda write on Linux
and macOS name their interpreter in one of these ways:

- a direct shebang, `#!/venv/bin/python [args]`;
- `#!/usr/bin/env python3 [args]` (conda with long prefixes, hand-written scripts): looked up on PATH;
- a `#!/bin/sh` wrapper whose second line is `'''exec' "/venv path/bin/python" "$0" "$@"`, which
  pip and uv write when the interpreter's path has a space or is too long for a shebang;
- a symlink to any of these (pipx's ~/.local/bin), read at its target.

The `python3` and `python` beside the launcher's target come next (uv's relocatable wrapper
computes its interpreter at run time). Each candidate is asked in a short subprocess whether it
imports jupyter_server and which version; the first with a version the generated code supports
wins. An older one is returned only when nothing better is within reach: the load check then
says it is too old and skips.

Windows `.exe` launchers (the interpreter's path sits in a zip appended to a stub program) are
out of scope: nothing is found behind them and the load check is skipped.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from .verify_load import MIN_JUPYTER_SERVER, version_tuple

LAUNCHER = "jupyter-server"
PROBE_TIMEOUT = 15.0  # seconds; the import itself takes milliseconds
PROBE_CODE = "import jupyter_server; print(jupyter_server.__version__)"


@dataclass(frozen=True)
class Probe:
    """What one interpreter answered when asked to import jupyter_server."""

    python: str
    version: str | None = None  # jupyter_server.__version__, when the import worked
    problem: str = ""  # why not, otherwise


def find_jupyter_python() -> Probe | None:
    """The first candidate with a supported jupyter_server; failing that, the first with an older
    one, or else the first one asked (its `problem` says why); None when there is no candidate."""
    probes = []
    for python in candidate_pythons():
        probe = ask(python)
        if probe.version is not None and version_tuple(probe.version) >= MIN_JUPYTER_SERVER:
            return probe
        probes.append(probe)
    importing = [probe for probe in probes if probe.version is not None]
    return next(iter(importing + probes), None)


def candidate_pythons() -> Iterator[str]:
    """Cookiecutter's own Python when it has jupyter_server, then the interpreters behind each
    `jupyter-server` on PATH in PATH order, each once (lazily: the first hit stops the search)."""
    seen: set[str] = set()
    own = [sys.executable] if importlib.util.find_spec("jupyter_server") is not None else []
    behind_launchers = (python for path in launchers_on_path() for python in interpreters(path))
    for python in itertools.chain(own, behind_launchers):
        if python not in seen:
            seen.add(python)
            yield python


def launchers_on_path(name: str = LAUNCHER) -> list[str]:
    """Every `name` on PATH, in PATH order: the first is the one the shell would run."""
    found: list[str] = []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        launcher = shutil.which(name, path=directory) if directory else None
        if launcher and launcher not in found:
            found.append(launcher)
    return found


def interpreters(launcher: str) -> list[str]:
    """The interpreters `launcher` may run, most likely first."""
    target = os.path.realpath(launcher)
    named = named_interpreter(first_lines(target))
    beside = [os.path.join(os.path.dirname(target), name) for name in ("python3", "python")]
    found = ([named] if named else []) + [python for python in beside if os.path.exists(python)]
    return list(dict.fromkeys(found))


def first_lines(path: str, count: int = 3) -> list[str]:
    try:
        with open(path, "rb") as script:
            head = script.read(4096)
    except OSError:
        return []
    return head.decode("utf-8", errors="replace").splitlines()[:count]


def named_interpreter(lines: list[str]) -> str | None:
    """The interpreter a launcher's first lines name, or None when they name none we can read."""
    if not lines or not lines[0].startswith("#!"):
        return None
    # The kernel splits a shebang at its first blank, so the program's path never contains one.
    words = lines[0][2:].split()
    if not words:
        return None
    program, args = words[0], words[1:]
    if os.path.basename(program) == "env":
        name = next((arg for arg in args if not arg.startswith("-") and "=" not in arg), None)
        return shutil.which(name) if name else None
    if os.path.basename(program) == "sh":
        return sh_exec_target(lines[1:])
    return program


def sh_exec_target(lines: list[str]) -> str | None:
    """The program in pip's `'''exec' "/venv path/bin/python" "$0" "$@"` line (uv quotes it with
    single quotes); None when the line computes it in the shell."""
    for line in lines:
        if line.startswith("'''exec'"):
            try:
                words = shlex.split(line)
            except ValueError:
                return None
            if len(words) > 1 and words[0] == "exec" and "$" not in words[1]:
                return words[1]
            return None
    return None


def ask(python: str, timeout: float = PROBE_TIMEOUT) -> Probe:
    """Ask `python`, in a subprocess, whether it imports jupyter_server and which version."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}  # as verify runs
    try:
        result = subprocess.run(
            [python, "-B", "-c", PROBE_CODE],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return Probe(python, problem=f"{python} did not answer within {timeout:g} s")
    except OSError as err:
        reason = "does not exist" if not os.path.exists(python) else f"cannot run: {err.strerror}"
        return Probe(python, problem=f"{python} {reason}")
    answer = result.stdout.strip().splitlines()
    if result.returncode != 0 or not answer:
        errors = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
        return Probe(python, problem=f"{python} cannot import jupyter_server: {errors[-1]}")
    return Probe(python, version=answer[-1])
