from decimal import Decimal

from tradeassure.money import Money
from tradeassure.policy import (
    AU_PARTNER_FINANCING,
    DEFAULT_ESCROW,
    DEFAULT_FINANCING,
    DEFAULT_IDENTITY,
    DEFAULT_SHIPPING,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
)
from tradeassure.rules import RULES

EXAMPLES: list[object] = [
    Money("12.50", "USD"),
    Money(Decimal("-3"), "JPY"),
    Money(0, "BHD"),
    DEFAULT_SHIPPING,
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    DEFAULT_FINANCING,
    AU_PARTNER_FINANCING,
    DEFAULT_IDENTITY,
    RULES["ESC-HOLD"],
]
