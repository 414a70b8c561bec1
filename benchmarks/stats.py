"""Repeated measurements summarized as median and spread, and paired ratios between them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """Several runs of one figure (seconds, requests/s, a ratio, ...)."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Sample:
        if not values:
            raise ValueError("a sample needs at least one value")
        return cls(tuple(float(v) for v in values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def n(self) -> int:
        return len(self.values)

    def scaled(self, factor: float) -> Sample:
        """The same runs in another unit (e.g. seconds * 1000 for milliseconds)."""
        return Sample.of([v * factor for v in self.values])

    def show(self, fmt: str = "{:.2f}", unit: str = "") -> str:
        """'1.23 s (1.10-1.40, n=5)': median, then min-max over the runs."""
        median = fmt.format(self.median)
        if self.n == 1:
            return f"{median}{unit} (n=1)"
        spread = f"{fmt.format(self.low)}\u2013{fmt.format(self.high)}"  # en dash: min-max
        return f"{median}{unit} ({spread}, n={self.n})"

    def to_json(self) -> dict[str, object]:
        return {"median": self.median, "min": self.low, "max": self.high, "values": self.values}


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> Sample:
    """Ratios of runs taken side by side (round i over round i): load drift cancels out."""
    if len(numerators) != len(denominators):
        raise ValueError("paired samples need the same number of runs")
    return Sample.of([a / b for a, b in zip(numerators, denominators, strict=True)])


def paired_difference(minuends: Sequence[float], subtrahends: Sequence[float]) -> Sample:
    if len(minuends) != len(subtrahends):
        raise ValueError("paired samples need the same number of runs")
    return Sample.of([a - b for a, b in zip(minuends, subtrahends, strict=True)])
