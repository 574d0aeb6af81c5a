"""Escrow fold details a mutation run found untested: what an out-of-turn refusal
names (the rule of a closed order, of an event type without a spec, of a timer, and
what is allowed instead), the figures of a malformed event's refusal, the arguments
``apply`` and ``check`` refuse by name, the steps of a history, the coverage of a claim
after receipt, and the timer events that time makes due."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest

from escrow_builders import T0, at, names, paid, placed, shipped, usd
from tradeassure.errors import EventIdConflict, InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    CancellationAgreed,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    EvidenceSubmitted,
    FeedbackLeft,
    Order,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    TimerExpired,
    apply,
    check,
    covered_amount,
    due_events,
    place,
    replay,
    steps,
)
from tradeassure.money import Money


class Audited(Event):
    """An event type of a user's own, which no spec of the escrow knows."""


def completed_with_feedback() -> Order:
    """:func:`shipped`, received on day 20 and rated on day 21: under the default
    policy (no claim after receipt) it takes nothing more."""
    order = apply(shipped(), ReceiptConfirmed(at=at(20)))
    return apply(order, FeedbackLeft(at=at(21), rating=5))


def refusal(order: Order, event: Event) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        apply(order, event)
    assert check(order, event) == (refused.value,)
    return refused.value


class TestAnEventOutOfTurn:
    def test_names_what_is_allowed_instead_in_order(self) -> None:
        violation = refusal(place(placed()), Shipped(at=at(1), value=usd(1), final=True))
        assert violation.rule == "ESC-HOLD"
        assert names(violation.message, "Shipped", "PO-7", "awaiting confirmation")
        assert violation.message.endswith(
            "allowed now: CancellationRequested, ContractConfirmed, ShippingDateExtended"
        )

    def test_names_nothing_where_nothing_is_allowed(self) -> None:
        violation = refusal(completed_with_feedback(), Shipped(at=at(22), value=usd(1), final=True))
        assert violation.rule == "ESC-STATES"
        assert violation.message.endswith("allowed now: nothing")

    def test_of_a_timer_is_refused_by_the_timers_rule(self) -> None:
        violation = refusal(completed_with_feedback(), TimerExpired(at=at(22), timer="TMR-PAY"))
        assert violation.rule == "TMR-PAY"
        assert names(violation.message, "TimerExpired", "completed")

    def test_of_a_type_without_a_spec_is_refused_by_esc_states(self) -> None:
        violation = refusal(paid(), Audited(at=at(2)))
        assert violation.rule == "ESC-STATES"
        assert names(violation.message, "Audited", "PO-7", "funds held")

    def test_a_closed_order_refuses_by_esc_states_whatever_the_event(self) -> None:
        cancelled = apply(place(placed()), CancellationRequested(at=at(1), by=Party.BUYER))
        violation = refusal(cancelled, ContractConfirmed(at=at(2), by=Party.BUYER))
        assert violation.rule == "ESC-STATES"
        assert names(violation.message, "PO-7", "cancelled", "closed")

    def test_a_cancelled_order_still_holding_money_refuses_by_the_events_rule(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
                CancellationRequested(at=at(3), by=Party.BUYER),
                CancellationAgreed(at=at(4), by=Party.SUPPLIER),
            ]
        )
        assert order.held == usd(10_000)
        violation = refusal(order, ContractConfirmed(at=at(5), by=Party.BUYER))
        assert violation.rule == "ESC-ORDER-ORIGIN"


