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
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from relaydesk.translate.detection import LanguageDetection
from relaydesk.translate.service import TranslationResult, TranslationService, TranslationStatus

BACK_TRANSLATION_DRIFT = 0.6  # similarity below which the agent is told the meaning may have moved


class GuardMode(StrEnum):
    """What the guard does with text in the agent's language for a contact who reads another."""

    ASK = "ask"  # warn; asking again puts it in as is
    BLOCK = "block"  # warn and refuse: only a translation goes in


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
    guard_mode: GuardMode = GuardMode.ASK

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


def write_quick_replies(path: Path, replies: Sequence[str]) -> None:
    """Write ``replies`` to ``path`` atomically: a crash mid-write leaves the previous file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, draft = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(list(replies), ensure_ascii=False, indent=1) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise


@dataclass
class QuickReplies:
    """Replies saved in the agent's language, translated when inserted into a chat.

    With a ``path`` they are kept in a JSON file (a list of texts) after every change: written
    here, or handed to ``keep`` (the desktop writes them on a worker thread).
    """

    replies: list[str] = field(default_factory=list)
    path: Path | None = None
    keep: Callable[[list[str]], None] | None = field(default=None, compare=False, repr=False)

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
        return cls(list(dict.fromkeys(item for item in data if item.strip())), path)

    def save(self) -> None:
        if self.path is not None:
            write_quick_replies(self.path, self.replies)

    def _changed(self) -> None:
        if self.keep is not None:
            self.keep(list(self.replies))
        else:
            self.save()

    def add(self, text: str) -> bool:
        """Save ``text`` as a reply; False when it was already one."""
        text = text.strip()
        if not text:
            raise ValueError("a quick reply cannot be empty")
        if text in self.replies:
            return False
        self.replies.append(text)
        self._changed()
        return True

    def edit(self, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` in its place (merged when ``new`` is already a reply)."""
        new = new.strip()
        if not new:
            raise ValueError("a quick reply cannot be empty")
        if old not in self.replies or new == old:
            return
        if new in self.replies:
            self.replies.remove(old)
        else:
            self.replies[self.replies.index(old)] = new
        self._changed()

    def remove(self, text: str) -> None:
        if text in self.replies:
            self.replies = [reply for reply in self.replies if reply != text]
            self._changed()

    def matching(self, typed: str) -> Sequence[str]:
        """Replies containing what the agent typed (all of them for an empty filter)."""
        wanted = typed.casefold().strip()
        return [reply for reply in self.replies if wanted in reply.casefold()]

    async def insert(
        self, reply: str, translator: ComposeTranslator, contact_language: str | None
    ) -> ComposeDraft:
        """The reply as a draft in the contact's language."""
        return await translator.preview(reply, contact_language)
