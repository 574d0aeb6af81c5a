"""The escrow lifecycle, rule by rule, with both sides of every boundary."""

from __future__ import annotations

import decimal
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from escrow_builders import SHIP_BY, T0, at, placed, usd
from tradeassure.errors import CurrencyMismatch, InvalidInput, RuleViolation
from tradeassure.escrow import (
    TRANSITIONS,
    BankAccountProvided,
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    EventIdConflict,
    FeedbackLeft,
    InspectionReported,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    RefundIssued,
    Shipped,
    ShippingDateExtended,
    TimerExpired,
    advance,
    allowed_events,
    apply,
    check,
    covered_amount,
    deadlines,
    due_events,
    place,
    replay,
)
from tradeassure.money import Money
from tradeassure.policy import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    EscrowPolicy,
)
from tradeassure.shipping import add_working_days

S = OrderStatus


def confirmed(**changes: object) -> Order:
    return apply(place(placed(**changes)), ContractConfirmed(at=at(0, 1), by=Party.BUYER))


def funded(method: PaymentMethod = PaymentMethod.VISA, **changes: object) -> Order:
    order = confirmed(**changes)
    return apply(order, PaymentReceived(at=at(1), amount=order.total, method=method))


def shipped(**changes: object) -> Order:
    order = funded(**changes)
    return apply(order, Shipped(at=at(30), value=order.total, final=True))


def completed(**changes: object) -> Order:
    return apply(shipped(**changes), ReceiptConfirmed(at=at(40)))


def refused(order: Order, event: Event, rule: str, policy: EscrowPolicy = DEFAULT_ESCROW) -> str:
    """Assert that ``event`` is refused under ``rule`` by both check and apply."""
    violations = check(order, event, policy)
    assert [v.rule for v in violations] == [rule], violations
    with pytest.raises(RuleViolation) as info:
        apply(order, event, policy)
    assert info.value.rule == rule
    assert info.value.message
    return info.value.message


def conserved(order: Order) -> bool:
    return order.paid == order.held + order.released + order.refunded


# -- contract and confirmation ------------------------------------------------------------


class TestContract:
    def test_a_placed_order_awaits_the_other_partys_confirmation(self) -> None:
        order = place(placed())
        assert order.status is S.AWAITING_CONFIRMATION
        assert order.paid.is_zero
        assert order.events == (placed(),)

    def test_the_buyer_confirms_a_contract_the_supplier_drafted(self) -> None:
        order = place(placed())
        assert apply(order, ContractConfirmed(at=at(0, 1), by=Party.BUYER)).status is (
            S.AWAITING_PAYMENT
        )
        refused(order, ContractConfirmed(at=at(0, 1), by=Party.SUPPLIER), "ESC-ORDER-ORIGIN")

    def test_the_supplier_confirms_a_buy_now_contract(self) -> None:
        order = place(placed(drafted_by=Party.BUYER))
        refused(order, ContractConfirmed(at=at(0, 1), by=Party.BUYER), "ESC-ORDER-ORIGIN")
        confirmed_order = apply(order, ContractConfirmed(at=at(0, 1), by=Party.SUPPLIER))
        assert confirmed_order.status is S.AWAITING_PAYMENT

    def test_the_platform_cannot_confirm_a_contract(self) -> None:
        refused(
            place(placed()), ContractConfirmed(at=at(0, 1), by=Party.PLATFORM), "ESC-ORDER-ORIGIN"
        )

    def test_a_contract_is_confirmed_once(self) -> None:
        refused(confirmed(), ContractConfirmed(at=at(0, 2), by=Party.BUYER), "ESC-ORDER-ORIGIN")

    def test_an_order_is_placed_once(self) -> None:
        refused(confirmed(), placed(at=at(1)), "ESC-ORDER-ORIGIN")

    def test_a_history_starts_with_order_placed(self) -> None:
        with pytest.raises(RuleViolation) as info:
            replay([ContractConfirmed(at=T0, by=Party.BUYER)])
        assert info.value.rule == "ESC-ORDER-ORIGIN"
        with pytest.raises(InvalidInput, match="at least"):
            replay([])

    def test_unknown_country_codes_are_refused_at_placement(self) -> None:
        with pytest.raises(InvalidInput, match="XX"):
            place(placed(supplier_country="XX"))

    def test_deposit_cannot_exceed_the_total(self) -> None:
        with pytest.raises(InvalidInput, match="deposit"):
            placed(deposit=usd("10000.01"))
        assert placed(deposit=usd(10_000)).deposit == usd(10_000)


# -- payment ------------------------------------------------------------------------------


