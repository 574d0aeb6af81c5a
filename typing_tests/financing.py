"""User code: how much of a purchase a credit line finances, and which cap binds.

Type-checked in CI by ``mypy --strict`` and pyright (strict); runs with
``python typing_tests/financing.py``.
"""

from __future__ import annotations

from typing import assert_type

from tradeassure import Money
from tradeassure.credit import CreditLine, FinancingQuote, draw, interest, quote, repay

line = CreditLine(limit=Money(2_000_000, "USD"), outstanding=Money(900_000, "USD"))
assert_type(line.limit, Money)
assert_type(line.outstanding, Money)
assert_type(line.available, Money)

offer = quote(line, Money(200_000, "USD"))
assert_type(offer, FinancingQuote)
assert_type(offer.amount, Money)
assert_type(offer.limited_by, str)
assert_type(offer.insurance_fee, Money)
for cap in offer.caps:
    assert_type(cap.rule, str)
    assert_type(cap.amount, Money)
assert offer.limited_by == "CR-OUTSTANDING"
assert str(offer.amount) == "USD 99,999.99"

drawn = draw(line, offer.amount, Money(200_000, "USD"))
assert_type(drawn, CreditLine)
assert_type(repay(drawn, offer.amount), CreditLine)
assert_type(interest(offer.amount, 30), Money)
