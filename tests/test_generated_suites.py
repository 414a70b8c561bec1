"""Each curated combination's own test suite passes against a real jupyter_server."""

from __future__ import annotations

import re

import pytest
from combinations import COMBINATIONS
from support import bake, install_for_tests, run_generated_suite

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_generated_suite_passes(tmp_path, combination):
    baked = bake(tmp_path / "out", combination.answers)
    venv = install_for_tests(baked.project, tmp_path / "venv")
    result = run_generated_suite(baked.project, venv)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", result.stdout).group(1))
    # at least: one authorized call per route and method, and the auth-declaration check
    assert passed >= sum(len(r.methods) for r in baked.routes) + 1
    assert (
        " failed" not in result.stdout and "error" not in result.stdout.lower().split("passed")[-1]
    )