class TestPayment:
    def test_payment_is_refused_before_confirmation(self) -> None:
        pay = PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.VISA)
        message = refused(place(placed()), pay, "ESC-PAY-AFTER-CONFIRM")
        assert "ContractConfirmed" in message

    def test_full_payment_holds_the_money_in_escrow(self) -> None:
        order = funded()
        assert order.status is S.FUNDS_HELD
        assert order.held == order.paid == usd(10_000)
        assert order.released.is_zero

    def test_partial_payments_add_up_to_the_total_and_never_exceed_it(self) -> None:
        order = confirmed()
        order = apply(order, PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.TT))
        assert order.status is S.PARTIALLY_PAID
        over = PaymentReceived(at=at(2), amount=usd("7000.01"), method=PaymentMethod.TT)
        refused(order, over, "ESC-DEPOSIT")
        exact = PaymentReceived(at=at(2), amount=usd(7000), method=PaymentMethod.TT)
        assert apply(order, exact).status is S.FUNDS_HELD

    def test_a_fully_paid_order_takes_no_more_payments(self) -> None:
        pay = PaymentReceived(at=at(2), amount=usd(1), method=PaymentMethod.VISA)
        refused(funded(), pay, "ESC-DEPOSIT")

    def test_the_deposit_may_arrive_in_parts(self) -> None:
        # ESC-DEPOSIT: partial payments add up; the deposit is paid once they reach it.
        order = confirmed(deposit=usd(3000))
        short = PaymentReceived(at=at(1), amount=usd("2999.99"), method=PaymentMethod.TT)
        order = apply(order, short)
        assert (order.status, order.held) == (S.PARTIALLY_PAID, usd("2999.99"))
        assert deadlines(order).pay_by is not None  # the deposit is still owed: TMR-PAY
        rest = PaymentReceived(at=at(2), amount=usd("0.01"), method=PaymentMethod.TT)
        order = apply(order, rest)
        assert order.held == usd(3000)
        assert deadlines(order).pay_by is None  # now the balance waits: TMR-BALANCE
        assert deadlines(order).balance_by is not None

    def test_paypal_is_refused_by_default_and_accepted_where_a_policy_allows_it(self) -> None:
        pay = PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.PAYPAL)
        refused(confirmed(), pay, "TA-METHODS")
        liberal = EscrowPolicy(edition="test", accepted_methods=frozenset(PaymentMethod))
        assert apply(confirmed(), pay, liberal).paid == usd(100)

    def test_money_paid_outside_the_checkout_goes_to_the_supplier_and_is_not_covered(
        self,
    ) -> None:
        order = confirmed()
        direct = PaymentReceived(
            at=at(1), amount=usd(10_000), method=PaymentMethod.TT, via_checkout=False
        )
        order = apply(order, direct)
        assert order.status is S.FUNDS_HELD
        assert order.held.is_zero
        assert order.released == usd(10_000)
        assert covered_amount(order).is_zero
        assert conserved(order)

    def test_payments_in_another_currency_are_malformed(self) -> None:
        pay = PaymentReceived(at=at(1), amount=Money(100, "EUR"), method=PaymentMethod.VISA)
        with pytest.raises(CurrencyMismatch):
            apply(confirmed(), pay)
        with pytest.raises(CurrencyMismatch):
            check(confirmed(), pay)


# -- shipment, receipt, feedback ----------------------------------------------------------


class TestShipmentAndRelease:
    def test_shipment_is_refused_until_the_order_is_paid_in_full(self) -> None:
        ship = Shipped(at=at(5), value=usd(10_000), final=True)
        refused(confirmed(), ship, "ESC-HOLD")
        part = apply(
            confirmed(), PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.TT)
        )
        refused(part, ship, "ESC-DEPOSIT")

    def test_an_order_ships_in_parts_until_the_final_shipment(self) -> None:
        order = apply(funded(), Shipped(at=at(10), value=usd(4000), final=False))
        assert order.status is S.PARTIALLY_SHIPPED
        assert order.shipped == usd(4000)
        order = apply(order, Shipped(at=at(12), value=usd(6000), final=True))
        assert order.status is S.SHIPPED

    def test_shipments_never_exceed_the_total(self) -> None:
        order = apply(funded(), Shipped(at=at(10), value=usd(4000), final=False))
        refused(order, Shipped(at=at(12), value=usd("6000.01"), final=True), "SHIP-PARTIAL")

    def test_the_shipment_that_completes_the_order_is_final(self) -> None:
        refused(funded(), Shipped(at=at(10), value=usd(10_000), final=False), "SHIP-PARTIAL")

    def test_a_shipped_order_takes_no_more_shipments(self) -> None:
        refused(shipped(), Shipped(at=at(31), value=usd(1), final=True), "SHIP-PARTIAL")

    def test_receipt_before_the_whole_order_shipped_is_refused(self) -> None:
        order = apply(funded(), Shipped(at=at(10), value=usd(4000), final=False))
        refused(order, ReceiptConfirmed(at=at(20)), "ESC-RELEASE")
        refused(funded(), ReceiptConfirmed(at=at(20)), "ESC-RELEASE")

    def test_confirmed_receipt_releases_the_hold_and_completes_the_order(self) -> None:
        order = completed()
        assert order.status is S.COMPLETED
        assert order.held.is_zero
        assert order.released == usd(10_000)
        assert conserved(order)

    def test_feedback_is_left_once_after_receipt(self) -> None:
        refused(shipped(), FeedbackLeft(at=at(35), rating=5), "ESC-FEEDBACK")
        order = apply(completed(), FeedbackLeft(at=at(41), rating=5))
        assert order.milestones.feedback == 5
        refused(order, FeedbackLeft(at=at(42), rating=1), "ESC-FEEDBACK")

    def test_feedback_ratings_run_from_one_to_five(self) -> None:
        with pytest.raises(InvalidInput, match="rating"):
            FeedbackLeft(at=T0, rating=6)
        with pytest.raises(InvalidInput, match="rating"):
            FeedbackLeft(at=T0, rating=0)


