{%- set camel = cookiecutter.package_name | camel_case -%}
"""Fixtures every test shares: a real Jupyter server with the extension enabled, in strict auth
mode, and callers of each sort. This file belongs to the template."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from tornado.httpclient import HTTPResponse

pytest_plugins = ("pytest_jupyter.jupyter_server",)

#: The class whose traits are the extension's settings.
SETTINGS_CLASS = "{{ camel }}{{ 'App' if cookiecutter.extension_app == 'yes' else 'Settings' }}"
#: Headers of a caller without credentials (jp_fetch sends the server's token otherwise).
NO_CREDENTIALS = {"Authorization": ""}

Fetch = Callable[..., Awaitable[HTTPResponse]]


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


@pytest.fixture
def browser_login(
    jp_fetch: Fetch, jp_serverapp: Any, jp_http_port: int
) -> Callable[[], Awaitable[dict[str, str]]]:
    """Logs in through the server's login form as a browser does; the headers of its later
    requests: the session's cookies and, as JupyterLab sends it, the X-XSRFToken header."""

    async def log_in() -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        # The login cookie's name depends on the host: the one jp_fetch and jp_ws_fetch use.
        browser = {**NO_CREDENTIALS, "Host": f"localhost:{jp_http_port}"}
        page = await jp_fetch("login", headers=browser)
        for header in page.headers.get_list("Set-Cookie"):
            jar.load(header)
        xsrf = jar["_xsrf"].value
        form = urlencode({"password": jp_serverapp.identity_provider.token, "_xsrf": xsrf})
        reply = await jp_fetch(
            "login",
            method="POST",
            body=form,
            headers={**browser, "Cookie": f"_xsrf={xsrf}"},
            follow_redirects=False,
            raise_error=False,
        )
        for header in reply.headers.get_list("Set-Cookie"):
            jar.load(header)
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
        return {**browser, "Cookie": cookies, "X-XSRFToken": xsrf}

    return log_in
