"""Page notifications reach the desktop: a page without a recipe, the tray click, mute, no tray."""

from __future__ import annotations

import pytest

from relaydesk.desktop.notifications import PageNotification

pytestmark = pytest.mark.qt

NOTIFY = """
Notification.requestPermission().then(function (answer) {
  var note = new Notification('Alice', {body: 'Is the parcel on its way?'});
  note.onclick = function () { document.title = 'clicked ' + answer; };
});
"""


def open_pages(qtbot, window, page_server, *names):  # type: ignore[no-untyped-def]
    views = [window.create_account("web", n, url=f"{page_server}/?title={n}") for n in names]
    for view in views:
        qtbot.waitUntil(lambda v=view: v.page.title() == v.account.name, timeout=15000)
    return views


def test_a_web_notification_of_a_page_without_recipe_opens_its_tab_when_clicked(
    qtbot, make_window, page_server
) -> None:
    window = make_window()
    shop, other = open_pages(qtbot, window, page_server, "Shop", "Other")
    assert shop.recipe is None  # a plain web page: its own Web Notification is the source
    window.show_account(other.account.id)
    with qtbot.waitSignal(window.notification_shown, timeout=15000) as shown:
        shop.page.runJavaScript(NOTIFY)
    assert shown.args == [shop.account.id, "Alice"]
    # Xvfb has no system tray: the notice shows in the window instead.
    assert not window._use_tray()
    qtbot.waitUntil(window.notice.isVisible, timeout=5000)
    assert window.notice.label.text() == "Shop: Alice — Is the parcel on its way?"
    window.notice.button.click()  # "Open"
    assert window.current_view() is shop
    assert not window.notice.isVisible()
    qtbot.waitUntil(lambda: shop.page.title() == "clicked granted", timeout=10000)


def test_a_muted_account_shows_nothing_and_unmuting_brings_notifications_back(
    qtbot, make_window, page_server
) -> None:
    window = make_window()
    quiet, other = open_pages(qtbot, window, page_server, "Quiet", "Other")
    window.show_account(quiet.account.id)
    window.mute_action.trigger()  # Accounts → Mute notifications of this account
    assert quiet.account.notifications_muted
    assert window.accounts.get(quiet.account.id).notifications_muted
    window.show_account(other.account.id)
    assert not window.mute_action.isChecked()  # the menu shows the account in front
    quiet.page.runJavaScript(NOTIFY)
    qtbot.waitUntil(lambda: quiet.page.title() == "Quiet", timeout=1000)
    qtbot.wait(1500)  # time for a notification to arrive, were it to
    assert window.shown_notifications == [] and not window.notice.isVisible()
    window.show_account(quiet.account.id)
    assert window.mute_action.isChecked()
    window.mute_action.trigger()  # unmute
    window.show_account(other.account.id)
    with qtbot.waitSignal(window.notification_shown, timeout=15000):
        quiet.page.runJavaScript(NOTIFY)
    assert [n.account_id for n in window.shown_notifications] == [quiet.account.id]


def test_a_tray_click_opens_the_message_shown_last(qtbot, make_window, monkeypatch) -> None:
    window = make_window()
    first = window.create_account("web", "First", url="about:blank")
    second = window.create_account("web", "Second", url="about:blank")
    third = window.create_account("web", "Third", url="about:blank")
    monkeypatch.setattr(window, "_use_tray", lambda: True)  # as on a desktop with a tray
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        window.tray, "showMessage", lambda title, text, *_: shown.append((title, text))
    )
    window.show_account(third.account.id)
    window.present_notification(PageNotification(first.account.id, "Ann", "hi"))
    window.present_notification(PageNotification(second.account.id, "Bob", "hello"))
    assert shown == [("First: Ann", "hi"), ("Second: Bob", "hello")]
    assert not window.notice.isVisible()  # the tray shows them, not the window
    window.tray.messageClicked.emit()  # Qt says a message was clicked, not which
    assert window.current_view() is second  # the one on screen: each replaces the one before
    window.show_account(third.account.id)
    window.tray.messageClicked.emit()  # nothing shown since: nothing to open
    assert window.current_view() is third
