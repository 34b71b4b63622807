"""Relaydesk: a workstation for customer-service agents, and a small team server."""

__version__ = "0.1.0"
