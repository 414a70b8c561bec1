"""The README's two set-up commands stay true: CI runs the very test command it gives."""

from __future__ import annotations

import re

from support import TEMPLATE_DIR

README = (TEMPLATE_DIR / "README.md").read_text()


def setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "cookiecutter ." in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci_lines = (TEMPLATE_DIR / ".ci" / "run").read_text().splitlines()
    assert setup_commands()[1] in ci_lines
