"""Where a conversation came from: a split link's code in the customer's first message.

A link's prefilled message ends with ``#CODE`` (``splitting.prefilled_message``). The customer's
first message of a conversation is matched to the link, so the conversation is marked with the
link's source (``link``, or ``ad`` for an ad campaign's link) and gets the priority rules for
that source. People retype codes, so the match ignores case; a code that names no link, a link
of another team, or a mangled or deleted code leaves the conversation organic — never an error.
A code in a later message does not re-attribute, with one exception: a workstation that saw
several new messages at once (a chat list shows only the newest) reports the earlier ones when
the chat is opened, dated before the first one it reported; such a message is the
conversation's real first message and may still attribute it.
"""

from __future__ import annotations

import re
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select, update

from relaydesk.domain.models import Source
from relaydesk.domain.priority import ConversationFacts, evaluate
from relaydesk.server.models import AccountRow, ConversationRow, IntakeRow, LinkRow, MessageRow
from relaydesk.server.state import Tx

LINK_CODE = re.compile(r"#([A-Za-z0-9]{2,8})\b")
MAX_CODES = 3  # a message quoting many hashtags is not worth more look-ups

LINKS = cast(Table, LinkRow.__table__)
MESSAGES = cast(Table, MessageRow.__table__)
INTAKES = cast(Table, IntakeRow.__table__)
CONVERSATIONS = cast(Table, ConversationRow.__table__)

_LINKS_BY_CODE = select(
    LINKS.c.id, LINKS.c.code, LINKS.c.team, LINKS.c.targets, LINKS.c.source
).where(LINKS.c.code.in_(bindparam("codes", expanding=True)))
_FIRST_CUSTOMER_MESSAGE = select(func.min(MESSAGES.c.at)).where(
    MESSAGES.c.conversation_id == bindparam("conversation_id"),
    MESSAGES.c.kind == "customer_message",
)
_INTAKE_LINK = update(INTAKES).where(
    INTAKES.c.contact_id == bindparam("b_contact_id"),
    INTAKES.c.account_id == bindparam("b_account_id"),
    INTAKES.c.at == bindparam("b_at"),
    INTAKES.c.link_id.is_(None),
)
_CONVERSATION_LINK = update(CONVERSATIONS).where(CONVERSATIONS.c.id == bindparam("b_id"))


def link_codes(text: str | None) -> list[str]:
    """The candidate codes in a message, upper-cased, in order (no database)."""
    codes: list[str] = []
    for match in LINK_CODE.finditer(text or ""):
        code = match.group(1).upper()
        if code not in codes:
            codes.append(code)
        if len(codes) == MAX_CODES:
            break
    return codes


def serves(link_team: str | None, targets: list[Any] | None, account: Any) -> bool:
    """Whether a link may attribute a conversation on ``account``: the account is one of its
    targets, or the link belongs to the account's team (another team's code counts as organic)."""
    if any(isinstance(t, dict) and t.get("account_id") == account.id for t in targets or ()):
        return True
    return link_team is not None and link_team == account.team


async def link_for(
    tx: Tx, text: str | None, account: AccountRow | Row[Any]
) -> tuple[str, Source] | None:
    """The link whose code ``text`` carries for ``account`` and what its traffic is (link or
    ad), else None (organic)."""
    codes = link_codes(text)
    if not codes:
        return None
    rows = {r.code: r for r in await tx.session.execute(_LINKS_BY_CODE, {"codes": codes})}
    for code in codes:
        row = rows.get(code)
        if row is not None and serves(row.team, row.targets, account):
            return str(row.id), Source(row.source or Source.LINK.value)
    return None


async def attribute_late(
    tx: Tx, conversation: Row[Any], account: AccountRow | Row[Any], text: str, ts: float
) -> dict[str, Any]:
    """The changes that mark an organic conversation as link traffic, when ``text`` (dated
    ``ts``) carries a link's code and is earlier than every customer message it has; else {}.

    The intake counted when the conversation opened gets the link too, and the priority is
    raised when the link's rules give more (never lowered: a rule may have matched the text).
    """
    if conversation.link_id is not None or conversation.source != Source.ORGANIC.value:
        return {}
    if not link_codes(text):
        return {}
    # The event path batches its inserts until the commit (messages, intakes): written now, so
    # the reads below see the earlier events of this transaction (an upload of both lines).
    await tx.write_later()
    first = await tx.session.scalar(_FIRST_CUSTOMER_MESSAGE, {"conversation_id": conversation.id})
    if first is None or ts >= first:
        return {}  # a code in a later message never re-attributes
    found = await link_for(tx, text, account)
    if found is None:
        return {}
    link_id, source = found
    await tx.session.execute(
        _INTAKE_LINK,
        {
            "b_contact_id": conversation.contact_id,
            "b_account_id": conversation.account_id,
            "b_at": first,
            "link_id": link_id,
        },
    )
    facts = ConversationFacts(
        source,
        bool(conversation.is_returning),
        frozenset(conversation.tags or ()),
        text,
        bool(conversation.complaint),
    )
    priority = evaluate(tx.rules.priority_rules, facts)
    changes: dict[str, Any] = {"link_id": link_id, "source": source.value}
    if priority.level > conversation.priority:
        changes.update(priority=priority.level, label=priority.label)
    return changes
