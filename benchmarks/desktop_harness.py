"""What the desktop benchmarks share: a sandbox in its own process, a home with N accounts, and
the memory of a process tree.

The sandbox runs as a separate process (as it would for a demo), so its work never counts as the
desktop's event-loop lag or memory. Accounts cycle over the sandbox's platform pages; two accounts
on one page still have their own profiles.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SANDBOX_PAGES = (
    "whatsapp",
    "telegram_k",
    "telegram_a",
    "messenger",
    "instagram",
    "line_oa",
    "lineworks",
)


def chromium_for_benchmarks() -> None:
    """Set before the QApplication: no Chromium sandbox as root in containers, no GPU in Xvfb."""
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-dev-shm-usage")
    os.environ.setdefault("QT_LOGGING_RULES", "*.warning=false")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _end_with_parent() -> None:
    """In the child: end when the benchmark ends, even if it crashes (Linux PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(1, signal.SIGTERM)


@contextmanager
def sandbox_process(rate: float = 0.0, seed: int = 7) -> Iterator[str]:
    """``relaydesk-sandbox`` on a free loopback port, stopped on exit; yields its base URL."""
    port = _free_port()
    code = (
        "from relaydesk.sandbox.cli import main; "
        f"raise SystemExit(main(['--port', '{port}', '--rate', '{rate}', '--seed', '{seed}']))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_end_with_parent if sys.platform == "linux" else None,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/pages", timeout=2) as answer:
                    json.loads(answer.read())
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def configure_accounts(home: Path, count: int, sandbox_url: str) -> None:
    """Write ``count`` sandbox accounts into the app's account list under ``home``."""
    from relaydesk.desktop.accounts import AccountList
    from relaydesk.desktop.sandbox_accounts import sandbox_page_url
    from relaydesk.paths import app_paths

    paths = app_paths(home).ensure()
    accounts = AccountList(paths.config / "accounts.json").load()
    for n in range(count):
        page = SANDBOX_PAGES[n % len(SANDBOX_PAGES)]
        accounts.add(page, f"{page} {n + 1}", url=sandbox_page_url(sandbox_url, page))
    (paths.config / "window.json").write_text(json.dumps({"welcomed": True}), encoding="utf-8")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (QtWebEngineProcess and its zygotes and renderers)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def pss_kib(pid: int) -> int:
    """Proportional set size of one process (shared pages split among their users)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # it ended meanwhile
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def tree_pss_mib(pid: int | None = None) -> tuple[float, int]:
    """PSS of the whole process tree in MiB, and how many processes it has."""
    tree = process_tree(pid or os.getpid())
    return sum(pss_kib(p) for p in tree) / 1024, len(tree)


def wait_until(app: object, done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the Qt event loop until ``done()`` or the timeout; True if it got done."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
    return True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
