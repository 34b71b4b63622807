"""sync part of Relaydesk (see docs/architecture.md)."""
