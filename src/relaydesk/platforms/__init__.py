"""platforms part of Relaydesk (see docs/architecture.md)."""
