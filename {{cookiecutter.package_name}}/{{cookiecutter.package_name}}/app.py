{%- set routes = cookiecutter.handlers | routes -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set any_page = routes | selectattr("page") | list | length > 0 -%}
{%- set realtime = routes | selectattr("kind", "in", ["ws", "sse"]) | list | length > 0 -%}
"""The extension as an ExtensionApp: its settings (settings.py) are its traits, and `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` serves it."""

from __future__ import annotations
{%- if any_page %}

from pathlib import Path
{%- endif %}

from jupyter_server.extension.application import ExtensionApp{% if any_page %}, ExtensionAppJinjaMixin{% endif %}
{%- if any_page %}
from traitlets import default
{%- endif %}
{% if realtime %}
from .base import close_connections, connections
{%- endif %}
from .routes import LANDING_PAGE, extension_handlers
from .settings import {{ camel }}Settings


class {{ camel }}App({% if any_page %}ExtensionAppJinjaMixin, {% endif %}ExtensionApp, {{ camel }}Settings):
    """Configure with ``c.{{ camel }}App.<trait>`` or ``--{{ camel }}App.<trait>=...``."""

    name = "{{ cookiecutter.package_name }}"
{{ py_assign("description", cookiecutter.description | py_string, 4) }}
    #: The page `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` opens in the browser.
    extension_url = LANDING_PAGE
    load_other_extensions = True
{%- if any_page %}

    @default("template_paths")
    def _default_template_paths(self) -> list[str]:
        return [str(Path(__file__).parent / "templates")]
{%- endif %}

    def initialize_handlers(self) -> None:
        self.handlers.extend(extension_handlers())
{%- if realtime %}

    def current_activity(self) -> bool:  # pyright: ignore[reportIncompatibleMethodOverride]
        """Open sockets and streams keep the server from being culled as idle."""
        return self.serverapp is not None and bool(connections(self.serverapp.web_app.settings))

    async def stop_extension(self) -> None:
        """Close open sockets and streams cleanly when the server stops."""
        if self.serverapp is not None:
            close_connections(self.serverapp.web_app.settings)
{%- endif %}


main = launch_new_instance = {{ camel }}App.launch_instance
