"""A generated extension inside a real JupyterHub: installed from its wheel into the venv that runs
the single-user servers, reached through the hub's proxy at /user/<name>/..., answering its owner's
API token and nobody else's (public routes excepted)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from combinations import BY_ID
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

from local_extensions.routes import Route, parse_handlers

# One hub per module: keep its tests on one xdist worker with `--dist loadgroup`/`loadscope`.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("jupyterhub")]

OWNER, OTHER = "alice", "bob"
# Two bakes in one hub: the default answers, and a table with path parameters, every method and
# a public route. Their packages differ, so one single-user venv holds both extensions.
BAKES = {name: BY_ID[name].answers for name in ("defaults", "public+authorized-crud")}
JSON_BODY = {"name": "example", "count": 3}
EXPECTED_STATUS = {"GET": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}
ANSWER_KEY = {"POST": "created", "PUT": "replaced", "PATCH": "updated"}
# What the generated handlers write into a successful answer: none of it may reach a stranger.
PAYLOAD_MARKERS = (b'"greeting"', b'"created"', b'"replaced"', b'"updated"', b'"body_sha256"')


def _routes(answers: dict) -> list[Route]:
    return parse_handlers(answers.get("handlers", DEFAULTS["handlers"]))


CALLS = [
    pytest.param(name, index, method, id=f"{name}:{method} {route.route}")
    for name, answers in BAKES.items()
    for index, route in enumerate(_routes(answers))
    for method in route.methods
]
assert any(route.public for answers in BAKES.values() for route in _routes(answers))


@dataclass
class HubWithExtensions:
    hub: Hub
    bakes: dict[str, Bake]

    def call(self, name: str, index: int, method: str, token: str | None) -> Response:
        bake_ = self.bakes[name]
        route = bake_.routes[index]
        url = self.hub.url + bake_.url(f"/user/{OWNER}/", route)
        headers = {"Authorization": f"token {token}"} if token else {}
        body = None
        if method in ANSWER_KEY:
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

    # The owner's API token: the route answers as it does on a bare server.
    reply = hub.call(name, index, method, tokens[OWNER])
    assert reply.status == EXPECTED_STATUS[method], _failure(hub, f"{OWNER}'s token", reply)
    if method == "DELETE":
        assert reply.body == b""
    else:
        data = reply.json()
        for param, value in route.sample_params().items():
            assert data[param] == value, data
        if method == "GET":
            assert isinstance(data["greeting"], str), data
        else:
            assert data[ANSWER_KEY[method]] == JSON_BODY, data

    anonymous = hub.call(name, index, method, None)
    stranger = hub.call(name, index, method, tokens[OTHER])
    if route.public:
        assert anonymous.status == EXPECTED_STATUS[method], _failure(
            hub, "no credentials", anonymous
        )
        # Another user's valid token makes the hub's identity provider log "Not allowing user
        # bob"; a public route then answers him as it answers anyone (JupyterHub 5/6).
        assert stranger.status == EXPECTED_STATUS[method], _failure(hub, OTHER, stranger)
    else:
        assert_denied(hub, anonymous, "a request without credentials")
        assert_denied(hub, stranger, f"{OTHER}'s token on {OWNER}'s server")


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
