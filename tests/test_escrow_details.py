"""Details an earlier mutation run found untested (issue: a test suite that kills 90% of
mutants): each test here fails on one of the mutants it names."""

from __future__ import annotations

from datetime import timedelta

from escrow_builders import at, placed, usd
from tradeassure.escrow import (
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    Shipped,
    ShippingDateExtended,
    advance,
    apply,
    deadlines,
    replay,
)
from tradeassure.policy import HELP_PAGES_ESCROW

S = OrderStatus
HISTORY_START = [
    placed(),
    ContractConfirmed(at=at(0, 1), by=Party.BUYER),
    PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA),
    Shipped(at=at(30), value=usd(10_000), final=True),
]


def shipped() -> Order:
    return replay(HISTORY_START)


class TestTheClosingTimerIsReadAfreshWithinOneReplay:
    # Mutant: the fold's memo kept the milestones it first saw (``m = None``), so within
    # one replay a receipt extension did not move the automatic completion.
    def test_an_extension_then_a_receipt_between_the_old_and_new_deadlines(self) -> None:
        old_deadline = deadlines(shipped()).receipt_by
        assert old_deadline == at(30 + 60)
        events = [
            *HISTORY_START,
            ReceiptDeadlineExtended(at=at(40), by=Party.BUYER),
            ReceiptConfirmed(at=at(30 + 60 + 1)),
        ]
        order = replay(events)
        assert order.status is S.COMPLETED
        assert order.milestones.completed_at == at(91)


class TestAClaimAfterReceiptIsRefundedOutOfTheReleasedMoney:
    # Mutant: the ruling measured its pool as if no dispute were open (``claim_pool(d,
    # None)``): the hold, empty after receipt, instead of the released money.
    def test_the_platform_refunds_a_claim_filed_after_receipt(self) -> None:
        p = HELP_PAGES_ESCROW
        order = apply(shipped(), ReceiptConfirmed(at=at(40)), p)
        claim = DisputeOpened(
            at=at(45), reason=DisputeReason.DAMAGED, claim=usd(3_000), evidence=("photo.jpg",)
        )
        order = apply(order, claim, p)
        ruled = apply(order, PlatformRuled(at=at(45 + 4), refund=usd(3_000)), p)
        assert ruled.dispute is not None
        assert ruled.dispute.refund == usd(3_000)
        assert (ruled.held, ruled.released) == (usd(3_000), usd(7_000))


class TestWhoDecidedIsRecorded:
    # Mutant: ``resolved_by`` was never asserted, so any party could be recorded.
    def test_a_settlement_is_the_parties_a_ruling_the_platform_s(self) -> None:
        claim = DisputeOpened(
            at=at(35), reason=DisputeReason.DAMAGED, claim=usd(1_000), evidence=("photo.jpg",)
        )
        order = apply(shipped(), claim)
        settled = apply(order, DisputeSettled(at=at(36), refund=usd(500)))
        ruled = apply(order, PlatformRuled(at=at(35 + 16), refund=usd(500)))
        assert settled.dispute is not None
        assert ruled.dispute is not None
        assert (settled.dispute.resolved_by, settled.dispute.resolved_at) == (
            Party.SUPPLIER,
            at(36),
        )
        assert (ruled.dispute.resolved_by, ruled.dispute.resolved_at) == (
            Party.PLATFORM,
            at(51),
        )

    def test_a_new_ship_by_taken_instead_of_a_refund_is_the_buyer_s(self) -> None:
        funded = replay(HISTORY_START[:3])
        late = DisputeOpened(at=at(60), reason=DisputeReason.NOT_SHIPPED_ON_TIME, claim=usd(10_000))
        order = apply(funded, late)
        later = order.ship_by + timedelta(weeks=2)
        moved = apply(
            order,
            ShippingDateExtended(
                at=at(61), new_ship_by=later, buyer_agrees=True, supplier_agrees=True
            ),
        )
        assert moved.dispute is not None
        assert (moved.dispute.resolved_by, moved.dispute.refund) == (Party.BUYER, usd(0))

    def test_an_overdue_shipment_s_refund_is_the_platform_s(self) -> None:
        partly = apply(replay(HISTORY_START[:3]), Shipped(at=at(10), value=usd(4_000), final=False))
        order = advance(partly, at(200))
        assert order.dispute is not None
        assert order.dispute.resolved_by is Party.PLATFORM
        assert order.dispute.refund == usd(6_000)


class TestACancellationRecordsItsRefund:
    # Mutant: a cancellation that returns the hold at once dropped ``refund_issued_at``,
    # which the refund's arrival window counts from (ESC-REFUND-WINDOW).
    def test_the_refund_is_stamped_with_the_cancellation(self) -> None:
        order = apply(replay(HISTORY_START[:3]), CancellationRequested(at=at(5), by=Party.BUYER))
        cancelled = apply(order, CancellationAgreed(at=at(6), by=Party.SUPPLIER))
        assert cancelled.status is S.CANCELLED
        assert cancelled.milestones.refund_issued_at == at(6)
        assert cancelled.milestones.cancelled_at == at(6)
        assert deadlines(cancelled).refund_arrival is not None
