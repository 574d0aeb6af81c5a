"""Strategies for Money."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from tradeassure.money import MAX_AMOUNT, Money, minor_unit

__all__ = ["CURRENCIES", "money"]

#: A spread of currencies with 0, 2 and 3 minor digits.
CURRENCIES = ("USD", "EUR", "CNY", "AUD", "JPY", "BHD")


@st.composite
def money(
    draw: st.DrawFn,
    currency: str | None = None,
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = Decimal(10**9),
    whole_minor_units: bool = True,
) -> Money:
    """Money in ``currency`` (or one of :data:`CURRENCIES`) between the bounds, inclusive.

    With ``whole_minor_units`` (the default) the amount has the currency's minor-unit
    precision, as a price would; otherwise up to 6 further digits.
    """
    code = currency if currency is not None else draw(st.sampled_from(CURRENCIES))
    places = minor_unit(code) + (0 if whole_minor_units else draw(st.integers(0, 6)))
    low, high = Decimal(min_amount), min(Decimal(max_amount), MAX_AMOUNT)
    scale = Decimal(10) ** places
    units = draw(
        st.integers(
            int((low * scale).to_integral_value("ROUND_CEILING")),
            int((high * scale).to_integral_value("ROUND_FLOOR")),
        )
    )
    return Money(Decimal(units).scaleb(-places), code)
