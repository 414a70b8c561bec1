{%- set routes = cookiecutter.handlers | routes -%}
{%- set classes = routes | handler_classes -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set ns = cookiecutter.url_namespace | namespace -%}
{%- set json_404 = cookiecutter | namespace_404 -%}
{%- set landing = routes | landing_route -%}
"""The route table: which URL reaches which handler. It belongs to the template (a template
update rewrites it); to add a route by hand, add a handler module and a row here."""

from __future__ import annotations

from typing import {% if not app %}TYPE_CHECKING, {% endif %}Any

from jupyter_server.utils import url_path_join
from tornado.web import RequestHandler

from .base import {{ (["Route"] + (["NotFoundHandler"] if json_404 else []) + ([] if app else ["SETTINGS_KEY"])) | import_order | join(", ") }}
{%- for handler in classes | module_order %}
{{ py_import(".handlers." ~ handler.module, [handler.name]) }}
{%- endfor %}
from .openapi import OpenAPIHandler
{%- if not app %}
from .settings import {{ cookiecutter.package_name | camel_case }}Settings
{%- endif %}

{%- if not app %}

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp
{%- endif %}

#: Every route lives under <base_url>/<URL_NAMESPACE>/{% if not ns %} (empty: the server root){% endif %}.
URL_NAMESPACE = {{ ns | quoted }}

#: Each row: the URL pattern relative to the namespace (a Tornado regular expression; each named
#: group reaches the handler's methods as a keyword argument), the handler class, and an example
#: path the pattern matches.
ROUTES: list[Route] = [
{%- for route in routes %}
{{ py_fit("Route(", [route.pattern | py_regex, route.class_name, "example=" ~ (route.sample_path | quoted)], "),", 4) }}
{%- endfor %}
]
{%- if app %}
#: The page `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` opens.
{{ py_fit("LANDING_PAGE = url_path_join(", ['"/"', "URL_NAMESPACE", landing.sample_path.lstrip("/") | quoted], ")") }}
{%- endif %}


#: What Tornado's add_handlers takes: (URL pattern, handler class, initialize() arguments).
HandlerRule = tuple[str, type[RequestHandler], dict[str, Any]]


def extension_handlers(base_url: str = "/") -> list[HandlerRule]:
    """The handlers of every route, under `base_url`."""
    prefix = url_path_join(base_url, URL_NAMESPACE).rstrip("/")
    described = {"routes": ROUTES, "namespace": URL_NAMESPACE, "json_404": {{ json_404 }}}
    return [
        (prefix + "/openapi.json", OpenAPIHandler, described),  # first: no route may catch it
        *((prefix + route.pattern, route.handler, {}) for route in ROUTES),
{%- if json_404 %}
        # Last: what no route above matches, the namespace's own URL and percent-encoded
        # characters right after it included (a namespace never holds a '%').
        (prefix + "(?:[/%].*)?", NotFoundHandler, {}),
{%- elif ns %}
        # No JSON 404 for the rest of the namespace: the server serves URLs there itself.
{%- endif %}
    ]
{%- if not app %}


def setup_route_table(serverapp: ServerApp) -> None:
    """Add the extension's settings and handlers to the running server, under its base_url."""
    web_app = serverapp.web_app
    settings = {{ cookiecutter.package_name | camel_case }}Settings(parent=serverapp)
    web_app.settings[SETTINGS_KEY] = settings
    settings.initialize_settings()  # what settings.py does when the server starts
    rules = extension_handlers(web_app.settings["base_url"])
    web_app.add_handlers(".*$", rules)  # type: ignore[no-untyped-call]  # not annotated upstream
{%- endif %}
