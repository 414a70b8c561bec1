"""The base class of HTML page routes. This module belongs to the template."""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin, ExtensionHandlerMixin

from .base import ExtensionHandler


class PageHandler(  # pyright: ignore[reportIncompatibleVariableOverride]  # upstream mixins
    ExtensionHandlerJinjaMixin, ExtensionHandlerMixin, ExtensionHandler
):
    """HTML pages rendered from the Jinja2 templates in the package's templates/ folder."""

    def static_url(self, path: str, include_host: bool | None = None, **kwargs: Any) -> str:
        """The URL of one of the app's static files (its static_paths); the server's own when
        the app has none, as for the server's error pages, which link the server's styles."""
        if self.settings.get(f"{self.name}_static_paths"):
            return super().static_url(path, include_host, **kwargs)
        return JupyterHandler.static_url(self, path, include_host, **kwargs)
