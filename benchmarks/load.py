"""What generated routes cost a running server, each measured beside its reference in the same
rounds: requests/s (wrk), WebSocket messages/s, and the time to an event stream's first event.

Requests/s: every target runs once per round, the order rotated, right between two runs of its
reference, and is divided by the mean of those two (on a shared machine the load changes within
seconds; a ratio over a whole round would mostly measure that). The verdicts use the median of
those per-round ratios.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import harness
import servers
from harness import LoadRun, Sample, Settings, log, ratios, rotated, wrk

ITEM = {"name": "benchmark item", "tags": ["a", "b"]}  # valid for the generated NEW_ITEM schema


@dataclass(frozen=True)
class Target:
    url: str
    headers: Mapping[str, str]
    reference: str  # the name of the target this one is divided by ("" for a reference)
    method: str = "GET"
    body: Any = None
    status: int = 200


def check(name: str, target: Target) -> None:
    """One request first: the target answers what it should (wrk counts only 2xx/3xx)."""
    data = None if target.body is None else json.dumps(target.body)
    headers = {**target.headers, "Content-Type": "application/json"} if data else target.headers
    reply = harness.support.http(target.method, target.url, headers=headers, body=data)
    if reply.status != target.status:
        raise RuntimeError(f"{name}: {target.method} {target.url} answered {reply.status}")


def request_rates(targets: dict[str, Target], settings: Settings) -> dict[str, Any]:
    """Rates and latencies of every target, and its per-round ratios to its reference."""

    def once(name: str, seconds: int) -> LoadRun:
        t = targets[name]
        return wrk(t.url, seconds, settings.connections, t.headers, t.method, t.body)

    for name, target in targets.items():
        check(name, target)
        once(name, 1)  # warm-up
    measured = [name for name, target in targets.items() if target.reference]
    runs: dict[str, list[LoadRun]] = {name: [] for name in targets}
    paired: dict[str, list[float]] = {name: [] for name in measured}
    for round_no in range(settings.rounds):
        log(f"requests/s: round {round_no + 1}/{settings.rounds}")
        last: tuple[str, LoadRun] | None = None  # the run just before, when it was a reference
        for name in rotated(measured, round_no):
            reference = targets[name].reference
            reused = last is not None and last[0] == reference
            before = last[1] if last and reused else once(reference, settings.seconds)
            run, after = once(name, settings.seconds), once(reference, settings.seconds)
            runs[name].append(run)
            runs[reference] += [after] if reused else [before, after]
            paired[name].append(run.rate / ((before.rate + after.rate) / 2))
            last = (reference, after)
    runs = {name: done for name, done in runs.items() if done}
    return {
        "rate": {n: Sample.of([r.rate for r in rs]) for n, rs in runs.items()},
        "p50_ms": {n: Sample.of([r.p50_ms for r in rs]) for n, rs in runs.items()},
        "p99_ms": {n: Sample.of([r.p99_ms for r in rs]) for n, rs in runs.items()},
        "ratio": {n: Sample.of(values) for n, values in paired.items()},
        "reference": {n: t.reference for n, t in targets.items()},
    }


# --------------------------------------------------------------------------- WebSocket

MESSAGE = json.dumps({"text": "hello", "n": 1, "tags": ["a", "b"]})
SOCKET_MODES = {"1 connection": (1, 4000), "4 connections": (4, 1500)}  # connections, messages


async def _exchange(urls: list[str], headers: Mapping[str, str], messages: int) -> float:
    """Seconds for `messages` request/response exchanges on each URL at once (connections open
    before the clock starts); checks the last answer of each."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    connections = [await websocket_connect(HTTPRequest(url, headers=dict(headers)))
                   for url in urls]  # fmt: skip

    async def talk(connection: Any) -> Any:
        answer = None
        for _ in range(messages):
            await connection.write_message(MESSAGE)
            answer = await connection.read_message()
        return json.loads(answer or "null")

    try:
        start = time.perf_counter()
        answers = await asyncio.gather(*(talk(c) for c in connections))
        seconds = time.perf_counter() - start
    finally:
        for connection in connections:
            connection.close()
    for answer in answers:
        if not answer or answer.get("count") != messages or answer["echo"] != json.loads(MESSAGE):
            raise RuntimeError(f"unexpected WebSocket answer {answer}")
    return seconds


def socket_rates(bases: dict[str, str], headers: Mapping[str, str], settings: Settings
                 ) -> dict[str, Any]:  # fmt: skip
    """Messages/s through each socket ('generated' and 'bare' URL prefixes, one room per
    connection), back to back in each round, which goes first alternating."""
    rates: dict[str, dict[str, list[float]]] = {m: {n: [] for n in bases} for m in SOCKET_MODES}
    for round_no in range(-1, settings.rounds):  # round -1 warms up, is not counted
        log(f"WebSocket: round {round_no + 1}/{settings.rounds}")
        for mode, (count, messages) in SOCKET_MODES.items():
            for name in rotated(list(bases), round_no):
                urls = [f"{bases[name]}room{i}" for i in range(count)]
                seconds = asyncio.run(asyncio.wait_for(_exchange(urls, headers, messages), 120))
                if round_no >= 0:
                    rates[mode][name].append(count * messages / seconds)
    return {
        "rate": {m: {n: Sample.of(v) for n, v in by.items()} for m, by in rates.items()},
        "ratio": {m: ratios(by["generated"], by["bare"]) for m, by in rates.items()},
    }


