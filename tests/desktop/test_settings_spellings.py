"""Settings values spelled as the parts that read them spell them (no Qt needed)."""

from __future__ import annotations

import json
from pathlib import Path

from relaydesk.desktop.settings import SettingsFile, choices
from relaydesk.store.intake import scope_from_setting
from relaydesk.translate.engines import EngineKind


def test_every_engine_setting_is_an_engine_the_translate_part_knows() -> None:
    assert {EngineKind(value) for value in choices("translation_engine")} == set(EngineKind)


def test_an_old_chatgpt_setting_reads_as_the_llm_engine(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"translation_engine": "chatgpt"}), encoding="utf-8")
    settings_file = SettingsFile(path)
    assert settings_file.load().translation_engine == "llm"
    assert settings_file.problems == []


def test_every_dedup_scope_setting_counts_in_the_store() -> None:
    assert [scope_from_setting(value).value for value in choices("intake_dedup_scope")] == [
        "account",
        "my_accounts",
        "team",
    ]
