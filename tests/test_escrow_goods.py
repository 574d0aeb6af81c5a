"""Money follows the goods (ESC-RELEASE, ESC-PARTIAL-RELEASE, SHIP-PARTIAL,
SHIP-LATE-REFUND): the supplier is paid from escrow only for goods shipped and accepted,
and an outcome before full shipment decides the disputed part only.

Each test reproduces a flow a careful user tried (a USD 10,000 order, confirmed and paid
in full by T/T; ship-by 20 Oct 2025), on both sides of its boundary.
"""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal

import attrs
import pytest

from escrow_builders import at, placed, usd
from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    LAUNCH_2014_ESCROW,
    BankAccountProvided,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    EscrowPolicy,
    Event,
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
    advance,
    allowed_events,
    apply,
    check,
    covered_amount,
    place,
    replay,
)
from tradeassure.escrow._draft import POLICY_MONEY
from tradeassure.money import Money
from tradeassure.rules import RULES

S = OrderStatus
ACCOUNT = "DE89370400440532013000"


def paid(method: PaymentMethod = PaymentMethod.TT, *, via_checkout: bool = True) -> Order:
    return replay(
        [
            placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(10_000), method=method, via_checkout=via_checkout),
        ]
    )


def refused(order: Order, event: object, rule: str) -> RuleViolation:
    violations = check(order, event)  # type: ignore[arg-type]
    assert [v.rule for v in violations] == [rule], violations
    return violations[0]


def damaged(claim: int | str, day: float = 20) -> DisputeOpened:
    return DisputeOpened(
        at=at(day), reason=DisputeReason.DAMAGED, claim=usd(claim), evidence=("photo.jpg",)
    )


def late(claim: int, day: float = 55) -> DisputeOpened:
    return DisputeOpened(at=at(day), reason=DisputeReason.NOT_SHIPPED_ON_TIME, claim=usd(claim))


def lot_shipped() -> Order:
    """4,000 of the 10,000 shipped, the rest still due."""
    return apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))


def lot_settled(refund: int) -> Order:
    """A damage claim of 1,000 on the first lot, settled at ``refund``."""
    return apply(
        apply(lot_shipped(), damaged(1_000)), DisputeSettled(at=at(21), refund=usd(refund))
    )


