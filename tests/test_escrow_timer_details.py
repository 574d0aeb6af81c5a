"""Escrow timer details a mutation run found untested: the deadlines and next moves of
the states the broad tests pass through without reading them (a refund decided and
waiting for its payout, a cancelled order still holding T/T money, a contract the buyer
drafted), each counted in the calendar and under the policy it names, and the
``Deadlines`` fields' own checks and metadata."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest

from escrow_builders import at, names, placed, shipped, usd
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    BankAccountProvided,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    Deadlines,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    InspectionReported,
    NextMove,
    Order,
    OrderPlaced,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    RefundIssued,
    apply,
    deadlines,
    due_events,
    next_due,
    next_move,
    place,
    replay,
)
from tradeassure.escrow.timers import _date_or_none, _deadline
from tradeassure.shipping import DEFAULT_SHIPPING

S = OrderStatus
PHOTOS = ("wall-1.6mm.jpg",)


def settled_in_part(contract: OrderPlaced | None = None) -> Order:
    """A shipped order (:func:`shipped`) whose USD 4,000 claim of day 20 the parties
    settled on day 25 (Friday 26 September) for USD 3,000: the rest released, the
    refund decided and waiting for its payout, the order still disputed."""
    claim = DisputeOpened(
        at=at(20), reason=DisputeReason.DAMAGED, claim=usd(4_000), evidence=PHOTOS
    )
    order = apply(shipped(contract=contract), claim)
    return apply(order, DisputeSettled(at=at(25), refund=usd(3_000)))


def paid_by_tt() -> Order:
    return replay(
        [
            placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
        ]
    )


def cancelled_holding_tt() -> Order:
    """:func:`paid_by_tt`, cancelled by agreement on day 4 (Friday 5 September) with no
    bank account given: the cancelled order keeps the money, owed to the buyer."""
    order = apply(paid_by_tt(), CancellationRequested(at=at(3), by=Party.BUYER))
    return apply(order, CancellationAgreed(at=at(4), by=Party.SUPPLIER))


class TestARefundDecidedAndWaitingForItsPayout:
    def test_the_dispute_is_decided_so_its_windows_and_escalation_have_ended(self) -> None:
        order = settled_in_part()
        assert (order.status, order.held) == (S.DISPUTED, usd(3_000))
        d = deadlines(order)
        assert (d.supplier_deadline, d.platform_may_rule_after, d.escalates_at) == (None,) * 3
        assert due_events(order, at(400)) == ()

    def test_the_refund_starts_within_seven_business_days_of_the_buyers_bank(self) -> None:
        # In Germany, 3 October is a holiday; in China (the supplier's calendar, the
        # default) the Golden Week runs from 1 to 8 October.
        german = deadlines(settled_in_part(placed(buyer_country="DE")))
        assert german.refund_starts_by == date(2025, 10, 8)
        assert deadlines(settled_in_part()).refund_starts_by == date(2025, 10, 13)

    def test_its_next_move_is_the_platforms_by_the_end_of_that_day(self) -> None:
        order = settled_in_part(placed(buyer_country="DE"))
        # The end of 8 October in Berlin (CEST, UTC+2).
        end = datetime(2025, 10, 8, 22, tzinfo=UTC)
        assert deadlines(order).next_move == NextMove(end, "TMR-REFUND-START", Party.PLATFORM)
        assert next_move(order) == deadlines(order).next_move
        assert next_due(order) == end

    def test_once_paid_out_no_refund_start_remains_and_its_arrival_is_given(self) -> None:
        order = settled_in_part(placed(buyer_country="DE"))
        order = apply(order, RefundIssued(at=at(26), amount=usd(3_000)))
        d = deadlines(order)
        assert (order.status, d.refund_starts_by, d.next_move) == (S.REFUNDED, None, None)
        assert d.refund_arrival == (date(2025, 10, 8), date(2025, 10, 13))

    def test_the_arrival_is_counted_in_the_policys_shipping_figures(self) -> None:
        order = settled_in_part(placed(buyer_country="DE"))
        order = apply(order, RefundIssued(at=at(26), amount=usd(3_000)))
        slow = attrs.evolve(
            DEFAULT_ESCROW,
            edition="slow-banks",
            shipping=attrs.evolve(
                DEFAULT_SHIPPING, refund_arrival_min_days=20, refund_arrival_max_days=25
            ),
        )
        assert deadlines(order, slow).refund_arrival == (date(2025, 10, 27), date(2025, 11, 3))


class TestACancelledOrderStillHoldingTTMoney:
    def test_the_refund_start_counts_from_the_cancellation(self) -> None:
        d = deadlines(cancelled_holding_tt())
        assert d.refund_starts_by == date(2025, 9, 16)
        assert d.ship_by is None
        assert d.next_move == NextMove(None, "ESC-REFUND-WINDOW", Party.BUYER)

    def test_with_the_account_given_the_platform_owes_the_refund_start(self) -> None:
        order = apply(cancelled_holding_tt(), BankAccountProvided(at=at(5), account="DE89 3704"))
        end = datetime(2025, 9, 16, 16, tzinfo=UTC)  # the end of 16 September in Shanghai
        assert deadlines(order).next_move == NextMove(end, "TMR-REFUND-START", Party.PLATFORM)
        assert next_move(order) == deadlines(order).next_move

    def test_a_cancelled_order_never_shipped_owes_no_shipment(self) -> None:
        order = apply(place(placed()), CancellationRequested(at=at(1), by=Party.BUYER))
        assert order.status is S.CANCELLED
        assert deadlines(order) == Deadlines()


class TestTheNextMove:
    def test_a_contract_the_buyer_drafted_waits_for_the_suppliers_confirmation(self) -> None:
        move = deadlines(place(placed(drafted_by=Party.BUYER))).next_move
        assert move == NextMove(at(30), "TMR-CONFIRM", Party.SUPPLIER)

    def test_a_contract_the_supplier_drafted_waits_for_the_buyers(self) -> None:
        move = deadlines(place(placed())).next_move
        assert move == NextMove(at(30), "TMR-CONFIRM", Party.BUYER)

    def test_its_instant_is_in_utc(self) -> None:
        contract = placed(at=datetime(2025, 9, 1, 17, tzinfo=ZoneInfo("Asia/Shanghai")))
        move = deadlines(place(contract)).next_move
        assert move is not None
        assert move.at is not None
        assert move.at.tzinfo is UTC
        assert move.at == datetime(2025, 10, 1, 9, tzinfo=UTC)

    def test_an_unpaid_order_waits_for_payment_not_for_the_shipment_it_owes(self) -> None:
        order = apply(place(placed()), ContractConfirmed(at=at(hours=2), by=Party.BUYER))
        d = deadlines(order)
        # The ship-by (20 October) is owed and earlier, but only a funded order ships.
        assert d.ship_by == date(2025, 10, 20)
        assert d.next_move == NextMove(at(60, hours=2), "TMR-PAY", Party.BUYER)

    def test_a_dated_move_comes_before_one_without_a_deadline(self) -> None:
        # T/T paid, the goods rejected before shipment, the claim settled in part: the
        # order goes back to funds held, its shipment due on 20 October and its refund
        # waiting for the buyer's bank account (which has no deadline).
        order = apply(paid_by_tt(), InspectionReported(at=at(4), passed=False))
        claim = DisputeOpened(at=at(6), reason=DisputeReason.QUALITY_MISMATCH, claim=usd(3_000))
        order = apply(apply(order, claim), DisputeSettled(at=at(8), refund=usd(3_000)))
        assert order.status is S.FUNDS_HELD
        end_of_ship_by = datetime(2025, 10, 20, 16, tzinfo=UTC)  # in Shanghai
        assert deadlines(order).next_move == NextMove(end_of_ship_by, "SHIP-DATE", Party.SUPPLIER)

    def test_a_whole_hold_settled_by_tt_waits_for_the_buyers_account(self) -> None:
        # Decided and still disputed (the whole hold goes back once paid out): the next
        # move is the buyer's bank account, not the platform's ruling.
        order = apply(paid_by_tt(), InspectionReported(at=at(4), passed=False))
        claim = DisputeOpened(at=at(6), reason=DisputeReason.QUALITY_MISMATCH, claim=usd(10_000))
        order = apply(apply(order, claim), DisputeSettled(at=at(8), refund=usd(10_000)))
        assert order.status is S.DISPUTED
        assert deadlines(order).next_move == NextMove(None, "ESC-REFUND-WINDOW", Party.BUYER)

    def test_next_due_reads_the_policy_passed(self) -> None:
        claim = DisputeOpened(
            at=at(20), reason=DisputeReason.DAMAGED, claim=usd(1), evidence=PHOTOS
        )
        order = apply(shipped(HELP_PAGES_ESCROW), claim, HELP_PAGES_ESCROW)
        assert next_due(order, HELP_PAGES_ESCROW) == at(20 + 7)
        assert next_due(apply(shipped(), claim)) == at(20 + 15)


class TestTheRefundArrivalIsTwoDates:
    @pytest.mark.parametrize(
        "value", [(date(2025, 10, 8),), [date(2025, 10, 8), date(2025, 10, 13)], "ab"]
    )
    def test_anything_but_a_pair_of_dates_is_refused(self, value: object) -> None:
        with pytest.raises(InvalidInput) as refused:
            Deadlines(refund_arrival=value)  # type: ignore[arg-type]
        assert names(str(refused.value), "Deadlines.refund_arrival", "two dates")

    def test_each_of_the_two_is_a_date(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            Deadlines(refund_arrival=(date(2025, 10, 8), "2025-10-13"))  # type: ignore[arg-type]
        assert names(str(refused.value), "Deadlines.refund_arrival")

    def test_a_pair_of_dates_is_valid(self) -> None:
        span = (date(2025, 10, 8), date(2025, 10, 13))
        assert Deadlines(refund_arrival=span).refund_arrival == span


class TestADeadlineField:
    """``_deadline`` as the ``Deadlines`` class is written with it, on a class of its own
    (the ``Deadlines`` class itself is built once, at import)."""

    @staticmethod
    def probe() -> type:
        @attrs.frozen
        class Probe:
            due: datetime | None = _deadline("falls due at", "TMR-PAY")
            on: date | None = _deadline("due on", "SHIP-DATE", _date_or_none)

        return Probe

    def test_its_metadata_and_default(self) -> None:
        probe = self.probe()
        due, on = attrs.fields(probe)
        assert dict(due.metadata) == {"label": "falls due at", "rule": "TMR-PAY"}
        assert dict(on.metadata) == {"label": "due on", "rule": "SHIP-DATE"}
        assert (probe().due, probe().on) == (None, None)

    def test_an_instant_is_checked_and_its_doubtful_offset_fixed(self) -> None:
        probe = self.probe()
        with pytest.raises(InvalidInput):
            probe(due=datetime(2025, 10, 1, 9))  # naive
        # 01:30 on 2 November 2025 happens twice in New York: its offset is fixed.
        doubtful = datetime(2025, 11, 2, 1, 30, tzinfo=ZoneInfo("America/New_York"))
        fixed = probe(due=doubtful).due
        assert fixed == doubtful.replace(tzinfo=timezone(timedelta(hours=-4)))

    def test_a_date_is_checked_as_a_date(self) -> None:
        probe = self.probe()
        with pytest.raises(InvalidInput):
            probe(on="2025-10-20")
        assert probe(on=date(2025, 10, 20)).on == date(2025, 10, 20)


class TestTwoTimersDueAtOnce:
    def test_the_first_in_the_table_is_the_one_pending(self) -> None:
        # A goods claim without evidence under a policy whose evidence deadline falls
        # with the escalation, 15 days after the opening: the claim is withdrawn.
        p = attrs.evolve(DEFAULT_ESCROW, edition="tie", evidence_days=15)
        claim = DisputeOpened(at=at(20), reason=DisputeReason.DAMAGED, claim=usd(1_000))
        order = apply(shipped(p), claim, p)
        d = deadlines(order, p)
        assert (d.evidence_by, d.escalates_at) == (at(35), None)
        assert [e.timer for e in due_events(order, at(35), p)] == ["TMR-EVIDENCE"]
