"""Bounded load on 127.0.0.1 against real `jupyter server` processes: many concurrent requests,
sockets and streams all succeed and leave nothing open, and slow work done the way the generated
README recommends (`await asyncio.to_thread(...)`) does not stall other requests."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest
from support import Bake, Server, bake, install_for_tests, jupyter_server
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

pytestmark = pytest.mark.slow
BASE_URL = "/user/alice/"
TOTAL_REQUESTS = 3000
CONCURRENCY = 64
SOCKETS, MESSAGES = 50, 20
STREAMS = 20
SLOW_SECONDS = 3.0


def make_work_slow(baked: Bake, *, in_thread: bool) -> None:
    """Customize the POST /work handler as a user would: it now does SLOW_SECONDS of blocking
    work, run in a thread as the README says (or, for contrast, on the event loop)."""
    module = baked.project / baked.context["package_name"] / "handlers" / "work.py"
    text = module.read_text()
    work = (
        f"asyncio.to_thread(time.sleep, {SLOW_SECONDS})"
        if in_thread
        else f"time.sleep({SLOW_SECONDS})"
    )
    docstring = (
        '        """Keep the delivery in the request body; answer 202 Accepted with its id."""\n'
    )
    assert docstring in text
    text = text.replace(docstring, docstring + f"        {'await ' if in_thread else ''}{work}\n")
    future = "from __future__ import annotations\n"
    module.write_text(text.replace(future, future + "import asyncio\nimport time\n", 1))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    projects = {}

    def get(name: str, answers: dict, customize=None):
        if name not in projects:
            root = tmp_path_factory.mktemp(f"load-{name}")
            baked = bake(root / "out", answers)
            if customize:
                customize(baked)
            projects[name] = (baked, install_for_tests(baked.project, root / "venv"))
        return projects[name]

    return get


async def many_gets(url: str, headers: dict[str, str]) -> list[int]:
    client = AsyncHTTPClient(force_instance=True, max_clients=CONCURRENCY)
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one() -> int:
        async with semaphore:
            reply = await client.fetch(
                HTTPRequest(url, headers=headers, request_timeout=30), raise_error=False
            )
            return reply.code

    try:
        return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(TOTAL_REQUESTS))), 180)
    finally:
        client.close()


def open_connections(server: Server) -> int:
    """TCP sockets the server process holds open (its listening sockets included)."""
    fds = Path(f"/proc/{server.process.pid}/fd")
    return sum(1 for fd in fds.iterdir() if os.readlink(fd).startswith("socket:"))


def test_thousands_of_concurrent_requests_all_succeed(installed, tmp_path):
    _baked, venv = installed("ping", {"handlers": "GET /ping"})
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        codes = asyncio.run(many_gets(server.url("jupyter-hello/ping"), server.auth))
        assert {code: codes.count(code) for code in set(codes)} == {200: TOTAL_REQUESTS}
        assert "Traceback" not in server.log()


async def talk(server: Server, room: int) -> list[dict]:
    """One socket in a room of its own: MESSAGES messages, each answered before the next."""
    url = "ws" + server.url(f"jupyter-hello/rooms/{room}").removeprefix("http")
    socket = await websocket_connect(HTTPRequest(url, headers=server.auth, connect_timeout=30))
    answers = []
    for number in range(MESSAGES):
        await socket.write_message(json.dumps({"room": room, "number": number}))
        answers.append(json.loads(await asyncio.wait_for(socket.read_message(), 30)))
    socket.close()
    return answers


async def follow(server: Server, job: int) -> bytes:
    client = AsyncHTTPClient(force_instance=True)
    try:
        url = server.url(f"jupyter-hello/jobs/{job}/progress")
        reply = await client.fetch(HTTPRequest(url, headers=server.auth, request_timeout=60))
        return reply.body
    finally:
        client.close()


def test_fifty_sockets_and_twenty_streams_at_once(installed, tmp_path):
    _baked, venv = installed(
        "realtime", {"handlers": "WS /rooms/{room_id}; SSE /jobs/{job_id}/progress"}
    )
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        idle = open_connections(server)

        async def everything() -> tuple[list[list[dict]], list[bytes]]:
            sockets = asyncio.gather(*(talk(server, room) for room in range(SOCKETS)))
            streams = asyncio.gather(*(follow(server, job) for job in range(STREAMS)))
            return await asyncio.wait_for(asyncio.gather(sockets, streams), 180)

        conversations, bodies = asyncio.run(everything())
        for room, answers in enumerate(conversations):
            assert [a["echo"] for a in answers] == [
                {"room": room, "number": n} for n in range(MESSAGES)
            ]
            assert [a["count"] for a in answers] == list(range(1, MESSAGES + 1))
        for body in bodies:
            assert body.count(b"data: ") == 6 and b'"done": true' in body
        deadline = time.monotonic() + 10
        while open_connections(server) > idle and time.monotonic() < deadline:
            time.sleep(0.1)
        assert open_connections(server) <= idle, "connections left open after the clients left"
        log = server.log()
        assert "Traceback" not in log and "[E " not in log, log[-3000:]


async def slow_then_fast(server: Server) -> tuple[float, float]:
    """Start the slow POST, then a GET to another route; when did each finish?"""
    client = AsyncHTTPClient(force_instance=True)
    started = time.monotonic()
    finished: dict[str, float] = {}
    headers = {**server.auth, "Content-Type": "application/json"}
    slow = asyncio.ensure_future(client.fetch(HTTPRequest(
        server.url("jupyter-hello/work"), method="POST", body='{"n": 1}', headers=headers,
        request_timeout=60)))  # fmt: skip
    slow.add_done_callback(lambda _: finished.setdefault("slow", time.monotonic() - started))
    await asyncio.sleep(0.5)  # the slow request is now being handled
    fast = await client.fetch(
        HTTPRequest(server.url("jupyter-hello/ping"), headers=server.auth, request_timeout=60)
    )
    finished["fast"] = time.monotonic() - started
    assert fast.code == 200
    assert (await slow).code == 202
    client.close()
    return finished["fast"], finished["slow"]


@pytest.mark.parametrize("in_thread", [True, False], ids=["to_thread", "blocking-contrast"])
def test_slow_work_does_not_stall_other_requests(installed, tmp_path, in_thread):
    _baked, venv = installed(
        f"work-{in_thread}",
        {"handlers": "POST /work; GET /ping"},
        lambda baked: make_work_slow(baked, in_thread=in_thread),
    )
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        fast_done, slow_done = asyncio.run(slow_then_fast(server))
    if in_thread:
        assert fast_done < slow_done  # the other route answered while the slow work ran
    else:
        assert fast_done >= slow_done - 0.05  # blocking the loop held the other request back
