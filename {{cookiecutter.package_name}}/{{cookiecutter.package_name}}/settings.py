{%- set routes = cookiecutter.handlers | routes -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set camel = cookiecutter.package_name | camel_case -%}
{%- set pages = routes | selectattr("page") | list | length > 0 -%}
{%- set downloads = routes | selectattr("download") | list | length > 0 -%}
"""The extension's own settings, read from the server's configuration (files, command line),
and what it does when the server starts{% if app %} and stops{% endif %}. This module is yours: the template's
code only needs the class to keep its name and to inherit ExtensionSettings."""

from __future__ import annotations
{%- if pages or downloads %}

from pathlib import Path
{%- endif %}

from traitlets import Unicode{% if pages %}, default{% endif %}

from .base import ExtensionSettings


class {{ camel }}Settings(ExtensionSettings):
    """Set with ``c.{{ camel }}{{ "App" if app else "Settings" }}.<name>`` in jupyter_server_config.py or on the command line.
    Handlers read them as ``self.extension_settings.<name>``."""

    greeting = Unicode("Hello, world!", help="The greeting the example routes answer with.").tag(
        config=True
    )
{%- if downloads %}
    downloads_dir = Unicode(
        str(Path(__file__).parent / "downloads"),
        help="The folder the example download routes answer files from.",
    ).tag(config=True)
{%- endif %}
{%- if pages %}

    @default("template_paths")
    def _default_template_paths(self) -> list[str]:
        # The app's Jinja2 templates (pages). Set static_paths here too to serve a folder at
        # <base_url>static/{{ cookiecutter.package_name }}/.
        return [str(Path(__file__).parent / "templates")]
{%- endif %}

    def initialize_settings(self) -> None:
        """Work to do when the server loads the extension, before its routes are added: what
        you set on `self` here, handlers find on `self.extension_settings`."""
{%- if app %}

    async def stop_extension(self) -> None:
        """Work to do when the server stops (close what initialize_settings opened)."""
{%- endif %}
