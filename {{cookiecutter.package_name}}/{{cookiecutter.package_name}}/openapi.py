{%- set authorize = cookiecutter.auth == "authorized" -%}
"""The extension's API description (OpenAPI 3.1), built at run time from the route table and the
schemas each handler declares in `operations`, so that it cannot drift from the code. Served at
<base_url><namespace>/openapi.json; any OpenAPI viewer shows it.

Where an OpenAPI path cannot say exactly what a Tornado pattern matches, the path is the route's
example with each regex group as a parameter carrying the group's pattern: a parameter may then
span several segments (such as a STATIC route's file path), and an optional trailing slash is
shown as in the example. This module belongs to the template.
"""

from __future__ import annotations

import json
import re
from typing import Any

{% if authorize -%}
from jupyter_server.auth.decorator import authorized
{% endif -%}
from jupyter_server.utils import url_path_join
from tornado import web

from ._version import __version__
from .base import ExtensionAPIHandler, Operation, Route
from .introspect import is_public, route_kind, served_methods

TITLE = {{ cookiecutter.project_name | py_string }}
ERROR: dict[str, Any] = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "reason": {"type": ["string", "null"]}},
    "required": ["message"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
#: How errors are answered: JSON by JSON and event-stream routes, HTML by the others.
JSON_ERROR: tuple[str, dict[str, Any]] = ("application/json", {"schema": ERROR_REF})
HTML_ERROR: tuple[str, dict[str, Any]] = ("text/html", {"schema": {"type": "string"}})
#: What each kind of route answers, unless its `Operation` says otherwise.
CONTENT_TYPES = {"api": "application/json", "page": "text/html", "sse": "text/event-stream"}
ERRORS = {
    "400": "The request is malformed, or its body does not match the schema.",
    "403": "No credentials, or the authorizer does not allow it.",
    "404": "Nothing here (such as an unknown id).",
    "413": "The body is larger than the max_body_size setting.",
}


def build_document(
    routes: list[Route], base_url: str, namespace: str, json_404: bool = True
) -> dict[str, Any]:
    """The OpenAPI document for `routes`, with paths under base_url and the namespace.
    `json_404`: URLs under the namespace that no route matches get a JSON 404 (else the
    server's own HTML page)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        path, parameters = openapi_path(route, namespace)
        paths[path] = {
            method.lower(): describe(route.handler, method, path, parameters, json_404)
            for method in served_methods(route.handler)
            if method != "OPTIONS"
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": __version__},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": 'The server\'s token (or a JupyterHub API token): "token <value>".',
                },
                "cookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "username-<host>-<port>",
                    "description": "A browser's login session; writing methods also need the "
                    "_xsrf cookie's value in an X-XSRFToken header.",
                },
            },
        },
        "security": [{"token": []}, {"cookie": []}],
    }


def describe(
    handler: type[web.RequestHandler],
    method: str,
    path: str,
    parameters: list[dict[str, Any]],
    json_404: bool = True,
) -> dict[str, Any]:
    """The OpenAPI operation for one method of a handler."""
    operation = getattr(handler, "operations", {}).get(method, Operation())
    kind = route_kind(handler)
    content_type = operation.content_type or CONTENT_TYPES.get(kind)
    answer: dict[str, Any] = {"description": f"{method} {handler.__name__}"}
    if operation.response is not None and method != "HEAD":
        answer["content"] = {content_type or "*/*": {"schema": operation.response}}
    elif operation.content_type and method != "HEAD":
        answer["content"] = {operation.content_type: {}}
    status = "101" if kind == "ws" else str(operation.status)
    errors = ["400", "403", "404"] + (["413"] if method in ("POST", "PUT", "PATCH") else [])
    responses = {status: answer}
    for code in errors:
        error: dict[str, Any] = {"description": ERRORS[code]}
        if method != "HEAD":
            error["content"] = dict([JSON_ERROR if kind in ("api", "sse") else HTML_ERROR])
        if code == "404" and method != "HEAD" and unroutable(parameters):
            error["content"].update([unrouted_404(path, json_404)])
        responses[code] = error
    described: dict[str, Any] = {
        "operationId": f"{method} {path}",
        "parameters": parameters,
        "responses": responses,
    }
    if kind in ("ws", "sse"):
        described["tags"] = ["websocket" if kind == "ws" else "event-stream"]
        described["description"] = (
            "A WebSocket: the schema describes the messages it answers with."
            if kind == "ws"
            else "Server-sent events: the schema describes each event's data."
        )
    if method in ("POST", "PUT", "PATCH"):
        schema = operation.request if operation.request is not None else {}
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    if is_public(handler, method):
        described["security"] = []
    return described


def unroutable(parameters: list[dict[str, Any]]) -> bool:
    """Whether some value of a parameter makes a URL this route does not match (any pattern
    but `.*`): such URLs are answered as unrouted_404() says."""
    return any(parameter["schema"]["pattern"] != "^(?:.*)$" for parameter in parameters)


def unrouted_404(path: str, json_404: bool) -> tuple[str, dict[str, Any]]:
    """What answers a URL whose parameter matches no route: the namespace's JSON 404, or the
    server's own HTML page where the namespace has none or the parameter is glued to the text
    before it (/git{path}/add)."""
    glued = re.search(r"[^/]\{", path) is not None
    return JSON_ERROR if json_404 and not glued else HTML_ERROR


def openapi_path(route: Route, namespace: str) -> tuple[str, list[dict[str, Any]]]:
    """('/ns/items/{item_id}', [its parameter]) for the pattern /items/(?P<item_id>[^/]+)."""
    match = re.fullmatch(route.pattern, route.example)
    if match is None:
        raise ValueError(f"the example {route.example!r} does not match {route.pattern!r}")
    names = {index: name for name, index in match.re.groupindex.items()}
    sources = group_sources(route.pattern)
    path, parameters, end = "", [], 0
    for index in range(1, match.re.groups + 1):
        start, stop = match.span(index)
        if start < end or start < 0:  # a group inside another, or one that matched nothing
            continue
        name = names.get(index, f"arg{index}")
        path += route.example[end:start] + "{" + name + "}"
        end = stop
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": f"^(?:{sources[index - 1]})$"},
                "example": match.group(index),
            }
        )
    prefix = url_path_join("/", namespace).rstrip("/")
    return prefix + path + route.example[end:], parameters


def group_sources(pattern: str) -> list[str]:
    """The regular expression inside each capturing group of `pattern`, in group order."""
    sources: list[str] = []
    open_groups: list[tuple[int, int | None]] = []  # (where its body starts, capture index)
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a character class: skip to its end
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if char == "(":
            header = re.match(r"\(\?P<\w+>|\(\?[:=!>]|\(\?<[=!]|\(\?[a-zA-Z-]+:|\(", pattern[i:])
            size = len(header.group()) if header else 1
            capturing = size == 1 or pattern.startswith("(?P<", i)
            if capturing:
                sources.append("")
            open_groups.append((i + size, len(sources) - 1 if capturing else None))
            i += size
            continue
        if char == ")" and open_groups:
            start, index = open_groups.pop()
            if index is not None:
                sources[index] = pattern[start:i]
        i += 1
    return sources


class OpenAPIHandler(ExtensionAPIHandler):
    """GET <namespace>/openapi.json: the document, authenticated like the routes it describes."""

    def initialize(self, routes: list[Route], namespace: str, json_404: bool) -> None:
        self.routes = routes
        self.namespace = namespace
        self.json_404 = json_404

    @web.authenticated
{%- if authorize %}
    @authorized
{%- endif %}
    async def get(self) -> None:
        document = build_document(self.routes, self.base_url, self.namespace, self.json_404)
        self.finish(json.dumps(document))
