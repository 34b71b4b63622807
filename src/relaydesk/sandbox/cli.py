"""``relaydesk-sandbox``: local stand-ins for the platforms' web pages."""

from __future__ import annotations

from relaydesk.cli import not_built_yet


def main(argv: list[str] | None = None) -> int:
    return not_built_yet("relaydesk-sandbox", "the platform sandbox", argv)


if __name__ == "__main__":
    raise SystemExit(main())
