"""Bare Tornado handlers, loaded as a jpserver extension into the same `jupyter server` as the
baked project: the references of the WebSocket and event-stream benchmarks.

They do the same JSON work as the generated handlers, with nothing of jupyter_server or of the
template around it: a plain `tornado.websocket.WebSocketHandler` that decodes each message,
answers it and encodes the answer, and a plain `RequestHandler` that sends one event. Only the
caller's token is checked (once per connection), so the routes are not open while they run.

`install(venv)` copies this module into a server venv and enables it there; the server then
serves /bench-bare/ws/<room> and /bench-bare/events. It uses only the standard library and
Tornado, since the server imports it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tornado import web
from tornado.websocket import WebSocketHandler

NAME = "bare_handlers"
GREETING = "Hello, world!"  # the generated handlers' default greeting


class TokenChecked(web.RequestHandler):
    def initialize(self, token: str) -> None:
        self.token = token

    def prepare(self) -> None:
        if self.request.headers.get("Authorization") != f"token {self.token}":
            raise web.HTTPError(403)


class BareSocket(TokenChecked, WebSocketHandler):
    """Answers every JSON message with the generated handler's answer: echo, greeting, the path
    parameters and a per-connection count."""

    count = 0

    def on_message(self, message: str | bytes) -> None:
        data = json.loads(message)
        self.count += 1
        answer = {"echo": data, "greeting": GREETING, "path": self.path_kwargs, "count": self.count}
        self.write_message(json.dumps(answer))


class BareEvents(TokenChecked):
    """One server-sent event with the generated stream's first data, then the end."""

    async def get(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        data = {"step": 1, "of": 5, "path": {"job_id": "bare"}}
        self.write(f"id: 1\ndata: {json.dumps(data)}\n\n")
        await self.flush()
        self.finish()


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": NAME}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    base = serverapp.web_app.settings["base_url"].rstrip("/")
    token = {"token": serverapp.identity_provider.token}
    serverapp.web_app.add_handlers(".*$", [
        (f"{base}/bench-bare/ws/(?P<room_id>[^/]+)", BareSocket, token),
        (f"{base}/bench-bare/events", BareEvents, token),
    ])  # fmt: skip


def install(venv: Path) -> None:
    """Make this module importable in `venv` and enable it there as a server extension."""
    site = next((venv / "lib").glob("python3*/site-packages"))
    shutil.copy(Path(__file__), site / f"{NAME}.py")
    config = venv / "etc" / "jupyter" / "jupyter_server_config.d"
    config.mkdir(parents=True, exist_ok=True)
    enabled = {"ServerApp": {"jpserver_extensions": {NAME: True}}}
    (config / f"{NAME}.json").write_text(json.dumps(enabled))
