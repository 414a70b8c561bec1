{%- set routes = cookiecutter.handlers | routes -%}
{%- set kinds = routes | map(attribute="kind") | unique | list -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set settings_class = cookiecutter.package_name | camel_case ~ "Settings" -%}
{%- set public_writes = routes | selectattr("public") | selectattr("writes") | list -%}
"""What every handler of this extension shares: settings, permissions, JSON bodies and their
schemas, per-server state, and the row type of the route table.

This module belongs to the template: a template update (`cruft update`) may rewrite it. Your
code goes in handlers/ and settings.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado import web
from traitlets import {% if "sse" in kinds %}Float, {% endif %}Int
from traitlets.config import Configurable

from .introspect import served_methods

if TYPE_CHECKING:
    from .settings import {{ settings_class }}

#: The resource the server's authorizer is asked about by default: "read" for GET and HEAD
#: (and opening a WebSocket), "write" for POST, PUT, PATCH and DELETE. A handler class may
#: guard itself with a resource of its own: `auth_resource = "{{ cookiecutter.package_name }}:admin"`.
AUTH_RESOURCE = "{{ cookiecutter.package_name }}"
#: Where the server keeps the extension's settings and state (in web_app.settings).
SETTINGS_KEY = "{{ cookiecutter.package_name }}"
#: JSON nested deeper than this is refused (deep nesting is a denial-of-service trick).
MAX_NESTING = 64


class Route(NamedTuple):
    """One row of the route table in routes.py."""

    pattern: str  # a Tornado regular expression, relative to the namespace
    handler: type[web.RequestHandler]
    example: str  # a path the pattern matches: the contract tests and /openapi.json use it


@dataclass(frozen=True)
class Operation:
    """What one HTTP method of a handler reads and answers: request bodies are checked against
    the `request` JSON Schema (400 otherwise), and /openapi.json describes both. `content_type`
    is what the method answers when that is not JSON (a download's "application/zip", say). A
    mistake in `request` is reported when the handler's module is imported, not on the first
    request."""

    response: dict[str, Any] | None = None
    request: dict[str, Any] | None = None
    status: int = 200
    content_type: str | None = None
    validator: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        validator = None if self.request is None else request_validator(self.request)
        object.__setattr__(self, "validator", validator)


class ExtensionSettings(Configurable):
    """The settings the template's code reads. Your settings class (settings.py) inherits them
    and adds its own, with what the extension does when the server starts{% if app %} and stops{% endif %}."""

    max_body_size = Int(
        1024 * 1024, help="The largest request body or WebSocket message accepted, in bytes."
    ).tag(config=True)
{%- if "sse" in kinds %}
    keepalive_interval = Float(
        15.0, help="Seconds between keep-alive comments on open event streams."
    ).tag(config=True)
{%- endif %}
{%- if not app %}

    def initialize_settings(self) -> None:
        """Called once when the server loads the extension, before its routes are added."""
{%- endif %}


class JSONError(ValueError):
    """A request body or message that is not acceptable JSON; `status` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def decode_json(data: bytes | str, max_size: int) -> Any:
    """Decode a request body or a WebSocket message: at most `max_size` bytes of UTF-8 JSON,
    nested at most MAX_NESTING levels, with finite numbers only (JSON has no NaN or Infinity)."""
    if len(data) > max_size:
        raise JSONError(413, f"The body is larger than {max_size} bytes")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = _DECODER.decode(text)
    except UnicodeDecodeError:
        raise JSONError(400, "The body is not UTF-8 text") from None
    except RecursionError:
        raise JSONError(400, f"The JSON is nested more than {MAX_NESTING} levels deep") from None
    except ValueError as err:
        raise JSONError(400, f"The body is not valid JSON: {err}") from None
    # Each level of nesting opens a bracket: with few brackets there is nothing to walk.
    if text.count("{") + text.count("[") > MAX_NESTING and _nesting(value) > MAX_NESTING:
        raise JSONError(400, f"The JSON is nested more than {MAX_NESTING} levels deep")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is out of range")
    return number


#: One decoder for every call: json.loads with hooks builds a new one each time.
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def _nesting(value: Any) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending and deepest <= MAX_NESTING:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


def request_validator(schema: dict[str, Any]) -> Any:
    """A jsonschema validator for `schema`, once `schema` itself is checked (SchemaError)."""
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def schema_problem(value: Any, validator: Any) -> str | None:
    """The most relevant way `value` violates the validator's schema ("$.name: 3 is not of type
    'string'")."""
    error = best_match(validator.iter_errors(value))
    if error is None:
        return None
    return f"{error.json_path}: {error.message}"[:300]


def store(settings: dict[str, Any], name: str) -> dict[str, Any]:
    """A dict kept in one server's memory under `name`, where the example handlers keep their
    data. It lives in the server's settings, not in a class attribute, so two servers (or two
    tests) never share it. Replace it with real storage."""
    stores = settings.setdefault(f"{SETTINGS_KEY}_stores", {})
    return cast("dict[str, Any]", stores.setdefault(name, {}))


def _refusing(refusal: web.HTTPError) -> Any:
    """A handler method that answers `refusal`, whatever the request."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise refusal

    return refuse


class ExtensionHandler(JupyterHandler):
    """What every handler of the extension shares: permissions, settings, state."""

    auth_resource = AUTH_RESOURCE

    @property
    def extension_settings(self) -> {{ settings_class }}:
        """The extension's settings ({{ settings_class }}{% if app %}, inherited by the app{% endif %}), from the server's config."""
        return cast("{{ settings_class }}", self.settings[SETTINGS_KEY])

    @property
    def username(self) -> str | None:
        """Who is calling: the logged-in user's name (None for anonymous calls to public routes)."""
        user = self.current_user
{%- if cookiecutter.classic_notebook == "yes" %}
        # (Notebook 6's current_user is the name itself)
        return str(getattr(user, "username", user)) if user else None
{%- else %}
        return str(user.username) if user else None
{%- endif %}

    def store(self, name: str) -> dict[str, Any]:
        return store(self.settings, name)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if not hasattr(self, "_current_user"):
            # Tornado refused the request (a method it does not know) before prepare() looked
            # at the caller; jupyter_server's error page asks who it is: nobody yet.
            self.current_user = None
        if status_code == 405:  # say which methods the URL serves (RFC 9110)
            self.set_header("Allow", ", ".join(served_methods(type(self))))
        super().write_error(status_code, **kwargs)


@web.stream_request_body
class ExtensionAPIHandler(ExtensionHandler, APIHandler):
    """JSON routes: errors as JSON, request bodies decoded and checked against `operations`.

    Bodies are read as they arrive, so one announced as larger than the `max_body_size`
    setting is refused with 413 before it is read.
    """

    #: What each method (by HTTP name) reads and answers; see Operation.
    operations: ClassVar[dict[str, Operation]] = {}

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler.prepare
        self._body = bytearray()
        self._received = 0
        length = self.request.headers.get("Content-Length", "")
        small = length.isdigit() and int(length) <= self.extension_settings.max_body_size
        try:
{%- if cookiecutter.classic_notebook == "yes" %}
            pending = super().prepare()
            if pending is not None:  # (Notebook 6's prepare is not a coroutine)
                await pending
{%- else %}
            await super().prepare()
{%- endif %}
        except web.HTTPError as refusal:
            if not small or not int(length):
                raise
            # Refused (no credentials, no XSRF token) before its body is read: answered once
            # the body is in, since closing a connection with unread bytes resets it, which a
            # proxy in between (JupyterHub's) reports as 503 instead of this answer.
            setattr(self, str(self.request.method).lower(), _refusing(refusal))
            return
        if length.isdigit() and not small:
            limit = self.extension_settings.max_body_size
            raise web.HTTPError(413, f"Bodies are limited to {limit} bytes")

    def data_received(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if len(self._body) <= self.extension_settings.max_body_size:
            self._body += chunk

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        headers = self.request.headers
        received = str(getattr(self, "_received", 0))
        if "Transfer-Encoding" in headers or headers.get("Content-Length", "0") != received:
            # A request refused before its body was read (413) leaves the connection
            # unusable: say so, or a proxy reusing it answers the next request with 503.
            self.set_header("Connection", "close")
        super().write_error(status_code, **kwargs)

    def json_body(self) -> Any:
        """The request body as JSON, checked against this method's `Operation.request` schema;
        answers 400 (or 413) with a JSON error naming the problem otherwise."""
        try:
            value = decode_json(bytes(self._body), self.extension_settings.max_body_size)
        except JSONError as err:
            raise web.HTTPError(err.status, str(err)) from None
        operation = self.operations.get(self.request.method or "")
        if operation and operation.validator is not None:
            problem = schema_problem(value, operation.validator)
            if problem:
                raise web.HTTPError(400, problem)
        return value

    def get_json_body(self) -> dict[str, Any] | None:
        """jupyter_server's name for it: the body as a JSON object (None when empty)."""
        if not self._body:
            return None
        value = self.json_body()
        if not isinstance(value, dict):
            raise web.HTTPError(400, "The request body must be a JSON object")
        return value
{%- if public_writes %}


class PublicWriteMixin(web.RequestHandler):
    """For public routes: clients without cookies (webhooks, scripts) may POST, PUT, PATCH
    and DELETE without an XSRF token, since there is no browser session a forged request
    could ride on. Requests that carry cookies are still checked."""

    def check_xsrf_cookie(self) -> None:
        if self.request.cookies:
            super().check_xsrf_cookie()
{%- endif %}


#: What NotFoundHandler answers.
NO_ROUTE = "No route of this extension matches the URL"


class NotFoundHandler(ExtensionAPIHandler):
    """URLs under the namespace that no route matches: a JSON 404 (not the server's HTML)."""

    @web.authenticated
    def get(self, *args: str) -> None:
        raise web.HTTPError(404, NO_ROUTE)

    head = post = put = patch = delete = get
