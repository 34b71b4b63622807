#!/usr/bin/env bash
# The whole test suite, on a fresh clone: system packages, the virtualenv, lint, types, tests.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh tests/domain -x`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
bash scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"

# Tests only: Chromium refuses to run as root with its sandbox on. Never the product default.
export QTWEBENGINE_DISABLE_SANDBOX=1

echo "== ruff"
ruff check src tests benchmarks installer
echo "== mypy"
mypy

# A throwaway PostgreSQL for the server's PostgreSQL tests (skipped where none can be started).
pg_cleanup=""
if [ -z "${RELAYDESK_TEST_PG_URL:-}" ] && [ -x scripts/pg-test-server.sh ]; then
  if pg_env=$(bash scripts/pg-test-server.sh start); then
    eval "$pg_env"
    pg_cleanup="bash scripts/pg-test-server.sh stop"
  fi
fi
trap '${pg_cleanup:-true}' EXIT

echo "== pytest"
status=0
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1600x1000x24" python -m pytest "$@" || status=$?
else
  python -m pytest "$@" || status=$?
fi
exit "$status"
