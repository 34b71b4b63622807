"""One persistent ``QWebEngineProfile`` per account, under ``paths.profiles/<account id>``.

Accounts never share cookies, storage or cache: WhatsApp, for one, collapses two logins that share
a profile into one ("Use here"). The profile must outlive its pages, so pages are parented to it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QObject
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineProfileBuilder

from relaydesk.desktop.accounts import AccountConfig

# A current desktop Chrome: services refuse or degrade odd user agents ("works with Chrome 36+").
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/134.0.0.0 Safari/537.36"
)


def dictionary_dirs() -> list[Path]:
    """Where Qt WebEngine looks for spellcheck dictionaries (``<language>.bdic``)."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.DataPath)) / "qtwebengine_dictionaries"]
    if os.environ.get("QTWEBENGINE_DICTIONARIES_PATH"):
        dirs.insert(0, Path(os.environ["QTWEBENGINE_DICTIONARIES_PATH"]))
    return dirs


def has_dictionary(language: str) -> bool:
    """Spellcheck is enabled only with a dictionary; without one Qt logs a warning per profile."""
    return any((folder / f"{language}.bdic").exists() for folder in dictionary_dirs())


def profile_dir(profiles_root: Path, account_id: str) -> Path:
    return profiles_root / account_id


def create_profile(
    account: AccountConfig,
    profiles_root: Path,
    user_agent: str = "",
    parent: QObject | None = None,
) -> QWebEngineProfile:
    """A disk-backed profile for ``account`` with its user agent and spellcheck language."""
    root = profile_dir(profiles_root, account.id)
    builder = QWebEngineProfileBuilder()
    builder.setPersistentStoragePath(str(root / "storage"))
    builder.setCachePath(str(root / "cache"))
    builder.setHttpCacheType(QWebEngineProfile.HttpCacheType.DiskHttpCache)
    builder.setPersistentCookiesPolicy(
        QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies
    )
    profile = builder.createProfile(f"relaydesk-{account.id}", parent)
    profile.setHttpUserAgent(user_agent or DEFAULT_USER_AGENT)
    apply_spellcheck(profile, account.spellcheck_language)
    return profile


def apply_spellcheck(profile: QWebEngineProfile, language: str) -> bool:
    """Check spelling in ``language`` (a dictionary name such as ``en-US``; empty: off).
    Returns whether spellcheck is on: without a ``<language>.bdic`` it stays off (Qt would warn
    for every profile), and the account keeps its choice for when the dictionary is added."""
    if language and has_dictionary(language):
        profile.setSpellCheckLanguages([language])
        profile.setSpellCheckEnabled(True)
        return True
    profile.setSpellCheckEnabled(False)
    profile.setSpellCheckLanguages([])
    return False


def delete_profile_data(profiles_root: Path, account_id: str) -> None:
    """Remove an account's cookies, storage and cache from disk (after its profile is gone)."""
    target = profile_dir(profiles_root, account_id)
    if target.resolve().parent != profiles_root.resolve():
        raise ValueError(f"refusing to delete {target}: not an account profile folder")
    shutil.rmtree(target, ignore_errors=True)


def delete_profile_data_in_background(profiles_root: Path, account_id: str) -> threading.Thread:
    """``delete_profile_data`` on a worker thread: a profile of a real service holds thousands
    of cache files, and deleting them must not stall the UI."""
    profile_dir(profiles_root, account_id)  # checked on the caller's thread, like the deletion
    worker = threading.Thread(
        target=delete_profile_data,
        args=(profiles_root, account_id),
        name=f"delete-profile-{account_id}",
        daemon=True,
    )
    worker.start()
    return worker
