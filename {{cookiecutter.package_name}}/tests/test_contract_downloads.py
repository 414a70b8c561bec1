{%- set pkg = cookiecutter.package_name -%}
"""The contract of what download routes build on, whatever the handlers answer: `file_in` never
leads outside its folder, and attachment names survive any character. This file belongs to the
template."""

from __future__ import annotations

from pathlib import Path

import pytest
from tornado.web import HTTPError

from {{ pkg }}.downloads import attachment, file_in

SECRET = b"the content of a file outside the folder"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a file and a subfolder inside, and a symlink to a secret outside it."""
    folder = tmp_path / "downloads"
    (folder / "sub").mkdir(parents=True)
    (folder / "inside.txt").write_bytes(b"inside")
    (folder / "sub" / "deeper.txt").write_bytes(b"deeper")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    return folder


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("inside.txt", "inside.txt"),
        ("sub/deeper.txt", "sub/deeper.txt"),
        ("/inside.txt", "inside.txt"),
    ],
)
def test_a_file_inside_is_found(folder: Path, name: str, found: str) -> None:
    assert file_in(folder, name) == (folder / found).resolve()


@pytest.mark.parametrize(
    "name",
    ["../secret.txt", "sub/../../secret.txt", "link.txt", "missing.txt", "sub", "", "a\x00b"],
)
def test_nothing_else_is(folder: Path, name: str) -> None:
    with pytest.raises(HTTPError) as refused:
        file_in(folder, name)
    assert refused.value.status_code == 404


def test_an_absolute_path_stays_inside(folder: Path) -> None:
    with pytest.raises(HTTPError):
        file_in(folder, str(folder.parent / "secret.txt"))


def test_attachment_names_survive_any_character() -> None:
    assert attachment("report 2026.csv") == "attachment; filename*=UTF-8''report%202026.csv"
    assert attachment('a"b;c/ü.txt') == "attachment; filename*=UTF-8''a%22b%3Bc%2F%C3%BC.txt"
