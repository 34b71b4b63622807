"""The Dispatcher: the routing core run in memory, event by event, for the simulator and the tests.

It holds what a team server keeps in its database (agents, conversations, the queue, the timers)
and decides only through the pure functions of routing.py, handoff.py and load.py, so a policy
behaves the same in a replay as in production. Deterministic: the same calls with the same
``now`` values and seed give the same decisions.

Cost per event stays independent of the number of conversations: each agent's open conversations
are kept apart, the queue is a heap keyed by a time-invariant priority key (see
:func:`routing.queue_key`), and timers are a heap checked lazily when they come due.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import deque

from relaydesk.domain.decisions import Decision, HandedOff, Queued, Released, Warning
from relaydesk.domain.handoff import (
    agent_gone,
    close_ownership,
    on_deadline,
    release_ownership,
    take_ownership,
)
from relaydesk.domain.load import (
    AgentLoad,
    agent_load,
    team_day_mean,
    team_first_reply_s,
    working_day,
)
from relaydesk.domain.models import Agent, AgentStatus, Awaiting, Conversation, ConversationState
from relaydesk.domain.priority import waiting_start
from relaydesk.domain.routing import (
    Candidate,
    choose_agent,
    may_serve,
    queue_key,
    relaxation_times,
    sticky_hold,
)
from relaydesk.domain.rules import RoutingRules
from relaydesk.domain.shifts import hand_over

QueueKey = tuple[float, float, str]
_RECENT_LENGTHS_KEPT = 20


class Dispatcher:
    """In-memory routing engine; every mutating call returns the decisions it took."""

    def __init__(self, rules: RoutingRules, *, seed: int = 0) -> None:
        self.rules = rules
        self.agents: dict[str, Agent] = {}
        self.conversations: dict[str, Conversation] = {}
        self._rng = random.Random(seed)
        # agent id → open conversations they own (a dict: ordered, so float sums repeat exactly)
        self._owned: dict[str, dict[str, None]] = {}
        self._queue: list[tuple[QueueKey, str]] = []  # heap; entries go stale lazily
        self._queued: dict[str, QueueKey] = {}  # conversations in the shared queue
        self._own_queues: dict[str, deque[str]] = {}  # per_agent_split: each agent's FIFO
        self._dealt_to: dict[str, str] = {}  # per_agent_split: conversation → agent's queue
        self._last_dealt: str | None = None
        self._held: dict[str, str] = {}  # returning contact → previous agent it waits for
        self._timers: list[tuple[float, int, str, str]] = []  # (due, seq, kind, target id)
        self._seq = itertools.count()
        self._offline_since: dict[str, float] = {}
        self._replied_this_stretch: set[str] = set()
        self._pending_agents: list[str] = []  # added online: take queued work at next advance
        self._day_counts: dict[str, tuple[int, int]] = {}  # agent → (working day, assigned)

    # ---- reading ------------------------------------------------------------------------

    def load_of(self, agent_id: str, now: float) -> AgentLoad:
        """The agent's slots and weighted load at ``now`` (day term against the online agents)."""
        day = working_day(now, self.rules.load)
        online = [a.id for a in self.agents.values() if a.status is AgentStatus.ONLINE]
        mean = team_day_mean(self._today(a, day) for a in online)
        return self._load(agent_id, now, self._team_reply_s(), self._today(agent_id, day), mean)

    def assigned_today(self, agent_id: str, now: float) -> int:
        """Conversations the agent was given since the working day of ``now`` began."""
        return self._today(agent_id, working_day(now, self.rules.load))

    def _today(self, agent_id: str, day: int) -> int:
        counted_day, count = self._day_counts.get(agent_id, (day, 0))
        return count if counted_day == day else 0

    def _load(
        self,
        agent_id: str,
        now: float,
        team_reply_s: float | None,
        today: int,
        day_mean: float | None,
    ) -> AgentLoad:
        agent = self.agents[agent_id]
        window_start = now - self.rules.load.pace_window_s
        recent = agent.recent_assignments
        while recent and recent[0] <= window_start:
            recent.pop(0)
        owned = (self.conversations[c] for c in self._owned[agent_id])
        return agent_load(
            agent,
            owned,
            now,
            self.rules.load,
            team_reply_s,
            assigned_today=today,
            team_mean_today=day_mean,
        )

    def owned_by(self, agent_id: str) -> frozenset[str]:
        """Ids of the open conversations the agent owns."""
        return frozenset(self._owned.get(agent_id, ()))

    @property
    def holds(self) -> dict[str, str]:
        """Returning contacts currently held for their previous agent (conversation → agent)."""
        return dict(self._held)

    def queue(self) -> list[Conversation]:
        """Waiting conversations in the order they will be served."""
        convs = [self.conversations[c] for c in self._queued]
        if self.rules.policy == "per_agent_split":
            convs += [self.conversations[c] for c in self._dealt_to]
            return sorted(convs, key=lambda c: (waiting_start(c), c.id))
        return sorted(convs, key=lambda c: self._queued[c.id])

    def next_due(self) -> float | None:
        """When the earliest pending timer fires (None when nothing is scheduled)."""
        while self._timers:
            due, _, kind, target = self._timers[0]
            if self._timer_live(due, kind, target):
                return due
            heapq.heappop(self._timers)
        return None

    # ---- agents -------------------------------------------------------------------------

    def add_agent(self, agent: Agent) -> None:
        """Register an agent; one who is already online takes queued work at the next advance."""
        self.agents[agent.id] = agent
        self._owned.setdefault(agent.id, {})
        if agent.status is AgentStatus.ONLINE:
            self._pending_agents.append(agent.id)

    def set_status(self, agent_id: str, status: AgentStatus, now: float) -> list[Decision]:
        """Online pulls from the queue; offline starts the grace before their work is released."""
        agent = self.agents[agent_id]
        previous = agent.status
        agent.status = status
        decisions: list[Decision] = []
        if status is AgentStatus.ONLINE:
            agent.last_seen_at = now
            self._offline_since.pop(agent_id, None)
            return self._drain(agent_id, now)
        if status is AgentStatus.OFFLINE and previous is not AgentStatus.OFFLINE:
            self._offline_since[agent_id] = now
            self._schedule(now + self.rules.offline_grace_s, "offline", agent_id)
        # Never hold a returning contact for someone who is not there.
        for conv_id in [c for c, a in self._held.items() if a == agent_id]:
            del self._held[conv_id]
            decisions += self._retry(conv_id, now)
        return decisions

    def end_shift(
        self, agent_id: str, now: float, keep: frozenset[str] = frozenset()
    ) -> list[Decision]:
        """The agent's shift ended, as on the team server: off shift (``away``: no new work, no
        holds, but no offline grace either), and every open conversation they own, oldest
        first, not in ``keep``, handed over (:func:`relaydesk.domain.shifts.hand_over`: the
        policy among the agents online, no stickiness, never back to them), or queued."""
        decisions = self.set_status(agent_id, AgentStatus.AWAY, now)
        owned = [self.conversations[c] for c in self._owned[agent_id] if c not in keep]
        for conv in sorted(owned, key=lambda c: (c.opened_at, c.id)):
            candidates = self._candidates(conv, now, exclude=agent_id)
            decisions += hand_over(conv, candidates, self.rules, now, self._rng)
            decisions += self._after_move(conv, agent_id, now)
        return decisions

    # ---- conversation events ------------------------------------------------------------

    def open_conversation(self, conv: Conversation, now: float) -> list[Decision]:
        """A new conversation: route it now, or queue it."""
        if conv.id in self.conversations:
            raise ValueError(f"conversation {conv.id!r} is already open in the dispatcher")
        self.conversations[conv.id] = conv
        conv.state = ConversationState.QUEUED
        conv.owner_id = None
        conv.awaiting = Awaiting.AGENT
        if conv.waiting_since is None:
            conv.waiting_since = now
        if conv.last_activity_at is None:
            conv.last_activity_at = now
        if self.rules.policy == "per_agent_split":
            return self._deal(conv, now)
        return self._route(conv, now, "policy")

    def customer_message(self, conversation_id: str, now: float, chars: int = 0) -> list[Decision]:
        """The customer wrote: it is the agent's turn (an armed deadline keeps running)."""
        conv = self.conversations[conversation_id]
        if not conv.is_open:
            return []
        conv.customer_messages += 1
        conv.customer_chars_total += chars
        conv.recent_customer_lengths.append(chars)
        del conv.recent_customer_lengths[:-_RECENT_LENGTHS_KEPT]
        conv.last_activity_at = now
        if conv.awaiting is Awaiting.CUSTOMER:
            conv.awaiting = Awaiting.AGENT
            conv.waiting_since = now
            if conv.state is ConversationState.ASSIGNED:
                conv.reply_deadline = now + self.rules.reply_timeout_for(conv.priority)
                self._schedule(conv.reply_deadline, "deadline", conv.id)
        if conv.owner_id is not None:
            self._schedule(now + self.rules.idle_after_s, "idle", conv.id)
            if self._is_gone(conv.owner_id, now):
                return self._release_from_gone(conv, now)
        return []

    def agent_reply(
        self, conversation_id: str, agent_id: str, now: float, chars: int = 0
    ) -> list[Decision]:
        """The owner replied: the deadline is off. Anyone else replying is a collision."""
        conv = self.conversations[conversation_id]
        if not conv.is_open:
            return []
        if conv.owner_id != agent_id:
            owner = conv.owner_id or "nobody"
            return [
                Warning(
                    "collision",
                    now,
                    f"{agent_id} replied to a conversation owned by {owner}",
                    conv.id,
                    agent_id,
                )
            ]
        if conv.id not in self._replied_this_stretch and conv.awaiting is Awaiting.AGENT:
            since = max(conv.owner_history[-1].start, waiting_start(conv))
            self.agents[agent_id].reply_stats.record(max(0.0, now - since))
            self._replied_this_stretch.add(conv.id)
        if conv.first_reply_at is None:
            conv.first_reply_at = now
        conv.agent_messages += 1
        conv.awaiting = Awaiting.CUSTOMER
        conv.waiting_since = None
        conv.reply_deadline = None
        conv.last_activity_at = now
        self._schedule(now + self.rules.idle_after_s, "idle", conv.id)
        return []

    def close(self, conversation_id: str, now: float) -> list[Decision]:
        """The conversation is over; the owner's freed slot goes to the queue."""
        conv = self.conversations[conversation_id]
        if not conv.is_open:
            return []
        owner = conv.owner_id
        self._unqueue(conv.id)
        close_ownership(conv, now)
        if owner is None:
            return []
        self._owned[owner].pop(conv.id, None)
        return self._drain(owner, now)

    def abandon(self, conversation_id: str, now: float) -> list[Decision]:
        """The customer left while waiting; the conversation closes."""
        return self.close(conversation_id, now)

    def transfer(self, conversation_id: str, to_agent_id: str | None, now: float) -> list[Decision]:
        """A manual move: to a named agent (even past capacity) or, with None, back to routing."""
        conv = self.conversations[conversation_id]
        if not conv.is_open:
            raise ValueError(f"conversation {conversation_id!r} is closed and cannot be moved")
        if to_agent_id is not None and to_agent_id not in self.agents:
            raise ValueError(f"no agent {to_agent_id!r} to transfer {conversation_id!r} to")
        old = conv.owner_id
        decisions: list[Decision] = []
        if old is not None:
            self._owned[old].pop(conv.id, None)
            release_ownership(conv, now)
            decisions.append(Released(conv.id, old, now, "transfer"))
        self._unqueue(conv.id)
        if to_agent_id is None:
            if old is not None:  # never straight back to the giver, also not from the queue
                conv.lapsed_agent_ids.add(old)
                decisions.append(HandedOff(conv.id, old, None, now, "transfer"))
            decisions += self._route(conv, now, "transfer", exclude=old)
        else:
            if old is not None:
                decisions.append(HandedOff(conv.id, old, to_agent_id, now, "transfer"))
            decisions += self._assign(conv, to_agent_id, now, "transfer")
            load = self.load_of(to_agent_id, now)
            if load.over_capacity:
                decisions.append(
                    Warning(
                        "overload",
                        now,
                        f"{to_agent_id} holds {load.slots_used} "
                        f"conversations for a capacity of {load.capacity}",
                        conv.id,
                        to_agent_id,
                    )
                )
        if old is not None and old != to_agent_id:
            decisions += self._drain(old, now)
        return decisions

    def advance(self, now: float) -> list[Decision]:
        """Fire every timer due by ``now``: deadlines, offline grace, relaxation, sticky grace."""
        decisions: list[Decision] = []
        pending, self._pending_agents = self._pending_agents, []
        for agent_id in pending:
            decisions += self._drain(agent_id, now)
        while self._timers and self._timers[0][0] <= now:
            due, _, kind, target = heapq.heappop(self._timers)
            if self._timer_live(due, kind, target):
                decisions += self._fire(due, kind, target)
        return decisions

    # ---- timers -------------------------------------------------------------------------

    def _schedule(self, due: float, kind: str, target: str) -> None:
        heapq.heappush(self._timers, (due, next(self._seq), kind, target))

    def _timer_live(self, due: float, kind: str, target: str) -> bool:
        """A timer still means something (state may have moved on since it was set)."""
        if kind == "offline":
            return self._offline_since.get(target) == due - self.rules.offline_grace_s
        conv = self.conversations[target]
        if kind == "deadline":
            return conv.state is ConversationState.ASSIGNED and conv.reply_deadline == due
        if kind == "idle":
            return (
                conv.state is ConversationState.ASSIGNED
                and conv.last_activity_at is not None
                and conv.last_activity_at + self.rules.idle_after_s == due
            )
        if kind == "sticky":
            return target in self._held
        return target in self._queued or target in self._dealt_to  # relax

    def _fire(self, due: float, kind: str, target: str) -> list[Decision]:
        if kind == "offline":
            return self._agent_gone(target, due)
        conv = self.conversations[target]
        if kind == "deadline":
            old = conv.owner_id
            assert old is not None
            decisions = on_deadline(conv, self._candidates(conv, due), self.rules, due, self._rng)
            return decisions + self._after_move(conv, old, due)
        if kind == "idle":  # the owner's slot is free again
            return self._drain(conv.owner_id, due) if conv.owner_id else []
        if kind == "sticky":
            del self._held[target]
        return self._retry(target, due)

    # ---- moving conversations -----------------------------------------------------------

    def _team_reply_s(self) -> float | None:
        return team_first_reply_s(self.agents.values(), self.rules.load.min_speed_samples)

    def _candidates(
        self, conv: Conversation, now: float, exclude: str | None = None
    ) -> list[Candidate]:
        """Online agents on the conversation's account, with their loads (full ones too: sticky)."""
        team = self._team_reply_s()
        agents = [
            agent
            for agent in self.agents.values()
            if agent.status is AgentStatus.ONLINE
            and agent.id != exclude
            and agent.serves_account(conv.account_id)
        ]
        day = working_day(now, self.rules.load)
        today = [self._today(a.id, day) for a in agents]
        mean = team_day_mean(today)
        return [
            (agent, self._load(agent.id, now, team, n, mean))
            for agent, n in zip(agents, today, strict=True)
        ]

    def _assign(self, conv: Conversation, agent_id: str, now: float, reason: str) -> list[Decision]:
        assigned = take_ownership(conv, self.agents[agent_id], now, reason, self.rules)
        self._owned[agent_id][conv.id] = None
        self._track_owner(conv, now)
        return [assigned]

    def _track_owner(self, conv: Conversation, now: float) -> None:
        """Bookkeeping after ``conv`` got a (new) owner: queues, holds, timers."""
        self._unqueue(conv.id)
        self._replied_this_stretch.discard(conv.id)
        if conv.owner_id is not None:
            day = working_day(now, self.rules.load)
            self._day_counts[conv.owner_id] = (day, self._today(conv.owner_id, day) + 1)
        if conv.reply_deadline is not None:
            self._schedule(conv.reply_deadline, "deadline", conv.id)
        if conv.last_activity_at is not None:
            self._schedule(conv.last_activity_at + self.rules.idle_after_s, "idle", conv.id)

    def _route(
        self, conv: Conversation, now: float, reason: str, exclude: str | None = None
    ) -> list[Decision]:
        """Give ``conv`` to the agent the rules choose, or queue it (held, or nobody eligible)."""
        candidates = self._candidates(conv, now, exclude)
        choice = choose_agent(conv, candidates, self.rules, now, self._rng)
        if choice is not None:
            why = choice.reason if choice.reason == "sticky" or reason == "policy" else reason
            return self._assign(conv, choice.agent_id, now, why)
        holder = sticky_hold(conv, candidates, self.rules, now)
        if holder is not None:
            self._held[conv.id] = holder
            self._schedule(waiting_start(conv) + self.rules.sticky_grace_s, "sticky", conv.id)
        if conv.id in self._queued:
            return []
        self._enqueue(conv, now)
        if reason == "policy":
            reason = "held_for_previous_agent" if holder else "no_eligible_agent"
        return [Queued(conv.id, now, reason)]

    def _retry(self, conv_id: str, now: float) -> list[Decision]:
        """A queued conversation's eligibility widened (relaxation, grace over): try again."""
        if conv_id not in self._queued or conv_id in self._held:
            return []
        return self._route(self.conversations[conv_id], now, "queue")

    def _enqueue(self, conv: Conversation, now: float) -> None:
        key = queue_key(conv, now, self.rules)
        self._queued[conv.id] = key
        heapq.heappush(self._queue, (key, conv.id))
        for at in relaxation_times(conv, self.rules):
            if at > now and (conv.language or conv.required_skills):
                self._schedule(at, "relax", conv.id)

    def _unqueue(self, conv_id: str) -> None:
        """Forget ``conv_id`` in every waiting structure (heap entries go stale lazily)."""
        self._queued.pop(conv_id, None)
        self._held.pop(conv_id, None)
        agent_id = self._dealt_to.pop(conv_id, None)
        if agent_id is not None:
            own = self._own_queues[agent_id]
            if own and own[0] == conv_id:
                own.popleft()

    def _drain(self, agent_id: str, now: float) -> list[Decision]:
        """Fill the agent's free slots from the queue: held returning contacts, then the best."""
        agent = self.agents[agent_id]
        decisions: list[Decision] = []
        while agent.status is AgentStatus.ONLINE and self.load_of(agent_id, now).has_room:
            conv = self._next_for(agent, now)
            if conv is None:
                break
            reason = "sticky" if self._held.get(conv.id) == agent_id else "queue"
            decisions += self._assign(conv, agent_id, now, reason)
        return decisions

    def _next_for(self, agent: Agent, now: float) -> Conversation | None:
        """The conversation this agent should take next, or None."""
        for conv_id, holder in self._held.items():
            if holder == agent.id:
                return self.conversations[conv_id]
        own = self._own_queues.get(agent.id)
        while own:
            if self._dealt_to.get(own[0]) == agent.id:
                return self.conversations[own[0]]
            own.popleft()
        skipped: list[tuple[QueueKey, str]] = []
        found: Conversation | None = None
        while self._queue:
            key, conv_id = heapq.heappop(self._queue)
            if self._queued.get(conv_id) != key:
                continue  # stale: assigned, closed or re-queued since
            skipped.append((key, conv_id))
            conv = self.conversations[conv_id]
            if conv_id not in self._held and may_serve(agent, conv, self.rules, now):
                found = conv
                break
        for entry in skipped:
            heapq.heappush(self._queue, entry)
        return found

    def _deal(self, conv: Conversation, now: float) -> list[Decision]:
        """per_agent_split: the next on-duty agent in turn gets it, in their own queue if busy."""
        on_duty = sorted(
            (a for a in self.agents.values() if may_serve(a, conv, self.rules, now)),
            key=lambda a: a.id,
        )
        if not on_duty:
            self._enqueue(conv, now)
            return [Queued(conv.id, now, "no_eligible_agent")]
        agent = next(
            (a for a in on_duty if self._last_dealt is None or a.id > self._last_dealt), on_duty[0]
        )
        self._last_dealt = agent.id
        own = self._own_queues.setdefault(agent.id, deque())
        if not own and self.load_of(agent.id, now).has_room:
            return self._assign(conv, agent.id, now, "policy")
        own.append(conv.id)
        self._dealt_to[conv.id] = agent.id
        return [Queued(conv.id, now, "dealt_to_agent")]

    def _after_move(self, conv: Conversation, old: str, now: float) -> list[Decision]:
        """Bookkeeping after a handoff function ran; the old owner's freed slot is refilled."""
        new = conv.owner_id
        if new == old:
            if conv.reply_deadline is not None:
                self._schedule(conv.reply_deadline, "deadline", conv.id)
            return []
        self._owned[old].pop(conv.id, None)
        if new is not None:
            self._owned[new][conv.id] = None
            self._track_owner(conv, now)
        else:
            self._enqueue(conv, now)
        return self._drain(old, now)

    def _is_gone(self, agent_id: str, now: float) -> bool:
        since = self._offline_since.get(agent_id)
        return since is not None and now >= since + self.rules.offline_grace_s

    def _release_from_gone(self, conv: Conversation, now: float) -> list[Decision]:
        old = conv.owner_id
        assert old is not None
        decisions = agent_gone(conv, self._candidates(conv, now, old), self.rules, now, self._rng)
        return decisions + self._after_move(conv, old, now)

    def _agent_gone(self, agent_id: str, now: float) -> list[Decision]:
        """Past the offline grace: release work waiting on them, re-deal their own queue."""
        decisions: list[Decision] = []
        for conv_id in sorted(self._owned[agent_id]):
            conv = self.conversations[conv_id]
            if conv.awaiting is Awaiting.AGENT:
                decisions += self._release_from_gone(conv, now)
        own = self._own_queues.pop(agent_id, deque())
        for conv_id in own:
            if self._dealt_to.pop(conv_id, None) == agent_id:
                decisions += self._deal(self.conversations[conv_id], now)
        return decisions
