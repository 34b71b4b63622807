"""Intake vs return, and counting per working day with a day boundary and a dedup scope."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from relaydesk.domain.intake import (
    Appearance,
    DayBoundary,
    DedupScope,
    IntakeClassifier,
    IntakeCount,
    classify,
    count_intake,
    scope_key,
)


def ts(text: str) -> float:
    """'2026-11-02 03:30' UTC → Unix seconds."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_first_appearance_on_an_account_is_an_intake_later_ones_returns() -> None:
    events = classify(
        [
            Appearance("ann", "shop", ts("2026-11-02 10:00")),
            Appearance("ann", "shop", ts("2026-11-03 10:00")),
            Appearance("ann", "support", ts("2026-11-03 11:00")),  # new on this account
            Appearance("bob", "shop", ts("2026-11-03 12:00")),
        ]
    )
    assert [(e.contact_id, e.account_id, e.returning) for e in events] == [
        ("ann", "shop", False),
        ("ann", "shop", True),
        ("ann", "support", False),
        ("bob", "shop", False),
    ]


def test_team_scope_sees_a_contact_known_on_another_account_as_returning() -> None:
    events = classify(
        [
            Appearance("ann", "shop", ts("2026-11-02 10:00")),
            Appearance("ann", "support", ts("2026-11-03 11:00")),
        ],
        scope=DedupScope.TEAM,
    )
    assert [e.returning for e in events] == [False, True]


def test_known_history_makes_a_return() -> None:
    key = scope_key("ann", "shop", None, DedupScope.ACCOUNT)
    classifier = IntakeClassifier(first_seen={key: ts("2025-01-01 00:00")})
    assert classifier.observe(Appearance("ann", "shop", ts("2026-11-02 10:00"))).returning
    assert classifier.first_seen(key) == ts("2025-01-01 00:00")


def test_day_boundary_at_four_with_utc_offset() -> None:
    # UTC+8, day starts 04:00 local = 20:00 UTC the evening before.
    boundary = DayBoundary.parse("04:00", utc_offset_s=8 * 3600)
    # 19:59 UTC = 03:59 local on the 3rd: still the 2nd's working day.
    assert boundary.day_of(ts("2026-11-02 19:59")) == date(2026, 11, 2)
    assert boundary.day_of(ts("2026-11-02 20:00")) == date(2026, 11, 3)
    assert boundary.start_of(date(2026, 11, 2)) == ts("2026-11-01 20:00")
    assert boundary.end_of(date(2026, 11, 2)) == ts("2026-11-02 20:00")


def test_a_night_shift_counts_after_midnight_for_the_evening() -> None:
    events = classify(
        [
            Appearance("ann", "shop", ts("2026-11-02 22:00")),
            Appearance("bob", "shop", ts("2026-11-03 02:00")),
            Appearance("cid", "shop", ts("2026-11-03 05:00")),
        ]
    )
    counts = count_intake(events, DayBoundary.parse("04:00"))
    assert counts == [
        IntakeCount(date(2026, 11, 2), "shop", 2, 0),
        IntakeCount(date(2026, 11, 3), "shop", 1, 0),
    ]
    midnight = count_intake(events, DayBoundary())
    assert [(c.day.day, c.total) for c in midnight] == [(2, 1), (3, 2)]


def _two_accounts_one_agent() -> list[Appearance]:
    return [
        Appearance("ann", "shop", ts("2026-11-02 09:00"), "alice", "promo"),
        Appearance("ann", "shop", ts("2026-11-02 09:30"), "alice", "promo"),
        Appearance("ann", "support", ts("2026-11-02 10:00"), "alice"),
        Appearance("ann", "vip", ts("2026-11-02 11:00"), "bruno"),
        Appearance("bob", "shop", ts("2026-11-02 12:00"), "bruno", "promo"),
    ]


@pytest.mark.parametrize(
    ("scope", "per_account"),
    [
        (DedupScope.ACCOUNT, {"shop": 2, "support": 1, "vip": 1}),
        (DedupScope.AGENT, {"shop": 2, "vip": 1}),  # ann counted once for alice
        (DedupScope.TEAM, {"shop": 2}),  # ann counted once for the team
    ],
)
def test_dedup_scope_decides_who_is_the_same_contact(
    scope: DedupScope, per_account: dict[str, int]
) -> None:
    events = classify(_two_accounts_one_agent(), scope=scope)
    counts = count_intake(events, DayBoundary(), scope=scope)
    assert {c.group: c.total for c in counts} == per_account


def test_counts_per_agent_and_per_link() -> None:
    events = classify(_two_accounts_one_agent())
    by_agent = count_intake(events, DayBoundary(), group_by="agent")
    assert {c.group: c.new for c in by_agent} == {"alice": 2, "bruno": 2}
    by_link = count_intake(events, DayBoundary(), group_by="link")
    assert {c.group: c.total for c in by_link} == {"promo": 2, "": 2}


def test_returns_are_counted_apart_from_new_contacts() -> None:
    events = classify(
        [
            Appearance("ann", "shop", ts("2026-11-02 09:00")),
            Appearance("ann", "shop", ts("2026-11-03 09:00")),
            Appearance("bob", "shop", ts("2026-11-03 09:05")),
        ]
    )
    day2 = count_intake(events, DayBoundary())[1]
    assert (day2.new, day2.returning, day2.total) == (1, 1, 2)


@pytest.mark.parametrize("text", ["4am", "24:00", "04:60", "", "4:0"])
def test_bad_day_boundary_is_named(text: str) -> None:
    with pytest.raises(ValueError, match="day boundary must be a time like 04:00"):
        DayBoundary.parse(text)


def test_bad_offset_and_group_are_named() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        DayBoundary(0, 20 * 3600)
    with pytest.raises(ValueError, match="group_by"):
        count_intake([], DayBoundary(), group_by="team")  # type: ignore[arg-type]
