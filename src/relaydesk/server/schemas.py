"""The API's request and response bodies (pydantic), validated at the edge."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    ts: float
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


class ConversationDetail(ConversationOut):
    contact: ContactOut
    owner_history: list[OwnershipOut]
    notes: list[str]
