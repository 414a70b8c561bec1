"""Generated routes called from a real browser (headless Chromium) the way a JupyterLab
extension's code calls them: script in a page of the server, the session cookie, and the
`_xsrf` cookie's value in an X-XSRFToken header. Under `jupyter server` at /user/alice/ (logged
in through its login form) and behind a real JupyterHub (its login form, then the OAuth
redirects to alice's server); one server or hub, and one browser, for each."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    SOCKET,
    STREAM,
    Browser,
    artifacts_dir,
    chromium,
    find_chromium,
    log_in_through_hub,
    log_in_to_server,
)
from combinations import BY_ID
from hub_support import find_configurable_http_proxy, jupyterhub
from support import DEFAULTS, Bake, bake, build_wheel, jupyter_server, overlay_venv, pip_install

from local_extensions.routes import Route, parse_handlers

# One server or hub per parameter, one browser each: keep the module on one xdist worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

USER = "alice"
BASE_URL = f"/user/{USER}/"
# Between them: JSON routes of every method, public routes, WebSockets (one public), an event
# stream, static files and a page. Their packages differ, so one venv holds all three.
COMBINATIONS = (
    "public+authorized-crud",
    "realtime-static-shared",
    "extension_app=yes-realtime-public",
)
SERVERS = ("jupyter-server", "jupyterhub")
BODY = json.dumps({"name": "from the browser"})
GREETING = "Hello, world!"
# The API description every project serves under its namespace, authenticated like the routes.
OPENAPI = Route(("GET",), "/openapi.json", "/openapi.json", (), False, "OpenAPIHandler",
                sample_path="/openapi.json")  # fmt: skip


def routes_of(kinds: tuple[str, ...]) -> list[tuple[str, Route]]:
    """(combination id, route) for the combinations' routes of these kinds."""
    found = []
    for combo in COMBINATIONS:
        routes = parse_handlers(BY_ID[combo].answers.get("handlers", DEFAULTS["handlers"]))
        found += [(combo, route) for route in [*routes, OPENAPI] if route.kind in kinds]
    return found


def calls(select: Callable[[Route, str], bool]) -> list[Any]:
    return [
        pytest.param(combo, route, method, id=f"{combo}:{method} {route.route}")
        for combo, route in routes_of(("api", "page", "static"))
        for method in route.methods
        if select(route, method)
    ]


def writes(method: str) -> bool:
    return method not in ("GET", "HEAD")


EVERY_CALL = calls(lambda route, method: True)
PRIVATE_WRITES = calls(lambda route, method: writes(method) and not route.public)
PRIVATE_READS = calls(lambda route, method: not writes(method) and not route.public)
SOCKETS = [pytest.param(c, r, id=f"{c}:{r.route}") for c, r in routes_of(("ws",))]
STREAMS = [pytest.param(c, r, id=f"{c}:{r.route}") for c, r in routes_of(("sse",))]
PAGES = [pytest.param(c, r, id=f"{c}:{r.route}") for c, r in routes_of(("page",))]
assert PRIVATE_WRITES and SOCKETS and STREAMS and PAGES
assert {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} <= {p.values[2] for p in EVERY_CALL}


@dataclass
class LoggedIn:
    """A browser logged in to a server that holds the three extensions."""

    server: str  # one of SERVERS
    browser: Browser
    origin: str  # http://127.0.0.1:<port>, where the browser reaches the server
    landing: str  # the page of the server the login led to: the scripts run there
    bakes: dict[str, Bake]
    artifacts: Path
    log: Callable[[], str]

    def url(self, combo: str, route: Route, *, query: str = "") -> str:
        return self.origin + self.bakes[combo].url(BASE_URL, route) + query

    def ws_url(self, combo: str, route: Route) -> str:
        return "ws" + self.url(combo, route).removeprefix("http")

    def run(self, script: str, *args: Any) -> dict[str, Any]:
        self.browser.stay_on(self.landing)
        return self.browser.run(script, *args)

    def fetch(self, combo: str, route: Route, method: str, *, xsrf: bool) -> dict[str, Any]:
        self.browser.stay_on(self.landing)
        body = BODY if method in ("POST", "PUT", "PATCH") else None
        return self.browser.fetch(method, self.url(combo, route), body, xsrf=xsrf)

    def explain(self, what: str, answer: object) -> str:
        hint = ""
        if isinstance(answer, dict) and answer.get("status") == 503:
            hint = (
                "\nThe hub's proxy could not use its connection to the server: a server that "
                "refuses a request before reading its body closes the keep-alive connection, "
                "and must say `Connection: close`, or the proxy's next request on it fails.\n"
            )
        return f"{self.server}: {what}: {answer}{hint}\n--- log tail ---\n{self.log()[-4000:]}"


