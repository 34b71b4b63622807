"""The waits-across-the-day chart: mean wait by hour of arrival, one line per policy."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path


def plot_waits(
    path: Path, hourly: Mapping[str, Sequence[float | None]], title: str, note: str = ""
) -> None:
    """Write a PNG: x = hour of day, y = mean wait (log scale: policies differ by orders)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 5.5), layout="constrained")
    try:
        for policy, waits in hourly.items():
            # An hour with nobody answered is a gap in the line, not a slope to the next hour.
            axes.plot(
                range(len(waits)),
                [math.nan if w is None else max(w, 0.1) for w in waits],
                marker="o",
                markersize=3,
                label=policy,
            )
        axes.set_yscale("log")
        axes.set_xticks(range(0, 24, 2))
        axes.set_xlim(-0.5, 23.5)
        axes.set_xlabel("hour of day (arrival)")
        axes.set_ylabel("mean wait of answered contacts (s, log scale)")
        axes.set_title(title)
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
        if note:
            figure.text(0.99, 0.005, note, ha="right", va="bottom", fontsize=7, alpha=0.7)
        figure.savefig(path, dpi=120)
    finally:
        plt.close(figure)
