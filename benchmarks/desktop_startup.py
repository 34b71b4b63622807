"""How soon the window shows with N accounts configured (the pages load after it shows).

Each run is a fresh process (Python start, imports, QApplication, Chromium start, window, tabs)
on a home with ``--accounts`` sandbox accounts; the sandbox runs in its own process. Printed per
run: the time from spawning the process to the window being on screen (exposed), the same seen
from inside the process (from its first line, Python start excluded), and when every page has
loaded. Median and max over ``--runs``.

    xvfb-run -a python benchmarks/desktop_startup.py [--accounts 10] [--runs 5] [--json]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (the clock starts before anything is imported)
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desktop_harness import (  # noqa: E402
    chromium_for_benchmarks,
    configure_accounts,
    sandbox_process,
    wait_until,
)


def child(home: str) -> None:
    """One start of the app on ``home``; prints its timings as one JSON line."""
    chromium_for_benchmarks()
    from PySide6.QtCore import QTimer

    from relaydesk.desktop.app import build_window, make_application
    from relaydesk.paths import app_paths

    app = make_application([sys.argv[0]])
    window = build_window(app_paths(home), app)
    window.show()
    handle = window.windowHandle()
    wait_until(app, lambda: handle is not None and handle.isExposed(), 30)
    shown = time.perf_counter() - STARTED
    print(json.dumps({"event": "shown"}), flush=True)
    loaded: set[str] = set()
    for view in window.views.values():
        view.page_loaded.connect(lambda account_id, _ok: loaded.add(account_id))
    QTimer.singleShot(0, window.load_pages)
    all_loaded = wait_until(app, lambda: len(loaded) == len(window.views), 120)
    pages = time.perf_counter() - STARTED
    print(
        json.dumps(
            {
                "event": "done",
                "shown_in_process_s": round(shown, 3),
                "pages_loaded_s": round(pages, 3) if all_loaded else None,
                "accounts": len(window.views),
            }
        ),
        flush=True,
    )
    window.close()
    window.shutdown()
    wait_until(app, lambda: False, 0.3)


def one_run(home: Path) -> dict[str, float | None]:
    spawned = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    shown_from_spawn = None
    result: dict[str, float | None] = {}
    for line in process.stdout:
        record = json.loads(line)
        if record["event"] == "shown":
            shown_from_spawn = time.perf_counter() - spawned
        elif record["event"] == "done":
            result = record
    process.wait(timeout=60)
    result["shown_from_spawn_s"] = round(shown_from_spawn, 3) if shown_from_spawn else None
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    if args.accounts < 0 or args.runs < 1:
        parser.error("--accounts must be 0 or more and --runs 1 or more")
    runs = []
    with sandbox_process() as url, tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        configure_accounts(home, args.accounts, url)
        for _ in range(args.runs):  # the first run also creates the profiles on disk
            runs.append(one_run(home))

    def summary(key: str) -> dict[str, float | None]:
        values = [r[key] for r in runs if r.get(key) is not None]
        if not values:
            return {"median": None, "max": None}
        return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}

    report = {
        "accounts": args.accounts,
        "runs": args.runs,
        "shown_from_spawn_s": summary("shown_from_spawn_s"),
        "shown_in_process_s": summary("shown_in_process_s"),
        "pages_loaded_s": summary("pages_loaded_s"),
        "each_run": runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"desktop start with {args.accounts} accounts, {args.runs} runs (median / max):")
    for key, label in (
        ("shown_from_spawn_s", "window shown, from process spawn"),
        ("shown_in_process_s", "window shown, from the script's first line"),
        ("pages_loaded_s", "every page loaded, from the script's first line"),
    ):
        figures = report[key]
        assert isinstance(figures, dict)
        print(f"  {label:<50} {figures['median']} s / {figures['max']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
