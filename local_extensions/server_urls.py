"""Which routes of a new extension collide with URLs the Jupyter servers already serve.

server_urls.json (written from live servers by refresh_server_urls.py) lists the route patterns
that jupyter_server, Notebook 6, the bundled apps and JupyterHub's single-user server serve,
relative to base_url, each with its owner and a few sample URLs. Tornado tries routes in order:
extensions by package name (alphabetically), then the server's own ("core"). A route of package P
collides with a server route R when
  * R is tried before P's routes and matches the route's sample path (the route is never reached);
  * R is tried after them and both match one of R's samples, the route's sample path, or a
    prefix of one of R's samples followed by the rest of the route's sample path (the route takes
    over a URL that the server serves: /{name}/hello catches /files/hello).
Sharing a prefix is not a collision: /api/metrics/v1 sits beside /api/status. Nor is taking a
URL of the package's own (a new version of an extension the snapshot holds).
Pure (no Jupyter imports): the pre-generation hook runs where jupyter_server is not installed.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("server_urls.json")
FLAVOURS = ("classic", "hub", "modern")  # Notebook 6; JupyterHub single-user; jupyter_server 2

# When Tornado tries a server route, relative to the routes of the extensions
BEFORE_EXTENSIONS = "before extensions"  # Notebook 6 registers its terminals before extensions
IN_LOAD_ORDER = "in load order"  # an extension's own routes: by the owner's name
AFTER_EXTENSIONS = "after extensions"  # the server's own routes (Tornado's wildcard router)
TRIED = (BEFORE_EXTENSIONS, IN_LOAD_ORDER, AFTER_EXTENSIONS)


@dataclass(frozen=True)
class ServerRoute:
    """One route pattern that a server serves, relative to base_url."""

    pattern: str  # Tornado regex, e.g. /api/kernels/(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)
    owner: str  # the extension that registers it, or "core"
    tried: str  # one of TRIED
    flavours: tuple[str, ...]
    samples: tuple[str, ...]  # concrete paths the pattern matches
    regex: re.Pattern[str] = field(compare=False, repr=False)

    def tried_before(self, package_name: str) -> bool:
        """Whether Tornado tries this route before the routes of extension `package_name`."""
        if self.tried == IN_LOAD_ORDER:
            return self.owner < package_name  # ExtensionManager.sorted_extensions
        return self.tried == BEFORE_EXTENSIONS

    @property
    def who(self) -> str:
        return "the server" if self.owner == "core" else self.owner


@functools.cache
def server_routes() -> tuple[ServerRoute, ...]:
    """The snapshot's routes, read once."""
    routes = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["routes"]
    return tuple(
        ServerRoute(
            pattern=r["pattern"], owner=r["owner"], tried=r["tried"],
            flavours=tuple(r["flavours"]), samples=tuple(r["samples"]),
            regex=re.compile(r["pattern"]),
        )
        for r in routes
    )  # fmt: skip


def collisions(
    pattern: str, sample: str, package_name: str, *, flavours: Collection[str] = FLAVOURS
) -> list[str]:
    """One message per server route that the extension route collides with (see the module doc):
    "never reached: <owner> serves <url> (<server pattern>)" or "catches <url> that <owner>
    serves (<server pattern>)", where <owner> is "the server" for core routes.

    `pattern` is the route's Tornado regex under the namespace, relative to base_url (e.g.
    /api/(?P<name>[^/]+)), `sample` a path it matches, `package_name` the extension's name;
    `flavours` narrows the check to the servers that will load the extension.
    """
    own, wanted = re.compile(pattern), set(flavours)
    messages: list[str] = []
    for route in server_routes():
        if wanted.isdisjoint(route.flavours) or route.owner == package_name:
            continue  # (a package does not collide with its own routes: a new version of it)
        message = _collision(route, own, sample, package_name)
        if message and message not in messages:
            messages.append(message)
    return messages


def _collision(route: ServerRoute, own: re.Pattern[str], sample: str, package: str) -> str | None:
    if route.tried_before(package):
        if route.regex.fullmatch(sample):
            return f"never reached: {route.who} serves {sample}{_pattern_unless(route, sample)}"
        return None
    for url in _candidates(route, sample):
        if own.fullmatch(url) and route.regex.fullmatch(url):
            return f"catches {url} that {route.who} serves{_pattern_unless(route, url)}"
    return None


def _candidates(route: ServerRoute, sample: str) -> Iterator[str]:
    """URLs that both may match: the server route's samples, the extension route's sample, and
    each prefix of a server sample followed by the rest of the route's sample (so that
    /{name}/hello is seen to catch /files/hello)."""
    yield from route.samples
    yield sample
    rest = sample.split("/")
    for server_sample in route.samples:
        segments = server_sample.split("/")
        for length in range(2, len(segments) + 1):
            yield "/".join(segments[:length] + rest[length:])


def _pattern_unless(route: ServerRoute, url: str) -> str:
    return "" if route.pattern == url else f" ({route.pattern})"
