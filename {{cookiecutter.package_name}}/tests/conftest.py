"""Run every test against a real Jupyter server with the extension enabled and strict auth."""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)


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
    }


@pytest.fixture
def jp_server_config(server_config: dict[str, Any]) -> dict[str, Any]:
    return server_config
