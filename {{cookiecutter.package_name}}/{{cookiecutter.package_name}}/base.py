{%- set routes = cookiecutter.handlers | routes -%}
{%- set kinds = routes | map(attribute="kind") | unique | list -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set settings_class = camel ~ "Settings" -%}
{%- set realtime = "ws" in kinds or "sse" in kinds -%}
{%- set public_writes = routes | selectattr("public") | selectattr("writes") | list -%}
{%- set static_route = (routes | selectattr("kind", "equalto", "static") | list + [none]) | first -%}
{%- set static_ignore = "" if static_route and static_route.public else "  # type: ignore[override]" -%}
{%- set static_decorators = "\n    @allow_unauthenticated" if static_route and static_route.public else "\n    @web.authenticated" ~ ("\n    @authorized" if cookiecutter.auth == "authorized" else "") -%}
"""What every handler of this extension shares: settings, permissions, JSON bodies and their
schemas, per-server state, and the row type of the route table.

This module belongs to the template: a template update (`cruft update`) may rewrite it. Your
code goes in handlers/.
"""

from __future__ import annotations

{% if "sse" in kinds or "ws" in kinds -%}
import contextlib
{% endif -%}
import json
{%- if "static" in kinds %}
import os
{%- endif %}
from dataclasses import dataclass, field
{%- if realtime %}
from datetime import datetime, timezone
{%- endif %}
{%- if "static" in kinds %}
from pathlib import Path
{%- endif %}
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
{%- if static_route and static_route.public %}
from jupyter_server.auth.decorator import allow_unauthenticated
{%- elif static_route and cookiecutter.auth == "authorized" %}
from jupyter_server.auth.decorator import authorized
{%- endif %}
from jupyter_server.base.handlers import APIHandler, JupyterHandler
{%- if "ws" in kinds %}
from jupyter_server.base.websocket import WebSocketMixin
{%- endif %}
{%- if "page" in kinds %}
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin, ExtensionHandlerMixin
{%- endif %}
from tornado import web
{%- if "sse" in kinds %}
from tornado.ioloop import PeriodicCallback
from tornado.iostream import StreamClosedError
{%- endif %}
{%- if "ws" in kinds %}
from tornado.websocket import WebSocketClosedError, WebSocketHandler
{%- endif %}

if TYPE_CHECKING:
    from .settings import {{ settings_class }}

#: The resource the server's authorizer is asked about: "read" for GET and HEAD (and opening a
#: WebSocket), "write" for POST, PUT, PATCH and DELETE.
AUTH_RESOURCE = "{{ cookiecutter.package_name }}"
#: Where the server keeps the extension's settings and state (in web_app.settings).
SETTINGS_KEY = "{{ cookiecutter.package_name }}"
#: JSON nested deeper than this is refused (deep nesting is a denial-of-service trick).
MAX_NESTING = 64
{%- if "static" in kinds %}
#: The folder STATIC routes serve.
STATIC_DIR = Path(__file__).parent / "static"
{%- endif %}


class Route(NamedTuple):
    """One row of the route table in routes.py."""

    pattern: str  # a Tornado regular expression, relative to the namespace
    handler: type[web.RequestHandler]
    example: str  # a path the pattern matches: the contract tests and /openapi.json use it


@dataclass(frozen=True)
class Operation:
    """What one HTTP method of a handler reads and answers, as JSON Schemas: request bodies are
    checked against `request` (400 otherwise), and /openapi.json describes both. A mistake in
    `request` is reported when the handler's module is imported, not on the first request."""

    response: dict[str, Any] | None = None
    request: dict[str, Any] | None = None
    status: int = 200
    validator: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        validator = None if self.request is None else request_validator(self.request)
        object.__setattr__(self, "validator", validator)


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
{%- if realtime %}


def connections(settings: dict[str, Any]) -> set[web.RequestHandler]:
    """The extension's open WebSockets and event streams on one server."""
    open_connections = settings.setdefault(f"{SETTINGS_KEY}_connections", set())
    return cast("set[web.RequestHandler]", open_connections)

