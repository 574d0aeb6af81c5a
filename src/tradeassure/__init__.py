"""tradeassure: the buyer-protection rules of cross-border B2B trade as pure functions.

The everyday names are re-exported here; each module's ``__all__`` is its full public
API (``tradeassure.escrow``, ``.events``, ``.shipping``, ``.credit``, ``.verification``,
``.policy``, ``.rules``, ``.money``, ``.errors``; ``.serialization``, ``.views`` and
``.testing`` are imported on demand).
"""

from __future__ import annotations

from tradeassure.credit import CreditLine, FinancingQuote, draw, interest, quote, repay
from tradeassure.errors import (
    CurrencyMismatch,
    InvalidInput,
    PolicyError,
    RuleViolation,
    TradeAssureError,
)
from tradeassure.escrow import (
    Order,
    OrderStatus,
    advance,
    allowed_events,
    apply,
    check,
    covered_amount,
    deadlines,
    due_events,
    place,
    replay,
)
from tradeassure.money import Money
from tradeassure.rules import RULES, Rule
from tradeassure.shipping import (
    WorkingCalendar,
    add_working_days,
    calendar_for,
    is_working_day,
    ship_by,
    working_days_between,
)
from tradeassure.terms import Party, PaymentMethod
from tradeassure.verification import BuyerProfile, IdentityTier, identity_tier, verified_until

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "BuyerProfile",
    "CreditLine",
    "CurrencyMismatch",
    "FinancingQuote",
    "IdentityTier",
    "InvalidInput",
    "Money",
    "Order",
    "OrderStatus",
    "Party",
    "PaymentMethod",
    "PolicyError",
    "Rule",
    "RuleViolation",
    "TradeAssureError",
    "WorkingCalendar",
    "__version__",
    "add_working_days",
    "advance",
    "allowed_events",
    "apply",
    "calendar_for",
    "check",
    "covered_amount",
    "deadlines",
    "draw",
    "due_events",
    "identity_tier",
    "interest",
    "is_working_day",
    "place",
    "quote",
    "repay",
    "replay",
    "ship_by",
    "verified_until",
    "working_days_between",
]
