"""Fixtures every part's tests share: where the shipped real data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="session")
def bank_trace_path() -> Path:
    """Anonymous Bank call-center data, Technion SEE Center (1–14 Feb 1999)."""
    return DATA / "anonymous-bank" / "calls-1999-02-01_14.tsv"


@pytest.fixture(scope="session")
def tatoeba_dir() -> Path:
    """Tatoeba sentence pairs (CC BY 2.0 FR), English–Mandarin and English–Arabic samples."""
    return DATA / "tatoeba"