{%- if app %}


def close_connections(settings: dict[str, Any]) -> None:
    """End every open socket and stream of the extension: the server is stopping."""
    for handler in list(connections(settings)):
{%- if "ws" in kinds %}
        if isinstance(handler, WebSocketHandler):
            handler.close(1001, "The server is shutting down")
{%- endif %}
{%- if "sse" in kinds %}
        if isinstance(handler, EventStreamHandler) and not handler.ended:
            handler.finish()
{%- endif %}
{%- endif %}
{%- endif %}


def served_methods(handler: type[web.RequestHandler]) -> list[str]:
    return [
        method
        for method in handler.SUPPORTED_METHODS
        if getattr(handler, method.lower()) is not getattr(web.RequestHandler, method.lower())
    ]


def is_public(handler: type[web.RequestHandler], method: str) -> bool:
    """Whether `method` of `handler` is marked @allow_unauthenticated."""
    return bool(getattr(getattr(handler, method.lower()), "__allow_unauthenticated", False))


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
{%- if realtime %}

    @property
    def connections(self) -> set[web.RequestHandler]:
        return connections(self.settings)

    def record_activity(self) -> None:
        # Settings ending in `_last_activity` feed the server's last activity, which idle
        # culling (shutdown_no_activity_timeout, JupyterHub's culler) looks at.
        self.settings[f"{SETTINGS_KEY}_last_activity"] = datetime.now(timezone.utc)
{%- endif %}

    def write_error(self, status_code: int, **kwargs: Any) -> None:
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
{%- if cookiecutter.classic_notebook == "yes" %}
        pending = super().prepare()
        if pending is not None:  # (Notebook 6's prepare is not a coroutine)
            await pending
{%- else %}
        await super().prepare()
{%- endif %}
        self._body = bytearray()
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.extension_settings.max_body_size:
            limit = self.extension_settings.max_body_size
            raise web.HTTPError(413, f"Bodies are limited to {limit} bytes")

    def data_received(self, chunk: bytes) -> None:
        if len(self._body) <= self.extension_settings.max_body_size:
            self._body += chunk

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        headers = self.request.headers
        if headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in headers:
            # A request refused before its body was read (XSRF, 413) leaves the connection
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
{%- if "ws" in kinds %}


