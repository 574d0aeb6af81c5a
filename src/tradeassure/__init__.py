"""tradeassure: the buyer-protection rules of cross-border B2B trade as pure functions.

The everyday names are re-exported here; each module's ``__all__`` is its public API.
"""

from __future__ import annotations

from tradeassure.errors import (
    CurrencyMismatch,
    InvalidInput,
    PolicyError,
    RuleViolation,
    TradeAssureError,
)
from tradeassure.money import Money
from tradeassure.rules import RULES, Rule
from tradeassure.terms import Party, PaymentMethod

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "CurrencyMismatch",
    "InvalidInput",
    "Money",
    "Party",
    "PaymentMethod",
    "PolicyError",
    "Rule",
    "RuleViolation",
    "TradeAssureError",
    "__version__",
]
