{%- set routes = cookiecutter.handlers | routes -%}
{%- set pkg = cookiecutter.package_name -%}
{%- set authorize = cookiecutter.auth == "authorized" -%}
{%- set json_404 = cookiecutter | namespace_404 -%}
{%- set body_routes = routes | selectattr("kind", "equalto", "api") | selectattr("body_methods") | list -%}
{%- set encodable = routes | rejectattr("kind", "equalto", "ws") | selectattr("sample_path", "encodable") | list -%}
"""The contract every route keeps, whatever its methods do: authentication declared and enforced,
{%- if authorize %} the authorizer asked about the handler's resource where @authorized guards a method,{% endif %}
405 and 404 answered by the framework without a traceback, bodies limited. Each route's kind,
methods and access are read from its class at run time (introspect.py), so the tests follow a
changed base class, decorator or `auth_resource`, and cover a route added to routes.py without
new test code. This file belongs to the template; what each method answers is tested in
test_behaviour_*.py, which are yours.
"""

from __future__ import annotations

{% if json_404 or encodable or body_routes -%}
import json
{% endif -%}
{% if json_404 -%}
import re
{% endif -%}
import warnings
from collections.abc import Awaitable, Callable, Collection
from logging import ERROR, LogRecord
from typing import Any

import pytest
{%- if authorize %}
from jupyter_server.auth import Authorizer
{%- endif %}
from jupyter_server.utils import JupyterServerAuthWarning{% if encodable %}, url_path_join{% endif %}
from tornado.httpclient import {% if encodable %}AsyncHTTPClient, {% endif %}HTTPClientError, HTTPResponse
from tornado.web import HTTPError
from tornado.websocket import WebSocketClientConnection

{{ py_import(pkg ~ ".base", ((["NO_ROUTE"] if json_404 or encodable else []) + (["NotFoundHandler"] if json_404 else []) + (["ExtensionAPIHandler"] if body_routes else []) + ["SETTINGS_KEY", "JSONError", "Route", "decode_json"]) | import_order) }}
{{ py_import(pkg ~ ".introspect", (["authorization"] if authorize else []) + ["is_public", "route_kind", "served_methods"]) }}
from {{ pkg }}.openapi import OpenAPIHandler
from {{ pkg }}.routes import ROUTES, URL_NAMESPACE, extension_handlers

NO_CREDENTIALS = {"Authorization": ""}
BODY_METHODS = {"POST", "PUT", "PATCH"}
REFUSED = {401, 403, 405}
#: Methods Tornado does not serve at all: it refuses them before the handler looks at the caller.
UNKNOWN_METHODS = ("TRACE", "PROPFIND", "QUERY")
{%- if json_404 %}
#: A URL under the namespace for the JSON 404, unless a route of the table catches it.
UNROUTED = "/no-such-route/x/y"
{%- endif %}
{%- if encodable %}
#: Characters some clients percent-encode in a path and others send as they are.
ENCODABLE = "!$&'()*+,;=:@"
{%- endif %}

Fetch = Callable[..., Awaitable[HTTPResponse]]
SocketFetch = Callable[..., Awaitable[WebSocketClientConnection]]
Login = Callable[[], Awaitable[dict[str, str]]]


{%- if encodable %}


def reached_a_route(response: HTTPResponse) -> bool:
    """Whether a route of the table answered (a 404 for an unknown id included), rather than
    the namespace's catch-all or the server's own 404 page."""
    if response.code != 404:
        return True
    if response.headers.get("Content-Type", "").startswith("text/html"):
        return False
    return bool(json.loads(response.body).get("message") != NO_ROUTE)
{%- endif %}


