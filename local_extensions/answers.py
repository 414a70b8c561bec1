"""Every rule an answer must satisfy, checked before anything is generated.

`validate(answers)` returns one message per problem; each names the answer, shows the bad
value and says what is allowed. The pre-generation hook prints them; the tests call it directly.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Mapping
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any

from .routes import (
    NOT_FOUND_PATTERN,
    NOT_FOUND_SAMPLE,
    OPENAPI_ROUTE,
    HandlersError,
    Route,
    parse_handlers,
    route_url,
)
from .server_urls import collisions

TEXT_ANSWERS = (
    "full_name",
    "email",
    "project_name",
    "project_slug",
    "package_name",
    "description",
    "repository_url",
    "url_namespace",
    "handlers",
)
CHOICES = {
    "auth": ("authorized", "authenticated"),
    "extension_app": ("no", "yes"),
    "classic_notebook": ("no", "yes"),
    "license": ("BSD-3-Clause", "MIT", "Apache-2.0", "proprietary"),
    "github_actions": ("yes", "no"),
    "_verify_load": ("yes", "no"),
}

JUPYTER_STACK = frozenset(
    {
        "jupyter", "jupyter_server", "jupyter_core", "jupyter_client", "jupyter_events",
        "jupyter_server_terminals", "jupyter_lsp", "jupyterlab", "jupyterlab_server",
        "jupyterhub", "notebook", "notebook_shim", "nbclassic", "nbformat", "nbconvert",
        "ipykernel", "ipython", "IPython", "ipywidgets", "tornado", "traitlets", "jinja2",
        "pytest_jupyter", "cookiecutter", "hatchling", "terminado", "pyzmq", "zmq",
    }
)  # fmt: skip

# An ExtensionApp stores itself in web_app.settings[name]; these keys are the server's own.
SETTINGS_KEYS = frozenset(
    {
        "base_url", "headers", "authorizer", "identity_provider", "contents_manager",
        "serverapp", "config", "kernel_manager", "session_manager", "kernel_spec_manager",
        "config_manager", "event_logger", "login_url", "static_path", "template_path",
        "cookie_secret", "xsrf_cookies", "jinja2_env", "server_root_dir", "websocket_url",
        "allow_origin", "allow_remote_access", "local_hostnames", "terminals_available",
        "page_config_data", "mathjax_url", "version_hash", "default_url", "log_function",
    }
)  # fmt: skip

#: Longer import names push generated lines past ruff's 100 columns (and are hard to type).
MAX_PACKAGE_NAME = 32
MAX_NAMESPACE = 64
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*\Z")
_SLUG = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\Z")
_NAMESPACE = re.compile(r"[a-z0-9][a-z0-9._~-]*(/[a-z0-9][a-z0-9._~-]*)*\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+\Z")
#: A web address that TOML, Markdown links and shells all carry as it is.
_URL = re.compile(r"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d+)?(/[A-Za-z0-9._~%+/-]*)?\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def problem(answer: str, value: object, what_is_allowed: str) -> str:
    """The one-line message shown for a bad answer."""
    return f"Invalid answer for '{answer}': {value!r} {what_is_allowed}"


def camel_case(package_name: str) -> str:
    """jupyter_hello -> JupyterHello (the prefix of the generated class names)."""
    return "".join(part[:1].upper() + part[1:] for part in package_name.split("_") if part)


def internal_class_names(package_name: str) -> frozenset[str]:
    """Class names the generated package derives from its own name, which handlers must not
    reuse (the fixed ones are routes.RESERVED_CLASS_NAMES)."""
    camel = camel_case(package_name)
    return frozenset({f"{camel}App", f"{camel}Settings"})


def normalized_namespace(value: str) -> str:
    """'' and '/' mean the server root; surrounding slashes are not part of the namespace."""
    return value.strip("/")


def validate(answers: Mapping[str, Any]) -> list[str]:
    """Return every problem with `answers` (empty when all is well)."""
    problems: list[str] = []
    for name in TEXT_ANSWERS:
        value = answers.get(name, "")
        if not isinstance(value, str):
            problems.append(problem(name, value, "must be text"))
        elif _CONTROL.search(value):
            problems.append(
                problem(name, value, "must be a single line without control characters")
            )
    if problems:
        return problems  # the checks below assume clean single-line text
    for name, allowed in CHOICES.items():
        value = answers.get(name, allowed[0])
        if value not in allowed:
            problems.append(problem(name, value, f"must be one of: {', '.join(allowed)}"))
    problems += _check_names(answers)
    namespace_problems = _check_namespace(answers)
    problems += namespace_problems
    problems += _check_handlers(answers, server_checks=not namespace_problems)
    if not namespace_problems:
        problems += _check_openapi_url(answers)
    return problems


def flavours(answers: Mapping[str, Any]) -> list[str]:
    """The servers that will load the extension (see server_urls.FLAVOURS)."""
    return ["modern", "hub"] + (["classic"] if answers.get("classic_notebook") == "yes" else [])


def _takes(answers: Mapping[str, Any], path: str, pattern: str | None = None) -> list[str]:
    """What a URL the package registers under the namespace would take from the servers (or
    lose to them): `path` is relative to the namespace; `pattern` defaults to `path` itself."""
    namespace = normalized_namespace(answers.get("url_namespace", ""))
    sample = route_url("/", namespace, path)
    own = route_url("/", namespace, pattern) if pattern else re.escape(sample)
    return collisions(own, sample, answers.get("package_name", ""), flavours=flavours(answers))


def _check_openapi_url(answers: Mapping[str, Any]) -> list[str]:
    taken = _takes(answers, OPENAPI_ROUTE)
    if not taken:
        return []
    return [problem(
        "url_namespace", answers.get("url_namespace", ""),
        f"puts the extension's API description ({OPENAPI_ROUTE}) where it {taken[0]}",
    )]  # fmt: skip


def namespace_404(answers: Mapping[str, Any]) -> bool:
    """Whether the namespace gets a JSON 404 of its own for the URLs under it that no route
    matches. Not at the server root, and not where such a catch-all would take a URL a server
    serves: namespace `api` shares /api/... with jupyter_server, whose URLs must stay its own."""
    namespace = normalized_namespace(answers.get("url_namespace", ""))
    return bool(namespace) and not _takes(answers, NOT_FOUND_SAMPLE, NOT_FOUND_PATTERN)


def _check_names(answers: Mapping[str, Any]) -> list[str]:
    problems = []
    if not answers.get("project_name", "").strip():
        problems.append(
            problem("project_name", answers.get("project_name", ""), "must not be empty")
        )
    package = answers.get("package_name", "")
    if not _PACKAGE.match(package):
        problems.append(problem(
            "package_name", package,
            "is not a lowercase Python identifier; use lowercase letters, digits and underscores, "
            "not starting with a digit (e.g. jupyter_hello)",
        ))  # fmt: skip
    elif len(package) > MAX_PACKAGE_NAME:
        problems.append(problem(
            "package_name", package,
            f"is longer than {MAX_PACKAGE_NAME} characters; choose a shorter import name",
        ))  # fmt: skip
    elif keyword.iskeyword(package) or keyword.issoftkeyword(package):
        problems.append(
            problem("package_name", package, "is a Python keyword; choose another name")
        )
    elif package in sys.stdlib_module_names:
        problems.append(problem(
            "package_name", package, "would shadow a standard-library module; choose another name"
        ))  # fmt: skip
    elif package in JUPYTER_STACK or package.lower() in {n.lower() for n in JUPYTER_STACK}:
        problems.append(problem(
            "package_name", package, "is a package of the Jupyter stack; choose a name of your own"
        ))  # fmt: skip
    elif answers.get("extension_app") == "yes" and package in SETTINGS_KEYS:
        problems.append(problem(
            "package_name", package,
            "is a key of the server's web_app.settings, which an ExtensionApp of that name "
            "would overwrite; choose another name",
        ))  # fmt: skip
    slug = answers.get("project_slug", "")
    if not _SLUG.match(slug):
        problems.append(problem(
            "project_slug", slug,
            "is not a valid distribution name; use letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit (e.g. jupyter-hello)",
        ))  # fmt: skip
    email = answers.get("email", "")
    if not _is_email(email):
        problems.append(problem("email", email, "is not an email address (e.g. jane@example.com)"))
    url = answers.get("repository_url", "")
    if url and not _URL.match(url):
        problems.append(problem(
            "repository_url", url,
            "is not a web address such as https://github.com/jane/jupyter-hello (letters, digits "
            "and - . _ ~ % + / in its path), or empty for none",
        ))  # fmt: skip
    return problems


def _is_email(value: str) -> bool:
    """An address the package metadata accepts (hatchling parses it with the email package)."""
    if not _EMAIL.match(value):
        return False
    try:
        Address(addr_spec=value)
    except (ValueError, HeaderParseError):
        return False
    return True


def _check_namespace(answers: Mapping[str, Any]) -> list[str]:
    value = answers.get("url_namespace", "")
    namespace = normalized_namespace(value)
    if not namespace:
        return []
    if not _NAMESPACE.match(namespace):
        return [problem(
            "url_namespace", value,
            "is not a URL-safe slug; use lowercase letters, digits, '-', '_', '.' "
            "(optionally several segments joined by '/'), or leave it empty for the server root",
        )]  # fmt: skip
    if len(namespace) > MAX_NAMESPACE:
        return [problem("url_namespace", value, f"is longer than {MAX_NAMESPACE} characters")]
    # A namespace inside a URL space the server serves whole (/static/..., /lab/...) is refused
    # as such: whatever routes it held would collide.
    probe = f"/{namespace}/any-route"
    caught = collisions(re.escape(probe), probe, answers.get("package_name", ""))
    if caught:
        return [
            problem("url_namespace", value, f"is taken by the server: a route there {caught[0]}")
        ]
    return []


def _check_handlers(answers: Mapping[str, Any], *, server_checks: bool = True) -> list[str]:
    text = answers.get("handlers", "")
    try:
        routes = parse_handlers(text)
    except HandlersError as err:
        return [problem("handlers", text, f"is not a valid route table: {err}")]
    problems = []
    package = answers.get("package_name", "")
    clashes = internal_class_names(package) & {r.class_name for r in routes}
    if clashes:
        problems.append(problem(
            "handlers", text, f"uses class name {sorted(clashes)[0]!r}, which the generated package "
            "defines itself; choose another name",
        ))  # fmt: skip
    namespace = normalized_namespace(answers.get("url_namespace", ""))
    if any(route.route.startswith("(") for route in routes) and not namespace:
        problems.append(problem(
            "handlers", text,
            "starts a route with a regex group, which needs a url_namespace to follow",
        ))  # fmt: skip
    if server_checks:
        problems += [
            problem("handlers", text, f"is not allowed: route {route.route!r} {message}")
            for route in routes
            for message in _server_collisions(route, namespace, answers)[:1]
        ]
    pages = [r.route for r in routes if r.page]
    if pages and answers.get("classic_notebook") == "yes":
        problems.append(problem(
            "handlers", text,
            f"marks route {pages[0]!r} as a 'page', which Notebook 6 (classic_notebook=yes) "
            "cannot serve; drop 'page' or answer classic_notebook=no",
        ))  # fmt: skip
    if answers.get("extension_app", "no") != "yes":
        if pages:
            problems.append(problem(
                "handlers", text,
                f"marks route {pages[0]!r} as a 'page', which needs extension_app=yes",
            ))  # fmt: skip
    return problems


def _server_collisions(route: Route, namespace: str, answers: Mapping[str, Any]) -> list[str]:
    """What the route would take from (or lose to) the servers the extension runs in."""
    if route_url("/", namespace, route.sample_path) in ("", "/"):
        return ["is the server's root URL, which the server serves itself"]
    return _takes(answers, route.sample_path, route.pattern)
