"""domain part of Relaydesk (see docs/architecture.md)."""
