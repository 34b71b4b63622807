"""The agent's accounts, in tab order, persisted as JSON under the config dir.

Plain Python so the rules (unique ids, names required, order kept, atomic saves) are tested without
Qt; the window only mirrors this list. A crash mid-save keeps the previous file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any


class AccountError(ValueError):
    """An account change that cannot be made; the message says why in a sentence."""


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One login on one platform, as the workstation keeps it.

    ``url`` overrides the platform's service URL (a sandbox page, a self-hosted service).
    ``hibernate`` off keeps the page alive however long it idles.
    """

    id: str
    platform: str
    name: str
    url: str = ""
    team_account: bool = False
    hibernate: bool = True
    notifications_muted: bool = False
    spellcheck_language: str = "en-US"


_ID_SAFE = re.compile(r"[^a-z0-9]+")


def new_account_id(platform: str) -> str:
    """An id that is safe as a folder name and never reused (profiles live under it)."""
    stem = _ID_SAFE.sub("-", platform.lower()).strip("-") or "account"
    return f"{stem}-{uuid.uuid4().hex[:8]}"


class AccountList:
    """The ordered accounts, with every change saved at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._accounts: list[AccountConfig] = []
        self.problems: list[str] = []

    # -- reading ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[AccountConfig]:
        return iter(list(self._accounts))

    def __len__(self) -> int:
        return len(self._accounts)

    def get(self, account_id: str) -> AccountConfig:
        for account in self._accounts:
            if account.id == account_id:
                return account
        raise AccountError(f"There is no account with the id {account_id!r}.")

    def index_of(self, account_id: str) -> int:
        return [a.id for a in self._accounts].index(self.get(account_id).id)

    def load(self) -> AccountList:
        """Read the file; a damaged entry is skipped and noted in ``problems``, never fatal."""
        self.problems = []
        self._accounts = []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self
        except (OSError, ValueError) as exc:
            self.problems.append(f"{self.path}: unreadable ({exc}); starting with no accounts")
            return self
        entries = raw.get("accounts", []) if isinstance(raw, dict) else []
        known = {f.name for f in fields(AccountConfig)}
        seen: set[str] = set()
        for entry in entries:
            if not isinstance(entry, dict):
                self.problems.append(f"skipped an account entry that is not an object: {entry!r}")
                continue
            try:
                account = AccountConfig(**{k: v for k, v in entry.items() if k in known})
            except TypeError as exc:
                self.problems.append(f"skipped an account entry ({exc})")
                continue
            if account.id in seen:
                self.problems.append(f"skipped a second account with the id {account.id!r}")
                continue
            seen.add(account.id)
            self._accounts.append(account)
        return self

    # -- changing --------------------------------------------------------------------------
    def add(
        self, platform: str, name: str, *, url: str = "", team_account: bool = False, **extra: Any
    ) -> AccountConfig:
        name = name.strip()
        if not name:
            raise AccountError("An account needs a name.")
        if not platform:
            raise AccountError("An account needs a platform.")
        account = AccountConfig(
            id=new_account_id(platform),
            platform=platform,
            name=name,
            url=url,
            team_account=team_account,
            **extra,
        )
        self._accounts.append(account)
        self.save()
        return account

    def update(self, account_id: str, **changes: Any) -> AccountConfig:
        if "id" in changes:
            raise AccountError("An account's id never changes (its profile folder is named by it).")
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
            if not changes["name"]:
                raise AccountError("An account needs a name.")
        index = self.index_of(account_id)
        self._accounts[index] = replace(self._accounts[index], **changes)
        self.save()
        return self._accounts[index]

    def rename(self, account_id: str, name: str) -> AccountConfig:
        return self.update(account_id, name=name)

    def remove(self, account_id: str) -> AccountConfig:
        account = self._accounts.pop(self.index_of(account_id))
        self.save()
        return account

    def move(self, account_id: str, to_index: int) -> None:
        """Put the account at ``to_index`` (clamped), keeping the others' relative order."""
        account = self._accounts.pop(self.index_of(account_id))
        to_index = max(0, min(to_index, len(self._accounts)))
        self._accounts.insert(to_index, account)
        self.save()

    def reorder(self, ids: list[str]) -> None:
        """Adopt the order of ``ids`` (the tab bar after a drag); it must name every account."""
        if sorted(ids) != sorted(a.id for a in self._accounts):
            raise AccountError("A new order must list every account exactly once.")
        by_id = {a.id: a for a in self._accounts}
        self._accounts = [by_id[i] for i in ids]
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "accounts": [asdict(a) for a in self._accounts]}
        fd, tmp = tempfile.mkstemp(prefix=".accounts-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, ensure_ascii=False)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
