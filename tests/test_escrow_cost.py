"""Bounded cost: no step of the fold reads the history back, so a replay stays linear in
its events and a refund, a ruling or the coverage costs the same however long the
history is (what they need, the payments by method and the bank account, is kept on the
order as it comes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from escrow_builders import at, placed, usd
from tradeassure.escrow import (
    BankAccountProvided,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    Order,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    RefundIssued,
    Shipped,
    apply,
    covered_amount,
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


class _Unread:
    """A history that may be appended to but not read: what a step of the fold that
    costs the same however long the history is never does."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def evolver(self) -> _Unread:
        return _Unread(self._inner.evolver())

    def append(self, event: Event) -> None:
        self._inner.append(event)

    def persistent(self) -> _Unread:
        return _Unread(self._inner.persistent())

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the history was read ({name})")

    def __len__(self) -> int:
        raise AssertionError("the history was read (len)")

    def __iter__(self) -> Iterator[Event]:
        raise AssertionError("the history was read (iter)")

    def __getitem__(self, index: object) -> Event:
        raise AssertionError("the history was read (item)")


def _unread(order: Order) -> Order:
    return attrs.evolve(order, history=_Unread(order.history))


@pytest.mark.parametrize("method", [PaymentMethod.VISA, PaymentMethod.TT])
def test_a_refund_and_the_coverage_never_read_the_history(method: PaymentMethod) -> None:
    events = partial_refunds(3, method)
    read = replay(events[:-1])
    order = _unread(read)
    assert covered_amount(order) == covered_amount(read)
    assert covered_amount(read).amount in (0, 100_000)
    refunded = apply(order, events[-1])
    assert refunded.refunded == CENT * 3


def test_a_ruling_never_reads_the_history() -> None:
    events = partial_refunds(0, PaymentMethod.TT)[:-2]  # disputed, undecided
    order = replay(events)
    escalated = apply(order, DisputeEscalated(at=at(19)))
    ruled = apply(_unread(escalated), PlatformRuled(at=at(20), refund=usd(40_000)))
    assert ruled.dispute is not None
    assert ruled.dispute.refund == usd(40_000)


def test_a_cancelled_t_t_order_refunded_in_parts_never_reads_the_history() -> None:
    # Cancelled while holding T/T money and no account: held for the buyer until the
    # account comes (ESC-REFUND-WINDOW), then paid out a cent at a time.
    events: list[Event] = [
        placed(total=usd(100_000)),
        ContractConfirmed(at=at(hours=1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(100_000), method=PaymentMethod.TT),
        CancellationRequested(at=at(2), by=Party.BUYER),
        CancellationAgreed(at=at(2, 1), by=Party.SUPPLIER),
    ]
    order = _unread(replay(events))
    order = apply(order, BankAccountProvided(at=at(3), account="DE89 3704 0044 0532 0130 00"))
    for i in range(3):
        order = apply(order, RefundIssued(at=at(4) + timedelta(seconds=i), amount=CENT))
    assert order.refunded == CENT * 3
    assert order.bank_account == "DE89 3704 0044 0532 0130 00"


def test_the_payments_by_method_are_kept_as_they_come() -> None:
    order = replay(
        [
            placed(total=usd(300)),
            ContractConfirmed(at=at(hours=1), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.TT),
            PaymentReceived(at=at(2), amount=usd(50), method=PaymentMethod.VISA),
            PaymentReceived(at=at(3), amount=usd(25), method=PaymentMethod.TT),
            PaymentReceived(at=at(4), amount=usd(125), method=PaymentMethod.TT, via_checkout=False),
        ]
    )
    assert dict(order.escrow_paid_by) == {
        PaymentMethod.TT: Decimal(125),
        PaymentMethod.VISA: Decimal(50),
    }
    assert order.bank_account is None


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"escrow_paid_by": None}, "escrow_paid_by must be"),
        ({"escrow_paid_by": {PaymentMethod.TT: 1}}, "escrow_paid_by must be"),
        ({"bank_account": 42}, "bank_account must be text"),
    ],
)
def test_what_the_fold_keeps_on_an_order_is_checked(changes: dict[str, object], says: str) -> None:
    from tradeassure.errors import InvalidInput

    order = replay(partial_refunds(1, PaymentMethod.TT))
    with pytest.raises(InvalidInput, match=says):
        attrs.evolve(order, **changes)  # type: ignore[arg-type]
