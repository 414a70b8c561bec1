"""Jupyter server extension {{ cookiecutter.package_name }}: see README.md for its routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .routes import setup_route_table

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

__version__ = "0.1.0"


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Tell Jupyter servers which module to load as the extension."""
    return [{"module": "{{ cookiecutter.package_name }}"}]


def _load_jupyter_server_extension(serverapp: ServerApp) -> None:
    """Called by the server at startup: register the extension's request handlers."""
    setup_route_table(serverapp)
