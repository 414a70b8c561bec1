"""What a handler class serves, read from the class itself: the kind of route, its methods, and
who may call each of them. /openapi.json and the contract tests read the code this way, so they
follow a changed base class, decorator or `auth_resource`. This module belongs to the template.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.auth.utils import HTTP_METHOD_TO_AUTH_ACTION
from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.websocket import WebSocketHandler


def served_methods(handler: type[web.RequestHandler]) -> list[str]:
    """The HTTP methods `handler` defines (Tornado answers 405 to the others)."""
    return [
        method
        for method in handler.SUPPORTED_METHODS
        if getattr(handler, method.lower()) is not getattr(web.RequestHandler, method.lower())
    ]


def route_kind(handler: type[web.RequestHandler]) -> str:
    """What `handler` answers: "ws" (a WebSocket), "static" (files of a folder), "sse" (an
    event stream), "api" (JSON: errors as JSON, 403 without credentials), "page" (HTML from
    Jinja2 templates) or "download" (any other body: a plain JupyterHandler, which sends
    browsers without credentials to the login page and answers errors as HTML)."""
    if issubclass(handler, WebSocketHandler):
        return "ws"
    if issubclass(handler, web.StaticFileHandler):
        return "static"
    names = {cls.__name__ for cls in handler.__mro__}
    if "EventStreamHandler" in names:
        return "sse"
    if issubclass(handler, APIHandler):
        return "api"
    return "page" if "ExtensionHandlerJinjaMixin" in names else "download"


def is_public(handler: type[web.RequestHandler], method: str) -> bool:
    """Whether `method` of `handler` is marked @allow_unauthenticated."""
    return bool(getattr(getattr(handler, method.lower()), "__allow_unauthenticated", False))


def authorization(handler: type[web.RequestHandler], method: str) -> tuple[str, str] | None:
    """(action, resource) that the server's authorizer is asked about before `method` of
    `handler` runs, or None when jupyter_server's @authorized does not guard it. The resource
    is the handler's `auth_resource` unless the decorator names another."""
    function: Any = getattr(handler, method.lower())
    while function is not None:
        if getattr(function, "__code__", None) is _AUTHORIZED_CODE:
            declared = dict(zip(function.__code__.co_freevars, function.__closure__, strict=True))
            action = declared["action"].cell_contents or HTTP_METHOD_TO_AUTH_ACTION[method]
            resource = declared["resource"].cell_contents or handler.auth_resource  # type: ignore[attr-defined]
            return str(action), str(resource)
        function = getattr(function, "__wrapped__", None)
    return None


# What @authorized wraps a method in runs this code (functools.wraps copies the method's name
# onto the wrapper, so the code is how to recognise it).
_AUTHORIZED_CODE = authorized(lambda self: None).__code__
