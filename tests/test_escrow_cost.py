"""Bounded cost: no step of the fold reads the whole history again, so a replay stays
linear in its events (the history is read back at most once per draft, on first need)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from escrow_builders import at, placed, usd
from tradeassure.escrow import (
    BankAccountProvided,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    Party,
    PaymentMethod,
    PaymentReceived,
    RefundIssued,
    Shipped,
    _draft,
    replay,
)
from tradeassure.money import Money

CENT = Money("0.01", "USD")


def partial_refunds(n: int, method: PaymentMethod) -> list[Event]:
    """A fully shipped order refunded in full by settlement, paid out a cent at a time."""
    events: list[Event] = [
        placed(total=usd(100_000)),
        ContractConfirmed(at=at(hours=1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(100_000), method=method),
        Shipped(at=at(2), value=usd(100_000), final=True),
        DisputeOpened(at=at(3), reason=DisputeReason.NOT_RECEIVED, claim=usd(100_000)),
        DisputeSettled(at=at(3, 1), refund=usd(100_000)),
    ]
    if method is PaymentMethod.TT:
        events.append(BankAccountProvided(at=at(3, 2), account="DE89 3704 0044 0532 0130 00"))
    return events + [RefundIssued(at=at(4) + timedelta(seconds=i), amount=CENT) for i in range(n)]


@pytest.mark.parametrize("method", [PaymentMethod.VISA, PaymentMethod.TT])
def test_many_partial_refunds_read_the_payments_back_once(
    monkeypatch: pytest.MonkeyPatch, method: PaymentMethod
) -> None:
    reads = 0
    scan = _draft.escrow_payments

    def counted(d: _draft.Draft) -> Iterator[PaymentReceived]:
        nonlocal reads
        reads += 1
        return scan(d)

    monkeypatch.setattr(_draft, "escrow_payments", counted)
    for n in (10, 200):
        reads = 0
        order = replay(partial_refunds(n, method))
        assert order.refunded == CENT * n
        assert reads <= 1, f"{n} refunds read the payments back {reads} times"


def test_a_cancelled_order_refunded_in_parts_reads_the_payments_back_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Cancelled while holding T/T money and no account: held for the buyer until the
    # account comes (ESC-REFUND-WINDOW), then paid out a cent at a time.
    events: list[Event] = [
        placed(total=usd(100_000)),
        ContractConfirmed(at=at(hours=1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(100_000), method=PaymentMethod.TT),
        CancellationRequested(at=at(2), by=Party.BUYER),
        CancellationAgreed(at=at(2, 1), by=Party.SUPPLIER),
        BankAccountProvided(at=at(3), account="DE89 3704 0044 0532 0130 00"),
        *(RefundIssued(at=at(4) + timedelta(seconds=i), amount=CENT) for i in range(200)),
    ]
    reads = 0
    scan = _draft.escrow_payments

    def counted(d: _draft.Draft) -> Iterator[PaymentReceived]:
        nonlocal reads
        reads += 1
        return scan(d)

    monkeypatch.setattr(_draft, "escrow_payments", counted)
    order = replay(events)
    assert order.refunded == CENT * 200
    assert reads <= 1
