"""What describes the person (VIP, language, value, segment) follows them across accounts, and
what the window records from the recipes: arrivals from the chat list, chat-list handles adopted
by the open chat's stable id, translation preferences."""

from __future__ import annotations

from datetime import UTC, datetime, time

from relaydesk.store.intake import DayClock, DedupScope
from relaydesk.store.intake_events import IntakeLedger
from relaydesk.store.repository import Store

PHONE = "+5511987654321"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


def two_contacts_one_person(store: Store) -> tuple[int, int]:
    whatsapp = store.record_message("wa1", PHONE, "m1", "in", "oi", at(9)).contact_id
    telegram = store.record_message(
        "tg1", "tg-4242", "t1", "in", "hello", at(10), phone="+55 11 98765-4321"
    ).contact_id
    return whatsapp, telegram


def test_a_vip_mark_on_whatsapp_shows_on_the_same_persons_telegram_card(store: Store) -> None:
    whatsapp, telegram = two_contacts_one_person(store)
    store.update_contact(whatsapp, vip=True, value=250.0, segment="wholesale", language="pt")
    card = store.contact_card(telegram)
    assert card.vip and card.value == 250.0 and card.segment == "wholesale"
    assert card.language == "pt"
    store.update_contact(telegram, vip=False)  # unmarked anywhere: unmarked everywhere
    assert not store.contact_card(whatsapp).vip


def test_a_contact_joined_later_by_phone_shows_the_persons_marks(store: Store) -> None:
    whatsapp = store.record_message("wa1", PHONE, "m1", "in", "oi", at(9)).contact_id
    store.update_contact(whatsapp, vip=True, language="pt")
    telegram = store.record_message("tg1", "tg-4242", "t1", "in", "hi", at(10)).contact_id
    assert not store.contact_card(telegram).vip  # not known to be the same person yet
    store.record_message("tg1", "tg-4242", "t2", "in", "+55", at(11), phone=PHONE)
    card = store.contact_card(telegram)
    assert card.vip and card.language == "pt"


def test_other_people_keep_their_own_marks(store: Store) -> None:
    first = store.record_message("wa1", PHONE, "m1", "in", "oi", at(9)).contact_id
    other = store.record_message("wa1", "+5511911112222", "m2", "in", "oi", at(9)).contact_id
    store.update_contact(first, vip=True)
    assert not store.contact_card(other).vip


def test_a_chat_list_arrival_counts_once_and_history_on_screen_does_not(store: Store) -> None:
    clock, scope = DayClock(time(0)), DedupScope.ACCOUNT
    assert store.note_arrival("wa1", "Ana Souza", "Ana Souza", at(9))
    assert not store.note_arrival("wa1", "Ana Souza", "Ana Souza", at(9, 5))  # same visit
    store.record_message("wa1", "Bo", "old", "in", "from last week", at(9), arrival=False)
    figures = IntakeLedger(store).day(at(9).date(), clock, scope)
    assert (figures.new, figures.returning) == (1, 0)


def test_the_open_chat_adopts_the_chat_list_contact(store: Store) -> None:
    store.note_arrival("wa1", "Ana Souza", "Ana Souza", at(9))
    listed = store.find_contact("wa1", "Ana Souza")
    adopted = store.adopt_handle("wa1", "Ana Souza", PHONE)
    assert adopted == listed
    assert store.find_contact("wa1", "Ana Souza") is None
    card = store.contact_card(adopted)
    assert card.handle == PHONE and card.phone == PHONE and card.name == "Ana Souza"
    # A message in the open chat minutes later is the same visit, not a second arrival.
    seen = store.record_message("wa1", PHONE, "m1", "in", "oi", at(9, 10))
    assert seen.contact_id == adopted and not seen.appearance


def test_adopting_into_a_known_contact_merges_the_two(store: Store) -> None:
    known = store.record_message("wa1", PHONE, "m1", "in", "oi", at(8)).contact_id
    store.note_arrival("wa1", "Ana Souza", "Ana Souza", at(12))
    listed = store.find_contact("wa1", "Ana Souza")
    assert listed is not None
    store.tag(listed, "refund")
    assert store.adopt_handle("wa1", "Ana Souza", PHONE) == known
    assert store.find_contact("wa1", "Ana Souza") is None
    card = store.contact_card(known)
    assert card.tags == ("refund",) and card.last_seen == at(12)
    figures = IntakeLedger(store).day(at(8).date(), DayClock(time(0)), DedupScope.ACCOUNT)
    assert figures.total == 1  # one person on that account today, counted once
    assert store.search("Ana")[0].contact_id == known


def test_translation_preferences_are_kept(store: Store) -> None:
    contact = store.record_message("wa1", PHONE, "m1", "in", "oi", at(9)).contact_id
    assert store.contact_card(contact).translate_incoming
    store.update_contact(contact, translation_engine="libre", translate_incoming=False)
    card = store.contact_card(contact)
    assert card.translation_engine == "libre" and not card.translate_incoming
    store.set_account_engine("tg1", "mymemory")
    assert store.account_engines() == {"tg1": "mymemory"}
    store.set_account_engine("tg1", None)
    assert store.account_engines() == {}
