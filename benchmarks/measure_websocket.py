"""7. WebSocket messages/s: the generated handler ÷ a bare Tornado WebSocketHandler, in one server.

The generated WS /rooms/{room_id} and bare_handlers.BareSocket both decode each JSON message,
answer it (echo, greeting, path parameters, count) and encode the answer; they run in the same
`jupyter server` (kinds_server.py). The client is Tornado's websocket_connect in this process,
request/response: each connection sends a message and waits for its answer before sending the
next, with one connection, then several at once, each on its own room (so no answer is passed on
to a peer). Connections open before the clock starts; the client sends one pre-encoded message
and decodes only the last answer, to keep its own share of the two cores small.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import kinds_server
from common import Settings, cpu_seconds, log
from stats import Sample, paired_ratio
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

GENERATED = "generated WS /rooms/{room_id}"
BARE = "bare Tornado WebSocketHandler"
MODES = {"1 connection": (1, 6000), "4 connections": (4, 2500)}  # connections, messages each
MESSAGE = json.dumps({"text": "hello", "n": 1, "tags": ["a", "b"]})
RUN_TIMEOUT = 120  # seconds for one run, a bound far above what it takes


async def _exchange(connection: WebSocketClientConnection, messages: int) -> Any:
    answer = None
    for _ in range(messages):
        await connection.write_message(MESSAGE)
        answer = await connection.read_message()
        if answer is None:
            raise RuntimeError("the server closed the WebSocket")
    return json.loads(answer or "null")


async def _run(
    urls: list[str], headers: dict[str, str], messages: int, pid: int
) -> tuple[float, float]:
    """(seconds, server CPU seconds) for `messages` request/response exchanges on each URL."""
    requests = [
        HTTPRequest(u, headers=headers, connect_timeout=10, request_timeout=10) for u in urls
    ]
    connections = [await websocket_connect(request) for request in requests]
    try:
        cpu, start = cpu_seconds(pid), time.perf_counter()
        answers = await asyncio.gather(*(_exchange(c, messages) for c in connections))
        seconds, cpu = time.perf_counter() - start, cpu_seconds(pid) - cpu
    finally:
        for connection in connections:
            connection.close()
    for answer in answers:
        if answer["echo"] != json.loads(MESSAGE) or answer["count"] < messages:
            raise RuntimeError(f"unexpected answer {answer}")
    return seconds, cpu


def run(urls: list[str], headers: dict[str, str], messages: int, pid: int) -> tuple[float, float]:
    return asyncio.run(asyncio.wait_for(_run(urls, headers, messages, pid), RUN_TIMEOUT))


def measure(work: Path, settings: Settings) -> dict[str, Any]:
    n_rounds = 2 * settings.wrk_rounds  # runs are short: twice the rounds of the HTTP sections
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {
        mode: {GENERATED: [], BARE: []} for mode in MODES
    }
    with kinds_server.serve(work) as served:
        ws_root = served.server.root.replace("http://", "ws://", 1).rstrip("/")
        bases = {
            GENERATED: served.url("/rooms/").replace("http://", "ws://", 1),
            BARE: f"{ws_root}/bench-bare/ws/",
        }
        for round_no in range(-1, n_rounds):  # round -1: an uncounted warm-up
            log(f"websocket: round {round_no + 1}/{n_rounds} (0: warm-up)")
            for mode, (count, messages) in MODES.items():
                # generated and bare back to back, which goes first alternating by round
                for name in (GENERATED, BARE)[:: 1 if round_no % 2 else -1]:
                    urls = [f"{bases[name]}c{i}" for i in range(count)]
                    result = run(urls, served.server.auth, messages, served.pid)
                    if round_no >= 0:
                        runs[mode][name].append(result)
    result: dict[str, Any] = {"rate": {}, "per_cpu": {}, "ratio": {}, "ratio_cpu": {}}
    for mode, by_name in runs.items():
        count, messages = MODES[mode]
        rate = {n: [count * messages / s for s, _ in rs] for n, rs in by_name.items()}
        per_cpu = {n: [count * messages / c for _, c in rs] for n, rs in by_name.items()}
        result["rate"][mode] = {n: Sample.of(v) for n, v in rate.items()}
        result["per_cpu"][mode] = {n: Sample.of(v) for n, v in per_cpu.items()}
        result["ratio"][mode] = paired_ratio(rate[GENERATED], rate[BARE])
        result["ratio_cpu"][mode] = paired_ratio(per_cpu[GENERATED], per_cpu[BARE])
    return result