class TestAnOutcomeBeforeFullShipmentDecidesTheDisputedPartOnly:
    def test_a_settled_damage_claim_on_a_first_lot_releases_nothing_and_the_order_goes_on(
        self,
    ) -> None:
        order = apply(lot_shipped(), damaged(1_000))
        order = apply(order, DisputeSettled(at=at(21), refund=usd(1_000)))
        assert order.status is S.PARTIALLY_SHIPPED
        assert (order.held, order.released, order.refunded) == (usd(10_000), usd(0), usd(0))
        assert order.dispute is not None
        assert order.dispute.refund_outstanding == usd(1_000)
        assert Shipped in allowed_events(order)
        order = apply(order, RefundIssued(at=at(22), amount=usd(1_000), bank_account=ACCOUNT))
        assert (order.status, order.held, order.refunded) == (
            S.PARTIALLY_SHIPPED,
            usd(9_000),
            usd(1_000),
        )
        order = apply(order, Shipped(at=at(30), value=usd(6_000), final=True))
        order = apply(order, ReceiptConfirmed(at=at(40)))
        assert (order.status, order.released, order.refunded) == (
            S.COMPLETED,
            usd(9_000),
            usd(1_000),
        )

    def test_a_claim_about_a_lot_asks_at_most_what_is_held_for_the_goods_that_shipped(
        self,
    ) -> None:
        assert not check(lot_shipped(), damaged(4_000))
        violation = refused(lot_shipped(), damaged("4000.01"), "ESC-CONSERVATION")
        assert "USD 4,000.00" in violation.message

    def test_late_shipment_compensation_with_nothing_shipped_releases_nothing(self) -> None:
        order = apply(paid(), late(1_000))
        order = apply(order, DisputeSettled(at=at(56), refund=usd(1_000)))
        assert (order.status, order.held, order.released) == (S.FUNDS_HELD, usd(10_000), usd(0))
        assert Shipped in allowed_events(order)

    def test_a_late_shipment_claim_settled_with_no_refund_leaves_the_order_unshipped_not_completed(
        self,
    ) -> None:
        order = apply(apply(paid(), late(10_000)), DisputeSettled(at=at(56), refund=usd(0)))
        assert (order.status, order.released, order.held) == (S.FUNDS_HELD, usd(0), usd(10_000))

    def test_a_refund_of_the_whole_remaining_hold_ends_the_order(self) -> None:
        order = apply(apply(paid(), late(10_000)), PlatformRuled(at=at(71), refund=usd(10_000)))
        assert order.status is S.DISPUTED
        assert Shipped not in allowed_events(order)
        order = apply(order, RefundIssued(at=at(72), amount=usd(10_000), bank_account=ACCOUNT))
        assert (order.status, order.refunded, order.released) == (
            S.REFUNDED,
            usd(10_000),
            usd(0),
        )

    def test_a_refund_one_unit_short_of_the_hold_leaves_the_order_going_on(self) -> None:
        order = apply(apply(paid(), late(10_000)), PlatformRuled(at=at(71), refund=usd("9999.99")))
        assert order.status is S.FUNDS_HELD

    def test_a_new_dispute_waits_for_the_decided_refund_to_be_paid_out(self) -> None:
        order = apply(
            apply(lot_shipped(), damaged(1_000)), DisputeSettled(at=at(21), refund=usd(1))
        )
        refused(order, damaged(500, day=23), "ESC-DISPUTE-OPEN")
        order = apply(order, RefundIssued(at=at(22), amount=usd(1), bank_account=ACCOUNT))
        assert not check(order, damaged(500, day=23))

    def test_a_refund_paid_out_is_never_more_than_what_was_decided(self) -> None:
        order = apply(
            apply(lot_shipped(), damaged(1_000)), DisputeSettled(at=at(21), refund=usd(1_000))
        )
        refused(
            order,
            RefundIssued(at=at(22), amount=usd("1000.01"), bank_account=ACCOUNT),
            "ESC-CONSERVATION",
        )

    def test_an_order_completed_with_a_refund_still_to_pay_keeps_it_held(self) -> None:
        order = apply(
            apply(lot_shipped(), damaged(1_000)), DisputeSettled(at=at(21), refund=usd(1_000))
        )
        order = apply(order, Shipped(at=at(30), value=usd(6_000), final=True))
        order = apply(order, ReceiptConfirmed(at=at(40)))
        assert (order.status, order.held, order.released) == (
            S.COMPLETED,
            usd(1_000),
            usd(9_000),
        )
        order = apply(order, RefundIssued(at=at(41), amount=usd(1_000), bank_account=ACCOUNT))
        assert (order.status, order.held, order.refunded) == (S.COMPLETED, usd(0), usd(1_000))

    def test_an_outcome_on_a_fully_shipped_order_is_the_goods_acceptance(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(10_000), final=True))
        order = apply(apply(order, damaged(1_000)), DisputeSettled(at=at(21), refund=usd(1_000)))
        assert (order.status, order.held, order.released) == (S.DISPUTED, usd(1_000), usd(9_000))


class TestALateShipmentDisputeMayEndWithANewDate:
    def test_agreeing_a_new_ship_by_during_the_dispute_ends_it_and_the_order_goes_on(self) -> None:
        order = apply(paid(), late(10_000))
        new_date = ShippingDateExtended(
            at=at(56), new_ship_by=date(2025, 11, 10), buyer_agrees=True, supplier_agrees=True
        )
        order = apply(order, new_date)
        assert (order.status, order.ship_by) == (S.FUNDS_HELD, date(2025, 11, 10))
        assert order.dispute is not None
        assert order.dispute.refund == usd(0)
        assert (order.held, order.released) == (usd(10_000), usd(0))

    def test_a_new_date_does_not_end_a_dispute_about_the_goods(self) -> None:
        order = apply(lot_shipped(), damaged(1_000))
        new_date = ShippingDateExtended(
            at=at(21), new_ship_by=date(2025, 11, 10), buyer_agrees=True, supplier_agrees=True
        )
        refused(order, new_date, "SHIP-EXTEND")


