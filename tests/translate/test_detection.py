"""Offline detection: short chat texts, mixed scripts, and accuracy on the Tatoeba samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.translate.detection import DEFAULT_LANGUAGES, LanguageDetection, UnknownLanguage


@pytest.fixture(scope="module")
def detection() -> LanguageDetection:
    return LanguageDetection(DEFAULT_LANGUAGES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("你好", "zh"),
        ("مرحبا", "ar"),
        ("¿Dónde está mi pedido?", "es"),
        ("Where is my order?", "en"),
    ],
)
def test_short_chat_messages(detection: LanguageDetection, text: str, code: str) -> None:
    found = detection.detect(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["👍", "12345", "https://example.com/order/991", "!!! ???"])
def test_no_words_means_no_language(detection: LanguageDetection, text: str) -> None:
    assert detection.detect(text) is None


def test_mixed_scripts_report_every_language(detection: LanguageDetection) -> None:
    found = detection.detect("Hello my friend, 你好吗 我很好")
    assert found is not None
    assert set(found.languages) == {"en", "zh"}
    assert not found.only("en")


def test_unknown_language_code_is_named() -> None:
    with pytest.raises(UnknownLanguage, match="'xx'"):
        LanguageDetection(["en", "xx"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file", "column", "code"),
    [
        ("eng-cmn-sample.tsv", 0, "en"),
        ("eng-cmn-sample.tsv", 1, "zh"),
        ("eng-ara-sample.tsv", 1, "ar"),
    ],
)
def test_tatoeba_accuracy_is_at_least_97_percent(
    detection: LanguageDetection, tatoeba_dir: Path, file: str, column: int, code: str
) -> None:
    lines = (tatoeba_dir / file).read_text(encoding="utf-8").splitlines()
    sentences = [line.split("\t")[column] for line in lines if "\t" in line]
    right = 0
    for sentence in sentences:
        found = detection.detect(sentence)
        right += found is not None and found.code == code
    assert right / len(sentences) >= 0.97, f"{code}: {right}/{len(sentences)}"
