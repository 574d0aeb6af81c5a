"""Escrow handler details a mutation run found untested: each event type in words
(``describe``) and in figures (``brief``), what each handler's refusal names, the
refusals of a decided dispute, and the state machine's tables as the specs build them
(``_rows``, ``_refused_by``, ``_everywhere`` and ``_transitions`` run once, at import:
they are called again here to read what they build)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from escrow_builders import T0, at, names, paid, placed, shipped, usd
from tradeassure.errors import CurrencyMismatch, InvalidInput, RuleViolation
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    TRANSITIONS,
    BankAccountProvided,
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    CancellationWithdrawn,
    ContractConfirmed,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    DisputeWithdrawn,
    EscrowPolicy,
    Event,
    EvidenceSubmitted,
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
    allowed_events,
    apply,
    brief,
    check,
    deadlines,
    describe,
    place,
    replay,
)
from tradeassure.escrow._draft import thaw
from tradeassure.escrow.handlers import (
    EVENT_SPECS,
    Row,
    Transition,
    _always,
    _everywhere,
    _refused_by,
    _rows,
    _transitions,
)
from tradeassure.money import Money

S = OrderStatus
R = DisputeReason
PHOTOS = ("wall-1.6mm.jpg",)


class Audited(Event):
    """An event type of a user's own, which no spec of the escrow knows."""


WORDS = [
    (
        placed(),
        "contract of USD 10,000.00 between Acme Ltd (buyer) and Shenzhen Parts Co (supplier), "
        "drafted by the supplier; ship by 2025-10-20",
        "USD 10,000.00, ship by 2025-10-20",
    ),
    (
        placed(ship_by=None, lead_days=12),
        "contract of USD 10,000.00 between Acme Ltd (buyer) and Shenzhen Parts Co (supplier), "
        "drafted by the supplier; ship within 12 working days",
        "USD 10,000.00, ship within 12 working days",
    ),
    (ContractConfirmed(at=T0, by=Party.BUYER), "the buyer confirmed the contract", "by the buyer"),
    (
        PaymentReceived(at=T0, amount=usd(100), method=PaymentMethod.TT),
        "the buyer paid USD 100.00 by T/T",
        "USD 100.00 by TT",
    ),
    (
        PaymentReceived(
            at=T0, amount=usd(100), method=PaymentMethod.WECHAT_PAY, via_checkout=False
        ),
        "the buyer paid USD 100.00 by WeChat Pay, outside the checkout (not held in escrow)",
        "USD 100.00 by WECHAT_PAY",
    ),
    (
        PaymentReceived(at=T0, amount=usd(100), method=PaymentMethod.WESTERN_UNION),
        "the buyer paid USD 100.00 by Western Union",
        "USD 100.00 by WESTERN_UNION",
    ),
    (
        Shipped(at=T0, value=usd(100), final=True),
        "the supplier shipped goods worth USD 100.00 (final shipment)",
        "USD 100.00 (final)",
    ),
    (
        Shipped(at=T0, value=usd(100), final=False),
        "the supplier shipped goods worth USD 100.00 (partial shipment)",
        "USD 100.00",
    ),
    (
        ShippingDateExtended(
            at=T0, new_ship_by=date(2025, 11, 1), buyer_agrees=True, supplier_agrees=True
        ),
        "ship-by date moved to 2025-11-01",
        "to 2025-11-01",
    ),
    (ReceiptConfirmed(at=T0), "the buyer confirmed receipt", ""),
    (
        ReceiptDeadlineExtended(at=T0, by=Party.SUPPLIER),
        "the supplier extended the receipt deadline",
        "by the supplier",
    ),
    (FeedbackLeft(at=T0, rating=4), "the buyer left 4 of 5 stars", "4 of 5"),
    (
        FeedbackLeft(at=T0, rating=2, comment="late  and\n short"),
        "the buyer left 2 of 5 stars: late and short",
        "2 of 5",
    ),
    (CancellationRequested(at=T0, by=Party.BUYER), "the buyer asked to cancel", "by the buyer"),
    (
        CancellationAgreed(at=T0, by=Party.SUPPLIER),
        "the supplier agreed to cancel",
        "by the supplier",
    ),
    (
        CancellationDeclined(at=T0, by=Party.SUPPLIER),
        "the supplier declined to cancel",
        "by the supplier",
    ),
    (
        CancellationWithdrawn(at=T0, by=Party.BUYER),
        "the buyer withdrew the cancellation request",
        "by the buyer",
    ),
    (
        DisputeOpened(at=T0, reason=R.QUALITY_MISMATCH, claim=usd(300), evidence=("a",)),
        "the buyer opened a dispute (quality mismatch) claiming USD 300.00, "
        "with 1 piece of evidence",
        "QUALITY_MISMATCH, claim USD 300.00",
    ),
    (
        DisputeOpened(at=T0, reason=R.NOT_SHIPPED_ON_TIME, claim=usd(300), evidence=("a", "b")),
        "the buyer opened a dispute (not shipped on time) claiming USD 300.00, "
        "with 2 pieces of evidence",
        "NOT_SHIPPED_ON_TIME, claim USD 300.00",
    ),
    (
        DisputeOpened(at=T0, reason=R.DAMAGED, claim=usd(300)),
        "the buyer opened a dispute (damaged) claiming USD 300.00, with 0 pieces of evidence",
        "DAMAGED, claim USD 300.00",
    ),
    (
        EvidenceSubmitted(at=T0, by=Party.SUPPLIER, items=("x",)),
        "the supplier submitted 1 piece of evidence",
        "by the supplier, 1 item",
    ),
    (
        EvidenceSubmitted(at=T0, by=Party.BUYER, items=("x", "y")),
        "the buyer submitted 2 pieces of evidence",
        "by the buyer, 2 items",
    ),
    (DisputeEscalated(at=T0), "the buyer escalated the dispute to the platform", ""),
    (DisputeWithdrawn(at=T0), "the buyer withdrew the dispute", ""),
    (InspectionReported(at=T0, passed=True), "the inspection passed the goods", "passed"),
    (
        InspectionReported(at=T0, passed=False, report="cracked"),
        "the inspection rejected the goods: cracked",
        "rejected",
    ),
    (InspectionReported(at=T0, passed=False), "the inspection rejected the goods", "rejected"),
    (
        InspectionReported(at=T0, passed=True, report="as specified"),
        "the inspection passed the goods: as specified",
        "passed",
    ),
    (
        DisputeSettled(at=T0, refund=usd(5)),
        "the parties settled: USD 5.00 back to the buyer",
        "refund USD 5.00",
    ),
    (
        PlatformRuled(at=T0, refund=usd(6)),
        "the platform ruled: USD 6.00 back to the buyer",
        "refund USD 6.00",
    ),
    (RefundIssued(at=T0, amount=usd(7)), "a refund of USD 7.00 was issued", "USD 7.00"),
    (
        BankAccountProvided(at=T0, account="DE89 3704"),
        "the buyer gave a bank account for refunds",
        "",
    ),
    (
        TimerExpired(at=T0, timer="TMR-PAY"),
        "TMR-PAY fell due: A confirmed order never paid in full is cancelled automatically; "
        "money paid goes back.",
        "TMR-PAY",
    ),
    (Audited(at=T0), "Audited", ""),
]


