"""validate(): every rule of the pre-generation hook, called directly."""

from __future__ import annotations

import json

import pytest
from bad_answers import BAD_ANSWERS
from combinations import COMBINATIONS
from support import DEFAULTS, TEMPLATE_DIR

from local_extensions.answers import validate


def resolved_defaults() -> dict:
    """The defaults as cookiecutter resolves them with --no-input."""
    answers = {k: (v[0] if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
    answers.update(
        project_slug="jupyter-hello",
        package_name="jupyter_hello",
        url_namespace="jupyter-hello",
        repository_url="https://github.com/jane-developer/jupyter-hello",
    )
    return answers


def test_defaults_are_valid():
    assert validate(resolved_defaults()) == []


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_curated_combinations_are_valid(combination):
    answers = {**resolved_defaults(), **combination.answers}
    answers["description"] = (
        answers["description"].replace("{% raw %}", "").replace("{% endraw %}", "")
    )
    assert validate(answers) == []


@pytest.mark.parametrize(("case", "bad", "answer"), BAD_ANSWERS, ids=[b[0] for b in BAD_ANSWERS])
def test_bad_answer_gets_one_line_naming_it(case, bad, answer):
    problems = validate({**resolved_defaults(), **bad})
    assert problems, f"{case} was accepted"
    message = problems[0]
    assert message.startswith(f"Invalid answer for '{answer}': ")
    assert repr(bad[answer]) in message  # shows the bad value, escaped onto one line
    assert "\n" not in message


def test_every_text_answer_with_a_newline_is_refused():
    for name in ("full_name", "email", "project_name", "project_slug", "package_name",
                 "description", "url_namespace", "handlers"):  # fmt: skip
        answers = resolved_defaults()
        answers[name] = answers[name] + "\nsecond line"
        assert any(f"'{name}'" in p for p in validate(answers)), name


def test_choices_in_cookiecutter_json_match_the_validator():
    from local_extensions.answers import CHOICES

    config = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    for name, allowed in CHOICES.items():
        if isinstance(config.get(name), list):
            assert tuple(config[name]) == allowed or set(config[name]) == set(allowed), name
