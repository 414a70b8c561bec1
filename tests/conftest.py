from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import Bake, bake


@pytest.fixture
def bake_in(tmp_path: Path):
    """bake_in(answers) -> Bake, generated under this test's tmp_path."""

    def _bake(answers: dict | None = None, **kwargs) -> Bake:
        return bake(tmp_path / "out", answers, **kwargs)

    return _bake
