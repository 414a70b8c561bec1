"""A person at a terminal: `cookiecutter <template>` driven through a pseudo-terminal, answering
cookiecutter's (rich) prompts the way one types them, then the generated project's own tests."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pytest
from support import TEMPLATE_DIR, install_for_tests, run_generated_suite

pytestmark = pytest.mark.slow

TIMEOUT = 60
HANDLERS = "GET /hello; GET,PUT,DELETE /notes/{note_id} NoteHandler; GET /health public"
DESCRIPTION = 'Notes with "quotes", a \\ backslash and ünïcödé'


class Session:
    """One `cookiecutter` run in a pseudo-terminal, with everything it printed kept."""

    def __init__(self, out: Path, home: Path, template: str, cwd: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(home),  # cookiecutter's replay files and config stay in the test's dir
            "TERM": "dumb",
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "cookiecutter", "-o", str(out), template],
            env=env,
            cwd=str(cwd),
            encoding="utf-8",
            timeout=TIMEOUT,
            dimensions=(60, 200),
        )
        self.transcript: list[str] = []
        self.step = 0

    def prompt(self, words: str, ending: str = r"\): ") -> str:
        """Wait for the next prompt ([n/13]), which must start with `words`; return its text."""
        self.step += 1
        pattern = rf"\[{self.step}/\d+\] {re.escape(words)}.*?{ending}"
        self.child.expect(pattern)
        text = self.child.after
        self.transcript.append(self.child.before + text)
        return text

    def type(self, words: str, answer: str) -> str:
        """A text prompt: type `answer` ("" is Enter, taking the default) and press Enter."""
        text = self.prompt(words)
        self.child.sendline(answer)
        return text

    def choose(self, words: str, option: str | None) -> str:
        """A choice list: pick `option` by the number printed beside it (None: Enter)."""
        text = self.prompt(words, ending=r"Choose from \[[\d/]+\] \(\d+\): ")
        if option is None:
            self.child.sendline("")
        else:
            match = re.search(rf"(\d+) - {re.escape(option)}\b", text)
            assert match, f"{option!r} is not offered in:\n{text}"
            self.child.sendline(match.group(1))
        return text

    def finish(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF, timeout=300)
        self.transcript.append(self.child.before)
        self.child.close()
        return self.child.exitstatus, "".join(self.transcript)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Session]]:
    """terminal(template=..., cwd=...) -> a Session writing to tmp_path/out; none outlives the test."""
    sessions: list[Session] = []

    def start(template: str = str(TEMPLATE_DIR), cwd: Path | None = None) -> Session:
        home = tmp_path / "home"
        sessions.append(Session(tmp_path / "out", home, template, cwd or home))
        return sessions[-1]

    yield start
    for session in sessions:
        if session.child.isalive():
            session.child.terminate(force=True)


def enter_through_all_prompts(session: Session) -> None:
    for words in ("Your name", "Your email", "Project name", "Distribution name"):
        session.type(words, "")
    for words in ("Python import name", "One-sentence description", "The project's home"):
        session.type(words, "")
    session.type("URL namespace", "")
    session.type("Route table", "")
    for words in ("How are requests checked", "Generate an ExtensionApp", "Also load in classic"):
        session.choose(words, None)
    session.choose("License", None)
    session.choose("Add GitHub Actions workflows", None)


def test_person_answers_the_prompts_and_gets_a_working_project(tmp_path, terminal):
    out = tmp_path / "out"
    session = terminal()
    session.type("Your name", "")  # Enter: the default
    session.type("Your email", "ada@example.org")
    session.type("Project name", "Acme Notes")
    slug = session.prompt("Distribution name")
    assert "(acme-notes)" in slug  # defaults follow the project name typed above
    session.child.sendline("")
    package = session.prompt("Python import name")
    assert "(acme_notes)" in package
    session.child.sendline("")
    session.type("One-sentence description", DESCRIPTION)
    home = session.prompt("The project's home")
    assert "(https://github.com/jane-developer/acme-notes)" in home  # from the name and slug
    session.child.sendline("https://codeberg.org/ada/acme-notes")
    session.type("URL namespace", "acme/notes")
    session.type("Route table", HANDLERS)
    auth = session.choose("How are requests checked", "authenticated")
    assert "1 - authorized" in auth and "2 - authenticated" in auth
    session.choose("Generate an ExtensionApp", None)
    session.choose("Also load in classic Notebook 6", None)
    session.choose("License", "MIT")
    session.choose("Add GitHub Actions workflows", "no")
    status, transcript = session.finish()

    assert status == 0, transcript[-3000:]
    assert "Load check passed" in transcript
    assert "Created acme_notes/ with 3 route(s)" in transcript
    assert re.search(
        r"GET\s+\{base_url\}acme/notes/health\s+-> HealthHandler \(api, public\)", transcript
    )
    assert "-> NoteHandler (api, authenticated)" in transcript

    project = out / "acme_notes"
    assert sorted(p.name for p in out.iterdir()) == ["acme_notes"]
    recorded = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"]
    assert recorded == {
        "full_name": "Jane Developer",
        "email": "ada@example.org",
        "project_name": "Acme Notes",
        "project_slug": "acme-notes",
        "package_name": "acme_notes",
        "description": DESCRIPTION,
        "repository_url": "https://codeberg.org/ada/acme-notes",
        "url_namespace": "acme/notes",
        "handlers": HANDLERS,
        "auth": "authenticated",
        "extension_app": "no",
        "classic_notebook": "no",
        "license": "MIT",
        "github_actions": "no",
    }
    assert not (project / ".github").exists()
    assert "MIT License" in (project / "LICENSE").read_text()

    venv = install_for_tests(project, tmp_path / "venv")
    result = run_generated_suite(project, venv, "-rA")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    for test in (
        "test_the_token_is_let_through[GET /notes/example]",
        "test_public_methods_answer_without_credentials[GET /health]",
        "test_no_credentials_are_refused[DELETE /notes/example]",
        "test_delete_of_an_item",
    ):
        assert re.search(rf"^PASSED tests/\S+::{re.escape(test)}$", result.stdout, re.M), test


def test_invalid_package_name_is_refused_and_nothing_is_left(tmp_path, terminal):
    out = tmp_path / "out"
    session = terminal()
    session.type("Your name", "")
    session.type("Your email", "")
    session.type("Project name", "Bad Package")
    session.type("Distribution name", "")
    session.type("Python import name", "Bad-Package")
    for words in ("One-sentence description", "The project's home", "URL namespace"):
        session.type(words, "")
    session.type("Route table", "")
    for words in ("How are requests checked", "Generate an ExtensionApp", "Also load in classic"):
        session.choose(words, None)
    session.choose("License", None)
    session.choose("Add GitHub Actions workflows", None)
    status, transcript = session.finish()

    assert status == 1, transcript[-3000:]
    assert (
        "ERROR: Invalid answer for 'package_name': 'Bad-Package' is not a lowercase" in transcript
    )
    assert "Load check" not in transcript
    assert not out.exists() or list(out.iterdir()) == []


def test_route_table_prompt_shows_the_whole_syntax(terminal):
    session = terminal()
    for words in ("Your name", "Your email", "Project name", "Distribution name"):
        session.type(words, "")
    for words in ("Python import name", "One-sentence description", "The project's home"):
        session.type(words, "")
    session.type("URL namespace", "")
    prompt = " ".join(session.prompt("Route table").split())
    session.child.terminate(force=True)
    assert "METHODS ROUTE [ClassName] [public] [page|download]" in prompt, prompt


def test_template_given_as_a_relative_path(tmp_path, terminal):
    session = terminal(template=".", cwd=TEMPLATE_DIR)
    enter_through_all_prompts(session)
    status, transcript = session.finish()
    assert status == 0, transcript[-3000:]
    assert (tmp_path / "out" / "jupyter_hello" / ".cookiecutter.json").exists()
