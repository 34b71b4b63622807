"""What the app reads from the platform descriptors: pages, links, recipes, user agents."""

from __future__ import annotations

import pytest

from relaydesk.platforms import Capability, all_platforms, get_platform
from relaydesk.platforms.descriptors import desktop_chrome_user_agent
from relaydesk.platforms.resources import recipe_source

ISSUE_PLATFORMS = {
    "whatsapp",
    "telegram_k",
    "telegram_a",
    "messenger",
    "instagram",
    "line_oa",
    "lineworks",
    "generic",
}


def test_every_platform_of_the_issue_has_a_descriptor_and_one_recipe_file() -> None:
    assert {p.id for p in all_platforms()} == ISSUE_PLATFORMS
    for platform in all_platforms():
        assert platform.recipe_path.is_file(), platform.id
        assert platform.service_url.startswith(("https://", "about:"))
        assert platform.identity


def test_unknown_platform_is_named_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"no recipe for platform 'icq' \(known: whatsapp, "):
        get_platform("icq")


@pytest.mark.parametrize(
    ("platform", "handle", "text", "link"),
    [
        ("whatsapp", "+55 11 91234-5678", "Oi #A7", "https://wa.me/5511912345678?text=Oi%20%23A7"),
        ("whatsapp", "+44 7700 900123", "", "https://wa.me/447700900123"),
        ("telegram_k", "relaydesk_shop", "hi", "https://t.me/relaydesk_shop?text=hi"),
        ("messenger", "relaydesk.shop", "", "https://m.me/relaydesk.shop"),
        ("instagram", "relaydesk", "ignored", "https://ig.me/m/relaydesk"),
        ("line_oa", "@relaydesk", "", "https://line.me/R/ti/p/%40relaydesk"),
    ],
)
def test_split_link_deep_links(platform: str, handle: str, text: str, link: str) -> None:
    assert get_platform(platform).deep_link_for(handle, text) == link


def test_platforms_without_a_public_chat_link_say_so() -> None:
    with pytest.raises(ValueError, match="LINE WORKS has no public chat link"):
        get_platform("lineworks").deep_link_for("room")


def test_the_user_agent_looks_like_current_desktop_chrome() -> None:
    # An odd user agent gets WhatsApp's "use Chrome 36+" page instead of the app.
    assert "Windows NT 10.0" in desktop_chrome_user_agent("win32")
    assert "Mac OS X" in desktop_chrome_user_agent("darwin")
    for platform in all_platforms():
        assert " Chrome/1" in platform.user_agent and "QtWebEngine" not in platform.user_agent


def test_generic_recipe_promises_only_what_a_title_can_tell() -> None:
    generic = get_platform("generic")
    assert generic.supports(Capability.UNREAD) and not generic.supports(Capability.MESSAGES)
    assert not get_platform("line_oa").supports(Capability.MUTED)


def test_injected_source_carries_the_settings_then_plumbing_then_recipe() -> None:
    source = recipe_source("telegram_k", {"health_timeout_ms": 500})
    assert source.startswith(
        'var RELAYDESK_CONFIG = {"platform": "telegram_k", "health_timeout_ms": 500};'
    )
    assert source.index("globalThis.Relaydesk") < source.index("Telegram Web K recipe")
    with pytest.raises(FileNotFoundError, match="no recipe file for platform 'nope'"):
        recipe_source("nope")


def test_the_user_agent_names_the_chromium_we_ship() -> None:
    """A user agent older than the engine makes services serve a degraded or "update" page."""
    engine = pytest.importorskip("PySide6.QtWebEngineCore")
    from relaydesk.platforms.descriptors import CHROME_MAJOR

    assert engine.qWebEngineChromiumVersion().split(".")[0] == str(CHROME_MAJOR)
