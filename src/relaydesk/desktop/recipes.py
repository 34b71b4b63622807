"""The desktop's side of the platform recipes (issue 4): which platforms exist, and the bridge.

Descriptors and the QWebChannel bridge belong to ``relaydesk.platforms`` (docs/platforms.md); this
module only adapts them to what the window needs (a name, an icon, a URL, a user agent, and unread /
health / chats / notification signals), so that a change of their API is one edit here. Any web
page without a recipe still works as a plain account whose unread count is read from the title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWebEngineCore import QWebEnginePage

from relaydesk.platforms import all_platforms
from relaydesk.platforms.descriptors import PlatformDescriptor

if TYPE_CHECKING:
    from relaydesk.platforms.qt_bridge import RecipeBridge

# ``qt_bridge`` (and the event parsing with its phone-number library) is imported on the first
# page load, not at start: it costs ~0.25 s that the window should not wait for.


def emit(signal: SignalInstance, *args: Any) -> None:
    """Emit through ``qt_bridge.emit``, which works around PySide6 6.12.0 taking a reference
    from True/False on every emit (see docs/platforms.md); every desktop signal goes through it."""
    from relaydesk.platforms.qt_bridge import emit as bridge_emit

    bridge_emit(signal, *args)

WEB_PLATFORM = "web"  # a plain web page, no recipe: unread digits from the title

# Settings handed to every recipe the desktop installs (``install_recipe``'s config): empty keeps
# the recipes' defaults (30 s before a missing anchor is reported); tests shorten the limit.
RECIPE_CONFIG: dict[str, object] = {}


@dataclass(frozen=True, slots=True)
class PlatformChoice:
    """What the add-account dialog and the tabs show of a platform."""

    id: str
    name: str
    service_url: str
    user_agent: str = ""
    icon: str = "web"


def _choice(descriptor: PlatformDescriptor) -> PlatformChoice:
    return PlatformChoice(
        descriptor.id,
        descriptor.name,
        descriptor.service_url,
        descriptor.user_agent,
        descriptor.icon,
    )


def platform_choices() -> list[PlatformChoice]:
    """Every platform with a recipe, then the plain web page."""
    choices = [_choice(d) for d in all_platforms()]
    choices.append(PlatformChoice(WEB_PLATFORM, "Web page", "about:blank"))
    return choices


def platform_choice(platform_id: str) -> PlatformChoice:
    for choice in platform_choices():
        if choice.id == platform_id:
            return choice
    return PlatformChoice(platform_id, platform_id, "about:blank")


class RecipeLink(QObject):
    """The recipe's events for one page, as the account view consumes them."""

    unread = Signal(int, int)  # direct, muted
    health = Signal(bool)  # every expected page anchor found
    anchors_missing = Signal(list)  # the names of the missing anchors, [] once all are back
    chats = Signal(list)  # [(chat key, title)]
    notification = Signal(str, str, str)  # chat key, title, text
    # The full events, for the store and translation (relaydesk.platforms.events values):
    chat_list = Signal(object)  # Chats
    active_chat_changed = Signal(object)  # ActiveChat
    messages = Signal(object)  # Messages: the visible messages of the open chat
    sent = Signal(object)  # Sent

    def __init__(self, bridge: RecipeBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.active_chat: Any = None  # the page's open chat: an events.ActiveChat
        self.missing: tuple[str, ...] = ()  # anchors missing past the limit (health degraded)
        bridge.recipe_event.connect(self._on_event)

    def open_chat(self, chat_key: str) -> None:
        """Ask the recipe to open a chat of its list, pressing its row as a person would."""
        self.bridge.open_chat(chat_key)

    def send_command(self, command: str) -> None:
        """Send a command (JSON from ``relaydesk.platforms.commands``) to the recipe."""
        emit(self.bridge.command, command)

    def _on_event(self, event: object) -> None:
        from relaydesk.platforms import events as recipe_events

        match event:
            case recipe_events.Unread(direct=direct, muted=muted):
                emit(self.unread, direct, muted)
            case recipe_events.Health(state=state):
                ok = state is recipe_events.HealthState.OK
                self.missing = () if ok else event.missing
                emit(self.anchors_missing, list(self.missing))
                emit(self.health, ok)
            case recipe_events.Chats(chats=chats):
                emit(self.chats, [(chat.key, chat.title) for chat in chats])
                emit(self.chat_list, event)
            case recipe_events.ActiveChat():
                self.active_chat = event
                emit(self.active_chat_changed, event)
            case recipe_events.Notification(chat=chat, title=title, text=text):
                emit(self.notification, chat, title, text)
            case recipe_events.Messages():
                emit(self.messages, event)
            case recipe_events.Sent():
                emit(self.sent, event)
            case _:
                pass


def contact_handle(platform_id: str, chat_key: str, title: str = "") -> str:
    """The stable handle of the contact behind a chat (E.164 where the platform shows one)."""
    from relaydesk.platforms.identity import contact_handle as handle_of

    return handle_of(platform_id, chat_key, title)


def attach_recipe(page: QWebEnginePage, platform_id: str, parent: QObject) -> RecipeLink | None:
    """Inject the platform's recipe into ``page`` and relay its events, or None if it has none."""
    if platform_id not in {d.id for d in all_platforms()}:
        return None
    from relaydesk.platforms.qt_bridge import install_recipe

    return RecipeLink(install_recipe(page, platform_id, RECIPE_CONFIG or None), parent)
