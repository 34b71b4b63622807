"""Discrete-event replay of a trace through the routing core's :class:`Dispatcher`.

The replay plays the customers and the agents; every routing decision is the Dispatcher's. Events
in time order: duty changes from the roster, arrivals (``open_conversation``), the end of each
service (``close``), a customer's patience running out while still queued (``abandon``), and the
Dispatcher's own timers (``advance`` at ``next_due()``). The agent answers at assignment
(``agent_reply``), so reply deadlines never lapse in a trace replay. A call in progress is never
idle: while a service lasts longer than the rules' ``idle_after_s`` the agent keeps talking
(``agent_reply`` every half of it), so the routing core does not free the slot mid-call.

Shift ends (``ReplayConfig.shift_end``): with ``finish`` an agent going off duty finishes what
they hold (``set_status(away)``); with ``handover`` the Dispatcher hands it over as the team server
does (``end_shift``): a colleague who takes a conversation mid-service finishes its remaining
service (the end does not move, the busy time moves with it); one handed into the queue pauses
there, and the agent who takes it up serves the rest from then on (the pause is its ``rewait_s``).

Chat work (``capacity`` > 1): an agent serving several conversations at once works slower on each;
a conversation taken while the agent holds ``n`` (itself included) lasts
``service_s × (1 + slowdown × (n − 1))``, fixed when it is taken.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from enum import IntEnum

from relaydesk.domain.decisions import Assigned, Decision, HandedOff, Warning
from relaydesk.domain.engine import Dispatcher
from relaydesk.domain.load import LoadParams
from relaydesk.domain.models import Agent, AgentStatus, Awaiting, Conversation
from relaydesk.domain.rules import RoutingRules
from relaydesk.sim.outcomes import ContactOutcome, ReplayConfig, ReplayResult
from relaydesk.sim.roster import Roster
from relaydesk.sim.trace import TraceContact

ACCOUNT_ID = "trace"


class _Kind(IntEnum):
    """Order of simultaneous events: capacity frees before agents change duty, then arrivals."""

    SERVICE_END = 0
    DUTY = 1
    ARRIVAL = 2
    PATIENCE = 3
    STILL_TALKING = 4


class RoutingCoreError(RuntimeError):
    """The Dispatcher did something the replay cannot continue from (a bug to report)."""


class _Replay:
    def __init__(
        self,
        contacts: Sequence[TraceContact],
        roster: Roster,
        config: ReplayConfig,
        on_arrival: Callable[[], None] | None,
    ) -> None:
        self.config = config
        self.on_arrival = on_arrival
        rules = RoutingRules(
            policy=config.policy,
            default_capacity=config.capacity,
            sticky_grace_s=config.sticky_grace_s,
            load=LoadParams(day_weight=config.day_weight),
        )
        self.dispatcher = Dispatcher(rules, seed=config.seed)
        self.talk_every_s = rules.idle_after_s / 2
        self.service_end: dict[str, float] = {}  # the live end of each service in progress
        self.next_talk: dict[str, float] = {}  # the live sign of life of each long service
        # Services handed into the queue mid-way: contact -> (since, remaining service seconds).
        self.paused: dict[str, tuple[float, float]] = {}
        self.hand_over = config.shift_end == "handover"
        for agent_id in roster.agent_ids:
            self.dispatcher.add_agent(
                Agent(
                    id=agent_id,
                    name=agent_id,
                    capacity=config.capacity,
                    skills=roster.skills.get(agent_id, frozenset())
                    if config.use_skills
                    else frozenset(),
                    languages=roster.languages.get(agent_id, frozenset())
                    if config.use_skills
                    else frozenset(),
                    status=AgentStatus.OFFLINE,
                    accounts=frozenset({ACCOUNT_ID}),
                )
            )
        self.outcomes = {c.id: ContactOutcome(c) for c in contacts}
        self.result = ReplayResult(
            config,
            list(self.outcomes.values()),
            roster.agent_ids,
            dict.fromkeys(roster.agent_ids, 0.0),
        )
        self.holding: dict[str, set[str]] = {a: set() for a in roster.agent_ids}
        self.last_agent_of: dict[str, str] = {}  # customer -> who served them last in this replay
        self.seen_customers: set[str] = set()
        self.events: list[tuple[float, int, int, str, bool]] = []
        self.seq = 0
        for change in roster.changes:
            self._push(change.at, _Kind.DUTY, change.agent_id, change.on_duty)
        for c in contacts:
            self._push(c.arrival, _Kind.ARRIVAL, c.id)

    def _push(self, at: float, kind: _Kind, key: str, flag: bool = False) -> None:
        heapq.heappush(self.events, (at, int(kind), self.seq, key, flag))
        self.seq += 1

    def run(self) -> ReplayResult:
        last_due: float | None = None
        while True:
            due = self.dispatcher.next_due()
            if self.events and (due is None or self.events[0][0] < due):
                at, kind, _, key, flag = heapq.heappop(self.events)
                self._handle_event(at, _Kind(kind), key, flag)
            elif due is not None:
                if last_due is not None and due <= last_due:
                    raise RoutingCoreError(
                        f"Dispatcher.next_due() still reports {due} after advance({last_due})"
                    )
                last_due = due
                self._handle(self.dispatcher.advance(due), due)
            else:
                self.result.still_requeued = len(self.paused)
                return self.result

    def _handle_event(self, now: float, kind: _Kind, key: str, flag: bool) -> None:
        if kind is _Kind.ARRIVAL:
            self._arrive(self.outcomes[key], now)
        elif kind is _Kind.SERVICE_END:
            if self.service_end.get(key) != now:
                return  # paused by a handover into the queue: it ends later, if at all
            outcome = self.outcomes[key]
            outcome.closed_at = now
            if outcome.agent_id is not None:
                self.holding[outcome.agent_id].discard(key)
            self._handle(self.dispatcher.close(key, now), now)
        elif kind is _Kind.PATIENCE:
            outcome = self.outcomes[key]
            if outcome.answered_at is None and outcome.abandoned_at is None:
                outcome.abandoned_at = now
                self._handle(self.dispatcher.abandon(key, now), now)
        elif kind is _Kind.STILL_TALKING:
            outcome = self.outcomes[key]
            if self.next_talk[key] != now:
                return  # a handover's pause ended this chain; a new one runs
            if outcome.closed_at is None and outcome.agent_id is not None:
                self._handle(self.dispatcher.agent_reply(key, outcome.agent_id, now), now)
                self._keep_talking(key, now)
        elif not flag and self.hand_over:
            self._handle(self.dispatcher.end_shift(key, now), now)
        else:
            status = AgentStatus.ONLINE if flag else AgentStatus.AWAY
            self._handle(self.dispatcher.set_status(key, status, now), now)

    def _arrive(self, outcome: ContactOutcome, now: float) -> None:
        contact = outcome.contact
        customer = contact.customer_id
        if customer is not None:
            outcome.returning = customer in self.seen_customers
            outcome.previous_agent_id = self.last_agent_of.get(customer)
            self.seen_customers.add(customer)
        skills = self.config.use_skills
        conversation = Conversation(
            id=contact.id,
            account_id=ACCOUNT_ID,
            contact_id=customer if customer is not None else f"anonymous:{contact.id}",
            opened_at=now,
            priority=contact.priority,
            returning=outcome.returning,
            previous_agent_id=outcome.previous_agent_id,
            required_skills=frozenset({contact.skill}) if skills and contact.skill else frozenset(),
            language=contact.language if skills else None,
            waiting_since=now,
            awaiting=Awaiting.AGENT,
            last_activity_at=now,
            customer_messages=1,
        )
        if contact.patience_s is not None:
            self._push(now + contact.patience_s, _Kind.PATIENCE, contact.id)
        self._handle(self.dispatcher.open_conversation(conversation, now), now)
        if self.on_arrival is not None:
            self.on_arrival()

    def _handle(self, decisions: list[Decision], now: float) -> None:
        pending = list(decisions)
        while pending:
            decision = pending.pop(0)
            if isinstance(decision, Assigned):
                pending.extend(self._assigned(decision, now))
            elif isinstance(decision, HandedOff):
                self.result.handoffs += 1
                self._handed_off(decision, now)
            elif isinstance(decision, Warning):
                kinds = self.result.warnings
                kinds[decision.kind] = kinds.get(decision.kind, 0) + 1

    def _assigned(self, decision: Assigned, now: float) -> list[Decision]:
        outcome = self.outcomes[decision.conversation_id]
        agent_id = decision.agent_id
        if outcome.abandoned_at is not None or outcome.closed_at is not None:
            raise RoutingCoreError(
                f"Dispatcher assigned {decision.conversation_id} to {agent_id} at {now} "
                "after the customer left"
            )
        if outcome.answered_at is not None:
            # Ownership moved during service (handoff, transfer): the new owner finishes it.
            contact_id = outcome.contact.id
            if outcome.agent_id is not None:
                self.holding[outcome.agent_id].discard(contact_id)
            outcome.agent_id = agent_id
            self.holding[agent_id].add(contact_id)
            paused = self.paused.pop(contact_id, None)
            if paused is None:
                self.result.busy_s[agent_id] += self.service_end[contact_id] - now
                return []
            since, remaining = paused
            outcome.rewait_s += now - since
            self.result.busy_s[agent_id] += remaining
            self.service_end[contact_id] = now + remaining
            self._push(now + remaining, _Kind.SERVICE_END, contact_id)
            self._keep_talking(contact_id, now)
            return self.dispatcher.agent_reply(contact_id, agent_id, now)
        outcome.answered_at = now
        outcome.agent_id = agent_id
        held = self.holding[agent_id]
        held.add(outcome.contact.id)
        duration = outcome.contact.service_s * (1 + self.config.slowdown * (len(held) - 1))
        self.result.busy_s[agent_id] += duration
        if outcome.contact.customer_id is not None:
            self.last_agent_of[outcome.contact.customer_id] = agent_id
        self.service_end[outcome.contact.id] = now + duration
        self._push(now + duration, _Kind.SERVICE_END, outcome.contact.id)
        self._keep_talking(outcome.contact.id, now)
        return self.dispatcher.agent_reply(outcome.contact.id, agent_id, now)

    def _handed_off(self, decision: HandedOff, now: float) -> None:
        """A service in progress left its agent: the rest of it goes with it, or waits."""
        outcome = self.outcomes[decision.conversation_id]
        contact_id = outcome.contact.id
        if outcome.answered_at is None or outcome.closed_at is not None:
            return
        if decision.reason == "shift_end":
            outcome.handed_over += 1
        if contact_id in self.paused:
            return  # moved again while waiting in the queue: nobody was serving it
        remaining = self.service_end[contact_id] - now
        self.result.busy_s[decision.from_agent_id] -= remaining
        self.holding[decision.from_agent_id].discard(contact_id)
        if decision.to_agent_id is None:
            outcome.requeued += 1
            outcome.agent_id = None
            del self.service_end[contact_id]  # its SERVICE_END goes stale
            self.paused[contact_id] = (now, remaining)

    def _keep_talking(self, contact_id: str, now: float) -> None:
        """Schedule the next sign of life of a long service, if it lasts that long."""
        if now + self.talk_every_s < self.service_end[contact_id]:
            self.next_talk[contact_id] = now + self.talk_every_s
            self._push(now + self.talk_every_s, _Kind.STILL_TALKING, contact_id)


def replay(
    contacts: Sequence[TraceContact],
    roster: Roster,
    config: ReplayConfig,
    *,
    on_arrival: Callable[[], None] | None = None,
) -> ReplayResult:
    """Replay ``contacts`` (arrival order) with ``roster`` under ``config``; deterministic."""
    return _Replay(contacts, roster, config, on_arrival).run()
