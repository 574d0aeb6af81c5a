"""No hold waits forever (issue: a deadline for every wait): a cancellation request the
other party ignores lapses (TMR-CANCEL-LAPSE), the requester may withdraw it, and while
it waits the order's clocks stand still, resuming with exactly the time they had left."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow_builders import at, paid, placed, shipped, usd
from tradeassure.escrow import (
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    CancellationWithdrawn,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    RefundIssued,
    Shipped,
    advance,
    apply,
    check,
    deadlines,
    due_events,
    replay,
)

S = OrderStatus
WEEK = timedelta(days=7)
LATE = DisputeReason.NOT_SHIPPED_ON_TIME


def requested(order: Order, day: float) -> Order:
    return apply(order, CancellationRequested(at=at(day), by=Party.BUYER))


class TestAnUnansweredCancellationRequestLapses:
    def test_it_lapses_as_declined_a_week_after_it_was_made(self) -> None:
        order = requested(shipped(), 25)
        assert deadlines(order).cancellation_lapses_at == at(25) + WEEK
        assert due_events(order, at(25) + WEEK - timedelta(seconds=1)) == ()
        (timer,) = due_events(order, at(25) + WEEK)
        assert timer.timer == "TMR-CANCEL-LAPSE"
        resumed = apply(order, timer)
        assert (resumed.status, resumed.cancellation) == (S.SHIPPED, None)

    def test_an_answer_after_the_lapse_waits_for_the_timer(self) -> None:
        order = requested(shipped(), 25)
        late_answer = CancellationAgreed(at=at(25) + WEEK, by=Party.SUPPLIER)
        assert [v.rule for v in check(order, late_answer)] == ["TMR-CANCEL-LAPSE"]
        in_time = CancellationAgreed(at=at(25) + WEEK - timedelta(seconds=1), by=Party.SUPPLIER)
        assert apply(order, in_time).status is S.CANCELLED

    def test_the_supplier_can_no_longer_run_out_the_buyer_s_receipt_clock(self) -> None:
        # Request on day 25 after shipment (day 10), declined on day 31: the receipt
        # clock, due on day 70, moves by the six days it waited, and a dispute an hour
        # after the decline is still open.
        order = requested(shipped(), 25)
        order = apply(order, CancellationDeclined(at=at(31), by=Party.SUPPLIER))
        assert deadlines(order).receipt_by == at(70) + timedelta(days=6)
        claim = DisputeOpened(
            at=at(31, hours=1),
            reason=DisputeReason.DAMAGED,
            claim=usd(1_000),
            evidence=("photo.jpg",),
        )
        assert not check(order, claim)

    def test_silence_ends_the_request_and_then_the_order(self) -> None:
        order = advance(requested(shipped(), 25), at(400))
        assert (order.status, order.held, order.released) == (S.COMPLETED, usd(0), usd(10_000))
        assert [e.timer for e in order.events[-2:]] == [  # type: ignore[attr-defined]
            "TMR-CANCEL-LAPSE",
            "TMR-AUTO-COMPLETE",
        ]


class TestTheRequesterMayWithdraw:
    def test_the_buyer_withdraws_and_the_order_goes_back(self) -> None:
        order = requested(paid(), 5)
        back = apply(order, CancellationWithdrawn(at=at(6), by=Party.BUYER))
        assert (back.status, back.cancellation) == (S.FUNDS_HELD, None)

    def test_only_the_requester_withdraws(self) -> None:
        order = requested(paid(), 5)
        (violation,) = check(order, CancellationWithdrawn(at=at(6), by=Party.SUPPLIER))
        assert violation.rule == "ESC-CANCEL-SHIPPED"


class TestTheClocksStandStillWhileARequestWaits:
    def test_the_ship_by_moves_by_the_supplier_s_days_waited(self) -> None:
        order = requested(paid(), 5)  # 6 Sep
        back = apply(order, CancellationDeclined(at=at(9), by=Party.SUPPLIER))  # 10 Sep
        assert back.ship_by == date(2025, 10, 24)  # 20 Oct + 4 days

    def test_the_payment_clock_moves_by_the_time_waited(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(1_000), method=PaymentMethod.VISA),
            ]
        )
        before = deadlines(order).pay_by
        assert before is not None
        order = requested(order, 5)
        order = apply(order, CancellationDeclined(at=at(8, hours=3), by=Party.SUPPLIER))
        assert deadlines(order).pay_by == before + timedelta(days=3, hours=3)


@given(
    asked=st.integers(0, 59 * 24),
    waited=st.integers(1, 7 * 24 - 1),
    answer=st.sampled_from(["declined", "withdrawn"]),
)
def test_a_request_answered_after_k_moves_the_receipt_deadline_by_exactly_k(
    asked: int, waited: int, answer: str
) -> None:
    order = shipped()
    before = deadlines(order).receipt_by
    assert before is not None
    request_at = at(10) + timedelta(hours=asked)
    order = apply(order, CancellationRequested(at=request_at, by=Party.BUYER))
    answered_at = request_at + timedelta(hours=waited)
    event = (
        CancellationDeclined(at=answered_at, by=Party.SUPPLIER)
        if answer == "declined"
        else CancellationWithdrawn(at=answered_at, by=Party.BUYER)
    )
    order = apply(order, event)
    assert deadlines(order).receipt_by == before + timedelta(hours=waited)


@pytest.mark.parametrize("lapse_days", [1, 7, 30])
def test_the_lapse_is_a_policy_figure(lapse_days: int) -> None:
    import attrs

    from tradeassure.escrow import DEFAULT_ESCROW

    policy = attrs.evolve(DEFAULT_ESCROW, cancel_request_days=lapse_days)
    order = replay(requested(shipped(), 25).events, policy)
    assert deadlines(order, policy).cancellation_lapses_at == at(25) + timedelta(days=lapse_days)


class TestTheNextMove:
    def test_an_unconfirmed_order_waits_for_the_other_party_before_tmr_confirm(self) -> None:
        from tradeassure.escrow import place

        move = deadlines(place(placed())).next_move
        assert move is not None
        assert (move.rule, move.party, move.at) == ("TMR-CONFIRM", Party.BUYER, at(30))

    def test_a_funded_order_waits_for_the_supplier_s_shipment_by_its_ship_by(self) -> None:
        from datetime import UTC, datetime

        move = deadlines(paid()).next_move
        assert move is not None
        # The end of 20 Oct 2025 in the supplier's zone (Asia/Shanghai), in UTC.
        assert (move.rule, move.party) == ("SHIP-DATE", Party.SUPPLIER)
        assert move.at == datetime(2025, 10, 20, 16, 0, tzinfo=UTC)

    def test_a_shipped_order_waits_for_the_buyer_before_tmr_auto_complete(self) -> None:
        move = deadlines(shipped()).next_move
        assert move is not None
        assert (move.rule, move.party, move.at) == ("TMR-AUTO-COMPLETE", Party.BUYER, at(70))

    def test_a_cancellation_request_waits_for_the_other_party(self) -> None:
        move = deadlines(requested(shipped(), 25)).next_move
        assert move is not None
        assert (move.rule, move.party) == ("TMR-CANCEL-LAPSE", Party.SUPPLIER)

    def test_a_cancelled_order_holding_tt_money_waits_for_the_buyer_s_account(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
                CancellationRequested(at=at(2), by=Party.BUYER),
                CancellationAgreed(at=at(3), by=Party.SUPPLIER),
            ]
        )
        move = deadlines(order).next_move
        assert move is not None
        assert (move.rule, move.party, move.at) == ("ESC-REFUND-WINDOW", Party.BUYER, None)

    def test_next_due_is_the_next_move_s_instant_in_utc(self) -> None:
        from tradeassure.escrow import next_due

        assert next_due(shipped()) == at(70)
        assert next_due(advance(shipped(), at(400))) is None  # completed, nothing held


class TestAFundedOrderNeverShippedDoesNotHoldTheMoneyForever:
    # Ship-by 20 Oct 2025 (Asia/Shanghai) plus 30 days: overdue from the start of 20 Nov.
    OVERDUE = datetime(2025, 11, 20, tzinfo=ZoneInfo("Asia/Shanghai"))

    def test_nothing_shipped_a_month_past_ship_by_cancels_and_refunds(self) -> None:
        order = paid()
        assert deadlines(order).shipment_overdue_at == self.OVERDUE
        assert due_events(order, self.OVERDUE - timedelta(seconds=1)) == ()
        done = advance(order, self.OVERDUE)
        assert (done.status, done.held, done.refunded) == (S.CANCELLED, usd(0), usd(10_000))
        assert done.events[-1].timer == "TMR-SHIP-OVERDUE"  # type: ignore[attr-defined]

    def test_the_unshipped_part_is_refunded_and_what_shipped_goes_on_to_receipt(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        order = advance(order, self.OVERDUE)
        assert (order.status, order.held, order.released) == (S.SHIPPED, usd(10_000), usd(0))
        assert order.dispute is not None
        assert order.dispute.refund_outstanding == usd(6_000)
        order = apply(order, RefundIssued(at=self.OVERDUE + WEEK, amount=usd(6_000)))
        order = apply(order, ReceiptConfirmed(at=self.OVERDUE + 2 * WEEK))
        assert (order.status, order.released, order.refunded) == (
            S.COMPLETED,
            usd(4_000),
            usd(6_000),
        )

    def test_a_refund_still_owed_does_not_stop_the_timer_it_joins_the_refund(self) -> None:
        # A late-shipment claim settled for USD 1,000, not yet paid out, then silence.
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        order = apply(order, DisputeOpened(at=at(50), reason=LATE, claim=usd(6_000)))
        order = apply(order, DisputeSettled(at=at(51), refund=usd(1_000)))
        assert order.status is S.PARTIALLY_SHIPPED
        assert deadlines(order).shipment_overdue_at == self.OVERDUE
        assert due_events(order, self.OVERDUE - timedelta(seconds=1)) == ()
        order = advance(order, self.OVERDUE)
        assert order.status is S.SHIPPED
        assert order.dispute is not None
        # The unshipped part (USD 6,000) joins the USD 1,000 still owed.
        assert order.dispute.refund_outstanding == usd(7_000)
        order = apply(order, RefundIssued(at=self.OVERDUE + WEEK, amount=usd(7_000)))
        order = apply(order, ReceiptConfirmed(at=self.OVERDUE + 2 * WEEK))
        assert (order.released, order.refunded) == (usd(3_000), usd(7_000))

    def test_silence_after_a_partial_shipment_drains_the_hold(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        order = advance(order, at(500))
        move = deadlines(order).next_move
        # The platform's payout of the decided refund is the one move left.
        assert move is not None
        assert (move.rule, move.party) == ("TMR-REFUND-START", Party.PLATFORM)
        assert order.held == usd(6_000)


class TestGoodsInTransit:
    def test_a_not_received_claim_waits_for_the_transit_period_a_policy_sets(self) -> None:
        import attrs

        from tradeassure.escrow import DEFAULT_ESCROW

        transit = attrs.evolve(DEFAULT_ESCROW, in_transit_days=10)
        order = replay(shipped().events, transit)

        def claim(day: float) -> DisputeOpened:
            return DisputeOpened(at=at(day), reason=DisputeReason.NOT_RECEIVED, claim=usd(1))

        assert [v.rule for v in check(order, claim(19.9), transit)] == ["SHIP-IN-TRANSIT"]
        assert not check(order, claim(20), transit)

    def test_the_shipped_editions_set_no_transit_period(self) -> None:
        claim = DisputeOpened(at=at(10, hours=1), reason=DisputeReason.NOT_RECEIVED, claim=usd(1))
        assert not check(shipped(), claim)
