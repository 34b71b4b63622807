"""Child process for the kill -9 test: records messages forever, printing each committed key."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from relaydesk.store.repository import Store


def main() -> None:
    store = Store.open(Path(sys.argv[1]))
    store.ensure_account("wa1", "whatsapp")
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    for n in range(1_000_000):
        key = f"m{n}"
        store.record_message(
            "wa1", f"c{n % 50}", key, "in", f"message {n}", start + timedelta(seconds=n)
        )
        print(key, flush=True)  # only after the commit returned


if __name__ == "__main__":
    main()
