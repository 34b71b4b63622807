"""The API's request and response bodies (pydantic), validated at the edge."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

Role = Literal["agent", "supervisor", "admin"]
Platform = Literal["whatsapp", "telegram", "messenger", "instagram", "line"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    login: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=1000)


class LoginOut(BaseModel):
    token: str
    agent_id: str
    role: Role


class AgentIn(Strict):
    login: str = Field(min_length=1, max_length=120)
    name: str = Field(default="", max_length=200)
    password: str = Field(min_length=8, max_length=1000)
    role: Role = "agent"
    capacity: int | None = Field(default=None, ge=0, le=1000)
    skills: list[str] = Field(default_factory=list, max_length=100)
    languages: list[str] = Field(default_factory=list, max_length=100)
    team: str | None = Field(default=None, max_length=120)


class AgentPatch(Strict):
    name: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, min_length=8, max_length=1000)
    role: Role | None = None
    capacity: int | None = Field(default=None, ge=0, le=1000)
    skills: list[str] | None = Field(default=None, max_length=100)
    languages: list[str] | None = Field(default=None, max_length=100)
    team: str | None = Field(default=None, max_length=120)
    active: bool | None = None


class AgentOut(BaseModel):
    id: str
    login: str
    name: str
    role: Role
    capacity: int | None
    skills: list[str]
    languages: list[str]
    team: str | None
    active: bool
    status: str
    on_shift: bool  # read-only: set by the agent's schedule (always True without one)
    scheduled: bool  # has a weekly schedule (GET/PUT /v1/agents/{id}/shifts)


class AccountIn(Strict):
    platform: Platform
    handle: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=200)
    shared: bool = False
    team: str | None = Field(default=None, max_length=120)
    members: list[str] = Field(default_factory=list, max_length=1000)


class AccountPatch(Strict):
    name: str | None = Field(default=None, max_length=200)
    shared: bool | None = None
    team: str | None = Field(default=None, max_length=120)
    members: list[str] | None = Field(default=None, max_length=1000)


class AccountOut(BaseModel):
    id: str
    platform: str
    handle: str
    name: str
    shared: bool
    team: str | None
    members: list[str]


class HeartbeatIn(Strict):
    status: Literal["online", "away"]
    open_accounts: list[str] = Field(default_factory=list, max_length=200)
    load: dict[str, float] | None = None


class HeartbeatOut(BaseModel):
    status: str
    offline_after_s: float


class ContactIn(Strict):
    handle: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=20)


class EventIn(Strict):
    id: str = Field(min_length=1, max_length=120)
    type: Literal["customer_message", "agent_reply", "intake", "conversation_closed"]
    account_id: str = Field(min_length=1, max_length=32)
    contact: ContactIn
    ts: float = Field(allow_inf_nan=False)
    text: str | None = Field(default=None, max_length=20_000)
    source: Literal["ad", "link", "organic"] | None = None
    tags: list[str] | None = Field(default=None, max_length=50)


class EventsIn(Strict):
    events: list[EventIn] = Field(max_length=500)


class EventsOut(BaseModel):
    accepted: int
    duplicates: int


class TransferIn(Strict):
    to_agent_id: str | None = None


class OwnershipOut(BaseModel):
    agent_id: str
    start: float
    end: float | None
    reason: str


class ContactOut(BaseModel):
    id: str
    platform: str
    handle: str
    name: str
    language: str | None
    tags: list[str]


class ConversationOut(BaseModel):
    id: str
    account_id: str
    contact_id: str
    state: str
    owner_id: str | None
    opened_at: float
    closed_at: float | None
    priority: int
    label: str
    source: str
    returning: bool
    waiting_since: float | None
    awaiting: str
    reply_deadline: float | None
    auto_handoffs: int
    first_reply_at: float | None = None  # the first real answer (a holding reply is none)
    customer_messages: int = 0
    agent_messages: int = 0
    owner_name: str | None = None  # the owner's display name, for "owned by" on a workstation


class NoteIn(Strict):
    text: str = Field(min_length=1, max_length=2000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a note needs some text")
        return value


class NoteOut(BaseModel):
    """A conversation note with its author's display name, for the colleague who takes over."""

    id: int
    agent_id: str
    author: str
    text: str
    at: float


class ConversationDetail(ConversationOut):
    contact: ContactOut
    owner_history: list[OwnershipOut]
    notes: list[NoteOut]  # oldest first, newest last


class LinkTargetIn(Strict):
    account_id: str = Field(min_length=1, max_length=32)
    weight: float = Field(default=1.0, ge=0, le=1_000_000)
    daily_quota: int | None = Field(default=None, ge=0)


class HoursIn(Strict):
    """Working hours: ISO weekdays (1 = Monday) and a daily window in an IANA time zone."""

    timezone: str = Field(default="UTC", max_length=64)
    days: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], max_length=7)
    start: str = Field(default="00:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(default="23:59", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("days")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if any(d < 1 or d > 7 for d in value):
            raise ValueError("days are ISO weekdays, 1 (Monday) to 7 (Sunday)")
        return sorted(set(value))


class LinkIn(Strict):
    slug: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
    targets: list[LinkTargetIn] = Field(min_length=1, max_length=100)
    hours: HoursIn | None = None
    message: str | None = Field(default=None, max_length=500)
    expires_at: float | None = Field(default=None, allow_inf_nan=False)
    team: str | None = Field(default=None, max_length=120)
    source: Literal["link", "ad"] = "link"  # what the conversations its code brings are


class LinkPatch(Strict):
    targets: list[LinkTargetIn] | None = Field(default=None, min_length=1, max_length=100)
    hours: HoursIn | None = None
    message: str | None = Field(default=None, max_length=500)
    expires_at: float | None = Field(default=None, allow_inf_nan=False)
    team: str | None = Field(default=None, max_length=120)
    source: Literal["link", "ad"] | None = None


class LinkOut(BaseModel):
    id: str
    slug: str
    code: str
    targets: list[LinkTargetIn]
    hours: HoursIn | None
    message: str | None
    expires_at: float | None
    team: str | None
    source: str = "link"


class KeepIn(Strict):
    keep: bool = Field(strict=True)  # "yes" is not a choice


class KeepOut(BaseModel):
    conversation_id: str
    kept: bool


class ShiftIntervalOut(BaseModel):
    day: int
    start: str
    end: str


class ShiftScheduleOut(BaseModel):
    """An agent's schedule and where it stands now; ``scheduled`` False: always on shift."""

    agent_id: str
    scheduled: bool
    timezone: str | None
    intervals: list[ShiftIntervalOut]
    on_shift: bool
    shift_end: float | None
    next_shift_start: float | None


class ShiftAgentOut(BaseModel):
    agent_id: str
    name: str
    status: str
    scheduled: bool
    shift_end: float | None
    next_shift_start: float | None


class TeamShiftsOut(BaseModel):
    team: str | None
    on_now: list[ShiftAgentOut]
    next: list[ShiftAgentOut]


class ShiftBoardOut(BaseModel):
    at: float
    teams: list[TeamShiftsOut]
