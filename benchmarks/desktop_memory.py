"""Memory of the desktop with 1, 5 and 10 sandbox accounts, awake and hibernated.

Memory is the PSS (proportional set size: shared pages split among the processes that map them)
of the whole process tree: the app and every QtWebEngineProcess under it (zygotes, GPU/utility,
one renderer per page), summed from ``/proc/<pid>/smaps_rollup``. Each account count runs in a
fresh process: every page is loaded with its recipe and left to settle, then measured awake;
then every account but the current one is frozen through the page lifecycle API, measured; then
discarded (Chromium ends their renderers; a click reloads them), measured. Linux only.

    xvfb-run -a python benchmarks/desktop_memory.py [--accounts 1 5 10] [--settle 8] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desktop_harness import (
    chromium_for_benchmarks,
    configure_accounts,
    sandbox_process,
    tree_pss_mib,
    wait_until,
)


def child(home: str, settle_s: float) -> None:
    """One app on ``home``: prints PSS awake, frozen and discarded as one JSON line."""
    chromium_for_benchmarks()
    from relaydesk.desktop.app import build_window, make_application
    from relaydesk.desktop.hibernation import HibernationPolicy, Sleep
    from relaydesk.paths import app_paths

    app = make_application([sys.argv[0]])
    window = build_window(app_paths(home), app)
    window.hibernation_timer.stop()
    window.show()
    loaded: set[str] = set()
    for view in window.views.values():
        view.page_loaded.connect(lambda account_id, _ok: loaded.add(account_id))
    window.load_pages()
    wait_until(app, lambda: len(loaded) == len(window.views), 120)
    wait_until(app, lambda: False, settle_s)
    result: dict[str, object] = {"accounts": len(window.views), "loaded": len(loaded)}
    result["awake_mib"], result["awake_processes"] = tree_pss_mib()
    for label, discard in (("frozen", False), ("discarded", True)):
        for view in window.views.values():
            view.last_active = time.monotonic() - 3600
        window.apply_hibernation(HibernationPolicy(after_s=60, discard=discard))
        wait_until(app, lambda: False, settle_s / 2)
        result[f"{label}_mib"], result[f"{label}_processes"] = tree_pss_mib()
        result[f"{label}_accounts"] = sum(
            1 for v in window.views.values() if v.sleep is not Sleep.AWAKE
        )
    print(json.dumps(result), flush=True)
    window.close()
    window.shutdown()
    window.deleteLater()
    wait_until(app, lambda: False, 0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--settle", type=float, default=8.0, help="seconds before measuring")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.settle)
        return 0
    if not Path("/proc/self/smaps_rollup").exists():
        parser.error("needs Linux /proc/<pid>/smaps_rollup")
    if any(n < 1 for n in args.accounts):
        parser.error("--accounts must be 1 or more")
    rows = []
    with sandbox_process() as url:
        for count in args.accounts:
            with tempfile.TemporaryDirectory() as tmp:
                home = Path(tmp) / "home"
                configure_accounts(home, count, url)
                done = subprocess.run(
                    [sys.executable, __file__, "--child", str(home), "--settle", str(args.settle)],
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
                lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
                if not lines:
                    print(f"run with {count} accounts failed:\n{done.stderr[-2000:]}")
                    return 1
                rows.append(json.loads(lines[-1]))
    for row in rows:
        for key in ("awake_mib", "frozen_mib", "discarded_mib"):
            row[key] = round(row[key], 1)
        row["saving_frozen_pct"] = round(100 * (1 - row["frozen_mib"] / row["awake_mib"]), 1)
        row["saving_discarded_pct"] = round(
            100 * (1 - row["discarded_mib"] / row["awake_mib"]), 1
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("PSS of the app's whole process tree (MiB; processes in brackets):")
    print(f"  {'accounts':>8}  {'awake':>12}  {'frozen':>18}  {'discarded':>18}")
    for r in rows:
        print(
            f"  {r['accounts']:>8}  {r['awake_mib']:>7} [{r['awake_processes']:>2}]"
            f"  {r['frozen_mib']:>7} [{r['frozen_processes']:>2}] {-r['saving_frozen_pct']:>+5}%"
            f"  {r['discarded_mib']:>7} [{r['discarded_processes']:>2}]"
            f" {-r['saving_discarded_pct']:>+5}%"
        )
    print("  (hibernated: every account but the current one; % is the change from awake)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
