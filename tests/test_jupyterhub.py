"""A generated extension inside a real JupyterHub: installed from its wheel into the venv that runs
the single-user servers, reached through the hub's proxy at /user/<name>/..., answering its owner's
API token and nobody else's (public routes excepted)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from combinations import BY_ID
from e2e_checks import documented
from hub_support import Hub, descendants, find_configurable_http_proxy, jupyterhub, tool_version
from support import (
    DEFAULTS,
    Bake,
    Response,
    bake,
    base_venv,
    build_wheel,
    http,
    overlay_venv,
    pip_install,
)
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from local_extensions.routes import Route, parse_handlers, route_url

# One hub per module: keep its tests on one xdist worker with `--dist loadgroup`/`loadscope`.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("jupyterhub")]

OWNER, OTHER = "alice", "bob"
# Two bakes in one hub: the default answers, and a table with path parameters, every method and
# a public route. Their packages differ, so one single-user venv holds both extensions.
BAKES = {
    name: BY_ID[name].answers
    for name in ("defaults", "public+authorized-crud", "realtime-static-shared")
}
JSON_BODY = {"name": "example", "tags": ["hub"]}
BODY_METHODS = ("POST", "PUT", "PATCH")
# What the generated handlers write into a successful answer: none of it may reach a stranger.
PAYLOAD_MARKERS = (b'"greeting"', b'"created_by"', b'"matched"', b'"accepted"', b"Hello from")


def _routes(answers: dict) -> list[Route]:
    return parse_handlers(answers.get("handlers", DEFAULTS["handlers"]))


CALLS = [
    pytest.param(name, index, method, id=f"{name}:{method} {route.route}")
    for name, answers in BAKES.items()
    for index, route in enumerate(_routes(answers))
    if route.kind not in ("ws", "sse")
    for method in route.methods
]
REALTIME = [
    pytest.param(name, index, id=f"{name}:{route.label} {route.route}")
    for name, answers in BAKES.items()
    for index, route in enumerate(_routes(answers))
    if route.kind in ("ws", "sse")
]
assert REALTIME
assert any(route.public for answers in BAKES.values() for route in _routes(answers))


@dataclass
class HubWithExtensions:
    hub: Hub
    bakes: dict[str, Bake]
    documents: dict[str, dict] = field(default_factory=dict)

    def document(self, name: str) -> dict:
        """The extension's OpenAPI document, as the owner's server serves it through the hub."""
        if name not in self.documents:
            bake_ = self.bakes[name]
            url = self.hub.url + route_url(f"/user/{OWNER}/", bake_.namespace, "/openapi.json")
            reply = http("GET", url, headers={"Authorization": f"token {self.hub.tokens[OWNER]}"})
            self.documents[name] = self.hub.check(reply, 200, what="openapi.json").json()
        return self.documents[name]

    def call(self, name: str, index: int, method: str, token: str | None) -> Response:
        bake_ = self.bakes[name]
        route = bake_.routes[index]
        url = self.hub.url + bake_.url(f"/user/{OWNER}/", route)
        headers = {"Authorization": f"token {token}"} if token else {}
        body = None
        if method in BODY_METHODS:
            headers["Content-Type"] = "application/json"
            body = json.dumps(JSON_BODY)
        return http(method, url, headers=headers, body=body)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubWithExtensions]:
    chp, reason = find_configurable_http_proxy()
    if chp is None:
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("jupyterhub")
    bakes = {name: bake(workdir / "bakes" / name, answers) for name, answers in BAKES.items()}
    venv = overlay_venv("hub", workdir / "singleuser-venv")
    wheels = [
        str(build_wheel(venv, b.project, workdir / "dist" / name)) for name, b in bakes.items()
    ]
    pip_install(venv, *wheels)
    for name, b in bakes.items():  # pip put the enabling JSON where the single-user server looks
        package = b.context["package_name"]
        enabling = venv / "etc" / "jupyter" / "jupyter_server_config.d" / f"{package}.json"
        assert enabling.is_file(), f"{name}: {enabling} missing after pip install"
    print(
        f"jupyterhub {tool_version([str(base_venv('hub') / 'bin' / 'jupyterhub'), '--version'])}, "
        f"configurable-http-proxy {tool_version([str(chp), '--version'])}, "
        f"node {tool_version(['node', '--version'])}"
    )
    with jupyterhub(workdir / "hub", venv, chp) as running:
        running.create_users(OWNER, OTHER)
        running.spawn(OWNER)
        yield HubWithExtensions(running, bakes)


def _failure(hub: HubWithExtensions, what: str, reply: Response) -> str:
    return f"{what}: {reply.status} {reply.headers.get('Location', '')} {reply.body[:500]!r}"


def assert_denied(hub: HubWithExtensions, reply: Response, who: str) -> None:
    assert reply.status in (302, 401, 403), _failure(hub, f"{who} was not refused", reply)
    if reply.status == 302:  # a browser-style redirect must lead to the hub's login, not onwards
        assert "/hub/" in reply.headers.get("Location", ""), _failure(hub, who, reply)
    leaked = [marker for marker in PAYLOAD_MARKERS if marker in reply.body]
    assert not leaked, _failure(hub, f"{who} got payload {leaked}", reply)


@pytest.mark.parametrize(("name", "index", "method"), CALLS)
def test_route_through_hub_proxy(
    hub: HubWithExtensions, name: str, index: int, method: str
) -> None:
    route = hub.bakes[name].routes[index]
    tokens = hub.hub.tokens
    allowed = documented(hub.document(name), hub.bakes[name], route, method) - {400, 403}

    # The owner's API token: the route answers as its OpenAPI document says.
    reply = hub.call(name, index, method, tokens[OWNER])
    assert reply.status in allowed, _failure(hub, f"{OWNER}'s token", reply)

    anonymous = hub.call(name, index, method, None)
    stranger = hub.call(name, index, method, tokens[OTHER])
    if route.public:
        assert anonymous.status in allowed, _failure(hub, "no credentials", anonymous)
        # Another user's valid token makes the hub's identity provider log "Not allowing user
        # bob"; a public route then answers him as it answers anyone (JupyterHub 5/6).
        assert stranger.status in allowed, _failure(hub, OTHER, stranger)
    else:
        assert_denied(hub, anonymous, "a request without credentials")
        assert_denied(hub, stranger, f"{OTHER}'s token on {OWNER}'s server")


@pytest.mark.parametrize(("name", "index"), REALTIME)
def test_socket_and_stream_through_hub_proxy(hub: HubWithExtensions, name: str, index: int) -> None:
    """configurable-http-proxy carries the WebSocket upgrade and the event stream to the owner's
    server; without credentials or with another user's token they are refused."""
    bake_ = hub.bakes[name]
    route = bake_.routes[index]
    url = hub.hub.url + bake_.url(f"/user/{OWNER}/", route)
    tokens = hub.hub.tokens
    if route.kind == "ws":
        answer = asyncio.run(exchange(url, {"Authorization": f"token {tokens[OWNER]}"}))
        assert answer["echo"] == {"text": "through the hub"}, answer
        for who, headers in (
            ("no credentials", {}),
            (OTHER, {"Authorization": f"token {tokens[OTHER]}"}),
        ):
            with pytest.raises(HTTPClientError) as refused:
                asyncio.run(exchange(url, headers))
            assert refused.value.code in (302, 403), (who, refused.value)
    else:
        reply = http("GET", url, headers={"Authorization": f"token {tokens[OWNER]}"}, timeout=60)
        assert reply.status == 200, _failure(hub, f"{OWNER}'s stream", reply)
        assert reply.headers["Content-Type"].startswith("text/event-stream")
        assert b'"done": true' in reply.body, reply.body[-300:]
        assert_denied(hub, http("GET", url), "a stream without credentials")
        stranger = http("GET", url, headers={"Authorization": f"token {tokens[OTHER]}"})
        assert_denied(hub, stranger, f"{OTHER}'s token on {OWNER}'s stream")


