"""The figures a replay is judged by, computed from its per-contact outcomes.

Waits are those of answered contacts (arrival to answer); contacts who left or were never
answered count in ``abandon_rate`` / ``unanswered`` and as misses in ``service_level_20s``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from relaydesk.sim.outcomes import ReplayResult

SERVICE_LEVEL_TARGET_S = 20.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Metrics:
    """One policy's figures; ``to_document()`` is what the JSON report holds."""

    policy: str
    contacts: int
    served: int
    abandoned: int
    unanswered: int
    abandon_rate: float
    wait_mean_s: float
    wait_p50_s: float
    wait_p95_s: float
    wait_p95_by_priority: dict[str, float]
    service_level_20s: float
    max_agent_share: float
    load_cv: float
    sticky_rate: float
    returning_served: int
    handoffs: int
    warnings: dict[str, int]

    def to_document(self) -> dict[str, object]:
        return asdict(self)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def compute(result: ReplayResult) -> Metrics:
    """Figures for one replay (see docs/sim.md for each definition)."""
    outcomes = result.outcomes
    waits = [w for o in outcomes if (w := o.wait_s) is not None]
    abandoned = sum(1 for o in outcomes if o.abandoned_at is not None)
    by_priority: dict[int, list[float]] = {}
    for o in outcomes:
        by_priority.setdefault(o.contact.priority, [])
        if (w := o.wait_s) is not None:
            by_priority[o.contact.priority].append(w)
    within = sum(1 for w in waits if w <= SERVICE_LEVEL_TARGET_S)

    served_by = dict.fromkeys(result.agent_ids, 0)
    for o in outcomes:
        if o.agent_id is not None and o.answered_at is not None:
            served_by[o.agent_id] = served_by.get(o.agent_id, 0) + 1
    counts = list(served_by.values())
    mean_count = statistics.fmean(counts) if counts else 0.0
    busy = list(result.busy_s.values())
    busy_mean = statistics.fmean(busy) if busy else 0.0
    load_cv = _ratio(statistics.pstdev(busy), busy_mean) if len(busy) > 1 else 0.0

    returning = [o for o in outcomes if o.previous_agent_id is not None and o.answered_at]
    sticky = sum(1 for o in returning if o.agent_id == o.previous_agent_id)
    return Metrics(
        policy=result.config.policy,
        contacts=len(outcomes),
        served=len(waits),
        abandoned=abandoned,
        unanswered=len(outcomes) - len(waits) - abandoned,
        abandon_rate=_ratio(abandoned, len(outcomes)),
        wait_mean_s=statistics.fmean(waits) if waits else 0.0,
        wait_p50_s=percentile(waits, 50),
        wait_p95_s=percentile(waits, 95),
        wait_p95_by_priority={str(p): percentile(w, 95) for p, w in sorted(by_priority.items())},
        service_level_20s=_ratio(within, len(outcomes)),
        max_agent_share=_ratio(max(counts, default=0), mean_count),
        load_cv=load_cv,
        sticky_rate=_ratio(sticky, len(returning)),
        returning_served=len(returning),
        handoffs=result.handoffs,
        warnings=dict(sorted(result.warnings.items())),
    )


def hourly_mean_waits(result: ReplayResult) -> list[float | None]:
    """Mean wait of answered contacts by hour of day of their arrival (24 values, None: none)."""
    sums = [0.0] * 24
    counts = [0] * 24
    for o in result.outcomes:
        if (w := o.wait_s) is not None:
            hour = int(o.contact.arrival // 3600) % 24
            sums[hour] += w
            counts[hour] += 1
    return [s / n if n else None for s, n in zip(sums, counts, strict=True)]
