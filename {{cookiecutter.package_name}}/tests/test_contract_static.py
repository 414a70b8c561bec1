{%- set pkg = cookiecutter.package_name -%}
"""The contract of the STATIC route, whatever files it serves: GET and HEAD agree, missing files
are 404, nothing outside the folder is ever served, and caching works as for jupyter_server's own
static files. This file belongs to the template."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from {{ pkg }}.introspect import route_kind
from {{ pkg }}.routes import ROUTES, URL_NAMESPACE
from {{ pkg }}.static_files import StaticFilesHandler

(STATIC,) = [r for r in ROUTES if route_kind(r.handler) == "static"]
FOLDER_URL = STATIC.example.rsplit("/", 1)[0]  # e.g. /assets
SECRET = "the content of a file outside the folder"

Fetch = Callable[..., Awaitable[HTTPResponse]]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http_server_client: Any) -> Path:
    """A static folder with one file inside, and a symlink to a secret outside it (served by a
    listening server: requesting http_server_client is what starts it)."""
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "inside.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text(SECRET)
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    handler = STATIC.handler
    assert issubclass(handler, StaticFilesHandler)
    monkeypatch.setattr(handler, "static_dir", folder)
    return folder


async def raw_get(port: int, base_url: str, path: str, headers: dict[str, str]) -> HTTPResponse:
    """GET a path exactly as written (no client-side normalisation or encoding)."""
    # (url_path_join would drop the slash of an absolute path: it is put back after it)
    folder = url_path_join(base_url, URL_NAMESPACE, FOLDER_URL)
    url = f"http://127.0.0.1:{port}{folder}/{path}"
    return await AsyncHTTPClient().fetch(url, headers=headers, raise_error=False)


async def test_get_and_head_agree_and_missing_files_are_404(jp_fetch: Fetch, folder: Path) -> None:
    got = await jp_fetch(URL_NAMESPACE, FOLDER_URL, "inside.txt")
    assert got.body == b"inside"
    assert got.headers["Content-Type"].startswith("text/plain")
    head = await jp_fetch(URL_NAMESPACE, FOLDER_URL, "inside.txt", method="HEAD")
    assert head.body == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    missing = await jp_fetch(URL_NAMESPACE, FOLDER_URL, "missing.txt", raise_error=False)
    assert missing.code == 404


@pytest.mark.parametrize(
    "path",
    ["../secret.txt", "%2e%2e/secret.txt", "..%2fsecret.txt", "%2E%2E%2Fsecret.txt", "link.txt"],
)
async def test_nothing_outside_the_folder_is_served(
    jp_http_port: int, jp_base_url: str, jp_auth_header: dict[str, str], folder: Path, path: str
) -> None:
    reply = await raw_get(jp_http_port, jp_base_url, path, jp_auth_header)
    assert reply.code in (403, 404)
    assert SECRET.encode() not in reply.body


async def test_an_absolute_path_is_not_served(
    jp_http_port: int, jp_base_url: str, jp_auth_header: dict[str, str], folder: Path
) -> None:
    secret = folder.parent / "secret.txt"
    reply = await raw_get(jp_http_port, jp_base_url, "/" + str(secret).lstrip("/"), jp_auth_header)
    assert reply.code in (403, 404)
    assert SECRET.encode() not in reply.body


async def test_caching_like_jupyter_servers_own_static_files(jp_fetch: Fetch, folder: Path) -> None:
    plain = await jp_fetch(URL_NAMESPACE, FOLDER_URL, "inside.txt")
    assert plain.headers["Cache-Control"] == "no-cache"  # revalidate: the ETag makes it cheap
    etag = plain.headers["Etag"]
    again = await jp_fetch(
        URL_NAMESPACE, FOLDER_URL, "inside.txt", headers={"If-None-Match": etag}, raise_error=False
    )
    assert again.code == 304
    pinned = await jp_fetch(URL_NAMESPACE, FOLDER_URL, "inside.txt", params={"v": "1"})
    assert "max-age" in pinned.headers["Cache-Control"]
