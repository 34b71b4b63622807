"""store part of Relaydesk (see docs/architecture.md)."""
