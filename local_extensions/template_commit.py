"""The template commit a project is generated from. `.cookiecutter.json` records it, so that
`cruft link --checkout <commit>` can link the project later, even one made with plain cookiecutter.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

NOT_A_CHECKOUT = "the template was not a git checkout: link the project to the release you used"
MODIFIED = "the template checkout had uncommitted changes: the commit is the last one before them"


def _git(template_dir: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=template_dir,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},  # status must not take the index lock
    )
    if result.returncode != 0:
        raise OSError(result.stderr.strip() or "git failed")
    return result.stdout.strip()


def template_commit(template_dir: Path) -> dict[str, str | None]:
    """{"commit": <sha>}, with a "note" when the checkout has uncommitted changes; or
    {"commit": None, "note": ...} when the template is not a git checkout (or git is missing)."""
    try:
        top = _git(template_dir, "rev-parse", "--show-toplevel")
        if Path(top).resolve() != template_dir.resolve():  # a folder inside another repository
            return {"commit": None, "note": NOT_A_CHECKOUT}
        commit = _git(template_dir, "rev-parse", "HEAD")
        modified = _git(template_dir, "status", "--porcelain")
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "note": NOT_A_CHECKOUT}
    return {"commit": commit, "note": MODIFIED} if modified else {"commit": commit}
