"""The bundled example order (``tradeassure demo``; ``examples/order.jsonl`` is the same
history as JSON lines).

A USD 12,000 order of bolts from a Chinese supplier: placed by the supplier, confirmed
by the buyer, paid by a 30% deposit and then the balance (T/T), shipped in two parts;
the buyer disputes the zinc coating, the inspection rejects the goods, the parties
settle on a USD 1,800 refund inside the supplier's window, and the refund is issued to
the buyer's bank account. Instants are in China Standard Time (+08:00).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tradeassure.escrow import (
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    InspectionReported,
    OrderPlaced,
    PaymentReceived,
    RefundIssued,
    Shipped,
)
from tradeassure.money import Money
from tradeassure.terms import Party, PaymentMethod

__all__ = ["history"]

_CST = timezone(timedelta(hours=8))
_T0 = datetime(2025, 9, 1, 9, 0, tzinfo=_CST)


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


def _at(days: int, hours: int = 0) -> datetime:
    return _T0 + timedelta(days=days, hours=hours)


def history() -> tuple[Event, ...]:
    """The example order's events, in order (every one with an ``event_id``)."""
    return (
        OrderPlaced(
            at=_T0,
            event_id="PO-0917-01",
            order_id="PO-0917",
            buyer="Acme Trading Ltd",
            supplier="Ningbo Precision Tools Co",
            total=_usd("12000.00"),
            ship_by=date(2025, 10, 20),
            deposit=_usd("3600.00"),
            specifications=("M6 hex bolts, ISO 4017, grade 8.8", "zinc plated, 8 um minimum"),
            supplier_country="CN",
            buyer_country="US",
            buyer_zone="America/New_York",
        ),
        ContractConfirmed(at=_at(0, 2), event_id="PO-0917-02", by=Party.BUYER),
        PaymentReceived(
            at=_at(1), event_id="PO-0917-03", amount=_usd("3600.00"), method=PaymentMethod.TT
        ),
        PaymentReceived(
            at=_at(6), event_id="PO-0917-04", amount=_usd("8400.00"), method=PaymentMethod.TT
        ),
        Shipped(at=_at(25), event_id="PO-0917-05", value=_usd("7000.00"), final=False),
        Shipped(at=_at(35), event_id="PO-0917-06", value=_usd("5000.00"), final=True),
        DisputeOpened(
            at=_at(50),
            event_id="PO-0917-07",
            reason=DisputeReason.QUALITY_MISMATCH,
            claim=_usd("2400.00"),
            evidence=("coating-thickness.jpg", "lab-report.pdf"),
        ),
        InspectionReported(
            at=_at(55),
            event_id="PO-0917-08",
            passed=False,
            report="zinc coating 5 um against the 8 um specified",
        ),
        DisputeSettled(at=_at(60), event_id="PO-0917-09", refund=_usd("1800.00")),
        RefundIssued(
            at=_at(62), event_id="PO-0917-10", amount=_usd("1800.00"), bank_account="US-ACME-0042"
        ),
    )