# -- ship-by extensions -------------------------------------------------------------------


class TestShipByExtension:
    def test_both_parties_agreeing_moves_the_ship_by_date(self) -> None:
        later = date(2025, 10, 31)
        event = ShippingDateExtended(
            at=at(10), new_ship_by=later, buyer_agrees=True, supplier_agrees=True
        )
        assert apply(funded(), event).ship_by == later

    @pytest.mark.parametrize(("buyer", "supplier"), [(True, False), (False, True), (False, False)])
    def test_one_party_alone_cannot_move_it(self, buyer: bool, supplier: bool) -> None:
        event = ShippingDateExtended(
            at=at(10), new_ship_by=date(2025, 10, 31), buyer_agrees=buyer, supplier_agrees=supplier
        )
        refused(funded(), event, "SHIP-EXTEND")

    def test_the_new_date_must_be_later(self) -> None:
        event = ShippingDateExtended(
            at=at(10), new_ship_by=SHIP_BY, buyer_agrees=True, supplier_agrees=True
        )
        refused(funded(), event, "SHIP-EXTEND")

    def test_extensions_stay_within_ninety_working_days_of_confirmation(self) -> None:
        # Counted in the supplier's working days (TMR-SHIP-EXTEND-CAP), like the lead time.
        cap = add_working_days((T0 + timedelta(hours=1)).date(), 90, "CN")
        ok = ShippingDateExtended(
            at=at(10), new_ship_by=cap, buyer_agrees=True, supplier_agrees=True
        )
        assert apply(funded(), ok).ship_by == cap
        over = ShippingDateExtended(
            at=at(10), new_ship_by=cap + timedelta(days=1), buyer_agrees=True, supplier_agrees=True
        )
        refused(funded(), over, "TMR-SHIP-EXTEND-CAP")

    def test_a_shipped_order_keeps_its_date(self) -> None:
        event = ShippingDateExtended(
            at=at(31), new_ship_by=date(2025, 11, 1), buyer_agrees=True, supplier_agrees=True
        )
        refused(shipped(), event, "SHIP-EXTEND")


# -- cancellation -------------------------------------------------------------------------


class TestCancellation:
    @pytest.mark.parametrize("by", [Party.BUYER, Party.SUPPLIER])
    def test_either_party_cancels_an_unpaid_order_at_once(self, by: Party) -> None:
        assert apply(confirmed(), CancellationRequested(at=at(1), by=by)).status is S.CANCELLED
        assert apply(place(placed()), CancellationRequested(at=at(1), by=by)).status is (
            S.CANCELLED
        )

    def test_a_paid_order_is_cancelled_only_by_agreement_and_the_hold_goes_back(self) -> None:
        order = apply(funded(), CancellationRequested(at=at(2), by=Party.BUYER))
        assert order.status is S.CANCELLATION_REQUESTED
        refused(order, CancellationAgreed(at=at(3), by=Party.BUYER), "ESC-CANCEL-SHIPPED")
        done = apply(order, CancellationAgreed(at=at(3), by=Party.SUPPLIER))
        assert done.status is S.CANCELLED
        assert done.refunded == usd(10_000)
        assert done.held.is_zero
        assert conserved(done)

    def test_a_declined_cancellation_leaves_the_order_where_it_was(self) -> None:
        order = apply(shipped(), CancellationRequested(at=at(31), by=Party.BUYER))
        back = apply(order, CancellationDeclined(at=at(32), by=Party.SUPPLIER))
        assert back.status is S.SHIPPED
        assert back.cancellation is None

    def test_after_shipment_only_the_buyer_may_ask_to_cancel(self) -> None:
        refused(
            shipped(), CancellationRequested(at=at(31), by=Party.SUPPLIER), "ESC-CANCEL-SHIPPED"
        )
        refused(
            shipped(), CancellationRequested(at=at(31), by=Party.PLATFORM), "ESC-CANCEL-SHIPPED"
        )

    def test_nobody_answers_a_request_that_was_not_made(self) -> None:
        refused(funded(), CancellationAgreed(at=at(3), by=Party.SUPPLIER), "ESC-CANCEL-SHIPPED")


# -- disputes -----------------------------------------------------------------------------


def quality_dispute(
    at_: datetime, claim: str = "4000", evidence: tuple[str, ...] = ("p.jpg",)
) -> DisputeOpened:
    return DisputeOpened(
        at=at_, reason=DisputeReason.QUALITY_MISMATCH, claim=usd(claim), evidence=evidence
    )


def late_dispute(at_: datetime, claim: str = "10000") -> DisputeOpened:
    return DisputeOpened(at=at_, reason=DisputeReason.NOT_SHIPPED_ON_TIME, claim=usd(claim))


def disagreement(**changes: object) -> Order:
    """A shipped order with a quality dispute and a rejecting inspection at day 40."""
    order = apply(shipped(**changes), quality_dispute(at(35)))
    return apply(order, InspectionReported(at=at(40), passed=False, report="wall 1.6 mm"))


