"""What a real server must do for every generated route, checked over HTTP like a client would."""

from __future__ import annotations

import json
import re

from support import Bake, BrowserSession, Response, Server, http

EXPECTED_STATUS = {"GET": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}
BODY_METHODS = ("POST", "PUT", "PATCH")
REQUEST_OBJECT = {"name": "e2e", "unicode": "ünïcödé"}
GREETING = "Hello, world!"
FOREIGN_ORIGIN = "http://evil.example.com"


def send(server: Server, method: str, url: str, headers: dict | None = None, body=None) -> Response:
    if method in BODY_METHODS and body is None:
        body = json.dumps(REQUEST_OBJECT)
    return http(method, url, headers=headers, body=body)


def assert_success(route, method: str, response: Response) -> None:
    where = f"{method} {route.route}"
    assert response.status == EXPECTED_STATUS[method], (where, response)
    if route.page:
        assert response.headers["Content-Type"].startswith("text/html"), where
        assert GREETING.encode() in response.body, where
    elif method == "GET":
        answer = response.json()
        assert answer["greeting"] == GREETING, where
        for name, value in route.sample_params().items():
            assert answer[name] == value, where
    elif method in BODY_METHODS:
        assert REQUEST_OBJECT in response.json().values(), where
    else:
        assert response.body == b"", where


def assert_denied(route, method: str, response: Response) -> None:
    where = f"{method} {route.route}"
    if route.page and method == "GET":
        assert response.status == 302 and "/login" in response.headers["Location"], (
            where,
            response,
        )
    else:
        assert response.status == 403, (where, response)
    assert GREETING.encode() not in response.body and b"e2e" not in response.body, where


def check_every_route(server: Server, baked: Bake, *, base_url: str) -> int:
    """All checks of the end-to-end layer against one running server; returns requests made."""
    requests = 0
    session = BrowserSession(server)
    session.login()
    xsrf = session.cookie("_xsrf")
    assert xsrf, "no _xsrf cookie after login"
    bodies: list[bytes] = []
    for route in baked.routes:
        url = server.origin + baked.url(base_url, route)
        for method in route.methods:
            # the token header gets the answer
            reply = send(server, method, url, headers=server.auth)
            assert_success(route, method, reply)
            # no credentials: denied, unless the route is public
            anonymous = send(server, method, url)
            if route.public:
                assert_success(route, method, anonymous)
            else:
                assert_denied(route, method, anonymous)
            bodies += [reply.body, anonymous.body]
            requests += 2
            if method != "GET":
                requests += check_xsrf(session, route, method, url, xsrf)
            if method in BODY_METHODS:
                for bad in ("{not json", "[1, 2]", '"text"'):
                    reply = send(server, method, url, headers=server.auth, body=bad)
                    assert reply.status == 400, (method, route.route, bad, reply)
                    assert "message" in reply.json()
                    bodies.append(reply.body)
                    requests += 1
        if not route.page:
            # a browser call from a foreign Origin is refused (token-authenticated calls are
            # allowed cross-origin by jupyter_server: a token is not sent by a browser on its own)
            reply = session.request("GET" if "GET" in route.methods else route.methods[0], url,
                                    headers={"Origin": FOREIGN_ORIGIN, "X-XSRFToken": xsrf})  # fmt: skip
            assert reply.status in (403, 404), (route.route, reply)
            assert GREETING.encode() not in reply.body
            requests += 1
        if route.absent_method:  # a method the route does not serve
            reply = send(server, route.absent_method, url, headers=server.auth)
            assert reply.status == 405, (route.absent_method, route.route, reply)
        # an unknown sub-path (unless the route's own regex would match it)
        unknown = url.rstrip("/") + "/no/such/sub-path"
        if not re.fullmatch(route.pattern, route.sample_path.rstrip("/") + "/no/such/sub-path"):
            reply = send(server, "GET", unknown, headers=server.auth)
            assert reply.status == 404, (unknown, reply)
        bodies += [reply.body]
        requests += 2
    for body in bodies:
        assert b"Traceback" not in body
    assert "Traceback" not in server.log(), server.log()[-3000:]
    return requests


def check_xsrf(session: BrowserSession, route, method: str, url: str, xsrf: str) -> int:
    """A cookie-authenticated change needs the X-XSRFToken header (as a browser client sends)."""
    body = json.dumps(REQUEST_OBJECT) if method in BODY_METHODS else None
    headers = {"Content-Type": "application/json"}
    refused = session.request(method, url, headers=headers, body=body)
    if route.public:
        assert refused.status in (EXPECTED_STATUS[method], 403), (method, route.route, refused)
    else:
        assert refused.status == 403, (method, route.route, refused)
        assert b"_xsrf" in refused.body or b"XSRF" in refused.body.upper()
    allowed = session.request(method, url, headers={**headers, "X-XSRFToken": xsrf}, body=body)
    assert_success(route, method, allowed)
    return 2
