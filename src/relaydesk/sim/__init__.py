"""sim part of Relaydesk (see docs/architecture.md)."""