def calls(
    *kinds: str,
    public: bool | None = None,
    methods: Collection[str] = (),
    where: Callable[[Route, str], bool] = lambda route, method: True,
) -> list[Any]:
    """(route, method) for every method each route serves (of `kinds`, public or not, among
    `methods`, for which `where` holds: all by default), as pytest parameters."""
    return [
        pytest.param(route, method, id=f"{method} {route.example}")
        for route in ROUTES
        if not kinds or route_kind(route.handler) in kinds
        for method in served_methods(route.handler)
        if method != "OPTIONS" and (not methods or method in methods)
        if public is None or is_public(route.handler, method) == public
        if where(route, method)
    ]


def sends_browsers_to_log_in(route: Route, method: str) -> bool:
    """Whether a caller without credentials is sent to the login page (302), as JupyterHandlers
    that answer pages or files do for GET and HEAD; JSON routes and sockets answer 403."""
    return method in ("GET", "HEAD") and route_kind(route.handler) in ("page", "download", "static")


async def request(
    jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str, **kwargs: Any
) -> int:
    """One call as a client would make it; the status it got (101 for an open WebSocket)."""
    kind = route_kind(route.handler)
    if kind == "ws":
        try:
            socket = await jp_ws_fetch(URL_NAMESPACE, route.example, **kwargs)
        except HTTPClientError as error:
            return error.code
        socket.close()
        return 101
    if method in BODY_METHODS:
        kwargs.setdefault("body", "{}")
    if kind == "sse":  # read the headers only: a stream may go on for as long as it likes
        kwargs["streaming_callback"] = lambda chunk: None
        kwargs["request_timeout"] = 2
    try:
        response = await jp_fetch(
            URL_NAMESPACE,
            route.example,
            method=method,
            raise_error=False,
            follow_redirects=False,
            **kwargs,
        )
    except HTTPClientError as error:  # the stream outlived request_timeout: it was answered
        return 200 if error.code == 599 else error.code
    return response.code


def test_every_handler_declares_its_authentication(jp_serverapp: Any) -> None:
    # In strict mode the server warns about (and refuses) handler methods without an auth
    # decorator; registering the handlers once more shows whether any would be among them.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jp_serverapp.web_app.add_handlers(".*$", extension_handlers("/contract-check/"))
    assert [w for w in caught if issubclass(w.category, JupyterServerAuthWarning)] == []


@pytest.mark.parametrize(("route", "method"), calls(public=False))
async def test_no_credentials_are_refused(
    jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
) -> None:
    status = await request(jp_fetch, jp_ws_fetch, route, method, headers=NO_CREDENTIALS)
    assert status == (302 if sends_browsers_to_log_in(route, method) else 403)
{%- if routes | selectattr("public") | list %}


@pytest.mark.parametrize(("route", "method"), calls(public=True))
async def test_public_methods_answer_without_credentials(
    jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
) -> None:
    status = await request(jp_fetch, jp_ws_fetch, route, method, headers=NO_CREDENTIALS)
    assert status not in REFUSED
{%- endif %}


@pytest.mark.parametrize(("route", "method"), calls())
async def test_the_token_is_let_through(
    jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
) -> None:
    # Whatever the method answers (a 404 for an unknown id, say), it is not refused.
    assert await request(jp_fetch, jp_ws_fetch, route, method) not in REFUSED
{%- if authorize %}


#: (handler class, action, resource) that the authorizers below were asked, test by test.
ASKED: list[tuple[str, str, str]] = []
HANDLERS = {route.handler for route in ROUTES}


class ReadOnlyAuthorizer(Authorizer):
    """Lets users read, not write, whatever the extension's handlers guard (and do anything
    else); notes what they ask."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        if type(handler) not in HANDLERS:
            return True
        ASKED.append((type(handler).__name__, action, resource))
        return action == "read"


class NoAccessAuthorizer(ReadOnlyAuthorizer):
    """Lets users do nothing that the extension's handlers guard (and anything else)."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        asked = super().is_authorized(handler, user, action, resource)
        return asked and type(handler) not in HANDLERS


def guarded(route: Route, method: str) -> bool:
    return authorization(route.handler, method) is not None


