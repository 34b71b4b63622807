"""Retry delays: exponential growth, capped, with full jitter.

Full jitter (a uniform draw between 0 and the capped exponential) spreads the retries of many
workstations that lost the server at the same moment, so they do not all return at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """The delay before the next try; ``reset()`` after a success."""

    base_s: float = 0.5
    cap_s: float = 30.0
    factor: float = 2.0
    draw: Callable[[float, float], float] = field(default=random.uniform, repr=False)
    failures: int = 0

    def __post_init__(self) -> None:
        if self.base_s <= 0 or self.cap_s < self.base_s or self.factor < 1:
            raise ValueError(
                "backoff needs base_s > 0, cap_s >= base_s and factor >= 1, got "
                f"base_s={self.base_s}, cap_s={self.cap_s}, factor={self.factor}"
            )

    def ceiling(self) -> float:
        """The largest delay the next failure may wait: base·factor^failures, capped."""
        # Cap the exponent too, so a long outage cannot overflow the float.
        exponent = min(self.failures, 64)
        return min(self.cap_s, self.base_s * self.factor**exponent)

    def next_delay(self) -> float:
        """Record a failure and return how long to wait before trying again."""
        delay = self.draw(0.0, self.ceiling())
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0
