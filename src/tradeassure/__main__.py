"""``python -m tradeassure``: the same command as ``tradeassure``."""

import sys

from tradeassure.cli import main

sys.exit(main())
