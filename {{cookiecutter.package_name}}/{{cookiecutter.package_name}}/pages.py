"""The base class of HTML page routes. This module belongs to the template."""

from __future__ import annotations

from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin, ExtensionHandlerMixin

from .base import ExtensionHandler


class PageHandler(  # pyright: ignore[reportIncompatibleVariableOverride]  # upstream mixins
    ExtensionHandlerJinjaMixin, ExtensionHandlerMixin, ExtensionHandler
):
    """HTML pages rendered from the Jinja2 templates in the package's templates/ folder."""
