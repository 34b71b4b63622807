"""The team server's answers on when the team first saw a contact, kept in the store.

The intake counter's "team" scope asks the team server about each contact once (today's and the
past weeks' that the usual profile counts); kept here, a restart does not ask again. A contact
is named as the server names it: its account there and its handle, under the server's URL.
Times are Unix seconds, as the server answers them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy.orm import Session

from relaydesk.store.repository import Store

ServerContact = tuple[str, str]  # (the server's account id, the handle)

# One primary-key look-up per contact: SQLite searches a row-value IN list by the server alone
# (every kept answer of the server, for each chunk of pairs), which took seconds for 30,000.
_RECALL = """
SELECT first_seen_at, asked_at FROM team_first_seen
WHERE server = ? AND account_id = ? AND handle = ?
"""
_KEEP = """
INSERT INTO team_first_seen (server, account_id, handle, first_seen_at, asked_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (server, account_id, handle) DO UPDATE SET
    first_seen_at = coalesce(excluded.first_seen_at, team_first_seen.first_seen_at),
    asked_at = excluded.asked_at
"""


class Recalled(NamedTuple):
    """What the server said before about some contacts."""

    seen: dict[ServerContact, float]  # when the team first saw them
    absent: dict[ServerContact, float]  # the team had not seen them: when that was asked


def recall_first_seen(store: Store, server: str, contacts: Iterable[ServerContact]) -> Recalled:
    """The kept answers of ``server`` about ``contacts`` (those never asked are left out)."""
    asked = list(dict.fromkeys(contacts))

    def work(session: Session) -> Recalled:
        seen: dict[ServerContact, float] = {}
        absent: dict[ServerContact, float] = {}
        cursor = session.connection().connection.cursor()  # the driver's: a few µs a look-up
        try:
            for account_id, handle in asked:
                row = cursor.execute(_RECALL, (server, account_id, handle)).fetchone()
                if row is None:
                    continue
                first_ms, asked_ms = row
                if first_ms is None:
                    absent[(account_id, handle)] = asked_ms / 1000
                else:
                    seen[(account_id, handle)] = first_ms / 1000
        finally:
            cursor.close()
        return Recalled(seen, absent)

    return store.transaction(work)


def keep_first_seen(
    store: Store,
    server: str,
    answers: Iterable[tuple[str, str, float | None]],
    asked_at: float,
) -> None:
    """Keep ``server``'s answer: (account id, handle, when the team first saw the contact, or
    None: it had not). A time once known is never forgotten by a later absent answer."""
    asked_ms = round(asked_at * 1000)
    rows = [
        (server, account_id, handle, None if at is None else round(at * 1000), asked_ms)
        for account_id, handle, at in answers
    ]
    if rows:
        store.transaction(lambda session: session.connection().exec_driver_sql(_KEEP, rows))
