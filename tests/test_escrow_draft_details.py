"""Escrow draft details a mutation run found untested: the fold's working copy that
``thaw`` and ``freeze`` are written out to at import, read again from a fresh
generation (what a field added to ``Order`` relies on), and the small shared jobs
whose figures the broad tests leave open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from escrow_builders import at, machine_zone, names, paid, placed, shipped, usd
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    Dispute,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    InspectionReported,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    RefundIssued,
    Shipped,
    ShippingDateExtended,
    _draft,
    advance,
    apply,
    check,
    covered_amount,
    deadlines,
    due_events,
    place,
    replay,
    steps,
)
from tradeassure.escrow.order import MONEY_FIELDS
from tradeassure.money import Money
from tradeassure.shipping import ShippingPolicy


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
        assert (d.escrow_paid_by, d.bank_account) == (order.escrow_paid_by, order.bank_account)
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


class TestTheGeneratedCode:
    def test_is_named_for_tracebacks(self) -> None:
        thaw, freeze = _draft._generate()
        assert thaw.__code__.co_filename == "<tradeassure.escrow._draft generated>"
        assert freeze.__code__.co_filename == "<tradeassure.escrow._draft generated>"


class TestMessagesPrintInstantsInUtc:
    def test_whatever_the_machines_zone(self) -> None:
        with machine_zone("Asia/Shanghai"):
            assert _draft.when(at(1)) == "2025-09-02T09:00:00+00:00"


class TestMoneyInAnotherCurrency:
    def test_names_what_it_is_and_both_currencies(self) -> None:
        confirmed = apply(place(placed()), ContractConfirmed(at=at(0, 2), by=Party.BUYER))
        pay = PaymentReceived(at=at(1), amount=Money(10_000, "EUR"), method=PaymentMethod.VISA)
        with pytest.raises(CurrencyMismatch) as refused:
            apply(confirmed, pay)
        assert names(str(refused.value), "payment", "EUR", "PO-7", "USD")


def partly_shipped() -> Order:
    """:func:`paid`, USD 4,000 of it shipped on day 10: the ship-by is 20 October, and
    the shipment is overdue from the start of 20 November in Shanghai."""
    return apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))


OVERDUE = datetime(2025, 11, 19, 16, tzinfo=UTC)


def overdue_refund(refund: Money, prior: OrderStatus = OrderStatus.PARTIALLY_SHIPPED) -> Dispute:
    """The dispute TMR-SHIP-OVERDUE decides: the platform's refund of the unshipped part."""
    return Dispute(
        reason=DisputeReason.NOT_SHIPPED_ON_TIME,
        claim=refund,
        evidence=(),
        opened_at=OVERDUE,
        after_receipt=False,
        prior_status=prior,
        refund=refund,
        resolved_at=OVERDUE,
        resolved_by=Party.PLATFORM,
    )


class TestAnOverdueShipmentRefundsItsUnshippedPart:
    def test_the_platform_decides_the_unshipped_value_and_the_rest_goes_on(self) -> None:
        order = advance(partly_shipped(), at(100))
        assert order.status is OrderStatus.SHIPPED
        assert order.dispute == overdue_refund(usd(6_000))
        assert order.milestones.final_shipped_at == OVERDUE
        assert (order.held, order.released, order.refunded) == (usd(10_000), usd(0), usd(0))

    def test_with_the_one_moment_before_it_nothing_is_due(self) -> None:
        assert due_events(partly_shipped(), OVERDUE - timedelta(microseconds=1)) == ()
        assert len(due_events(partly_shipped(), OVERDUE)) == 1

    def test_a_refund_decided_before_is_paid_with_it_out_of_what_is_held(self) -> None:
        # A late-shipment claim settled for USD 7,000, not yet paid out: of the USD 10,000
        # held, USD 3,000 is left for the USD 6,000 unshipped, and all of it is refunded.
        order = apply(
            partly_shipped(),
            DisputeOpened(at=at(51), reason=DisputeReason.NOT_SHIPPED_ON_TIME, claim=usd(7_000)),
        )
        order = apply(order, DisputeSettled(at=at(52), refund=usd(7_000)))
        order = advance(order, at(100))
        assert order.dispute == overdue_refund(usd(10_000))
        assert order.held == usd(10_000)

    def test_a_part_of_a_dollar_unshipped_is_refunded_too(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd("9999.50"), final=False))
        order = advance(order, at(100))
        assert order.dispute == overdue_refund(usd("0.50"))


