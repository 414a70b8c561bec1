"""The `handlers` answer: a route table written as one string.

Syntax (entries separated by ``;``)::

    METHODS ROUTE [ClassName] [public] [page|download]
    WS|SSE|STATIC ROUTE [ClassName] [public]

* METHODS: comma-separated HTTP methods (GET, HEAD, POST, PUT, PATCH, DELETE), any case.
* WS: a WebSocket; SSE: a GET answering a ``text/event-stream``; STATIC: the package's
  ``static/`` folder served under ROUTE. Each stands alone in its entry.
* ROUTE: starts with ``/`` (or with a regex group whose matches start with ``/``), relative to the
  URL namespace. ``{name}`` is a path parameter matching one path segment; Tornado regular
  expressions are accepted too. Literal characters that clients may percent-encode (``:``,
  ``@``, ``=``, ``!``, ``,``, ...) match in both forms.
* ClassName: optional CapWords handler class name; derived from the route when absent. Repeating
  it on several routes registers one class for each of them (same methods required).
* ``public``: serve the route without authentication.
* ``page``: render an HTML page from a Jinja2 template (GET only, needs ``extension_app``).
* ``download``: answer a file or other bytes, as jupyter_server's own file handlers do (GET and
  HEAD; browsers that are not logged in go to the login page, errors are HTML pages).

This module is pure (no I/O) so that the Jinja filters, the hooks and the tests share it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .sample_paths import NoSamplePath, sample_path

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")
KINDS = ("api", "page", "download", "ws", "sse", "static")
#: Entry words that name a route kind instead of HTTP methods, and the methods that kind serves.
KIND_WORDS = {
    "WS": ("ws", ("GET",)),
    "SSE": ("sse", ("GET",)),
    "STATIC": ("static", ("GET", "HEAD")),
}
FLAGS = ("public", "page", "download")
#: The methods each flagged kind may serve.
FLAG_METHODS = {"page": ("GET",), "download": ("GET", "HEAD")}
PARAM_REGEX = "[^/]+"
STATIC_EXAMPLE_FILE = "hello.txt"
#: The file a download route's example URL names (in the package's downloads/ folder).
DOWNLOAD_EXAMPLE_FILE = "example.txt"
#: Routes the generated package serves itself under the namespace.
OPENAPI_ROUTE = "/openapi.json"
RESERVED_ROUTES = {OPENAPI_ROUTE: "the generated OpenAPI document"}
#: The namespace's JSON 404, relative to it: every URL below it that no route matches (and a
#: percent-encoded character right after it, which a namespace never holds).
NOT_FOUND_PATTERN = "(?:[/%].*)?"
NOT_FOUND_SAMPLE = "/no-such-route"

# Names a handler class must not take: the base classes and names the generated modules import.
RESERVED_CLASS_NAMES = frozenset(
    {
        "APIHandler", "JupyterHandler", "IPythonHandler", "ExtensionHandlerMixin",
        "ExtensionHandlerJinjaMixin", "RequestHandler", "StaticFileHandler", "BaseHandler",
        "ExtensionApp", "ExtensionAppJinjaMixin", "Handler", "PublicWriteMixin",
        "WebSocketHandler", "WebSocketMixin", "ExtensionAPIHandler", "EventStreamHandler",
        "SocketHandler", "StaticFilesHandler", "PageHandler", "NotFoundHandler",
        "OpenAPIHandler", "Operation", "Route", "JSONError", "HTTPError",
        "Any", "Authorizer", "Configurable", "JupyterServerAuthWarning", "Path", "ROUTES",
        "ServerApp", "Unicode", "ClassVar",
    }
)  # fmt: skip

_PLACEHOLDER = re.compile(r"\{([^{}\d,][^{}]*)\}")  # not a {m,n} quantifier
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
#: Longer names push generated lines past ruff's 100 columns (and are hard to read).
MAX_NAME = 50
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*\Z")
#: RFC 3986 sub-delimiters and ':' '@': legal in a path, yet encoded by many clients
#: (Python's quote, JupyterLab's URLExt.encodeParts, pytest-jupyter's jp_fetch).
ENCODABLE = "!$&'()*+,;=:@"
#: Characters a URL path cannot carry unencoded (nor a regex give a meaning we support).
_FORBIDDEN = set('"<>`#%')
_QUERY_LIKE = re.compile(r"(?<!\()\?[A-Za-z_][\w-]*=")
_GROUP_HEADER = re.compile(r"\(\?(P<\w+>|<[=!])")


class HandlersError(ValueError):
    """A problem with the `handlers` answer, worded for the person who typed it."""


class ShadowedRouteError(HandlersError):
    """A route that an earlier route of the table already matches."""


@dataclass(frozen=True)
class Route:
    """One entry of the route table."""

    methods: tuple[str, ...]  # HTTP methods served (a WebSocket's upgrade is a GET)
    route: str  # as typed, e.g. /items/{item_id}
    pattern: str  # Tornado regex, e.g. /items/(?P<item_id>[^/]+)
    params: tuple[str, ...]  # handler keyword (or positional) arguments, in order
    positional: bool  # True when the pattern uses unnamed groups
    class_name: str
    public: bool = False
    kind: str = "api"  # one of KINDS
    sample_path: str = field(default="", compare=False)  # a concrete path the pattern matches

    @property
    def page(self) -> bool:
        return self.kind == "page"

    @property
    def download(self) -> bool:
        return self.kind == "download"

    @property
    def label(self) -> str:
        """How the route table and the README show what the route serves."""
        return ", ".join(self.methods) if self.kind in ("api", *FLAG_METHODS) else self.kind.upper()

    @property
    def absent_method(self) -> str | None:
        """An HTTP method this route does not serve (for 405 checks); None if it serves all."""
        absent = (m for m in ("PATCH", "PUT", "DELETE", "POST", "GET") if m not in self.methods)
        return next(absent, None)

    @property
    def writes(self) -> bool:
        """Serves a method other than GET and HEAD (one that Jupyter guards with XSRF checks)."""
        return any(m not in ("GET", "HEAD") for m in self.methods)

    @property
    def body_methods(self) -> tuple[str, ...]:
        return tuple(m for m in self.methods if m in BODY_METHODS)

    def sample_params(self) -> dict[str, str]:
        match = re.fullmatch(self.pattern, self.sample_path)
        assert match is not None
        if self.positional:
            return dict(zip(self.params, match.groups(), strict=True))
        return match.groupdict()


@dataclass(frozen=True)
class HandlerClass:
    """One generated handler class, and the routes it serves (more than one when shared)."""

    name: str
    routes: tuple[Route, ...]

    @property
    def first(self) -> Route:
        return self.routes[0]

    @property
    def kind(self) -> str:
        return self.first.kind

    @property
    def methods(self) -> tuple[str, ...]:
        return self.first.methods

    @property
    def public(self) -> bool:
        return self.first.public

    @property
    def positional(self) -> bool:
        return self.first.positional

    @property
    def params(self) -> tuple[str, ...]:
        """Every path parameter any of its routes passes, in order of first appearance."""
        return tuple(dict.fromkeys(p for route in self.routes for p in route.params))

    @property
    def optional_params(self) -> tuple[str, ...]:
        """Parameters some of its routes do not pass: they default to None."""
        return tuple(p for p in self.params if any(p not in r.params for r in self.routes))

    @property
    def module(self) -> str:
        """The module under handlers/: ItemsItemIdHandler -> items_item_id."""
        stem = self.name.removesuffix("Handler") or self.name
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", stem).lower()
        return f"{name}_handler" if keyword.iskeyword(name) or name == "base" else name


def handler_classes(routes: list[Route]) -> list[HandlerClass]:
    """The generated classes, in the order of their first route."""
    grouped: dict[str, list[Route]] = {}
    for route in routes:
        grouped.setdefault(route.class_name, []).append(route)
    return [HandlerClass(name, tuple(members)) for name, members in grouped.items()]


def route_url(base_url: str, namespace: str, path: str) -> str:
    """The URL of `path` (a route, pattern or example, starting with '/' or a group) under the
    base URL and namespace: /user/ada/ + items + /items/1 -> /user/ada/items/items/1."""
    prefix = "/".join(part.strip("/") for part in (base_url, namespace) if part.strip("/"))
    return ("/" + prefix if prefix else "") + path


def landing_route(routes: list[Route]) -> Route:
    """The route the extension's landing URL leads to: the first page, else the first JSON GET,
    else the first route."""
    pages = [r for r in routes if r.page]
    json_gets = [r for r in routes if r.kind == "api" and "GET" in r.methods]
    return (pages + json_gets + routes)[0]


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
    statics = [d["route"] for d in drafts if d["kind"] == "static"]
    if len(statics) > 1:
        raise HandlersError(
            f"has {len(statics)} STATIC routes ({', '.join(statics)}); the package has one "
            "static/ folder, served under one route"
        )
    given = {d["class_name"] for d in drafts if d["class_name"]}
    routes = []
    for draft in drafts:
        if not draft["class_name"]:
            draft["class_name"] = _unique(derive_class_name(draft["route"]), given)
            given.add(draft["class_name"])
        routes.append(Route(**draft))
    for handler in handler_classes(routes):
        _check_shared_class(handler)
    return routes


def _parse_entry(entry: str) -> dict:
    words = entry.split()
    if len(words) < 2:
        raise HandlersError(f"entry {entry!r} needs at least METHODS and ROUTE, e.g. 'GET /hello'")
    first_word, route, *rest = words
    flags = [w.lower() for w in rest if w.lower() in FLAGS]
    names = [w for w in rest if w.lower() not in FLAGS]
    if len(names) > 1:
        raise HandlersError(
            f"entry {entry!r} has unexpected words {names[1:]!r}; after the route only a "
            "ClassName and the words 'public', 'page' or 'download' are allowed"
        )
    kinds = [flag for flag in flags if flag in FLAG_METHODS]
    if len(set(kinds)) > 1:
        raise HandlersError(f"entry {entry!r} is marked both 'page' and 'download'; choose one")
    class_name = names[0] if names else ""
    if class_name:
        _check_class_name(class_name, entry)
    if first_word.upper() in KIND_WORDS:
        kind, methods = KIND_WORDS[first_word.upper()]
        if kinds:
            raise HandlersError(
                f"entry {entry!r}: a {first_word.upper()} route cannot be a '{kinds[0]}'"
            )
    else:
        methods = _parse_methods(first_word, entry)
        kind = kinds[0] if kinds else "api"
        allowed = FLAG_METHODS.get(kind, METHODS)
        if not set(methods) <= set(allowed):
            raise HandlersError(
                f"entry {entry!r}: a '{kind}' route serves {' and '.join(allowed)} "
                f"(a change to data belongs on a JSON route)"
            )
    if route in RESERVED_ROUTES:
        raise HandlersError(
            f"entry {entry!r}: route {route!r} is {RESERVED_ROUTES[route]}; choose another route"
        )
    if kind == "static":
        pattern, params, positional = static_pattern(route, entry)
    else:
        pattern, params, positional = route_to_pattern(route, entry)
    draft = {
        "methods": methods,
        "route": route,
        "pattern": pattern,
        "params": params,
        "positional": positional,
        "class_name": class_name,
        "public": "public" in flags,
        "kind": kind,
    }
    try:
        draft["sample_path"] = sample_path(pattern)
    except NoSamplePath:
        raise HandlersError(
            f"entry {entry!r}: cannot build an example URL for route pattern {pattern!r}; "
            "simplify the regular expression or use {name} parameters"
        ) from None
    if route.endswith("/?") and len(draft["sample_path"]) > 1:
        # With the optional slash left out, as most clients write it: a URL ending in '/'
        # that a route does not serve reaches the server's own redirect to the URL without.
        draft["sample_path"] = draft["sample_path"].removesuffix("/")
    if kind == "static":
        draft["sample_path"] = route.rstrip("/") + "/" + STATIC_EXAMPLE_FILE
    elif kind == "download":
        draft["sample_path"] = _naming_the_example_file(pattern, draft["sample_path"])
    _check_sample(draft, entry)
    return draft


def _naming_the_example_file(pattern: str, sample: str) -> str:
    """A download route's example URL: with its last parameter naming the example file of the
    downloads/ folder when the pattern allows it (/exports/{name} -> /exports/example.txt)."""
    match = re.fullmatch(pattern, sample)
    if match is None or not match.re.groups:
        return sample
    start, end = match.span(match.re.groups)
    candidate = sample[:start] + DOWNLOAD_EXAMPLE_FILE + sample[end:]
    return candidate if start >= 0 and re.fullmatch(pattern, candidate) else sample


def _parse_methods(word: str, entry: str) -> tuple[str, ...]:
    methods: list[str] = []
    for method in word.split(","):
        upper = method.strip().upper()
        if upper in KIND_WORDS:
            raise HandlersError(
                f"entry {entry!r}: {upper} stands alone in its entry (not with other methods)"
            )
        if upper not in METHODS:
            allowed = ", ".join(METHODS)
            raise HandlersError(
                f"entry {entry!r} has unknown HTTP method {method!r}; allowed: {allowed} "
                "(or WS, SSE, STATIC alone)"
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
    if len(name) > MAX_NAME:
        raise HandlersError(
            f"entry {entry!r}: class name {name!r} is longer than {MAX_NAME} characters"
        )


def static_pattern(route: str, entry: str = "") -> tuple[str, tuple[str, ...], bool]:
    """A STATIC route is a plain folder URL: its files are served below it."""
    where = f"entry {entry!r}: " if entry else ""
    if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+/?", route):
        raise HandlersError(
            f"{where}STATIC route {route!r} must be a plain folder URL such as /assets "
            "(no parameters, no regular expression, not '/')"
        )
    return re.escape(route.rstrip("/")).replace("\\-", "-") + "/(?P<path>.+)", ("path",), False


def route_to_pattern(route: str, entry: str = "") -> tuple[str, tuple[str, ...], bool]:
    """Turn a ROUTE into (tornado regex, parameter names, uses positional groups)."""
    where = f"entry {entry!r}: " if entry else ""
    if not route.startswith(("/", "(")):
        raise HandlersError(
            f"{where}route {route!r} must start with '/' (e.g. /{route.lstrip('/')})"
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in route):
        raise HandlersError(f"{where}route {route!r} must not contain spaces")
    if not route.isascii():
        # Tornado matches the percent-encoded path: a literal non-ASCII route never matches.
        raise HandlersError(f"{where}route {route!r} must be ASCII (URL paths are percent-encoded)")
    if forbidden := sorted(_FORBIDDEN & set(_GROUP_HEADER.sub("", route))):
        raise HandlersError(
            f"{where}route {route!r} contains {''.join(forbidden)!r}, which a URL path cannot "
            "carry unencoded; use a {name} parameter for such values"
        )
    if _QUERY_LIKE.search(route):
        raise HandlersError(
            f"{where}route {route!r} looks like it has a query string; routes match the path "
            "only (read query arguments with self.get_argument in the handler)"
        )
    if route.endswith("$") and not route.endswith("\\$"):
        route = route[:-1]  # Tornado anchors every pattern itself
    if route == "/":
        return "/?", (), True  # the namespace's own URL, with or without a trailing slash

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1)
        if len(name) > MAX_NAME - len("Handler"):
            raise HandlersError(
                f"{where}path parameter {{{name}}} is too long (43 characters at most)"
            )
        _check_param_name(name, where)
        return f"(?P<{name}>{PARAM_REGEX})"

    pattern = either_encoding(_PLACEHOLDER.sub(placeholder, route))
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
    if named:
        params = tuple(sorted(named, key=compiled.groupindex.__getitem__))
        for name in params:
            _check_param_name(name, where)
        return pattern, params, False
    return pattern, tuple(f"arg{i}" for i in range(1, compiled.groups + 1)), True


def _check_param_name(name: str, where: str) -> None:
    """A path parameter arrives as a keyword argument of the handler's methods: any lowercase
    identifier works but a keyword, `self` and a name Python mangles inside a class."""
    if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        raise HandlersError(
            f"{where}path parameter {name!r} must be a lowercase Python identifier that is not "
            "a keyword (it reaches the handler as a keyword argument), e.g. {item_id}"
        )
    if name == "self":
        raise HandlersError(
            f"{where}path parameter 'self' would take the place of the handler itself in its "
            "methods; choose another name"
        )
    if name.startswith("__"):
        raise HandlersError(
            f"{where}path parameter {name!r} starts with two underscores, which Python renames "
            "inside a class, so Tornado could not pass it to the method; choose another name"
        )


def either_encoding(pattern: str) -> str:
    """Let each literal character of ENCODABLE match raw or percent-encoded: Tornado matches the
    path as the client sent it, and clients disagree on which of these they encode."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            out.append(_either(escaped) if escaped in ENCODABLE else pattern[i : i + 2])
            i += 2
        elif ch == "[":  # a character class: copied as written
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
        elif quantifier := re.match(r"\{\d*,?\d*\}", pattern[i:]):  # {3,} is not text
            out.append(quantifier.group())
            i += len(quantifier.group())
        elif ch == "(" and pattern.startswith("(?", i):  # a group's header: (?P<name>, (?:, (?!
            header = re.match(r"\(\?(P<\w+>|<?[=!]|[:>]|[aiLmsux-]+[:)])", pattern[i:])
            step = len(header.group(0)) if header else 2
            out.append(pattern[i : i + step])
            i += step
        else:
            out.append(_either(ch) if ch in ENCODABLE and ch not in "()$*+" else ch)
            i += 1
    return "".join(out)