async def exchange(url: str, headers: dict[str, str]) -> dict:
    """Open a WebSocket at the http(s) `url`, send one JSON message, return the answer."""
    request = HTTPRequest("ws" + url.removeprefix("http"), headers=headers, follow_redirects=False)
    socket = await websocket_connect(request)
    try:
        await socket.write_message(json.dumps({"text": "through the hub"}))
        return json.loads(await asyncio.wait_for(socket.read_message(), 20))
    finally:
        socket.close()


def test_hub_api_sees_only_the_owners_server(hub: HubWithExtensions) -> None:
    """The hub started one single-user server, alice's, and bob has none: bob's refusals above
    come from alice's server checking his token, not from a missing route."""
    alice = hub.hub.check(hub.hub.api("GET", f"users/{OWNER}"), 200, what=OWNER).json()
    bob = hub.hub.check(hub.hub.api("GET", f"users/{OTHER}"), 200, what=OTHER).json()
    assert alice["servers"][""]["ready"] is True
    assert alice["servers"][""]["url"] == f"/user/{OWNER}/"
    assert not bob["servers"]
    log = hub.hub.log()
    assert "Traceback" not in log, log[-6000:]


def test_singleuser_server_runs_from_the_extension_venv(hub: HubWithExtensions) -> None:
    """The server behind /user/alice/ is a child of the hub started from the overlay venv's
    jupyterhub-singleuser, with --allow-root and a home under the test's temporary directory."""
    command = str(hub.hub.workdir.parent / "singleuser-venv" / "bin" / "jupyterhub-singleuser")
    found = []
    for pid in descendants(hub.hub.process.pid):
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            if command in argv:
                found.append((argv, Path(f"/proc/{pid}/cwd").resolve()))
    assert len(found) == 1, found
    argv, cwd = found[0]
    assert "--allow-root" in argv, argv
    assert cwd == (hub.hub.workdir / "homes" / OWNER).resolve(), cwd
