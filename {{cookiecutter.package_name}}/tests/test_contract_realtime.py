{%- set routes = cookiecutter.handlers | routes -%}
{%- set kinds = routes | map(attribute="kind") | unique | list -%}
{%- set pkg = cookiecutter.package_name -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
"""The contract of WebSocket and event-stream routes, whatever their handlers send: browsers from
foreign origins are refused, messages are size-limited, open connections count as activity and
are let go when the client leaves{% if app %} or the server stops{% endif %}. This file belongs to the template."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any
{%- if "sse" in kinds %}
from urllib.parse import quote
{%- endif %}

import pytest
{%- if "sse" in kinds %}
from jupyter_server.utils import url_path_join
{%- endif %}
{%- if "ws" in kinds %}
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClientConnection
{%- endif %}

from {{ pkg }}.base import {% if app %}SETTINGS_KEY, {% endif %}Route
from {{ pkg }}.connections import connections
from {{ pkg }}.introspect import route_kind
from {{ pkg }}.routes import ROUTES, URL_NAMESPACE

NO_CREDENTIALS = {"Authorization": ""}
FOREIGN_ORIGIN = "http://evil.example.com"
SOCKETS = [r for r in ROUTES if route_kind(r.handler) == "ws"]
STREAMS = [r for r in ROUTES if route_kind(r.handler) == "sse"]


def example_id(route: Route) -> str:
    return route.example


async def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True

{%- if app %}


async def stop(jp_serverapp: Any) -> None:
    """What happens to the extension when the server stops (jupyter_server stops extension
    apps; it has no such hook for plain extension modules)."""
    await jp_serverapp.web_app.settings[SETTINGS_KEY].stop_extension()
{%- endif %}
{%- if "ws" in kinds %}


SocketFetch = Callable[..., Awaitable[WebSocketClientConnection]]
Login = Callable[[], Awaitable[dict[str, str]]]


async def closed(socket: WebSocketClientConnection) -> int | None:
    """Read what the server still sends until it closes the socket; its close code."""
    try:
        while await asyncio.wait_for(socket.read_message(), 5) is not None:
            pass  # whatever the handler sent before
    finally:
        socket.close()  # (a no-op once closed, but it lets the client go)
    return socket.close_code


@pytest.mark.parametrize("route", SOCKETS, ids=example_id)
async def test_browser_session_from_a_foreign_origin_is_refused(
    jp_ws_fetch: SocketFetch, browser_login: Login, route: Route
) -> None:
    session = await browser_login()
    own_page = {**session, "Origin": f"http://{session['Host']}"}
    (await jp_ws_fetch(URL_NAMESPACE, route.example, headers=own_page)).close()  # let in
    foreign_page = {**session, "Origin": FOREIGN_ORIGIN}
    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch(URL_NAMESPACE, route.example, headers=foreign_page)
    assert refused.value.code == 403


class TestSocketLimits:
    @pytest.fixture
    def jp_server_config(
        self, server_config: dict[str, Any], extension_config: dict[str, Any]
    ) -> dict[str, Any]:
        extension_config["max_body_size"] = 1024
        return server_config

    @pytest.mark.parametrize("route", SOCKETS, ids=example_id)
    async def test_a_message_over_the_limit_closes_the_socket(
        self, jp_ws_fetch: SocketFetch, route: Route
    ) -> None:
        socket = await jp_ws_fetch(URL_NAMESPACE, route.example)
        await socket.write_message("x" * 2048)
        assert await closed(socket) == 1009  # "message too big"


@pytest.mark.parametrize("route", SOCKETS, ids=example_id)
async def test_an_open_socket_is_activity_until_it_closes(
    jp_ws_fetch: SocketFetch, jp_serverapp: Any, route: Route
) -> None:
    settings = jp_serverapp.web_app.settings
    before = jp_serverapp.web_app.last_activity()
    socket = await jp_ws_fetch(URL_NAMESPACE, route.example)
    assert await wait_until(lambda: len(connections(settings)) == 1)
    assert jp_serverapp.web_app.last_activity() > before
{%- if app %}
    assert jp_serverapp.extension_manager.any_activity()
{%- endif %}
    socket.close()
    assert await wait_until(lambda: not connections(settings))
{%- if app %}
    assert not jp_serverapp.extension_manager.any_activity()
{%- endif %}

{%- if app %}


@pytest.mark.parametrize("route", SOCKETS, ids=example_id)
async def test_stopping_the_server_closes_sockets_cleanly(
    jp_ws_fetch: SocketFetch, jp_serverapp: Any, route: Route
) -> None:
    socket = await jp_ws_fetch(URL_NAMESPACE, route.example)
    assert await wait_until(lambda: len(connections(jp_serverapp.web_app.settings)) == 1)
    await stop(jp_serverapp)
    assert await closed(socket) == 1001  # "going away"
{%- endif %}
{%- endif %}
{%- if "sse" in kinds %}


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter, dict[str, str]]


async def open_stream(
    port: int, path: str, headers: dict[str, str]
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, int, dict[str, str]]:
    """A raw HTTP/1.1 GET whose answer is read as it arrives; (reader, writer, status, headers)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"GET {path} HTTP/1.1", f"Host: localhost:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    status_line, *header_lines = head.decode().split("\r\n")
    answer = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    return reader, writer, int(status_line.split()[1]), {k.lower(): v for k, v in answer.items()}


class TestEventStreams:
    @pytest.fixture
    def jp_server_config(
        self, server_config: dict[str, Any], extension_config: dict[str, Any]
    ) -> dict[str, Any]:
        extension_config["keepalive_interval"] = 0.05
        return server_config

    @pytest.fixture
    def live_stream(
        self,
        jp_base_url: str,
        jp_http_port: int,
        jp_auth_header: dict[str, str],
        http_server_client: Any,
    ) -> Callable[[Route], Awaitable[Stream]]:
        """Opens a route's stream with the token; skips the test unless it answers 200."""
        # (http_server_client is what makes the test server listen)

        async def open_live(route: Route) -> Stream:
            url = url_path_join(jp_base_url, quote(url_path_join(URL_NAMESPACE, route.example)))
            reader, writer, status, headers = await open_stream(jp_http_port, url, jp_auth_header)
            if status != 200:
                writer.close()
                pytest.skip(f"the stream answered {status} to a first connection")
            return reader, writer, headers

        return open_live

    @pytest.mark.parametrize("route", STREAMS, ids=example_id)
    async def test_a_stream_is_unbuffered_and_let_go_when_the_client_leaves(
        self,
        jp_serverapp: Any,
        live_stream: Callable[[Route], Awaitable[Stream]],
        route: Route,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        settings = jp_serverapp.web_app.settings
        reader, writer, headers = await live_stream(route)
        assert headers["content-type"].startswith("text/event-stream")
        assert headers["cache-control"] == "no-cache"
        assert headers["x-accel-buffering"] == "no"
        # Within a second a live stream sends something: an event, or a keep-alive comment.
        assert await asyncio.wait_for(reader.read(1024), 1)
        writer.close()  # the client goes away
        assert await wait_until(lambda: not connections(settings))
        assert "Traceback" not in caplog.text
{%- if app %}

    @pytest.mark.parametrize("route", STREAMS, ids=example_id)
    async def test_stopping_the_server_ends_streams(
        self,
        jp_serverapp: Any,
        live_stream: Callable[[Route], Awaitable[Stream]],
        route: Route,
    ) -> None:
        reader, writer, _ = await live_stream(route)
        if await wait_until(lambda: len(connections(jp_serverapp.web_app.settings)) == 1, 2):
            await stop(jp_serverapp)  # (unless the stream already ended by itself)
        rest = await asyncio.wait_for(reader.read(), 5)  # to the end: the server closed it
        assert rest.endswith(b"0\r\n\r\n")  # the last chunk of a finished answer
        writer.close()
{%- endif %}
{%- endif %}
