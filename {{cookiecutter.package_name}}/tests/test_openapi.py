{%- set pkg = cookiecutter.package_name -%}
"""The API description at <namespace>/openapi.json: valid OpenAPI 3.1, describing exactly the
route table. This file belongs to the template."""

from __future__ import annotations

import json
import re
from typing import Any

from jupyter_server.utils import url_path_join
from openapi_spec_validator import validate

from {{ pkg }}.introspect import served_methods
from {{ pkg }}.openapi import openapi_path
from {{ pkg }}.routes import ROUTES, URL_NAMESPACE


async def document(jp_fetch: Any) -> dict[str, Any]:
    response = await jp_fetch(URL_NAMESPACE, "openapi.json")
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.body)


async def test_the_document_is_valid_openapi_3_1(jp_fetch: Any) -> None:
    described = await document(jp_fetch)
    assert described["openapi"] == "3.1.0"
    validate(described)  # raises on anything the OpenAPI 3.1 specification does not allow


async def test_it_describes_every_route_and_nothing_else(jp_fetch: Any, jp_base_url: str) -> None:
    described = await document(jp_fetch)
    assert described["servers"] == [{"url": jp_base_url}]
    assert len(described["paths"]) == len(ROUTES)
    for route in ROUTES:
        path, _ = openapi_path(route, URL_NAMESPACE)
        methods = {m.lower() for m in served_methods(route.handler) if m != "OPTIONS"}
        assert set(described["paths"][path]) == methods, path


def test_each_path_is_the_routes_example_with_parameters_its_pattern_accepts() -> None:
    for route in ROUTES:
        path, parameters = openapi_path(route, URL_NAMESPACE)
        filled = path
        for parameter in parameters:
            assert re.fullmatch(parameter["schema"]["pattern"], parameter["example"])
            filled = filled.replace("{" + parameter["name"] + "}", parameter["example"], 1)
        assert filled == url_path_join("/", URL_NAMESPACE).rstrip("/") + route.example


async def test_the_document_needs_credentials(jp_fetch: Any) -> None:
    response = await jp_fetch(
        URL_NAMESPACE, "openapi.json", headers={"Authorization": ""}, raise_error=False
    )
    assert response.code == 403
