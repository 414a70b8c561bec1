"""docs/benchmarks.md and its figure, from one run's results: the goals with their verdicts,
then a table per measurement with what it measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import Sample
from servers import KINDS

FIGURE = "benchmarks-goals.png"
X, INF = "{:.2f}", float("inf")
JSON_ROUTES = ("GET /hello", "GET /items/{item_id}", "PUT /items/{item_id} (schema-checked body)")


@dataclass(frozen=True)
class Goal:
    name: str
    short: str  # its label in the figure
    goal: str
    bounds: tuple[float, float]  # a median within them meets the goal
    parts: list[tuple[str, Sample]]  # (label, rounds): the goal asks it of every part
    fmt: str = X
    unit: str = "x"

    def ok(self, value: float) -> bool:
        return self.bounds[0] <= value <= self.bounds[1]

    def figure(self) -> str:
        return "; ".join(
            f"{label} {s.show(self.fmt, self.unit)}".strip() for label, s in self.parts
        )

    def verdict(self) -> str:
        values = [v for _, sample in self.parts for v in sample.values]
        met, n = sum(self.ok(v) for v in values), len(values)
        missed = [(label, s.median) for label, s in self.parts if not self.ok(s.median)]
        if missed:  # the median to one more digit than shown: 0.949x is not 0.95x
            by = ", ".join(f"{label} {m:.3f}{self.unit}".strip() for label, m in missed)
            return f"**missed**: {by} ({met} of {n} rounds met it)"
        return "met" if met == n else f"met by the median ({met} of {n} rounds)"


def goals(r: dict[str, Any]) -> list[Goal]:
    """The goals of the sections measured, each once."""
    found = []
    if "bake" in r:
        bake = [("", r["bake"]["ratio"]["bake, defaults (1 route)"])]
        name = "Bake with its load check (defaults) ÷ `import jupyter_server.serverapp`"
        found.append(Goal(name, "bake", "< 1.5x", (0, 1.5), bake))
    if "green" in r:
        green = [(name, r["green"][name]["total"]) for name in ("pip", "uv")]
        name = "Time to green: bake + venv + install + generated `pytest`"
        found.append(Goal(name, "time to green", "< 30 s", (0, 30), green, "{:.1f}", " s"))
    if "startup" in r:
        share = [("", r["startup"]["in_process"]["1 route"].scaled(1000))]
        name = "Startup added by the extension (import + link + load in the server process)"
        found.append(Goal(name, "startup", "< 50 ms", (-INF, 50), share, "{:.1f}", " ms"))
    if "load" in r:
        ratio = r["load"]["requests"]["ratio"]
        routes = [(name, ratio[name]) for name in JSON_ROUTES]
        name = "Requests/s of generated JSON routes ÷ `GET /api/status`"
        found.append(Goal(name, "JSON", "≥ 0.95x", (0.95, INF), routes))
        post = [("", ratio["POST /items (schema-checked body)"])]
        name = "Requests/s of `POST /items` (schema-checked body) ÷ `GET /api/status`"
        found.append(Goal(name, "POST", "≥ 0.95x", (0.95, INF), post))
        static = [("", ratio["GET /assets/hello.txt (STATIC)"])]
        name = "Requests/s of a STATIC file ÷ the same file from the server's own static handler"
        found.append(Goal(name, "STATIC", "≥ 0.9x", (0.9, INF), static))
    if {"bake", "startup", "load"} <= set(r):
        last = r["load"]["requests"]["ratio"]["GET /hello, 100 routes (the last one)"]
        scaling = [("bake", r["bake"]["hundred"]), ("startup", r["startup"]["hundred"]),
                   ("requests/s of `GET /hello`", last)]  # fmt: skip
        name = "Route-table scaling: 100 routes ÷ 1 route"
        found.append(Goal(name, "100 routes", "0.9x to 1.1x", (0.9, 1.1), scaling))
    if "load" in r:
        sockets = list(r["load"]["websocket"]["ratio"].items())
        name = "WebSocket messages/s: generated ÷ bare Tornado"
        found.append(Goal(name, "WebSocket", "≥ 0.9x", (0.9, INF), sockets))
        first = [("", r["load"]["events"]["ratio"]["generated"])]
        name = "Event stream, time to the first event: generated ÷ bare Tornado"
        found.append(Goal(name, "event stream", "≤ 1.5x", (0, 1.5), first))
    return found


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def figure(r: dict[str, Any], path: Path) -> bool:
    """Each round of each ratio goal as a dot, its median as a bar, the goal's bounds in red."""
    rows = [(f"{g.short}: {label}" if label else g.short, s, g)
            for g in goals(r) if g.unit == "x" for label, s in g.parts]  # fmt: skip
    if not rows:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 1 + 0.35 * len(rows)))
    for y, (_label, sample, goal) in enumerate(rows):
        ax.scatter(sample.values, [y] * len(sample.values), s=12, alpha=0.5, color="tab:blue")
        ax.plot([sample.median] * 2, [y - 0.3, y + 0.3], color="black", linewidth=2)
        for bound in (b for b in goal.bounds if 0 < b < INF):
            ax.plot([bound] * 2, [y - 0.4, y + 0.4], color="tab:red", linewidth=1)
    ax.set_yticks(range(len(rows)), [row[0].replace("`", "") for row in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ratio (dots: rounds; black: median; red: the goal's bound)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def render(r: dict[str, Any], figure_name: str | None) -> str:
    s = r["settings"]
    run = (f"Commit measured: `{r['commit']['commit']}` ({r['commit']['date']}). Run: {r['date']}, "
           f"{'`--quick`' if r['quick'] else 'full'} settings, {r['minutes']:.0f} minutes.")  # fmt: skip
    rows = [[g.name, g.figure(), g.goal, g.verdict()] for g in goals(r)]
    parts = [INTRO, run, "## Goals", table(["Measure", MEDIAN, "Goal", "Verdict"], rows)]
    if figure_name:
        parts.append(f"![Each round of each ratio goal]({figure_name})")
    for key, title, note, render_table in SECTIONS:
        if key in r:
            parts += [f"## {title}", note.format(**s, kinds=KINDS), render_table(r[key])]
    parts += ["## Machine", table(["", ""], [[k, v] for k, v in r["machine"].items()])]
    return "\n\n".join(parts) + "\n"


MEDIAN = "Median (min\u2013max, rounds)"
INTRO = """\
# Benchmarks

<!-- Written by benchmarks/run.py from one run; change the text in benchmarks/page.py. -->

What the template costs: how long it takes to bake, how long a new user waits for a passing test
suite, and what a generated extension costs a running `jupyter server`. Every figure on this page
comes from one run of

```bash
.venv/bin/python benchmarks/run.py
```

in the template's test environment with matplotlib (`.venv/bin/pip install --group bench`);
`--quick` runs fewer rounds, for trying changes. It measures the template as committed (an export
of the commit, not the working tree), installs `wrk` with apt-get when it is missing, uses the
server venvs that `tests/support.py` caches, and binds every server to 127.0.0.1.

The machine is shared and noisy, so what is compared is measured side by side, in rounds, the
order rotated each round; each ratio or difference is taken within a round, and a figure is the
median over the rounds, with their min\u2013max and number in brackets. A goal is met when the
median meets it; the verdict says in how many rounds it was met. A median within a few per cent
of its goal can land on the other side in another run, the more so when other work keeps the
machine busy (its load averages are at the end)."""


def bake_table(b: dict[str, Any]) -> str:
    floor = next(iter(b["seconds"]))
    return table(["Run", "Seconds", "÷ the import (per round)"], [
        [f"`{n}`" if n == floor else n, s.show(unit=" s"),
         "reference" if n == floor else b["ratio"][n].show(X, "x")]
        for n, s in b["seconds"].items()])  # fmt: skip


def green_table(g: dict[str, Any]) -> str:
    return table(["Step", "pip", "uv"], [
        [f"**{step}**" if step == "total" else step,
         *(g[name][step].show("{:.1f}", " s") for name in ("pip", "uv"))]
        for step in ("bake", "create venv", "install", "pytest", "total")])  # fmt: skip


def startup_table(st: dict[str, Any]) -> str:
    starts = table(["`jupyter server` with", "Start to first 200 on /api/status"],
                   [[n, s.show(unit=" s")] for n, s in st["seconds"].items()])  # fmt: skip
    added = st["added"].scaled(1000).show("{:.0f}", " ms")
    probe = table(["Extension", "import + link + load in the server process"],
                  [[n, s.scaled(1000).show("{:.1f}", " ms")]
                   for n, s in st["in_process"].items()])  # fmt: skip
    return f"{starts}\n\nAdded by the default project, start by start: {added}.\n\n{probe}"


def load_tables(load: dict[str, Any]) -> str:
    q, w, e = load["requests"], load["websocket"], load["events"]
    requests = table(["Target", "Requests/s", "p50 latency", "p99 latency", "÷ its reference"], [
        [n, rate.show("{:,.0f}", "/s"), q["p50_ms"][n].show("{:.1f}", " ms"),
         q["p99_ms"][n].show("{:.1f}", " ms"),
         f"{q['ratio'][n].show(X, 'x')} of {q['reference'][n]}" if q["reference"][n] else "reference"]
        for n, rate in q["rate"].items()])  # fmt: skip
    sockets = table(["Connections", "Generated", "Bare Tornado", "Generated ÷ bare (per round)"], [
        [mode, rates["generated"].show("{:,.0f}", "/s"), rates["bare"].show("{:,.0f}", "/s"),
         w["ratio"][mode].show(X, "x")] for mode, rates in w["rate"].items()])  # fmt: skip
    streams = table(["Stream", "First event (median of a round)", "÷ bare Tornado (per round)"], [
        [STREAMS[n], s.show("{:.3f}", " ms"), "reference" if n == "bare" else e["ratio"][n].show(X, "x")]
        for n, s in e["ms"].items()])  # fmt: skip
    return "\n\n".join([requests, SOCKETS, sockets, EVENTS, streams])


STREAMS = {"generated": "generated `SSE /jobs/{job_id}/progress`", "bare": "bare Tornado handler",
           "jupyter_server": "jupyter_server `APIHandler`, `@web.authenticated` + `@authorized`"}  # fmt: skip
SOCKETS = """\
### WebSocket messages/s

Through the generated `WS /rooms/{room_id}` and through a bare `tornado.websocket.WebSocketHandler`
in the same server doing the same JSON work (decode; answer echo, greeting, path and count;
encode). The client is Tornado's `websocket_connect` in the benchmark process, request/response
(each connection sends a message and waits for its answer): one connection with 4,000 messages,
then four at once with 1,500 each, a room each. The two handlers run back to back in each round,
which goes first alternating."""
EVENTS = """\
### Event stream: time to the first event

From connecting (a new connection per request, `Connection: close`) to the first complete `data:`
line, 20 requests per stream per round, the streams taking turns request by request, 5 ms apart
(so that what a request left to do, such as logging it, is done before the next). The baked
example pauses 0.2 s before each event, a stand-in for work: the benchmark's copy does not pause
before the first one. The third stream sends the same event from a plain jupyter_server
`APIHandler` with the generated route's decorators: what any authenticated route of the server
takes."""

SECTIONS: list[tuple[str, str, str, Callable[[Any], str]]] = [
    (
        "bake",
        "Bake",
        """\
`cookiecutter --no-input` of the commit (`tests/support.bake`) with the post-generation load check
(the default: it imports jupyter_server and starts a `ServerApp` in a subprocess) and without it
(`_verify_load=no`), beside `python -c "import jupyter_server.serverapp"` with the same Python in
the same rounds, the load check's floor. Rounds: {repeats}, after an uncounted one.""",
        bake_table,
    ),
    (
        "green",
        "Time to green",
        """\
What a new user waits for: bake the defaults (load check included), create a venv in the project
(`python -m venv .venv` or `uv venv`), install the project with its test extra (`.venv/bin/pip
install -e ".[test]"` or `uv pip install -e ".[test]"`, each installer with its own
configuration), run the generated `pytest`. Rounds: {green_rounds} of each installer, which goes
first alternating, after an uncounted one of each that fills their caches. uv does not compile
bytecode while it installs; the first `pytest` does.""",
        green_table,
    ),
    (
        "startup",
        "Startup",
        """\
Wall time from starting `jupyter server` (127.0.0.1, token auth) to its first 200 on
`/api/status`, probed every 5 ms: with no extension, with the default project (one route) and
with a project of 100 routes, each installed (editable) in an overlay venv of its own on the
tests' cached 'modern' venv with nothing else enabled (the server log is checked for exactly the
expected extensions). Rounds: {starts}, after an uncounted one. Whole starts vary by more than
the extension's share, so the goal is timed inside the process: a `ServerApp` initialized with no
extension, then the package added, linked and loaded as a server does at startup (for 100
routes, that includes importing 100 handler modules).""",
        startup_table,
    ),
    (
        "load",
        "Requests, WebSocket, event stream",
        """\
Three servers run at once: one with a project baked with `handlers="{kinds}"` and the references
of `benchmarks/bare_handlers.py` (and the project's `static/` folder on the server's own static
path, `ServerApp.extra_static_paths`), one with the default project, and one with the 100-route
project, whose last route is the default one, `GET /hello`.

### Requests/s

`wrk -t1 -c{connections} -d{seconds}s` with the token header (one wrk thread: the single-threaded
server has the other core). Request bodies are `{{"name": "benchmark item", "tags": ["a", "b"]}}`,
checked against the generated `NEW_ITEM` schema. Rounds: {rounds}; in each, every target runs
once, the order rotated, right between two runs of its reference, and is divided by their mean
(the load of a shared machine changes within seconds). A socket error or an unexpected status
fails the run.""",
        load_tables,
    ),
]
