"""Customer messages a chat list hid: reported once the chat is opened.

A chat-list row shows only its newest line, so when a chat's unread count jumps by more than
one between two looks (a customer who sent the link's prefilled text and their question at
once), team mode reports the newest line at once — the server must route the customer now — and
the earlier ones are unseen. The first of them may carry the split link's ``#CODE``. When the
agent opens the chat, the recipe's ``messages`` event shows them: they are reported then, dated
just before the line already reported, so the server takes them for what they are (the
conversation's real first messages; see ``relaydesk.server.attribution``).

They are not reported when an agent's reply already follows them in the chat: the customer
was answered, and a message reported late must not make the conversation wait on the agent
again. Plain Python (no Qt), so the matching is tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relaydesk.desktop.page_time import line_ts
from relaydesk.sync.events import Contact, EventType, TeamEvent

STEP_S = 0.001  # how far apart the unseen messages are at least, before the one reported
MAX_PENDING = 500  # chats waiting to be opened; the oldest are forgotten past this
MAX_LOOKS = 5  # messages events of the chat without the reported line before giving up


@dataclass(frozen=True, slots=True)
class Line:
    """One visible message of the open chat, as the recipe reports it."""

    incoming: bool
    text: str
    key: str = ""  # the page's message id (recipes make one where the page has none)
    time: str = ""  # as the page shows it ("9:31 pm", "21:31, 1/12/2026", an ISO time)


@dataclass
class Unseen:
    """``hidden`` incoming messages came just before ``text``, reported at ``ts``."""

    server_account_id: str
    contact: Contact
    text: str
    ts: float
    hidden: int
    looks: int = 0


def same_line(shown: str, preview: str) -> bool:
    """A chat list may shorten a line ("…"): the message starts with what the row showed."""
    preview = preview.rstrip("…").rstrip(".").rstrip()
    return shown == preview or (len(preview) >= 8 and shown.startswith(preview))


def hidden_lines(lines: Sequence[Line], unseen: Unseen) -> list[Line] | None:
    """The unseen messages, oldest first; [] when there is nothing to report (answered since,
    or none found before the line); None when the line is not visible (yet)."""
    at = next((i for i in range(len(lines) - 1, -1, -1)
               if lines[i].incoming and same_line(lines[i].text, unseen.text)), None)  # fmt: skip
    if at is None:
        return None
    if any(not line.incoming for line in lines[at + 1 :]):
        return []  # an agent replied after them: never make the customer wait again
    earlier: list[Line] = []
    for line in reversed(lines[:at]):
        if not line.incoming or len(earlier) == unseen.hidden:
            break
        earlier.append(line)
    return list(reversed(earlier))


def hidden_before(lines: Sequence[Line], unseen: Unseen) -> list[str] | None:
    """The texts of ``hidden_lines``."""
    found = hidden_lines(lines, unseen)
    return None if found is None else [line.text for line in found]


def dated(lines: Sequence[Line], before: float, now: float) -> list[float]:
    """A time for each line (oldest first): the page's (``line_ts``), each earlier than the
    next and than ``before``; a line without a shown clock just before the next one."""
    times: list[float] = []
    bound = before
    for line in reversed(lines):
        shown = line_ts(line.time, line.text, now)
        bound = round(bound - STEP_S, 6) if shown is None or shown > bound - STEP_S else shown
        times.append(bound)
    return list(reversed(times))


class UnseenMessages:
    """The chats with unseen messages, per (desktop account, contact handle)."""

    def __init__(self) -> None:
        self.pending: dict[tuple[str, str], Unseen] = {}

    def noted(self, account_id: str, reported: TeamEvent, hidden: int) -> None:
        """``reported`` (the row's newest line) was sent; ``hidden`` messages came before it."""
        key = (account_id, reported.contact.handle)
        if hidden < 1 or not reported.text or key in self.pending:
            return  # a chat already waiting keeps its earliest run: the first message is there
        if len(self.pending) >= MAX_PENDING:
            del self.pending[next(iter(self.pending))]
        self.pending[key] = Unseen(reported.account_id, reported.contact, reported.text,
                                   reported.ts, hidden)  # fmt: skip

    def waiting(self, account_id: str, handle: str) -> bool:
        """Whether the chat has unseen lines still to find on the page."""
        return (account_id, handle) in self.pending

    def opened(self, account_id: str, handle: str, lines: Sequence[Line],
               now: float | None = None) -> list[TeamEvent]:  # fmt: skip
        """The events to report now that the chat's messages are visible (often none);
        ``now`` (wall-clock seconds) places the page's shown times on a day."""
        unseen = self.pending.get((account_id, handle))
        if unseen is None:
            return []
        found = hidden_lines(lines, unseen)
        if found is None:
            unseen.looks += 1
            if unseen.looks >= MAX_LOOKS:
                del self.pending[(account_id, handle)]
            return []
        del self.pending[(account_id, handle)]
        times = dated(found, unseen.ts, unseen.ts if now is None else now)
        return [
            TeamEvent(EventType.CUSTOMER_MESSAGE, unseen.server_account_id, unseen.contact,
                      text=line.text or None, ts=ts)
            for line, ts in zip(found, times, strict=True)
        ]  # fmt: skip