class TestAFinalShipmentCompletesTheOrder:
    def test_a_short_final_shipment_is_refused(self) -> None:
        violation = refused(
            paid(), Shipped(at=at(10), value=usd(4_000), final=True), "SHIP-PARTIAL"
        )
        assert "USD 4,000.00 shipped of USD 10,000.00" in violation.message

    def test_a_final_shipment_of_the_whole_total_is_taken(self) -> None:
        order = apply(lot_shipped(), Shipped(at=at(11), value=usd(6_000), final=True))
        assert (order.status, order.shipped) == (S.SHIPPED, usd(10_000))


class TestMoneyPaidOutsideTheCheckout:
    def test_a_claim_on_money_paid_straight_to_the_supplier_names_checkout_only(self) -> None:
        order = paid(via_checkout=False)
        order = apply(order, Shipped(at=at(10), value=usd(10_000), final=True))
        violation = refused(order, damaged(1_000), "TA-CHECKOUT-ONLY")
        assert "outside the checkout" in violation.message

    def test_a_paypal_payment_made_straight_to_the_supplier_can_be_recorded(self) -> None:
        order = paid(PaymentMethod.PAYPAL, via_checkout=False)
        assert (order.status, order.held, order.released) == (S.FUNDS_HELD, usd(0), usd(10_000))

    def test_a_paypal_payment_into_escrow_is_refused(self) -> None:
        order = replay([placed(), ContractConfirmed(at=at(hours=2), by=Party.BUYER)])
        payment = PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.PAYPAL)
        refused(order, payment, "TA-METHODS")


class TestAnEventIsIdentifiedEvenWithoutAnId:
    def test_a_payment_redelivered_without_an_id_counts_once(self) -> None:
        order = replay([placed(), ContractConfirmed(at=at(hours=2), by=Party.BUYER)])
        payment = PaymentReceived(at=at(1), amount=usd(3_600), method=PaymentMethod.VISA)
        once = apply(order, payment)
        assert apply(once, payment) is once
        assert once.paid == usd(3_600)

    def test_two_payments_that_differ_in_anything_are_two(self) -> None:
        order = replay([placed(), ContractConfirmed(at=at(hours=2), by=Party.BUYER)])
        first = PaymentReceived(at=at(1), amount=usd(3_600), method=PaymentMethod.VISA)
        second = PaymentReceived(at=at(1), amount=usd(3_600), method=PaymentMethod.MASTERCARD)
        assert apply(apply(order, first), second).paid == usd(7_200)

    def test_an_id_less_event_equal_to_one_taken_is_taken_once_in_a_replay(self) -> None:
        payment = PaymentReceived(at=at(1), amount=usd(3_600), method=PaymentMethod.VISA)
        history = [placed(), ContractConfirmed(at=at(hours=2), by=Party.BUYER), payment, payment]
        assert replay(history).paid == usd(3_600)


class TestExactMoney:
    @pytest.mark.parametrize(
        ("amount", "currency"),
        [("333333.5", "JPY"), ("100.005", "USD"), ("0.001", "USD"), ("1.0001", "BHD")],
    )
    def test_an_amount_finer_than_its_minor_unit_cannot_enter_escrow(
        self, amount: str, currency: str
    ) -> None:
        with pytest.raises(InvalidInput, match="not in whole minor units") as info:
            DisputeSettled(at=at(1), refund=Money(amount, currency))
        assert "one unit is" in str(info.value)

    @pytest.mark.parametrize(
        ("amount", "currency"), [("333333", "JPY"), ("100.01", "USD"), ("1.001", "BHD")]
    )
    def test_an_amount_in_whole_minor_units_enters(self, amount: str, currency: str) -> None:
        assert DisputeSettled(at=at(1), refund=Money(amount, currency)).refund.amount == Decimal(
            amount
        )

    def test_a_contract_total_finer_than_cents_is_refused(self) -> None:
        with pytest.raises(
            InvalidInput, match=r"OrderPlaced\.total 100\.005 USD is not in whole minor units"
        ):
            placed(total=Money("100.005", "USD"))

    def test_a_policy_figure_in_another_currency_is_named_not_ignored(self) -> None:
        eur = placed(total=Money(50_000, "EUR"))
        capped = attrs.evolve(DEFAULT_ESCROW, default_protection_limit=usd(10_000))
        with pytest.raises(
            PolicyError, match=r"default_protection_limit is USD 10,000\.00"
        ) as info:
            place(eur, capped)
        assert info.value.rule == "TA-LIMIT"
        with pytest.raises(PolicyError, match="min_protected_order") as info:
            replay([eur], LAUNCH_2014_ESCROW)
        assert info.value.rule == "TA-MIN-ORDER"

    def test_a_policy_figure_in_the_order_s_currency_applies(self) -> None:
        eur = placed(total=Money(50_000, "EUR"))
        capped = attrs.evolve(DEFAULT_ESCROW, default_protection_limit=Money(10_000, "EUR"))
        order = replay(
            [
                eur,
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=Money(50_000, "EUR"), method=PaymentMethod.VISA),
            ],
            capped,
        )
        assert covered_amount(order, capped) == Money(10_000, "EUR")

    def test_every_money_figure_of_the_escrow_policy_is_checked_against_the_order(self) -> None:
        hints = typing.get_type_hints(EscrowPolicy)
        money_fields = {
            f.name for f in attrs.fields(EscrowPolicy) if Money in typing.get_args(hints[f.name])
        }
        assert money_fields == set(POLICY_MONEY)
        assert set(POLICY_MONEY.values()) <= set(RULES)


