"""The request-rate plot: median requests/s per target, with min-max whiskers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stats import Sample


def _panel(axes: Any, title: str, rates: dict[str, Sample], highlight: set[str]) -> None:
    names = list(rates)
    medians = [rates[n].median for n in names]
    whiskers = [
        [rates[n].median - rates[n].low for n in names],
        [rates[n].high - rates[n].median for n in names],
    ]
    colours = ["tab:orange" if n in highlight else "tab:blue" for n in names]
    positions = range(len(names))
    axes.barh(positions, medians, xerr=whiskers, color=colours, capsize=4)
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    axes.set_xlabel("requests/s (median; whiskers: min-max)")
    axes.set_title(title, fontsize=10)
    for y, value in zip(positions, medians, strict=True):
        axes.annotate(
            f"{value:,.0f}", (value, y), xytext=(4, 6), textcoords="offset points", fontsize=8
        )


def plot(results: dict[str, Any], path: Path, subtitle: str) -> None:
    import matplotlib  # only this step needs matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = []
    if "requests" in results:
        rates = results["requests"]["rate"]
        panels.append(
            ("Request cost (same wrk settings)", rates, {n for n in rates if "generated" in n})
        )
    if "scaling" in results:
        rates = results["scaling"]["requests"]["rate"]
        panels.append(("Route-table scaling", rates, {n for n in rates if "/api/status" not in n}))
    if not panels:
        return
    figure, axes = plt.subplots(
        len(panels), 1, figsize=(9, 2.2 + 0.55 * sum(len(p[1]) for p in panels))
    )
    for ax, (title, rates, highlight) in zip(
        axes if len(panels) > 1 else [axes], panels, strict=True
    ):
        _panel(ax, title, rates, highlight)
    figure.suptitle(f"Requests/s on 127.0.0.1 ({subtitle})", fontsize=11)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
