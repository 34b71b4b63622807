"""The sandbox's chats: one inbox per platform page, changed by customers, the agent and tests.

Plain Python, no I/O. Every change bumps ``version`` (through ``_changed``, which also calls the
``on_change`` listener) so the pages redraw only when something happened, and the server can answer
a page waiting for the next change. Chat and message ids follow each platform's own shape (WhatsApp
JIDs, Telegram peer ids, Messenger thread ids, LINE user ids), because the recipes read identity
from them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from relaydesk.platforms import all_platforms

PAGES = tuple(platform.id for platform in all_platforms())  # one sandbox page per recipe
LISTED_CHATS = 100  # newest chats a page renders
SHOWN_MESSAGES = 50  # latest messages of a chat a page renders


class InboxError(ValueError):
    """A request the sandbox cannot carry out (unknown chat, empty text)."""


@dataclass(slots=True)
class Message:
    id: str
    direction: str  # "in" from the customer, "out" from the agent
    text: str
    time: float  # seconds since the epoch


@dataclass(slots=True)
class Chat:
    id: str
    name: str
    phone: str | None
    muted: bool = False
    group: bool = False
    show_phone: bool = False  # titled with the phone number, as an unsaved contact is
    unread: int = 0
    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SentReply:
    chat_id: str
    name: str
    text: str
    time: float


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


class Inbox:
    """One platform page's chats, newest activity first."""

    def __init__(self, platform: str, rng: random.Random) -> None:
        self.platform = platform
        self.rng = rng
        self.version = 0
        self.chats: list[Chat] = []
        self.sent: list[SentReply] = []
        self.removed_anchors: set[str] = set()
        self.on_change: Callable[[Inbox], None] | None = None  # called after every version bump

    def _changed(self) -> None:
        self.version += 1
        if self.on_change is not None:
            self.on_change(self)

    def _new_chat_id(self, phone: str | None, group: bool) -> str:
        n = self.rng.randrange(10**9, 10**10)
        if self.platform == "whatsapp":
            if group:
                return f"{_digits(phone) or n}-{n}@g.us"
            return f"{_digits(phone)}@c.us" if phone else f"{n}{n % 100000:05d}@lid"
        if self.platform in ("telegram_k", "telegram_a"):
            return str(-n if group else n)
        if self.platform == "line_oa":
            return "U" + "".join(self.rng.choice("0123456789abcdef") for _ in range(32))
        return str(n)

    def _message_id(self) -> str:
        return "".join(self.rng.choice("0123456789ABCDEF") for _ in range(20))

    def find(self, chat_id: str) -> Chat:
        for chat in self.chats:
            if chat.id == chat_id:
                return chat
        raise InboxError(f"no chat {chat_id!r} on the {self.platform} page")

    def _touch(self, chat: Chat) -> None:
        self.chats.remove(chat)
        self.chats.insert(0, chat)
        self._changed()

    def customer_writes(
        self,
        name: str,
        text: str,
        now: float,
        *,
        phone: str | None = None,
        chat_id: str | None = None,
        muted: bool = False,
        group: bool = False,
        show_phone: bool = False,
        new_chat: bool = False,
    ) -> Chat:
        """A customer's message: to their earlier chat (same id, or name and phone), else a new
        chat; ``new_chat`` always starts one (a new person who shares a name). ``show_phone``
        titles a new chat with the phone number, as the platforms do for unsaved contacts."""
        if not text.strip():
            raise InboxError("a customer message needs some text")
        if show_phone and not phone:
            raise InboxError("a chat titled with the phone number needs a 'phone'")
        chat = None
        if chat_id is not None:
            chat = self.find(chat_id)
        elif not new_chat:
            chat = next((c for c in self.chats if c.name == name and c.phone == phone), None)
        if chat is None:
            chat = Chat(
                self._new_chat_id(phone, group),
                name,
                phone,
                muted=muted,
                group=group,
                show_phone=show_phone,
            )
            self.chats.insert(0, chat)
        chat.messages.append(Message(self._message_id(), "in", text, now))
        chat.unread += 1
        self._touch(chat)
        return chat

    def agent_opens(self, chat_id: str) -> Chat:
        chat = self.find(chat_id)
        if chat.unread:
            chat.unread = 0
            self._changed()
        return chat

    def agent_sends(self, chat_id: str, text: str, now: float) -> Message:
        if not text.strip():
            raise InboxError("the reply is empty")
        chat = self.find(chat_id)
        message = Message(self._message_id(), "out", text, now)
        chat.messages.append(message)
        chat.unread = 0
        self.sent.append(SentReply(chat.id, chat.name, text, now))
        self._touch(chat)
        return message

    def set_muted(self, chat_id: str, muted: bool) -> None:
        self.find(chat_id).muted = muted
        self._changed()

    def change_structure(self, remove: list[str], restore: bool) -> None:
        if restore:
            self.removed_anchors.clear()
        self.removed_anchors.update(remove)
        self._changed()

    def reset(self) -> None:
        self.chats.clear()
        self.sent.clear()
        self.removed_anchors.clear()
        self._changed()

    def snapshot(self) -> dict[str, Any]:
        """What the page renders (JSON-ready): the newest chats with their latest messages.

        Each chat's ``title`` is what the page shows as its name: the customer's name, or the
        phone number for a chat with ``show_phone``.

        Like the real pages, which render a window of a virtualised list, so a long load test
        keeps the pages (and the machine running them) light. ``chat_count`` is the whole list.
        """
        chats = []
        for chat in self.chats[:LISTED_CHATS]:
            shown = asdict(chat)
            shown["title"] = chat.phone if chat.show_phone and chat.phone else chat.name
            shown["messages"] = shown["messages"][-SHOWN_MESSAGES:]
            chats.append(shown)
        return {
            "platform": self.platform,
            "version": self.version,
            "removed": sorted(self.removed_anchors),
            "chat_count": len(self.chats),
            "chats": chats,
        }
