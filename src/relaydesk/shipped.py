"""Where the files Relaydesk ships beside its code are: ``resources/`` and ``translations/``.

A wheel carries them inside the package (``relaydesk/_shipped/``, copied and compiled by
``setup.py``); a source checkout or an editable install has them at the top of the repository.
The installed copy wins, so an install never reads a stray checkout. No Qt here: the recipes, the
sandbox and the server's side can use it too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent / "_shipped"
SOURCE_TREE = Path(__file__).resolve().parents[2]


def shipped_dir(name: str) -> Path:
    """``resources`` or ``translations``: the installed copy if there is one, else the source's."""
    for base in (PACKAGED, SOURCE_TREE):
        if (base / name).is_dir():
            return base / name
    return PACKAGED / name  # neither: paths under it simply do not exist


def is_installed_copy(path: Path) -> bool:
    """True when ``path`` lies in the wheel's copy (its translations come precompiled)."""
    return path.resolve().is_relative_to(PACKAGED)
