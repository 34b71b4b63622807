"""Customer lines written into the chat the agent has open: reported from the page's messages.

A page does not raise the unread count of the chat that is open, so team mode's chat-list path
sees nothing of a customer who writes while the agent reads: the ``messages`` event (the open
chat's visible lines, each with the page's key) is then the only witness. ``OpenChatLines``
tells which of its incoming lines are new, so each is reported once:

- a line is known by its key (the page's message id, stable across reloads and workstations);
- only lines below the newest known one, seen while the same chat stayed open, are new; the
  first look at a chat (opened, reopened, the app started) only learns what is there, because
  what came while it was closed rose its unread count and was reported from the chat list;
- the chat list may still show a rise for the open chat (a page that marks it read a moment
  later): each line the list reported is a claim that a new line with that text consumes, and
  each line reported here consumes the list's rise with that text, whichever comes first.

Plain Python (no Qt); the caller passes the clock (monotonic seconds) for the claims' expiry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from relaydesk.desktop.unseen_messages import Line, same_line

MAX_CHATS = 500  # chats remembered per workstation; the least recently seen are forgotten
MAX_KEYS = 400  # keys remembered per chat (a page shows the latest few dozen lines)
# How long a report of one path waits for the other to match it. The list's claims wait
# longer: a chat may be opened minutes after its rise, and the first look spends them.
LISTED_S = 900.0
SHOWN_S = 60.0  # the list of an open chat shows its rise (if ever) within a look or two


@dataclass
class _Chat:
    known: OrderedDict[str, None] = field(default_factory=OrderedDict)  # an ordered set
    listed: list[tuple[str, float]] = field(default_factory=list)  # the list's reports
    shown: list[tuple[str, float]] = field(default_factory=list)  # the lines reported here


def line_identity(lines: Sequence[Line]) -> list[str]:
    """Each line's key; a line without one is named by what it shows (and its occurrence)."""
    seen: dict[str, int] = {}
    out = []
    for line in lines:
        if line.key:
            out.append(line.key)
            continue
        shown = f"{'in' if line.incoming else 'out'}\x1f{line.time}\x1f{line.text}"
        seen[shown] = seen.get(shown, 0) + 1
        out.append(f"{shown}\x1f{seen[shown]}")
    return out


def _take(claims: list[tuple[str, float]], text: str) -> bool:
    """Remove the oldest claim naming ``text``; whether there was one."""
    for n, (claimed, _at) in enumerate(claims):
        if same_line(text, claimed) or same_line(claimed, text):
            del claims[n]
            return True
    return False


class OpenChatLines:
    """Per (desktop account, contact handle): the lines known, and the reports of both paths."""

    def __init__(self) -> None:
        self.chats: OrderedDict[tuple[str, str], _Chat] = OrderedDict()
        self.watching: dict[str, str] = {}  # desktop account -> handle of the chat open there

    def _chat(self, account_id: str, handle: str) -> _Chat:
        key = (account_id, handle)
        chat = self.chats.get(key)
        if chat is None:
            chat = self.chats[key] = _Chat()
            if len(self.chats) > MAX_CHATS:
                self.chats.popitem(last=False)
        else:
            self.chats.move_to_end(key)
        return chat

    def closed(self, account_id: str) -> None:
        """The account's open chat changed (or none is open): the next look is a first look,
        and a later rise in the chat list is a new line again."""
        handle = self.watching.pop(account_id, None)
        chat = self.chats.get((account_id, handle)) if handle is not None else None
        if chat is not None:
            chat.shown.clear()

    def listed(self, account_id: str, handle: str, text: str, now: float) -> bool:
        """The chat list shows a rise with ``text`` as the newest line: False when a line
        reported from the open chat already said it (do not report it again)."""
        chat = self._chat(account_id, handle)
        _expire(chat, now)
        if text and _take(chat.shown, text):
            return False
        chat.listed.append((text, now))
        return True

    def seen(self, account_id: str, handle: str, lines: Sequence[Line], now: float,
             *, first_look: bool = False) -> list[Line]:  # fmt: skip
        """The open chat's visible lines: the new incoming ones to report, oldest first.
        ``first_look`` makes this look learn the lines only (another path reports them)."""
        chat = self._chat(account_id, handle)
        _expire(chat, now)
        keys = line_identity(lines)
        watched = self.watching.get(account_id) == handle
        self.watching[account_id] = handle
        last = max((n for n, k in enumerate(keys) if k in chat.known), default=-1)
        new = [line for n, line in enumerate(lines)
               if n > last and keys[n] not in chat.known]  # fmt: skip
        for k in keys:
            chat.known[k] = None
            chat.known.move_to_end(k)
        while len(chat.known) > MAX_KEYS:
            chat.known.popitem(last=False)
        if not watched or first_look or last < 0:
            # Nothing known on the page (a first look, or a page that shows other lines now):
            # what is there came before, or was reported from the list; its claims are spent
            # on the lines they name.
            for line in reversed(lines):
                if not line.incoming:
                    break
                _take(chat.listed, line.text)
            return []
        out = []
        for line in new:
            if line.incoming and not _take(chat.listed, line.text):
                out.append(line)
                chat.shown.append((line.text, now))
        return out


def _expire(chat: _Chat, now: float) -> None:
    chat.listed[:] = [(t, at) for t, at in chat.listed if now - at < LISTED_S]
    chat.shown[:] = [(t, at) for t, at in chat.shown if now - at < SHOWN_S]
