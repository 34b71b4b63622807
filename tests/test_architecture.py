"""The import arrows of docs/architecture.md, checked on every run.

A part that reaches around another (a widget calling the server, the team server importing Qt)
breaks the installs that rely on the split, so this is a test, not a convention.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "relaydesk"

# part -> the parts of ours it may import (besides itself and the top-level helpers).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "sim": {"domain"},
    "server": {"domain"},
    "platforms": {"domain"},
    "sandbox": {"platforms"},
    "store": {"domain"},
    "translate": {"domain", "store"},
    "sync": {"domain", "store"},
    "desktop": {"domain", "platforms", "store", "translate", "sync", "sandbox"},
    # Starts a team server, the sandbox and the desktop app (as a process: never imported).
    "demo": {"domain", "platforms", "server", "sandbox"},
}
TOP_LEVEL_HELPERS = {"cli", "paths", "shipped", "__init__"}
NO_QT = {"domain", "sim", "server", "store", "sync", "translate", "sandbox", "demo"}
NO_IO = {"domain"}
IO_MODULES = {"os", "socket", "subprocess", "sqlite3", "httpx", "requests", "asyncio", "time"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _part_files(part: str) -> list[Path]:
    return sorted((SRC / part).rglob("*.py"))


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_part_imports_only_what_the_architecture_allows(part: str) -> None:
    wrong = []
    for path in _part_files(part):
        for name in _imports(path):
            if not name.startswith("relaydesk."):
                continue
            target = name.split(".")[1]
            if target in TOP_LEVEL_HELPERS or target == part or target in ALLOWED[part]:
                continue
            wrong.append(f"{path.relative_to(SRC)} imports {name}")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


@pytest.mark.parametrize("part", sorted(NO_QT))
def test_part_never_imports_qt(part: str) -> None:
    wrong = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in _part_files(part)
        for name in _imports(path)
        if name.split(".")[0] in {"PySide6", "qasync", "shiboken6"}
    ]
    assert not wrong, "\n".join(wrong)


def test_domain_does_no_io_and_reads_no_clock() -> None:
    wrong = [
        f"{path.relative_to(SRC)} imports {name}"
        for part in NO_IO
        for path in _part_files(part)
        for name in _imports(path)
        if name.split(".")[0] in IO_MODULES or name == "datetime.datetime.now"
    ]
    assert not wrong, "\n".join(wrong)
    for path in _part_files("domain"):
        text = path.read_text(encoding="utf-8")
        for call in (r"datetime\.now\(", r"\btime\.time\(", r"date\.today\(", r"(?<![\w.])open\("):
            assert not re.search(call, text), f"{path.relative_to(SRC)} calls {call}"