class TestAnEventInWords:
    @pytest.mark.parametrize(("event", "words", "figures"), WORDS, ids=lambda v: type(v).__name__)
    def test_describe_and_brief(self, event: Event, words: str, figures: str) -> None:
        assert describe(event) == words
        assert brief(event) == figures

    def test_what_is_no_event_is_refused_by_name(self) -> None:
        for read in (describe, brief):
            with pytest.raises(InvalidInput) as refused:
                read("PO-7")  # type: ignore[arg-type]
            assert str(refused.value).startswith("event ")
            assert names(str(refused.value), "Event", "'PO-7'")


class TestTheTablesTheSpecsAreBuiltWith:
    def test_a_rule_read_off_a_table_else_esc_states(self) -> None:
        out_of_turn = _refused_by({S.SHIPPED: "SHIP-EXTEND", S.DISPUTED: "ESC-DISPUTE-OPEN"})
        event = ReceiptConfirmed(at=T0)
        assert out_of_turn(event, S.SHIPPED) == "SHIP-EXTEND"
        assert out_of_turn(event, S.DISPUTED) == "ESC-DISPUTE-OPEN"
        assert out_of_turn(event, S.FUNDS_HELD) == "ESC-STATES"

    def test_the_table_is_copied_when_read(self) -> None:
        rules = {S.SHIPPED: "SHIP-EXTEND"}
        out_of_turn = _refused_by(rules)
        rules[S.SHIPPED] = "ESC-RELEASE"
        assert out_of_turn(ReceiptConfirmed(at=T0), S.SHIPPED) == "SHIP-EXTEND"

    def test_one_rule_everywhere(self) -> None:
        out_of_turn = _everywhere("TA-EVIDENCE")
        assert {out_of_turn(ReceiptConfirmed(at=T0), s) for s in S} == {"TA-EVIDENCE"}

    def test_rows_share_their_targets_and_readiness(self) -> None:
        def ready(d: object, p: object) -> bool:
            return False

        rows = _rows((S.SHIPPED, S.DISPUTED), (S.COMPLETED,), ready)
        assert rows == {
            S.SHIPPED: Row((S.COMPLETED,), ready),
            S.DISPUTED: Row((S.COMPLETED,), ready),
        }
        assert _rows((S.SHIPPED,), (S.COMPLETED,)) == {S.SHIPPED: Row((S.COMPLETED,), _always)}

    def test_the_transitions_are_each_specs_rows(self) -> None:
        table = _transitions()
        assert table == dict(TRANSITIONS)
        for (status, kind), transition in table.items():
            spec = EVENT_SPECS[kind]
            row = spec.rows[status]
            assert transition == Transition(spec.handler, row.targets, spec.rules, row.ready)  # type: ignore[arg-type]
        assert len(table) == sum(len(spec.rows) for spec in EVENT_SPECS.values())

    def test_a_timer_row_is_ready_while_a_timer_runs(self) -> None:
        row = TRANSITIONS[S.SHIPPED, TimerExpired]
        assert row.ready(thaw(shipped()), DEFAULT_ESCROW) is True
        claim = DisputeOpened(at=at(20), reason=R.DAMAGED, claim=usd(1_000), evidence=PHOTOS)
        escalated = apply(apply(shipped(), claim), DisputeEscalated(at=at(36)))
        disputed = TRANSITIONS[S.DISPUTED, TimerExpired]
        assert disputed.ready(thaw(escalated), DEFAULT_ESCROW) is False


