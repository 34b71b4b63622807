"""The agent's drafts in the contact's language: preview, guard, back-translation, quick replies.

The desktop debounces typing and calls ``preview``; Enter puts ``ComposeDraft.to_send`` into the
platform's input. The guard catches the classic slip of sending text in the agent's own language
to a contact who reads another; the optional back-translation lets the agent see what the
contact will understand, flagged when it drifts far from what they wrote.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.service import TranslationResult, TranslationService, TranslationStatus

BACK_TRANSLATION_DRIFT = 0.6  # similarity below which the agent is told the meaning may have moved


@dataclass(frozen=True, slots=True)
class ComposeDraft:
    """The agent's text, its translation for the contact and what the agent should know."""

    original: str
    contact_language: str | None
    translation: TranslationResult | None = None
    back_translation: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def to_send(self) -> str:
        """What Enter puts into the platform's input: the translation, else the original."""
        if self.translation is not None and self.translation.status is TranslationStatus.DONE:
            return self.translation.shown_text
        return self.original

    @property
    def translated(self) -> bool:
        return self.translation is not None and self.translation.status is TranslationStatus.DONE


def guard_warning(
    text: str,
    detection: LanguageDetection,
    agent_language: str,
    contact_language: str | None,
) -> str | None:
    """A warning when ``text`` is in the agent's language and the contact reads another."""
    if contact_language is None or contact_language == agent_language:
        return None
    detected = detection.detect(text)
    if detected is None or detected.code != agent_language or detected.confidence < 0.5:
        return None
    return (
        f"This text is in your language ({agent_language}) but the contact reads "
        f"{contact_language}. Send the translation instead?"
    )


def drift(original: str, back: str) -> float:
    """How similar the back-translation is to the original (1 = the same words)."""
    return difflib.SequenceMatcher(None, original.casefold(), back.casefold()).ratio()


@dataclass
class ComposeTranslator:
    """Turns the agent's drafts into the contact's language with one translation service."""

    service: TranslationService
    detection: LanguageDetection
    agent_language: str
    back_translate: bool = False
    guard: bool = True

    async def preview(self, text: str, contact_language: str | None) -> ComposeDraft:
        """The draft in the contact's language (nothing to do when they share the agent's)."""
        if not text.strip() or contact_language in (None, self.agent_language):
            return ComposeDraft(text, contact_language)
        result = await self.service.translate(text, self.agent_language, contact_language)
        warnings: list[str] = []
        back: str | None = None
        if result.status is TranslationStatus.OFFLINE:
            warnings.append("Offline: the original will be sent untranslated")
        elif result.status is TranslationStatus.FAILED:
            warnings.append(f"Translation failed ({result.reason}); Enter sends the original")
        elif self.back_translate and result.translation is not None:
            back_result = await self.service.translate(
                result.translation, contact_language, self.agent_language
            )
            if back_result.status is TranslationStatus.DONE:
                back = back_result.shown_text
                if drift(text, back) < BACK_TRANSLATION_DRIFT:
                    warnings.append("The back-translation differs from what you wrote; check it")
        return ComposeDraft(text, contact_language, result, back, tuple(warnings))

    async def check_original(self, text: str, contact_language: str | None) -> str | None:
        """The guard's warning before sending ``text`` untranslated (None when it is fine)."""
        if not self.guard:
            return None
        return await self.service.run_blocking(
            guard_warning, text, self.detection, self.agent_language, contact_language
        )


class QuickRepliesError(ValueError):
    """The quick replies file cannot be read: the message names the file and the problem."""


@dataclass
class QuickReplies:
    """Replies saved in the agent's language, translated when inserted into a chat.

    With a ``path`` they are kept in a JSON file (a list of texts) and saved on every change.
    """

    replies: list[str] = field(default_factory=list)
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> QuickReplies:
        """The replies saved at ``path`` (none yet when the file does not exist)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise QuickRepliesError(f"cannot read quick replies from {path}: {error}") from error
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise QuickRepliesError(f"{path} should hold a JSON list of texts")
        return cls([item for item in data if item.strip()], path)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        draft = self.path.with_suffix(".tmp")
        draft.write_text(json.dumps(self.replies, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(draft, self.path)

    def add(self, text: str) -> None:
        text = text.strip()
        if not text:
            raise ValueError("a quick reply cannot be empty")
        if text not in self.replies:
            self.replies.append(text)
            self.save()

    def remove(self, text: str) -> None:
        self.replies = [reply for reply in self.replies if reply != text]
        self.save()

    def matching(self, typed: str) -> Sequence[str]:
        """Replies containing what the agent typed (all of them for an empty filter)."""
        wanted = typed.casefold().strip()
        return [reply for reply in self.replies if wanted in reply.casefold()]

    async def insert(
        self, reply: str, translator: ComposeTranslator, contact_language: str | None
    ) -> ComposeDraft:
        """The reply as a draft in the contact's language."""
        return await translator.preview(reply, contact_language)
