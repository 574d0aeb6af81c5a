"""Small builders the escrow and views tests share: a start instant, USD amounts, a
supplier-drafted contract whose fields a test may override, and that contract paid in
full by card on day 1 (and shipped in full on day 10)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tradeassure.escrow import (
    DEFAULT_ESCROW,
    ContractConfirmed,
    EscrowPolicy,
    Order,
    OrderPlaced,
    Party,
    PaymentMethod,
    PaymentReceived,
    Shipped,
    apply,
    replay,
)
from tradeassure.money import Money

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
SHIP_BY = date(2025, 10, 20)


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def usd(amount: str | int) -> Money:
    return Money(amount, "USD")


def money_of(value: Any) -> tuple[Money, Money, Money, Money]:
    """Where an order's money is (ESC-CONSERVATION's four figures), read off an order or
    off a row that reports one (a store's projection, a book's summary)."""
    return value.paid, value.held, value.released, value.refunded


def placed(**changes: object) -> OrderPlaced:
    fields: dict[str, object] = {
        "order_id": "PO-7",
        "at": T0,
        "buyer": "Acme Ltd",
        "supplier": "Shenzhen Parts Co",
        "total": usd(10_000),
        "ship_by": SHIP_BY,
        "specifications": ("ABS housing, 2.0 mm wall, Pantone 1935 C",),
    }
    fields.update(changes)
    return OrderPlaced(**fields)  # type: ignore[arg-type]


def paid(policy: EscrowPolicy = DEFAULT_ESCROW, contract: OrderPlaced | None = None) -> Order:
    """The contract (``placed()`` unless given) confirmed by the buyer and paid in full
    by card on day 1."""
    return replay(
        [
            contract or placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA),
        ],
        policy,
    )


def shipped(policy: EscrowPolicy = DEFAULT_ESCROW, contract: OrderPlaced | None = None) -> Order:
    """:func:`paid`, shipped in full on day 10."""
    return apply(paid(policy, contract), Shipped(at=at(10), value=usd(10_000), final=True), policy)


def names(message: str, *words: str) -> bool:
    """Whether ``message`` names each of ``words`` as a word of its own (a field's name,
    a figure, a date): what a test of a refusal asserts, rather than its prose."""
    return all(re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", message) for w in words)


@contextmanager
def machine_zone(zone: str) -> Iterator[None]:
    """Run the block on a machine whose local time zone is ``zone`` (``TZ``), so that a
    test can tell an instant given in UTC from one given in the machine's local time."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
