{%- set camel = cookiecutter.package_name | camel_case -%}
"""Fixtures every test shares: a real Jupyter server with the extension enabled, in strict auth
mode. This file belongs to the template."""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)

#: The class whose traits are the extension's settings.
SETTINGS_CLASS = "{{ camel }}{{ 'App' if cookiecutter.extension_app == 'yes' else 'Settings' }}"


@pytest.fixture
def server_config() -> dict[str, Any]:
    """The server's config; a test module adjusts it by overriding `jp_server_config`."""
    return {
        "ServerApp": {
            # Terminals are not needed here, and warn about their own handlers in strict mode.
            "jpserver_extensions": {
                "{{ cookiecutter.package_name }}": True,
                "jupyter_server_terminals": False,
            },
            # Strict mode: any handler method without an auth decorator is refused.
            "allow_unauthenticated_access": False,
        },
        SETTINGS_CLASS: {},
    }


@pytest.fixture
def jp_server_config(server_config: dict[str, Any]) -> dict[str, Any]:
    return server_config


@pytest.fixture
def extension_config(server_config: dict[str, Any]) -> dict[str, Any]:
    """The extension's own section of the server's config (its settings)."""
    return server_config[SETTINGS_CLASS]
