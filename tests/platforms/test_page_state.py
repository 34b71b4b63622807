"""The page state the desktop keeps from recipe events: changes reported once, messages new once."""

from __future__ import annotations

import pytest

from relaydesk.platforms.events import (
    ActiveChat,
    Chats,
    ChatSummary,
    Direction,
    Health,
    HealthState,
    Message,
    Messages,
    Notification,
    Ready,
    Sent,
    Unread,
)
from relaydesk.platforms.page_state import PageState


def message(key: str, direction: str, text: str = "hi") -> Message:
    return Message(key, Direction(direction), text, "")


def test_repeated_facts_change_nothing_and_new_ones_are_named() -> None:
    state = PageState("telegram_k")
    assert state.apply(Ready("telegram_k", "https://web.telegram.org/k/")).facets == {"ready"}
    assert state.apply(Unread(2, 5)).facets == {"unread"}
    assert not state.apply(Unread(2, 5))
    assert state.unread == Unread(2, 5)
    chats = Chats((ChatSummary("1", "Ana", 2, False, "oi", "9:00", False),))
    assert state.apply(chats).facets == {"chats"} and not state.apply(chats)
    assert state.apply(ActiveChat("1", "Ana", "1")).facets == {"active_chat"}
    assert state.apply(ActiveChat(None, "", None)).facets == {"active_chat"}
    assert state.active is None


def test_health_degrades_and_recovers() -> None:
    state = PageState("whatsapp")
    assert state.healthy
    assert state.apply(Health(HealthState.DEGRADED, ("chat_list",))).facets == {"health"}
    assert not state.healthy and state.health.missing == ("chat_list",)
    state.apply(Health(HealthState.OK, ()))
    assert state.healthy


def test_each_message_is_new_exactly_once_per_chat() -> None:
    state = PageState("whatsapp")
    first = state.apply(Messages("a@c.us", (message("1", "in"), message("2", "in"))))
    assert [m.key for m in first.new_incoming] == ["1", "2"] and first.chat == "a@c.us"
    again = state.apply(
        Messages("a@c.us", (message("1", "in"), message("2", "in"), message("3", "out", "ok")))
    )
    assert again.new_incoming == () and [m.text for m in again.new_outgoing] == ["ok"]
    sent = state.apply(Sent("a@c.us", "3", "ok"))
    assert not sent  # already seen in the message list
    other = state.apply(Messages("b@c.us", (message("1", "in"),)))
    assert [m.key for m in other.new_incoming] == ["1"]  # keys are per chat


def test_notifications_pass_through() -> None:
    note = Notification("1", "Ana", "oi")
    assert PageState("line_oa").apply(note).notification == note


def test_anything_else_is_refused() -> None:
    with pytest.raises(TypeError, match="not a recipe event"):
        PageState("x").apply("unread")  # type: ignore[arg-type]
