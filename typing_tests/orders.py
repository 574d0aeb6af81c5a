"""User code: replay an escrow order, ask what may happen next, read its money.

Type-checked in CI by ``mypy --strict`` and pyright (strict); runs with
``python typing_tests/orders.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import assert_type

from tradeassure import Money, RuleViolation
from tradeassure.escrow import (
    ContractConfirmed,
    Deadlines,
    Event,
    Order,
    OrderPlaced,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    allowed_events,
    apply,
    check,
    covered_amount,
    deadlines,
    place,
    replay,
)

t0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
placed = OrderPlaced(
    order_id="PO-7",
    at=t0,
    buyer="Acme Ltd",
    supplier="Shenzhen Co",
    total=Money(10_000, "USD"),
    ship_by=date(2025, 10, 20),
)
history = [
    placed,
    ContractConfirmed(at=t0 + timedelta(hours=2), by=Party.BUYER),
    PaymentReceived(
        at=t0 + timedelta(days=1), amount=Money(10_000, "USD"), method=PaymentMethod.VISA
    ),
]

order = replay(history)
assert_type(order, Order)
assert_type(order.order_id, str)
assert_type(order.status, OrderStatus)
assert_type(order.held, Money)
assert_type(order.held.amount, Decimal)
assert_type(order.held.currency, str)
assert_type(order.total, Money)
assert_type(order.events, tuple[Event, ...])
assert_type(order.is_closed, bool)
assert order.status is OrderStatus.FUNDS_HELD
assert str(order.held) == "USD 10,000.00"

# Receipt before shipping: refused, and check says why without raising.
receipt = ReceiptConfirmed(at=t0 + timedelta(days=5))
violations = check(order, receipt)
assert_type(violations, tuple[RuleViolation, ...])
assert_type(violations[0].rule, str)
assert_type(violations[0].message, str)
assert [v.rule for v in violations] == ["ESC-RELEASE"]

caught: RuleViolation | None = None
try:
    apply(order, receipt)
except RuleViolation as refused:
    caught = refused
assert caught is not None
assert caught.rule == "ESC-RELEASE"

assert_type(allowed_events(order), frozenset[type[Event]])
assert Shipped in allowed_events(order)

shipped = apply(order, Shipped(at=t0 + timedelta(days=3), value=Money(10_000, "USD"), final=True))
assert_type(shipped, Order)
done = apply(shipped, receipt)
assert_type(done.released, Money)
assert done.released == Money(10_000, "USD")

due = deadlines(place(placed))
assert_type(due, Deadlines)
assert_type(due.ship_by, date | None)
assert_type(due.confirm_by, datetime | None)
assert_type(covered_amount(order), Money)
