"""The routing core's vocabulary: agents, accounts, contacts, conversations, intake.

Times are plain ``float`` seconds on one clock chosen by the caller (Unix time in the server and the
desktop app, seconds since the trace's start in the simulator). Nothing here reads a clock: every
operation that depends on time takes ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AgentStatus(StrEnum):
    """What the agent's workstation last said (or, for ``offline``, stopped saying)."""

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class ConversationState(StrEnum):
    QUEUED = "queued"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class Awaiting(StrEnum):
    """Whose turn it is in a conversation."""

    AGENT = "agent"  # the customer wrote last: the agent owes a reply
    CUSTOMER = "customer"  # the agent replied last: waiting on the customer


class Source(StrEnum):
    """Where a conversation came from, for priority rules and attribution."""

    AD = "ad"
    LINK = "link"
    ORGANIC = "organic"


@dataclass(slots=True)
class ReplyStats:
    """Measured reply speed of one agent: exponential moving average of first-reply time."""

    first_reply_ema_s: float | None = None
    samples: int = 0

    def record(self, first_reply_s: float, alpha: float = 0.2) -> None:
        if self.first_reply_ema_s is None:
            self.first_reply_ema_s = first_reply_s
        else:
            self.first_reply_ema_s += alpha * (first_reply_s - self.first_reply_ema_s)
        self.samples += 1


@dataclass(slots=True)
class Agent:
    """A person who answers conversations.

    ``accounts`` are the accounts the agent is a member of; ``open_accounts`` the ones their
    workstation reported open in its last heartbeat. Either makes them a candidate for that
    account's conversations.
    """

    id: str
    name: str = ""
    capacity: int = 3
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    status: AgentStatus = AgentStatus.OFFLINE
    accounts: frozenset[str] = frozenset()
    open_accounts: frozenset[str] = frozenset()
    team: str | None = None
    last_assigned_at: float | None = None
    last_seen_at: float | None = None
    reply_stats: ReplyStats = field(default_factory=ReplyStats)
    # Times of recent automatic assignments (the load model looks at the last 3 minutes).
    recent_assignments: list[float] = field(default_factory=list)

    def serves_account(self, account_id: str) -> bool:
        return account_id in self.accounts or account_id in self.open_accounts


@dataclass(frozen=True, slots=True)
class Account:
    """One login on one platform. ``shared`` accounts are open on several workstations."""

    id: str
    platform: str
    handle: str
    name: str = ""
    shared: bool = False
    members: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer, keyed by (platform, handle): E.164 phone number or the platform's chat id."""

    id: str
    platform: str
    handle: str
    name: str = ""
    language: str | None = None
    tags: frozenset[str] = frozenset()
    value: float = 0.0


@dataclass(frozen=True, slots=True)
class Ownership:
    """One stretch of ownership in a conversation's history."""

    agent_id: str
    start: float
    end: float | None = None
    # assigned | sticky | handoff_timeout | agent_gone | transfer | shift_end
    reason: str = "assigned"


@dataclass(slots=True)
class Conversation:
    """An exchange between one contact and one account."""

    id: str
    account_id: str
    contact_id: str
    opened_at: float
    state: ConversationState = ConversationState.QUEUED
    priority: int = 0  # higher is more urgent
    label: str = ""
    source: Source = Source.ORGANIC
    returning: bool = False
    previous_agent_id: str | None = None  # for sticky routing of returning contacts
    required_skills: frozenset[str] = frozenset()
    language: str | None = None
    tags: frozenset[str] = frozenset()
    complaint: bool = False
    owner_id: str | None = None
    owner_history: list[Ownership] = field(default_factory=list)
    waiting_since: float | None = None  # oldest customer message not yet answered
    awaiting: Awaiting = Awaiting.AGENT
    last_activity_at: float | None = None
    reply_deadline: float | None = None
    lapsed_agent_ids: set[str] = field(default_factory=set)
    auto_handoffs: int = 0
    first_reply_at: float | None = None
    # Complexity signals for the load model.
    customer_messages: int = 0
    agent_messages: int = 0
    customer_chars_total: int = 0
    recent_customer_lengths: list[int] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.state is not ConversationState.CLOSED


@dataclass(frozen=True, slots=True)
class IntakeEvent:
    """A contact seen on an account: ``returning`` is False for an intake, True for a return."""

    contact_id: str
    account_id: str
    at: float
    returning: bool
    agent_id: str | None = None
    link_id: str | None = None