class TestACancellationReturnsTheWholeHold:
    @staticmethod
    def settled_before_shipment() -> Order:
        """:func:`paid`, the goods rejected by an inspection on day 4, a USD 3,000
        quality claim of day 6 settled on day 8: back to funds held, the refund decided
        and not yet paid out."""
        order = apply(paid(), InspectionReported(at=at(4), passed=False))
        claim = DisputeOpened(at=at(6), reason=DisputeReason.QUALITY_MISMATCH, claim=usd(3_000))
        return apply(apply(order, claim), DisputeSettled(at=at(8), refund=usd(3_000)))

    @staticmethod
    def cancelled(order: Order) -> Order:
        order = apply(order, CancellationRequested(at=at(9), by=Party.BUYER))
        return apply(order, CancellationAgreed(at=at(10), by=Party.SUPPLIER))

    def test_the_decided_refund_is_paid_out_with_it(self) -> None:
        order = self.settled_before_shipment()
        assert order.dispute is not None
        before = order.dispute
        order = self.cancelled(order)
        assert (order.status, order.cancellation) == (OrderStatus.CANCELLED, None)
        assert (order.held, order.refunded) == (usd(0), usd(10_000))
        assert order.dispute == attrs.evolve(before, refund_issued=usd(3_000))
        assert order.milestones.refund_issued_at == order.milestones.cancelled_at == at(10)

    def test_a_refund_paid_out_before_counts_with_the_rest(self) -> None:
        order = apply(self.settled_before_shipment(), RefundIssued(at=at(8, 1), amount=usd(3_000)))
        order = self.cancelled(order)
        assert (order.held, order.refunded) == (usd(0), usd(10_000))

    def test_without_a_dispute_there_is_none_after(self) -> None:
        order = self.cancelled(paid())
        assert (order.refunded, order.dispute, order.cancellation) == (usd(10_000), None, None)


FROM_PLACEMENT = attrs.evolve(
    DEFAULT_ESCROW, edition="from-placement", shipping=ShippingPolicy(lead_time_start="placement")
)


class TestTheLeadTimesStart:
    def test_from_the_placement_a_lead_time_contract_may_extend_before_confirmation(
        self,
    ) -> None:
        order = place(placed(ship_by=None, lead_days=5), FROM_PLACEMENT)
        later = ShippingDateExtended(
            at=at(1), new_ship_by=date(2025, 9, 20), buyer_agrees=True, supplier_agrees=True
        )
        assert apply(order, later, FROM_PLACEMENT).ship_by == date(2025, 9, 20)
        assert [v.rule for v in check(order, later)] == ["SHIP-EXTEND"]

    def test_a_lead_time_is_judged_in_the_policys_window(self) -> None:
        long_leads = attrs.evolve(
            DEFAULT_ESCROW, edition="long-leads", shipping=ShippingPolicy(min_lead_days=10)
        )
        order = place(placed(ship_by=None, lead_days=5), long_leads)
        (violation,) = check(order, ContractConfirmed(at=at(1), by=Party.BUYER), long_leads)
        assert violation.rule == "SHIP-WINDOW"
        assert names(violation.message, "5", "10", "60")


