"""The `handlers` answer: a route table written as one string.

Syntax (entries separated by ``;``)::

    METHODS ROUTE [ClassName] [public] [page]

* METHODS: comma-separated HTTP methods (GET, POST, PUT, PATCH, DELETE), any case.
* ROUTE: starts with ``/``, relative to the URL namespace. ``{name}`` is a path parameter
  matching one path segment; Tornado regular expressions are accepted too.
* ClassName: optional CapWords handler class name; derived from the route when absent.
* ``public``: serve the route without authentication.
* ``page``: render an HTML page from a Jinja2 template (GET only, needs ``extension_app``).

This module is pure (no I/O) so that the Jinja filters, the hooks and the tests share it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from .sample_paths import NoSamplePath, sample_path

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FLAGS = ("public", "page")
PARAM_REGEX = "[^/]+"

# Names a handler class must not take: the base classes the generated code imports or extends.
RESERVED_CLASS_NAMES = frozenset(
    {
        "APIHandler",
        "JupyterHandler",
        "IPythonHandler",
        "ExtensionHandlerMixin",
        "ExtensionHandlerJinjaMixin",
        "RequestHandler",
        "StaticFileHandler",
        "BaseHandler",
        "ExtensionApp",
        "ExtensionAppJinjaMixin",
        "Handler",
        "PublicWriteMixin",
        # other names the generated modules import or define
        "Any",
        "Authorizer",
        "Configurable",
        "JupyterServerAuthWarning",
        "Path",
        "ROUTES",
        "ServerApp",
        "Unicode",
    }
)

# Path-parameter names the generated handler methods already use (modules, locals, JSON keys),
# plus `l`, which ruff rejects as an ambiguous variable name (E741).
RESERVED_PARAM_NAMES = frozenset(
    {
        "self", "asyncio", "hashlib", "json", "web", "authorized", "allow_unauthenticated",
        "sha256_hexdigest", "greeting", "body", "digest", "body_sha256", "created", "replaced",
        "updated", "html", "l",
    }
)  # fmt: skip

_PLACEHOLDER = re.compile(r"\{([^{}\d,][^{}]*)\}")  # not a {m,n} quantifier
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*\Z")


class HandlersError(ValueError):
    """A problem with the `handlers` answer, worded for the person who typed it."""


class ShadowedRouteError(HandlersError):
    """A route that an earlier route of the table already matches."""


@dataclass(frozen=True)
class Route:
    """One entry of the route table."""

    methods: tuple[str, ...]
    route: str  # as typed, e.g. /items/{item_id}
    pattern: str  # Tornado regex, e.g. /items/(?P<item_id>[^/]+)
    params: tuple[str, ...]  # handler keyword (or positional) arguments, in order
    positional: bool  # True when the pattern uses unnamed groups
    class_name: str
    public: bool = False
    page: bool = False
    sample_path: str = field(default="", compare=False)  # a concrete path the pattern matches

    @property
    def absent_method(self) -> str | None:
        """An HTTP method this route does not serve (for 405 checks); None if it serves all."""
        absent = (m for m in ("PATCH", "PUT", "DELETE", "POST", "GET") if m not in self.methods)
        return next(absent, None)

    @property
    def writes(self) -> bool:
        """Serves a method other than GET (one that Jupyter guards with an XSRF check)."""
        return self.methods != ("GET",)

    @property
    def body_methods(self) -> tuple[str, ...]:
        return tuple(m for m in self.methods if m in ("POST", "PUT", "PATCH"))

    def sample_params(self) -> dict[str, str]:
        match = re.fullmatch(self.pattern, self.sample_path)
        assert match is not None
        if self.positional:
            return {name: value for name, value in zip(self.params, match.groups(), strict=True)}
        return match.groupdict()


def first_get_route(routes: list[Route]) -> Route | None:
    """The route a generated test or landing page should GET: a JSON route, else a page."""
    candidates = [r for r in routes if "GET" in r.methods]
    return next((r for r in candidates if not r.page), candidates[0] if candidates else None)


def blocking_work_example(routes: list[Route]) -> tuple[Route, str] | None:
    """Where the generated code shows how to keep blocking work off the event loop: the first
    method with a request body (hashing it is real work), else the first JSON route's first."""
    api_routes = [r for r in routes if not r.page]
    candidates = [r for r in api_routes if r.body_methods] or api_routes
    if not candidates:
        return None
    route = candidates[0]
    return route, (route.body_methods or route.methods)[0]


