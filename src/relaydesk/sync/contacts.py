"""When the team first saw a contact, for the intake counter's "team" dedup scope.

``team_first_seen`` asks the team server (``POST /v1/contacts/first-seen``, batches of
``MAX_PER_CALL``) about contacts named by server account and handle; the answer holds only the
contacts the team has seen. ``FirstSeenBook`` keeps the answers so a workstation asks about
each contact once: a first-seen time never changes, and a contact the team had not seen is asked
about again only after ``recheck_absent_s`` (a colleague's workstation may upload it later).
The desktop keeps the answers in its store too (``relaydesk.store.team_first_seen``) and hands
the book what it kept (``recall``), so a restart does not ask again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from relaydesk.sync.client import API_VERSION, TeamClient
from relaydesk.sync.errors import IncompatibleServer

MAX_PER_CALL = 500  # the server's limit per request
RECHECK_ABSENT_S = 300.0
ACTION = "read when the team first saw these contacts"


class ContactRef(NamedTuple):
    """A contact as the team server names it: its account there and its handle (a tuple: a
    day's thousands of them are hashed on every refresh)."""

    account_id: str
    handle: str


async def team_first_seen(
    client: TeamClient, contacts: Iterable[ContactRef]
) -> dict[ContactRef, float]:
    """When the team first saw each contact it has seen (Unix seconds); others are left out.

    Raises the client's errors (``ServerUnreachable``, ``ActionRefused`` naming
    ``contacts[i].account_id`` for an account the agent may not report for, ...)."""
    asked = list(dict.fromkeys(contacts))
    found: dict[ContactRef, float] = {}
    for start in range(0, len(asked), MAX_PER_CALL):
        batch = asked[start : start + MAX_PER_CALL]
        body = {"contacts": [{"account_id": c.account_id, "handle": c.handle} for c in batch]}
        answer = await client.call("POST", f"/{API_VERSION}/contacts/first-seen", ACTION, body)
        found.update(_parsed(client, answer, set(batch)))
    return found


def _parsed(client: TeamClient, answer: Any, asked: set[ContactRef]) -> dict[ContactRef, float]:
    rows = answer.get("contacts") if isinstance(answer, dict) else None
    if not isinstance(rows, list):
        raise IncompatibleServer(client.server_url, "the first-seen answer has no contacts")
    found: dict[ContactRef, float] = {}
    for row in rows:
        try:
            ref = ContactRef(str(row["account_id"]), str(row["handle"]))
            at = float(row["first_seen_at"])
        except (KeyError, TypeError, ValueError) as exc:
            raise IncompatibleServer(client.server_url, f"a first-seen row is {row!r}") from exc
        if ref in asked:  # nothing the workstation did not ask about
            found[ref] = at
    return found


class FirstSeenBook:
    """The team's first-seen times learnt so far, and which contacts still need asking."""

    def __init__(
        self,
        recheck_absent_s: float = RECHECK_ABSENT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.recheck_absent_s = recheck_absent_s
        self.clock = clock
        self.seen: dict[ContactRef, float] = {}
        self._absent_since: dict[ContactRef, float] = {}  # asked, not seen by the team then

    def known(self, contacts: Iterable[ContactRef]) -> dict[ContactRef, float]:
        return {c: self.seen[c] for c in contacts if c in self.seen}

    def to_ask(self, contacts: Iterable[ContactRef]) -> list[ContactRef]:
        """Contacts never asked about, or absent from the team's answer for a while."""
        now = self.clock()
        out = []
        for contact in dict.fromkeys(contacts):
            if contact in self.seen:
                continue
            asked_at = self._absent_since.get(contact)
            if asked_at is None or now - asked_at >= self.recheck_absent_s:
                out.append(contact)
        return out

    def recall(self, seen: dict[ContactRef, float], absent_for_s: dict[ContactRef, float]) -> None:
        """Take answers given before (kept elsewhere): ``seen`` times, and contacts the team had
        not seen when asked ``absent_for_s`` seconds ago (asked again once that is long)."""
        self.seen.update(seen)
        now = self.clock()
        for contact, ago in absent_for_s.items():
            if contact not in self.seen:
                self._absent_since[contact] = now - ago

    def learn(self, asked: Sequence[ContactRef], found: dict[ContactRef, float]) -> None:
        now = self.clock()
        for contact in asked:
            if contact in found:
                self.seen[contact] = found[contact]
                self._absent_since.pop(contact, None)
            else:
                self._absent_since[contact] = now

    async def update(self, client: TeamClient, contacts: Iterable[ContactRef]) -> int:
        """Ask the server about what is new; returns how many contacts were asked about.
        On failure nothing is learnt (the client's error is raised) and they are asked again."""
        asked = self.to_ask(contacts)
        if asked:
            self.learn(asked, await team_first_seen(client, asked))
        return len(asked)

    def clear(self) -> None:
        """Forget everything (another sign-in: another team)."""
        self.seen.clear()
        self._absent_since.clear()