def refused(order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW) -> RuleViolation:
    """The one violation that refuses ``event`` (``check`` and ``apply`` agree)."""
    (violation,) = check(order, event, policy)
    with pytest.raises(RuleViolation) as raised:
        apply(order, event, policy)
    assert raised.value == violation
    return violation


def disputed(
    reason: DisputeReason = R.QUALITY_MISMATCH, evidence: tuple[str, ...] = PHOTOS
) -> Order:
    """:func:`shipped`, with a USD 1,000 claim opened on day 20: the supplier's window
    ends on 6 October, 09:00 UTC (day 35)."""
    claim = DisputeOpened(at=at(20), reason=reason, claim=usd(1_000), evidence=evidence)
    return apply(shipped(), claim)


def decided() -> Order:
    """:func:`disputed`, settled on day 22 for USD 500: decided, its refund not yet paid."""
    return apply(disputed(), DisputeSettled(at=at(22), refund=usd(500)))


class TestTheReceiptDeadlineExtends:
    def test_only_by_a_party_to_the_contract(self) -> None:
        v = refused(shipped(), ReceiptDeadlineExtended(at=at(11), by=Party.PLATFORM))
        assert v.rule == "TMR-RECEIPT-EXTEND"
        assert names(v.message, "only", "buyer", "supplier", "deadline")

    def test_once_by_each_party(self) -> None:
        order = apply(shipped(), ReceiptDeadlineExtended(at=at(11), by=Party.BUYER))
        v = refused(order, ReceiptDeadlineExtended(at=at(12), by=Party.BUYER))
        assert v.rule == "TMR-RECEIPT-EXTEND"
        assert names(v.message, "buyer", "PO-7", "each", "once")
        # The supplier may still extend: 15 + 15 days are the 30 allowed at most.
        assert ReceiptDeadlineExtended in allowed_events(order)
        assert check(order, ReceiptDeadlineExtended(at=at(12), by=Party.SUPPLIER)) == ()

    def test_never_past_the_policys_total(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="long-extensions", receipt_extension_days=20)
        order = apply(shipped(p), ReceiptDeadlineExtended(at=at(11), by=Party.BUYER), p)
        v = refused(order, ReceiptDeadlineExtended(at=at(12), by=Party.SUPPLIER), p)
        assert v.rule == "TMR-RECEIPT-EXTEND"
        assert names(v.message, "30", "days")
        assert ReceiptDeadlineExtended not in allowed_events(order, p)

    def test_by_both_parties_at_most_even_with_room_left(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="short-extensions", receipt_extension_days=10)
        order = shipped(p)
        for n, party in enumerate((Party.BUYER, Party.SUPPLIER)):
            order = apply(order, ReceiptDeadlineExtended(at=at(11 + n), by=party), p)
        assert ReceiptDeadlineExtended not in allowed_events(order, p)