class TestDisputeOpening:
    def test_a_completed_order_can_never_be_disputed(self) -> None:
        message = refused(completed(), quality_dispute(at(41)), "ESC-DISPUTE-COMPLETED")
        assert message == (
            "order PO-7 was completed on 2025-10-11; a completed order cannot be disputed"
        )

    def test_a_late_shipment_dispute_waits_until_ship_by_has_passed(self) -> None:
        # The ship-by is a day in the supplier's zone (SHIP-DATE): Asia/Shanghai for CN.
        shanghai = ZoneInfo("Asia/Shanghai")
        on_the_day = datetime.combine(SHIP_BY, datetime.max.time(), shanghai)
        refused(funded(), late_dispute(on_the_day), "TA-LATE-SHIPMENT")
        day_after = datetime.combine(SHIP_BY + timedelta(days=1), datetime.min.time(), shanghai)
        order = apply(funded(), late_dispute(day_after))
        assert order.status is S.DISPUTED
        assert order.dispute is not None
        assert order.dispute.opened_at == day_after
        assert deadlines(order).supplier_deadline == day_after + timedelta(days=15)

    def test_a_shipment_made_in_time_cannot_be_called_late(self) -> None:
        refused(shipped(), late_dispute(at(60)), "TA-LATE-SHIPMENT")

    def test_a_deposit_paid_order_never_shipped_can_claim_its_deposit_back(self) -> None:
        order = apply(
            confirmed(), PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.TT)
        )
        disputed = apply(order, late_dispute(at(60), claim="3000"))
        assert disputed.dispute is not None
        assert disputed.dispute.claim == usd(3000)

    def test_nothing_shipped_means_nothing_to_receive_or_inspect(self) -> None:
        not_received = DisputeOpened(at=at(20), reason=DisputeReason.NOT_RECEIVED, claim=usd(1))
        refused(funded(), not_received, "ESC-DISPUTE-OPEN")

    def test_a_claim_about_the_goods_may_open_before_its_evidence(self) -> None:
        order = apply(shipped(), quality_dispute(at(35), evidence=()))
        assert order.status is S.DISPUTED
        assert deadlines(order).evidence_by == at(35 + 7)

    def test_a_claim_never_exceeds_what_is_held(self) -> None:
        assert apply(shipped(), quality_dispute(at(35), claim="10000")).status is S.DISPUTED
        refused(shipped(), quality_dispute(at(35), claim="10000.01"), "ESC-CONSERVATION")

    def test_nothing_is_disputed_before_payment(self) -> None:
        refused(confirmed(), late_dispute(at(60)), "ESC-DISPUTE-OPEN")


class TestSupplierWindow:
    def test_a_quality_claims_window_starts_at_the_opening_inspection_or_not(self) -> None:
        order = apply(shipped(), quality_dispute(at(35)))
        assert deadlines(order).supplier_deadline == at(35 + 15)
        order = apply(order, InspectionReported(at=at(40), passed=False))
        assert deadlines(order).supplier_deadline == at(35 + 15)

    def test_a_rejecting_inspection_before_the_claim_leaves_the_window_at_the_claim(
        self,
    ) -> None:
        order = apply(shipped(), InspectionReported(at=at(33), passed=False))
        order = apply(order, quality_dispute(at(35)))
        assert deadlines(order).supplier_deadline == at(35 + 15)

    def test_the_parties_settle_inside_the_window_and_after_it_until_the_ruling(self) -> None:
        order = disagreement()
        assert apply(order, DisputeSettled(at=at(35 + 15), refund=usd(2000))).held == usd(2000)
        late = apply(advance(order, at(35 + 16)), DisputeSettled(at=at(35 + 16), refund=usd(2000)))
        assert late.held == usd(2000)
        ruled = apply(order, PlatformRuled(at=at(35 + 16), refund=usd(0)))
        refused(ruled, DisputeSettled(at=at(35 + 17), refund=usd(2000)), "ESC-STATES")

    def test_the_platform_rules_from_day_sixteen_and_not_on_day_fifteen(self) -> None:
        order = disagreement()
        refused(order, PlatformRuled(at=at(35 + 15), refund=usd(4000)), "TA-SUPPLIER-15-DAYS")
        ruled = apply(order, PlatformRuled(at=at(35 + 16), refund=usd(4000)))
        assert ruled.held == usd(4000)
        assert ruled.released == usd(6000)

    def test_the_window_is_a_policy_figure(self) -> None:
        order = apply(shipped(), quality_dispute(at(35)), HELP_PAGES_ESCROW)
        order = apply(order, InspectionReported(at=at(40), passed=False), HELP_PAGES_ESCROW)
        ruling = PlatformRuled(at=at(40 + 4), refund=usd(4000))
        assert apply(order, ruling, HELP_PAGES_ESCROW).held == usd(4000)
        refused(order, ruling, "TA-SUPPLIER-15-DAYS")

    def test_without_an_inspection_report_the_platform_rules_on_the_evidence(self) -> None:
        order = apply(shipped(), quality_dispute(at(35)))
        refused(order, PlatformRuled(at=at(35 + 15), refund=usd(1)), "TA-SUPPLIER-15-DAYS")
        assert apply(order, PlatformRuled(at=at(35 + 16), refund=usd(1))).refunded == usd(0)
        vague = apply(shipped(specifications=()), quality_dispute(at(35)))
        refused(vague, PlatformRuled(at=at(80), refund=usd(1)), "TA-SPEC-QUANTIFIABLE")
        assert apply(vague, PlatformRuled(at=at(80), refund=usd(0))).status is S.COMPLETED

    def test_a_passed_inspection_decides_against_the_buyer(self) -> None:
        order = apply(shipped(), quality_dispute(at(35)))
        order = apply(order, InspectionReported(at=at(40), passed=True))
        refused(order, PlatformRuled(at=at(41), refund=usd(1)), "TA-NO-BUYER-WHIM")
        ruled = apply(order, PlatformRuled(at=at(41), refund=usd(0)))
        assert ruled.status is S.COMPLETED
        assert ruled.released == usd(10_000)

    def test_vague_specifications_leave_the_decision_to_the_inspection(self) -> None:
        order = apply(shipped(specifications=()), quality_dispute(at(35)))
        order = apply(order, InspectionReported(at=at(40), passed=True))
        refused(order, PlatformRuled(at=at(41), refund=usd(1)), "TA-SPEC-QUANTIFIABLE")


