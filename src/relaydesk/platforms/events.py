"""The recipe → app events as plain Python values, checked on the way in.

A recipe sends JSON through the bridge; ``parse_event`` turns it into one of the frozen dataclasses
below or raises ``EventError`` with a sentence, so a changed or hostile page cannot push malformed
data further into the app.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from relaydesk.platforms.identity import contact_handle


class EventError(ValueError):
    """A recipe message that is not a well-formed event."""


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class HealthState(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"


@dataclass(frozen=True, slots=True)
class Ready:
    platform: str
    url: str


@dataclass(frozen=True, slots=True)
class Unread:
    direct: int  # unread messages in chats that are not muted
    muted: int  # unread messages in muted chats: never counted as direct


@dataclass(frozen=True, slots=True)
class ChatSummary:
    key: str
    title: str
    unread: int
    muted: bool
    last_text: str
    time: str
    group: bool | None  # None where the list does not say


@dataclass(frozen=True, slots=True)
class Chats:
    chats: tuple[ChatSummary, ...]


@dataclass(frozen=True, slots=True)
class ActiveChat:
    key: str | None  # None when no chat is open
    title: str
    contact: str | None  # stable contact handle (E.164 or chat id)


@dataclass(frozen=True, slots=True)
class Message:
    key: str
    direction: Direction
    text: str
    time: str  # as the page shows it (platforms format times per locale)


@dataclass(frozen=True, slots=True)
class Messages:
    chat: str
    messages: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class Sent:
    chat: str
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Notification:
    chat: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Health:
    state: HealthState
    missing: tuple[str, ...]


RecipeEvent = Ready | Unread | Chats | ActiveChat | Messages | Sent | Notification | Health


def _str(data: Mapping[str, Any], name: str, *, optional: bool = False) -> str:
    value = data.get(name)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise EventError(f"field {name!r} must be text, got {type(value).__name__}")
    return value


def _count(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise EventError(f"field {name!r} must be a count of zero or more, got {value!r}")
    return int(value)


def _list(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise EventError(f"field {name!r} must be a list of objects")
    return value


def _chat(item: Mapping[str, Any]) -> ChatSummary:
    group = item.get("group")
    return ChatSummary(
        key=_str(item, "key"),
        title=_str(item, "title", optional=True),
        unread=_count(item, "unread"),
        muted=bool(item.get("muted")),
        last_text=_str(item, "last_text", optional=True),
        time=_str(item, "time", optional=True),
        group=group if isinstance(group, bool) else None,
    )


def _message(item: Mapping[str, Any]) -> Message:
    value = item.get("direction")
    if value not in {d.value for d in Direction}:
        raise EventError(f"message direction must be in or out, got {value!r}")
    direction = Direction(value)
    return Message(
        key=_str(item, "key"),
        direction=direction,
        text=_str(item, "text", optional=True),
        time=_str(item, "time", optional=True),
    )


def parse_event(platform_id: str, raw: str | Mapping[str, Any]) -> RecipeEvent:
    """One event from a recipe's JSON message on ``platform_id``'s page."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as error:
        raise EventError(f"recipe message is not JSON: {error.msg}") from None
    if not isinstance(data, Mapping):
        raise EventError("recipe message must be a JSON object")
    kind = data.get("type")
    if kind == "ready":
        return Ready(platform=platform_id, url=_str(data, "url", optional=True))
    if kind == "unread":
        return Unread(direct=_count(data, "direct"), muted=_count(data, "muted"))
    if kind == "chats":
        return Chats(tuple(_chat(item) for item in _list(data, "chats")))
    if kind == "active_chat":
        key = data.get("key")
        if key is not None and not isinstance(key, str):
            raise EventError("field 'key' must be text or null")
        title = _str(data, "title", optional=True)
        handle = contact_handle(platform_id, key, title) if key else None
        return ActiveChat(key=key, title=title, contact=handle)
    if kind == "messages":
        messages = tuple(_message(item) for item in _list(data, "messages"))
        return Messages(chat=_str(data, "chat"), messages=messages)
    if kind == "sent":
        return Sent(chat=_str(data, "chat"), key=_str(data, "key"), text=_str(data, "text"))
    if kind == "notification":
        return Notification(
            chat=_str(data, "chat"), title=_str(data, "title"), text=_str(data, "text")
        )
    if kind == "health":
        value = data.get("state")
        if value not in {s.value for s in HealthState}:
            raise EventError(f"health state must be ok or degraded, got {value!r}")
        state = HealthState(value)
        missing = data.get("missing", [])
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            raise EventError("field 'missing' must be a list of anchor names")
        return Health(state=state, missing=tuple(missing))
    raise EventError(f"unknown recipe event type {kind!r}")
