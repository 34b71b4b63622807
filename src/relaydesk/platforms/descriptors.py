"""What the app knows of each platform before loading it: URL, user agent, deep links, capabilities.

One frozen descriptor per recipe. The JS that reads the page lives beside it in
``resources/recipes/<id>/recipe.js``; the facts behind both are in docs/platforms.md.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from relaydesk.platforms.resources import RECIPES

# The Chromium major version of the Qt WebEngine we ship (PySide6 6.12 → Chromium 140). Sending
# the engine's own version keeps feature detection honest; an odd UA gets WhatsApp's "use Chrome
# 36+" page (ferdium/ferdium-recipes:recipes/whatsapp/index.js).
CHROME_MAJOR = 140
_UA_OS = {
    "win32": "Windows NT 10.0; Win64; x64",
    "darwin": "Macintosh; Intel Mac OS X 10_15_7",
}


def desktop_chrome_user_agent(os_name: str = sys.platform) -> str:
    """A current desktop Chrome user agent for this OS (what the services expect to see)."""
    system = _UA_OS.get(os_name, "X11; Linux x86_64")
    return (
        f"Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{CHROME_MAJOR}.0.0.0 Safari/537.36"
    )


class Capability(StrEnum):
    """What a recipe can report or do on its platform's page."""

    UNREAD = "unread"
    MUTED = "muted"  # tells muted chats apart
    CHATS = "chats"
    ACTIVE_CHAT = "active_chat"
    MESSAGES = "messages"
    COMPOSE = "compose"  # fill the compose box
    TRANSLATION = "translation"  # show a translation under a message
    BANNER = "banner"  # show an ownership banner
    OPEN_CHAT = "open_chat"  # open a chat of the list on the app's request
    HEALTH = "health"  # reports missing page anchors


FULL = frozenset(Capability)


@dataclass(frozen=True, slots=True)
class PlatformDescriptor:
    """One platform's recipe as the app sees it.

    ``deep_link`` is a format string with ``{handle}`` and ``{text}`` (both URL-encoded) for split
    links, or None when the platform has no public chat link. ``identity`` says in a phrase what a
    contact's stable handle is on this platform.
    """

    id: str
    name: str
    service_url: str
    deep_link: str | None
    capabilities: frozenset[Capability]
    identity: str
    icon: str
    user_agent: str = desktop_chrome_user_agent()

    @property
    def recipe_path(self) -> Path:
        return RECIPES / self.id / "recipe.js"

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def deep_link_for(self, handle: str, text: str = "") -> str:
        """The public link that opens a chat with ``handle`` (prefilled with ``text``)."""
        if self.deep_link is None:
            raise ValueError(f"{self.name} has no public chat link")
        if self.id == "whatsapp":
            handle = "".join(ch for ch in handle if ch.isdigit())
        link = self.deep_link.format(handle=quote(handle, safe=""), text=quote(text, safe=""))
        if not text:
            link = link.split("?", 1)[0]
        return link


_MESSAGING = FULL
PLATFORMS: dict[str, PlatformDescriptor] = {
    d.id: d
    for d in (
        PlatformDescriptor(
            id="whatsapp",
            name="WhatsApp Web",
            service_url="https://web.whatsapp.com/",
            deep_link="https://wa.me/{handle}?text={text}",
            capabilities=_MESSAGING,
            identity="phone number in E.164 from the chat id (JID); @lid and group ids as they are",
            icon="whatsapp",
        ),
        PlatformDescriptor(
            id="telegram_k",
            name="Telegram Web K",
            service_url="https://web.telegram.org/k/",
            deep_link="https://t.me/{handle}?text={text}",
            capabilities=_MESSAGING,
            identity="numeric peer id (data-peer-id); E.164 when the title is a phone number",
            icon="telegram",
        ),
        PlatformDescriptor(
            id="telegram_a",
            name="Telegram Web A",
            service_url="https://web.telegram.org/a/",
            deep_link="https://t.me/{handle}?text={text}",
            capabilities=_MESSAGING,
            identity="numeric peer id (from the chat link); E.164 when the title is a phone number",
            icon="telegram",
        ),
        PlatformDescriptor(
            id="messenger",
            name="Messenger",
            service_url="https://www.facebook.com/messages/",
            deep_link="https://m.me/{handle}?text={text}",
            capabilities=_MESSAGING,
            identity="thread id from the /t/<id> link",
            icon="messenger",
        ),
        PlatformDescriptor(
            id="instagram",
            name="Instagram Direct",
            service_url="https://www.instagram.com/direct/inbox/",
            deep_link="https://ig.me/m/{handle}",
            capabilities=_MESSAGING,
            identity="thread id from the /direct/t/<id> address of the open chat",
            icon="instagram",
        ),
        PlatformDescriptor(
            id="line_oa",
            name="LINE Official Account",
            service_url="https://chat.line.biz/",
            deep_link="https://line.me/R/ti/p/{handle}",
            capabilities=_MESSAGING - {Capability.MUTED},
            identity="LINE user id (U…) from the chat link",
            icon="line_oa",
        ),
        PlatformDescriptor(
            id="lineworks",
            name="LINE WORKS",
            service_url="https://talk.worksmobile.com/",
            deep_link=None,
            capabilities=_MESSAGING - {Capability.MUTED},
            identity="LINE WORKS chat room id",
            icon="lineworks",
        ),
        PlatformDescriptor(
            id="generic",
            name="Any web chat",
            service_url="about:blank",
            deep_link=None,
            capabilities=frozenset({Capability.UNREAD, Capability.BANNER}),
            identity="none: the page title carries only a count",
            icon="web",
        ),
    )
}


def all_platforms() -> list[PlatformDescriptor]:
    """Every platform with a recipe, in the order the app lists them."""
    return list(PLATFORMS.values())


def get_platform(platform_id: str) -> PlatformDescriptor:
    """The descriptor for ``platform_id``; a clear error names the known ones."""
    try:
        return PLATFORMS[platform_id]
    except KeyError:
        known = ", ".join(PLATFORMS)
        raise KeyError(f"no recipe for platform {platform_id!r} (known: {known})") from None