def asked_as_declared(route: Route, method: str) -> bool:
    """Whether the authorizer was asked about the action and resource the method declares."""
    action, resource = authorization(route.handler, method) or ("", "")
    return (route.handler.__name__, action, resource) in ASKED


class TestReadOnlyUser:
    @pytest.fixture
    def jp_server_config(self, server_config: dict[str, Any]) -> dict[str, Any]:
        server_config["ServerApp"]["authorizer_class"] = ReadOnlyAuthorizer
        return server_config

    @pytest.mark.parametrize(("route", "method"), calls(public=False, where=guarded))
    async def test_may_read_but_not_write(
        self, jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
    ) -> None:
        ASKED.clear()
        status = await request(jp_fetch, jp_ws_fetch, route, method)
        assert asked_as_declared(route, method), ASKED
        action, _ = authorization(route.handler, method) or ("", "")
        assert status not in REFUSED if action == "read" else status == 403


class TestUserWithoutAccess:
    @pytest.fixture
    def jp_server_config(self, server_config: dict[str, Any]) -> dict[str, Any]:
        server_config["ServerApp"]["authorizer_class"] = NoAccessAuthorizer
        return server_config

    @pytest.mark.parametrize(("route", "method"), calls(public=False))
    async def test_is_refused_where_the_authorizer_guards(
        self, jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
    ) -> None:
        ASKED.clear()
        status = await request(jp_fetch, jp_ws_fetch, route, method)
        if guarded(route, method):
            assert status == 403
            assert asked_as_declared(route, method), ASKED
        else:  # authenticated only: any logged-in user
            assert status not in REFUSED
{%- endif %}


def failed(record: LogRecord) -> bool:
    """A log record of a failure: an error, or the traceback of an exception other than the
    HTTP answer a handler chose (jupyter_server before 2.15 logs one with each JSON error)."""
    exception = record.exc_info[1] if record.exc_info else None
    return record.levelno >= ERROR or not isinstance(exception, (HTTPError, type(None)))


def registered_urls() -> list[Any]:
    """A URL of each handler the extension registers (its routes, its API description and, if
    the namespace has one, its JSON 404), as pytest parameters."""
    urls = [pytest.param(route.example, route.handler, id=route.example) for route in ROUTES]
    urls.append(pytest.param("/openapi.json", OpenAPIHandler, id="/openapi.json"))
{%- if json_404 %}
    if not any(re.fullmatch(route.pattern, UNROUTED) for route in ROUTES):
        urls.append(pytest.param(UNROUTED, NotFoundHandler, id="JSON 404"))
{%- endif %}
    return urls


