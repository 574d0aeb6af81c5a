"""Strategies for e-Credit Lines and the trades they finance."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from tradeassure.credit import DEFAULT_FINANCING, CreditLine, FinancingPolicy
from tradeassure.money import Money, minor_unit
from tradeassure.testing._money import money

__all__ = ["credit_lines", "payables"]


@st.composite
def credit_lines(
    draw: st.DrawFn,
    policy: FinancingPolicy = DEFAULT_FINANCING,
    max_limit: Decimal | int | str | None = None,
    fresh: bool = False,
) -> CreditLine:
    """Credit lines in ``policy``'s currency whose limit the policy's terms cover.

    Limits run from just over the policy's ``min_limit`` (zero without one) to its
    ``max_limit``, or to ``max_limit`` given here, or to ten times the floor (at least
    10,000,000). The history varies: outstanding from zero to the limit, a drawn total
    at least that, and, once something was drawn, either side of the first full
    repayment. ``fresh`` gives lines never drawn on.
    """
    currency = policy.currency
    unit = Decimal(1).scaleb(-minor_unit(currency))
    low = Decimal(0) if policy.min_limit is None else policy.min_limit.amount + unit
    if max_limit is not None:
        high = Decimal(max_limit)
    elif policy.max_limit is not None:
        high = policy.max_limit.amount
    else:
        high = max(low * 10, Decimal(10_000_000))
    limit = draw(money(currency=currency, min_amount=low, max_amount=high))
    if fresh:
        return CreditLine(limit=limit)
    # Below the CR-OUTSTANDING ceiling as often as anywhere up to the limit, so quotes
    # are not mostly zero on large lines; and often within one trade's financing of the
    # ceiling, so that CR-OUTSTANDING (or CR-AVAILABLE) binds with an amount above zero.
    ceiling = limit.amount
    if policy.outstanding_below is not None:
        ceiling = min(ceiling, policy.outstanding_below.amount)
    near = max(Decimal(0), ceiling - Decimal(200_000))
    outstanding = draw(
        money(currency=currency, max_amount=ceiling)
        | money(currency=currency, max_amount=limit.amount)
        | money(currency=currency, min_amount=near, max_amount=ceiling)
    )
    earlier = money(currency=currency, max_amount=limit.amount)
    if policy.new_customer_share is not None:
        # Often within one trade's financing of the CR-NEW-CUSTOMER ceiling, likewise.
        room = max(Decimal(0), limit.amount * policy.new_customer_share - outstanding.amount)
        earlier |= money(
            currency=currency, min_amount=max(Decimal(0), room - 200_000), max_amount=room
        )
    drawn_total = outstanding + draw(earlier)
    repaid_once = draw(st.booleans()) if not drawn_total.is_zero else False
    return CreditLine(
        limit=limit,
        outstanding=outstanding,
        drawn_total=drawn_total,
        fully_repaid_once=repaid_once,
    )


def payables(
    currency: str = "USD",
    max_amount: Decimal | int | str = 2_000_000,
    whole_minor_units: bool = True,
) -> st.SearchStrategy[Money]:
    """A trade's total payable amount: positive, in ``currency``, up to ``max_amount``.

    ``whole_minor_units=False`` adds computed totals with sub-cent digits.
    """
    unit = Decimal(1).scaleb(-minor_unit(currency) - (0 if whole_minor_units else 6))
    return money(
        currency=currency,
        min_amount=unit,
        max_amount=max_amount,
        whole_minor_units=whole_minor_units,
    )