@pytest.fixture(scope="module")
def binaries() -> tuple[str, str]:
    found, reason = find_chromium()
    if found is None:
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def bakes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Bake]:
    out = tmp_path_factory.mktemp("browser-bakes")
    answers = {combo: {**BY_ID[combo].answers, "_verify_load": "no"} for combo in COMBINATIONS}
    return {combo: bake(out / combo, answers[combo]) for combo in COMBINATIONS}  # loads below


@pytest.fixture(scope="module", params=SERVERS)
def session(
    request: pytest.FixtureRequest, binaries: tuple[str, str], bakes: dict[str, Bake],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LoggedIn]:  # fmt: skip
    server_kind: str = request.param
    workdir = tmp_path_factory.mktemp(server_kind)
    artifacts = artifacts_dir(tmp_path_factory)
    with contextlib.ExitStack() as stack:
        if server_kind == "jupyter-server":
            venv = overlay_venv("modern", workdir / "venv")
            pip_install(venv, *(arg for b in bakes.values() for arg in ("-e", str(b.project))))
            server = stack.enter_context(
                jupyter_server(venv, workdir / "home", ["server"], base_url=BASE_URL)
            )
            browser = stack.enter_context(chromium(binaries, workdir / "chromium"))
            landing = log_in_to_server(browser, server)
            origin, log = server.origin, server.log
        else:
            chp, reason = find_configurable_http_proxy()
            if chp is None:
                pytest.skip(reason)
            venv = overlay_venv("hub", workdir / "singleuser-venv")
            pip_install(venv, *(str(build_wheel(venv, b.project, workdir / "dist" / c))
                                for c, b in bakes.items()))  # fmt: skip
            hub = stack.enter_context(jupyterhub(workdir / "hub", venv, chp))
            hub.create_users(USER)
            hub.spawn(USER)
            browser = stack.enter_context(chromium(binaries, workdir / "chromium"))
            landing = log_in_through_hub(browser, hub, USER)
            origin, log = hub.url, hub.log
        print(f"{server_kind}: the browser logged in and landed on {landing}")
        yield LoggedIn(server_kind, browser, origin, landing, bakes, artifacts, log)


@pytest.mark.parametrize(("combo", "route", "method"), EVERY_CALL)
def test_cookie_session_with_xsrf_header_reaches_every_route(
    session: LoggedIn, combo: str, route: Route, method: str
) -> None:
    """fetch() from a page of the server with the session cookie and X-XSRFToken, as
    JupyterLab's ServerConnection.makeRequest sends it: past authentication and XSRF checks."""
    answer = session.fetch(combo, route, method, xsrf=True)
    assert answer["xsrfSent"], session.explain("no _xsrf cookie readable by the page", answer)
    status = answer["status"]
    assert status not in (401, 403, "redirect"), session.explain(f"{method} refused", answer)
    assert isinstance(status, int) and status < 500, session.explain(f"{method} failed", answer)


@pytest.mark.parametrize(("combo", "route", "method"), PRIVATE_WRITES)
def test_write_without_xsrf_header_is_refused(
    session: LoggedIn, combo: str, route: Route, method: str
) -> None:
    """The same cookie-authenticated call without X-XSRFToken: refused, whatever the server."""
    answer = session.fetch(combo, route, method, xsrf=False)
    assert answer["status"] == 403, session.explain(f"{method} without XSRF header", answer)
    assert "from the browser" not in answer["body"], answer