class TestACancellationRefusal:
    def test_a_request_by_the_platform(self) -> None:
        v = refused(paid(), CancellationRequested(at=at(2), by=Party.PLATFORM))
        assert v.rule == "ESC-CANCEL-SHIPPED"
        assert names(v.message, "a", "buyer", "supplier")
        assert v.message.startswith("a cancellation ")

    def test_a_withdrawal_by_the_party_that_did_not_ask(self) -> None:
        order = apply(paid(), CancellationRequested(at=at(2), by=Party.BUYER))
        v = refused(order, CancellationWithdrawn(at=at(3), by=Party.SUPPLIER))
        assert v.rule == "ESC-CANCEL-SHIPPED"
        assert names(v.message, "buyer", "PO-7")
        assert "supplier" not in v.message


class TestAnOpenDisputesRefusals:
    def test_evidence_from_the_platform(self) -> None:
        v = refused(disputed(), EvidenceSubmitted(at=at(21), by=Party.PLATFORM, items=("x",)))
        assert v.rule == "TA-EVIDENCE"
        assert names(v.message, "evidence", "buyer", "supplier", "as", "InspectionReported")
        assert v.message.startswith("evidence ")
        assert v.message.endswith(" InspectionReported")

    def test_an_escalation_inside_the_suppliers_window_names_its_end(self) -> None:
        v = refused(disputed(), DisputeEscalated(at=at(35)))
        assert v.rule == "TMR-SUPPLIER-RESPONSE"
        assert names(v.message, "2025-10-06T09:00:00+00:00", "PO-7")
        assert apply(disputed(), DisputeEscalated(at=at(35, hours=1))).dispute is not None

    def test_a_second_escalation_names_the_first(self) -> None:
        order = apply(disputed(), DisputeEscalated(at=at(36)))
        v = refused(order, DisputeEscalated(at=at(37)))
        assert v.rule == "TMR-SUPPLIER-RESPONSE"
        assert names(v.message, "2025-10-07T09:00:00+00:00", "PO-7", "once")

    def test_a_new_ship_by_outside_a_late_shipment_claim(self) -> None:
        later = ShippingDateExtended(
            at=at(21), new_ship_by=date(2025, 11, 1), buyer_agrees=True, supplier_agrees=True
        )
        v = refused(disputed(), later)
        assert v.rule == "SHIP-EXTEND"
        assert names(v.message, "PO-7", "quality mismatch", "open", "late-shipment")
        assert v.message.endswith(" (SHIP-LATE-REFUND)")

    def test_what_may_follow_an_open_dispute(self) -> None:
        allowed = allowed_events(disputed())
        assert {
            EvidenceSubmitted,
            DisputeEscalated,
            DisputeWithdrawn,
            InspectionReported,
            DisputeSettled,
            PlatformRuled,
        } <= allowed
        escalated = apply(disputed(), DisputeEscalated(at=at(36)))
        assert DisputeEscalated not in allowed_events(escalated)
        assert PlatformRuled in allowed_events(escalated)


class TestADecidedDisputeTakesNothingMore:
    @pytest.mark.parametrize(
        "event",
        [
            DisputeWithdrawn(at=at(23)),
            EvidenceSubmitted(at=at(23), by=Party.BUYER, items=("x",)),
            InspectionReported(at=at(23), passed=False),
            DisputeSettled(at=at(23), refund=usd(400)),
        ],
        ids=lambda e: type(e).__name__,
    )
    def test_each_is_refused_naming_when_it_was_decided(self, event: Event) -> None:
        v = refused(decided(), event)
        assert v.rule == "ESC-PARTIAL-RELEASE"
        assert names(v.message, "PO-7", "2025-09-23T09:00:00+00:00", "hold", "once")

    def test_what_may_follow_is_its_payout(self) -> None:
        assert allowed_events(decided()) == {BankAccountProvided, RefundIssued}


