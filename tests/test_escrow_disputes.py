"""A dispute's clocks all run from its opening (TA-SUPPLIER-15-DAYS, TMR-SUPPLIER-RESPONSE,
TMR-EVIDENCE): evidence may follow the claim, a claim about the goods still without any
at its deadline is withdrawn, the buyer may escalate once the supplier's window has
passed or withdraw the claim, the parties may settle until the platform rules, the
latest inspection decides a claim about the goods, and a ruling never refunds more
than the claim (TA-RULING-WITHIN-CLAIM).

Each test takes a USD 10,000 order (confirmed, paid in full by VISA on day 1, shipped in
full on day 10 where it ships; ship-by 20 Oct 2025) to one side of a boundary and the
other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from escrow_builders import at, paid, placed, shipped, usd
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    BankAccountProvided,
    CancellationDeclined,
    CancellationRequested,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    DisputeWithdrawn,
    EscrowPolicy,
    Event,
    EvidenceSubmitted,
    InspectionReported,
    NextMove,
    Order,
    OrderPlaced,
    OrderStatus,
    Party,
    PlatformRuled,
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
from tradeassure.money import Money

S = OrderStatus
R = DisputeReason
SECOND = timedelta(seconds=1)
HELP = HELP_PAGES_ESCROW
#: When every dispute below opens: day 20, ten days after the shipment.
OPENED = at(20)
PHOTOS = ("wall-1.6mm.jpg",)


def day(n: int) -> timedelta:
    return timedelta(days=n)


def claim(
    reason: DisputeReason = R.DAMAGED,
    amount: Money | None = None,
    evidence: tuple[str, ...] = PHOTOS,
    when: datetime = OPENED,
) -> DisputeOpened:
    return DisputeOpened(at=when, reason=reason, claim=amount or usd(4_000), evidence=evidence)


def disputed(
    reason: DisputeReason = R.DAMAGED,
    evidence: tuple[str, ...] = PHOTOS,
    policy: EscrowPolicy = DEFAULT_ESCROW,
    contract: OrderPlaced | None = None,
) -> Order:
    """A shipped order with a claim of USD 4,000 opened on day 20."""
    return apply(shipped(policy, contract), claim(reason, evidence=evidence), policy)


def rules(order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW) -> list[str]:
    return [v.rule for v in check(order, event, policy)]


def conserved(order: Order) -> bool:
    return order.paid == order.held + order.released + order.refunded


class TestAGoodsDisputeEscalatesFromItsOpening:
    def test_the_escalation_falls_due_fifteen_days_after_the_opening(self) -> None:
        order = disputed()
        assert due_events(order, OPENED + day(15) - SECOND) == ()
        (timer,) = due_events(order, OPENED + day(15))
        assert (timer.timer, timer.at) == ("TMR-SUPPLIER-RESPONSE", OPENED + day(15))
        escalated = apply(order, timer)
        assert escalated.status is S.DISPUTED
        assert escalated.dispute is not None
        assert escalated.dispute.escalated_at == datetime(2025, 10, 6, 9, 0, tzinfo=UTC)

    def test_the_platform_rules_only_after_the_supplier_s_window(self) -> None:
        order = disputed()
        inside = PlatformRuled(at=OPENED + day(15), refund=usd(4_000))
        assert rules(order, inside) == ["TA-SUPPLIER-15-DAYS"]
        ruled = apply(order, PlatformRuled(at=OPENED + day(15) + SECOND, refund=usd(4_000)))
        assert (ruled.status, ruled.held, ruled.released) == (S.DISPUTED, usd(4_000), usd(6_000))
        assert ruled.dispute is not None
        assert (ruled.dispute.refund, ruled.dispute.resolved_by) == (usd(4_000), Party.PLATFORM)

    def test_its_deadlines_name_the_window_the_escalation_and_the_supplier(self) -> None:
        d = deadlines(disputed())
        assert d.supplier_deadline == OPENED + day(15)
        assert d.platform_may_rule_after == OPENED + day(15)
        assert d.escalates_at == OPENED + day(15)
        assert d.evidence_by is None  # the claim came with its photos
        assert d.next_move == NextMove(OPENED + day(15), "TMR-SUPPLIER-RESPONSE", Party.SUPPLIER)


class TestEvidenceMayFollowTheClaim:
    def test_a_claim_about_the_goods_may_open_without_evidence(self) -> None:
        assert rules(shipped(), claim(evidence=())) == []
        order = disputed(evidence=())
        assert order.dispute is not None
        assert (order.status, order.dispute.evidence) == (S.DISPUTED, ())
        d = deadlines(order)
        assert d.evidence_by == OPENED + day(7)
        assert d.next_move == NextMove(OPENED + day(7), "TMR-EVIDENCE", Party.BUYER)

    def test_without_evidence_it_is_withdrawn_seven_days_after_the_opening(self) -> None:
        order = disputed(evidence=())
        assert due_events(order, OPENED + day(7) - SECOND) == ()
        (timer,) = due_events(order, OPENED + day(7))
        assert (timer.timer, timer.at) == ("TMR-EVIDENCE", OPENED + day(7))
        back = apply(order, timer)
        assert (back.status, back.held, back.released, back.refunded) == (
            S.SHIPPED,
            usd(10_000),
            usd(0),
            usd(0),
        )
        assert back.dispute is not None
        assert (back.dispute.withdrawn_at, back.dispute.refund) == (OPENED + day(7), None)

    def test_the_buyer_s_evidence_before_the_deadline_stops_the_timer(self) -> None:
        order = disputed(evidence=())
        late = EvidenceSubmitted(at=OPENED + day(7), by=Party.BUYER, items=PHOTOS)
        assert rules(order, late) == ["TMR-EVIDENCE"]
        in_time = EvidenceSubmitted(at=OPENED + day(7) - SECOND, by=Party.BUYER, items=PHOTOS)
        backed = apply(order, in_time)
        assert backed.dispute is not None
        assert backed.dispute.evidence == PHOTOS
        assert deadlines(backed).evidence_by is None
        (timer,) = due_events(backed, OPENED + day(15))
        assert timer.timer == "TMR-SUPPLIER-RESPONSE"

    def test_the_supplier_s_evidence_does_not_stop_it(self) -> None:
        order = disputed(evidence=())
        answer = EvidenceSubmitted(at=OPENED + day(1), by=Party.SUPPLIER, items=("packing.pdf",))
        answered = apply(order, answer)
        assert answered.dispute is not None
        assert (answered.dispute.evidence, answered.dispute.supplier_evidence) == (
            (),
            ("packing.pdf",),
        )
        assert deadlines(answered).evidence_by == OPENED + day(7)
        (timer,) = due_events(answered, OPENED + day(7))
        assert timer.timer == "TMR-EVIDENCE"

    def test_an_inspection_rejecting_the_goods_counts_as_evidence(self) -> None:
        order = disputed(evidence=())
        rejecting = apply(order, InspectionReported(at=OPENED + day(2), passed=False))
        assert deadlines(rejecting).evidence_by is None
        assert due_events(rejecting, OPENED + day(7)) == ()
        passing = apply(order, InspectionReported(at=OPENED + day(2), passed=True))
        assert deadlines(passing).evidence_by == OPENED + day(7)

    def test_the_platform_submits_no_evidence(self) -> None:
        order = disputed(evidence=())
        own = EvidenceSubmitted(at=OPENED + day(1), by=Party.PLATFORM, items=("notes.txt",))
        assert rules(order, own) == ["TA-EVIDENCE"]
        assert rules(order, attrs.evolve(own, by=Party.BUYER)) == []

    def test_evidence_names_at_least_one_item(self) -> None:
        with pytest.raises(InvalidInput):
            EvidenceSubmitted(at=OPENED, by=Party.BUYER, items=())

    def test_after_the_withdrawal_the_receipt_clock_counts_from_the_final_shipment(
        self,
    ) -> None:
        order = disputed(evidence=())
        (timer,) = due_events(order, OPENED + day(7))
        back = apply(order, timer)
        # Shipped on day 10: completed on day 70, the dispute's week not added.
        assert deadlines(back).receipt_by == at(70)
        assert due_events(back, at(70) - SECOND) == ()
        (completion,) = due_events(back, at(70))
        assert (completion.timer, completion.at) == ("TMR-AUTO-COMPLETE", at(70))


class TestTheBuyerEscalatesUnderTheHelpPages:
    def test_the_buyer_may_escalate_from_day_four(self) -> None:
        order = disputed(policy=HELP)
        assert rules(order, DisputeEscalated(at=OPENED + day(3)), HELP) == ["TMR-SUPPLIER-RESPONSE"]
        escalated = apply(order, DisputeEscalated(at=OPENED + day(3) + SECOND), HELP)
        assert escalated.dispute is not None
        assert escalated.dispute.escalated_at == OPENED + day(3) + SECOND

    def test_escalation_is_automatic_on_day_eight(self) -> None:
        order = disputed(policy=HELP)
        assert deadlines(order, HELP).escalates_at == OPENED + day(7)
        assert due_events(order, OPENED + day(7) - SECOND, HELP) == ()
        (timer,) = due_events(order, OPENED + day(7), HELP)
        assert (timer.timer, timer.at) == ("TMR-SUPPLIER-RESPONSE", OPENED + day(7))

    def test_a_dispute_escalates_once(self) -> None:
        order = disputed(policy=HELP)
        escalated = apply(order, DisputeEscalated(at=OPENED + day(4)), HELP)
        again = DisputeEscalated(at=OPENED + day(5))
        assert rules(escalated, again, HELP) == ["TMR-SUPPLIER-RESPONSE"]
        (timer,) = due_events(order, OPENED + day(7), HELP)
        automatic = apply(order, timer, HELP)
        assert rules(automatic, DisputeEscalated(at=OPENED + day(8)), HELP) == [
            "TMR-SUPPLIER-RESPONSE"
        ]

    def test_once_escalated_it_waits_for_the_platform_and_no_timer(self) -> None:
        order = apply(disputed(policy=HELP), DisputeEscalated(at=OPENED + day(4)), HELP)
        d = deadlines(order, HELP)
        assert d.escalates_at is None
        assert d.next_move == NextMove(None, "TA-SUPPLIER-15-DAYS", Party.PLATFORM)
        assert due_events(order, at(400), HELP) == ()


class TestTheBuyerMayWithdraw:
    def test_a_shipped_order_goes_back_to_shipped(self) -> None:
        back = apply(disputed(), DisputeWithdrawn(at=OPENED + day(2)))
        assert (back.status, back.held, back.released, back.refunded) == (
            S.SHIPPED,
            usd(10_000),
            usd(0),
            usd(0),
        )
        assert back.dispute is not None
        assert (back.dispute.withdrawn_at, back.dispute.refund) == (OPENED + day(2), None)
        assert deadlines(back).receipt_by == at(70)

    def test_a_funded_order_goes_back_to_funds_held_and_its_overdue_clock(self) -> None:
        # Opened on 21 Oct 2025, the day after the ship-by: a late-shipment claim.
        late = claim(R.NOT_SHIPPED_ON_TIME, usd(2_000), evidence=(), when=at(50))
        back = apply(apply(paid(), late), DisputeWithdrawn(at=at(51)))
        assert (back.status, back.held) == (S.FUNDS_HELD, usd(10_000))
        overdue = datetime(2025, 11, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert deadlines(back).shipment_overdue_at == overdue
        assert due_events(back, overdue - SECOND) == ()
        (timer,) = due_events(back, overdue)
        assert timer.timer == "TMR-SHIP-OVERDUE"

    def test_a_withdrawn_goods_dispute_leaves_the_claim_after_receipt_open(self) -> None:
        order = apply(disputed(policy=HELP), DisputeWithdrawn(at=at(21)), HELP)
        order = apply(order, ReceiptConfirmed(at=at(22)), HELP)
        assert deadlines(order, HELP).claim_by == at(52)
        quality = claim(R.QUALITY_MISMATCH, when=at(52))
        assert rules(order, quality, HELP) == []
        assert rules(order, attrs.evolve(quality, at=at(52) + SECOND), HELP) == [
            "ESC-DISPUTE-COMPLETED"
        ]

    def test_a_decided_goods_dispute_closes_the_claim_after_receipt(self) -> None:
        order = apply(disputed(policy=HELP), DisputeSettled(at=at(21), refund=usd(0)), HELP)
        assert (order.status, order.released) == (S.COMPLETED, usd(10_000))
        assert deadlines(order, HELP).claim_by is None
        quality = claim(R.QUALITY_MISMATCH, when=at(22))
        assert rules(order, quality, HELP) == ["ESC-DISPUTE-COMPLETED"]

    def test_there_is_nothing_to_withdraw_without_an_open_dispute(self) -> None:
        assert rules(shipped(), DisputeWithdrawn(at=at(11))) == ["ESC-DISPUTE-OPEN"]
        back = apply(disputed(), DisputeWithdrawn(at=OPENED + day(1)))
        assert rules(back, DisputeWithdrawn(at=OPENED + day(2))) == ["ESC-DISPUTE-OPEN"]


class TestAQualityClaimAfterARejectingPreShipmentInspection:
    @staticmethod
    def quality(amount: Money | None = None) -> DisputeOpened:
        return claim(R.QUALITY_MISMATCH, amount or usd(3_000), evidence=(), when=at(6))

    @staticmethod
    def inspected(*passed: bool) -> Order:
        order = paid()
        for i, verdict in enumerate(passed):
            order = apply(order, InspectionReported(at=at(4, hours=i), passed=verdict))
        return order

    def test_without_an_inspection_nothing_shipped_is_disputed(self) -> None:
        assert rules(paid(), self.quality()) == ["TA-INSPECTION"]

    def test_a_passing_inspection_leaves_nothing_to_dispute(self) -> None:
        assert rules(self.inspected(True), self.quality()) == ["TA-INSPECTION"]
        assert rules(self.inspected(False, True), self.quality()) == ["TA-INSPECTION"]

    def test_a_rejecting_inspection_opens_the_claim_up_to_the_whole_hold(self) -> None:
        order = self.inspected(False)
        assert rules(order, self.quality(usd(10_000))) == []
        assert rules(order, self.quality(usd("10000.01"))) == ["ESC-CONSERVATION"]
        assert rules(self.inspected(True, False), self.quality()) == []
        opened = apply(order, self.quality())
        assert opened.dispute is not None
        assert (opened.status, opened.dispute.prior_status) == (S.DISPUTED, S.FUNDS_HELD)
        assert deadlines(opened).evidence_by is None  # the report is its evidence

    def test_a_settlement_of_part_goes_back_to_funds_held_with_the_goods_still_due(
        self,
    ) -> None:
        order = apply(self.inspected(False), self.quality())
        order = apply(order, DisputeSettled(at=at(8), refund=usd(3_000)))
        assert order.dispute is not None
        assert (order.status, order.dispute.refund_outstanding) == (S.FUNDS_HELD, usd(3_000))
        assert (order.held, order.released, order.refunded) == (usd(10_000), usd(0), usd(0))
        assert conserved(order)
        order = apply(order, RefundIssued(at=at(9), amount=usd(3_000)))
        assert (order.status, order.held, order.refunded) == (S.FUNDS_HELD, usd(7_000), usd(3_000))
        assert conserved(order)
        order = apply(order, Shipped(at=at(12), value=usd(10_000), final=True))
        order = apply(order, ReceiptConfirmed(at=at(20)))
        assert (order.status, order.held, order.released, order.refunded) == (
            S.COMPLETED,
            usd(0),
            usd(7_000),
            usd(3_000),
        )
        assert conserved(order)

    def test_a_refund_of_the_whole_hold_ends_the_order_once_paid_out(self) -> None:
        order = apply(self.inspected(False), self.quality(usd(10_000)))
        order = apply(order, DisputeSettled(at=at(8), refund=usd(10_000)))
        assert (order.status, order.held) == (S.DISPUTED, usd(10_000))
        order = apply(order, RefundIssued(at=at(9), amount=usd(10_000)))
        assert (order.status, order.held, order.released, order.refunded) == (
            S.REFUNDED,
            usd(0),
            usd(0),
            usd(10_000),
        )
        assert conserved(order)


class TestThePartiesMaySettleUntilThePlatformRules:
    def test_a_settlement_after_the_window_is_accepted(self) -> None:
        order = disputed()
        assert rules(order, DisputeSettled(at=OPENED + day(15), refund=usd(1_500))) == []
        settled = apply(order, DisputeSettled(at=OPENED + day(15) + SECOND, refund=usd(1_500)))
        assert settled.dispute is not None
        assert (settled.dispute.refund, settled.dispute.resolved_by) == (usd(1_500), Party.SUPPLIER)
        assert (settled.held, settled.released) == (usd(1_500), usd(8_500))

    def test_a_settlement_after_the_buyer_s_escalation_is_accepted(self) -> None:
        order = apply(disputed(), DisputeEscalated(at=OPENED + day(16)))
        settled = apply(order, DisputeSettled(at=OPENED + day(40), refund=usd(1_500)))
        assert settled.dispute is not None
        assert settled.dispute.refund == usd(1_500)

    def test_a_settlement_after_the_automatic_escalation_is_accepted(self) -> None:
        order = disputed()
        (timer,) = due_events(order, OPENED + day(15))
        order = apply(order, timer)
        assert rules(order, DisputeSettled(at=OPENED + day(40), refund=usd(1_500))) == []

    def test_once_the_platform_has_ruled_there_is_nothing_to_settle(self) -> None:
        order = disputed()
        settlement = DisputeSettled(at=OPENED + day(17), refund=usd(1_500))
        assert rules(order, settlement) == []
        ruled = apply(order, PlatformRuled(at=OPENED + day(16), refund=usd(1_000)))
        assert rules(ruled, settlement) == ["ESC-PARTIAL-RELEASE"]


class TestARulingNeverExceedsTheClaim:
    def test_the_platform_refunds_the_claim_and_not_a_cent_more(self) -> None:
        order = disputed()  # claims USD 4,000
        after = OPENED + day(15) + SECOND
        assert rules(order, PlatformRuled(at=after, refund=usd("4000.01"))) == [
            "TA-RULING-WITHIN-CLAIM"
        ]
        ruled = apply(order, PlatformRuled(at=after, refund=usd(4_000)))
        assert ruled.dispute is not None
        assert ruled.dispute.refund == usd(4_000)
        assert (ruled.held, ruled.released, ruled.refunded) == (usd(4_000), usd(6_000), usd(0))
        assert conserved(ruled)


class TestTheLatestInspectionDecides:
    @staticmethod
    def inspected(*passed: bool, contract: OrderPlaced | None = None) -> Order:
        order = disputed(R.QUALITY_MISMATCH, contract=contract)
        for i, verdict in enumerate(passed, start=1):
            order = apply(order, InspectionReported(at=OPENED + day(i), passed=verdict))
        return order

    def test_a_passing_re_inspection_refunds_nothing(self) -> None:
        order = self.inspected(False, True)
        late = OPENED + day(30)
        assert rules(order, PlatformRuled(at=late, refund=usd("0.01"))) == ["TA-NO-BUYER-WHIM"]
        assert rules(order, PlatformRuled(at=late, refund=usd(4_000))) == ["TA-NO-BUYER-WHIM"]

    def test_a_passing_report_is_ruled_on_at_once_for_nothing(self) -> None:
        ruled = apply(self.inspected(False, True), PlatformRuled(at=OPENED + day(3), refund=usd(0)))
        assert (ruled.status, ruled.held, ruled.released) == (S.COMPLETED, usd(0), usd(10_000))
        # A rejecting latest report waits for the window, even for a ruling of nothing.
        inside = PlatformRuled(at=OPENED + day(3), refund=usd(0))
        assert rules(self.inspected(True, False), inside) == ["TA-SUPPLIER-15-DAYS"]

    def test_the_deadlines_say_when_the_platform_may_rule(self) -> None:
        assert deadlines(self.inspected(False, True)).platform_may_rule_after == OPENED + day(2)
        window = OPENED + day(15)
        assert deadlines(self.inspected(True, False)).platform_may_rule_after == window
        assert deadlines(self.inspected()).platform_may_rule_after == window

    def test_a_passing_report_on_a_contract_without_specifications(self) -> None:
        order = self.inspected(True, contract=placed(specifications=()))
        ruling = PlatformRuled(at=OPENED + day(16), refund=usd(1_000))
        assert rules(order, ruling) == ["TA-SPEC-QUANTIFIABLE"]

    def test_a_rejecting_re_inspection_refunds_after_the_window(self) -> None:
        order = self.inspected(True, False)
        assert rules(order, PlatformRuled(at=OPENED + day(15), refund=usd(4_000))) == [
            "TA-SUPPLIER-15-DAYS"
        ]
        ruled = apply(order, PlatformRuled(at=OPENED + day(15) + SECOND, refund=usd(4_000)))
        assert ruled.dispute is not None
        assert ruled.dispute.refund == usd(4_000)
        assert (ruled.held, ruled.released) == (usd(4_000), usd(6_000))


class TestAQualityClaimWithoutAnInspectionReport:
    AFTER = OPENED + day(15) + SECOND

    def test_a_contract_without_specifications_is_not_ruled_on_the_buyer_s_evidence(
        self,
    ) -> None:
        order = disputed(R.QUALITY_MISMATCH, contract=placed(specifications=()))
        assert rules(order, PlatformRuled(at=self.AFTER, refund=usd(2_000))) == [
            "TA-SPEC-QUANTIFIABLE"
        ]
        # Damage needs no specification to be seen.
        damaged = disputed(R.DAMAGED, contract=placed(specifications=()))
        assert rules(damaged, PlatformRuled(at=self.AFTER, refund=usd(2_000))) == []

    def test_a_contract_with_specifications_is_ruled_on_the_buyer_s_evidence(self) -> None:
        order = disputed(R.QUALITY_MISMATCH)
        ruled = apply(order, PlatformRuled(at=self.AFTER, refund=usd(2_000)))
        assert ruled.dispute is not None
        assert ruled.dispute.refund == usd(2_000)
        assert (ruled.held, ruled.released) == (usd(2_000), usd(8_000))

    def test_a_refund_needs_the_buyer_s_evidence(self) -> None:
        # Under the shipped editions the claim is withdrawn before the window ends; an
        # evidence deadline past the window lets the ruling meet the claim bare.
        policy = attrs.evolve(DEFAULT_ESCROW, evidence_days=20)
        bare = disputed(R.QUALITY_MISMATCH, evidence=(), policy=policy)
        ruling = PlatformRuled(at=self.AFTER, refund=usd(2_000))
        assert rules(bare, ruling, policy) == ["TA-EVIDENCE"]
        backed = apply(
            bare, EvidenceSubmitted(at=OPENED + day(1), by=Party.BUYER, items=PHOTOS), policy
        )
        assert rules(backed, ruling, policy) == []


class TestACancellationRequestDoesNotRunOutTheReceiptClock:
    # The symptom 2: shipped on day 10, the buyer asks to cancel on day 25, the
    # supplier declines on day 30, inside the week's lapse.
    @staticmethod
    def declined() -> Order:
        order = apply(shipped(), CancellationRequested(at=at(25), by=Party.BUYER))
        return apply(order, CancellationDeclined(at=at(30), by=Party.SUPPLIER))

    def test_the_receipt_deadline_moves_by_exactly_the_five_days_waited(self) -> None:
        order = self.declined()
        assert order.status is S.SHIPPED
        assert deadlines(order).receipt_by == at(75)
        assert due_events(order, at(75) - SECOND) == ()
        (timer,) = due_events(order, at(75))
        assert (timer.timer, timer.at) == ("TMR-AUTO-COMPLETE", at(75))

    def test_a_dispute_an_hour_after_the_decline_is_accepted(self) -> None:
        order = self.declined()
        opened = apply(order, claim(when=at(30, hours=1)))
        assert opened.dispute is not None
        assert (opened.status, opened.dispute.opened_at) == (S.DISPUTED, at(30, hours=1))
        assert deadlines(opened).supplier_deadline == at(45, hours=1)

    def test_a_dispute_is_open_until_the_moved_receipt_deadline(self) -> None:
        order = self.declined()
        assert rules(order, claim(when=at(75) - SECOND)) == []
        assert rules(order, claim(when=at(75))) == ["TMR-AUTO-COMPLETE"]


class TestADecidedClaimStopsItsEvidenceDeadline:
    # The state machine found this: replay kept the evidence deadline of a claim decided
    # while the order stayed disputed (a refund of the whole hold, waiting for its
    # payout), and refused a later event that apply accepted.
    def test_replay_and_apply_agree_after_the_whole_hold_is_settled(self) -> None:
        order = apply(shipped(), claim(R.QUALITY_MISMATCH, amount=usd(10_000), evidence=()))
        order = apply(order, DisputeSettled(at=OPENED + day(1), refund=usd(10_000)))
        assert order.status is S.DISPUTED
        assert deadlines(order).evidence_by is None
        late = BankAccountProvided(at=OPENED + day(8), account="DE89 3704 0044 0532 0130 00")
        after = apply(order, late)
        assert replay(after.events) == after


class TestGoodsDecidedOnceStayDecided:
    # Ship-by 20 Oct 2025: TMR-SHIP-OVERDUE falls due on 20 Nov (day 80 is after it).
    # A later dispute (here the overdue shipment's refund, which replaces the order's
    # dispute record) must not make the goods claimable again (ESC-PARTIAL-RELEASE).
    def test_an_overdue_shipment_after_a_settled_goods_claim(self) -> None:
        order = apply(paid(HELP), Shipped(at=at(10), value=usd(4_000), final=False), HELP)
        order = apply(order, claim(R.QUALITY_MISMATCH, amount=usd(1_000)), HELP)
        order = apply(order, DisputeSettled(at=OPENED + day(1), refund=usd(500)), HELP)
        assert order.milestones.goods_decided_at == OPENED + day(1)
        order = advance(order, at(80), HELP)
        assert order.status is S.SHIPPED
        assert order.dispute is not None
        assert order.dispute.reason is R.NOT_SHIPPED_ON_TIME
        outstanding = order.dispute.refund_outstanding
        assert outstanding == usd(6_500)
        order = apply(order, RefundIssued(at=at(81), amount=outstanding), HELP)
        order = apply(order, ReceiptConfirmed(at=at(82)), HELP)
        again = claim(R.QUALITY_MISMATCH, amount=usd(100), when=at(83))
        assert rules(order, again, HELP) == ["ESC-DISPUTE-COMPLETED"]
        assert deadlines(order, HELP).claim_by is None

    def test_a_late_shipment_outcome_leaves_the_goods_claimable(self) -> None:
        order = apply(paid(HELP), Shipped(at=at(10), value=usd(4_000), final=False), HELP)
        order = advance(order, at(80), HELP)
        assert order.milestones.goods_decided_at is None
        assert order.dispute is not None
        order = apply(order, RefundIssued(at=at(81), amount=usd(6_000)), HELP)
        order = apply(order, ReceiptConfirmed(at=at(82)), HELP)
        assert rules(order, claim(R.DAMAGED, amount=usd(100), when=at(83)), HELP) == []
