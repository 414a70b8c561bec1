{%- set pkg = cookiecutter.package_name -%}
"""The server keeps its URLs: with the extension loaded beside every server extension installed
here (JupyterLab, Notebook, ...), each URL that jupyter_server or one of them serves still
reaches its own handler, in the order Tornado tries them. A route of routes.py that took such a
URL fails here. This file belongs to the template."""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from jupyter_core.paths import jupyter_config_path
from jupyter_server.extension.config import ExtensionConfigManager
from jupyter_server.extension.manager import ExtensionManager
from tornado.httpclient import HTTPResponse
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
from tornado.routing import Rule

PACKAGE = "{{ pkg }}"
#: The server extensions this environment enables, read before pytest-jupyter points Jupyter's
#: config paths at empty temporary folders.
INSTALLED = ExtensionConfigManager(read_config_path=jupyter_config_path()).get_jpserver_extensions()
#: URLs that must stay the server's own, wherever this environment serves them.
REQUIRED = ["api/status", "api/contents", "api/kernels", "api/sessions", "lab/api/settings"]
#: What each group of a server route's pattern is tried with, to make URLs the route serves.
FILLERS = ("example", "/example", "", "00000000-0000-0000-0000-000000000000", "example/example")
GROUP = re.compile(r"\((?:\?P<\w+>|\?:)?([^()]*)\)(\?)?")
WILDCARDS = {"/?": ("", "/"), ".*": ("", *FILLERS), ".+": FILLERS}
PLACEHOLDERS = 0xE000  # characters of Unicode's private use area stand for the groups

pytestmark = [
    # The other extensions loaded here warn about their own handlers in strict mode...
    pytest.mark.filterwarnings("ignore::jupyter_server.utils.JupyterServerAuthWarning"),
    # ... and about APIs of traitlets and jupyter_server they still use: theirs to fix.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

Fetch = Callable[..., Awaitable[HTTPResponse]]


@pytest.fixture
def jp_server_config(server_config: dict[str, Any]) -> dict[str, Any]:
    server_config["ServerApp"]["jpserver_extensions"] = {**INSTALLED, PACKAGE: True}
    server_config["ServerApp"]["reraise_server_extension_failures"] = True  # all or nothing
    return server_config


@pytest.fixture(autouse=True)
def restored_extension_manager() -> Iterator[None]:
    """notebook_shim, when it loads, replaces ExtensionManager.sorted_extensions for the whole
    process with one that needs notebook_shim loaded: the tests after these get it back."""
    original = ExtensionManager.sorted_extensions
    yield
    ExtensionManager.sorted_extensions = original


def path_rules(web_app: Any) -> list[Rule]:
    """Every path rule of the server, in the order Tornado tries them."""
    return [rule for host in web_app.default_router.rules for rule in host.target.rules]


def is_ours(rule: Rule) -> bool:
    return str(getattr(rule.target, "__module__", "")).split(".")[0] == PACKAGE


def first_match(rules: list[Rule], path: str) -> Rule | None:
    request = HTTPServerRequest(
        start_line=RequestStartLine("GET", path, "HTTP/1.1"),
        headers=HTTPHeaders({"Host": "localhost"}),
    )
    return next((rule for rule in rules if rule.matcher.match(request) is not None), None)


def sample_urls(pattern: str, limit: int = 2) -> list[str]:
    """Up to `limit` URLs that a server route's `pattern` matches: each of its groups tried with
    its own literal alternatives, then with FILLERS."""
    choices: list[tuple[str, ...]] = []  # what each placeholder may stand for, by its index

    def placeholder(fills: tuple[str, ...]) -> str:
        choices.append(fills)
        return chr(PLACEHOLDERS + len(choices) - 1)

    def group(match: re.Match[str]) -> str:
        body, optional = match.groups()
        alternatives = [re.sub(r"\\(.)", r"\1", text) for text in body.split("|")]
        literal = tuple(text for text in alternatives if re.fullmatch(r"[\w./-]*", text))
        return placeholder(("",) * bool(optional) + literal + FILLERS)

    skeleton = pattern.removesuffix("$")
    while (collapsed := GROUP.sub(group, skeleton)) != skeleton:  # innermost groups first
        skeleton = collapsed
    for wildcard, fills in WILDCARDS.items():
        while wildcard in skeleton:
            skeleton = skeleton.replace(wildcard, placeholder(fills), 1)
    skeleton = re.sub(r"\\(.)", r"\1", skeleton)
    marks = [char for char in skeleton if ord(char) >= PLACEHOLDERS]
    urls: list[str] = []
    for values in itertools.product(*(choices[ord(mark) - PLACEHOLDERS] for mark in marks)):
        url = skeleton
        for mark, value in zip(marks, values, strict=True):
            url = url.replace(mark, value, 1)
        if re.fullmatch(pattern, url) and url not in urls:
            urls.append(url)
        if len(urls) == limit:
            break
    return urls


def test_the_servers_urls_reach_their_own_handlers(jp_serverapp: Any, jp_base_url: str) -> None:
    rules = path_rules(jp_serverapp.web_app)
    theirs = [rule for rule in rules if not is_ours(rule)]
    assert len(theirs) < len(rules), "the extension registered no route"
    urls = {jp_base_url + path for path in REQUIRED}
    for rule in theirs:
        pattern = rule.matcher.regex.pattern  # type: ignore[attr-defined]
        urls.update(sample_urls(pattern))
    taken: dict[str, Any] = {}
    for url in sorted(urls):
        owner = first_match(theirs, url)
        if owner is not None and first_match(rules, url) is not owner:
            taken[url] = owner.target
    assert taken == {}, "the extension takes URLs the servers serve"


@pytest.mark.parametrize(
    "path", [path for path in REQUIRED if "jupyterlab" in INSTALLED or not path.startswith("lab/")]
)
async def test_the_servers_own_api_answers(jp_fetch: Fetch, path: str) -> None:
    response = await jp_fetch(path)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
