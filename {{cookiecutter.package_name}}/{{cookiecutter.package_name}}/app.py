{%- set routes = cookiecutter.handlers | routes -%}
{%- set ns = cookiecutter.url_namespace | namespace -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set any_page = routes | selectattr("page") | list | length > 0 -%}
{%- set landing = (routes | selectattr("page") | list + [routes | first_get_route] + routes) | select | first -%}
"""The extension as an ExtensionApp: settings are traitlets, and `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` serves it."""

from __future__ import annotations
{%- if any_page %}

from pathlib import Path
{%- endif %}

from jupyter_server.extension.application import ExtensionApp{% if any_page %}, ExtensionAppJinjaMixin{% endif %}
from traitlets import Unicode{% if any_page %}, default{% endif %}

from .routes import namespaced_routes


class {{ camel }}App({% if any_page %}ExtensionAppJinjaMixin, {% endif %}ExtensionApp):
    """Configure with ``c.{{ camel }}App.<trait>`` or ``--{{ camel }}App.<trait>=...``."""

    name = "{{ cookiecutter.package_name }}"
{{ py_assign("description", cookiecutter.description | py_string, 4) }}
    #: The page `jupyter {{ cookiecutter.project_slug | command_name | replace("jupyter-", "", 1) }}` opens in the browser.
{{ py_assign("extension_url", landing.sample_path | route_url(ns) | quoted, 4) }}
    load_other_extensions = True

    greeting = Unicode("Hello, world!", help="The greeting the routes answer with.").tag(
        config=True
    )
{%- if any_page %}

    @default("template_paths")
    def _default_template_paths(self) -> list[str]:
        return [str(Path(__file__).parent / "templates")]
{%- endif %}

    def initialize_handlers(self) -> None:
        self.handlers.extend(namespaced_routes())


main = launch_new_instance = {{ camel }}App.launch_instance
