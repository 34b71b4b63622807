"""Each platform's recipe on its sandbox page in QtWebEngine, as the desktop installs it.

What an agent would notice: a new customer shows up with the right unread count (muted chats
apart), opening a chat shows its messages in and out, a reply typed in the page is reported as
sent, a changed page turns the tab's health to degraded instead of showing wrong counts, a
hostile contact name stays text, and the page's own scripts cannot reach the bridge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from relaydesk.platforms.events import (
    ActiveChat,
    Chats,
    Health,
    HealthState,
    Messages,
    Notification,
    Ready,
    Sent,
    Unread,
)

pytestmark = pytest.mark.qt

APPLICATION_WORLD = 1  # QWebEngineScript.ScriptWorldId.ApplicationWorld: the recipe's world
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"


@dataclass(frozen=True)
class Platform:
    id: str
    removed_anchors: tuple[str, ...]  # what the health test removes
    counts_threads: bool = False  # the page shows "unread" per conversation, not per message
    has_mute: bool = True
    phone_in_chat_id: bool = False  # the chat id carries the phone number (WhatsApp JIDs)


PLATFORMS = [
    Platform("whatsapp", ("chat_list",), phone_in_chat_id=True),
    Platform("telegram_k", ("chat_list", "client")),  # client: the page is no longer the K client
    Platform("telegram_a", ("chat_list",)),
    Platform("messenger", ("thread_list",), counts_threads=True),
    Platform("instagram", ("thread_list",), counts_threads=True),
    Platform("line_oa", ("chat_list",), has_mute=False),
    Platform("lineworks", ("chat_count", "room_list"), has_mute=False),
]
IDS = [p.id for p in PLATFORMS]
COMPOSERS = {  # where a person types a reply on each sandbox page
    "whatsapp": "#composer",
    "telegram_k": "#composer",
    "telegram_a": "#editable-message-text",
    "messenger": "#composer",
    "instagram": '[role="textbox"][aria-label="Message"]',
    "line_oa": "#composer",
    "lineworks": "#composer",
}

# Every sandbox page keeps its chat list in a `.side` column.
CLICK_IN_LIST = """function (wanted) {
  const side = document.querySelector('.side');
  const walker = document.createTreeWalker(side, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeValue.trim() === wanted) { n.parentElement.click(); return true; }
  }
  return false;
}"""
COMPOSER_TEXTS = """Array.from(
  document.querySelectorAll('[contenteditable="true"], textarea, input')
).map(function (box) { return box.value !== undefined ? box.value : box.textContent; })"""
BANNER_TEXT = "(document.getElementById('relaydesk-banner') || {}).textContent || ''"


def click_in_list(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """What a person does: click the chat named ``text`` in the page's chat list."""
    clicked = page.js(f"({CLICK_IN_LIST})({json.dumps(text)})")
    assert clicked, f"no chat named {text!r} in the list"


def press_send(page) -> None:  # type: ignore[no-untyped-def]
    page.js("document.getElementById('send').click()")


def shown_time(platform: str, epoch: float) -> str:
    """A message's time as the recipe reads it from each sandbox page (local time, as the page)."""
    t = datetime.fromtimestamp(epoch)
    if platform == "whatsapp":  # data-pre-plain-text "[08:05, 1/12/2026] Name: "
        return f"{t:%H:%M}, {t.day}/{t.month}/{t.year}"
    if platform == "telegram_k":  # data-timestamp, a unix time: ISO 8601
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if platform == "telegram_a":  # the time's title
        return f"{t:%d.%m.%Y, %H:%M:%S}"
    if platform == "messenger":  # the h4 "<name> sent Dec 1, 2026, 8:05 AM"
        hour = t.hour % 12 or 12
        return f"{t:%b} {t.day}, {t.year}, {hour}:{t:%M} {'AM' if t.hour < 12 else 'PM'}"
    if platform == "instagram":  # the date separator above the message
        return f"{t.day} {t:%b} {t.year}, {t:%H:%M}"
    return f"{t:%H:%M}"  # LINE OA and LINE WORKS show the clock time only


