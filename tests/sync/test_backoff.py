"""Retry delays: grow exponentially, stop growing at the cap, jitter over the whole range."""

from __future__ import annotations

import random

import pytest

from relaydesk.sync.backoff import Backoff


def test_ceiling_doubles_then_stays_at_the_cap() -> None:
    highest = Backoff(base_s=0.5, cap_s=10.0, draw=lambda _low, high: high)
    delays = [highest.next_delay() for _ in range(8)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


def test_full_jitter_spreads_delays_between_zero_and_the_ceiling() -> None:
    rng = random.Random(7)
    backoff = Backoff(base_s=1.0, cap_s=8.0, draw=rng.uniform)
    for _ in range(4):
        backoff.next_delay()
    delays = []
    for _ in range(400):
        backoff.failures = 4  # ceiling 8 s
        delays.append(backoff.next_delay())
    assert all(0.0 <= d <= 8.0 for d in delays)
    # many workstations losing the server together come back spread out, not in lock-step
    assert min(delays) < 1.0 and max(delays) > 7.0


def test_a_long_outage_never_overflows() -> None:
    backoff = Backoff(base_s=1.0, cap_s=30.0, draw=lambda _low, high: high)
    backoff.failures = 10_000
    assert backoff.next_delay() == 30.0


def test_success_starts_over() -> None:
    backoff = Backoff(base_s=0.5, cap_s=10.0, draw=lambda _low, high: high)
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_nonsense_settings_are_named() -> None:
    with pytest.raises(ValueError, match="cap_s >= base_s"):
        Backoff(base_s=5.0, cap_s=1.0)
