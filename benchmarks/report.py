"""Turn measured samples into tables: the headline (goals), one table per figure, the machine.

`tables(results)` yields (section key, title, markdown table); run.py prints them, and page.py
puts them into docs/benchmarks.md with the prose around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from stats import Sample

SECONDS, MS, RATE, RATIO = "{:.2f}", "{:.0f}", "{:,.0f}", "{:.2f}"


@dataclass(frozen=True)
class Goal:
    figure: str
    sample: Sample
    fmt: str
    unit: str
    goal: str
    ok: Callable[[float], bool]

    def verdict(self) -> str:
        passed = sum(self.ok(v) for v in self.sample.values)
        median_ok = self.ok(self.sample.median)
        if passed == self.sample.n:
            return "met"
        if passed == 0 and not median_ok:
            return "**missed**"
        median = "met" if median_ok else "**missed**"
        return f"{median} by the median ({passed} of {self.sample.n} runs met it)"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def goals(results: dict[str, Any]) -> list[Goal]:
    found = []
    if "bake" in results:
        for table in ("defaults", "10 routes"):
            found.append(Goal(
                f"Bake ({table}) with load check ÷ bare `import jupyter_server.serverapp`",
                results["bake"]["ratios"][f"bake {table}, with load check"], RATIO, "x",
                "< 1.5x", lambda v: v < 1.5,
            ))  # fmt: skip
    if "green" in results:
        found.append(Goal(
            "Time to green (defaults, after a warm-up download): bake + venv + pip install + pytest",
            results["green"]["total"], SECONDS, " s", "< 30 s", lambda v: v < 30,
        ))  # fmt: skip
    if "startup" in results:
        found.append(Goal(
            "Startup added by the extension: wall time to first 200 on /api/status (paired)",
            results["startup"]["added"].scaled(1000), MS, " ms", "< 50 ms", lambda v: v < 50,
        ))  # fmt: skip
        found.append(Goal(
            "Startup added by the extension: import + link + load inside the server process",
            results["startup"]["in_process_total"].scaled(1000), "{:.1f}", " ms", "< 50 ms",
            lambda v: v < 50,
        ))  # fmt: skip
    if "requests" in results:
        requests = results["requests"]
        for name in ("generated GET /items (plain)", "generated GET /hello (to_thread)"):
            found.append(Goal(
                f"Requests/s: {name} ÷ /api/status", requests["ratio"][name], RATIO, "x",
                "≥ 0.95x", lambda v: v >= 0.95,
            ))  # fmt: skip
    if "scaling" in results:
        scaling, most = results["scaling"], max(results["scaling"]["bake"])
        rates = scaling["requests"]["ratio"]
        flat = [
            (f"Bake with load check, {most} routes ÷ 1 route", scaling["ratio"]["bake"][most]),
            (f"Startup wall time, {most} routes ÷ 1 route", scaling["ratio"]["startup"][most]),
            (f"Requests/s of the first route, {most} routes ÷ 1 route",
             rates[f"{most} routes: first"]),
            (f"Requests/s of the last route, {most} routes ÷ 10 routes",
             rates[f"{most} routes: last"]),
        ]  # fmt: skip
        for figure, sample in flat:
            found.append(Goal(
                figure, sample, RATIO, "x", "flat: 0.9x to 1.1x", lambda v: 0.9 <= v <= 1.1
            ))  # fmt: skip
        found.append(Goal(
            f"Startup added by a {most}-route extension: import + link + load in-process",
            scaling["in_process"][most].scaled(1000), "{:.1f}", " ms", "< 50 ms",
            lambda v: v < 50,
        ))  # fmt: skip
    return found


def headline(results: dict[str, Any]) -> str:
    rows = [[g.figure, g.sample.show(g.fmt, g.unit), g.goal, g.verdict()] for g in goals(results)]
    return markdown_table(["Figure", "Median (min\u2013max, runs)", "Goal", "Verdict"], rows)


def bake_table(bake: dict[str, Any]) -> str:
    rows = []
    for name, sample in bake["times"].items():
        ratio = bake["ratios"][name].show(RATIO, "x") if name in bake["ratios"] else "reference"
        rows.append([name, sample.show(SECONDS, " s"), ratio])
    return markdown_table(["Run", "Seconds", "÷ bare import (paired)"], rows)


def green_table(green: dict[str, Any]) -> str:
    rows = [[step, sample.show(SECONDS, " s")] for step, sample in green["steps"].items()]
    rows.append(["**total**", green["total"].show(SECONDS, " s")])
    return markdown_table(["Step", "Seconds"], rows)


def startup_table(startup: dict[str, Any]) -> str:
    rows = [
        [name, wall.show(SECONDS, " s"), startup["cpu"][name].show(SECONDS, " s")]
        for name, wall in startup["times"].items()
    ]
    rows.append([
        "added by the extension (paired)", startup["added"].scaled(1000).show(MS, " ms"),
        startup["added_cpu"].scaled(1000).show(MS, " ms"),
    ])  # fmt: skip
    table = markdown_table(
        ["`jupyter server`", "Wall: start to first 200 on /api/status", "CPU time by then"], rows
    )
    probe = [
        [f"`{step}`", sample.scaled(1000).show("{:.1f}", " ms")]
        for step, sample in startup["in_process"].items()
    ]
    probe.append(["**total**", startup["in_process_total"].scaled(1000).show("{:.1f}", " ms")])
    return table + "\n\n" + markdown_table(["Step inside the server process", "Time"], probe)


def ratio_cell(sample: Sample) -> str:
    """A ratio, or 'reference' for the target the others are divided by."""
    return "reference" if set(sample.values) == {1.0} else sample.show(RATIO, "x")


def requests_table(requests: dict[str, Any], ratio_columns: dict[str, str]) -> str:
    header = ["Target", "Requests/s", "p50 latency", "p99 latency", *ratio_columns]
    rows = []
    for name, rate in requests["rate"].items():
        rows.append([
            name, rate.show(RATE, "/s"), requests["p50_ms"][name].show("{:.1f}", " ms"),
            requests["p99_ms"][name].show("{:.1f}", " ms"),
            *(ratio_cell(requests[key][name]) for key in ratio_columns.values()),
        ])  # fmt: skip
    return markdown_table(header, rows)


def cpu_table(requests: dict[str, Any], ratio_columns: dict[str, str]) -> str:
    header = ["Target", "Requests per CPU-second of the server", *ratio_columns]
    rows = [
        [
            name,
            sample.show(RATE),
            *(ratio_cell(requests[key][name]) for key in ratio_columns.values()),
        ]
        for name, sample in requests["per_cpu"].items()
    ]
    return markdown_table(header, rows)


def scaling_table(scaling: dict[str, Any]) -> str:
    counts = list(scaling["bake"])
    rows = []
    for count in counts:
        row = [str(count)]
        for key in ("bake", "startup", "startup_cpu"):
            row += [
                scaling[key][count].show(SECONDS, " s"),
                ratio_cell(scaling["ratio"][key][count]),
            ]
        row.append(scaling["in_process"][count].scaled(1000).show("{:.1f}", " ms"))
        rows.append(row)
    ratio = f"÷ {counts[0]} route"
    header = ["Routes", "Bake (with load check)", ratio, "Startup: wall to first 200", ratio,
              "Startup: CPU time", ratio, "Extension import + link + load"]  # fmt: skip
    return markdown_table(header, rows)


def machine_table(facts: dict[str, str]) -> str:
    return markdown_table(["", ""], [[key, value] for key, value in facts.items()])


def tables(results: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(section key, title, table) for every section that was measured."""
    yield "headline", "Headline", headline(results)
    if "bake" in results:
        yield "bake", "1. Bake time", bake_table(results["bake"])
    if "green" in results:
        yield "green", "2. Time to green", green_table(results["green"])
    if "startup" in results:
        yield "startup", "3. Startup cost", startup_table(results["startup"])
    if "requests" in results:
        columns = {"÷ /api/status": "ratio", "÷ bare Tornado": "ratio_to_hello"}
        yield "requests", "4. Request cost", requests_table(results["requests"], columns)
        columns = {"÷ /api/status": "ratio_cpu", "÷ bare Tornado": "ratio_cpu_to_hello"}
        yield (
            "requests-cpu",
            "4. Request cost by server CPU time",
            cpu_table(results["requests"], columns),
        )
    if "scaling" in results:
        yield (
            "scaling",
            "5. Route-table scaling: bake and startup",
            scaling_table(results["scaling"]),
        )
        same = "÷ same route, fewest routes"
        scaling_requests = results["scaling"]["requests"]
        yield (
            "scaling-requests", "5. Route-table scaling: request rate",
            requests_table(scaling_requests, {same: "ratio"}),
        )  # fmt: skip
        yield (
            "scaling-cpu", "5. Route-table scaling: requests per server CPU-second",
            cpu_table(scaling_requests, {same: "ratio_cpu"}),
        )  # fmt: skip
    yield "machine", "Machine", machine_table(results["machine"])
