"""The base class of event-stream routes. This module belongs to the template."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.ioloop import PeriodicCallback
from tornado.iostream import StreamClosedError

from .connections import ConnectionHandler


class EventStreamHandler(ConnectionHandler, APIHandler):
    """Event-stream routes (server-sent events, read in browsers by EventSource): events are
    flushed one by one, a keep-alive comment goes out between them, and a stream whose client
    left stops at its next event."""

    keepalive: PeriodicCallback | None = None
    ended = False  # the client left, or the stream was finished

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event a reconnecting EventSource received."""
        return self.request.headers.get("Last-Event-ID")

    async def send_event(
        self, data: Any, *, event: str | None = None, event_id: str | None = None
    ) -> None:
        """Send one event: `data` as JSON, with an optional event name and id."""
        if self.keepalive is None:
            self._start_stream()
        lines = [f"event: {event}"] if event else []
        lines += [f"id: {event_id}"] if event_id else []
        lines.append(f"data: {json.dumps(data)}")
        await self._send("\n".join(lines) + "\n\n")

    def _start_stream(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")  # proxies such as nginx must not buffer it
        self.connections.add(self)
        seconds = self.extension_settings.keepalive_interval
        self.keepalive = PeriodicCallback(self._send_keepalive, seconds * 1000)
        self.keepalive.start()

    async def _send(self, text: str) -> None:
        if self.ended:
            raise web.Finish()  # the client went away, or the server is stopping: stop here
        self.write(text)
        self.record_activity()
        try:
            await self.flush()
        except StreamClosedError:
            raise web.Finish() from None

    async def _send_keepalive(self) -> None:
        with contextlib.suppress(web.Finish):
            await self._send(": keep-alive\n\n")

    def on_connection_close(self) -> None:
        self._end()
        super().on_connection_close()

    def on_finish(self) -> None:
        self._end()
        super().on_finish()

    def end_connection(self) -> None:
        if not self.ended:
            self.finish()

    def _end(self) -> None:
        self.ended = True
        if self.keepalive is not None:
            self.keepalive.stop()
        self.connections.discard(self)
