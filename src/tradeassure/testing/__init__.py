"""Hypothesis strategies for tradeassure values, and the escrow lifecycle as a state
machine (:class:`EscrowMachine`), for this project's tests and yours.

Needs hypothesis alone: the ``testing`` extra (``pip install 'tradeassure[testing]'``).
Importing this package without hypothesis raises ``ImportError`` saying so.

>>> from hypothesis import given
>>> @given(money(currency="USD"))
... def test_money_is_money(m):
...     assert m.currency == "USD"
>>> test_money_is_money()

Importing it also registers a strategy for each value type in :data:`TYPE_STRATEGIES`
(``st.register_type_strategy``), so ``st.from_type`` and ``st.builds`` draw valid
money, events, orders, policies, credit lines and identity records. With tradeassure
installed, hypothesis does this itself when it is imported (the package declares a
``hypothesis`` entry point); ``HYPOTHESIS_NO_PLUGINS=1`` turns that off, and then
importing this package still registers them.

>>> from hypothesis import strategies as st
>>> from tradeassure import Money
>>> @given(st.from_type(Money))
... def test_any_money(m):
...     assert isinstance(m, Money)
>>> test_any_money()
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "tradeassure.testing needs hypothesis: pip install 'tradeassure[testing]'"
    ) from exc

from tradeassure.testing._credit import credit_lines, payables
from tradeassure.testing._escrow import (
    any_events,
    instants,
    order_histories,
    orders_placed,
    timers_expired,
)
from tradeassure.testing._machine import (
    FOREVER,
    EscrowMachine,
    assert_live,
    assert_sound,
    released_from_escrow,
)
from tradeassure.testing._money import CURRENCIES, money
from tradeassure.testing._registry import TYPE_STRATEGIES, register
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
    "TYPE_STRATEGIES",
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
    "register",
    "released_from_escrow",
    "supplier_records",
    "supported_dates",
    "timers_expired",
    "transactions",
    "working_days_start",
]

# Registered on import: st.from_type(Money) and the like draw valid values from here on.
register()