def assert_only_the_recipe_world_reaches_the_bridge(page) -> None:  # type: ignore[no-untyped-def]
    """A page script tries to post a forged event through the bridge and fails; the same code
    in the recipe's world gets through (so the failure is the world's isolation, not a typo)."""
    assert page.js("typeof qt + ' ' + typeof Relaydesk + ' ' + typeof QWebChannel") == (
        "undefined undefined undefined"
    )
    forged = json.dumps(json.dumps({"type": "unread", "direct": 999, "muted": 0}))
    attempt = (
        "(function () { try { new QWebChannel(qt.webChannelTransport, function (channel) {"
        f" channel.objects.relaydesk.post({forged}); }}); return 'sent'; }}"
        " catch (e) { return 'blocked: ' + e.name; } })()"
    )
    assert page.js(attempt) == "blocked: ReferenceError"
    assert not any(isinstance(e, Unread) and e.direct == 999 for e in page.events)
    assert page.js(attempt, world=APPLICATION_WORLD) == "sent"  # the control
    page.wait_for(Unread, lambda e: e.direct == 999)


@pytest.mark.parametrize("platform", PLATFORMS, ids=IDS)
def test_new_chats_and_unread_with_a_muted_chat(open_page, sandbox, platform: Platform) -> None:
    page = open_page(platform.id)
    page.wait_for(Ready, lambda e: True)
    page.wait_for(Unread, lambda e: e.direct == 0)
    sandbox.customer_writes(
        platform.id, "Olá, ainda tem?", name="Ana Souza", phone="+55 11 91234-5678"
    )
    sandbox.customer_writes(
        platform.id, "Quanto custa?", name="Ana Souza", phone="+55 11 91234-5678"
    )
    sandbox.customer_writes(platform.id, "muted news", name="Promo Group", muted=True)

    ana_unread = 1 if platform.counts_threads else 2
    if platform.has_mute:  # muted chats never count as direct
        expected = (ana_unread, 1)
    else:  # no mute on this platform: every chat is direct
        expected = (ana_unread + 1, 0)
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == expected)

    chats = page.wait_for(Chats, lambda e: len(e.chats) == 2)
    ana = next(c for c in chats.chats if c.title == "Ana Souza")
    assert ana.unread == ana_unread and not ana.muted
    assert ana.last_text == "Quanto custa?"
    promo = next(c for c in chats.chats if c.title == "Promo Group")
    assert promo.muted is platform.has_mute
    notified = page.wait_for(Notification, lambda e: True)
    assert notified.title == "Ana Souza"
    if platform.has_mute:
        assert all(n.title != "Promo Group" for n in page.events if isinstance(n, Notification))

    # A hostile contact name is a name, not markup: the page, the event and the banner show text.
    sandbox.customer_writes(platform.id, "hi", name=HOSTILE)
    chats = page.wait_for(Chats, lambda e: len(e.chats) == 3)
    assert HOSTILE in [c.title for c in chats.chats]
    page.bridge.show_banner(f"Owned by {HOSTILE}")
    page.qtbot.waitUntil(
        lambda: page.js(BANNER_TEXT) == f"Owned by {HOSTILE}",
        timeout=5000,
    )
    assert page.js("document.querySelectorAll('img[src=x]').length") == 0
    assert page.js("document.title") != "pwned"

    # The app can open a chat of the list (a contact found by search, a handoff).
    page.bridge.open_chat(ana.key)
    active = page.wait_for(ActiveChat, lambda e: e.key is not None)
    assert active.title == "Ana Souza"

    # The page's own scripts (main world) see neither the bridge nor the recipe (last: the
    # control's forged count replaces the real one).
    assert_only_the_recipe_world_reaches_the_bridge(page)