def _either(ch: str) -> str:
    return f"(?:{re.escape(ch)}|%{ord(ch):02X})"


def _class_end(pattern: str, start: int) -> int:
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return min(i + 1, len(pattern))


def _check_sample(draft: dict, entry: str) -> None:
    """The route's example URL must start with '/' and match as raw and as percent-encoded by
    Python (jp_fetch) and by browsers (encodeURIComponent per segment, as JupyterLab does)."""
    sample, pattern = draft["sample_path"], draft["pattern"]
    if not sample.startswith("/"):
        raise HandlersError(
            f"entry {entry!r}: route {draft['route']!r} matches URLs that do not start with '/' "
            f"(such as {sample!r}); a leading group must begin with '/'"
        )
    for form, path in encoded_forms(sample).items():
        if not re.fullmatch(pattern, path):
            raise HandlersError(
                f"entry {entry!r}: route {draft['route']!r} does not match its example URL "
                f"{sample!r} when {form} ({path!r}); move such characters out of [...] classes"
            )


def encoded_forms(path: str) -> dict[str, str]:
    """`path` as clients send it: percent-encoded by Python (quote, as jp_fetch does) and by
    browsers (encodeURIComponent per segment, as JupyterLab does)."""
    return {
        "percent-encoded by Python": quote(path, safe="/"),
        "percent-encoded by browsers": "/".join(
            quote(part, safe="!'()*~") for part in path.split("/")
        ),
    }


