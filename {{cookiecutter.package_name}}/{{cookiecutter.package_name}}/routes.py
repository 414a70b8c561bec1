{%- set routes = cookiecutter.handlers | routes -%}
"""The route table: which URL reaches which handler, and with which arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jupyter_server.utils import url_path_join

from .handlers import (
{%- for name in routes | map(attribute="class_name") | list | import_order %}
    {{ name }},
{%- endfor %}
)
from .settings import {{ cookiecutter.package_name | camel_case }}Settings

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp
    from tornado.web import RequestHandler

#: Every route lives under <base_url>/<URL_NAMESPACE>/{% if not (cookiecutter.url_namespace | namespace) %} (empty: the server root){% endif %}.
URL_NAMESPACE = {{ cookiecutter.url_namespace | namespace | quoted }}

#: (route pattern relative to the namespace, handler class). Patterns are Tornado regular
#: expressions; each named group reaches the handler method as a keyword argument.
ROUTES: list[tuple[str, type[RequestHandler]]] = [
{%- for route in routes %}
    ({{ route.pattern | py_regex }}, {{ route.class_name }}),
{%- endfor %}
]


def build_route_table(
    base_url: str, handler_kwargs: dict[str, Any]
) -> list[tuple[str, type[RequestHandler], dict[str, Any]]]:
    """Full URL patterns under the server's base_url, each with the handler's init kwargs."""
    return [
        (url_path_join(base_url, URL_NAMESPACE, route), handler, handler_kwargs)
        for route, handler in ROUTES
    ]


def setup_route_table(serverapp: ServerApp) -> None:
    """Add the extension's handlers to the running server's web application."""
    web_app = serverapp.web_app
    settings = {{ cookiecutter.package_name | camel_case }}Settings(parent=serverapp)
    handler_kwargs = {"greeting": settings.greeting}
    web_app.add_handlers(".*$", build_route_table(web_app.settings["base_url"], handler_kwargs))
