{%- set routes = cookiecutter.handlers | routes -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set names = routes | map(attribute="class_name") | list | import_order -%}
"""The route table: which URL reaches which handler{% if not app %}, and with which arguments{% endif %}."""

from __future__ import annotations

from typing import TYPE_CHECKING{% if not app %}, Any{% endif %}

from jupyter_server.utils import url_path_join

{{ py_import(".handlers", names) }}
{%- if not app %}
from .settings import {{ cookiecutter.package_name | camel_case }}Settings
{%- endif %}

if TYPE_CHECKING:
{%- if not app %}
    from jupyter_server.serverapp import ServerApp
{%- endif %}
    from tornado.web import RequestHandler

#: Every route lives under <base_url>/<URL_NAMESPACE>/{% if not (cookiecutter.url_namespace | namespace) %} (empty: the server root){% endif %}.
{{ py_assign("URL_NAMESPACE", cookiecutter.url_namespace | namespace | quoted) }}

#: (route pattern relative to the namespace, handler class). Patterns are Tornado regular
#: expressions; each named group reaches the handler method as a keyword argument.
ROUTES: list[tuple[str, type[RequestHandler]]] = [
{%- for route in routes %}
{{ py_layout(py_call("(", [route.pattern | py_regex, route.class_name]), 4, ",") }}
{%- endfor %}
]


def namespaced_routes() -> list[tuple[str, type[RequestHandler]]]:
    """The route table with each pattern under the namespace (base_url not yet in front)."""
    return [(url_path_join("/", URL_NAMESPACE, route), handler) for route, handler in ROUTES]
{%- if not app %}


def setup_route_table(serverapp: ServerApp) -> None:
    """Add the extension's handlers to the running server, under its base_url."""
    web_app = serverapp.web_app
    base_url = web_app.settings["base_url"]
    settings = {{ cookiecutter.package_name | camel_case }}Settings(parent=serverapp)
    handler_kwargs: dict[str, Any] = {"greeting": settings.greeting}
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, pattern), handler, handler_kwargs)
            for pattern, handler in namespaced_routes()
        ],
    )
{%- endif %}
