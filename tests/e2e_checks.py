"""What a real server must do for every generated route, checked over HTTP and WebSocket like a
client would: each answer is one the extension's own OpenAPI document allows, strangers are
refused, browsers are held to XSRF and origin rules, bad bodies get 400, methods a route does
not serve (Tornado's unknown ones too) get 405 or a refusal, the server's own API still answers,
and the log has no traceback."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from support import Bake, BrowserSession, Response, Server, http
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from local_extensions.answers import namespace_404
from local_extensions.routes import OPENAPI_ROUTE, Route, route_url

BODY_METHODS = ("POST", "PUT", "PATCH")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
UNKNOWN_METHODS = ("TRACE", "PROPFIND", "QUERY")
#: The servers' own URLs that must answer whatever the extension registers.
SERVER_API = ("api/status", "api/contents", "api/kernels", "api/sessions")
REQUEST_OBJECT = {"name": "e2e", "tags": ["ünïcödé"]}
FOREIGN_ORIGIN = "http://evil.example.com"


def send(method: str, url: str, headers: dict | None = None, body: Any = None) -> Response:
    if method in BODY_METHODS and body is None:
        body = json.dumps(REQUEST_OBJECT)
    return http(method, url, headers=headers, body=body)


def openapi(server: Server, baked: Bake, base_url: str) -> dict[str, Any]:
    reply = http("GET", server.origin + route_url(base_url, baked.namespace, "/openapi.json"),
                 headers=server.auth)  # fmt: skip
    assert reply.status == 200, reply
    return reply.json()


def documented(document: dict[str, Any], baked: Bake, route: Route, method: str) -> set[int]:
    """The statuses the extension's OpenAPI document allows for this route and method."""
    ns_route = route_url("/", baked.namespace, route.sample_path)
    for path, operations in document["paths"].items():
        template = re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(path))
        if re.fullmatch(template, ns_route) and method.lower() in operations:
            return {int(code) for code in operations[method.lower()]["responses"]}
    raise AssertionError(f"{method} {ns_route} is not in the OpenAPI document")


def check_every_route(server: Server, baked: Bake, *, base_url: str) -> int:
    """All checks of the end-to-end layer against one running server; returns requests made."""
    document = openapi(server, baked, base_url)
    session = BrowserSession(server)
    session.login()
    xsrf = session.cookie("_xsrf")
    assert xsrf, "no _xsrf cookie after login"
    requests = 0
    for route in baked.routes:
        url = server.origin + baked.url(base_url, route)
        if route.kind == "ws":
            requests += asyncio.run(check_socket(server, route, url, session))
            continue
        if route.kind == "sse":
            requests += check_stream(server, route, url)
            continue
        for method in route.methods:
            allowed = documented(document, baked, route, method)
            reply = send(method, url, headers=server.auth)
            assert reply.status in allowed - {400, 403}, (method, route.route, reply, allowed)
            anonymous = send(method, url)
            if route.public:
                assert anonymous.status in allowed - {400, 403}, (method, route.route, anonymous)
            elif route.kind in ("page", "download", "static") and method in ("GET", "HEAD"):
                assert anonymous.status == 302, (method, route.route, anonymous)
                assert "/login" in anonymous.headers["Location"]
            else:
                assert anonymous.status == 403, (method, route.route, anonymous)
            requests += 2
            if method not in ("GET", "HEAD"):
                requests += check_xsrf(session, route, method, url, xsrf)
            if method in BODY_METHODS:
                for bad in ("{not json", '{"a": NaN}', "[" * 200 + "]" * 200):
                    reply = send(method, url, headers=server.auth, body=bad)
                    assert reply.status == 400, (method, route.route, bad, reply)
                    assert "message" in reply.json()
                    requests += 1
        if route.kind == "api":
            # a browser call from a foreign Origin is refused (token-authenticated calls are
            # allowed cross-origin by jupyter_server: a browser does not send a token on its own)
            reply = session.request(route.methods[0], url,
                                    headers={"Origin": FOREIGN_ORIGIN, "X-XSRFToken": xsrf},
                                    body=json.dumps(REQUEST_OBJECT) if route.methods[0] in BODY_METHODS else None)  # fmt: skip
            assert reply.status in (403, 404), (route.route, reply)
            requests += 1
        requests += check_other_methods(server, session, url, route.methods, xsrf)
    openapi_url = server.origin + route_url(base_url, baked.namespace, OPENAPI_ROUTE)
    requests += check_other_methods(server, session, openapi_url, ("GET",), xsrf)
    if namespace_404(baked.context):
        unknown = server.origin + route_url(base_url, baked.namespace, "/no/such/sub-path")
        if not any(re.fullmatch(r.pattern, "/no/such/sub-path") for r in baked.routes):
            reply = send("GET", unknown, headers=server.auth)
            assert reply.status == 404 and "message" in reply.json(), (unknown, reply)
            requests += 1 + check_other_methods(server, session, unknown, METHODS, xsrf)
    for path in SERVER_API:
        reply = http("GET", server.url(path), headers=server.auth)
        assert reply.status == 200 and reply.json() is not None, (path, reply)
        requests += 1
    assert "Traceback" not in server.log(), server.log()[-3000:]
    return requests