def derive_class_name(route: str) -> str:
    """A readable CapWords name from a route: /items/{item_id} -> ItemsItemIdHandler."""
    text = _PLACEHOLDER.sub(r" \1 ", route)
    while (ungrouped := re.sub(r"\([^()]*\)", " ", text)) != text:  # regex groups, innermost first
        text = ungrouped
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text.replace("\\", " "))
    stem = "".join(w[:1].upper() + w[1:] for part in words for w in part.split("_") if w)
    if not stem:
        stem = "Root"
    stem = stem[: MAX_NAME - len("RouteHandler") - 2]  # room for "Route" and a number
    name = stem + "Handler"
    return name if name not in RESERVED_CLASS_NAMES else stem + "RouteHandler"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken or candidate in RESERVED_CLASS_NAMES:
        candidate = f"{name[: -len('Handler')]}{n}Handler"
        n += 1
    return candidate


def _check_shared_class(handler: HandlerClass) -> None:
    """A class given to several routes serves each the same way."""
    first = handler.first
    for route in handler.routes[1:]:
        if (route.kind, route.methods) != (first.kind, first.methods):
            raise HandlersError(
                f"class name {handler.name!r} is given to {first.label} {first.route} and "
                f"{route.label} {route.route}; one class serves the same methods on every route "
                "(give the routes different class names)"
            )
        if route.public != first.public:
            raise HandlersError(
                f"class name {handler.name!r} is public on one route and not on another "
                f"({first.route}, {route.route}); give the routes different class names"
            )
        if route.positional != first.positional and route.params and first.params:
            raise HandlersError(
                f"class name {handler.name!r} is given to routes with named and unnamed groups "
                f"({first.route}, {route.route}); use named parameters on both"
            )
        if handler.kind != "api":
            raise HandlersError(
                f"class name {handler.name!r} is given to several {first.kind} routes; "
                "only JSON routes share a class"
            )


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
