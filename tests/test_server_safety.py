"""Four answers the template once accepted that hurt their user's server or first test run
(issue 20), each pinned: a namespace inside jupyter_server's /api whose JSON 404 took the whole
REST API; a proxy's host:port route at the server root whose first run failed; parameter names
refused because the generated code used them; unknown methods that wrote tracebacks."""

from __future__ import annotations

import json
from http.client import HTTPConnection
from pathlib import Path

import pytest
from grammar import baseline
from real_tables import ALL
from support import (
    BrowserSession,
    bake,
    http,
    install_for_tests,
    jupyter_server,
    overlay_venv,
    pip_install,
    run_generated_suite,
)

from local_extensions.answers import namespace_404, validate

PROXY = f"{ALL} /proxy/{{host}}:{{port}}/(?P<proxied_path>.*)"
REAL_NAMES = (
    "GET /users/{user}; GET,PUT /settings/{key}; GET /jobs/{status}; "
    "GET,DELETE /messages/{message}; POST /data/{data}; GET,PATCH /items/{item}"
)
EVERY_KIND = (
    "GET,POST /items; GET,PUT,DELETE /items/{item_id}; GET /page PageOneHandler page; "
    "GET,HEAD /exports/{name} download; WS /rooms/{room}; SSE /jobs/{job}; STATIC /assets; "
    "GET /health public"
)
UNKNOWN_METHODS = ("TRACE", "PROPFIND", "QUERY", "FOO")


@pytest.mark.parametrize("namespace", ["api", "login", "metrics", "lsp"])
def test_a_namespace_the_servers_serve_gets_no_catch_all(namespace):
    answers = {**baseline(), "url_namespace": namespace, "handlers": "GET /metrics/v1"}
    assert validate(answers) == []
    assert not namespace_404(answers)


@pytest.mark.parametrize("namespace", ["jupyter-hello", "api/metrics", "acme/tools"])
def test_a_namespace_of_its_own_keeps_its_json_404(namespace):
    assert namespace_404({**baseline(), "url_namespace": namespace})


def test_parameter_names_real_apis_use_are_accepted():
    assert validate({**baseline(), "handlers": REAL_NAMES}) == []


@pytest.mark.slow
def test_namespace_api_leaves_the_servers_api_to_the_server(tmp_path: Path):
    baked = bake(tmp_path / "out", {"url_namespace": "api", "handlers": "GET /metrics/v1"})
    assert "NotFoundHandler" not in (baked.project / "jupyter_hello" / "routes.py").read_text()
    venv = overlay_venv("modern", tmp_path / "venv")
    pip_install(venv, "-e", str(baked.project))
    with jupyter_server(venv, tmp_path / "home", ["lab"]) as server:
        for path in ("api/status", "api/contents", "api/kernels", "api/sessions", "api/me",
                     "lab/api/settings"):  # fmt: skip
            reply = http("GET", server.url(path), headers=server.auth)
            assert reply.status == 200, (path, reply)
            assert "message" not in reply.json() or path == "api/status", (path, reply)
        assert http("GET", server.url("api/metrics/v1"), headers=server.auth).status == 200
    result = run_generated_suite(baked.project, venv, "tests/test_server_intact.py")
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.slow
def test_a_proxy_and_real_parameter_names_at_the_root_pass_the_first_run(tmp_path: Path):
    handlers = f"{PROXY}; {REAL_NAMES}"
    baked = bake(tmp_path / "out", {"url_namespace": "/", "handlers": handlers})
    venv = install_for_tests(baked.project, tmp_path / "venv")
    result = run_generated_suite(baked.project, venv, "-rA")
    assert result.returncode == 0, result.stdout[-5000:]
    raw_and_encoded = (
        "PASSED tests/test_contract.py::test_routes_match_raw_and_percent_encoded_urls"
    )
    assert f"{raw_and_encoded}[/proxy/example:example/example]" in result.stdout
    for name in ("users_user", "settings_key", "jobs_status", "messages_message", "data_data"):
        assert f"PASSED tests/test_behaviour_{name}.py::" in result.stdout, name


@pytest.mark.slow
def test_unknown_and_unserved_methods_leave_no_traceback_on_any_route_kind(tmp_path: Path):
    answers = {"extension_app": "yes", "url_namespace": "kinds", "handlers": EVERY_KIND}
    baked = bake(tmp_path / "out", answers)
    venv = overlay_venv("modern", tmp_path / "venv")
    pip_install(venv, "-e", str(baked.project))
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url="/user/ada/") as server:
        session = BrowserSession(server)
        session.login()
        xsrf = {"X-XSRFToken": session.cookie("_xsrf") or ""}
        served = {baked.url("/user/ada/", route): route.methods for route in baked.routes}
        served |= {"/user/ada/kinds/openapi.json": ("GET",), "/user/ada/kinds/no/such": ()}
        for path, methods in served.items():
            url = server.origin + path
            others = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m not in methods]
            for method in others + list(UNKNOWN_METHODS):
                token = http(method, url, headers=server.auth, body="{}")
                cookie = session.request(method, url, headers=xsrf, body="{}")
                stranger = http(method, url, body="{}")
                assert 400 <= token.status < 500, (method, path, token)
                assert 400 <= cookie.status < 500, (method, path, cookie)
                assert stranger.status in (302, 403, 404, 405), (method, path, stranger)
                if method in UNKNOWN_METHODS:
                    assert token.status == cookie.status == stranger.status == 405
                    assert token.headers.get("Allow"), (method, path, token)
        log = server.log()
    assert "Traceback" not in log and "Uncaught exception" not in log, log[-3000:]


@pytest.mark.slow
def test_a_refused_write_leaves_its_connection_usable(tmp_path: Path):
    """A browser's write without the XSRF token is refused after its body is read, so the
    connection (which a proxy such as JupyterHub's reuses) answers the next request: closing
    it with the body unread would reset it, and the proxy would answer 503."""
    baked = bake(tmp_path / "out", {"handlers": "GET,POST /items", "_verify_load": "no"})
    venv = overlay_venv("modern", tmp_path / "venv")
    pip_install(venv, "-e", str(baked.project))
    with jupyter_server(venv, tmp_path / "home", ["server"]) as server:
        session = BrowserSession(server)
        session.login()
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.jar)
        host, port = server.origin.removeprefix("http://").split(":")
        connection = HTTPConnection(host, int(port), timeout=10)
        path = baked.url("/user/alice/", baked.routes[0])
        body = json.dumps({"name": "x" * 50_000})
        connection.request("POST", path, body=body, headers={"Cookie": cookies})
        refused = connection.getresponse()
        refused.read()
        assert refused.status == 403
        assert refused.getheader("Connection", "").lower() != "close"
        connection.request("GET", path, headers={"Cookie": cookies})  # the same connection
        assert connection.getresponse().status == 200
        connection.close()
