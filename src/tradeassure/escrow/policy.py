"""The escrow's policy: every figure the order lifecycle uses, in named editions
(:class:`EscrowPolicy`; ``DEFAULT_ESCROW``, ``HELP_PAGES_ESCROW``,
``LAUNCH_2014_ESCROW``, by name in ``ESCROW_EDITIONS``)."""

from __future__ import annotations

from tradeassure.policy import (
    DEFAULT_ESCROW,
    ESCROW_EDITIONS,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    EscrowPolicy,
)

__all__ = [
    "DEFAULT_ESCROW",
    "ESCROW_EDITIONS",
    "HELP_PAGES_ESCROW",
    "LAUNCH_2014_ESCROW",
    "EscrowPolicy",
]
