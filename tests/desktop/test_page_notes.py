"""The notes the incoming translator writes into the page come out in the UI language."""

from __future__ import annotations

import pytest

from relaydesk.translate.incoming import FAILED_NOTE, OFFLINE_NOTE, MessageState, line_for
from relaydesk.translate.service import TranslationResult, TranslationStatus

pytestmark = pytest.mark.qt


def test_lupdate_sees_the_translators_own_notes() -> None:
    from relaydesk.desktop.page_notes import NOTES

    assert NOTES == (OFFLINE_NOTE, FAILED_NOTE)  # the same texts, so each has its translation


def test_the_notes_follow_the_ui_language(qapp, home) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.i18n import Translators
    from relaydesk.desktop.page_notes import page_note

    offline = TranslationResult("hola", "es", "en", TranslationStatus.OFFLINE)
    failed = TranslationResult("hola", "es", "en", TranslationStatus.FAILED)
    translators = Translators(home.cache)
    try:
        assert translators.apply("zh_CN", at_start=True)  # compiled here, installed at once
        assert line_for(offline, "en", page_note) == (
            MessageState.OFFLINE,
            "离线：尚未翻译，恢复联网后将自动重试",
        )
        assert line_for(failed, "en", page_note) == (
            MessageState.FAILED,
            "↻ 翻译失败；请在翻译面板中重试",
        )
    finally:
        translators.apply("en")
    assert line_for(offline, "en", page_note) == (MessageState.OFFLINE, OFFLINE_NOTE)
