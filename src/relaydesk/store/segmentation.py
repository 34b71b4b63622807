"""Words for the full-text index, in Chinese as well as in space-separated languages.

SQLite's ``unicode61`` tokenizer splits on spaces and punctuation, which leaves a Chinese or
Japanese sentence as one long "word" that no query matches. Before indexing, each character of a
script written without spaces (CJK ideographs, kana, Hangul syllables, Thai) becomes its own word;
a query in such a script becomes a phrase of its characters, so ``退款`` finds ``我要退款`` (the two
characters side by side) and one- or two-character queries work, which trigrams cannot do.
Words of other scripts match whole, except the last one typed, which matches by prefix
(``refu`` finds ``refund`` while the agent is still typing); a prefix merges every word it
starts, so keeping prefixes to the last word keeps searches fast on a large store.
"""

from __future__ import annotations

import re

# Scripts written without spaces between words.
_UNSPACED = (
    "\u0e00-\u0e7f"  # Thai
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_QUERY_PART = re.compile(f"[{_UNSPACED}]+|[^\\s{_UNSPACED}]+")
_WORD_CHARS = re.compile(r"[\w]+")


def index_text(text: str) -> str:
    """``text`` as the index should see it: unspaced scripts one character per word."""
    if not _UNSPACED_CHAR.search(text):
        return text
    return _UNSPACED_CHAR.sub(lambda found: f" {found.group(0)} ", text)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed (all parts must match), or None if empty.

    User text never reaches FTS5's query syntax: every part is quoted, so ``"``, ``*``, ``AND``
    or ``NEAR(`` typed in the search box are searched for as words, not obeyed.
    """
    parts: list[str] = []
    last_is_word = False
    for piece in _QUERY_PART.findall(query):
        if _UNSPACED_CHAR.match(piece):
            parts.append('"' + " ".join(piece) + '"')
            last_is_word = False
            continue
        for word in _WORD_CHARS.findall(piece):
            parts.append('"' + word.replace('"', '""') + '"')
            last_is_word = True
    if not parts:
        return None
    if last_is_word:
        parts[-1] += "*"
    return " AND ".join(parts)
