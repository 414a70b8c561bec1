"""The references of the WebSocket and event-stream goals, loaded as a jpserver extension into
the same `jupyter server` as the baked project (servers.py copies this module into its venv).

The bare Tornado handlers do the generated handlers' JSON work with nothing of jupyter_server or
of the template around them; they check the caller's token header themselves, so they are not
open while they run. `ServerEvents` sends the same event from a plain jupyter_server APIHandler
with the generated route's decorators: what any authenticated route of the server costs.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.websocket import WebSocketHandler

EVENT = {"step": 1, "of": 5, "path": {"job_id": "bench"}}


class TokenChecked(web.RequestHandler):
    def initialize(self, token: str) -> None:
        self.token = token

    def prepare(self) -> None:
        if self.request.headers.get("Authorization") != f"token {self.token}":
            raise web.HTTPError(403)


class BareSocket(TokenChecked, WebSocketHandler):
    """Answers each JSON message as the generated socket does: echo, greeting, path, count."""

    count = 0

    def on_message(self, message: str | bytes) -> None:
        self.count += 1
        answer = {"echo": json.loads(message), "greeting": "Hello, world!",
                  "path": self.path_kwargs, "count": self.count}  # fmt: skip
        self.write_message(json.dumps(answer))


async def one_event(handler: web.RequestHandler) -> None:
    """The generated event stream's first event, flushed, then the end."""
    handler.set_header("Content-Type", "text/event-stream")
    handler.set_header("Cache-Control", "no-cache")
    handler.write(f"id: 1\ndata: {json.dumps(EVENT)}\n\n")
    await handler.flush()
    handler.finish()


class BareEvents(TokenChecked):
    async def get(self) -> None:
        await one_event(self)


class ServerEvents(APIHandler):
    """The same event from jupyter_server's APIHandler, authenticated and authorized."""

    auth_resource = "bare_handlers"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        await one_event(self)


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": "bare_handlers"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    base = serverapp.web_app.settings["base_url"].rstrip("/")
    token = {"token": serverapp.identity_provider.token}
    serverapp.web_app.add_handlers(".*$", [
        (f"{base}/bare/ws/(?P<room_id>[^/]+)", BareSocket, token),
        (f"{base}/bare/events", BareEvents, token),
        (f"{base}/bare/server-events", ServerEvents),
    ])  # fmt: skip
