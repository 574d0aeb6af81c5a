"""The ``tradeassure`` command: the library's rules from a shell (docs/cli.md).

This module is the console script's entry point and nothing more: the command itself
(:mod:`tradeassure.cli._app`) is built on click and rich, which come with the ``cli``
extra. Without them, ``tradeassure`` says in one line how to install them and exits 2.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import IO

__all__ = ["main"]

#: What ``tradeassure`` says, and exits 2 with, when the ``cli`` extra is missing.
MISSING_EXTRA = (
    "tradeassure: the command needs the cli extra (click and rich): "
    "pip install 'tradeassure[cli]' (from a checkout: pip install '.[cli]')\n"
)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``) and give its exit status:
    0 fine, 1 refused by a rule (or no match), 2 bad input or usage."""
    try:
        for name in ("click", "rich"):
            importlib.import_module(name)
    except ImportError:
        (stderr or sys.stderr).write(MISSING_EXTRA)
        return 2
    from tradeassure.cli._app import run

    return run(argv, stdout=stdout, stderr=stderr, stdin=stdin)
