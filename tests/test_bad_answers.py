"""Bad answers through the real `cookiecutter` command: refused, named, nothing left on disk."""

from __future__ import annotations

import pytest
from bad_answers import BAD_ANSWERS, INJECTIONS


def files_under(path):
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*")) if path.exists() else []


@pytest.mark.parametrize(("case", "bad", "answer"), BAD_ANSWERS, ids=[b[0] for b in BAD_ANSWERS])
def test_bad_answer_is_refused_and_leaves_nothing(bake_in, tmp_path, case, bad, answer):
    result = bake_in(bad, check=False)
    assert result.returncode == 1
    if answer == "auth":  # a choice: cookiecutter itself refuses values outside the list
        assert "none provided for choice variable auth" in result.stderr
    else:
        assert f"ERROR: Invalid answer for '{answer}': {bad[answer]!r}" in result.stderr
    assert files_under(result.output_dir) == []


@pytest.mark.parametrize(
    ("answer", "value"), INJECTIONS, ids=[f"{a}-{i}" for i, (a, _) in enumerate(INJECTIONS)]
)
def test_injection_attempt_runs_no_code(bake_in, tmp_path, answer, value):
    result = bake_in({answer: value}, check=False)
    assert result.returncode == 1
    assert f"Invalid answer for '{answer}'" in result.stderr
    assert not any(p.name == "INJECTED" for p in tmp_path.rglob("*"))
    assert files_under(result.output_dir) == []
