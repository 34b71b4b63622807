"""The figures a manager compares, computed from hand-made replay outcomes."""

from __future__ import annotations

import pytest

from relaydesk.sim.metrics import compute, hourly_mean_waits, percentile
from relaydesk.sim.outcomes import ContactOutcome, ReplayConfig, ReplayResult
from relaydesk.sim.trace import TraceContact


def _outcome(
    n: int,
    *,
    wait: float | None,
    agent: str | None = None,
    priority: int = 0,
    abandoned: bool = False,
    previous: str | None = None,
) -> ContactOutcome:
    arrival = 9 * 3600.0 + n
    contact = TraceContact(id=str(n), arrival=arrival, priority=priority, service_s=60)
    return ContactOutcome(
        contact,
        returning=previous is not None,
        previous_agent_id=previous,
        answered_at=None if wait is None else arrival + wait,
        agent_id=agent,
        abandoned_at=arrival + 30 if abandoned else None,
    )


def _result(outcomes: list[ContactOutcome], busy: dict[str, float]) -> ReplayResult:
    return ReplayResult(ReplayConfig(policy="fifo_pooled"), outcomes, tuple(busy), busy, handoffs=2)


def test_waits_service_level_and_abandonment() -> None:
    result = _result(
        [
            _outcome(1, wait=0, agent="a"),
            _outcome(2, wait=10, agent="a", priority=2),
            _outcome(3, wait=40, agent="b", priority=2),
            _outcome(4, wait=None, abandoned=True),
        ],
        {"a": 120.0, "b": 60.0},
    )
    m = compute(result)
    assert (m.contacts, m.served, m.abandoned, m.unanswered) == (4, 3, 1, 0)
    assert m.abandon_rate == 0.25
    assert m.wait_mean_s == pytest.approx(50 / 3)
    assert m.wait_p50_s == 10
    # Answered within 20 s, out of every contact (the one who left is a miss).
    assert m.service_level_20s == 0.5
    assert m.wait_p95_by_priority["2"] == pytest.approx(10 + 0.95 * 30)
    assert m.wait_p95_by_priority["0"] == 0
    assert m.handoffs == 2
    assert m.to_document()["policy"] == "fifo_pooled"


def test_fairness_figures() -> None:
    even = compute(
        _result(
            [_outcome(1, wait=0, agent="a"), _outcome(2, wait=0, agent="b")], {"a": 60, "b": 60}
        )
    )
    assert even.max_agent_share == 1.0
    assert even.load_cv == 0.0
    skewed = compute(
        _result(
            [_outcome(n, wait=0, agent="a") for n in range(3)] + [_outcome(9, wait=0, agent="b")],
            {"a": 180, "b": 60, "idle": 0},
        )
    )
    # a served 3 of 4; the mean over three on-duty agents is 4/3.
    assert skewed.max_agent_share == pytest.approx(3 / (4 / 3))
    assert skewed.load_cv > 0.5


def test_sticky_rate_counts_returning_contacts_served_by_their_previous_agent() -> None:
    m = compute(
        _result(
            [
                _outcome(1, wait=0, agent="a", previous="a"),
                _outcome(2, wait=0, agent="b", previous="a"),
                _outcome(3, wait=0, agent="b"),
                _outcome(4, wait=None, abandoned=True, previous="b"),
            ],
            {"a": 60, "b": 120},
        )
    )
    assert m.returning_served == 2
    assert m.sticky_rate == 0.5


def test_percentile_interpolates() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([0.0, 10.0], 50) == 5.0


def test_hourly_waits_by_hour_of_arrival() -> None:
    hourly = hourly_mean_waits(
        _result([_outcome(1, wait=10, agent="a"), _outcome(2, wait=30, agent="a")], {"a": 1})
    )
    assert hourly[9] == 20
    assert hourly[10] is None
