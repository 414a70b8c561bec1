"""The project the route-kind benchmarks (sections 6 to 8) load: one route of every kind, served by
one `jupyter server` together with the bare Tornado references of bare_handlers.py.

/drafts is a second collection of the same shape as /items: POST creates land there, so that the
collection GET /items lists the same single seeded item in every run. /tasks/{task_id}/progress
is the unchanged event-stream example (0.2 s before each event); the baked copy of
/jobs/{job_id}/progress is patched to a zero pause, so that its first event measures the route,
not the example's stand-in for work.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bare_handlers
import servers
from common import support

ROUTES = "; ".join([
    "GET /hello HelloWorldHandler", "GET,POST /items", "GET,PUT,PATCH,DELETE /items/{item_id}",
    "GET,POST /drafts", "POST /webhook public", "PUT,PATCH /settings",
    r"GET /numbers/(?P<number>\d+)", "WS /rooms/{room_id}", "SSE /jobs/{job_id}/progress",
    "SSE /tasks/{task_id}/progress", "STATIC /assets", "GET,HEAD /ping",
])  # fmt: skip
EXAMPLE_PAUSE = "await asyncio.sleep(0.2)"
SEED = {"name": "seed", "tags": ["benchmark"]}


@dataclass(frozen=True)
class Served:
    server: support.Server
    namespace: str  # the URL of the extension's namespace, ending without a slash

    @property
    def pid(self) -> int:
        return self.server.process.pid  # `jupyter server` execs jupyter-server: one process

    def url(self, path: str) -> str:
        return self.namespace + path

    def call(self, method: str, url: str, body: object = None) -> support.Response:
        data = None if body is None else json.dumps(body)
        return support.http(method, url, headers=self.server.auth, body=data, timeout=10)


def _zero_pause(project: Path, package: str) -> None:
    module = project / package / "handlers" / "jobs_job_id_progress.py"
    text = module.read_text()
    if EXAMPLE_PAUSE not in text:
        raise RuntimeError(f"{module} no longer pauses with {EXAMPLE_PAUSE!r}")
    module.write_text(text.replace(EXAMPLE_PAUSE, "await asyncio.sleep(0)"))


@contextlib.contextmanager
def serve(work: Path) -> Iterator[Served]:
    """Bake ROUTES, install the project and bare_handlers into one server venv, start it, seed
    the item /items/seed, and yield it."""
    baked = support.bake(work / "bake", {"handlers": ROUTES, "_verify_load": "no"})
    package = baked.context["package_name"]
    _zero_pause(baked.project, package)
    venv = servers.project_venv(baked.project, work / "venv")
    bare_handlers.install(venv)
    with servers.jupyter(venv, work / "home", expect={package, bare_handlers.NAME}) as server:
        served = Served(server, server.url(baked.namespace).rstrip("/"))
        reply = served.call("PUT", served.url("/items/seed"), SEED)
        if reply.status != 200:
            raise RuntimeError(f"seeding /items/seed answered {reply.status}: {reply.body!r}")
        yield served
