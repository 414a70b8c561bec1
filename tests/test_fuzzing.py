"""Each curated combination's own fuzz test (`pytest -m fuzz`: schemathesis driving a live
`jupyter server` from the extension's OpenAPI document) finds nothing; the number of requests
it generated is printed for the report."""

from __future__ import annotations

import re

import pytest
from combinations import COMBINATIONS
from support import bake, install_for_tests, run_generated_suite

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_schemathesis_finds_nothing(tmp_path, combination):
    baked = bake(tmp_path / "out", combination.answers)
    venv = install_for_tests(baked.project, tmp_path / "venv")
    result = run_generated_suite(baked.project, venv, "-m", "fuzz", "-s")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert generated, result.stdout[-3000:]
    assert generated.group(1) == generated.group(2)
    assert int(generated.group(1)) > 0
    print(f"{combination.id}: schemathesis generated {generated.group(1)} requests, all passed")
