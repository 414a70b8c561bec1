{%- set routes = cookiecutter.handlers | routes -%}
{%- set route = routes | first_get_route -%}
{%- if route -%}{#- without a GET route the post-generation hook removes this file -#}
{%- set settings_class = (cookiecutter.package_name | camel_case) ~ ("App" if cookiecutter.extension_app == "yes" else "Settings") -%}
"""Settings set in the server's config reach the handlers."""

from __future__ import annotations

from typing import Any

import pytest

{{ py_import(cookiecutter.package_name ~ ".routes", ["URL_NAMESPACE"]) }}


@pytest.fixture
def jp_server_config(server_config: dict[str, Any]) -> dict[str, Any]:
    server_config["{{ settings_class }}"] = {"greeting": "Hi from the config"}
    return server_config


async def test_configured_greeting_reaches_the_handler(jp_fetch):
{{ py_layout(py_call("response = await jp_fetch(", ["URL_NAMESPACE", route.sample_path.lstrip("/") | quoted]), 4) }}
    assert response.code == 200
    assert "Hi from the config" in response.body.decode()
{%- endif %}