class TestTheFirstEvent:
    def test_what_is_no_event_is_refused_by_name(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            place("PO-7")  # type: ignore[arg-type]
        assert str(refused.value).startswith("event ")
        assert names(str(refused.value), "Event", "'PO-7'")

    def test_an_event_that_is_no_contract_is_refused_by_its_type(self) -> None:
        with pytest.raises(RuleViolation) as refused:
            place(ReceiptConfirmed(at=at(0)))  # type: ignore[arg-type]
        assert refused.value.rule == "ESC-ORDER-ORIGIN"
        assert names(refused.value.message, "OrderPlaced", "ReceiptConfirmed")

    def test_a_ship_by_before_the_suppliers_day_though_on_the_utc_day(self) -> None:
        # 20:00 UTC on 1 September is 04:00 on 2 September in Shanghai.
        evening = datetime(2025, 9, 1, 20, tzinfo=UTC)
        with pytest.raises(RuleViolation) as refused:
            place(placed(at=evening, ship_by=date(2025, 9, 1)))
        assert refused.value.rule == "SHIP-DATE"
        assert names(refused.value.message, "2025-09-02", "2025-09-01", "PO-7")
        assert place(placed(at=evening, ship_by=date(2025, 9, 2))).ship_by == date(2025, 9, 2)

    def test_a_lead_time_gives_a_provisional_ship_by_from_the_drafting(self) -> None:
        # Five working days in China after Monday 1 September.
        assert place(placed(ship_by=None, lead_days=5)).ship_by == date(2025, 9, 8)

    def test_the_contract_names_its_parties(self) -> None:
        contract = place(placed()).contract
        assert (contract.buyer, contract.supplier) == ("Acme Ltd", "Shenzhen Parts Co")

    def test_the_contract_redelivered_without_an_id_changes_nothing(self) -> None:
        contract = placed()
        order = place(contract)
        assert apply(order, contract) is order
        assert dict(order.seen) == {contract: contract}


class TestAHistoryIsACollection:
    @pytest.mark.parametrize(("events", "kind"), [(None, "NoneType"), ("PO-7", "str")])
    def test_what_is_none_is_refused_by_its_type(self, events: object, kind: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            replay(events)  # type: ignore[arg-type]
        message = str(refused.value)
        assert message.startswith("events ")
        assert names(message, "history", "JSON", kind)


class TestAClaimInAnotherCurrency:
    def test_names_the_claim_and_both_currencies(self) -> None:
        claim = DisputeOpened(at=at(12), reason=DisputeReason.DAMAGED, claim=Money(1, "EUR"))
        with pytest.raises(CurrencyMismatch) as refused:
            apply(shipped(), claim)
        assert names(str(refused.value), "claim", "EUR", "PO-7", "USD")


def paid_in_three_received() -> Order:
    """USD 2,000 paid straight to the supplier and USD 3,000 and 5,000 through the
    checkout, shipped on day 10 and received on day 20, under the help pages (a claim
    may follow receipt)."""
    return replay(
        [
            placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(
                at=at(1), amount=usd(2_000), method=PaymentMethod.VISA, via_checkout=False
            ),
            PaymentReceived(at=at(1, 1), amount=usd(3_000), method=PaymentMethod.VISA),
            PaymentReceived(at=at(1, 2), amount=usd(5_000), method=PaymentMethod.VISA),
            Shipped(at=at(10), value=usd(10_000), final=True),
            ReceiptConfirmed(at=at(20)),
        ],
        HELP_PAGES_ESCROW,
    )


def late_claim(amount: int) -> DisputeOpened:
    return DisputeOpened(
        at=at(25), reason=DisputeReason.DAMAGED, claim=usd(amount), evidence=("photo.jpg",)
    )


class TestWhatAClaimCanComeFrom:
    def test_after_receipt_the_escrow_money_released(self) -> None:
        p = HELP_PAGES_ESCROW
        order = paid_in_three_received()
        assert check(order, late_claim(8_000), p) == ()
        (violation,) = check(order, late_claim(8_001), p)
        assert violation.rule == "ESC-CONSERVATION"
        assert names(violation.message, "8,001.00", "8,000.00")

    def test_after_a_ruling_after_receipt_the_refund_held_counts_too(self) -> None:
        p = HELP_PAGES_ESCROW
        order = apply(paid_in_three_received(), late_claim(8_000), p)
        assert covered_amount(order, p) == usd(8_000)
        order = apply(order, PlatformRuled(at=at(29), refund=usd(3_000)), p)
        assert (order.held, order.released) == (usd(3_000), usd(7_000))
        assert covered_amount(order, p) == usd(8_000)

    def test_before_shipment_the_hold_less_the_refund_owed(self) -> None:
        order = TestACancellationReturnsTheWholeHold.settled_before_shipment()
        assert order.held == usd(10_000)
        assert covered_amount(order) == usd(7_000)

    def test_a_goods_claim_in_part_shipped_what_is_held_for_the_shipped_goods(self) -> None:
        claim = DisputeOpened(
            at=at(12), reason=DisputeReason.DAMAGED, claim=usd(4_000), evidence=("photo.jpg",)
        )
        order = apply(partly_shipped(), claim)
        assert order.status is OrderStatus.DISPUTED
        assert covered_amount(order) == usd(4_000)


class TestWhatProtectionCovers:
    def test_every_payment_by_a_covered_method(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(4_000), method=PaymentMethod.VISA),
                PaymentReceived(at=at(1, 1), amount=usd(6_000), method=PaymentMethod.VISA),
            ]
        )
        assert covered_amount(order) == usd(10_000)

    def test_a_part_of_a_dollar(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd("0.50"), method=PaymentMethod.VISA),
            ]
        )
        assert covered_amount(order) == usd("0.50")

    def test_nothing_below_the_minimum_order(self) -> None:
        p = LAUNCH_2014_ESCROW
        order = replay(
            [
                placed(total=usd(500)),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(500), method=PaymentMethod.TT),
                Shipped(at=at(10), value=usd(500), final=True),
                DisputeOpened(
                    at=at(12), reason=DisputeReason.DAMAGED, claim=usd(100), evidence=("p.jpg",)
                ),
            ],
            p,
        )
        assert covered_amount(order, p) == usd(0)
        (violation,) = check(order, PlatformRuled(at=at(40), refund=usd(100)), p)
        assert violation.rule == "TA-MIN-ORDER"

    def test_a_limit_equal_to_the_covered_payments_leaves_the_methods_binding(self) -> None:
        # Only T/T is covered at launch: USD 6,000 of it, and a limit of USD 6,000.
        p = LAUNCH_2014_ESCROW
        order = replay(
            [
                placed(protection_limit=usd(6_000)),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(6_000), method=PaymentMethod.TT),
                PaymentReceived(at=at(1, 1), amount=usd(4_000), method=PaymentMethod.VISA),
                Shipped(at=at(10), value=usd(10_000), final=True),
                DisputeOpened(
                    at=at(12), reason=DisputeReason.DAMAGED, claim=usd(7_000), evidence=("p.jpg",)
                ),
            ],
            p,
        )
        assert covered_amount(order, p) == usd(6_000)
        (violation,) = check(order, PlatformRuled(at=at(40), refund=usd(7_000)), p)
        assert violation.rule == "TA-METHODS"
        assert names(violation.message, "6,000.00")
        assert check(order, PlatformRuled(at=at(40), refund=usd(6_000)), p) == ()