@pytest.mark.parametrize("caller", ["token", "cookie", "anonymous"])
@pytest.mark.parametrize(("path", "handler"), registered_urls())
async def test_unserved_and_unknown_methods_are_refused_without_a_traceback(
    jp_fetch: Fetch,
    browser_login: Login,
    caplog: pytest.LogCaptureFixture,
    path: str,
    handler: type,
    caller: str,
) -> None:
    served = served_methods(handler)
    headers = {"token": {}, "anonymous": NO_CREDENTIALS}.get(caller) or await browser_login()
    for method in [m for m in BODY_METHODS | {"GET", "HEAD", "DELETE"} if m not in served]:
        response = await jp_fetch(
            URL_NAMESPACE,
            path,
            method=method,
            headers=headers,
            body="{}" if method in BODY_METHODS else None,
            follow_redirects=False,
            raise_error=False,
        )
        if caller == "anonymous" and response.code != 405:
            # Refused before the method is looked up: 403, or 302 sending a browser to log in.
            assert response.code in (302, 403), method
        else:
            assert response.code == 405, method
            assert set(response.headers["Allow"].split(", ")) == set(served)
    for method in UNKNOWN_METHODS:
        response = await jp_fetch(
            URL_NAMESPACE,
            path,
            method=method,
            headers=headers,
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        assert response.code == 405, method
        assert set(response.headers["Allow"].split(", ")) == set(served)
    assert [record for record in caplog.records if failed(record)] == []
{%- if json_404 %}


async def test_unknown_url_under_the_namespace_gets_json_404(jp_fetch: Fetch) -> None:
    if any(re.fullmatch(route.pattern, UNROUTED) for route in ROUTES):
        pytest.skip(f"a route of the table catches {UNROUTED}: no URL to probe the JSON 404 with")
    response = await jp_fetch(URL_NAMESPACE, UNROUTED, raise_error=False)
    assert response.code == 404
    assert json.loads(response.body)["message"] == NO_ROUTE
{%- endif %}

{%- if encodable %}


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if set(r.example) & set(ENCODABLE) and route_kind(r.handler) != "ws"],
    ids=lambda route: route.example,
)
async def test_routes_match_raw_and_percent_encoded_urls(
    jp_fetch: Fetch,
    jp_http_port: int,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    route: Route,
) -> None:
    method = served_methods(route.handler)[0]
    body = "{}" if method in BODY_METHODS else None
    # jp_fetch percent-encodes the path, as JupyterLab's client does; curl sends it as written.
    encoded = await jp_fetch(
        URL_NAMESPACE, route.example, method=method, body=body, raise_error=False
    )
    raw_path = url_path_join(jp_base_url, URL_NAMESPACE, route.example)
    raw = await AsyncHTTPClient().fetch(
        f"http://127.0.0.1:{jp_http_port}{raw_path}",
        method=method,
        headers=jp_auth_header,
        body=body,
        raise_error=False,
    )
    assert reached_a_route(encoded)
    assert reached_a_route(raw)
    assert encoded.code == raw.code
{%- endif %}
{%- if body_routes %}


class TestLargeBodies:
    @pytest.fixture
    def jp_server_config(
        self, server_config: dict[str, Any], extension_config: dict[str, Any]
    ) -> dict[str, Any]:
        extension_config["max_body_size"] = 1024
        return server_config

    @pytest.mark.parametrize(
        ("route", "method"),
        calls(methods=BODY_METHODS, where=lambda r, m: issubclass(r.handler, ExtensionAPIHandler)),
    )
    async def test_are_refused_with_413(self, jp_fetch: Fetch, route: Route, method: str) -> None:
        body = json.dumps({"text": "x" * 2048})
        response = await jp_fetch(
            URL_NAMESPACE, route.example, method=method, body=body, raise_error=False
        )
        assert response.code == 413
        assert "message" in json.loads(response.body)
{%- endif %}


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"[" * 5000 + b"]" * 5000, 400),  # deeper than Python's recursion limit
        (b"[" * 100 + b"]" * 100, 400),  # deeper than MAX_NESTING
        (b'{"a": 1e999999}', 400),  # would be Infinity, which JSON does not have
        (b'{"a": NaN}', 400),
        (b"\xff\xfe", 400),  # not UTF-8
        (b"{not json", 400),
        (b'"' + b"x" * 20_000 + b'"', 413),
    ],
    ids=["deep-5000", "deep-100", "infinity", "nan", "not-utf8", "not-json", "too-large"],
)
def test_the_json_decoder_refuses_hostile_input(data: bytes, status: int) -> None:
    with pytest.raises(JSONError) as refused:
        decode_json(data, max_size=16_000)
    assert refused.value.status == status


class TestConfiguredSettings:
    @pytest.fixture
    def jp_server_config(
        self, server_config: dict[str, Any], extension_config: dict[str, Any]
    ) -> dict[str, Any]:
        extension_config["max_body_size"] = 4321
        return server_config

    def test_reach_the_handlers(self, jp_serverapp: Any) -> None:
        assert jp_serverapp.web_app.settings[SETTINGS_KEY].max_body_size == 4321
