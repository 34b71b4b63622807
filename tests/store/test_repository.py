"""Recording what the recipes saw and reading a customer's card, as the side panel uses them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from relaydesk.store.database import StoreError
from relaydesk.store.repository import Store


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_a_message_seen_twice_is_kept_once(store: Store) -> None:
    first = store.record_message("wa1", "+5511987654321", "m1", "in", "hi", at(9))
    again = store.record_message("wa1", "+5511987654321", "m1", "in", "hi", at(9))
    assert first.stored and first.new_contact
    assert not again.stored
    assert len(store.contact_card(first.contact_id).history) == 1


def test_the_same_phone_on_two_accounts_is_one_person_on_the_card(store: Store) -> None:
    whatsapp = store.record_message("wa1", "+5511987654321", "m1", "in", "on whatsapp", at(9))
    telegram = store.record_message(
        "tg1", "tg-4242", "t1", "in", "on telegram", at(11), phone="+55 11 98765-4321"
    )
    store.add_note(whatsapp.contact_id, "asked about the refund")
    store.tag(telegram.contact_id, "refund")

    card = store.contact_card(telegram.contact_id)
    assert card.accounts == ("tg1", "wa1")
    assert [line.text for line in card.history] == ["on whatsapp", "on telegram"]
    assert [note.text for note in card.notes] == ["asked about the refund"]
    assert card.tags == ("refund",)
    assert card.first_seen == at(9) and card.last_seen == at(11)


def test_different_people_do_not_share_a_card(store: Store) -> None:
    one = store.record_message("wa1", "+5511987654321", "m1", "in", "one", at(9))
    other = store.record_message("tg1", "tg-1", "t1", "in", "other", at(9))
    assert store.contact_card(one.contact_id).accounts == ("wa1",)
    assert [line.text for line in store.contact_card(other.contact_id).history] == ["other"]


def test_card_history_is_the_most_recent_messages_oldest_first(store: Store) -> None:
    for minute in range(30):
        store.record_message("wa1", "c", f"m{minute}", "in", f"line {minute}", at(9, minute))
    card = store.contact_card(store.find_contact("wa1", "c") or 0, history=5)
    assert [line.text for line in card.history] == [f"line {m}" for m in range(25, 30)]


def test_quick_actions_change_the_card(store: Store) -> None:
    contact = store.record_message("wa1", "c", "m1", "in", "hello", at(9)).contact_id
    note = store.add_note(contact, "first draft")
    store.edit_note(note, "final text")
    store.tag(contact, "vip-lead")
    store.tag(contact, "vip-lead")
    store.update_contact(contact, vip=True, language="zh", value=1200.0, segment="gold")
    store.update_contact(contact, previous_agent="Mei")
    assert store.close_conversation(contact)
    assert not store.close_conversation(contact)

    card = store.contact_card(contact)
    assert [n.text for n in card.notes] == ["final text"]
    assert card.tags == ("vip-lead",)
    assert (card.vip, card.language, card.value, card.segment) == (True, "zh", 1200.0, "gold")
    assert card.previous_agent == "Mei"
    assert not card.open_conversation

    store.untag(contact, "vip-lead")
    store.edit_note(note, "   ")
    card = store.contact_card(contact)
    assert card.tags == () and card.notes == ()


def test_a_new_message_after_closing_opens_a_new_conversation(store: Store) -> None:
    contact = store.record_message("wa1", "c", "m1", "in", "hello", at(9)).contact_id
    store.close_conversation(contact)
    store.record_message("wa1", "c", "m2", "in", "again", at(10))
    assert store.contact_card(contact).open_conversation


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s: s.record_message("nope", "c", "k", "in", "x", at(9)), "unknown account 'nope'"),
        (lambda s: s.record_message("wa1", "c", "k", "sideways", "x", at(9)), "'in' or 'out'"),
        (lambda s: s.record_message("wa1", "c", "", "in", "x", at(9)), "stable key"),
        (
            lambda s: s.record_message("wa1", "d", "k", "in", "x", at(9), phone="+12"),
            "phone",
        ),
        (lambda s: s.contact_card(999), "no contact 999"),
        (lambda s: s.edit_note(999, "x"), "no note 999"),
        (lambda s: s.update_contact(1, owner="me"), "cannot set ['owner']"),
        (lambda s: s.tag(1, "  "), "a tag needs a name"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(store: Store, call, words: str) -> None:  # type: ignore[no-untyped-def]
    store.record_message("wa1", "c", "m1", "in", "hello", at(9))
    with pytest.raises(StoreError, match=None) as refused:
        call(store)
    assert words in str(refused.value)


def test_naive_times_are_refused(store: Store) -> None:
    from datetime import datetime

    with pytest.raises(Exception, match="without a timezone"):
        store.record_message("wa1", "c", "m1", "in", "x", datetime(2026, 1, 1, 9))


def test_a_phone_number_learnt_later_joins_the_contact_to_that_person(store: Store) -> None:
    whatsapp = store.record_message("wa1", "+5511987654321", "m1", "in", "on whatsapp", at(9))
    telegram = store.record_message("tg1", "tg-4242", "t1", "in", "on telegram", at(10))
    assert store.contact_card(telegram.contact_id).accounts == ("tg1",)
    store.record_message("tg1", "tg-4242", "t2", "in", "my number", at(11), phone="+5511987654321")
    card = store.contact_card(whatsapp.contact_id)
    assert card.accounts == ("tg1", "wa1")
    assert [line.text for line in card.history] == ["on whatsapp", "on telegram", "my number"]
