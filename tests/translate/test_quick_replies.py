"""Quick replies edited in place, merged, refused when empty, and written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relaydesk.translate import outgoing
from relaydesk.translate.outgoing import QuickReplies


def test_an_edit_keeps_the_replys_place_and_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "quick_replies.json"
    replies = QuickReplies(["Hello", "Your order has shipped", "Bye"], path)
    replies.edit("Your order has shipped", "  Your order left today ")
    assert replies.replies == ["Hello", "Your order left today", "Bye"]
    assert json.loads(path.read_text(encoding="utf-8")) == replies.replies


def test_an_edit_into_another_reply_merges_the_two() -> None:
    replies = QuickReplies(["Hello", "Hi", "Bye"])
    replies.edit("Hi", "Hello")
    assert replies.replies == ["Hello", "Bye"]


def test_an_edit_to_nothing_is_refused_and_changes_nothing() -> None:
    replies = QuickReplies(["Hello"])
    with pytest.raises(ValueError, match="empty"):
        replies.edit("Hello", "   ")
    assert replies.replies == ["Hello"]


def test_each_change_is_handed_to_keep_instead_of_written_here(tmp_path: Path) -> None:
    kept: list[list[str]] = []
    replies = QuickReplies(path=tmp_path / "quick_replies.json", keep=kept.append)
    assert replies.add("Hello") and not replies.add("Hello")  # a repeat is no change
    replies.edit("Hello", "Hi")
    replies.remove("Hi")
    replies.remove("never saved")
    assert kept == [["Hello"], ["Hi"], []]
    assert not (tmp_path / "quick_replies.json").exists()


def test_a_write_that_fails_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "quick_replies.json"
    outgoing.write_quick_replies(path, ["Hello"])

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outgoing.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        outgoing.write_quick_replies(path, ["Hello", "Bye"])
    assert json.loads(path.read_text(encoding="utf-8")) == ["Hello"]
    assert [p.name for p in tmp_path.iterdir()] == ["quick_replies.json"]  # no draft left
