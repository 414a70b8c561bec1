"""The Jinja extension cookiecutter loads (`_extensions` in cookiecutter.json): it registers the
filters of the `local_extensions` now on disk, even if another commit's copy is in sys.modules.

`cruft update` renders the project's old template commit, then the new one, in one process and
from one clone (`git reset` in between). cookiecutter imports extensions by name, so the second
render would get the first commit's `local_extensions` from sys.modules (so would a process
that bakes from two checkouts). Older commits never imported this module, so cookiecutter
executes it from disk; it re-imports the package when the one Python would import now (path and
files) is not the one in sys.modules. Keep this module's name and job unchanged.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from pathlib import Path

from jinja2 import Environment
from jinja2.ext import Extension

PACKAGE = __name__.rpartition(".")[0]


def source_stamp(directory: Path) -> tuple[object, ...]:
    """What identifies the package's sources: its folder, and each file's name, size and
    modification time."""
    files = sorted(p for p in directory.iterdir() if p.suffix in (".py", ".json"))
    return (str(directory), *((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files))


def importable_now() -> Path:
    """The folder Python would import the package from now (sys.path as cookiecutter set it)."""
    spec = importlib.machinery.PathFinder.find_spec(PACKAGE)
    origin = spec.origin if spec and spec.origin else __file__
    return Path(origin).resolve().parent


class TemplateExtension(Extension):
    """Registers the filters of the package's current sources (see the module docstring)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        package = importlib.import_module(PACKAGE)
        if getattr(package, "SOURCE_STAMP", None) != source_stamp(importable_now()):
            for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
                del sys.modules[name]
            importlib.invalidate_caches()
            package = importlib.import_module(PACKAGE)
        package.TemplateExtension(environment)
