"""A bounded load check on 127.0.0.1: many concurrent requests to a generated route all succeed,
and slow work done the way the generated code recommends does not stall other requests."""

from __future__ import annotations

import asyncio
import time

import pytest
from support import Bake, bake, install_for_tests, jupyter_server
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

pytestmark = pytest.mark.slow
BASE_URL = "/user/alice/"
TOTAL_REQUESTS = 3000
CONCURRENCY = 64
SLOW_SECONDS = 3.0


def make_work_slow(baked: Bake, *, in_thread: bool) -> None:
    """Customize the first handler as a user would: its hashing now takes SLOW_SECONDS."""
    handlers = baked.project / baked.context["package_name"] / "handlers.py"
    text = handlers.read_text()
    text = text.replace(
        "    return hashlib.sha256(data).hexdigest()",
        f"    time.sleep({SLOW_SECONDS})  # stands in for slow disk, network or CPU work\n"
        "    return hashlib.sha256(data).hexdigest()",
    ).replace("import hashlib\n", "import hashlib\nimport time\n")
    if not in_thread:  # the anti-pattern, for contrast: blocking call on the event loop
        text = text.replace("await asyncio.to_thread(sha256_hexdigest, self.request.body)",
                            "sha256_hexdigest(self.request.body)")  # fmt: skip
    handlers.write_text(text)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    servers = {}

    def get(in_thread: bool):
        if in_thread not in servers:
            root = tmp_path_factory.mktemp(f"load-{in_thread}")
            baked = bake(root / "out", {"handlers": "POST /work; GET /ping"})
            make_work_slow(baked, in_thread=in_thread)
            venv = install_for_tests(baked.project, root / "venv")
            servers[in_thread] = (baked, venv, root)
        return servers[in_thread]

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


def test_thousands_of_concurrent_requests_all_succeed(served, tmp_path):
    _baked, venv, _ = served(True)
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        url = server.url("jupyter-hello/ping")
        codes = asyncio.run(many_gets(url, server.auth))
        assert len(codes) == TOTAL_REQUESTS
        assert {code: codes.count(code) for code in set(codes)} == {200: TOTAL_REQUESTS}
        assert "Traceback" not in server.log()


async def slow_then_fast(server) -> tuple[float, float]:
    """Start the slow POST, then a GET to another route; when did each finish?"""
    client = AsyncHTTPClient(force_instance=True)
    started = time.monotonic()
    headers = {**server.auth, "Content-Type": "application/json"}
    slow = asyncio.ensure_future(client.fetch(HTTPRequest(
        server.url("jupyter-hello/work"), method="POST", body='{"n": 1}', headers=headers,
        request_timeout=60)))  # fmt: skip
    await asyncio.sleep(0.5)  # the slow request is now being handled
    fast = await client.fetch(
        HTTPRequest(server.url("jupyter-hello/ping"), headers=server.auth, request_timeout=60)
    )
    fast_done = time.monotonic() - started
    assert fast.code == 200
    slow_reply = await slow
    assert slow_reply.code == 201
    client.close()
    return fast_done, time.monotonic() - started


@pytest.mark.parametrize("in_thread", [True, False], ids=["to_thread", "blocking-contrast"])
def test_slow_work_does_not_stall_other_requests(served, tmp_path, in_thread):
    _baked, venv, _ = served(in_thread)
    with jupyter_server(venv, tmp_path / "home", ["server"], base_url=BASE_URL) as server:
        fast_done, slow_done = asyncio.run(slow_then_fast(server))
    if in_thread:
        assert fast_done < slow_done  # the other route answered while the slow work ran
    else:
        assert fast_done >= slow_done - 0.05  # blocking the loop held the other request back
