#!/usr/bin/env bash
# The whole system in one command, on a fresh clone: system packages, the virtualenv, then
# `relaydesk demo` (docs/demo.md): a team server, simulated customers and colleagues, and the
# desktop app signed in as a supervisor. Close the window or press Ctrl+C to stop it all.
# Extra arguments go to `relaydesk demo` (e.g. --duration 60 --screenshots out/demo).
# The simulator's policy comparison that this script used to run is now scripts/compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
bash scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"

if [ "$(id -u)" = 0 ] && [ -z "${QTWEBENGINE_DISABLE_SANDBOX:-}" ]; then
  # Chromium refuses to run as root with its sandbox on (a CI box or a container). The app never
  # turns it off by itself; this developer script does, for the demo's local pages only.
  echo "demo.sh: running as root, so Chromium's sandbox is turned off for this demo" \
    "(QTWEBENGINE_DISABLE_SANDBOX=1); run it as a normal user to keep it on." >&2
  export QTWEBENGINE_DISABLE_SANDBOX=1
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec relaydesk demo "$@"
fi
if command -v xvfb-run >/dev/null 2>&1; then
  echo "demo.sh: no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the demo runs on a" \
    "virtual one (xvfb-run) and nothing appears on screen. Run it in a desktop session to watch" \
    "it, or add --duration 60 --screenshots out/demo to get pictures of the window." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" relaydesk demo "$@"
fi
echo "demo.sh: the demo opens a window and there is no display (DISPLAY and WAYLAND_DISPLAY are" \
  "unset) nor xvfb-run to make a virtual one; run it in a desktop session" \
  "(scripts/install-system-deps.sh installs xvfb on Debian and Ubuntu)." >&2
exit 2