class SocketHandler(  # pyright: ignore[reportIncompatibleMethodOverride]  # as upstream's
    WebSocketMixin, WebSocketHandler, ExtensionHandler
):
    """WebSocket routes: jupyter_server's origin check and keep-alive pings, JSON messages
    decoded like request bodies, and the connection counted as activity while it is open.

    One handler instance serves one connection: per-connection state lives on `self`.
    """

    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Upgrade the connection (the subclass checks the caller first) and hold it open."""
        self.connections.add(self)
        self.record_activity()
        try:
            await super().get(*args, **kwargs)
        finally:
            self.connections.discard(self)
            self.record_activity()

    @property
    def max_message_size(self) -> int:
        # Tornado's default is 10 MiB; larger messages close the socket (code 1009).
        return self.extension_settings.max_body_size

    def decode_message(self, message: str | bytes) -> Any:
        """A message as JSON, by the rules of request bodies; raises JSONError otherwise."""
        return decode_json(message, self.max_message_size)

    def peers(self) -> list[SocketHandler]:
        """The other open connections of this handler class on the same URL."""
        return [
            other
            for other in self.connections
            if isinstance(other, type(self))
            and other is not self
            and other.request.path == self.request.path
        ]

    def send_json(self, data: Any) -> None:
        """Send `data` as a JSON text message (nothing happens once the socket is closed)."""
        with contextlib.suppress(WebSocketClosedError):
            self.write_message(json.dumps(data))

    def on_pong(self, data: bytes) -> None:
        super().on_pong(data)  # type: ignore[no-untyped-call]  # not annotated upstream
        self.record_activity()
{%- endif %}
{%- if "sse" in kinds %}


class EventStreamHandler(ExtensionHandler, APIHandler):
    """Event-stream routes (server-sent events, read in browsers by EventSource): events are
    flushed one by one, a keep-alive comment goes out between them, and a stream whose client
    left stops at its next event."""

    keepalive: PeriodicCallback | None = None
    ended = False  # the client left, or the stream was finished

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event a reconnecting EventSource received."""
        return self.request.headers.get("Last-Event-ID")

    async def send_event(
        self, data: Any, *, event: str | None = None, event_id: str | None = None
    ) -> None:
        """Send one event: `data` as JSON, with an optional event name and id."""
        if self.keepalive is None:
            self._start_stream()
        lines = [f"event: {event}"] if event else []
        lines += [f"id: {event_id}"] if event_id else []
        lines.append(f"data: {json.dumps(data)}")
        await self._send("\n".join(lines) + "\n\n")

    def _start_stream(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")  # proxies such as nginx must not buffer it
        self.connections.add(self)
        seconds = self.extension_settings.keepalive_interval
        self.keepalive = PeriodicCallback(self._send_keepalive, seconds * 1000)
        self.keepalive.start()

    async def _send(self, text: str) -> None:
        if self.ended:
            raise web.Finish()  # the client went away, or the server is stopping: stop here
        self.write(text)
        self.record_activity()
        try:
            await self.flush()
        except StreamClosedError:
            raise web.Finish() from None

    async def _send_keepalive(self) -> None:
        with contextlib.suppress(web.Finish):
            await self._send(": keep-alive\n\n")

    def on_connection_close(self) -> None:
        self._end()
        super().on_connection_close()

    def on_finish(self) -> None:
        self._end()
        super().on_finish()

    def _end(self) -> None:
        self.ended = True
        if self.keepalive is not None:
            self.keepalive.stop()
        self.connections.discard(self)
{%- endif %}
{%- if "static" in kinds %}


class StaticFilesHandler(  # pyright: ignore[reportIncompatibleMethodOverride]  # as upstream's
    ExtensionHandler, web.StaticFileHandler
):
    """STATIC routes: files of the package's static/ folder{% if static_route.public %} (public){% endif %}, cached like jupyter_server's
    own static files (an ETag, and `no-cache` unless the URL pins a version with `?v=`)."""

    static_dir: ClassVar[Path] = STATIC_DIR
    _real_roots: ClassVar[dict[str, str]] = {}  # os.path.realpath of each root served

    def initialize(self, path: str = "", *args: Any, **kwargs: Any) -> None:
        super().initialize(path or str(self.static_dir), *args, **kwargs)
{{ static_decorators }}
    async def get(self, path: str, include_body: bool = True) -> None:{{ static_ignore }}
        await super().get(path, include_body)
{{ static_decorators }}
    async def head(self, path: str) -> None:{{ static_ignore }}
        await super().head(path)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        # Tornado before 6.5.9 follows symlinks out of the folder: compare the real paths.
        real_root = self._real_roots.get(root)
        if real_root is None:
            real_root = self._real_roots[root] = os.path.realpath(root)
        if os.path.commonpath([real_root, os.path.realpath(absolute_path)]) != real_root:
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        if "v" not in self.request.arguments:
            self.set_header("Cache-Control", "no-cache")
{%- endif %}
{%- if "page" in kinds %}


class PageHandler(  # pyright: ignore[reportIncompatibleVariableOverride]  # upstream mixins
    ExtensionHandlerJinjaMixin, ExtensionHandlerMixin, ExtensionHandler
):
    """HTML pages rendered from the Jinja2 templates in the package's templates/ folder."""
{%- endif %}


#: What NotFoundHandler answers.
NO_ROUTE = "No route of this extension matches the URL"


class NotFoundHandler(ExtensionAPIHandler):
    """URLs under the namespace that no route matches: a JSON 404 (not the server's HTML)."""

    @web.authenticated
    def get(self, *args: str) -> None:
        raise web.HTTPError(404, NO_ROUTE)

    head = post = put = patch = delete = get
