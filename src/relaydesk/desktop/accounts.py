"""The agent's accounts, in tab order, persisted as JSON under the config dir.

Plain Python so the rules (unique ids, names required, order kept, atomic saves) are tested without
Qt; the window only mirrors this list. A crash mid-save keeps the previous file. The window saves
with a delay on a worker thread (``save_delay_s``): a drag moves a tab many times and each save
is an fsync, which must not stall the UI; ``flush`` writes what is pending (at quit).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


class AccountError(ValueError):
    """An account change that cannot be made; the message says why in a sentence.

    ``template`` is the English sentence lupdate extracted (``%1`` for the value);
    ``translated()`` gives it in the UI language for a dialog."""

    def __init__(self, template: str, *values: str) -> None:
        self.template = template
        self.values = values
        super().__init__(self._fill(template))

    def _fill(self, template: str) -> str:
        for n, value in enumerate(self.values, start=1):
            template = template.replace(f"%{n}", value)
        return template

    def translated(self) -> str:
        from PySide6.QtCore import QCoreApplication

        return self._fill(QCoreApplication.translate("AccountError", self.template))


_NO_SUCH_ACCOUNT = QT_TRANSLATE_NOOP("AccountError", "There is no account with the id %1.")
_NEEDS_NAME = QT_TRANSLATE_NOOP("AccountError", "An account needs a name.")
_NEEDS_PLATFORM = QT_TRANSLATE_NOOP("AccountError", "An account needs a platform.")
_ID_FIXED = QT_TRANSLATE_NOOP(
    "AccountError", "An account's id never changes (its profile folder is named by it)."
)
_WHOLE_ORDER = QT_TRANSLATE_NOOP(
    "AccountError", "A new order must list every account exactly once."
)
_BAD_SPELLCHECK = QT_TRANSLATE_NOOP(
    "AccountError", "%1 is not a language code such as en-US or de-DE."
)


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
# Chromium's dictionary names (``en-US.bdic``, ``de-DE.bdic``, ``fr.bdic``); empty: no spellcheck.
_SPELLCHECK_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


def check_spellcheck_language(code: str) -> str:
    """``code`` if it is empty (off) or a dictionary name such as en-US, else AccountError."""
    code = code.strip()
    if code and not _SPELLCHECK_CODE.fullmatch(code):
        raise AccountError(_BAD_SPELLCHECK, repr(code))
    return code


def new_account_id(platform: str) -> str:
    """An id that is safe as a folder name and never reused (profiles live under it)."""
    stem = _ID_SAFE.sub("-", platform.lower()).strip("-") or "account"
    return f"{stem}-{uuid.uuid4().hex[:8]}"


class AccountList:
    """The ordered accounts, with every change saved at once."""

    def __init__(self, path: Path, *, save_delay_s: float | None = None) -> None:
        """``save_delay_s`` None saves each change at once; a number saves the latest state that
        long after the last change, on a worker thread."""
        self.path = path
        self.save_delay_s = save_delay_s
        self._accounts: list[AccountConfig] = []
        self.problems: list[str] = []
        self._lock = threading.Lock()  # guards _pending and _timer
        self._write_lock = threading.Lock()  # one write at a time, in order
        self._pending: dict[str, Any] | None = None
        self._timer: threading.Timer | None = None

    # -- reading ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[AccountConfig]:
        return iter(list(self._accounts))

    def __len__(self) -> int:
        return len(self._accounts)

    def get(self, account_id: str) -> AccountConfig:
        for account in self._accounts:
            if account.id == account_id:
                return account
        raise AccountError(_NO_SUCH_ACCOUNT, repr(account_id))

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
            raise AccountError(_NEEDS_NAME)
        if not platform:
            raise AccountError(_NEEDS_PLATFORM)
        if "spellcheck_language" in extra:
            extra["spellcheck_language"] = check_spellcheck_language(extra["spellcheck_language"])
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
            raise AccountError(_ID_FIXED)
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
            if not changes["name"]:
                raise AccountError(_NEEDS_NAME)
        if "spellcheck_language" in changes:
            changes["spellcheck_language"] = check_spellcheck_language(
                str(changes["spellcheck_language"])
            )
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
            raise AccountError(_WHOLE_ORDER)
        by_id = {a.id: a for a in self._accounts}
        self._accounts = [by_id[i] for i in ids]
        self.save()

    def save(self) -> None:
        """Save now, or (with ``save_delay_s``) schedule the save of the current state."""
        data = {"version": 1, "accounts": [asdict(a) for a in self._accounts]}
        if self.save_delay_s is None:
            with self._write_lock:
                self._write(data)
            return
        with self._lock:
            self._pending = data
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.save_delay_s, self._write_pending)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Write a scheduled save now (on this thread); nothing to do when none is pending."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._write_pending()

    def _write_pending(self) -> None:
        with self._write_lock:
            with self._lock:
                data, self._pending = self._pending, None
            if data is None:
                return
            try:
                self._write(data)
            except OSError as exc:  # on the worker thread nobody could catch it
                print(f"relaydesk: could not save {self.path}: {exc}", file=sys.stderr)

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
