"""Platform recipes: descriptors in Python, page-reading JS in resources/recipes/.

See docs/platforms.md.

Everything here but ``qt_bridge`` is plain Python, so the sandbox and the server can use it
without Qt.
"""

from relaydesk.platforms.descriptors import (
    Capability,
    PlatformDescriptor,
    all_platforms,
    get_platform,
)

__all__ = ["Capability", "PlatformDescriptor", "all_platforms", "get_platform"]
