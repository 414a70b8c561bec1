{%- set routes = cookiecutter.handlers | routes -%}
{%- set pkg = cookiecutter.package_name -%}
{%- set authorize = cookiecutter.auth == "authorized" -%}
{%- set ns = cookiecutter.url_namespace | namespace -%}
{%- set body_routes = routes | selectattr("kind", "equalto", "api") | selectattr("body_methods") | list -%}
{%- set encodable = routes | rejectattr("kind", "equalto", "ws") | selectattr("sample_path", "encodable") | list -%}
"""The contract every route keeps, whatever its methods do: authentication declared and enforced,
{%- if authorize %} the authorizer asked ("read" for GET and HEAD, "write" for the rest),{% endif %}
405 and 404 answered by the framework, bodies limited. It walks the route table at run time, so
a route added to routes.py is covered without new test code. This file belongs to the template;
what each method answers is tested in test_behaviour_*.py, which are yours.
"""

from __future__ import annotations

{% if ns or encodable or body_routes -%}
import json
{% endif -%}
{% if ns -%}
import re
{% endif -%}
import warnings
from collections.abc import Awaitable, Callable, Collection
from typing import Any

import pytest
{%- if authorize %}
from jupyter_server.auth import Authorizer
{%- endif %}
from jupyter_server.utils import JupyterServerAuthWarning
from tornado.httpclient import {% if encodable %}AsyncHTTPClient, {% endif %}HTTPClientError, HTTPResponse
from tornado.websocket import WebSocketClientConnection

{{ py_import(pkg ~ ".base", ((["NO_ROUTE"] if ns or encodable else []) + ["SETTINGS_KEY", "JSONError", "Route", "decode_json", "is_public", "served_methods"] + (["AUTH_RESOURCE"] if authorize else [])) | import_order) }}
from {{ pkg }}.openapi import route_kind
from {{ pkg }}.routes import ROUTES, URL_NAMESPACE, extension_handlers

NO_CREDENTIALS = {"Authorization": ""}
BODY_METHODS = {"POST", "PUT", "PATCH"}
REFUSED = {401, 403, 405}
{%- if encodable %}
#: Characters some clients percent-encode in a path and others send as they are.
ENCODABLE = "!$&'()*+,;=:@"
{%- endif %}

Fetch = Callable[..., Awaitable[HTTPResponse]]
SocketFetch = Callable[..., Awaitable[WebSocketClientConnection]]


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


def calls(*kinds: str, public: bool | None = None, methods: Collection[str] = ()) -> list[Any]:
    """(route, method) for every method each route serves (of `kinds`, public or not, among
    `methods`: all by default), as pytest parameters."""
    return [
        pytest.param(route, method, id=f"{method} {route.example}")
        for route in ROUTES
        if not kinds or route_kind(route.handler) in kinds
        for method in served_methods(route.handler)
        if method != "OPTIONS" and (not methods or method in methods)
        if public is None or is_public(route.handler, method) == public
    ]


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
    if route_kind(route.handler) in ("page", "static") and method in ("GET", "HEAD"):
        assert status == 302  # browsers are sent to the login page
    else:
        assert status == 403
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


class ReadOnlyAuthorizer(Authorizer):
    """Lets users read the extension's resource, not write it (and do anything else)."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != AUTH_RESOURCE or action == "read"


class NoAccessAuthorizer(Authorizer):
    """Lets users do anything but touch the extension's resource."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != AUTH_RESOURCE


class TestReadOnlyUser:
    @pytest.fixture
    def jp_server_config(self, server_config: dict[str, Any]) -> dict[str, Any]:
        server_config["ServerApp"]["authorizer_class"] = ReadOnlyAuthorizer
        return server_config

    @pytest.mark.parametrize(("route", "method"), calls(public=False))
    async def test_may_read_but_not_write(
        self, jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
    ) -> None:
        status = await request(jp_fetch, jp_ws_fetch, route, method)
        if method in ("GET", "HEAD"):
            assert status not in REFUSED
        else:
            assert status == 403


class TestUserWithoutAccess:
    @pytest.fixture
    def jp_server_config(self, server_config: dict[str, Any]) -> dict[str, Any]:
        server_config["ServerApp"]["authorizer_class"] = NoAccessAuthorizer
        return server_config

    @pytest.mark.parametrize(("route", "method"), calls(public=False))
    async def test_is_refused(
        self, jp_fetch: Fetch, jp_ws_fetch: SocketFetch, route: Route, method: str
    ) -> None:
        assert await request(jp_fetch, jp_ws_fetch, route, method) == 403
{%- endif %}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.example)
async def test_unserved_methods_get_405_with_allow(jp_fetch: Fetch, route: Route) -> None:
    served = served_methods(route.handler)
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        if method in served:
            continue
        response = await jp_fetch(
            URL_NAMESPACE,
            route.example,
            method=method,
            body="{}" if method in BODY_METHODS else None,
            raise_error=False,
        )
        assert response.code == 405, method
        assert set(response.headers["Allow"].split(", ")) == set(served)
{%- if ns %}


async def test_unknown_url_under_the_namespace_gets_json_404(jp_fetch: Fetch) -> None:
    path = "no-such-route/x/y"
    if any(re.fullmatch(route.pattern, "/" + path) for route in ROUTES):
        pytest.skip("a route of the table matches the probe URL")
    response = await jp_fetch(URL_NAMESPACE, path, raise_error=False)
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
    raw_url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}{URL_NAMESPACE}{route.example}"
    raw = await AsyncHTTPClient().fetch(
        raw_url, method=method, headers=jp_auth_header, body=body, raise_error=False
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

    @pytest.mark.parametrize(("route", "method"), calls("api", methods=BODY_METHODS))
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
        extension_config["greeting"] = "Hi from the config"
        return server_config

    def test_reach_the_handlers(self, jp_serverapp: Any) -> None:
        settings = jp_serverapp.web_app.settings[SETTINGS_KEY]
        assert settings.greeting == "Hi from the config"
        assert settings.max_body_size == 1024 * 1024  # the default