class TestARefundsRefusals:
    def test_none_decided(self) -> None:
        completed = apply(shipped(), ReceiptConfirmed(at=at(20)))
        v = refused(completed, RefundIssued(at=at(21), amount=usd(1)))
        assert v.rule == "ESC-PARTIAL-RELEASE"
        assert names(v.message, "PO-7", "first")

    def test_a_refund_in_another_currency(self) -> None:
        for event in (
            RefundIssued(at=at(23), amount=Money(1, "EUR")),
            DisputeSettled(at=at(21), refund=Money(1, "EUR")),
        ):
            order = decided() if isinstance(event, RefundIssued) else disputed()
            with pytest.raises(CurrencyMismatch) as raised:
                apply(order, event)
            assert names(str(raised.value), "refund", "EUR", "PO-7", "USD")

    def test_a_tt_refund_without_a_bank_account(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
                Shipped(at=at(10), value=usd(10_000), final=True),
                DisputeOpened(at=at(20), reason=R.DAMAGED, claim=usd(1_000), evidence=PHOTOS),
                DisputeSettled(at=at(22), refund=usd(500)),
            ]
        )
        v = refused(order, RefundIssued(at=at(23), amount=usd(500)))
        assert v.rule == "ESC-REFUND-WINDOW"
        assert names(v.message, "PO-7", "account", "bank_account", "BankAccountProvided")
        assert v.message.endswith("(bank_account here, or a BankAccountProvided before)")

    def test_paid_out_in_parts_they_add_up(self) -> None:
        order = apply(decided(), RefundIssued(at=at(23), amount=usd(200)))
        order = apply(order, RefundIssued(at=at(24), amount=usd(300)))
        assert order.dispute is not None
        assert order.dispute.refund_issued == usd(500)
        assert (order.refunded, order.held) == (usd(500), usd(0))

    def test_an_account_where_nothing_is_held(self) -> None:
        completed = apply(shipped(), ReceiptConfirmed(at=at(20)))
        v = refused(completed, BankAccountProvided(at=at(21), account="DE89 3704"))
        assert v.rule == "ESC-REFUND-WINDOW"
        assert names(v.message, "PO-7", "nothing", "recorded", "money")


class TestANewDisputesRefusals:
    def test_a_refund_still_to_pay_out(self) -> None:
        # Goods rejected before shipment, the claim settled for USD 3,000 not yet paid.
        order = apply(paid(), InspectionReported(at=at(4), passed=False))
        claim = DisputeOpened(at=at(6), reason=R.QUALITY_MISMATCH, claim=usd(3_000))
        order = apply(apply(order, claim), DisputeSettled(at=at(8), refund=usd(3_000)))
        assert order.status is S.FUNDS_HELD
        v = refused(order, DisputeOpened(at=at(9), reason=R.QUALITY_MISMATCH, claim=usd(1)))
        assert v.rule == "ESC-DISPUTE-OPEN"
        assert names(v.message, "3,000.00", "PO-7", "paid", "RefundIssued", "it")

    def test_goods_in_transit_after_a_later_event(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="in-transit", in_transit_days=5)
        order = apply(shipped(p), InspectionReported(at=at(11), passed=True), p)
        claim = DisputeOpened(at=at(14), reason=R.NOT_RECEIVED, claim=usd(1_000))
        v = refused(order, claim, p)
        assert v.rule == "SHIP-IN-TRANSIT"
        assert names(v.message, "2025-09-16T09:00:00+00:00")
        later = DisputeOpened(at=at(15), reason=R.NOT_RECEIVED, claim=usd(1_000))
        assert check(order, later, p) == ()

    def test_a_claim_window_of_one_day_after_receipt(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="one-day", claim_after_receipt_days=1)
        order = apply(shipped(p), ReceiptConfirmed(at=at(20)), p)
        assert DisputeOpened in allowed_events(order, p)


