"""Settings are declared once, validated with the setting named, and survive bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relaydesk.desktop.settings import (
    AppSettings,
    SettingsError,
    SettingsFile,
    choices,
    describe,
    validated,
)


def test_every_setting_has_a_description_and_section() -> None:
    rows = describe()
    assert len(rows) >= 10
    for name, section, description, _default in rows:
        assert section and description, name


def test_round_trip(tmp_path: Path) -> None:
    store = SettingsFile(tmp_path / "settings.json")
    changed = validated(AppSettings(), theme="dark", hibernate_after_min=5, ui_language="zh_CN")
    store.save(changed)
    assert store.load() == changed
    assert store.problems == []


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert SettingsFile(tmp_path / "nope.json").load() == AppSettings()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("theme", "purple", "theme: 'purple' is not one of system, light, dark"),
        ("hibernate_after_min", -1, "hibernate_after_min: -1 is outside 0"),
        ("hibernate_after_min", "5", "expected a whole number"),
        ("do_not_disturb", 1, "expected true or false"),
        ("intake_day_boundary", "25:00", "expected HH:MM"),
        ("no_such", 1, "no_such: no such setting"),
    ],
)
def test_bad_values_name_the_setting(name: str, value: object, words: str) -> None:
    with pytest.raises(SettingsError, match=words.replace("(", r"\(")):
        validated(AppSettings(), **{name: value})


def test_bad_entries_in_a_hand_edited_file_fall_back_and_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", "hibernate_after_min": "lots", "bogus": 1}))
    store = SettingsFile(path)
    loaded = store.load()
    assert loaded.theme == "dark"
    assert loaded.hibernate_after_min == AppSettings().hibernate_after_min
    assert len(store.problems) == 2


def test_corrupt_file_starts_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    store = SettingsFile(path)
    assert store.load() == AppSettings()
    assert "unreadable" in store.problems[0]


def test_choices_come_from_the_declaration() -> None:
    assert choices("ui_language") == ("system", "en", "zh_CN")
    assert choices("team_server_url") == ()