class TestOutcomeAndRefund:
    def test_a_refund_may_equal_what_is_held_but_not_a_cent_more(self) -> None:
        order = disagreement()
        refused(order, DisputeSettled(at=at(41), refund=usd("10000.01")), "ESC-CONSERVATION")
        settled = apply(order, DisputeSettled(at=at(41), refund=usd(10_000)))
        assert settled.held == usd(10_000)
        assert settled.released.is_zero

    def test_what_a_settlement_does_not_refund_is_released(self) -> None:
        settled = apply(disagreement(), DisputeSettled(at=at(41), refund=usd(2500)))
        assert settled.status is S.DISPUTED
        assert settled.held == usd(2500)
        assert settled.released == usd(7500)
        assert conserved(settled)

    def test_a_hold_resolves_once(self) -> None:
        settled = apply(disagreement(), DisputeSettled(at=at(41), refund=usd(2500)))
        refused(settled, DisputeSettled(at=at(42), refund=usd(1)), "ESC-PARTIAL-RELEASE")
        # What is left: paying the refund out, and the buyer's account it may need.
        assert allowed_events(settled) == {RefundIssued, BankAccountProvided}

    def test_the_decided_refund_is_paid_out_and_closes_the_order(self) -> None:
        settled = apply(disagreement(), DisputeSettled(at=at(41), refund=usd(2500)))
        refused(settled, RefundIssued(at=at(42), amount=usd("2500.01")), "ESC-CONSERVATION")
        done = apply(settled, RefundIssued(at=at(42), amount=usd(2500)))
        assert done.status is S.REFUNDED
        assert done.refunded == usd(2500)
        assert done.held.is_zero
        assert conserved(done)

    def test_a_tt_refund_needs_the_buyers_bank_account(self) -> None:
        order = apply(shipped(), quality_dispute(at(35)))
        order = apply(order, InspectionReported(at=at(40), passed=False))
        settled = apply(order, DisputeSettled(at=at(41), refund=usd(100)))
        assert check(settled, RefundIssued(at=at(42), amount=usd(100))) == ()
        tt = apply(
            confirmed(),
            PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
        )
        tt = apply(tt, late_dispute(at(60)))
        tt = apply(tt, DisputeSettled(at=at(61), refund=usd(10_000)))
        refused(tt, RefundIssued(at=at(62), amount=usd(10_000)), "ESC-REFUND-WINDOW")
        paid_back = RefundIssued(at=at(62), amount=usd(10_000), bank_account="DE89370400440532")
        assert apply(tt, paid_back).status is S.REFUNDED

    def test_a_zero_refund_completes_the_order(self) -> None:
        done = apply(disagreement(), DisputeSettled(at=at(41), refund=usd(0)))
        assert done.status is S.COMPLETED
        assert done.released == usd(10_000)

    def test_no_refund_is_paid_before_one_is_decided(self) -> None:
        refused(disagreement(), RefundIssued(at=at(42), amount=usd(1)), "ESC-PARTIAL-RELEASE")


