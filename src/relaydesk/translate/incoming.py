"""Translating the customer messages visible in the open chat into the agent's language.

Messages are detected off the event loop, messages already in the agent's language (or with no
words at all) are skipped, the rest go to the service grouped by source language, and each
translation is reported as soon as it lands with the line to show under the message. A failed
message keeps a retry mark until ``retry`` succeeds; offline shows the original with a note.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from relaydesk.translate.detection import DetectedLanguage, LanguageDetection
from relaydesk.translate.resolver import MIN_CONFIDENCE, ContactLanguages, contact_language_from
from relaydesk.translate.service import TranslationResult, TranslationService, TranslationStatus


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A customer message on the page: the recipe's key for it and its text."""

    key: str
    text: str


class MessageState(StrEnum):
    TRANSLATED = "translated"
    SKIPPED = "skipped"  # already in the agent's language, or no words
    FAILED = "failed"  # retry mark
    OFFLINE = "offline"  # original with a note


@dataclass(frozen=True, slots=True)
class MessageTranslation:
    """What to show under one message."""

    key: str
    state: MessageState
    source: str | None
    line: str  # the text the recipe shows under the message ("" shows nothing)
    reason: str = ""


# The notes put into the page in place of a translation, in English. The desktop shows them in
# the agent's UI language (``IncomingTranslator.note``: relaydesk.desktop.page_notes, where
# lupdate finds them under the context "IncomingTranslator").
OFFLINE_NOTE = "Offline: not translated yet, will retry when back online"
FAILED_NOTE = "↻ Translation failed; retry from the translation panel"


def line_for(
    result: TranslationResult, agent_language: str, note: Callable[[str], str] = str
) -> tuple[MessageState, str]:
    """The line under a message: the translation with its language pair, or a mark (its
    English text passed through ``note``, which translates it)."""
    if result.status is TranslationStatus.DONE:
        return (
            MessageState.TRANSLATED,
            f"{result.translation}  ({result.source} → {agent_language})",
        )
    if result.status is TranslationStatus.OFFLINE:
        return MessageState.OFFLINE, note(OFFLINE_NOTE)
    return MessageState.FAILED, note(FAILED_NOTE)


class ChatToggles:
    """Which chats have translation of incoming messages turned off (on by default)."""

    def __init__(self) -> None:
        self._off: set[str] = set()

    def enabled(self, chat_id: str) -> bool:
        return chat_id not in self._off

    def set(self, chat_id: str, enabled: bool) -> None:
        if enabled:
            self._off.discard(chat_id)
        else:
            self._off.add(chat_id)


Listener = Callable[[MessageTranslation], None]


class IncomingTranslator:
    """Translates a chat's visible customer messages; remembers failures for retry."""

    def __init__(
        self,
        service: TranslationService,
        detection: LanguageDetection,
        contact_languages: ContactLanguages,
        agent_language: str,
    ) -> None:
        self.service = service
        self.detection = detection
        self.contact_languages = contact_languages
        self.agent_language = agent_language
        self.toggles = ChatToggles()
        # The page's notes (offline, failed) in the agent's UI language: English text in, its
        # translation out (the desktop sets it; read at each note, so a language switch shows).
        self.note: Callable[[str], str] = str
        # Told (contact id, language) when a contact's language is learned or changes, so the
        # compose panel can preview in it at once.
        self.language_learned: list[Callable[[str, str], None]] = []
        self._failed: dict[str, dict[str, IncomingMessage]] = defaultdict(dict)
        self._shown: dict[str, set[str]] = defaultdict(set)

    def hide(self, contact_id: str) -> list[MessageTranslation]:
        """Turn translation off for a chat; the empty lines that take its translations away."""
        self.toggles.set(contact_id, False)
        keys = sorted(self._shown.pop(contact_id, set()))
        return [MessageTranslation(key, MessageState.SKIPPED, None, "") for key in keys]

    def failed(self, contact_id: str) -> list[IncomingMessage]:
        """Messages of this chat showing a retry mark."""
        return list(self._failed[contact_id].values())

    async def translate_visible(
        self, contact_id: str, messages: Sequence[IncomingMessage], listener: Listener
    ) -> list[MessageTranslation]:
        """Translate ``messages`` (visible first); ``listener`` hears each one when ready."""
        if not self.toggles.enabled(contact_id):
            return []
        detected = await self.service.run_blocking(self._detect_all, [m.text for m in messages])
        remembered = self.contact_languages.language_of(contact_id)
        learned = contact_language_from(
            [(m.text, d) for m, d in zip(messages, detected, strict=True)], self.agent_language
        )
        if learned is not None and learned != remembered:
            self.contact_languages.remember(contact_id, learned)
            remembered = learned
            for tell in self.language_learned:
                tell(contact_id, learned)

        done: list[MessageTranslation] = []
        by_source: dict[str, list[IncomingMessage]] = defaultdict(list)
        for message, language in zip(messages, detected, strict=True):
            unsure = language is not None and language.confidence < MIN_CONFIDENCE
            if unsure and remembered not in (None, self.agent_language):
                by_source[str(remembered)].append(message)  # a short word from a known speaker
                continue
            if language is None or language.only(self.agent_language):
                skipped = MessageTranslation(message.key, MessageState.SKIPPED, None, "")
                done.append(skipped)
                listener(skipped)
                self._failed[contact_id].pop(message.key, None)
                continue
            source = _source_for(language, self.agent_language, remembered)
            by_source[source].append(message)

        await asyncio.gather(
            *(
                self._translate_group(contact_id, source, group, listener, done)
                for source, group in by_source.items()
            )
        )
        order = {m.key: n for n, m in enumerate(messages)}
        return sorted(done, key=lambda t: order[t.key])

    async def retry(self, contact_id: str, listener: Listener) -> list[MessageTranslation]:
        """Try the messages with a retry mark again."""
        self.service.forget_offline()
        return await self.translate_visible(contact_id, self.failed(contact_id), listener)

    async def _translate_group(
        self,
        contact_id: str,
        source: str,
        group: list[IncomingMessage],
        listener: Listener,
        done: list[MessageTranslation],
    ) -> None:
        keys_by_text: dict[str, list[IncomingMessage]] = defaultdict(list)
        for message in group:
            keys_by_text[message.text].append(message)

        def landed(result: TranslationResult) -> None:
            state, line = line_for(result, self.agent_language, self.note)
            for message in keys_by_text[result.text]:
                translation = MessageTranslation(message.key, state, source, line, result.reason)
                if state is MessageState.TRANSLATED:
                    self._failed[contact_id].pop(message.key, None)
                else:
                    self._failed[contact_id][message.key] = message
                done.append(translation)
                self._shown[contact_id].add(message.key)
                listener(translation)

        await self.service.translate_many(
            [m.text for m in group], source, self.agent_language, landed
        )

    def _detect_all(self, texts: list[str]) -> list[DetectedLanguage | None]:
        return [self.detection.detect(text) for text in texts]


def _source_for(detected: DetectedLanguage, agent_language: str, remembered: str | None) -> str:
    """The language to translate from: the detected one unless it is the agent's own (a mixed
    message), then the contact's remembered language, else let the engine guess."""
    if detected.code != agent_language:
        return detected.code
    for code in detected.languages:
        if code != agent_language:
            return code
    return remembered or "auto"