def check_other_methods(
    server: Server, session: BrowserSession, url: str, served: tuple[str, ...], xsrf: str
) -> int:
    """Methods `url` does not serve, Tornado's unknown ones included, from a token, a browser
    session and a stranger: 405 with Allow, or (a stranger) refused before the method is looked
    up; never a server error."""
    callers = {
        "token": lambda method, body: send(method, url, headers=server.auth, body=body),
        "cookie": lambda method, body: session.request(
            method, url, headers={"X-XSRFToken": xsrf}, body=body
        ),
        "anonymous": lambda method, body: send(method, url, body=body),
    }
    requests = 0
    for method in [m for m in METHODS if m not in served] + list(UNKNOWN_METHODS):
        for caller, call in callers.items():
            reply = call(method, "{}" if method in BODY_METHODS else None)
            requests += 1
            if caller == "anonymous" and reply.status != 405:
                # refused before the method is looked up (302: a browser sent to log in)
                assert reply.status in (302, 403), (caller, method, url, reply)
            else:
                assert reply.status == 405, (caller, method, url, reply)
                assert reply.headers.get("Allow"), (caller, method, url, reply)
    return requests


def check_xsrf(session: BrowserSession, route: Route, method: str, url: str, xsrf: str) -> int:
    """A cookie-authenticated change needs the X-XSRFToken header (as a browser client sends)."""
    body = json.dumps(REQUEST_OBJECT) if method in BODY_METHODS else None
    headers = {"Content-Type": "application/json"}
    refused = session.request(method, url, headers=headers, body=body)
    if not route.public:
        assert refused.status == 403, (method, route.route, refused)
        assert b"_xsrf" in refused.body or b"XSRF" in refused.body.upper()
    allowed = session.request(method, url, headers={**headers, "X-XSRFToken": xsrf}, body=body)
    assert allowed.status not in (401, 403, 405) and allowed.status < 500, (
        method,
        route.route,
        allowed,
    )
    return 2


async def check_socket(server: Server, route: Route, url: str, session: BrowserSession) -> int:
    """A real WebSocket client: the token gets an answer to a message (and an error for a
    message that is not JSON, on the same open socket); strangers and foreign pages do not."""
    ws_url = "ws" + url.removeprefix("http")
    socket = await websocket_connect(HTTPRequest(ws_url, headers=server.auth, connect_timeout=10))
    await socket.write_message(json.dumps({"text": "hello"}))
    answer = json.loads(await asyncio.wait_for(socket.read_message(), 10))
    assert answer["echo"] == {"text": "hello"}, answer
    await socket.write_message("{not json")
    assert "error" in json.loads(await asyncio.wait_for(socket.read_message(), 10))
    await socket.write_message(json.dumps([1]))
    assert json.loads(await asyncio.wait_for(socket.read_message(), 10))["echo"] == [1]
    socket.close()
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.jar)
    strangers = [{}, {"Cookie": cookies, "Origin": FOREIGN_ORIGIN}]
    for headers in strangers if not route.public else strangers[1:]:
        try:
            stranger = await websocket_connect(HTTPRequest(ws_url, headers=headers))
        except HTTPClientError as error:
            assert error.code == 403, (route.route, headers, error)
        else:
            stranger.close()
            raise AssertionError(f"{route.route} let {headers} in")
    return 3 + len(strangers)


def check_stream(server: Server, route: Route, url: str) -> int:
    """A real streaming read: events arrive as text/event-stream; strangers are refused."""
    reply = http("GET", url, headers=server.auth, timeout=60)
    assert reply.status == 200, reply
    assert reply.headers["Content-Type"].startswith("text/event-stream")
    data = [line for line in reply.body.decode().splitlines() if line.startswith("data: ")]
    assert len(data) >= 2 and json.loads(data[-1][6:]).get("done") is True, reply.body[:500]
    if not route.public:
        assert http("GET", url).status == 403
    return 2
