"""``relaydesk demo``: the team server, the sandbox, two simulated colleagues and the desktop app,
started together on loopback so a newcomer sees the whole system work (docs/demo.md)."""
