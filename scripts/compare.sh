#!/usr/bin/env bash
# The routing core at work, on a fresh clone: the simulator replays two weeks of a real
# contact-center trace through each routing policy and compares them (table on the terminal,
# plot and JSON under out/). Extra arguments go to `relaydesk-sim compare`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
mkdir -p out
exec .venv/bin/relaydesk-sim compare data/anonymous-bank/calls-1999-02-01_14.tsv \
  --policies load_aware,fifo_pooled,round_robin,longest_idle,random,per_agent_split \
  --json out/compare.json --plot out/waits.png "$@"
