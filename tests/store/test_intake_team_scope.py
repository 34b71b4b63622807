"""The store's half of the "team" dedup scope: which contacts a day counts (what the desktop asks
the team server about) and the team's first-seen times making them returning, on screen and in
the CSV export."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

from relaydesk.store.intake import DayClock, DedupScope
from relaydesk.store.intake_events import DayContact, IntakeLedger
from relaydesk.store.repository import Store
from relaydesk.store.team_first_seen import keep_first_seen, recall_first_seen

CLOCK = DayClock()
DAY = date(2026, 11, 23)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "store.db")
    store.ensure_account("wa", "whatsapp", "WA")
    store.ensure_account("tg", "telegram", "TG")
    return store


def test_a_day_names_each_contact_with_its_person_and_handle(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.note_arrival("wa", "+447700900001", "", at(22, 9))  # the day before: not asked
    store.note_arrival("wa", "+447700900001", "", at(23, 9))
    store.note_arrival("wa", "+447700900001", "", at(23, 15))  # again: one contact
    store.record_message("tg", "4242", "m1", "in", "hi", at(23, 10), phone="+447700900002")
    store.note_arrival("tg", "777", "", at(23, 11))
    store.note_arrival("wa", "+447700900003", "", at(24, 9))  # the day after
    ledger = IntakeLedger(store)
    assert ledger.contacts_of(DAY, DAY, CLOCK) == [
        DayContact("acct:tg:777", "tg", "777"),
        DayContact("tel:+447700900001", "wa", "+447700900001"),
        DayContact("tel:+447700900002", "tg", "4242"),  # a chat id whose phone is known
    ]
    assert len(ledger.contacts_of(date(2026, 11, 22), date(2026, 11, 24), CLOCK)) == 4


def test_the_teams_first_seen_times_make_contacts_returning_in_the_export(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.note_arrival("wa", "+447700900001", "", at(23, 9))
    store.note_arrival("tg", "777", "", at(23, 11))
    ledger = IntakeLedger(store)
    team = {"tel:+447700900001": at(1, 12)}  # a teammate saw the phone first, on the 1st

    def export(scope: DedupScope, first_seen: dict[str, datetime] | None) -> str:
        out = io.StringIO()
        ledger.export_csv(DAY, DAY, CLOCK, scope, out, first_seen)
        return out.getvalue()

    board = ledger.day(DAY, CLOCK, DedupScope.TEAM, team)
    assert (board.new, board.returning) == (1, 1)
    assert (ledger.day(DAY, CLOCK, DedupScope.MY_ACCOUNTS, team).new) == 2  # team only
    counts = ledger.counts(DAY, DAY, CLOCK, DedupScope.TEAM, team)
    assert [(c.hour, c.new, c.returning) for c in counts] == [(9, 0, 1), (11, 1, 0)]
    assert export(DedupScope.TEAM, team).splitlines()[1:] == [
        "2026-11-23,09:00,wa,0,1",
        "2026-11-23,11:00,tg,1,0",
    ]
    assert export(DedupScope.TEAM, None).splitlines()[1] == "2026-11-23,09:00,wa,1,0"


def test_asked_again_the_day_gains_new_contacts_and_follows_rewritten_ones(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    ledger = IntakeLedger(store)
    store.note_arrival("wa", "Rita", "", at(23, 9))  # a chat-list title, before its number
    assert ledger.contacts_of(DAY, DAY, CLOCK) == [DayContact("acct:wa:Rita", "wa", "Rita")]
    store.note_arrival("tg", "777", "", at(23, 10))
    assert [c.handle for c in ledger.contacts_of(DAY, DAY, CLOCK)] == ["777", "Rita"]
    store.adopt_handle("wa", "Rita", "+447700900001")  # the open chat told the number
    assert ledger.contacts_of(DAY, DAY, CLOCK) == [
        DayContact("acct:tg:777", "tg", "777"),
        DayContact("tel:+447700900001", "wa", "+447700900001"),
    ]


def test_the_usual_new_counts_past_days_with_the_teams_first_seen_times(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.note_arrival("wa", "+447700900001", "", at(16, 10))  # last Monday, on my WhatsApp
    store.note_arrival("tg", "777", "", at(16, 10))  # last Monday too, nobody else saw them
    store.note_arrival("wa", "+447700900003", "", at(23, 9))  # today: not the usual's
    ledger = IntakeLedger(store)
    assert [c.handle for c in ledger.past_contacts(DAY, CLOCK)] == ["777", "+447700900001"]
    # A teammate first saw the phone two weeks ago, on an account of their own.
    team = {"tel:+447700900001": at(9, 15)}
    now = at(23, 12)

    def usual_new_at_ten(scope: DedupScope, first_seen: dict[str, datetime] | None) -> float:
        board = ledger.dashboard(now, CLOCK, scope, 0, usual_first_seen=first_seen)
        assert board.usual[10] == 2.0  # the usual of all contacts is the same in every scope
        return board.usual_new[10]

    assert usual_new_at_ten(DedupScope.TEAM, None) == 2.0  # not known yet: as on my accounts
    assert usual_new_at_ten(DedupScope.TEAM, team) == 1.0  # returning for the team
    assert usual_new_at_ten(DedupScope.MY_ACCOUNTS, team) == 2.0  # "all my accounts": new
    assert usual_new_at_ten(DedupScope.TEAM, dict(team)) == 1.0  # the same times again
    assert ledger.usual_new(DAY, CLOCK, DedupScope.TEAM, team_first_seen=team)[10] == 1.0
    assert ledger.usual_new(DAY, CLOCK, DedupScope.MY_ACCOUNTS)[10] == 2.0


def test_the_team_servers_answers_are_kept_per_server(tmp_path: Path) -> None:
    store = _store(tmp_path)
    server, other = "https://team.example", "https://other.example"
    shop, ben = ("shop", "+447700900001"), ("shop", "+447700900002")
    keep_first_seen(store, server, [(*shop, 1_700_000_000.5), (*ben, None)], asked_at=1_800_000_000)
    keep_first_seen(store, other, [(*ben, 1_600_000_000.0)], asked_at=1_800_000_000)
    kept = recall_first_seen(store, server, [shop, ben, ("shop", "never asked")])
    assert kept.seen == {shop: 1_700_000_000.5}
    assert kept.absent == {ben: 1_800_000_000.0}  # asked then; the team had not seen them
    # Asked again later: the team has seen Ben's customer since; an absent answer for a
    # contact whose time is known does not forget it.
    keep_first_seen(store, server, [(*shop, None), (*ben, 1_800_000_100.0)], asked_at=1_800_000_200)
    kept = recall_first_seen(store, server, [shop, ben])
    assert kept.seen == {shop: 1_700_000_000.5, ben: 1_800_000_100.0} and kept.absent == {}
    many = [("shop", f"+1555{n:07d}") for n in range(1000)]  # more than one look-up's worth
    keep_first_seen(store, server, [(*c, float(n)) for n, c in enumerate(many)], 1_800_000_300)
    assert len(recall_first_seen(store, server, many).seen) == 1000
    assert recall_first_seen(store, other, [shop, ben]).seen == {ben: 1_600_000_000.0}
