"""``relaydesk-server``: the team server."""

from __future__ import annotations

from relaydesk.cli import not_built_yet


def main(argv: list[str] | None = None) -> int:
    return not_built_yet("relaydesk-server", "the team server", argv)


if __name__ == "__main__":
    raise SystemExit(main())
