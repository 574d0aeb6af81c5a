"""Hypothesis strategies for tradeassure values, and the escrow lifecycle as a state
machine (:class:`EscrowMachine`), for this project's tests and yours.

Needs the ``test`` extra (``pip install 'tradeassure[test]'``): importing this package
without hypothesis installed raises ``ImportError`` saying so.

>>> from hypothesis import given
>>> @given(money(currency="USD"))
... def test_money_is_money(m):
...     assert m.currency == "USD"
>>> test_money_is_money()
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "tradeassure.testing needs hypothesis: pip install 'tradeassure[test]'"
    ) from exc

from tradeassure.testing._credit import credit_lines, payables
from tradeassure.testing._escrow import any_events, instants, order_histories, orders_placed
from tradeassure.testing._machine import (
    FOREVER,
    EscrowMachine,
    assert_live,
    assert_sound,
    released_from_escrow,
)
from tradeassure.testing._money import CURRENCIES, money
from tradeassure.testing._shipping import (
    CALENDAR_COUNTRIES,
    calendar_dates,
    calendars,
    supported_dates,
    working_days_start,
)
from tradeassure.testing._verification import (
    buyer_profiles,
    field_checks,
    inquiries,
    supplier_records,
    transactions,
)

__all__ = [
    "CALENDAR_COUNTRIES",
    "CURRENCIES",
    "FOREVER",
    "EscrowMachine",
    "any_events",
    "assert_live",
    "assert_sound",
    "buyer_profiles",
    "calendar_dates",
    "calendars",
    "credit_lines",
    "field_checks",
    "inquiries",
    "instants",
    "money",
    "order_histories",
    "orders_placed",
    "payables",
    "released_from_escrow",
    "supplier_records",
    "supported_dates",
    "transactions",
    "working_days_start",
]