@pytest.mark.parametrize("platform", PLATFORMS, ids=IDS)
def test_opening_a_chat_and_replying(open_page, sandbox, platform: Platform) -> None:
    page = open_page(platform.id)
    page.wait_for(Ready, lambda e: True)
    sandbox.customer_writes(
        platform.id, "Where is my parcel?", name="Emily Clark", phone="+44 7700 900123"
    )
    page.wait_for(Chats, lambda e: any(c.title == "Emily Clark" for c in e.chats))
    click_in_list(page, "Emily Clark")

    active = page.wait_for(ActiveChat, lambda e: e.key is not None)
    assert active.title == "Emily Clark"
    if platform.phone_in_chat_id:
        assert active.contact == "+447700900123"
    else:
        assert active.contact == active.key
    shown = page.wait_for(Messages, lambda e: len(e.messages) == 1)
    assert shown.chat == active.key
    incoming = shown.messages[0]
    assert (incoming.direction, incoming.text) == ("in", "Where is my parcel?")
    [chat] = sandbox.call("GET", f"/api/{platform.id}/state")["chats"]
    assert incoming.time == shown_time(platform.id, chat["messages"][0]["time"])
    page.wait_for(Unread, lambda e: e.direct == 0)  # reading the chat clears its unread count

    # The app fills the compose box; the agent presses send on the page.
    page.bridge.fill_compose("It left our warehouse today.")
    page.qtbot.waitUntil(
        lambda: "It left our warehouse today." in page.js(COMPOSER_TEXTS), timeout=5000
    )
    press_send(page)
    sent = page.wait_for(Sent, lambda e: True)
    assert (sent.chat, sent.text) == (active.key, "It left our warehouse today.")
    assert [s["text"] for s in sandbox.sent(platform.id)] == ["It left our warehouse today."]
    both = page.wait_for(Messages, lambda e: len(e.messages) == 2)
    assert [m.direction for m in both.messages] == ["in", "out"]
    assert len({m.key for m in both.messages}) == 2
    assert both.messages[0].key == incoming.key  # keys stay stable as the chat grows

    # A translation appears under the customer's message, as text.
    page.bridge.show_translation(incoming.key, f"Onde está {HOSTILE}?")
    page.qtbot.waitUntil(
        lambda: (
            page.js(
                "Array.from(document.querySelectorAll('[data-relaydesk=translation]'))"
                ".map(n => n.textContent).join('|')"
            )
            == f"Onde está {HOSTILE}?"
        ),
        timeout=5000,
    )
    assert page.js("document.querySelectorAll('img[src=x]').length") == 0
    # ... and it is not mistaken for part of the message.
    assert page.last(Messages).messages[0].text == "Where is my parcel?"


@pytest.mark.parametrize("platform", PLATFORMS, ids=IDS)
def test_a_removed_anchor_turns_health_degraded(open_page, sandbox, platform: Platform) -> None:
    page = open_page(platform.id)
    ok = page.wait_for(Health, lambda e: True)
    assert ok.state is HealthState.OK
    sandbox.remove_anchors(platform.id, list(platform.removed_anchors))
    degraded = page.wait_for(
        Health, lambda e: e.state is HealthState.DEGRADED, timeout=page.health_limit_ms + 5000
    )
    assert set(platform.removed_anchors) <= set(degraded.missing)
    sandbox.restore_anchors(platform.id)
    page.wait_for(Health, lambda e: e.state is HealthState.OK)


