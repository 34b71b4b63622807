"""RELAYDESK_HOME keeps a demo or a second instance apart from the user's real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.paths import app_paths


def test_home_puts_everything_under_one_root(tmp_path: Path) -> None:
    paths = app_paths(tmp_path).ensure()
    for folder in (paths.data, paths.config, paths.logs, paths.cache, paths.profiles):
        assert folder.is_dir()
        assert tmp_path in folder.parents


def test_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAYDESK_HOME", str(tmp_path))
    assert app_paths().data == tmp_path / "data"


def test_default_is_the_platform_user_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELAYDESK_HOME", raising=False)
    paths = app_paths()
    assert "Relaydesk" in str(paths.data)
    assert paths.profiles == paths.data / "profiles"
