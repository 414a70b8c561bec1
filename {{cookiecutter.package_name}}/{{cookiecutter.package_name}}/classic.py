{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
"""Classic Notebook 6 support, through the API of the original Notebook documentation.

Notebook 6 calls ``load_jupyter_server_extension(nb_server_app)`` for each module listed in
``NotebookApp.nbserver_extensions`` and only accepts handlers built on its own base classes
(``notebook.base.handlers``). jupyter_server is installed in Notebook 6 environments too, so
the base classes are chosen from the app that loads the extension, never from what imports.
"""

from __future__ import annotations

import inspect
from typing import Any

from tornado import web

from .handlers import ExtensionAPIHandler
from .routes import ROUTES, URL_NAMESPACE

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def load_jupyter_server_extension(nb_server_app: Any) -> None:
    """Register the extension's handlers with a running Notebook 6 server."""
    if _is_jupyter_server_app(nb_server_app):
        # jupyter_server apps load the extension through _jupyter_server_extension_points.
        nb_server_app.log.info("{{ cookiecutter.package_name }} loads through jupyter_server here")
        return
    from notebook.utils import url_path_join

    web_app = nb_server_app.web_app
    base_url = web_app.settings["base_url"]
    handler_kwargs = {"greeting": _setting(nb_server_app, "greeting")}
    web_app.add_handlers(
        ".*$",
        [
            (
                url_path_join(base_url, URL_NAMESPACE, route),
                classic_handler(handler),
                handler_kwargs,
            )
            for route, handler in ROUTES
        ],
    )


def _is_jupyter_server_app(app: Any) -> bool:
    return any(cls.__module__.split(".")[0] == "jupyter_server" for cls in type(app).__mro__)


def _setting(nb_server_app: Any, name: str) -> Any:
    """A setting from Notebook 6's config (c.{{ camel }}{% if app %}App{% else %}Settings{% endif %}.<name>), else its default."""
{%- if app %}
    from .app import {{ camel }}App as settings_class
{%- else %}
    from .settings import {{ camel }}Settings as settings_class
{%- endif %}

    section = nb_server_app.config.get(settings_class.__name__, {})
    return section.get(name, settings_class.class_traits()[name].default_value)


class ClassicAPIHandlerMixin:
    """Settings for the Notebook 6 versions of the handlers (given by the route table)."""

    def initialize(self, greeting: str) -> None:
        self.greeting = greeting


def classic_handler(handler: type[web.RequestHandler]) -> type[web.RequestHandler]:
    """The same handler on Notebook 6's APIHandler, with the same method bodies.

    Notebook 6 has no authorizer: methods keep ``@web.authenticated`` (any logged-in user),
    public ones stay public, and jupyter_server's ``@authorized`` check is left out.
    """
    from notebook.base.handlers import APIHandler

    methods: dict[str, Any] = {}
    for name in HTTP_METHODS:
        method = handler.__dict__.get(name)
        if method is None:
            continue
        body = inspect.unwrap(method)
        public = hasattr(method, "__allow_unauthenticated")
        methods[name] = body if public else web.authenticated(body)
    # Keep the handler's own mixins (such as PublicWriteMixin), swap the rest for Notebook 6's.
    mixins = tuple(base for base in handler.__bases__ if base is not ExtensionAPIHandler)
    return type(
        handler.__name__,
        (*mixins, ClassicAPIHandlerMixin, APIHandler),
        {
            **methods,
            "get_json_object": ExtensionAPIHandler.get_json_object,
            "__doc__": handler.__doc__,
            "__module__": __name__,
        },
    )