class TestEveryRefundOfTTMoneyNeedsTheBuyersAccount:
    def cancelled(self, *first: Event) -> Order:
        order = paid()
        for event in first:
            order = apply(order, event)
        order = apply(order, CancellationRequested(at=at(3), by=Party.BUYER))
        return apply(order, CancellationAgreed(at=at(4), by=Party.SUPPLIER))

    def test_an_agreed_cancellation_keeps_tt_money_until_the_account_comes(self) -> None:
        order = self.cancelled()
        assert (order.status, order.held, order.refunded) == (S.CANCELLED, usd(10_000), usd(0))
        assert not order.is_closed
        assert allowed_events(order) == {BankAccountProvided, RefundIssued}
        refused(order, RefundIssued(at=at(5), amount=usd(10_000)), "ESC-REFUND-WINDOW")
        order = apply(order, BankAccountProvided(at=at(5), account=ACCOUNT))
        order = apply(order, RefundIssued(at=at(6), amount=usd(10_000)))
        assert (order.held, order.refunded) == (usd(0), usd(10_000))
        assert order.is_closed
        refused(order, BankAccountProvided(at=at(7), account=ACCOUNT), "ESC-STATES")

    def test_a_cancellation_refunds_at_once_once_the_account_is_on_record(self) -> None:
        order = self.cancelled(BankAccountProvided(at=at(2), account=ACCOUNT))
        assert (order.status, order.held, order.refunded) == (S.CANCELLED, usd(0), usd(10_000))
        assert order.is_closed

    def test_a_card_payment_is_refunded_at_cancellation(self) -> None:
        order = apply(paid(PaymentMethod.VISA), CancellationRequested(at=at(3), by=Party.BUYER))
        order = apply(order, CancellationAgreed(at=at(4), by=Party.SUPPLIER))
        assert (order.held, order.refunded) == (usd(0), usd(10_000))

    def test_the_payment_timer_keeps_tt_money_until_the_account_comes(self) -> None:
        order = replay([placed(), ContractConfirmed(at=at(hours=2), by=Party.BUYER)])
        part = PaymentReceived(at=at(1), amount=usd(2_000), method=PaymentMethod.TT)
        order = advance(apply(order, part), at(61))
        assert (order.status, order.held, order.refunded) == (S.CANCELLED, usd(2_000), usd(0))
        order = apply(order, RefundIssued(at=at(62), amount=usd(2_000), bank_account=ACCOUNT))
        assert order.is_closed

    def test_a_dispute_refund_may_use_the_account_on_record(self) -> None:
        order = apply(paid(), BankAccountProvided(at=at(2), account=ACCOUNT))
        order = apply(apply(order, late(10_000)), DisputeSettled(at=at(56), refund=usd(10_000)))
        order = apply(order, RefundIssued(at=at(57), amount=usd(10_000)))
        assert order.status is S.REFUNDED


