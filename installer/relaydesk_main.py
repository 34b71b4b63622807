"""The bundled app's entry point: the same ``relaydesk`` command as a pip install."""

import sys

from relaydesk.desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
