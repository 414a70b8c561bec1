{%- set routes = cookiecutter.handlers | routes -%}
{%- set sse = routes | selectattr("kind", "equalto", "sse") | list | length > 0 -%}
"""Settings read from the server's configuration (files, command line)."""

from __future__ import annotations

from traitlets import {% if sse %}Float, {% endif %}Int, Unicode
from traitlets.config import Configurable


class {{ cookiecutter.package_name | camel_case }}Settings(Configurable):
    """Set with ``c.{{ cookiecutter.package_name | camel_case }}{{ "App" if cookiecutter.extension_app == "yes" else "Settings" }}.<name>`` in jupyter_server_config.py or on the command line."""

    greeting = Unicode("Hello, world!", help="The greeting the example routes answer with.").tag(
        config=True
    )
    max_body_size = Int(
        1024 * 1024, help="The largest request body or WebSocket message accepted, in bytes."
    ).tag(config=True)
{%- if sse %}
    keepalive_interval = Float(
        15.0, help="Seconds between keep-alive comments on open event streams."
    ).tag(config=True)
{%- endif %}
