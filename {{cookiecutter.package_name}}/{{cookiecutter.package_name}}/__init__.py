{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set classic = cookiecutter.classic_notebook == "yes" -%}
"""Jupyter server extension {{ cookiecutter.package_name }}: see README.md for its routes."""

from __future__ import annotations

from typing import {% if not app %}TYPE_CHECKING, {% endif %}Any

from ._version import __version__
{% if app -%}
from .app import {{ cookiecutter.package_name | camel_case }}App
{% endif -%}
{% if classic -%}
from .classic import load_jupyter_server_extension
{% endif -%}
{% if not app -%}
from .routes import setup_route_table

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp
{% endif %}
__all__ = ["__version__"{% if classic %}, "load_jupyter_server_extension"{% endif %}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Tell Jupyter servers which module{% if app %} and app{% endif %} to load as the extension."""
{%- if app %}
    return [{"module": "{{ cookiecutter.package_name }}", "app": {{ cookiecutter.package_name | camel_case }}App}]
{%- else %}
    return [{"module": "{{ cookiecutter.package_name }}"}]


def _load_jupyter_server_extension(serverapp: ServerApp) -> None:
    """Called by the server at startup: register the extension's settings and handlers."""
    setup_route_table(serverapp)
{%- endif %}
