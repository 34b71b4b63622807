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
    # What an agent going off duty does with what they hold: ``finish`` it (a call is never
    # passed on), or ``handover`` as the team server does at a shift end (Dispatcher.end_shift).
    shift_end: str = "finish"


SHIFT_END_CHOICES = ("finish", "handover")


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
    # Moves at a shift end (``handover``): to a colleague, or into the queue mid-service, and
    # the seconds spent there until someone took it up again (the first wait not included).
    handed_over: int = 0
    requeued: int = 0
    rewait_s: float = 0.0

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
    # Contacts handed into the queue mid-service that nobody took up before the trace ended.
    still_requeued: int = 0
