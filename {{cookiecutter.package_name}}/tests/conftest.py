"""Run every test against a real Jupyter server with the extension enabled and strict auth."""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
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