class TestAHoldResolvesOnce:
    def fully_shipped(self, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
        order = replay(paid().events, policy)
        return apply(order, Shipped(at=at(10), value=usd(10_000), final=True), policy)

    def test_goods_decided_in_a_dispute_cannot_be_claimed_again_after_completion(self) -> None:
        from tradeassure.escrow import HELP_PAGES_ESCROW as HELP

        order = apply(self.fully_shipped(HELP), damaged(5_000), HELP)
        order = apply(order, DisputeSettled(at=at(21), refund=usd(0)), HELP)
        assert order.status is S.COMPLETED
        again = DisputeOpened(
            at=at(22), reason=DisputeReason.DAMAGED, claim=usd(5_000), evidence=("photo.jpg",)
        )
        assert [v.rule for v in check(order, again, HELP)] == ["ESC-DISPUTE-COMPLETED"]
        assert DisputeOpened not in allowed_events(order, HELP)

    def test_a_late_shipment_outcome_on_a_shipped_order_is_not_its_acceptance(self) -> None:
        late_ship = Shipped(at=at(55), value=usd(10_000), final=True)  # after 20 Oct
        order = apply(apply(paid(), late_ship), late(500, day=56))
        order = apply(order, DisputeSettled(at=at(57), refund=usd(500)))
        assert (order.status, order.released, order.held) == (S.SHIPPED, usd(0), usd(10_000))
        order = apply(order, RefundIssued(at=at(58), amount=usd(500), bank_account=ACCOUNT))
        order = apply(order, ReceiptConfirmed(at=at(60)))
        assert (order.status, order.released, order.refunded) == (
            S.COMPLETED,
            usd(9_500),
            usd(500),
        )

    def test_a_new_date_cannot_settle_lateness_once_the_goods_have_shipped(self) -> None:
        late_ship = Shipped(at=at(55), value=usd(10_000), final=True)
        order = apply(apply(paid(), late_ship), late(500, day=56))
        new_date = ShippingDateExtended(
            at=at(57), new_ship_by=date(2025, 10, 30), buyer_agrees=True, supplier_agrees=True
        )
        refused(order, new_date, "SHIP-EXTEND")
        assert ShippingDateExtended not in allowed_events(order)

    def test_a_dispute_is_not_listed_while_a_decided_refund_is_owed(self) -> None:
        order = lot_settled(1_000)
        assert DisputeOpened not in allowed_events(order)
        paid_out = apply(order, RefundIssued(at=at(22), amount=usd(1_000), bank_account=ACCOUNT))
        assert DisputeOpened in allowed_events(paid_out)


class TestWhatIsListedIsWhatIsTaken:
    def test_an_extension_before_confirmation_stays_within_the_window_of_the_drafting(
        self,
    ) -> None:
        order = place(placed(ship_by=date(2025, 9, 10)))
        beyond = ShippingDateExtended(
            at=at(hours=1), new_ship_by=date(2026, 1, 5), buyer_agrees=True, supplier_agrees=True
        )
        refused(order, beyond, "TMR-SHIP-EXTEND-CAP")
        within = attrs.evolve(beyond, new_ship_by=date(2025, 11, 28))  # 60 working days
        extended = apply(order, within)
        assert not check(extended, ContractConfirmed(at=at(hours=2), by=Party.BUYER))

    def test_no_bank_account_is_taken_when_escrow_holds_nothing(self) -> None:
        order = paid(via_checkout=False)
        assert BankAccountProvided not in allowed_events(order)
        refused(order, BankAccountProvided(at=at(2), account=ACCOUNT), "ESC-REFUND-WINDOW")

    def test_a_receipt_extension_is_listed_while_one_is_left(self) -> None:
        from tradeassure.escrow import ReceiptDeadlineExtended

        order = apply(paid(), Shipped(at=at(10), value=usd(10_000), final=True))
        assert ReceiptDeadlineExtended in allowed_events(order)
        order = apply(order, ReceiptDeadlineExtended(at=at(11), by=Party.BUYER))
        order = apply(order, ReceiptDeadlineExtended(at=at(12), by=Party.SUPPLIER))
        assert ReceiptDeadlineExtended not in allowed_events(order)

    def test_a_cancelled_order_s_payout_settles_the_dispute_s_refund(self) -> None:
        order = lot_settled(1_000)
        order = apply(order, CancellationRequested(at=at(23), by=Party.BUYER))
        order = apply(order, CancellationAgreed(at=at(24), by=Party.SUPPLIER))
        order = apply(order, RefundIssued(at=at(25), amount=usd(10_000), bank_account=ACCOUNT))
        assert order.is_closed
        assert order.dispute is not None
        assert order.dispute.refund_outstanding == usd(0)
