{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set routes = cookiecutter.handlers | routes -%}
{%- set ws = routes | selectattr("kind", "equalto", "ws") | list | length > 0 -%}
"""Classic Notebook 6 support, through the API of the original Notebook documentation.

Notebook 6 calls ``load_jupyter_server_extension(nb_server_app)`` for each module listed in
``NotebookApp.nbserver_extensions`` and only accepts handlers built on its own base classes
(``notebook.base.handlers``). jupyter_server is installed in Notebook 6 environments too, so the
base classes are chosen from the app that loads the extension, never from what imports. Each
handler is rebuilt on Notebook 6's classes with the same code. Notebook 6 has no authorizer:
methods keep their login check (any logged-in user), public ones stay public.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

from jupyter_server.base import handlers as jupyter_handlers
{%- if ws %}
from jupyter_server.base import websocket as jupyter_websocket
{%- endif %}
from tornado import web

from .base import SETTINGS_KEY
from .routes import extension_handlers

HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete")


def load_jupyter_server_extension(nb_server_app: Any) -> None:
    """Register the extension's handlers with a running Notebook 6 server."""
    if _is_jupyter_server_app(nb_server_app):
        # jupyter_server apps load the extension through _jupyter_server_extension_points.
        nb_server_app.log.info("{{ cookiecutter.package_name }} loads through jupyter_server here")
        return
{%- if app %}
    from .app import {{ camel }}App as Settings
{%- else %}
    from .settings import {{ camel }}Settings as Settings
{%- endif %}

    web_app = nb_server_app.web_app
    # c.{{ camel }}{{ "App" if app else "Settings" }}.<name> in Notebook 6's config reaches the handlers.
    web_app.settings[SETTINGS_KEY] = Settings(config=nb_server_app.config)
    rebuilt: dict[type, type] = {}
    rules = extension_handlers(web_app.settings["base_url"])
    web_app.add_handlers(
        ".*$",
        [
            (pattern, classic_handler(handler, rebuilt), kwargs)
            for pattern, handler, kwargs in rules
        ],
    )


def _is_jupyter_server_app(app: Any) -> bool:
    return any(cls.__module__.split(".")[0] == "jupyter_server" for cls in type(app).__mro__)


def classic_handler(handler: type, rebuilt: dict[type, type]) -> type:
    """`handler` rebuilt on Notebook 6's base classes: its code, and its bases' code, unchanged."""
    from notebook.base import handlers as notebook_handlers  # pyright: ignore[reportMissingImports]
{%- if ws %}
    from notebook.base import zmqhandlers  # pyright: ignore[reportMissingImports]
{%- endif %}

    rebuilt.setdefault(jupyter_handlers.JupyterHandler, notebook_handlers.IPythonHandler)
    rebuilt.setdefault(jupyter_handlers.APIHandler, notebook_handlers.APIHandler)
{%- if ws %}
    rebuilt.setdefault(jupyter_websocket.WebSocketMixin, zmqhandlers.WebSocketMixin)
{%- endif %}
    return _rebuild(handler, rebuilt)


def _rebuild(cls: type, rebuilt: dict[type, type]) -> type:
    if cls in rebuilt:
        return rebuilt[cls]
    if not any(issubclass(cls, jupyter) for jupyter in list(rebuilt)):
        return cls  # tornado's classes and plain mixins serve both servers as they are
    bases = tuple(_rebuild(base, rebuilt) for base in cls.__bases__)
    attributes = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    new = type(cls.__name__, bases, attributes)
    for name, value in attributes.items():
        if isinstance(value, property):
            setattr(new, name, property(*(_rebind(f, new) for f in (value.fget, value.fset))))
        elif name in HTTP_METHODS and callable(value):
            setattr(new, name, _classic_method(value, new))
        elif inspect.isfunction(value):
            setattr(new, name, _rebind(value, new))
    rebuilt[cls] = new
    return new


def _classic_method(method: Any, cls: type) -> Any:
    """A handler method without jupyter_server's decorators (Notebook 6 has no authorizer),
    behind Notebook 6's login check unless it was public."""
    body = _rebind(inspect.unwrap(method), cls)
    if getattr(method, "__allow_unauthenticated", False):
        return body
    if any(base.__name__ == "WebSocketHandler" for base in cls.__mro__):
        return _refuse_strangers(body)  # a WebSocket answers 403, not a login redirect
    return web.authenticated(body)


def _refuse_strangers(method: Any) -> Any:
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.current_user is None:
            raise web.HTTPError(403)
        return method(self, *args, **kwargs)

    return checked


def _rebind(function: Any, cls: type) -> Any:
    """A copy of `function` whose zero-argument super() starts from `cls`."""
    if function is None or "__class__" not in function.__code__.co_freevars:
        return function
    cells = tuple(
        types.CellType(cls) if name == "__class__" else cell
        for name, cell in zip(function.__code__.co_freevars, function.__closure__, strict=True)
    )
    copy = types.FunctionType(
        function.__code__, function.__globals__, function.__name__, function.__defaults__, cells
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__qualname__ = function.__qualname__
    return copy
