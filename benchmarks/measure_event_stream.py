"""8. Event stream: time from sending the request to the first `data:` line of the generated SSE
route, beside a bare Tornado handler sending the same event from the same server.

Each request opens a new connection to 127.0.0.1 (raw socket, `Connection: close`), sends the
GET with the token header, and reads until the first complete `data:` line; the clock runs from
before the connect to that line. kinds_server.py patches the baked /jobs/{job_id}/progress to a
zero pause before each event; /tasks/{task_id}/progress keeps the example's 0.2 s. For scale,
/api/status is timed the same way to its complete answer.
"""

from __future__ import annotations

import re
import socket
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kinds_server
from common import Settings, log
from stats import Sample, paired_ratio

GENERATED = "generated SSE /jobs/{job_id}/progress, pause patched to 0"
BARE = "bare Tornado handler, one event"
PAUSED = "generated SSE /tasks/{task_id}/progress, the example's 0.2 s pause"
STATUS = "GET /api/status, complete answer"
PER_ROUND = 10  # requests per target per round
TIMEOUT = 10  # seconds for one request
_DATA_LINE = re.compile(rb"(^|\n)data: [^\n]*\n")


def first_event_seconds(url: str, headers: dict[str, str], until_closed: bool = False) -> float:
    """Seconds from connecting to the first `data:` line (or to the end of the answer)."""
    parts = urlsplit(url)
    lines = [f"GET {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             "Accept: text/event-stream", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    received = b""
    start = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        while until_closed or not _DATA_LINE.search(received.partition(b"\r\n\r\n")[2]):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        seconds = time.perf_counter() - start
    if not received.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(f"{url} answered {received[:200]!r}")
    if not until_closed and not _DATA_LINE.search(received):
        raise RuntimeError(f"{url} closed before its first event: {received[-300:]!r}")
    return seconds


def measure(work: Path, settings: Settings) -> dict[str, Any]:
    n_rounds = 2 * settings.wrk_rounds  # as in section 7
    with kinds_server.serve(work) as served:
        targets = {
            GENERATED: (served.url("/jobs/bench/progress"), False),
            BARE: (served.server.url("bench-bare/events"), False),
            PAUSED: (served.url("/tasks/bench/progress"), False),
            STATUS: (served.server.url("api/status"), True),
        }
        names = list(targets)
        samples: dict[str, list[list[float]]] = {name: [] for name in names}
        for round_no in range(-1, n_rounds):  # round -1: an uncounted warm-up
            log(f"event stream: round {round_no + 1}/{n_rounds} (0: warm-up)")
            shift = max(round_no, 0) % len(names)
            for name in names[shift:] + names[:shift]:
                url, until_closed = targets[name]
                times = [
                    first_event_seconds(url, served.server.auth, until_closed)
                    for _ in range(PER_ROUND)
                ]
                if round_no >= 0:
                    samples[name].append(times)
    medians = {
        name: [statistics.median(r) * 1000 for r in rounds] for name, rounds in samples.items()
    }
    pooled = {name: sorted(t * 1000 for r in rounds for t in r) for name, rounds in samples.items()}
    return {
        "median_ms": {name: Sample.of(values) for name, values in medians.items()},
        "pooled_ms": {
            name: {
                "p10": values[len(values) // 10],
                "p50": statistics.median(values),
                "p90": values[len(values) * 9 // 10],
                "n": len(values),
            }
            for name, values in pooled.items()
        },
        "ratio": paired_ratio(medians[GENERATED], medians[BARE]),
        "per_round": PER_ROUND,
    }