def parse_handlers(text: str) -> list[Route]:
    """Parse the `handlers` answer into routes, raising HandlersError on any problem."""
    if not isinstance(text, str) or not text.strip():
        raise HandlersError("is empty; give at least one entry like 'GET /hello HelloWorldHandler'")
    entries = [entry.strip() for entry in text.split(";")]
    if any(not entry for entry in entries):
        raise HandlersError(f"{text!r} has an empty entry between ';' separators")
    drafts = [_parse_entry(entry) for entry in entries]
    _check_unique(drafts, "route", "route")
    _check_not_shadowed(drafts)
    given = [d["class_name"] for d in drafts if d["class_name"]]
    _check_unique([d for d in drafts if d["class_name"]], "class_name", "class name")
    taken = set(given)
    routes = []
    for draft in drafts:
        if not draft["class_name"]:
            draft["class_name"] = _unique(derive_class_name(draft["route"]), taken)
            taken.add(draft["class_name"])
        routes.append(Route(**draft))
    return routes


def _parse_entry(entry: str) -> dict:
    words = entry.split()
    if len(words) < 2:
        raise HandlersError(f"entry {entry!r} needs at least METHODS and ROUTE, e.g. 'GET /hello'")
    methods_word, route, *rest = words
    methods = _parse_methods(methods_word, entry)
    flags = [w for w in rest if w.lower() in FLAGS]
    names = [w for w in rest if w.lower() not in FLAGS]
    if len(names) > 1:
        raise HandlersError(
            f"entry {entry!r} has unexpected words {names[1:]!r}; "
            "after the route only a ClassName and the words 'public' or 'page' are allowed"
        )
    class_name = names[0] if names else ""
    if class_name:
        _check_class_name(class_name, entry)
    page = "page" in (f.lower() for f in flags)
    if page and methods != ("GET",):
        raise HandlersError(f"entry {entry!r}: a 'page' route serves GET only")
    pattern, params, positional = route_to_pattern(route, entry)
    draft = {
        "methods": methods,
        "route": route,
        "pattern": pattern,
        "params": params,
        "positional": positional,
        "class_name": class_name,
        "public": "public" in (f.lower() for f in flags),
        "page": page,
    }
    try:
        draft["sample_path"] = sample_path(pattern)
    except NoSamplePath:
        raise HandlersError(
            f"entry {entry!r}: cannot build an example URL for route pattern {pattern!r}; "
            "simplify the regular expression or use {name} parameters"
        ) from None
    return draft


def _parse_methods(word: str, entry: str) -> tuple[str, ...]:
    methods: list[str] = []
    for method in word.split(","):
        upper = method.strip().upper()
        if upper not in METHODS:
            raise HandlersError(
                f"entry {entry!r} has unknown HTTP method {method!r}; allowed: {', '.join(METHODS)}"
            )
        if upper not in methods:
            methods.append(upper)
    return tuple(sorted(methods, key=METHODS.index))


def _check_class_name(name: str, entry: str) -> None:
    if not _CLASS_NAME.match(name) or keyword.iskeyword(name):
        raise HandlersError(
            f"entry {entry!r}: class name {name!r} is not a CapWords identifier "
            "(a capital letter, then letters and digits, e.g. ItemsHandler)"
        )
    if name in RESERVED_CLASS_NAMES:
        raise HandlersError(
            f"entry {entry!r}: class name {name!r} would shadow a base class; choose another name"
        )


