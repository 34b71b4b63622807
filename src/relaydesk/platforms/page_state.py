"""What one account's page shows, kept up to date from its recipe's events, in plain Python.

The desktop feeds every ``RecipeBridge.recipe_event`` into ``PageState.apply`` and acts on the
returned ``PageChange``: repaint a badge when ``unread`` changed, mark the tab when ``health``
did, hand ``new_incoming`` messages to the store and the translator exactly once each. Kept out of
the Qt adapter, so the rules (a fact changes once, a message is new once) are tested without a
browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    RecipeEvent,
    Sent,
    Unread,
)


@dataclass(frozen=True, slots=True)
class PageChange:
    """What one event changed; empty when it repeated what the page already said."""

    facets: frozenset[str] = frozenset()  # of "ready", "unread", "health", "chats", "active_chat"
    new_incoming: tuple[Message, ...] = ()  # customer messages seen for the first time
    new_outgoing: tuple[Message, ...] = ()  # agent messages seen for the first time
    chat: str | None = None  # the chat the new messages belong to
    notification: Notification | None = None

    def __bool__(self) -> bool:
        return bool(self.facets or self.new_incoming or self.new_outgoing or self.notification)


@dataclass(slots=True)
class PageState:
    """The last known state of one platform page."""

    platform: str
    ready: bool = False
    unread: Unread = field(default_factory=lambda: Unread(direct=0, muted=0))
    health: Health = field(default_factory=lambda: Health(HealthState.OK, ()))
    chats: tuple[ChatSummary, ...] = ()
    active: ActiveChat | None = None
    seen: dict[str, set[str]] = field(default_factory=dict)  # chat key -> message keys seen

    @property
    def healthy(self) -> bool:
        return self.health.state is HealthState.OK

    def apply(self, event: RecipeEvent) -> PageChange:
        """Take in one event; what changed is returned, the state is updated."""
        if isinstance(event, Ready):
            self.ready = True
            return PageChange(frozenset({"ready"}))
        if isinstance(event, Unread):
            return self._replace("unread", event)
        if isinstance(event, Health):
            return self._replace("health", event)
        if isinstance(event, Chats):
            return self._replace("chats", event.chats)
        if isinstance(event, ActiveChat):
            return self._replace("active", event if event.key is not None else None)
        if isinstance(event, Messages):
            return self._messages(event.chat, event.messages)
        if isinstance(event, Sent):
            message = Message(event.key, Direction.OUT, event.text, "")
            return self._messages(event.chat, (message,))
        if isinstance(event, Notification):
            return PageChange(notification=event)
        raise TypeError(f"not a recipe event: {event!r}")

    def _replace(self, name: str, value: object) -> PageChange:
        if getattr(self, name) == value:
            return PageChange()
        setattr(self, name, value)
        return PageChange(frozenset({"active_chat" if name == "active" else name}))

    def _messages(self, chat: str, messages: tuple[Message, ...]) -> PageChange:
        seen = self.seen.setdefault(chat, set())
        fresh = [m for m in messages if m.key not in seen]
        seen.update(m.key for m in fresh)
        return PageChange(
            new_incoming=tuple(m for m in fresh if m.direction is Direction.IN),
            new_outgoing=tuple(m for m in fresh if m.direction is Direction.OUT),
            chat=chat if fresh else None,
        )