class TestCoverage:
    def test_a_participating_suppliers_escrow_payment_is_covered(self) -> None:
        assert covered_amount(funded()) == usd(10_000)

    def test_a_non_participating_supplier_offers_no_protection(self) -> None:
        order = funded(protected=False)
        assert covered_amount(order).is_zero
        order = apply(order, late_dispute(at(60)))
        refused(order, PlatformRuled(at=at(80), refund=usd(1)), "TA-SUPPLIER")
        settled = apply(order, DisputeSettled(at=at(61), refund=usd(500)))
        # Nothing shipped: the compensation is decided and the rest stays held (ESC-RELEASE).
        assert settled.dispute is not None
        assert settled.dispute.refund_outstanding == usd(500)
        assert (settled.status, settled.held, settled.released) == (
            S.FUNDS_HELD,
            usd(10_000),
            usd(0),
        )

    def test_the_protection_limit_caps_coverage_and_rulings(self) -> None:
        order = funded(protection_limit=usd(3000))
        assert covered_amount(order) == usd(3000)
        order = apply(order, late_dispute(at(60)))
        refused(order, PlatformRuled(at=at(80), refund=usd("3000.01")), "TA-LIMIT")
        ruled = apply(order, PlatformRuled(at=at(80), refund=usd(3000)))
        assert ruled.dispute is not None
        assert ruled.dispute.refund_outstanding == usd(3000)
        assert (ruled.held, ruled.released) == (usd(10_000), usd(0))

    def test_the_launch_edition_covers_only_tt_payments(self) -> None:
        visa = funded(PaymentMethod.VISA)
        assert covered_amount(visa, LAUNCH_2014_ESCROW).is_zero
        assert covered_amount(funded(PaymentMethod.TT), LAUNCH_2014_ESCROW) == usd(10_000)
        disputed = apply(visa, late_dispute(at(60)), LAUNCH_2014_ESCROW)
        ruling = PlatformRuled(at=at(80), refund=usd(1))
        assert [v.rule for v in check(disputed, ruling, LAUNCH_2014_ESCROW)] == ["TA-METHODS"]

    def test_the_launch_edition_has_a_minimum_protected_order(self) -> None:
        small = funded(PaymentMethod.TT, total=usd("999.99"))
        assert covered_amount(small, LAUNCH_2014_ESCROW).is_zero
        assert covered_amount(funded(PaymentMethod.TT, total=usd(1000)), LAUNCH_2014_ESCROW) == (
            usd(1000)
        )
        assert covered_amount(small) == usd("999.99")

    def test_payments_outside_the_checkout_leave_nothing_to_rule_on(self) -> None:
        order = confirmed()
        order = apply(order, PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.VISA))
        direct = PaymentReceived(
            at=at(2), amount=usd(7000), method=PaymentMethod.TT, via_checkout=False
        )
        order = apply(order, direct)
        assert covered_amount(order) == usd(3000)


# -- time ---------------------------------------------------------------------------------


class TestTimers:
    def test_an_unconfirmed_contract_is_cancelled_after_thirty_days(self) -> None:
        order = place(placed())
        assert due_events(order, at(30) - timedelta(seconds=1)) == ()
        (timer,) = due_events(order, at(30))
        assert timer.timer == "TMR-CONFIRM"
        assert timer.at == at(30)
        assert advance(order, at(45)).status is S.CANCELLED

    def test_timers_are_stamped_when_they_fell_due_not_when_asked(self) -> None:
        (timer,) = due_events(place(placed()), at(100))
        assert timer.at == at(30)

    def test_a_timer_event_is_an_ordinary_recorded_event(self) -> None:
        order = place(placed())
        (timer,) = due_events(order, at(31))
        assert replay([placed(), timer]) == advance(order, at(31))
        assert apply(apply(order, timer), timer) == apply(order, timer)

    def test_an_event_after_a_due_timer_is_refused_until_the_timer_is_recorded(self) -> None:
        late_confirmation = ContractConfirmed(at=at(31), by=Party.BUYER)
        refused(place(placed()), late_confirmation, "TMR-CONFIRM")
        on_time = ContractConfirmed(at=at(30) - timedelta(seconds=1), by=Party.BUYER)
        assert apply(place(placed()), on_time).status is S.AWAITING_PAYMENT

    def test_a_timer_cannot_fire_early_or_in_the_wrong_state(self) -> None:
        refused(place(placed()), TimerExpired(at=at(29), timer="TMR-CONFIRM"), "TMR-CONFIRM")
        refused(place(placed()), TimerExpired(at=at(90), timer="TMR-PAY"), "TMR-PAY")

    def test_an_order_never_paid_in_full_is_cancelled_and_the_hold_returned(self) -> None:
        order = apply(
            confirmed(), PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.TT)
        )
        # A T/T refund goes to the buyer's bank account (ESC-REFUND-WINDOW).
        order = apply(order, BankAccountProvided(at=at(2), account="DE89370400440532013000"))
        confirmed_at = at(0, 1)
        assert due_events(order, confirmed_at + timedelta(days=60, seconds=-1)) == ()
        done = advance(order, confirmed_at + timedelta(days=60))
        assert done.status is S.CANCELLED
        assert done.refunded == usd(3000)
        assert conserved(done)

    def test_a_shipped_order_nobody_confirms_completes_after_sixty_days(self) -> None:
        order = shipped()
        assert advance(order, at(30 + 60) - timedelta(seconds=1)).status is S.SHIPPED
        done = advance(order, at(30 + 60))
        assert done.status is S.COMPLETED
        assert done.released == usd(10_000)

    def test_each_party_extends_the_receipt_deadline_once(self) -> None:
        order = apply(shipped(), ReceiptDeadlineExtended(at=at(35), by=Party.BUYER))
        assert deadlines(order).receipt_by == at(30 + 60 + 15)
        refused(order, ReceiptDeadlineExtended(at=at(36), by=Party.BUYER), "TMR-RECEIPT-EXTEND")
        order = apply(order, ReceiptDeadlineExtended(at=at(36), by=Party.SUPPLIER))
        assert deadlines(order).receipt_by == at(30 + 60 + 30)
        assert advance(order, at(119)).status is S.SHIPPED

    def test_a_dispute_escalates_automatically(self) -> None:
        order = disagreement()
        (timer,) = due_events(order, at(100))
        assert timer.timer == "TMR-SUPPLIER-RESPONSE"
        assert timer.at == at(35 + 15)
        escalated = apply(order, timer)
        assert escalated.dispute is not None
        assert escalated.dispute.escalated_at == at(50)
        assert due_events(escalated, at(200)) == ()

    def test_the_help_pages_escalate_on_day_eight(self) -> None:
        order = apply(funded(), late_dispute(at(60)), HELP_PAGES_ESCROW)
        (timer,) = due_events(order, at(100), HELP_PAGES_ESCROW)
        assert timer.at == at(60 + 7)

    def test_now_must_be_timezone_aware(self) -> None:
        with pytest.raises(InvalidInput, match="aware"):
            due_events(place(placed()), datetime(2025, 10, 1))


