"""User code: values, events and orders to JSON and back.

Type-checked in CI by ``mypy --strict`` and pyright (strict); runs with
``python typing_tests/json_round_trip.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, assert_type

from tradeassure import Money
from tradeassure.escrow import Event, Order, OrderPlaced, replay
from tradeassure.serialization import (
    events_from_json_lines,
    events_to_json_lines,
    from_dict,
    from_json,
    to_dict,
    to_json,
)

price = Money("12.50", "USD")
text = to_json(price)
assert_type(text, str)
assert_type(from_json(text, Money), Money)
assert from_json(text, Money) == price
assert_type(to_dict(price), Any)
assert_type(from_dict(to_dict(price), Money), Money)

placed = OrderPlaced(
    order_id="PO-7",
    at=datetime(2025, 9, 1, 9, 0, tzinfo=UTC),
    buyer="Acme Ltd",
    supplier="Shenzhen Co",
    total=Money(10_000, "USD"),
    ship_by=date(2025, 10, 20),
)
order = replay([placed])
stored = to_json(order, indent=2, edition="default")
back = from_json(stored, Order)
assert_type(back, Order)
assert back == order

# Reading into the base class gives any event; into a concrete class, that class.
assert_type(from_json(to_json(placed), Event), Event)
assert_type(from_json(to_json(placed), OrderPlaced), OrderPlaced)

lines = events_to_json_lines(order.events)
assert_type(lines, str)
assert_type(events_from_json_lines(lines), tuple[Event, ...])
assert events_from_json_lines(lines) == order.events
