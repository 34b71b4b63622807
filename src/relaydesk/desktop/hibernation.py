"""Which idle accounts to put to sleep, decided in plain Python.

The window feeds idle times in; this says freeze, discard or leave alone. The current tab, an
account with hibernation off, and a page already in the target state are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Sleep(StrEnum):
    """A page's lifecycle state, in the project's own words (Qt's Active/Frozen/Discarded)."""

    AWAKE = "awake"
    FROZEN = "frozen"
    DISCARDED = "discarded"


@dataclass(frozen=True, slots=True)
class AccountActivity:
    """What the policy needs to know about one account right now."""

    account_id: str
    idle_s: float
    state: Sleep
    hibernate_allowed: bool = True
    current: bool = False


@dataclass(frozen=True, slots=True)
class HibernationPolicy:
    """Sleep after ``after_s`` idle seconds (0: never); discard instead of freezing if asked."""

    after_s: float
    discard: bool = False

    @property
    def target(self) -> Sleep:
        return Sleep.DISCARDED if self.discard else Sleep.FROZEN

    def decide(self, accounts: list[AccountActivity]) -> dict[str, Sleep]:
        """The accounts whose state should change now, and to what."""
        if self.after_s <= 0:
            return {}
        changes: dict[str, Sleep] = {}
        for account in accounts:
            if account.current or not account.hibernate_allowed:
                continue
            if account.idle_s < self.after_s:
                continue
            if account.state is self.target or account.state is Sleep.DISCARDED:
                continue  # never wake a discarded page just to freeze it
            changes[account.account_id] = self.target
        return changes