class TestClaimAfterReceipt:
    def test_the_help_pages_allow_a_goods_claim_within_thirty_days_of_receipt(self) -> None:
        order = completed()
        refused(order, quality_dispute(at(40 + 31)), "ESC-DISPUTE-COMPLETED", HELP_PAGES_ESCROW)
        disputed = apply(order, quality_dispute(at(40 + 30)), HELP_PAGES_ESCROW)
        assert disputed.dispute is not None
        assert disputed.dispute.after_receipt
        disputed = apply(disputed, InspectionReported(at=at(71), passed=False), HELP_PAGES_ESCROW)
        settled = apply(disputed, DisputeSettled(at=at(72), refund=usd(1500)), HELP_PAGES_ESCROW)
        assert settled.released == usd(8500)
        assert settled.held == usd(1500)
        assert conserved(settled)

    def test_a_late_shipment_is_no_claim_after_receipt(self) -> None:
        refused(completed(), late_dispute(at(41)), "ESC-DISPUTE-COMPLETED", HELP_PAGES_ESCROW)


# -- delivery semantics -------------------------------------------------------------------


class TestDelivery:
    def test_a_redelivered_event_changes_nothing(self) -> None:
        order = confirmed()
        pay = PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.VISA, event_id="p1")
        once = apply(order, pay)
        assert apply(once, pay) is once

    def test_a_reused_event_id_with_other_content_is_refused_naming_the_field(self) -> None:
        once = apply(
            confirmed(),
            PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.VISA, event_id="p1"),
        )
        other = PaymentReceived(at=at(1), amount=usd(200), method=PaymentMethod.VISA, event_id="p1")
        with pytest.raises(EventIdConflict, match="amount"):
            apply(once, other)

    def test_two_events_applied_to_one_order_give_two_independent_orders(self) -> None:
        order = confirmed()
        small = apply(
            order,
            PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.VISA, event_id="p1"),
        )
        full = apply(
            order,
            PaymentReceived(at=at(2), amount=usd(10_000), method=PaymentMethod.TT, event_id="p1"),
        )
        assert len(order.events) == 2
        assert "p1" not in order.seen
        assert (small.paid, full.paid) == (usd(100), usd(10_000))
        assert small.seen["p1"] != full.seen["p1"]
        assert small.events[:2] == full.events[:2] == order.events

    def test_a_refused_or_malformed_event_leaves_the_order_as_it_was(self) -> None:
        order = confirmed()
        before = (order.events, dict(order.seen), order.paid, order.updated_at)
        refused(
            order,
            PaymentReceived(at=at(1), amount=usd(10_001), method=PaymentMethod.VISA),
            "ESC-DEPOSIT",
        )
        with pytest.raises(CurrencyMismatch):
            apply(order, PaymentReceived(at=at(1), amount=Money(5, "EUR"), method=PaymentMethod.TT))
        assert (order.events, dict(order.seen), order.paid, order.updated_at) == before
        assert replay(order.events) == order

    def test_amounts_are_exact_whatever_the_callers_decimal_context(self) -> None:
        big = Money("123456789012.34", "USD")
        history = [
            placed(total=big, event_id="o"),
            ContractConfirmed(at=at(1), by=Party.BUYER),
            PaymentReceived(at=at(2), amount=Money("0.01", "USD"), method=PaymentMethod.TT),
            PaymentReceived(
                at=at(3), amount=Money("123456789012.33", "USD"), method=PaymentMethod.TT
            ),
        ]
        with decimal.localcontext(decimal.Context(prec=4)):
            order = replay(history)
            assert apply(order, Shipped(at=at(4), value=big, final=True)).shipped == big
        assert order.paid == order.held == big
        assert str(order.held.amount) == "123456789012.34"

    def test_events_going_back_in_time_are_malformed(self) -> None:
        with pytest.raises(InvalidInput, match="time order"):
            apply(funded(), Shipped(at=at(0), value=usd(1), final=False))

    def test_naive_instants_are_refused(self) -> None:
        with pytest.raises(InvalidInput, match="naive"):
            ReceiptConfirmed(at=datetime(2025, 1, 1))

    @pytest.mark.parametrize("status", [S.CANCELLED, S.REFUNDED])
    def test_a_closed_order_accepts_no_event(self, status: OrderStatus) -> None:
        order = (
            apply(confirmed(), CancellationRequested(at=at(1), by=Party.BUYER))
            if status is S.CANCELLED
            else apply(
                apply(disagreement(), DisputeSettled(at=at(41), refund=usd(5))),
                RefundIssued(at=at(42), amount=usd(5)),
            )
        )
        assert order.status is status
        assert allowed_events(order) == frozenset()
        refused(order, ReceiptConfirmed(at=at(50)), "ESC-STATES")


