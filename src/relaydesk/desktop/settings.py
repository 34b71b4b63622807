"""The workstation's settings, declared once as data and read through one object.

Each setting is a dataclass field whose metadata carries its description and section; the settings
dialog is built from these declarations, so adding a setting is one edit here. Values persist as
JSON (written atomically: a crash mid-save keeps the previous file). Secrets never live here: they
go to the OS keyring (see ``secrets.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

Theme = Literal["system", "light", "dark"]
UiLanguage = Literal["system", "en", "zh_CN"]
DedupScope = Literal["account", "all_accounts", "team"]
# The values of relaydesk.translate.engines.EngineKind ("llm": deep-translator's ChatGPT engine).
TranslationEngine = Literal["google", "mymemory", "deepl", "microsoft", "libre", "llm"]
# The guard against text in the agent's language: warn and ask again, or refuse it.
LanguageGuardMode = Literal["ask", "block"]
# relaydesk.translate.detection.DEFAULT_LANGUAGES (not imported: lingua need not load at start).
DEFAULT_DETECTION_LANGUAGES = "en, zh, ar, es, fr, de, pt, ru, ja, ko, th, vi, id"
# Values older versions wrote, read as today's spelling.
_RENAMED = {("translation_engine", "chatgpt"): "llm"}


def _setting(default: Any, description: str, section: str, **limits: Any) -> Any:
    return field(
        default=default, metadata={"description": description, "section": section, **limits}
    )


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Every setting of the desktop app. Descriptions are shown in the settings dialog."""

    ui_language: UiLanguage = _setting(
        "system", "Language of the app's menus and dialogs", "Appearance"
    )
    theme: Theme = _setting("system", "Light or dark theme", "Appearance")
    hibernate_after_min: int = _setting(
        30,
        "Freeze an account's page after this many idle minutes (0: never)",
        "Performance",
        minimum=0,
        maximum=24 * 60,
    )
    discard_hibernated: bool = _setting(
        False,
        "Discard hibernated pages entirely to save more memory (reload on return)",
        "Performance",
    )
    software_rendering: bool = _setting(
        False,
        "Always draw pages without the graphics card (automatic when there is none; on restart)",
        "Performance",
    )
    do_not_disturb: bool = _setting(False, "Show no desktop notifications", "Notifications")
    agent_language: str = _setting(
        "en", "Your own language (translations go into it)", "Translation"
    )
    translation_engine: TranslationEngine = _setting(
        "google", "Default translation engine", "Translation"
    )
    libretranslate_url: str = _setting(
        "", "LibreTranslate server URL, for the self-hosted engine", "Translation"
    )
    auto_send_translation: bool = _setting(
        False, "Send the translated reply at once instead of filling the input", "Translation"
    )
    language_guard: bool = _setting(
        True,
        "Guard against putting text in your own language in a chat whose contact reads another",
        "Translation",
    )
    language_guard_mode: LanguageGuardMode = _setting(
        "ask", "What the guard does with such text (Ctrl+Enter)", "Translation"
    )
    back_translation_check: bool = _setting(
        False,
        "Check translations by translating them back (the panel's check box starts this way)",
        "Translation",
    )
    detection_languages: str = _setting(
        DEFAULT_DETECTION_LANGUAGES,
        "Languages that detection chooses from, as ISO 639-1 codes (on restart)",
        "Translation",
    )
    intake_day_boundary: str = _setting(
        "00:00", "When the intake counter's day starts (HH:MM)", "Intake"
    )
    intake_dedup_scope: DedupScope = _setting(
        "account",
        "Count a contact once per account, across all your accounts, or team-wide",
        "Intake",
    )
    intake_daily_threshold: int = _setting(
        0,
        "Warn when today's intake is on pace to pass this many contacts (0: off)",
        "Intake",
        minimum=0,
        maximum=100_000,
    )
    holding_auto_send_after_min: int = _setting(
        5,
        "On accounts with auto-send on, send the holding reply when the expected wait is at "
        "least this many minutes",
        "Holding replies",
        minimum=0,
        maximum=24 * 60,
    )
    team_server_url: str = _setting("", "Team server address (empty: work alone)", "Team")
    team_login: str = _setting("", "Your login on the team server", "Team")


class SettingsError(ValueError):
    """A setting's value is not allowed; the message names the setting."""


def describe() -> list[tuple[str, str, str, Any]]:
    """(name, section, description, default) for each setting, in declaration order."""
    return [
        (f.name, f.metadata["section"], f.metadata["description"], f.default)
        for f in fields(AppSettings)
    ]


def choices(name: str) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` setting, or () for free values."""
    hint = typing.get_type_hints(AppSettings)[name]
    return tuple(get_args(hint)) if get_origin(hint) is Literal else ()


def _check(name: str, value: Any) -> Any:
    hint = typing.get_type_hints(AppSettings)[name]
    meta = next(f.metadata for f in fields(AppSettings) if f.name == name)
    if get_origin(hint) is Literal:
        if value not in get_args(hint):
            allowed = ", ".join(map(str, get_args(hint)))
            raise SettingsError(f"{name}: {value!r} is not one of {allowed}")
        return value
    expected = hint if isinstance(hint, type) else None
    if expected is bool and not isinstance(value, bool):
        raise SettingsError(f"{name}: expected true or false, got {value!r}")
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise SettingsError(f"{name}: expected a whole number, got {value!r}")
    if expected is str and not isinstance(value, str):
        raise SettingsError(f"{name}: expected text, got {value!r}")
    if expected is int:
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            raise SettingsError(f"{name}: {value} is outside {low}…{high}")
    if name == "detection_languages":
        codes = language_codes(value)
        if len(codes) < 2 or not all(len(code) == 2 and code.isalpha() for code in codes):
            raise SettingsError(
                f"{name}: expected two or more two-letter language codes, got {value!r}"
            )
    if name == "intake_day_boundary":
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise SettingsError(f"{name}: expected HH:MM, got {value!r}")
    return value


def language_codes(text: str) -> tuple[str, ...]:
    """The codes of a ``detection_languages`` value ("en, zh ar" → ("en", "zh", "ar"))."""
    return tuple(dict.fromkeys(code.lower() for code in text.replace(",", " ").split()))


def validated(settings: AppSettings, **changes: Any) -> AppSettings:
    """A copy with ``changes`` applied, each checked against its declaration."""
    known = {f.name for f in fields(AppSettings)}
    for name, value in changes.items():
        if name not in known:
            raise SettingsError(f"{name}: no such setting")
        _check(name, value)
    return replace(settings, **changes)


class SettingsFile:
    """Loads and saves ``AppSettings`` as JSON. Unknown or invalid entries fall back to defaults
    (and are reported in ``problems``) so a hand-edited file never stops the app from starting."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def load(self) -> AppSettings:
        self.problems = []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return AppSettings()
        except (OSError, ValueError) as exc:
            self.problems.append(f"{self.path}: unreadable ({exc}); using defaults")
            return AppSettings()
        if not isinstance(raw, dict):
            self.problems.append(f"{self.path}: not a JSON object; using defaults")
            return AppSettings()
        settings = AppSettings()
        for name, value in raw.items():
            if isinstance(value, str):
                value = _RENAMED.get((name, value), value)
            try:
                settings = validated(settings, **{name: value})
            except SettingsError as exc:
                self.problems.append(str(exc))
        return settings

    def save(self, settings: AppSettings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(asdict(settings), indent=2, ensure_ascii=False, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(data + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