class TestAMalformedEventIsRefusedWithItsFigures:
    def test_an_id_reused_for_another_type(self) -> None:
        order = apply(shipped(), ReceiptConfirmed(at=at(20), event_id="e-1"))
        with pytest.raises(EventIdConflict) as refused:
            apply(order, FeedbackLeft(at=at(21), rating=5, event_id="e-1"))
        assert str(refused.value).endswith("these differ: type")

    def test_an_id_reused_with_other_figures_names_each(self) -> None:
        first = PaymentReceived(
            at=at(1), amount=usd(4_000), method=PaymentMethod.VISA, event_id="pay-1"
        )
        order = apply(apply(place(placed()), ContractConfirmed(at=at(0, 2), by=Party.BUYER)), first)
        other = attrs.evolve(first, amount=usd(5_000), method=PaymentMethod.TT)
        with pytest.raises(EventIdConflict) as refused:
            apply(order, other)
        message = str(refused.value)
        assert names(message, "'pay-1'", "PO-7")
        assert message.endswith("these differ: amount, method")

    def test_an_event_back_in_time_names_its_type_and_both_instants(self) -> None:
        late = PaymentReceived(at=at(0, 1), amount=usd(1), method=PaymentMethod.VISA)
        with pytest.raises(InvalidInput) as refused:
            apply(paid(), late)
        message = str(refused.value)
        assert message.startswith("PaymentReceived at ")
        assert names(message, "2025-09-01T10:00:00+00:00", "2025-09-02T09:00:00+00:00", "PO-7")

    def test_an_empty_history(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            replay([])
        assert names(str(refused.value), "OrderPlaced", "history", "event")


EUR_LIMIT = attrs.evolve(DEFAULT_ESCROW, edition="eur", default_protection_limit=Money(5, "EUR"))


class TestTheArgumentsAreRefusedByName:
    @pytest.mark.parametrize("decide", [apply, check], ids=["apply", "check"])
    def test_a_policy_that_is_no_policy(self, decide: object) -> None:
        with pytest.raises(InvalidInput) as refused:
            decide(paid(), ReceiptConfirmed(at=at(2)), "default")  # type: ignore[operator]
        message = str(refused.value)
        assert message.startswith("policy ")
        assert names(message, "EscrowPolicy", "'default'")

    @pytest.mark.parametrize("decide", [apply, check], ids=["apply", "check"])
    def test_an_order_that_is_no_order(self, decide: object) -> None:
        with pytest.raises(InvalidInput) as refused:
            decide("PO-7", ReceiptConfirmed(at=at(2)))  # type: ignore[operator]
        message = str(refused.value)
        assert message.startswith("order ")
        assert names(message, "Order", "'PO-7'")

    @pytest.mark.parametrize("decide", [apply, check], ids=["apply", "check"])
    def test_a_policy_whose_money_is_in_another_currency_names_the_order(
        self, decide: object
    ) -> None:
        with pytest.raises(PolicyError) as refused:
            decide(paid(), ReceiptConfirmed(at=at(2)), EUR_LIMIT)  # type: ignore[operator]
        assert refused.value.rule == "TA-LIMIT"
        assert names(str(refused.value), "PO-7", "EUR", "USD", "default_protection_limit")


class TestStepsAndCoverage:
    def test_each_step_starts_from_the_order_the_step_before_gave(self) -> None:
        events = [
            placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA),
        ]
        taken = list(steps(events))
        assert taken[0].before is None
        assert [s.before for s in taken[1:]] == [s.after for s in taken[:-1]]
        assert taken[-1].after == replay(events)

    def test_a_claim_after_receipt_is_covered_out_of_the_released_money(self) -> None:
        p = HELP_PAGES_ESCROW
        order = apply(shipped(p), ReceiptConfirmed(at=at(40)), p)
        claim = DisputeOpened(
            at=at(45), reason=DisputeReason.DAMAGED, claim=usd(3_000), evidence=("photo.jpg",)
        )
        order = apply(order, claim, p)
        assert order.held == usd(0)
        assert covered_amount(order, p) == usd(10_000)


class TestTheTimersTimeMakesDue:
    def test_now_is_named_when_naive(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            due_events(place(placed()), datetime(2025, 10, 1, 9))
        assert names(str(refused.value), "now")

    def test_each_is_stamped_in_utc_with_its_own_id(self) -> None:
        shanghai = ZoneInfo("Asia/Shanghai")
        order = place(placed(at=datetime(2025, 9, 1, 17, tzinfo=shanghai)))
        (expired,) = due_events(order, datetime(2025, 10, 2, tzinfo=shanghai))
        assert expired.timer == "TMR-CONFIRM"
        assert expired.at == T0 + (at(30) - T0)
        assert expired.at.tzinfo is UTC
        assert expired.event_id == "PO-7:TMR-CONFIRM:2025-10-01T09:00:00+00:00"


class TestOneReplayReadsTheClosingTimerAfresh:
    def test_evidence_after_the_claim_stops_its_deadline_within_the_replay(self) -> None:
        # The claim of day 20 carries no evidence: withdrawn on day 27 unless some comes.
        # The buyer's evidence of day 21 stops that clock, so the settlement of day 30
        # is decided in the same replay, not refused as after TMR-EVIDENCE.
        events = [
            *shipped().events,
            DisputeOpened(at=at(20), reason=DisputeReason.DAMAGED, claim=usd(1_000)),
            EvidenceSubmitted(at=at(21), by=Party.BUYER, items=("photo.jpg",)),
            DisputeSettled(at=at(30), refund=usd(500)),
        ]
        order = replay(events)
        assert order.dispute is not None
        assert order.dispute.refund == usd(500)


class TestAPlacementUnderAPolicyInAnotherCurrency:
    def test_names_the_order(self) -> None:
        for start in (lambda: place(placed(), EUR_LIMIT), lambda: replay([placed()], EUR_LIMIT)):
            with pytest.raises(PolicyError) as refused:
                start()
            assert refused.value.rule == "TA-LIMIT"
            assert names(str(refused.value), "PO-7", "EUR", "USD")
