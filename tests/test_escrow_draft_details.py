"""Escrow draft details a mutation run found untested: the fold's working copy that
``thaw`` and ``freeze`` are written out to at import, read again from a fresh
generation (what a field added to ``Order`` relies on), and the small shared jobs
whose figures the broad tests leave open."""

from __future__ import annotations

from decimal import Decimal

import pytest

from escrow_builders import at, paid, placed, shipped, usd
from tradeassure.escrow import (
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    Order,
    Party,
    PaymentMethod,
    PaymentReceived,
    _draft,
    apply,
    place,
)
from tradeassure.escrow.order import MONEY_FIELDS


def deposit_order() -> Order:
    """A USD 10,000 contract with a USD 3,000 deposit, confirmed and its deposit paid."""
    order = apply(place(placed(deposit=usd(3_000))), ContractConfirmed(at=at(1), by=Party.BUYER))
    return apply(order, PaymentReceived(at=at(2), amount=usd(3_000), method=PaymentMethod.TT))


def orders() -> list[Order]:
    claim = DisputeOpened(
        at=at(12), reason=DisputeReason.DAMAGED, claim=usd(1_000), evidence=("photo.jpg",)
    )
    return [place(placed()), paid(), shipped(), apply(shipped(), claim), deposit_order()]


class TestAFreshlyGeneratedThawAndFreeze:
    @pytest.mark.parametrize("order", orders(), ids=lambda o: o.status.value)
    def test_freeze_gives_back_the_order_thaw_took(self, order: Order) -> None:
        thaw, freeze = _draft._generate()
        again = freeze(thaw(order))
        assert again == order
        # An amount that did not change keeps its Money.
        assert all(getattr(again, n) is getattr(order, n) for n in MONEY_FIELDS)

    @pytest.mark.parametrize("order", orders(), ids=lambda o: o.status.value)
    def test_the_draft_holds_the_orders_fields_and_a_fresh_memo(self, order: Order) -> None:
        thaw, _ = _draft._generate()
        d = thaw(order)
        assert (d.order_id, d.status, d.contract) == (order.order_id, order.status, order.contract)
        assert (d.ship_by, d.milestones, d.dispute) == (
            order.ship_by,
            order.milestones,
            order.dispute,
        )
        assert [getattr(d, n) for n in MONEY_FIELDS] == [
            getattr(order, n).amount for n in MONEY_FIELDS
        ]
        assert d.origin == tuple(getattr(order, n) for n in MONEY_FIELDS)
        assert (d.currency, d.total) == ("USD", Decimal(10_000))
        assert d.closing_status is d.closing_milestones is d.closing is None
        assert d.closing_dispute is d.closing_inspection is None
        assert (d.tt_paid, d.account, d.account_known) == (None, None, False)
        assert list(d.history.persistent()) == list(order.history)
        assert dict(d.seen.finish()) == dict(order.seen)

    def test_the_deposit_is_paid_once_the_payments_reach_it(self) -> None:
        thaw, _ = _draft._generate()
        assert thaw(deposit_order()).deposit_paid is True
        order = apply(
            apply(place(placed(deposit=usd(3_000))), ContractConfirmed(at=at(1), by=Party.BUYER)),
            PaymentReceived(at=at(2), amount=usd(2_999), method=PaymentMethod.TT),
        )
        assert thaw(order).deposit_paid is False
        assert thaw(paid()).deposit_paid is False  # no deposit asked for

    def test_a_changed_amount_is_frozen_as_new_money(self) -> None:
        thaw, freeze = _draft._generate()
        d = thaw(paid())
        d.held, d.released = Decimal(4_000), Decimal(6_000)
        order = freeze(d)
        assert (order.held, order.released, order.paid) == (usd(4_000), usd(6_000), usd(10_000))
