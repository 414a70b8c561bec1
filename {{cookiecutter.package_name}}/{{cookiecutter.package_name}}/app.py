{%- set routes = cookiecutter.handlers | routes -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set any_page = routes | selectattr("page") | list | length > 0 -%}
{%- set realtime = routes | selectattr("kind", "in", ["ws", "sse"]) | list | length > 0 -%}
"""The extension as an ExtensionApp: `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` serves it. This module belongs to the template:
the app's traits, paths and work at start and stop are yours, in settings.py."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp{% if any_page %}, ExtensionAppJinjaMixin{% endif %}
{% if realtime %}
from .connections import close_connections, connections
{%- endif %}
from .routes import LANDING_PAGE, extension_handlers
from .settings import {{ camel }}Settings


# The settings class comes first, so that its traits and @default methods (static_paths,
# template_paths...) take precedence over ExtensionApp's own.
class {{ camel }}App({{ camel }}Settings, {% if any_page %}ExtensionAppJinjaMixin, {% endif %}ExtensionApp):
    """Configure with ``c.{{ camel }}App.<trait>`` or ``--{{ camel }}App.<trait>=...``."""

    name = "{{ cookiecutter.package_name }}"
{{ py_assign("description", cookiecutter.description | py_string, 4) }}
    #: The page `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` opens in the browser.
    extension_url = LANDING_PAGE
    load_other_extensions = True

    def initialize_handlers(self) -> None:
        self.handlers.extend(extension_handlers())
{%- if realtime %}

    def current_activity(self) -> bool:  # pyright: ignore[reportIncompatibleMethodOverride]
        """Open sockets and streams keep the server from being culled as idle."""
        return self.serverapp is not None and bool(connections(self.serverapp.web_app.settings))

    async def stop_extension(self) -> None:
        """Close open sockets and streams cleanly when the server stops, then do what
        settings.py does at stop."""
        if self.serverapp is not None:
            close_connections(self.serverapp.web_app.settings)
        await super().stop_extension()
{%- endif %}


main = launch_new_instance = {{ camel }}App.launch_instance
