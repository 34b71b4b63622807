"""Sandbox accounts in the real window: badges and notifications fed by the recipes' events."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QTabBar

from relaydesk.desktop import recipes
from relaydesk.desktop.badge_pill import BadgePill
from relaydesk.desktop.dialogs import FindDialog
from relaydesk.desktop.sandbox_accounts import add_sandbox_accounts, sandbox_page_url

pytestmark = pytest.mark.qt


def pill_text(window, view) -> str:  # type: ignore[no-untyped-def]
    index = window.tabs.indexOf(view)
    pill = window.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
    assert isinstance(pill, BadgePill)
    return pill.text


def test_badges_and_notifications_follow_the_sandbox(qtbot, make_window, sandbox) -> None:
    for page in ("whatsapp", "telegram_k"):
        sandbox.reset(page)
    window = make_window()
    whatsapp = window.create_account(
        "whatsapp", "Sales WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    telegram = window.create_account(
        "telegram_k", "Sales TG", url=sandbox_page_url(sandbox.url, "telegram_k")
    )
    whatsapp.load()
    assert window.current_view() is telegram  # WhatsApp is a background tab
    qtbot.waitUntil(lambda: whatsapp.health.value == "ok", timeout=20000)
    shown: list[tuple[str, str]] = []
    window.notification_shown.connect(lambda account, title: shown.append((account, title)))

    sandbox.customer_writes("whatsapp", "Olá, ainda têm o modelo azul?", name="Ana Souza")
    qtbot.waitUntil(lambda: pill_text(window, whatsapp) == "1", timeout=15000)
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    assert shown[0][0] == whatsapp.account.id
    assert "Ana Souza" in shown[0][1]
    assert window.total_unread() == 1
    notification = window.shown_notifications[-1]
    assert notification.chat_key

    window.open_notification(notification)  # what a click on it does
    assert window.current_view() is whatsapp
    recipe = whatsapp.recipe
    assert recipe is not None
    qtbot.waitUntil(lambda: bool(recipe.active_chat and recipe.active_chat.key), timeout=15000)
    assert recipe.active_chat is not None
    assert recipe.active_chat.title == "Ana Souza"  # the chat the notification was about
    qtbot.waitUntil(lambda: pill_text(window, whatsapp) == "", timeout=15000)  # chat read

    window.tabs.setCurrentWidget(telegram)
    window.apply_settings(replace(window.settings, do_not_disturb=True))
    assert window.dnd_action.isChecked()
    sandbox.customer_writes("whatsapp", "Are you there?", name="Ben Carter")
    qtbot.waitUntil(lambda: pill_text(window, whatsapp) == "1", timeout=15000)
    qtbot.wait(1500)  # the recipe's notification, had there been one, comes with the count
    assert len(shown) == 1  # do-not-disturb: counted, not announced


def test_muted_chats_count_apart_and_never_notify(qtbot, make_window, sandbox) -> None:
    sandbox.reset("whatsapp")
    window = make_window()
    front = window.create_account("web", "Front", url="about:blank")
    whatsapp = window.create_account(
        "whatsapp", "WA", url=sandbox_page_url(sandbox.url, "whatsapp")
    )
    window.tabs.setCurrentWidget(front)
    whatsapp.load()
    qtbot.waitUntil(lambda: whatsapp.health.value == "ok", timeout=20000)
    shown: list[str] = []
    window.notification_shown.connect(lambda account, _title: shown.append(account))
    sandbox.customer_writes("whatsapp", "Group news", name="Family", muted=True)
    qtbot.waitUntil(lambda: whatsapp.badge.muted == 1, timeout=15000)
    qtbot.wait(1500)
    assert whatsapp.badge.direct == 0 and window.total_unread() == 0
    assert shown == []


def test_sandbox_option_adds_one_account_per_page(qtbot, make_window, sandbox) -> None:
    window = make_window()
    added = add_sandbox_accounts(window, sandbox.url)
    pages = set(sandbox.call("GET", "/api/pages"))
    assert added == len(window.views) >= 7
    assert {v.account.platform for v in window.views.values()} <= pages
    assert add_sandbox_accounts(window, sandbox.url) == 0  # a second time adds nothing


def test_ctrl_f_finds_a_contact_and_opens_the_chat(
    qtbot, make_window, sandbox, monkeypatch
) -> None:
    sandbox.reset("line_oa")
    window = make_window()
    line = window.create_account("line_oa", "LINE", url=sandbox_page_url(sandbox.url, "line_oa"))
    front = window.create_account("web", "Front", url="about:blank")
    line.load()
    sandbox.customer_writes("line_oa", "你好，请问还有货吗？", name="Chen Wei")
    qtbot.waitUntil(lambda: bool(window.chats.get(line.account.id)), timeout=20000)
    assert window.current_view() is front

    def type_and_press_enter(dialog: FindDialog) -> int:
        dialog.query.setText("chen")  # as typed; the first match is chosen with Enter
        dialog.query.returnPressed.emit()
        return int(dialog.result())

    monkeypatch.setattr(FindDialog, "exec", type_and_press_enter)
    window.find_contact()
    assert window.current_view() is line
    recipe = line.recipe
    assert recipe is not None
    qtbot.waitUntil(lambda: bool(recipe.active_chat and recipe.active_chat.key), timeout=15000)
    assert recipe.active_chat.title == "Chen Wei"


def test_a_changed_page_marks_its_tab_degraded_and_names_what_is_missing(
    qtbot, make_window, sandbox, monkeypatch
) -> None:
    """A platform redesign (anchors removed through the sandbox API) shows on the tab: the
    missing anchors by name, and the unread badge marked as not to be trusted."""
    monkeypatch.setattr(recipes, "RECIPE_CONFIG", {"health_timeout_ms": 1500})
    sandbox.reset("telegram_k")
    window = make_window()
    telegram = window.create_account(
        "telegram_k", "Sales TG", url=sandbox_page_url(sandbox.url, "telegram_k")
    )
    front = window.create_account("web", "Front", url="about:blank")
    window.tabs.setCurrentWidget(front)
    qtbot.waitUntil(lambda: telegram.health.value == "ok", timeout=20000)
    sandbox.customer_writes("telegram_k", "Есть в наличии?", name="Oleg Smirnov")
    qtbot.waitUntil(lambda: pill_text(window, telegram) == "1", timeout=15000)

    def tooltip() -> str:
        return window.tabs.tabToolTip(window.tabs.indexOf(telegram))

    sandbox.remove_anchors("telegram_k", ["chat_list"])
    qtbot.waitUntil(lambda: telegram.health.value == "degraded", timeout=15000)
    assert "Not found on the page: chat_list" in tooltip()
    assert pill_text(window, telegram) == "~1"  # the count is kept, marked as not live

    sandbox.remove_anchors("telegram_k", ["client"])  # still degraded, one more anchor gone
    qtbot.waitUntil(lambda: "chat_list, client" in tooltip(), timeout=15000)

    sandbox.restore_anchors("telegram_k")
    qtbot.waitUntil(lambda: telegram.health.value == "ok", timeout=15000)
    assert "Not found" not in tooltip()
    assert pill_text(window, telegram) == "1"
