"""A contact's stable handle from what a recipe saw: E.164 where the platform shows a phone number.

WhatsApp chat ids (JIDs) carry the number (``5511987654321@c.us``) unless they are the newer
opaque ``@lid`` ids or groups (``@g.us``); other platforms show a phone number only as the title of
an unsaved contact. Everything else keeps the platform's own chat id.
"""

from __future__ import annotations

import re

import phonenumbers

_WHATSAPP_PHONE_JID = re.compile(r"^(\d{6,15})@(?:c\.us|s\.whatsapp\.net)$")
_PHONE_TITLE = re.compile(r"^\+[\d\s\-().]{6,24}$")


def e164(text: str) -> str | None:
    """``text`` as an E.164 number if it is a possible international phone number, else None."""
    candidate = text.strip().strip("\u202a\u202c\u200e\u200f")
    if not _PHONE_TITLE.match(candidate):
        return None
    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_handle(platform_id: str, chat_key: str, title: str = "") -> str:
    """The stable handle of the contact behind ``chat_key`` on ``platform_id``."""
    if platform_id == "whatsapp":
        found = _WHATSAPP_PHONE_JID.match(chat_key)
        if found:
            return e164("+" + found.group(1)) or chat_key
    return e164(title) or chat_key
