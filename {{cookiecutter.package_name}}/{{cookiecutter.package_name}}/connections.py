"""Routes that hold their connection open (WebSockets, event streams): while open, a connection
counts as the server's activity, which idle culling looks at; when the server stops, the
extension ends them cleanly. This module belongs to the template."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, cast

from .base import SETTINGS_KEY, ExtensionHandler


def connections(settings: dict[str, Any]) -> set[ConnectionHandler]:
    """The extension's open WebSockets and event streams on one server."""
    open_connections = settings.setdefault(f"{SETTINGS_KEY}_connections", set())
    return cast("set[ConnectionHandler]", open_connections)


def close_connections(settings: dict[str, Any]) -> None:
    """End every open socket and stream of the extension: the server is stopping."""
    for handler in list(connections(settings)):
        handler.end_connection()


class ConnectionHandler(ExtensionHandler):
    """A handler whose connection stays open after its method returns."""

    @property
    def connections(self) -> set[ConnectionHandler]:
        return connections(self.settings)

    def record_activity(self) -> None:
        # Settings ending in `_last_activity` feed the server's last activity, which idle
        # culling (shutdown_no_activity_timeout, JupyterHub's culler) looks at.
        self.settings[f"{SETTINGS_KEY}_last_activity"] = datetime.now(timezone.utc)

    def end_connection(self) -> None:
        """End the connection because the server is stopping."""
        raise NotImplementedError
