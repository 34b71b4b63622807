#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the team server's PostgreSQL tests, on 127.0.0.1 only.
#   bash scripts/pg-test-server.sh start   # prints: export RELAYDESK_TEST_PG_URL=...
#   bash scripts/pg-test-server.sh stop    # stops it and deletes its directory
# Uses Debian's binaries under /usr/lib/postgresql/*/bin; exits non-zero (quietly) when there are
# none. PostgreSQL refuses to run as root, so under root the cluster runs as the `postgres` user.
set -euo pipefail

state_file="${TMPDIR:-/tmp}/relaydesk-pg-test-$(id -u).env"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || exit 3
  if [ -f "$state_file" ]; then stop >/dev/null 2>&1 || true; fi
  owner=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || exit 4
  fi
  local dir port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/relaydesk-pg.XXXXXX")
  chown "$owner" "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  {
    as_owner "$bin/initdb" -D "$dir/data" -U relaydesk -A trust -E UTF8 --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -F -c max_connections=200" start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U relaydesk relaydesk_test
  } 2>/dev/null || { rm -rf "$dir"; exit 5; }
  printf 'bin=%q\ndir=%q\nowner=%q\n' "$bin" "$dir" "$owner" >"$state_file"
  echo "export RELAYDESK_TEST_PG_URL=postgresql+asyncpg://relaydesk@127.0.0.1:$port/relaydesk_test"
}

stop() {
  [ -f "$state_file" ] || return 0
  # shellcheck disable=SC1090
  . "$state_file"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