@pytest.mark.parametrize(("combo", "route", "method"), PRIVATE_READS)
def test_read_without_xsrf_header(session: LoggedIn, combo: str, route: Route, method: str) -> None:
    """A fetch() GET without X-XSRFToken: JupyterHub 4.1+ refuses cookie-authenticated requests
    that are not page navigations; jupyter_server alone checks only writes."""
    answer = session.fetch(combo, route, method, xsrf=False)
    if session.server == "jupyterhub":
        assert answer["status"] in (403, "redirect"), session.explain("GET without XSRF", answer)
        assert GREETING not in answer["body"], answer
    else:
        assert answer["status"] not in (401, 403, "redirect"), session.explain("GET", answer)


@pytest.mark.parametrize(("combo", "route"), SOCKETS)
def test_websocket_exchanges_messages(session: LoggedIn, combo: str, route: Route) -> None:
    """new WebSocket(ws://...) from the page: the session cookie lets it in; a JSON message
    goes out and the handler's answer comes back."""
    message = {"text": "hello from Chromium", "n": 1}
    answer = session.run(SOCKET, session.ws_url(combo, route), message)
    assert "message" in answer, session.explain("WebSocket", answer)
    assert answer["message"]["echo"] == message, answer
    if route.params:  # the handler saw the URL's path parameters
        assert answer["message"]["path"] == route.sample_params(), answer


@pytest.mark.parametrize(("combo", "route"), STREAMS)
def test_event_stream_delivers_events(session: LoggedIn, combo: str, route: Route) -> None:
    """EventSource with ?_xsrf=<the _xsrf cookie> (it cannot send headers): every progress
    event, then the `done` event."""
    xsrf = session.browser.cookie("_xsrf")
    assert xsrf
    answer = session.run(STREAM, session.url(combo, route, query=f"?_xsrf={xsrf}"))
    assert "error" not in answer, session.explain("EventSource with _xsrf", answer)
    steps = [event["step"] for event in answer["events"] if "step" in event]
    assert steps == [1, 2, 3, 4, 5], answer
    assert answer["events"][-1]["event"] == "done", answer
    if route.params:
        assert all(event["path"] == route.sample_params() for event in answer["events"]), answer


@pytest.mark.parametrize(("combo", "route"), STREAMS)
def test_event_stream_without_xsrf(session: LoggedIn, combo: str, route: Route) -> None:
    """EventSource without ?_xsrf=: JupyterHub refuses it (no events); jupyter_server alone
    serves it."""
    answer = session.run(STREAM, session.url(combo, route))
    if session.server == "jupyterhub":
        assert answer.get("error") and not answer["events"], session.explain("no _xsrf", answer)
    else:
        assert "error" not in answer and answer["events"], session.explain("no _xsrf", answer)


@pytest.mark.parametrize(("combo", "route"), PAGES)
def test_page_renders(session: LoggedIn, combo: str, route: Route) -> None:
    """The page route opened in the browser (a navigation): the rendered template, with the
    greeting and its title; a screenshot goes to the test artifacts."""
    browser = session.browser
    browser.open(session.url(combo, route))
    assert browser.url == session.url(combo, route), session.explain("redirected", browser.url)
    assert GREETING in browser.text(), session.explain("page text", browser.text()[:1000])
    project_name = session.bakes[combo].context["project_name"]
    assert browser.title() == f"{route.class_name} · {project_name}", browser.title()
    name = f"{session.server}-{combo}-{route.class_name}.png".replace("=", "-").replace("+", "-")
    shot = browser.screenshot(session.artifacts / name)
    assert shot.stat().st_size > 1000, shot
    print(f"screenshot: {shot}")


def test_no_server_errors(session: LoggedIn) -> None:
    """After all of the above (run first for each server), the server's log has no traceback."""
    assert "Traceback" not in session.log(), session.explain("traceback in the log", "")
