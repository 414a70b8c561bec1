{%- set routes = cookiecutter.handlers | routes -%}
{%- set private = routes | rejectattr("public") | list -%}
"""The server's authorizer decides who may call the extension's routes."""

from __future__ import annotations

from typing import Any

import pytest
from jupyter_server.auth import Authorizer

{{ py_import(cookiecutter.package_name ~ ".handlers", ["AUTH_RESOURCE"]) }}
{{ py_import(cookiecutter.package_name ~ ".routes", ["URL_NAMESPACE"]) }}


class DenyExtensionAuthorizer(Authorizer):
    """Lets the user do everything but touch this extension's resource."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != AUTH_RESOURCE


@pytest.fixture
def jp_server_config(server_config: dict[str, Any]) -> dict[str, Any]:
    server_config["ServerApp"]["authorizer_class"] = DenyExtensionAuthorizer
    return server_config


@pytest.mark.parametrize(
    ("path", "method"),
    [
{%- for route in private %}
{%- for method in route.methods %}
        ({{ route.sample_path | quoted }}, "{{ method }}"),
{%- endfor %}
{%- endfor %}
    ],
)
{%- if cookiecutter.auth == "authorized" %}
async def test_authorizer_can_deny_a_logged_in_user(jp_fetch, path, method):
    body = "{}" if method in {"POST", "PUT", "PATCH"} else None
    response = await jp_fetch(
        URL_NAMESPACE, path.lstrip("/"), method=method, body=body, raise_error=False
    )
    assert response.code == 403
    assert b"Hello, world!" not in response.body
{%- else %}
async def test_any_logged_in_user_is_served(jp_fetch, path, method):
    # auth = "authenticated": the authorizer is not consulted, a valid login is enough.
    body = "{}" if method in {"POST", "PUT", "PATCH"} else None
    response = await jp_fetch(
        URL_NAMESPACE, path.lstrip("/"), method=method, body=body, raise_error=False
    )
    assert response.code < 300
    assert response.code != 403
{%- endif %}