@pytest.mark.parametrize("platform_id", ["whatsapp", "telegram_k", "line_oa"])
def test_a_missing_composer_in_an_open_chat_turns_health_degraded(
    open_page, sandbox, platform_id: str
) -> None:
    """The composer is expected only while a chat is open; then its loss is reported."""
    page = open_page(platform_id)
    sandbox.customer_writes(platform_id, "Hello?", name="Dewi Lestari")
    page.wait_for(Chats, lambda e: any(c.title == "Dewi Lestari" for c in e.chats))
    click_in_list(page, "Dewi Lestari")
    page.wait_for(ActiveChat, lambda e: e.key is not None)
    assert page.wait_for(Health, lambda e: True).state is HealthState.OK
    sandbox.remove_anchors(platform_id, ["composer"])
    degraded = page.wait_for(
        Health, lambda e: e.state is HealthState.DEGRADED, timeout=page.health_limit_ms + 5000
    )
    assert degraded.missing == ("composer",)
    sandbox.restore_anchors(platform_id)
    page.wait_for(Health, lambda e: e.state is HealthState.OK)


def test_health_stays_ok_until_the_limit_has_passed(open_page, sandbox) -> None:
    """A missing anchor is reported only once it stayed missing for the limit (a page that
    redraws drops its anchors for a moment)."""
    page = open_page("telegram_a", health_limit_ms=6000)
    assert page.wait_for(Health, lambda e: True).state is HealthState.OK
    sandbox.remove_anchors("telegram_a", ["chat_list"])
    page.qtbot.waitUntil(lambda: page.js("document.querySelector('.chat-list') === null"))
    seen = len(page.events)
    page.qtbot.wait(1000)  # five scans of the recipe (every 200 ms), well inside the limit
    assert page.last(Health).state is HealthState.OK
    degraded = page.wait_for(
        Health, lambda e: e.state is HealthState.DEGRADED, timeout=page.health_limit_ms + 10000
    )
    assert degraded.missing == ("chat_list",)
    assert page.events.index(degraded) >= seen  # reported after the check above, not before


@pytest.mark.parametrize("platform", PLATFORMS, ids=IDS)
def test_a_person_replies_by_hand_and_presses_enter(open_page, sandbox, platform: Platform) -> None:
    """Real mouse and keyboard input in a shown view: click the chat, click the composer,
    type, press Enter; the page sends the reply and the recipe reports it."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    page = open_page(platform.id)
    view = page.show()
    sandbox.customer_writes(platform.id, "Do you ship to Lisbon?", name="Beatriz Costa")
    page.wait_for(Chats, lambda e: any(c.title == "Beatriz Costa" for c in e.chats))
    click_in_list(page, "Beatriz Costa")
    page.wait_for(ActiveChat, lambda e: e.key is not None)
    page.wait_for(Unread, lambda e: e.direct == 0)  # the page has redrawn the opened chat
    box = json.dumps(COMPOSERS[platform.id])
    x, y = page.js(
        f"(function () {{ const r = document.querySelector({box}).getBoundingClientRect();"
        " return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)]; })()"
    )
    keys = view.focusProxy()
    QTest.mouseClick(keys, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
    focused = f"document.activeElement === document.querySelector({box})"
    page.qtbot.waitUntil(lambda: page.js(focused))
    QTest.keyClicks(keys, "Yes, in two days.")
    typed = (
        "(function (b) { return b.value !== undefined ? b.value : b.textContent; })"
        f"(document.querySelector({box}))"
    )
    page.qtbot.waitUntil(lambda: page.js(typed) == "Yes, in two days.")
    QTest.keyClick(keys, Qt.Key.Key_Return)
    sent = page.wait_for(Sent, lambda e: True)
    assert sent.text == "Yes, in two days."
    assert [s["text"] for s in sandbox.sent(platform.id)] == ["Yes, in two days."]
    page.qtbot.waitUntil(lambda: page.js(typed) == "")  # the composer is empty again


@pytest.mark.parametrize("platform_id", ["telegram_k", "telegram_a"])
def test_a_telegram_chat_titled_with_a_phone_number_gives_its_e164_handle(
    open_page, sandbox, platform_id: str
) -> None:
    """Telegram shows an unsaved contact's number as the chat title: that is the handle."""
    page = open_page(platform_id)
    sandbox.customer_writes(
        platform_id, "Olá!", name="Ana Souza", phone="+55 11 96123-4567", show_phone=True
    )
    sandbox.customer_writes(platform_id, "Hi", name="Emily Clark", phone="+44 7700 900123")
    chats = page.wait_for(Chats, lambda e: len(e.chats) == 2)
    assert {c.title for c in chats.chats} == {"+55 11 96123-4567", "Emily Clark"}
    click_in_list(page, "+55 11 96123-4567")
    active = page.wait_for(ActiveChat, lambda e: e.key is not None)
    assert active.title == "+55 11 96123-4567"
    assert active.contact == "+5511961234567"
    assert active.key.isdigit()  # the peer id stays the chat key
    click_in_list(page, "Emily Clark")  # a named contact keeps the peer id as handle
    named = page.wait_for(ActiveChat, lambda e: e.title == "Emily Clark")
    assert named.contact == named.key


