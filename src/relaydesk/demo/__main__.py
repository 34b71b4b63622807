import sys

from relaydesk.demo.cli import main

sys.exit(main())