def route_to_pattern(route: str, entry: str = "") -> tuple[str, tuple[str, ...], bool]:
    """Turn a ROUTE into (tornado regex, parameter names, uses positional groups)."""
    where = f"entry {entry!r}: " if entry else ""
    if not route.startswith("/"):
        raise HandlersError(
            f"{where}route {route!r} must start with '/' (e.g. /{route.lstrip('/')})"
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in route) or "?" in route.split("(?")[0]:
        raise HandlersError(f"{where}route {route!r} must not contain spaces or a query string")
    if not route.isascii():
        # Tornado matches the percent-encoded path: a literal non-ASCII route never matches.
        raise HandlersError(f"{where}route {route!r} must be ASCII (URL paths are percent-encoded)")
    if route.endswith("$"):
        route = route[:-1]  # Tornado anchors every pattern itself
    if route == "/":
        return "/?", (), True  # the namespace's own URL, with or without a trailing slash

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1)
        if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
            raise HandlersError(
                f"{where}path parameter {{{name}}} must be a lowercase Python identifier, "
                "e.g. {item_id}"
            )
        return f"(?P<{name}>{PARAM_REGEX})"

    pattern = _PLACEHOLDER.sub(placeholder, route)
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise HandlersError(
            f"{where}route {route!r} is not a valid regular expression ({err})"
        ) from None
    named = list(compiled.groupindex)
    if named and compiled.groups != len(named):
        raise HandlersError(
            f"{where}route {route!r} mixes named and unnamed groups; Tornado needs all of one kind "
            "(use {name} or (?P<name>...) everywhere, or (?:...) for a group that captures nothing)"
        )
    if len(set(named)) != len(named):
        raise HandlersError(f"{where}route {route!r} repeats a path parameter name")
    if named:
        params = tuple(sorted(named, key=compiled.groupindex.__getitem__))
        for name in params:
            if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
                raise HandlersError(
                    f"{where}path parameter {name!r} must be a lowercase identifier"
                )
            if name in RESERVED_PARAM_NAMES:
                raise HandlersError(
                    f"{where}path parameter {name!r} is a name the generated handler code uses "
                    f"itself; choose another, e.g. {{{name}_id}}"
                )
        return pattern, params, False
    return pattern, tuple(f"arg{i}" for i in range(1, compiled.groups + 1)), True


def derive_class_name(route: str) -> str:
    """A readable CapWords name from a route: /items/{item_id} -> ItemsItemIdHandler."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", _PLACEHOLDER.sub(r" \1 ", route.split("(")[0]))
    stem = "".join(w[:1].upper() + w[1:] for part in words for w in part.split("_") if w)
    if not stem:
        stem = "Root"
    name = stem + "Handler"
    return name if name not in RESERVED_CLASS_NAMES else stem + "RouteHandler"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken or candidate in RESERVED_CLASS_NAMES:
        candidate = f"{name[: -len('Handler')]}{n}Handler"
        n += 1
    return candidate


def _check_not_shadowed(drafts: list[dict]) -> None:
    """Tornado serves a path with the first route that matches it: a later route must not be
    caught by an earlier one (its example path stands in for all of its paths)."""
    for index, later in enumerate(drafts):
        for earlier in drafts[:index]:
            if re.fullmatch(earlier["pattern"], later["sample_path"]):
                raise ShadowedRouteError(
                    f"route {later['route']!r} is never reached: the earlier route "
                    f"{earlier['route']!r} also matches {later['sample_path']!r}; "
                    "put the more specific route first"
                )


def _check_unique(drafts: list[dict], key: str, label: str) -> None:
    seen: set[str] = set()
    for draft in drafts:
        value = draft[key]
        if value in seen:
            raise HandlersError(f"{label} {value!r} appears in more than one entry")
        seen.add(value)
