"""What a replay produced: its settings, each contact's fate, and each agent's busy time."""

from __future__ import annotations

from dataclasses import dataclass, field

from relaydesk.sim.trace import TraceContact


@dataclass(frozen=True, slots=True)
class ReplayConfig:
    """How to replay: the routing policy, the agents' capacity and how concurrency slows them."""

    policy: str = "load_aware"
    capacity: int = 1
    slowdown: float = 0.0
    use_skills: bool = False
    seed: int = 0
    # How long a returning caller is held for their previous agent when that agent is busy. The
    # product's default (60 s) suits chat, where a slot frees within seconds; on a call trace the
    # previous agent is mid-call for minutes, so a hold costs the whole grace (see docs/sim.md).
    sticky_grace_s: float = 0.0
    # The load model's day term (docs/routing.md): 1 is the product's default, 0 turns it off.
    day_weight: float = 1.0


@dataclass(slots=True)
class ContactOutcome:
    """What happened to one contact in the replay."""

    contact: TraceContact
    returning: bool = False
    previous_agent_id: str | None = None
    answered_at: float | None = None
    agent_id: str | None = None
    abandoned_at: float | None = None
    closed_at: float | None = None

    @property
    def wait_s(self) -> float | None:
        """Seconds from arrival to answer; ``None`` for a contact nobody answered."""
        return None if self.answered_at is None else self.answered_at - self.contact.arrival


@dataclass(slots=True)
class ReplayResult:
    config: ReplayConfig
    outcomes: list[ContactOutcome]
    agent_ids: tuple[str, ...]
    busy_s: dict[str, float]
    handoffs: int = 0
    warnings: dict[str, int] = field(default_factory=dict)
