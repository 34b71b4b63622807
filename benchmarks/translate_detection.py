"""Language-detection accuracy on the Tatoeba samples in data/tatoeba/ (English, Chinese, Arabic).

Every sentence of both samples is detected among the configured languages (by default the
team's default set of 13) and compared with the language of the column it came from.
Usage: python benchmarks/translate_detection.py [--languages en,zh,ar,...] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from relaydesk.translate.detection import DEFAULT_LANGUAGES, LanguageDetection

DATA = Path(__file__).resolve().parent.parent / "data" / "tatoeba"
SAMPLES = {"eng-cmn-sample.tsv": ("en", "zh"), "eng-ara-sample.tsv": ("en", "ar")}


def labelled_sentences(data: Path = DATA) -> list[tuple[str, str]]:
    """(expected language, sentence) for every column of every sample line."""
    sentences: list[tuple[str, str]] = []
    for name, (first, second) in SAMPLES.items():
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            columns = line.split("\t")
            if len(columns) >= 2:
                sentences.append((first, columns[0]))
                sentences.append((second, columns[1]))
    return sentences


def measure(languages: list[str]) -> dict[str, object]:
    detection = LanguageDetection(languages, preload=True)
    sentences = labelled_sentences()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    confusions: Counter[str] = Counter()
    started = time.perf_counter()
    for expected, sentence in sentences:
        found = detection.detect(sentence)
        total[expected] += 1
        if found is not None and found.code == expected:
            right[expected] += 1
        else:
            confusions[f"{expected}->{found.code if found else 'none'}"] += 1
    elapsed = time.perf_counter() - started
    return {
        "languages_considered": list(detection.languages),
        "sentences": len(sentences),
        "accuracy": {code: right[code] / total[code] for code in sorted(total)},
        "counts": {code: [right[code], total[code]] for code in sorted(total)},
        "top_confusions": dict(confusions.most_common(8)),
        "ms_per_sentence": 1000 * elapsed / max(1, len(sentences)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--languages",
        default=",".join(DEFAULT_LANGUAGES),
        help="comma-separated ISO 639-1 codes lingua chooses among",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure([code.strip() for code in args.languages.split(",") if code.strip()])
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"languages considered: {', '.join(figures['languages_considered'])}")  # type: ignore[arg-type]
    counts: dict[str, list[int]] = figures["counts"]  # type: ignore[assignment]
    for code, (right, total) in counts.items():
        print(f"{code}: {100 * right / total:.2f}% ({right}/{total})")
    print(f"top confusions: {figures['top_confusions']}")
    print(f"detection time: {figures['ms_per_sentence']:.3f} ms per sentence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
