"""App → recipe commands as JSON: what the recipe's ``onCommand`` in common.js understands.

Every text travels as data and the recipe renders it with ``textContent``, so nothing the app
sends (a customer's name, a translation) can become markup on the page.
"""

from __future__ import annotations

import json


def show_translation(message_key: str, text: str) -> str:
    """Show ``text`` under the message ``message_key`` (empty text removes it)."""
    return json.dumps({"command": "translation", "key": message_key, "text": text})


def fill_compose(text: str) -> str:
    """Put ``text`` in the compose box of the open chat, for the agent to review and send."""
    return json.dumps({"command": "compose", "text": text})


def press_send() -> str:
    """Press the open chat's Send button, as the agent would (only with auto-send turned on)."""
    return json.dumps({"command": "send"})


def show_banner(text: str) -> str:
    """Show an ownership banner over the open chat (empty text hides it)."""
    return json.dumps({"command": "banner", "text": text})


def open_chat(chat_key: str) -> str:
    """Open the chat ``chat_key`` (a key of the ``chats`` event) as a click on its row would."""
    return json.dumps({"command": "open", "key": chat_key})