class TestTable:
    def test_allowed_events_are_read_off_the_transition_table(self) -> None:
        # A party's moves only: the confirmation timer is due_events' business.
        assert allowed_events(place(placed())) == {
            ContractConfirmed,
            CancellationRequested,
            ShippingDateExtended,
        }
        assert (place(placed()).status, TimerExpired) in TRANSITIONS
        assert allowed_events(completed()) == {FeedbackLeft}
        assert allowed_events(completed(), HELP_PAGES_ESCROW) == {FeedbackLeft, DisputeOpened}

    def test_every_target_status_is_a_status(self) -> None:
        for (status, kind), transition in TRANSITIONS.items():
            assert isinstance(status, OrderStatus)
            assert issubclass(kind, Event)
            assert all(isinstance(t, OrderStatus) for t in transition.targets)

    def test_the_refusal_message_lists_what_is_allowed_instead(self) -> None:
        message = refused(funded(), ReceiptConfirmed(at=at(5)), "ESC-RELEASE")
        assert "allowed now:" in message
        assert "Shipped" in message


class TestDeadlines:
    def test_deadlines_follow_the_order(self) -> None:
        assert deadlines(place(placed())).confirm_by == at(30)
        assert deadlines(place(placed())).ship_by == SHIP_BY
        assert deadlines(confirmed()).pay_by == at(0, 1) + timedelta(days=60)
        assert deadlines(shipped()).ship_by is None
        assert deadlines(shipped()).receipt_by == at(90)

    def test_a_disputes_deadlines(self) -> None:
        d = deadlines(disagreement())
        assert d.supplier_deadline == at(50)
        assert d.platform_may_rule_after == at(50)
        assert d.escalates_at == at(50)

    def test_a_refunds_start_and_arrival_are_counted_in_business_days(self) -> None:
        settled = apply(disagreement(), DisputeSettled(at=at(41), refund=usd(100)))
        # at(41) is Saturday 2025-10-11, a make-up working day in China.
        assert deadlines(settled).refund_starts_by is not None
        done = apply(settled, RefundIssued(at=at(42), amount=usd(100)))
        earliest, latest = deadlines(done).refund_arrival or (None, None)
        assert earliest is not None
        assert latest is not None
        assert earliest < latest

    def test_refund_arrival_uses_the_buyers_bank_calendar(self) -> None:
        buyer = {"buyer_country": "US", "buyer_zone": "America/New_York"}
        order = apply(disagreement(**buyer), DisputeSettled(at=at(41), refund=usd(100)))
        done = apply(order, RefundIssued(at=at(42), amount=usd(100)))
        # Issued Sunday 2025-10-12; 13 Oct is Columbus Day, so 7 US business days end 22 Oct.
        assert deadlines(done).refund_arrival == (date(2025, 10, 22), date(2025, 10, 27))


def test_money_is_conserved_along_a_whole_history() -> None:
    order = disagreement()
    order = apply(order, PlatformRuled(at=at(60), refund=usd("3333.33")))
    order = apply(order, RefundIssued(at=at(61), amount=usd("3333.33")))
    assert conserved(order)
    assert order.refunded == usd("3333.33")
    assert order.released == usd("6666.67")
    assert order.paid.amount == Decimal("10000")


class TestNotebookViews:
    def test_an_order_renders_and_tabulates_through_the_views_module(self) -> None:
        from tradeassure import views

        order = disagreement()
        assert order._repr_html_() == views.order_html(order)
        assert order.timeline_rows() == views.timeline_rows(order)
        assert order.money_rows() == views.money_rows(order)
        assert order.deadline_rows() == views.deadline_rows(order)
        assert len(order.timeline_rows()) == len(order.history)


def test_every_transition_names_registered_rules_its_handler_documents() -> None:
    import re

    from tradeassure.rules import RULES

    for transition in TRANSITIONS.values():
        assert transition.rules
        assert set(transition.rules) <= set(RULES)
        documented = set(
            re.findall(r"\b[A-Z]{2,4}(?:-[A-Z0-9]+)+\b", transition.handler.__doc__ or "")
        )
        assert documented <= set(transition.rules), transition.handler.__name__


def test_arguments_of_the_wrong_kind_are_malformed_input() -> None:
    order = place(placed())
    with pytest.raises(InvalidInput, match="escrow event"):
        apply(order, {"type": "ContractConfirmed"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="Order"):
        check("PO-7", ReceiptConfirmed(at=at(1)))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="EscrowPolicy"):
        replay([placed()], policy="default")  # type: ignore[arg-type]
