{%- set routes = cookiecutter.handlers | routes -%}
{%- set unserved = routes | selectattr("absent_method") | list -%}
"""Every route and method: the token gets an answer, no credentials get denied, bad bodies 400."""

from __future__ import annotations

import json
import warnings

import pytest
from jupyter_server.utils import JupyterServerAuthWarning

{{ py_import(cookiecutter.package_name ~ ".routes", ["URL_NAMESPACE", "namespaced_routes"]) }}

NO_CREDENTIALS = {"Authorization": ""}
BODY_METHODS = {"POST", "PUT", "PATCH"}
EXPECTED_STATUS = {"GET": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}
REQUEST_OBJECT = {"name": "example", "tags": ["a", "b"]}

# (path under the namespace, HTTP method, path parameters the handler receives, public)
CALLS = [
{%- for route in routes %}
{%- for method in route.methods %}
{%- set params = py_dict(route.sample_params() | dictsort | map("param_sample") | list) %}
{%- set args = [route.sample_path | quoted, '"' ~ method ~ '"', params, route.public | string, "id=" ~ (method ~ " " ~ route.route) | quoted] %}
{{ py_layout(py_call("pytest.param(", args), 4, ",") }}
{%- endfor %}
{%- endfor %}
]
PRIVATE_CALLS = [call for call in CALLS if not call.values[3]]
PUBLIC_CALLS = [call for call in CALLS if call.values[3]]
BODY_CALLS = [call for call in CALLS if call.values[1] in BODY_METHODS]
{%- if routes | selectattr("page") | list %}
PAGES = {
{%- for route in routes | selectattr("page") %}
    {{ route.sample_path | quoted }},
{%- endfor %}
}
{%- else %}
PAGES: set[str] = set()  # HTML page routes (none here)
{%- endif %}
{%- if unserved %}
# (path, a method the route does not serve)
UNSERVED = [
{%- for route in unserved %}
    ({{ route.sample_path | quoted }}, "{{ route.absent_method }}"),
{%- endfor %}
]
{%- endif %}


async def call(jp_fetch, path: str, method: str, body: object = REQUEST_OBJECT, **kwargs):
    if method in BODY_METHODS:
        kwargs["body"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return await jp_fetch(
        URL_NAMESPACE,
        path.lstrip("/"),
        method=method,
        raise_error=False,
        follow_redirects=False,
        **kwargs,
    )


@pytest.mark.parametrize(("path", "method", "params", "public"), CALLS)
async def test_request_with_token_succeeds(jp_fetch, path, method, params, public):
    response = await call(jp_fetch, path, method)
    assert response.code == EXPECTED_STATUS[method]
    if path in PAGES:
        assert response.headers["Content-Type"].startswith("text/html")
        assert b"Hello, world!" in response.body
        return
    if method == "DELETE":
        assert response.body == b""
        return
    answer = json.loads(response.body)
    for name, value in params.items():
        assert answer[name] == value
    if method == "GET":
        assert answer["greeting"] == "Hello, world!"
    else:
        assert REQUEST_OBJECT in answer.values()


@pytest.mark.parametrize(("path", "method", "params", "public"), PRIVATE_CALLS)
async def test_request_without_credentials_is_denied(jp_fetch, path, method, params, public):
    response = await call(jp_fetch, path, method, headers=NO_CREDENTIALS)
    if path in PAGES:  # pages send browsers to the login form
        assert response.code == 302
        assert "/login" in response.headers["Location"]
        return
    assert response.code == 403
    assert "greeting" not in json.loads(response.body)
{%- if routes | selectattr("public") | list %}


@pytest.mark.parametrize(("path", "method", "params", "public"), PUBLIC_CALLS)
async def test_public_route_answers_without_credentials(jp_fetch, path, method, params, public):
    response = await call(jp_fetch, path, method, headers=NO_CREDENTIALS)
    assert response.code == EXPECTED_STATUS[method]
{%- endif %}
{%- if routes | selectattr("body_methods") | list %}


@pytest.mark.parametrize(("path", "method", "params", "public"), BODY_CALLS)
@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"'])
async def test_bad_json_body_gets_400(jp_fetch, path, method, params, public, body):
    response = await call(jp_fetch, path, method, body=body)
    assert response.code == 400
    assert "message" in json.loads(response.body)
{%- endif %}

{%- if unserved %}


@pytest.mark.parametrize(("path", "method"), UNSERVED)
async def test_unserved_method_gets_405(jp_fetch, path, method):
    response = await call(jp_fetch, path, method)
    assert response.code == 405
{%- endif %}


async def test_unknown_path_gets_404(jp_fetch):
    response = await jp_fetch(URL_NAMESPACE, "no-such-route/x/y", raise_error=False)
    assert response.code == 404


def test_every_handler_declares_its_authentication(jp_serverapp):
    # In strict mode the server warns about (and refuses) handler methods without an auth
    # decorator; registering our handlers once more shows whether any would be among them.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jp_serverapp.web_app.add_handlers(".*$", namespaced_routes())
    auth_warnings = [w for w in caught if issubclass(w.category, JupyterServerAuthWarning)]
    assert auth_warnings == []
