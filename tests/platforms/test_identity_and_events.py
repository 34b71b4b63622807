"""Contact identity and the recipe → app events, as the app receives them from a page."""

from __future__ import annotations

import json

import pytest

from relaydesk.platforms import commands
from relaydesk.platforms.events import (
    ActiveChat,
    Chats,
    Direction,
    EventError,
    Health,
    HealthState,
    Messages,
    Unread,
    parse_event,
)
from relaydesk.platforms.identity import contact_handle, e164


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("+55 11 91234-5678", "+5511912345678"),
        ("\u202a+1 202-555-0143\u202c", "+12025550143"),  # WhatsApp wraps titles in bidi marks
        ("+81 90-1234-5678", "+819012345678"),
        ("Ana Souza", None),
        ("+12", None),
        ("12025550143", None),  # without a country code the number is ambiguous
    ],
)
def test_phone_numbers_become_e164(shown: str, expected: str | None) -> None:
    assert e164(shown) == expected


def test_contact_handles_per_platform() -> None:
    assert contact_handle("whatsapp", "5511912345678@c.us") == "+5511912345678"
    assert contact_handle("whatsapp", "155500000000000@lid") == "155500000000000@lid"
    assert (
        contact_handle("whatsapp", "5511912345678-1600000000@g.us")
        == "5511912345678-1600000000@g.us"
    )
    assert contact_handle("telegram_k", "777000", "+44 7700 900123") == "+447700900123"
    assert contact_handle("telegram_k", "777000", "Emily") == "777000"
    assert contact_handle("line_oa", "U0123456789abcdef0123456789abcdef", "Emily") == (
        "U0123456789abcdef0123456789abcdef"
    )


def test_active_chat_carries_the_contact_handle() -> None:
    event = parse_event(
        "whatsapp", {"type": "active_chat", "key": "447700900123@c.us", "title": "Emily"}
    )
    assert event == ActiveChat(key="447700900123@c.us", title="Emily", contact="+447700900123")
    assert parse_event("whatsapp", {"type": "active_chat", "key": None}).contact is None


def test_well_formed_events_become_values() -> None:
    assert parse_event("x", '{"type": "unread", "direct": 3, "muted": 5}') == Unread(3, 5)
    chats = parse_event(
        "x",
        {
            "type": "chats",
            "chats": [
                {
                    "key": "1",
                    "title": "A",
                    "unread": 2,
                    "muted": True,
                    "last_text": "hi",
                    "time": "9:00",
                }
            ],
        },
    )
    assert isinstance(chats, Chats) and chats.chats[0].muted and chats.chats[0].group is None
    shown = parse_event(
        "x",
        {
            "type": "messages",
            "chat": "1",
            "messages": [{"key": "1_a", "direction": "out", "text": "ok", "time": ""}],
        },
    )
    assert isinstance(shown, Messages) and shown.messages[0].direction is Direction.OUT
    health = parse_event("x", {"type": "health", "state": "degraded", "missing": ["chat_list"]})
    assert health == Health(HealthState.DEGRADED, ("chat_list",))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not JSON"),
        ("[1]", "must be a JSON object"),
        ({"type": "party"}, "unknown recipe event type 'party'"),
        ({"type": "unread", "direct": -1, "muted": 0}, "'direct' must be a count"),
        ({"type": "unread", "direct": True, "muted": 0}, "'direct' must be a count"),
        (
            {"type": "messages", "chat": "1", "messages": [{"key": "k", "direction": "sideways"}]},
            "direction must be in or out",
        ),
        ({"type": "health", "state": "fine"}, "health state must be ok or degraded"),
        ({"type": "chats", "chats": "lots"}, "'chats' must be a list of objects"),
    ],
)
def test_malformed_events_are_refused_with_a_sentence(raw: object, message: str) -> None:
    with pytest.raises(EventError, match=message):
        parse_event("x", raw)  # type: ignore[arg-type]


def test_commands_carry_text_as_data() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    assert json.loads(commands.show_banner(hostile)) == {"command": "banner", "text": hostile}
    assert json.loads(commands.fill_compose("hi")) == {"command": "compose", "text": "hi"}
    assert json.loads(commands.open_chat("777000")) == {"command": "open", "key": "777000"}
    assert json.loads(commands.show_translation("k", "olá")) == {
        "command": "translation",
        "key": "k",
        "text": "olá",
    }
