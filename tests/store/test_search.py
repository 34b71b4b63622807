"""Full-text search over contacts, notes and messages, in Chinese as well as in English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from relaydesk.store.repository import Store
from relaydesk.store.segmentation import match_expression


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def filled(store: Store) -> Store:
    store.record_message(
        "wa1", "+8613800138000", "m1", "in", "你好，我想申请退款", at(9), name="王芳"
    )
    store.record_message("wa1", "+8613800138000", "m2", "out", "好的，请提供订单号", at(9, 5))
    store.record_message("tg1", "anna", "t1", "in", "Hello, where is my refund?", at(10))
    store.record_message("tg1", "jose", "t2", "in", "¿Dónde está mi pedido?", at(10, 1))
    contact = store.find_contact("tg1", "anna") or 0
    store.add_note(contact, "Anna prefers e-mail; 日本語 OK")
    return store


def _texts(store: Store, query: str, kind: str = "message") -> list[str]:
    return [hit.text for hit in store.search(query) if hit.kind == kind]


def test_a_chinese_query_finds_the_chinese_message(filled: Store) -> None:
    assert _texts(filled, "退款") == ["你好，我想申请退款"]
    assert _texts(filled, "订单号") == ["好的，请提供订单号"]


def test_chinese_characters_must_be_side_by_side(filled: Store) -> None:
    assert _texts(filled, "款退") == []


def test_a_single_chinese_character_finds_a_contact_name(filled: Store) -> None:
    hits = [hit for hit in filled.search("芳") if hit.kind == "contact"]
    assert [hit.account_id for hit in hits] == ["wa1"]


def test_english_words_match_by_prefix_and_case_insensitively(filled: Store) -> None:
    assert _texts(filled, "REFU") == ["Hello, where is my refund?"]
    assert _texts(filled, "refund where") == ["Hello, where is my refund?"]
    assert _texts(filled, "refu where") == []  # only the last word is a prefix
    assert _texts(filled, "refund nowhere") == []


def test_accents_do_not_matter(filled: Store) -> None:
    assert _texts(filled, "donde") == ["¿Dónde está mi pedido?"]


def test_notes_are_searched_too(filled: Store) -> None:
    assert _texts(filled, "日本語", kind="note") == ["Anna prefers e-mail; 日本語 OK"]
    assert _texts(filled, "prefers", kind="note") == ["Anna prefers e-mail; 日本語 OK"]


def test_a_phone_number_finds_its_contact(filled: Store) -> None:
    hits = [hit for hit in filled.search("8613800138000") if hit.kind == "contact"]
    assert len(hits) == 1


def test_an_edited_note_is_found_by_its_new_text_only(filled: Store) -> None:
    note = next(hit for hit in filled.search("prefers") if hit.kind == "note")
    filled.edit_note(note.id, "call after six")
    assert _texts(filled, "prefers", kind="note") == []
    assert _texts(filled, "six", kind="note") == ["call after six"]


def test_newest_messages_come_first(store: Store) -> None:
    for n in range(5):
        store.record_message("wa1", "c", f"m{n}", "in", f"refund number {n}", at(9, n))
    assert _texts(store, "refund") == [f"refund number {n}" for n in reversed(range(5))]


@pytest.mark.parametrize("typed", ['"', "*", "AND", "NEAR(", "a OR b", "'; DROP TABLE", "   ", ""])
def test_search_syntax_typed_by_the_user_never_breaks_the_search(filled: Store, typed: str) -> None:
    filled.search(typed)  # no exception: query syntax is quoted away


def test_an_empty_query_matches_nothing() -> None:
    assert match_expression("  ,  ") is None
