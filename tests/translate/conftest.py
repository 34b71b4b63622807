"""Fixtures for the translate tests: the loopback LibreTranslate-compatible server."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


def _load_server_module() -> ModuleType:
    name = "relaydesk_test_libre_server"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("libre_server.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


libre_server = _load_server_module()


@pytest.fixture
def translator_server() -> Iterator[object]:
    """A running loopback translator; ``.url`` and ``.behaviour`` (latency, failures, counts)."""
    with libre_server.running_translator() as running:
        yield running
