"""A fresh store in a temporary data dir for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.store.repository import Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "store.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = Store.open(store_path)
    opened.ensure_account("wa1", "whatsapp", "Sales WhatsApp")
    opened.ensure_account("tg1", "telegram", "Support Telegram")
    yield opened
    opened.close()