class TestAnOutcome:
    def test_a_settlement_beyond_what_a_refund_can_come_from(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        claim = DisputeOpened(at=at(12), reason=R.DAMAGED, claim=usd(4_000), evidence=PHOTOS)
        order = apply(order, claim)
        v = refused(order, DisputeSettled(at=at(13), refund=usd(5_000)))
        assert v.rule == "ESC-CONSERVATION"
        assert names(v.message, "5,000.00", "4,000.00", "PO-7")

    def test_a_claim_after_receipt_settled_for_nothing_completes_the_order(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="claims", claim_after_receipt_days=30)
        order = apply(shipped(p), ReceiptConfirmed(at=at(20)), p)
        claim = DisputeOpened(at=at(25), reason=R.DAMAGED, claim=usd(1_000), evidence=PHOTOS)
        order = apply(apply(order, claim, p), DisputeSettled(at=at(26), refund=usd(0)), p)
        assert (order.status, order.released, order.held) == (S.COMPLETED, usd(10_000), usd(0))

    def test_a_new_ship_by_settles_a_late_shipment_claim_when_agreed(self) -> None:
        claim = DisputeOpened(at=at(51), reason=R.NOT_SHIPPED_ON_TIME, claim=usd(1_000))
        order = apply(paid(), claim)
        later = ShippingDateExtended(
            at=at(52), new_ship_by=date(2025, 11, 3), buyer_agrees=True, supplier_agrees=True
        )
        order = apply(order, later)
        assert order.dispute is not None
        assert (order.status, order.ship_by) == (S.FUNDS_HELD, date(2025, 11, 3))
        assert (order.dispute.refund, order.dispute.resolved_at) == (usd(0), at(52))
        assert order.dispute.resolved_by is Party.BUYER

    def test_an_inspection_is_recorded_with_its_report(self) -> None:
        order = apply(paid(), InspectionReported(at=at(4), passed=False, report="cracked"))
        assert order.inspection is not None
        assert (order.inspection.passed, order.inspection.report) == (False, "cracked")


class TestAContractWithALeadTime:
    def test_extends_its_ship_by_only_once_confirmed(self) -> None:
        order = place(placed(ship_by=None, lead_days=5))
        later = ShippingDateExtended(
            at=at(0, 1), new_ship_by=date(2025, 11, 3), buyer_agrees=True, supplier_agrees=True
        )
        v = refused(order, later)
        assert v.rule == "SHIP-EXTEND"
        assert names(v.message, "PO-7", "working days", "confirmed", "that")


class TestARuling:
    def test_never_over_the_claim(self) -> None:
        v = refused(disputed(), PlatformRuled(at=at(36), refund=usd(1_001)))
        assert v.rule == "TA-RULING-WITHIN-CLAIM"
        assert names(v.message, "1,000.00", "PO-7", "claim")
        assert v.message.endswith(" the claim")

    def test_only_after_the_suppliers_window(self) -> None:
        v = refused(disputed(), PlatformRuled(at=at(35), refund=usd(1)))
        assert v.rule == "TA-SUPPLIER-15-DAYS"
        assert names(v.message, "2025-10-06T09:00:00+00:00", "PO-7", "that")
        assert check(disputed(), PlatformRuled(at=at(35, hours=1), refund=usd(1))) == ()

    def test_a_goods_claim_without_evidence(self) -> None:
        # A policy whose supplier's window ends before the evidence deadline.
        p = attrs.evolve(
            DEFAULT_ESCROW, edition="slow-evidence", supplier_window_days=5, evidence_days=30
        )
        claim = DisputeOpened(at=at(20), reason=R.DAMAGED, claim=usd(1_000))
        order = apply(shipped(p), claim, p)
        v = refused(order, PlatformRuled(at=at(26), refund=usd(1)), p)
        assert v.rule == "TA-EVIDENCE"
        assert names(v.message, "PO-7", "evidence", "report")
        assert v.message.endswith("(EvidenceSubmitted)")

    def test_a_quality_claim_on_a_contract_without_specifications(self) -> None:
        contract = placed(specifications=())
        claim = DisputeOpened(
            at=at(20), reason=R.QUALITY_MISMATCH, claim=usd(1_000), evidence=PHOTOS
        )
        order = apply(shipped(contract=contract), claim)
        v = refused(order, PlatformRuled(at=at(36), refund=usd(1)))
        assert v.rule == "TA-SPEC-QUANTIFIABLE"
        assert names(v.message, "PO-7", "a", "quality", "inspection", "evidence", "alone")

    def test_a_late_shipment_claim_is_not_judged_by_an_inspection(self) -> None:
        order = apply(paid(), InspectionReported(at=at(4), passed=True))
        claim = DisputeOpened(at=at(51), reason=R.NOT_SHIPPED_ON_TIME, claim=usd(1_000))
        order = apply(order, claim)
        ruled = apply(order, PlatformRuled(at=at(67), refund=usd(1_000)))
        assert ruled.dispute is not None
        assert ruled.dispute.refund == usd(1_000)

    def test_beyond_what_protection_covers(self) -> None:
        p = LAUNCH_2014_ESCROW
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(at=at(1), amount=usd(6_000), method=PaymentMethod.TT),
                PaymentReceived(at=at(1, 1), amount=usd(4_000), method=PaymentMethod.VISA),
                Shipped(at=at(10), value=usd(10_000), final=True),
                DisputeOpened(at=at(12), reason=R.DAMAGED, claim=usd(7_000), evidence=PHOTOS),
            ],
            p,
        )
        v = refused(order, PlatformRuled(at=at(40), refund=usd(7_000)), p)
        assert v.rule == "TA-METHODS"
        assert names(v.message, "6,000.00", "PO-7", "refund", "that")