def test_whatsapp_counts_from_the_chat_list_without_its_chat_store(open_page, sandbox) -> None:
    """A WhatsApp build without the IndexedDB chat store: unread and muted come from the list."""
    page = open_page(
        "whatsapp", before_load=lambda: sandbox.remove_anchors("whatsapp", ["chat_store"])
    )
    page.wait_for(Ready, lambda e: True)
    sandbox.customer_writes("whatsapp", "oi", name="Ana", phone="+55 11 91234-5678")
    sandbox.customer_writes("whatsapp", "oi?", name="Ana", phone="+55 11 91234-5678")
    family = {"name": "Family", "phone": "+55 11 98888-7777"}
    sandbox.customer_writes("whatsapp", "news", muted=True, **family)
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == (2, 1))
    page.js("(indexedDB.databases().then(function (d) { window.dbs = d.map(x => x.name); }), 1)")
    page.qtbot.waitUntil(lambda: page.js("window.dbs || null") is not None)
    assert "model-storage" not in page.js("window.dbs")
    sandbox.customer_writes("whatsapp", "again", **family)
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == (2, 2))
    assert page.last(Health).state is HealthState.OK  # the store is no anchor: counts still work


def test_generic_recipe_reads_unread_from_the_title(open_page, sandbox) -> None:
    page = open_page("generic")
    page.wait_for(Ready, lambda e: True)
    sandbox.customer_writes("generic", "hello", name=HOSTILE)
    sandbox.customer_writes("generic", "again", name=HOSTILE)
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == (2, 0))
    page.bridge.show_banner(HOSTILE)
    page.qtbot.waitUntil(
        lambda: page.js(BANNER_TEXT) == HOSTILE,
        timeout=5000,
    )
    assert page.js("document.querySelectorAll('img[src=x]').length") == 0
    assert page.last(Health).state is HealthState.OK
    assert_only_the_recipe_world_reaches_the_bridge(page)


def test_whatsapp_counts_unread_from_its_chat_store(open_page, sandbox) -> None:
    """The list is virtualised: chats scrolled out of view still count, archived ones do not."""
    page = open_page("whatsapp")
    sandbox.customer_writes("whatsapp", "oi", name="Ana", phone="+55 11 91234-5678")
    sandbox.customer_writes("whatsapp", "oi?", name="Ana", phone="+55 11 91234-5678")
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == (2, 0))
    page.js(
        """(function () {
          const open = indexedDB.open('model-storage');
          open.onsuccess = function () {
            const chats = open.result.transaction('chat', 'readwrite').objectStore('chat');
            chats.put({ id: 'far@c.us', unreadCount: 7, archive: false, muteExpiration: 0 });
            chats.put({ id: 'old@c.us', unreadCount: 4, archive: true, muteExpiration: 0 });
            chats.put({ id: 'quiet@g.us', unreadCount: 3, muteExpiration: -1 });
          };
          return 1;
        })()"""
    )
    page.wait_for(Unread, lambda e: (e.direct, e.muted) == (9, 3))
