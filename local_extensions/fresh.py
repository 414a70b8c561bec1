"""The Jinja extension cookiecutter loads (`_extensions` in cookiecutter.json): it registers the
filters of the `local_extensions` now on disk, even if another commit's copy is in sys.modules.

`cruft update` renders the project's old template commit, then the new one, in one process and
from one clone (`git reset` in between). cookiecutter imports extensions by name, so the second
render would get the first commit's `local_extensions` from sys.modules. Older commits never
imported this module, so cookiecutter executes it from disk; it re-imports the package when its
files differ from the ones it was imported from. Keep this module's name and job unchanged.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from jinja2 import Environment
from jinja2.ext import Extension

PACKAGE = __name__.rpartition(".")[0]


def source_stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies the package's sources: name, size and modification time of each file."""
    files = sorted(p for p in directory.iterdir() if p.suffix in (".py", ".json"))
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


class TemplateExtension(Extension):
    """Registers the filters of the package's current sources (see the module docstring)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        package = importlib.import_module(PACKAGE)
        here = Path(__file__).resolve().parent
        if getattr(package, "SOURCE_STAMP", None) != source_stamp(here):
            for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
                del sys.modules[name]
            importlib.invalidate_caches()
            package = importlib.import_module(PACKAGE)
        package.TemplateExtension(environment)