def confirmed() -> Order:
    return apply(place(placed()), ContractConfirmed(at=at(0, 2), by=Party.BUYER))


class TestAPaymentsRefusals:
    def test_a_method_not_accepted_names_every_accepted_one(self) -> None:
        v = refused(
            confirmed(), PaymentReceived(at=at(1), amount=usd(1), method=PaymentMethod.PAYPAL)
        )
        assert v.rule == "TA-METHODS"
        accepted = ", ".join(sorted(m.name for m in DEFAULT_ESCROW.accepted_methods))
        assert names(v.message, "PAYPAL", "default")
        assert v.message.endswith(f"pay by one of {accepted}")

    def test_over_the_total_names_what_is_still_due(self) -> None:
        order = apply(
            confirmed(), PaymentReceived(at=at(1), amount=usd(4_000), method=PaymentMethod.VISA)
        )
        v = refused(
            order, PaymentReceived(at=at(1, 1), amount=usd(7_000), method=PaymentMethod.VISA)
        )
        assert v.rule == "ESC-DEPOSIT"
        assert names(v.message, "7,000.00", "11,000.00", "10,000.00", "6,000.00", "PO-7")

    def test_the_deposit_paid_exactly_starts_the_balances_clock(self) -> None:
        order = apply(
            place(placed(deposit=usd(3_000))), ContractConfirmed(at=at(0, 2), by=Party.BUYER)
        )
        order = apply(
            order, PaymentReceived(at=at(1), amount=usd(3_000), method=PaymentMethod.VISA)
        )
        d = deadlines(order)
        # The start of 21 October in Shanghai, the day after the ship-by.
        assert (d.pay_by, d.balance_by) == (None, datetime(2025, 10, 20, 16, tzinfo=UTC))