class TestOneReplayKeepsThePaymentClock:
    # The payment clock runs from the confirmation (TMR-PAY: 60 days, to 31 October,
    # 11:00 UTC), also within one replay, whose working copy starts at the placement.
    def test_a_payment_after_it_fell_due_is_refused(self) -> None:
        events = [
            placed(),
            ContractConfirmed(at=at(0, 2), by=Party.BUYER),
            PaymentReceived(at=at(62), amount=usd(10_000), method=PaymentMethod.VISA),
        ]
        with pytest.raises(RuleViolation) as refused:
            replay(events)
        assert refused.value.rule == "TMR-PAY"
        assert names(refused.value.message, "PO-7", "2025-10-31T11:00:00+00:00")

    def test_a_deposit_paid_in_part_leaves_it_running(self) -> None:
        events = [
            placed(deposit=usd(3_000)),
            ContractConfirmed(at=at(0, 2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(1_000), method=PaymentMethod.VISA),
            PaymentReceived(at=at(62), amount=usd(9_000), method=PaymentMethod.VISA),
        ]
        with pytest.raises(RuleViolation) as refused:
            replay(events)
        assert refused.value.rule == "TMR-PAY"


class TestThePolicyArgument:
    def test_of_a_replay_and_of_its_steps_is_refused_by_name(self) -> None:
        folds = (
            lambda: replay([placed()], "default"),  # type: ignore[arg-type]
            lambda: list(steps([placed()], "default")),  # type: ignore[arg-type]
        )
        for fold in folds:
            with pytest.raises(InvalidInput) as refused:
                fold()
            assert str(refused.value).startswith("policy ")
            assert names(str(refused.value), "EscrowPolicy", "'default'")

    def test_whose_money_is_in_another_currency_names_the_order(self) -> None:
        eur = attrs.evolve(DEFAULT_ESCROW, edition="eur", min_protected_order=Money(5, "EUR"))
        with pytest.raises(PolicyError) as refused:
            deadlines(paid(), eur)
        assert refused.value.rule == "TA-MIN-ORDER"
        assert names(str(refused.value), "PO-7", "EUR", "USD", "min_protected_order")


class TestAClaimAfterAnOverdueShipment:
    def test_the_goods_shipped_are_claimed_out_of_what_is_still_held(self) -> None:
        # Overdue: USD 6,000 unshipped refunded and paid out; USD 4,000 held for the
        # goods that shipped, all of which a claim about them may ask for.
        order = advance(partly_shipped(), at(100))
        order = apply(order, RefundIssued(at=at(100, 1), amount=usd(6_000)))
        assert (order.status, order.held, order.shipped) == (
            OrderStatus.SHIPPED,
            usd(4_000),
            usd(4_000),
        )
        assert check(order, late_claim_on(4_000)) == ()
        (violation,) = check(order, late_claim_on(4_001))
        assert violation.rule == "ESC-CONSERVATION"


def late_claim_on(amount: int) -> DisputeOpened:
    return DisputeOpened(
        at=at(101), reason=DisputeReason.DAMAGED, claim=usd(amount), evidence=("photo.jpg",)
    )
