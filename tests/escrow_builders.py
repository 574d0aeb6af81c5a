"""Small builders the escrow and views tests share: a start instant, USD amounts and a
supplier-drafted contract whose fields a test may override."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tradeassure.escrow import OrderPlaced
from tradeassure.money import Money

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
SHIP_BY = date(2025, 10, 20)


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def usd(amount: str | int) -> Money:
    return Money(amount, "USD")


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
