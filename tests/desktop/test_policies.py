"""The plain-Python decisions behind the window: hibernation, badges, notifications, find, hangs."""

from __future__ import annotations

from relaydesk.desktop.badges import Badge, total_direct
from relaydesk.desktop.hibernation import AccountActivity, HibernationPolicy, Sleep
from relaydesk.desktop.notifications import NotificationContext, should_show
from relaydesk.desktop.responsiveness import HeartbeatWatch
from relaydesk.desktop.search import FindItem, find


def activity(account_id: str, idle_s: float, **kw: object) -> AccountActivity:
    return AccountActivity(account_id, idle_s, kw.pop("state", Sleep.AWAKE), **kw)  # type: ignore[arg-type]


def test_idle_accounts_sleep_but_not_the_current_one_nor_those_opted_out() -> None:
    policy = HibernationPolicy(after_s=600)
    decided = policy.decide(
        [
            activity("idle", 900),
            activity("busy", 30),
            activity("front", 5000, current=True),
            activity("opted-out", 5000, hibernate_allowed=False),
            activity("asleep", 5000, state=Sleep.FROZEN),
        ]
    )
    assert decided == {"idle": Sleep.FROZEN}


def test_discarding_is_chosen_in_settings_and_a_discarded_page_is_left_alone() -> None:
    policy = HibernationPolicy(after_s=60, discard=True)
    decided = policy.decide(
        [activity("frozen", 100, state=Sleep.FROZEN), activity("gone", 100, state=Sleep.DISCARDED)]
    )
    assert decided == {"frozen": Sleep.DISCARDED}
    frozen_only = HibernationPolicy(after_s=60)
    assert frozen_only.decide([activity("gone", 100, state=Sleep.DISCARDED)]) == {}


def test_zero_minutes_means_never() -> None:
    assert HibernationPolicy(after_s=0).decide([activity("a", 10**9)]) == {}


def test_a_sleeping_badge_keeps_its_counts_marked_not_live() -> None:
    badge = Badge().counted(4, 2)
    assert badge.text == "4 (2)"
    asleep = badge.stale()
    assert (asleep.direct, asleep.muted, asleep.live) == (4, 2, False)
    assert asleep.text == "~4 (2)"
    assert asleep.counted(1, 0).text == "1"
    assert Badge().text == ""


def test_the_tray_counts_direct_messages_only() -> None:
    assert total_direct([Badge(3, 10), Badge(0, 5), Badge(2, 0, live=False)]) == 5


def test_notifications_respect_do_not_disturb_mute_and_the_account_in_front() -> None:
    assert should_show(NotificationContext(False, False, False))
    assert not should_show(NotificationContext(True, False, False))
    assert not should_show(NotificationContext(False, True, False))
    assert not should_show(NotificationContext(False, False, True))


def test_find_puts_prefix_matches_and_accounts_first() -> None:
    items = [
        FindItem("a1", "Sales WhatsApp"),
        FindItem("a2", "Support Telegram"),
        FindItem("a1", "Anna Sales — Sales WhatsApp", chat_key="c1"),
        FindItem("a2", "Salem — Support Telegram", chat_key="c2"),
    ]
    assert [i.label for i in find(items, "sal")] == [
        "Sales WhatsApp",
        "Salem — Support Telegram",
        "Anna Sales — Sales WhatsApp",
    ]
    assert [i.label for i in find(items, "anna whats")] == ["Anna Sales — Sales WhatsApp"]
    assert [i.label for i in find(items, "  ")] == ["Sales WhatsApp", "Support Telegram"]


def test_a_page_is_unresponsive_only_after_an_unanswered_ping_times_out() -> None:
    watch = HeartbeatWatch(timeout_s=10)
    first = watch.ping(now=0)
    assert first is not None
    assert watch.ping(now=1) is None  # one ping at a time
    assert not watch.unresponsive(now=9)
    assert watch.unresponsive(now=10)
    assert watch.answered(first)
    assert not watch.unresponsive(now=50)
    late = watch.ping(now=50)
    watch.reset()  # reloaded: the old ping's answer no longer counts
    assert late is not None and not watch.answered(late)
