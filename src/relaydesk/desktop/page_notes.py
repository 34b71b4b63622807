"""The notes the incoming translator writes into a platform's page, in the agent's UI language.

``relaydesk.translate`` holds no Qt: its notes are English (``OFFLINE_NOTE``, ``FAILED_NOTE``)
and ``IncomingTranslator.note`` turns each into the UI language when it is shown. The texts are
repeated here for lupdate (it reads the desktop's sources); a test keeps both the same.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "IncomingTranslator"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


NOTES = (
    QT_TRANSLATE_NOOP(
        "IncomingTranslator", "Offline: not translated yet, will retry when back online"
    ),
    QT_TRANSLATE_NOOP(
        "IncomingTranslator", "↻ Translation failed; retry from the translation panel"
    ),
)


def page_note(text: str) -> str:
    """``text`` (one of the translator's English notes) in the UI language now."""
    return QCoreApplication.translate(CONTEXT, text)