# --------------------------------------------------------------------------- event streams

PER_ROUND = 20  # first events timed per target per round
PAUSE = 0.005  # seconds before each request
_DATA = re.compile(rb"\r\n\r\n(.*\n)?data: [^\n]*\n", re.DOTALL)


def first_event(url: str, headers: Mapping[str, str]) -> float:
    """Seconds from connecting (a new connection, `Connection: close`) to the first complete
    `data:` line of the stream."""
    parts = urlsplit(url)
    lines = [f"GET {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             "Accept: text/event-stream", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    received = b""
    start = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while not _DATA.search(received):
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError(f"{url} closed before its first event: {received[:300]!r}")
            received += chunk
        seconds = time.perf_counter() - start
    if not received.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(f"{url} answered {received[:200]!r}")
    return seconds


def first_events(urls: dict[str, str], headers: Mapping[str, str], settings: Settings
                 ) -> dict[str, Any]:  # fmt: skip
    """Per round, the median of PER_ROUND first events of each stream; the streams take turns
    request by request, so that each round's medians saw the same moments of the machine."""
    medians: dict[str, list[float]] = {name: [] for name in urls}
    for round_no in range(-1, settings.rounds):  # round -1 warms up, is not counted
        times: dict[str, list[float]] = {name: [] for name in urls}
        for i in range(PER_ROUND):
            for name in rotated(list(urls), i):
                time.sleep(PAUSE)  # what the last request left to do is done by then
                times[name].append(first_event(urls[name], headers))
        if round_no >= 0:
            for name, values in times.items():
                medians[name].append(statistics.median(values) * 1000)
    return {
        "ms": {name: Sample.of(values) for name, values in medians.items()},
        "ratio": {name: ratios(values, medians["bare"]) for name, values in medians.items()},
    }


STATUS, STATIC = "GET /api/status", "GET /static/hello.txt (the server's static handler)"
ONE_ROUTE = "GET /hello, default project (1 route)"


def measure(work: Path, settings: Settings) -> dict[str, Any]:
    """Three servers at once: the KINDS project with the references of bare_handlers.py (and
    its static/ folder on the server's own static path), the default project, and the one
    with 100 routes."""
    kinds = servers.project(work / "kinds", {"handlers": servers.KINDS}, bare=True)
    default = servers.project(work / "default", servers.DEFAULTS)
    hundred = servers.project(work / "hundred", servers.HUNDRED)
    with contextlib.ExitStack() as stack:
        k = stack.enter_context(
            servers.serve(
                kinds.venv,
                work / "home-kinds",
                {kinds.package, "bare_handlers"},
                static=kinds.path / kinds.package / "static",
            )
        )
        d = stack.enter_context(servers.serve(default.venv, work / "home-1", {default.package}))
        h = stack.enter_context(servers.serve(hundred.venv, work / "home-100", {hundred.package}))
        ns, auth = k.url(kinds.namespace), k.auth
        check("seed", Target(ns + "items/seed", auth, "", "PUT", ITEM))
        targets = {
            STATUS: Target(k.url("api/status"), auth, ""),
            STATIC: Target(k.url("static/hello.txt"), auth, ""),
            ONE_ROUTE: Target(d.url(default.namespace + "hello"), d.auth, ""),
            "GET /hello": Target(ns + "hello", auth, STATUS),
            "GET /items/{item_id}": Target(ns + "items/seed", auth, STATUS),
            "PUT /items/{item_id} (schema-checked body)":
                Target(ns + "items/seed", auth, STATUS, "PUT", ITEM),
            "POST /items (schema-checked body)":
                Target(ns + "items", auth, STATUS, "POST", ITEM, 201),
            "GET /assets/hello.txt (STATIC)": Target(ns + "assets/hello.txt", auth, STATIC),
            "GET /hello, 100 routes (the last one)":
                Target(h.url(hundred.namespace + "hello"), h.auth, ONE_ROUTE),
        }  # fmt: skip
        requests = request_rates(targets, settings)
        ws = {"generated": ns + "rooms/", "bare": k.url("bare/ws/")}
        sockets = socket_rates({n: u.replace("http://", "ws://", 1) for n, u in ws.items()},
                               auth, settings)  # fmt: skip
        streams = {"generated": ns + "jobs/bench/progress", "bare": k.url("bare/events"),
                   "jupyter_server": k.url("bare/server-events")}  # fmt: skip
        events = first_events(streams, auth, settings)
    return {"requests": requests, "websocket": sockets, "events": events}
