"""The base class of WebSocket routes. This module belongs to the template."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from jupyter_server.base.websocket import WebSocketMixin
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from .base import decode_json
from .connections import ConnectionHandler


class SocketHandler(  # pyright: ignore[reportIncompatibleMethodOverride]  # as upstream's
    WebSocketMixin, WebSocketHandler, ConnectionHandler
):
    """WebSocket routes: jupyter_server's origin check and keep-alive pings, JSON messages
    decoded like request bodies, and the connection counted as activity while it is open.

    One handler instance serves one connection: per-connection state lives on `self`.
    """

    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Upgrade the connection (the subclass checks the caller first) and hold it open."""
        self.connections.add(self)
        self.record_activity()
        try:
            await super().get(*args, **kwargs)
        finally:
            self.connections.discard(self)
            self.record_activity()

    @property
    def max_message_size(self) -> int:
        # Tornado's default is 10 MiB; larger messages close the socket (code 1009).
        return self.extension_settings.max_body_size

    def decode_message(self, message: str | bytes) -> Any:
        """A message as JSON, by the rules of request bodies; raises JSONError otherwise."""
        return decode_json(message, self.max_message_size)

    def peers(self) -> list[SocketHandler]:
        """The other open connections of this handler class on the same URL."""
        return [
            other
            for other in self.connections
            if isinstance(other, type(self))
            and other is not self
            and other.request.path == self.request.path
        ]

    def send_json(self, data: Any) -> None:
        """Send `data` as a JSON text message (nothing happens once the socket is closed)."""
        with contextlib.suppress(WebSocketClosedError):
            self.write_message(json.dumps(data))

    def on_pong(self, data: bytes) -> None:
        super().on_pong(data)  # type: ignore[no-untyped-call]  # not annotated upstream
        self.record_activity()

    def end_connection(self) -> None:
        self.close(1001, "The server is shutting down")