class TestTheDepositPaidExactlyWithinOneReplay:
    def test_the_balance_clock_refuses_a_balance_after_its_day(self) -> None:
        # The deposit paid exactly: the balance is due by the ship-by (20 October, in
        # Shanghai), though the payment clock (31 October) has not run out.
        events = [
            placed(deposit=usd(3_000)),
            ContractConfirmed(at=at(0, 2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(3_000), method=PaymentMethod.VISA),
            PaymentReceived(at=at(55), amount=usd(7_000), method=PaymentMethod.VISA),
        ]
        with pytest.raises(RuleViolation) as refused:
            replay(events)
        assert refused.value.rule == "TMR-BALANCE"
        assert names(refused.value.message, "PO-7", "2025-10-20T16:00:00+00:00")


class TestAShipmentsRefusals:
    def test_in_another_currency(self) -> None:
        with pytest.raises(CurrencyMismatch) as raised:
            apply(paid(), Shipped(at=at(10), value=Money(1, "EUR"), final=True))
        assert names(str(raised.value), "shipment's", "value", "EUR", "PO-7", "USD")
        assert str(raised.value).startswith("the shipment's value ")

    def test_over_the_total_names_what_remains(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        v = refused(order, Shipped(at=at(11), value=usd(7_000), final=True))
        assert v.rule == "SHIP-PARTIAL"
        assert names(v.message, "7,000.00", "11,000.00", "10,000.00", "6,000.00", "PO-7")

    def test_a_short_final_shipment_names_the_ways_to_end_short(self) -> None:
        order = apply(paid(), Shipped(at=at(10), value=usd(4_000), final=False))
        v = refused(order, Shipped(at=at(11), value=usd(1_000), final=True))
        assert v.rule == "SHIP-PARTIAL"
        assert names(v.message, "5,000.00", "10,000.00", "order", "CancellationRequested")
        assert names(v.message, "unshipped", "DisputeOpened", "NOT_SHIPPED_ON_TIME")
        assert v.message.endswith("(DisputeOpened, NOT_SHIPPED_ON_TIME)")


class TestAClaimsRefusals:
    def test_after_the_claim_window_after_receipt(self) -> None:
        p = HELP_PAGES_ESCROW
        order = apply(shipped(p), ReceiptConfirmed(at=at(20)), p)
        late = DisputeOpened(at=at(50, hours=1), reason=R.DAMAGED, claim=usd(1), evidence=PHOTOS)
        v = refused(order, late, p)
        assert v.rule == "ESC-DISPUTE-COMPLETED"
        assert names(v.message, "PO-7", "2025-09-21", "2025-10-21T09:00:00+00:00")
        assert v.message.endswith(" (TMR-CLAIM-AFTER-RECEIPT)")
        last = DisputeOpened(at=at(50), reason=R.DAMAGED, claim=usd(1), evidence=PHOTOS)
        assert check(order, last, p) == ()

    def test_a_late_shipment_claim_before_the_ship_by(self) -> None:
        v = refused(paid(), DisputeOpened(at=at(30), reason=R.NOT_SHIPPED_ON_TIME, claim=usd(1)))
        assert v.rule == "TA-LATE-SHIPMENT"
        assert names(v.message, "PO-7", "2025-10-20", "a")
        assert "shipped on" not in v.message
        assert v.message.endswith(" final shipment")

    def test_a_late_shipment_claim_on_an_order_shipped_in_time(self) -> None:
        v = refused(shipped(), DisputeOpened(at=at(60), reason=R.NOT_SHIPPED_ON_TIME, claim=usd(1)))
        assert v.rule == "TA-LATE-SHIPMENT"
        assert names(v.message, "2025-10-20", "2025-09-11")

    @pytest.mark.parametrize(
        ("reason", "rule"), [(R.DAMAGED, "TA-INSPECTION"), (R.NOT_RECEIVED, "ESC-DISPUTE-OPEN")]
    )
    def test_a_claim_before_anything_shipped(self, reason: DisputeReason, rule: str) -> None:
        v = refused(paid(), DisputeOpened(at=at(30), reason=reason, claim=usd(1)))
        assert v.rule == rule
        assert names(v.message, "PO-7", "nothing", "them", "2025-10-20", "NOT_SHIPPED_ON_TIME")
        assert names(v.message, "goods", "inspection", "rejected")
        assert v.message.endswith(" can be opened")

    def test_goods_in_transit_name_what_to_do(self) -> None:
        p = attrs.evolve(DEFAULT_ESCROW, edition="in-transit", in_transit_days=5)
        claim = DisputeOpened(at=at(14), reason=R.NOT_RECEIVED, claim=usd(1_000))
        v = refused(shipped(p), claim, p)
        assert v.rule == "SHIP-IN-TRANSIT"
        assert names(v.message, "PO-7", "negotiate", "supplier", "that")

    def test_over_what_was_paid_through_the_checkout(self) -> None:
        order = replay(
            [
                placed(),
                ContractConfirmed(at=at(hours=2), by=Party.BUYER),
                PaymentReceived(
                    at=at(1), amount=usd(4_000), method=PaymentMethod.VISA, via_checkout=False
                ),
                PaymentReceived(at=at(1, 1), amount=usd(6_000), method=PaymentMethod.VISA),
                Shipped(at=at(10), value=usd(10_000), final=True),
            ]
        )
        claim = DisputeOpened(at=at(12), reason=R.DAMAGED, claim=usd(6_001), evidence=PHOTOS)
        v = refused(order, claim)
        assert v.rule == "TA-CHECKOUT-ONLY"
        assert names(v.message, "4,000.00", "6,000.00", "PO-7", "supplier", "ask", "it")


class TestAConfirmation:
    def test_of_a_contract_the_buyer_drafted_is_the_suppliers(self) -> None:
        order = place(placed(drafted_by=Party.BUYER))
        v = refused(order, ContractConfirmed(at=at(1), by=Party.BUYER))
        assert v.rule == "ESC-ORDER-ORIGIN"
        assert names(v.message, "PO-7", "buyer", "supplier")
