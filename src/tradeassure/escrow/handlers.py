"""One room per event type: how the escrow decides it, where it may happen, which
rule refuses it elsewhere, and how it reads in words.

Each event type has one :class:`EventSpec` in :data:`EVENT_SPECS`: its handler (which
applies the event to the fold's working copy or returns the violation that refuses
it), the rule ids the handler applies, its rows of the state machine (the statuses it
may happen in, where it can lead, and whether the order is ready for it), the rule
that refuses it where it has no row, a one-line description (timelines, notebooks) and
its figures in a few words (the CLI's replay table). :data:`TRANSITIONS`, the
out-of-turn refusals, the diagram, the views and the CLI are all read off these specs,
so adding an event type means its class in :mod:`tradeassure.escrow.events` and its
spec here (see ``docs/design.md``, "How to add an event type").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, final

import attrs

from tradeassure._checks import of_type
from tradeassure.errors import RuleViolation
from tradeassure.escrow._draft import (
    CONTRACT_PARTIES,
    PAID_BEFORE_RECEIPT,
    SHIPMENT_OWED,
    Draft,
    about_goods,
    account_missing,
    bare,
    cancel_now,
    claim_pool,
    closed,
    complete,
    coverage,
    days,
    goods_disputed,
    lead_time_start,
    mark,
    mismatch,
    other_party,
    outside_paid,
    outstanding,
    rejected,
    resume,
    ship_by_from,
    supplier_day,
    when,
    window_end,
    withdraw,
)
from tradeassure.escrow.events import (
    EVENT_TYPES,
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
    Event,
    EvidenceSubmitted,
    FeedbackLeft,
    InspectionReported,
    OrderPlaced,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    RefundIssued,
    Shipped,
    ShippingDateExtended,
    TimerExpired,
)
from tradeassure.escrow.order import (
    CancellationRequest,
    Dispute,
    Inspection,
    OrderStatus,
    _amended,
    _trusted,
)
from tradeassure.escrow.policy import EscrowPolicy
from tradeassure.escrow.timers import TIMER_TABLE, pending_timer
from tradeassure.money import Money
from tradeassure.rules import RULES
from tradeassure.shipping import calendar_for, extend, is_late
from tradeassure.terms import Party, PaymentMethod

__all__ = [
    "EVENT_SPECS",
    "PLACEMENT_RULES",
    "TRANSITIONS",
    "EventSpec",
    "Row",
    "Transition",
    "brief",
    "describe",
]

S = OrderStatus
#: T/T, looked up once: an enum member read off its class costs a metaclass call, and
#: every payment asks.
_TT: Final = PaymentMethod.TT
#: Where goods have left the supplier and only the buyer may ask to cancel.
_SHIPPED: Final = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED})
#: Each party alone, as a set of senders: built once, not on every confirmation.
_ALONE: Final[Mapping[Party, frozenset[Party]]] = MappingProxyType(
    {party: frozenset({party}) for party in Party}
)

#: A handler decides one event on a draft: None once it has applied it, or the
#: violation that refuses it (the draft then untouched).
Handler = Callable[[Draft, Event, EscrowPolicy], RuleViolation | None]
#: Whether an order, as it stands, can take an event type at all.
Ready = Callable[[Draft, EscrowPolicy], bool]
#: The rule that refuses an event in a status its type has no row for.
OutOfTurn = Callable[[Event, OrderStatus], str]
#: The parties that may send an event type to an order as it stands.
Senders = Callable[[Draft], frozenset[Party]]


def _always(d: Draft, p: EscrowPolicy) -> bool:
    return True


def _sent_by(*parties: Party) -> Senders:
    """Senders that do not depend on the order."""
    sent = frozenset(parties)
    return lambda d: sent


_BUYER: Final = _sent_by(Party.BUYER)
_SUPPLIER: Final = _sent_by(Party.SUPPLIER)
_PLATFORM: Final = _sent_by(Party.PLATFORM)
_PARTIES: Final = _sent_by(*CONTRACT_PARTIES)


@final
@attrs.frozen
class Row:
    """Where an event type may happen in one status.

    Attributes:
        targets: the statuses it can lead to (for docs and the diagram).
        ready: whether the order, as it stands, can take this event type at all (for
            :func:`~tradeassure.escrow.allowed_events`); the handler still judges the
            event itself.
    """

    targets: tuple[OrderStatus, ...]
    ready: Ready = _always


def _refused_by(rules: Mapping[OrderStatus, str]) -> OutOfTurn:
    """An out-of-turn rule read off a table: the status's rule, else ESC-STATES."""
    table = MappingProxyType(dict(rules))

    def out_of_turn(e: Event, status: OrderStatus) -> str:
        return table.get(status, "ESC-STATES")

    return out_of_turn


def _everywhere(rule: str) -> OutOfTurn:
    return _refused_by(dict.fromkeys(S, rule))


@final
@attrs.frozen
class EventSpec:
    """Everything the escrow knows about one event type.

    Attributes:
        event: the event class.
        handler: decides the event on the fold's working copy (None for ``OrderPlaced``,
            which starts an order: :func:`~tradeassure.escrow.place`). Internal: call
            :func:`~tradeassure.escrow.apply`.
        rules: the rule ids the handler applies (for docs and a replay's rule trace).
        rows: the statuses it may happen in, each with its :class:`Row`.
        out_of_turn: the rule that refuses it in a status it has no row for.
        describe: the event in one line of words, for timelines.
        brief: the event's own figures in a few words (``USD 100.00 by VISA``).
        senders: the parties that may send an event of this type to the order as it
            stands (for :func:`~tradeassure.escrow.allowed_moves`): for one naming its
            party in ``by``, those the handler accepts there (only the party that did not
            draft confirms). None send ``TimerExpired``: time passing is no party's move.
    """

    event: type[Event]
    handler: Handler | None
    rules: tuple[str, ...]
    rows: Mapping[OrderStatus, Row]
    out_of_turn: OutOfTurn
    describe: Callable[[Any], str]
    brief: Callable[[Any], str]
    senders: Senders


def _rows(
    statuses: Iterable[OrderStatus], targets: tuple[OrderStatus, ...], ready: Ready = _always
) -> dict[OrderStatus, Row]:
    return dict.fromkeys(statuses, Row(targets, ready))


def _by(e: Any) -> str:
    return f"by the {e.by.value}"


def _nothing(e: Any) -> str:
    return ""


# -- contract and payment -----------------------------------------------------------------


def _confirmer(d: Draft) -> frozenset[Party]:
    """ESC-ORDER-ORIGIN: the party that did not draft the contract."""
    return _ALONE[other_party(d.contract.drafted_by)]


def _confirm(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-ORDER-ORIGIN, SHIP-WINDOW: the party that did not draft the contract confirms
    it; the confirmation starts the lead time (by default), so the ship-by must lie
    within the window from it, or is counted from it for a lead time in working days."""
    assert isinstance(e, ContractConfirmed)
    drafter = d.contract.drafted_by
    if e.by not in _confirmer(d):
        return RuleViolation(
            "ESC-ORDER-ORIGIN",
            f"order {d.order_id} was drafted by the {drafter.value}; only the "
            f"{other_party(drafter).value} can confirm it",
        )
    if p.shipping.lead_time_start == "confirmation":
        ship_by = ship_by_from(d, e.at, p)
        if isinstance(ship_by, RuleViolation):
            return ship_by
        d.ship_by = ship_by
        d.timers_changed()
    d.status = S.AWAITING_PAYMENT
    d.milestones = mark(d.milestones, confirmed_at=e.at)
    return None


def _pay(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-PAY-AFTER-CONFIRM, ESC-DEPOSIT, TA-METHODS, TA-CHECKOUT-ONLY: a payment on a
    confirmed order, never over the total; money entering escrow comes by an accepted
    method, money paid outside the checkout goes straight to the supplier and is never
    held (so TA-METHODS does not judge it). The deposit may come in parts; once it is
    paid, the balance has until it falls due (the balance timer) instead of the payment
    timer."""
    assert isinstance(e, PaymentReceived)
    money = e.amount
    if money.currency != d.currency:  # bare(), inlined: payments are the commonest event
        raise mismatch(d, money, "the payment")
    amount = money.amount
    if e.via_checkout and e.method not in p.accepted_methods:
        accepted = ", ".join(sorted(m.name for m in p.accepted_methods))
        return RuleViolation(
            "TA-METHODS",
            f"{e.method.name} is not accepted for escrow under the {p.edition} policy; "
            f"pay by one of {accepted}",
        )
    total = d.total
    paid = d.paid + amount
    if paid > total:
        return RuleViolation(
            "ESC-DEPOSIT",
            f"a payment of {e.amount} would bring order {d.order_id} to {d.money(paid)}, over "
            f"its total {d.contract.total}; at most {d.money(total - d.paid)} is still due",
        )
    d.status = S.FUNDS_HELD if paid == total else S.PARTIALLY_PAID
    d.paid = paid
    deposit = d.contract.deposit
    if deposit is not None and d.deposit_paid is not (paid >= deposit.amount):
        d.deposit_paid = not d.deposit_paid
        d.timers_changed()  # the balance timer runs now, or the payment timer again
    if e.via_checkout:
        d.held += amount
        paid_by = d.escrow_paid_by
        d.escrow_paid_by = paid_by.set(e.method, paid_by.get(e.method, 0) + amount)
    else:
        d.released += amount
    return None


_METHOD_NAMES: Final[Mapping[PaymentMethod, str]] = MappingProxyType(
    {PaymentMethod.TT: "T/T", PaymentMethod.WECHAT_PAY: "WeChat Pay"}
)


def _method(method: PaymentMethod) -> str:
    return _METHOD_NAMES.get(method) or method.value.replace("_", " ").title()


def _ship_by_words(e: OrderPlaced) -> str:
    if e.ship_by is not None:
        return f"ship by {e.ship_by.isoformat()}"
    return f"ship within {e.lead_days} working days"


def _describe_placed(e: OrderPlaced) -> str:
    return (
        f"contract of {e.total} between {e.buyer} (buyer) and {e.supplier} (supplier), "
        f"drafted by the {e.drafted_by.value}; {_ship_by_words(e)}"
    )


def _describe_paid(e: PaymentReceived) -> str:
    where = "" if e.via_checkout else ", outside the checkout (not held in escrow)"
    return f"the buyer paid {e.amount} by {_method(e.method)}{where}"


# -- shipping and receipt -----------------------------------------------------------------


def _ship(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """SHIP-PARTIAL: shipments add up to the total at most; the one that completes the
    order is final, and a final one completes it. A short final shipment is refused
    rather than taken as the end of the order: money follows the goods, and a shortfall
    the supplier keeps is neither released (nothing shipped for it) nor silently
    refunded; the parties end the order short by agreement or by a claim."""
    assert isinstance(e, Shipped)
    value = e.value
    if value.currency != d.currency:  # bare(), inlined as in _pay
        raise mismatch(d, value, "the shipment's value")
    total = d.total
    shipped = d.shipped + value.amount
    if shipped > total:
        return RuleViolation(
            "SHIP-PARTIAL",
            f"a shipment worth {e.value} would bring order {d.order_id} to "
            f"{d.money(shipped)} shipped, over its total {d.contract.total}; at most "
            f"{d.money(total - d.shipped)} remains",
        )
    if e.final and shipped < total:
        return RuleViolation(
            "SHIP-PARTIAL",
            f"a final shipment completes order {d.order_id}, but it would bring it to "
            f"{d.money(shipped)} shipped of {d.contract.total}; ship the rest, or end the "
            "order short by agreement (CancellationRequested) or by a claim for the "
            "unshipped part (DisputeOpened, NOT_SHIPPED_ON_TIME)",
        )
    if not e.final:
        if shipped == total:
            return RuleViolation(
                "SHIP-PARTIAL",
                f"this shipment completes order {d.order_id} ({d.money(shipped)} of "
                f"{d.contract.total}); mark it final=True",
            )
        d.status = S.PARTIALLY_SHIPPED
        d.shipped = shipped
        return None
    d.status = S.SHIPPED
    d.shipped = shipped
    d.milestones = mark(d.milestones, final_shipped_at=e.at)
    return None


def _extend_ship_by(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """SHIP-EXTEND, TMR-SHIP-EXTEND-CAP, SHIP-LATE-REFUND: a later ship-by date both
    parties agree to, never past the cap, counted in the supplier's working days from the
    lead time's start (or the drafting, before it); agreed during an open late-shipment
    dispute, it ends the dispute without a refund and the order goes on."""
    assert isinstance(e, ShippingDateExtended)
    dispute = d.dispute
    if d.status is S.DISPUTED:
        assert dispute is not None
        if not _late_claim_open(d, p):
            return RuleViolation(
                "SHIP-EXTEND",
                f"order {d.order_id} is in a {dispute.reason.value.replace('_', ' ')} "
                "dispute; the ship-by moves during a dispute only to settle an open "
                "late-shipment claim on goods still to ship (SHIP-LATE-REFUND)",
            )
    started = lead_time_start(d, p)
    if not _may_extend(d, p):
        return RuleViolation(
            "SHIP-EXTEND",
            f"order {d.order_id} gives its lead time in working days, so its ship-by is "
            "counted when the contract is confirmed; extend it after that",
        )
    try:
        new_date = extend(d.ship_by, e.new_ship_by, e.buyer_agrees, e.supplier_agrees)
    except RuleViolation as refusal:
        return refusal
    start = supplier_day(d, started or d.contract.placed_at)
    # Before the lead time starts, a ship-by stays within SHIP-WINDOW of the drafting, so
    # that the confirmation can still find it within the window.
    cap_days = p.shipping.ship_extend_cap_days if started else p.shipping.max_lead_days
    cap = calendar_for(d.contract.supplier_country).add_working_days(start, cap_days)
    if new_date > cap:
        return RuleViolation(
            "TMR-SHIP-EXTEND-CAP",
            f"ship-by {new_date} is more than {cap_days} working days after {start}, "
            f"where order {d.order_id}'s lead time starts; the latest ship-by it can have "
            f"is {cap}",
        )
    d.ship_by = new_date
    d.timers_changed()  # the balance timer counts from the ship-by
    if d.status is S.DISPUTED:
        # SHIP-LATE-REFUND: the buyer took a new date instead of a refund; the order goes on.
        assert dispute is not None
        d.dispute = _amended(
            dispute, refund=d.money(d.zero), resolved_at=e.at, resolved_by=Party.BUYER
        )
        d.status = dispute.prior_status
    return None


def _may_extend(d: Draft, p: EscrowPolicy) -> bool:
    """A contract that gives its lead time in working days gets its ship-by at the lead
    time's start, and may extend it only after that."""
    return d.contract.lead_days is None or lead_time_start(d, p) is not None


def _confirm_receipt(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-RELEASE: with the whole order shipped, the buyer's confirmation releases the
    hold to the supplier and completes the order."""
    complete(d, e)
    return None


def _extenders(d: Draft) -> frozenset[Party]:
    """TMR-RECEIPT-EXTEND: the contract parties that have not extended yet."""
    return CONTRACT_PARTIES - d.milestones.receipt_extended_by


def _extend_receipt(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TMR-RECEIPT-EXTEND: each party may push the automatic completion back once, within
    the policy's total."""
    assert isinstance(e, ReceiptDeadlineExtended)
    m = d.milestones
    if e.by not in CONTRACT_PARTIES:
        return RuleViolation(
            "TMR-RECEIPT-EXTEND", "only the buyer or the supplier can extend the receipt deadline"
        )
    if e.by not in _extenders(d):
        return RuleViolation(
            "TMR-RECEIPT-EXTEND",
            f"the {e.by.value} already extended the receipt deadline of order {d.order_id}; "
            "each party may extend it once",
        )
    if (len(m.receipt_extended_by) + 1) * p.receipt_extension_days > p.receipt_extension_max_days:
        return RuleViolation(
            "TMR-RECEIPT-EXTEND",
            f"extensions may add at most {p.receipt_extension_max_days} days in all",
        )
    d.milestones = mark(m, receipt_extended_by=m.receipt_extended_by | {e.by})
    return None


def _extension_left(d: Draft, p: EscrowPolicy) -> bool:
    extended = d.milestones.receipt_extended_by
    room = (len(extended) + 1) * p.receipt_extension_days <= p.receipt_extension_max_days
    return len(extended) < len(CONTRACT_PARTIES) and room


def _feedback(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-FEEDBACK: after confirming receipt the buyer may leave feedback, once."""
    assert isinstance(e, FeedbackLeft)
    m = d.milestones
    if m.feedback is not None:
        return RuleViolation(
            "ESC-FEEDBACK", f"feedback on order {d.order_id} was already left; it is left once"
        )
    d.milestones = mark(m, feedback=e.rating)
    return None


def _no_feedback(d: Draft, p: EscrowPolicy) -> bool:
    return d.milestones.feedback is None


def _describe_feedback(e: FeedbackLeft) -> str:
    return f"the buyer left {e.rating} of 5 stars" + (f": {e.comment}" if e.comment else "")


# -- cancellation -------------------------------------------------------------------------


def _cancel_askers(d: Draft) -> frozenset[Party]:
    """ESC-CANCEL-SHIPPED: either contract party, but only the buyer once goods shipped."""
    return _ALONE[Party.BUYER] if d.status in _SHIPPED else CONTRACT_PARTIES


def _request_cancel(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-CANCEL-SHIPPED: either party cancels an unpaid order at once; a paid order
    needs the other's agreement, and after shipment only the buyer may ask."""
    assert isinstance(e, CancellationRequested)
    if e.by not in CONTRACT_PARTIES:
        return RuleViolation(
            "ESC-CANCEL-SHIPPED", "a cancellation is requested by the buyer or the supplier"
        )
    if d.status in (S.AWAITING_CONFIRMATION, S.AWAITING_PAYMENT):
        cancel_now(d, e)
        return None
    if e.by not in _cancel_askers(d):
        return RuleViolation(
            "ESC-CANCEL-SHIPPED",
            f"order {d.order_id} has shipped; only the buyer can ask to cancel it now",
        )
    d.cancellation = _trusted(CancellationRequest)(by=e.by, at=e.at, prior_status=d.status)
    d.status = S.CANCELLATION_REQUESTED
    return None


def _cancel_answerer(d: Draft) -> frozenset[Party]:
    """ESC-CANCEL-SHIPPED: the party that did not ask to cancel."""
    return CONTRACT_PARTIES if d.cancellation is None else _ALONE[other_party(d.cancellation.by)]


def _cancel_asker(d: Draft) -> frozenset[Party]:
    """ESC-CANCEL-SHIPPED: the party that asked to cancel."""
    return CONTRACT_PARTIES if d.cancellation is None else _ALONE[d.cancellation.by]


def _answer_cancel(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-CANCEL-SHIPPED: the party that did not ask agrees (the hold goes back to the
    buyer) or declines (the order goes on where it was, its clocks resumed)."""
    assert isinstance(e, CancellationAgreed | CancellationDeclined)
    request = d.cancellation
    assert request is not None
    expected = other_party(request.by)
    if e.by not in _cancel_answerer(d):
        return RuleViolation(
            "ESC-CANCEL-SHIPPED",
            f"the {request.by.value} asked to cancel order {d.order_id}; only the "
            f"{expected.value} can answer",
        )
    if isinstance(e, CancellationDeclined):
        resume(d, e)
    else:
        cancel_now(d, e)
    return None


def _withdraw_cancel(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-CANCEL-SHIPPED: the party that asked to cancel withdraws its request; the
    order goes on where it was, its clocks resumed."""
    assert isinstance(e, CancellationWithdrawn)
    request = d.cancellation
    assert request is not None
    if e.by not in _cancel_asker(d):
        return RuleViolation(
            "ESC-CANCEL-SHIPPED",
            f"the {request.by.value} asked to cancel order {d.order_id}; only the "
            f"{request.by.value} can withdraw the request",
        )
    resume(d, e)
    return None


# -- disputes and refunds -----------------------------------------------------------------


def _open_dispute(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-DISPUTE-OPEN, ESC-DISPUTE-COMPLETED, TA-LATE-SHIPMENT, TA-INSPECTION,
    SHIP-IN-TRANSIT, TMR-CLAIM-AFTER-RECEIPT, TA-CHECKOUT-ONLY: who may dispute what,
    and for how much (a claim about shipped goods at most what is held for them); a
    claim about goods before any shipped needs an inspection that rejected them. The
    supplier's window, the evidence deadline and the escalation run from the opening,
    and the evidence may follow the claim."""
    assert isinstance(e, DisputeOpened)
    claim = bare(d, e.claim, "the claim")
    reason = e.reason
    owed = outstanding(d)
    if owed:
        return RuleViolation(
            "ESC-DISPUTE-OPEN",
            f"the refund of {d.money(owed)} decided on order {d.order_id} is still to be "
            "paid out (RefundIssued); a new dispute waits for it",
        )
    after_receipt = d.status is S.COMPLETED
    if after_receipt:
        completed = d.milestones.completed_at
        assert completed is not None
        window = p.claim_after_receipt_days
        if window == 0 or goods_disputed(d) or not reason.concerns_goods:
            return RuleViolation(
                "ESC-DISPUTE-COMPLETED",
                f"order {d.order_id} was completed on {supplier_day(d, completed)}; a "
                "completed order cannot be disputed",
            )
        if e.at > completed + days(window):
            return RuleViolation(
                "ESC-DISPUTE-COMPLETED",
                f"order {d.order_id} was completed on {supplier_day(d, completed)}; claims "
                f"about the goods were open until {when(completed + days(window))} "
                "(TMR-CLAIM-AFTER-RECEIPT)",
            )
    if reason is DisputeReason.NOT_SHIPPED_ON_TIME:
        final_at = d.milestones.final_shipped_at
        shipped_on = None if final_at is None else supplier_day(d, final_at)
        if not is_late(d.ship_by, shipped_on, supplier_day(d, e.at)):
            return RuleViolation(
                "TA-LATE-SHIPMENT",
                f"order {d.order_id} is due to ship by {d.ship_by}"
                + ("" if shipped_on is None else f" and shipped on {shipped_on}")
                + "; a late-shipment dispute needs that date to have passed without a final "
                "shipment",
            )
    elif not d.shipped and not (reason.concerns_goods and rejected(d)):
        return RuleViolation(
            "TA-INSPECTION" if reason.concerns_goods else "ESC-DISPUTE-OPEN",
            f"nothing of order {d.order_id} has shipped, so there is nothing to receive; "
            "a claim about the goods before shipment follows an inspection that rejected "
            f"them, and after ship-by {d.ship_by} a NOT_SHIPPED_ON_TIME dispute can be "
            "opened",
        )
    elif (
        reason is DisputeReason.NOT_RECEIVED
        and (arrives := _in_transit_until(d, p)) is not None
        and e.at < arrives
    ):
        return RuleViolation(
            "SHIP-IN-TRANSIT",
            f"the goods of order {d.order_id} are in transit until {when(arrives)}; "
            "negotiate a longer delivery with the supplier, or claim non-receipt after that",
        )
    dispute = _trusted(Dispute)(
        reason=reason,
        claim=e.claim,
        evidence=e.evidence,
        opened_at=e.at,
        after_receipt=after_receipt,
        prior_status=d.status,
    )
    pool = claim_pool(d, dispute)
    if claim > pool:
        outside = outside_paid(d)
        if outside and not after_receipt:
            return RuleViolation(
                "TA-CHECKOUT-ONLY",
                f"{d.money(outside)} of order {d.order_id} was paid straight to the "
                "supplier, outside the checkout, and is not protected; a claim can ask "
                f"for at most the {d.money(pool)} held in escrow for it",
            )
        return RuleViolation(
            "ESC-CONSERVATION",
            f"the claim of {e.claim} exceeds the {d.money(pool)} that a refund on order "
            f"{d.order_id} can come from; claim at most {d.money(pool)}",
        )
    d.status = S.DISPUTED
    d.dispute = dispute
    return None


def _in_transit_until(d: Draft, p: EscrowPolicy) -> datetime | None:
    """SHIP-IN-TRANSIT: until when the latest shipment counts as in transit, or None
    when the policy gives no transit period."""
    if not p.in_transit_days:
        return None
    history = d.history
    for i in range(len(history) - 1, -1, -1):
        e = history[i]
        if type(e) is Shipped:
            return e.at + days(p.in_transit_days)
    return None


def _claim_open(d: Draft, p: EscrowPolicy) -> bool:
    return p.claim_after_receipt_days > 0 and not goods_disputed(d) and not outstanding(d)


def _no_refund_owed(d: Draft, p: EscrowPolicy) -> bool:
    return not outstanding(d)


def _pieces(items: tuple[str, ...]) -> str:
    return f"{len(items)} piece{'' if len(items) == 1 else 's'} of evidence"


def _describe_dispute(e: DisputeOpened) -> str:
    return (
        f"the buyer opened a dispute ({e.reason.value.replace('_', ' ')}) claiming {e.claim}, "
        f"with {_pieces(e.evidence)}"
    )


def _submit_evidence(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-EVIDENCE, TMR-EVIDENCE: the buyer's evidence backs the open claim (and stops
    its evidence deadline), the supplier's answers it; the platform's own findings come
    as inspection reports."""
    assert isinstance(e, EvidenceSubmitted)
    dispute = _open_dispute_of(d)
    if isinstance(dispute, RuleViolation):
        return dispute
    if e.by is Party.BUYER:
        d.dispute = _amended(dispute, evidence=dispute.evidence + e.items)
    elif e.by is Party.SUPPLIER:
        d.dispute = _amended(dispute, supplier_evidence=dispute.supplier_evidence + e.items)
    else:
        return RuleViolation(
            "TA-EVIDENCE",
            "evidence comes from the buyer or the supplier; the platform's findings come "
            "as an InspectionReported",
        )
    return None


def _escalate_dispute(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TMR-SUPPLIER-RESPONSE: the supplier answers first; once its window has passed
    the buyer may take the dispute to the platform (automatic later)."""
    dispute = _open_dispute_of(d)
    if isinstance(dispute, RuleViolation):
        return dispute
    if dispute.escalated_at is not None:
        return RuleViolation(
            "TMR-SUPPLIER-RESPONSE",
            f"the dispute on order {d.order_id} went to the platform at "
            f"{when(dispute.escalated_at)}; it escalates once",
        )
    end = window_end(dispute, p)
    if e.at <= end:
        return RuleViolation(
            "TMR-SUPPLIER-RESPONSE",
            f"the supplier has until {when(end)} to answer the dispute on order "
            f"{d.order_id}; the buyer may escalate it after that",
        )
    d.dispute = _amended(dispute, escalated_at=e.at)
    return None


def _not_escalated(d: Draft, p: EscrowPolicy) -> bool:
    return _undecided(d, p) and d.dispute is not None and d.dispute.escalated_at is None


def _withdraw_dispute(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-DISPUTE-OPEN: the buyer withdraws the open claim; nothing is decided, and the
    order goes on where it was (its clocks counted on meanwhile)."""
    dispute = _open_dispute_of(d)
    if isinstance(dispute, RuleViolation):
        return dispute
    withdraw(d, e)
    return None


def _inspect(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-INSPECTION: record the report, the latest of which decides a claim about the
    goods; one that rejects the goods is evidence for the claim."""
    assert isinstance(e, InspectionReported)
    if d.status is S.DISPUTED:
        dispute = _open_dispute_of(d)
        if isinstance(dispute, RuleViolation):
            return dispute
    d.inspection = _trusted(Inspection)(passed=e.passed, at=e.at, report=e.report)
    return None


def _describe_inspection(e: InspectionReported) -> str:
    verdict = "passed" if e.passed else "rejected"
    return f"the inspection {verdict} the goods" + (f": {e.report}" if e.report else "")


def _decided(d: Draft, dispute: Dispute) -> RuleViolation:
    assert dispute.resolved_at is not None
    return RuleViolation(
        "ESC-PARTIAL-RELEASE",
        f"the dispute on order {d.order_id} was decided at {when(dispute.resolved_at)}; a "
        "hold resolves once",
    )


def _open_dispute_of(d: Draft) -> Dispute | RuleViolation:
    """The open dispute of a disputed order; a decided one, waiting for its payout,
    takes nothing more (ESC-PARTIAL-RELEASE)."""
    dispute = d.dispute
    assert dispute is not None
    return dispute if dispute.is_open else _decided(d, dispute)


def _dispute_to_decide(d: Draft, refund: Money) -> Dispute | RuleViolation:
    """The open dispute an outcome would decide: a decided one resolves no more
    (ESC-PARTIAL-RELEASE); a refund in another currency is malformed."""
    dispute = d.dispute
    assert dispute is not None
    if dispute.refund is not None:
        return _decided(d, dispute)
    bare(d, refund, "the refund")
    return dispute


def _undecided(d: Draft, p: EscrowPolicy) -> bool:
    return d.dispute is not None and d.dispute.is_open


def _settle(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-PARTIAL-RELEASE: the parties may settle at any time until the platform rules,
    in the supplier's window or while the platform decides (a settlement then ends the
    determination)."""
    assert isinstance(e, DisputeSettled)
    dispute = _dispute_to_decide(d, e.refund)
    if isinstance(dispute, RuleViolation):
        return dispute
    return _resolve(d, e, dispute, e.refund, Party.SUPPLIER)


def _rule(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-RULING-WITHIN-CLAIM, TA-SUPPLIER-15-DAYS, TA-INSPECTION, TA-EVIDENCE,
    TA-SPEC-QUANTIFIABLE, TA-NO-BUYER-WHIM and the coverage rules: the platform rules
    once the supplier's window has passed, on the evidence, never refunding more than
    the claim or than protection covers. On a claim about the goods the latest
    inspection report decides: one that passed them refunds nothing (and may be ruled
    on at once); without a report, a refund needs the buyer's evidence, and for a
    quality claim a contract with measurable specifications."""
    assert isinstance(e, PlatformRuled)
    dispute = _dispute_to_decide(d, e.refund)
    if isinstance(dispute, RuleViolation):
        return dispute
    refund = e.refund.amount
    if refund > dispute.claim.amount:
        return RuleViolation(
            "TA-RULING-WITHIN-CLAIM",
            f"the buyer claimed {dispute.claim} on order {d.order_id}; the platform refunds "
            "at most the claim",
        )
    goods = dispute.reason.concerns_goods
    inspection = d.inspection if goods else None
    if inspection is not None and inspection.passed:
        if refund:
            rule = "TA-NO-BUYER-WHIM" if d.contract.specifications else "TA-SPEC-QUANTIFIABLE"
            return RuleViolation(
                rule,
                f"the latest inspection, of {supplier_day(d, inspection.at)}, passed the goods "
                f"of order {d.order_id}; the platform refunds nothing on the buyer's word alone",
            )
    elif e.at <= (end := window_end(dispute, p)):
        return RuleViolation(
            "TA-SUPPLIER-15-DAYS",
            f"the supplier has until {when(end)} to resolve the dispute on order {d.order_id}; "
            "the platform may rule after that",
        )
    elif goods and refund and inspection is None:
        if not dispute.evidence:
            return RuleViolation(
                "TA-EVIDENCE",
                f"the claim on order {d.order_id} carries no evidence and no inspection "
                "report; the platform refunds on evidence (EvidenceSubmitted)",
            )
        if dispute.reason is DisputeReason.QUALITY_MISMATCH and not d.contract.specifications:
            return RuleViolation(
                "TA-SPEC-QUANTIFIABLE",
                f"the contract of order {d.order_id} gives no measurable specifications, so "
                "a quality claim is upheld on an inspection report, not on the buyer's "
                "evidence alone",
            )
    pool = claim_pool(d, dispute)
    if refund > pool:
        return _beyond_pool(d, e.refund, pool)
    covered, binding = coverage(d, p, pool)
    if refund > covered:
        assert binding is not None  # covered falls short of the pool only under a rule
        return RuleViolation(
            binding,
            f"protection covers {d.money(covered)} of order {d.order_id}; the platform can "
            "refund at most that",
        )
    return _resolve(d, e, dispute, e.refund, Party.PLATFORM)


def _beyond_pool(d: Draft, refund: Money, pool: Decimal) -> RuleViolation:
    return RuleViolation(
        "ESC-CONSERVATION",
        f"a refund of {refund} exceeds the {d.money(pool)} it can come from on order "
        f"{d.order_id}; at most {d.money(pool)} can be refunded",
    )


def _resolve(
    d: Draft, e: Event, dispute: Dispute, refund: Money, by: Party
) -> RuleViolation | None:
    """ESC-PARTIAL-RELEASE, ESC-RELEASE: the dispute resolves once, and money follows the
    goods. After receipt, the refund comes back out of the released money. On a fully
    shipped order the outcome is the goods' acceptance: what is not refunded is
    released. Before full shipment nothing is released: the refund is decided, and the
    order goes on where it was (its unshipped value still held, its shipment still due),
    unless the refund takes the whole remaining hold, which ends the order. A
    late-shipment outcome is about the date, not the goods: it never releases, and a
    fully shipped order goes on to its receipt."""
    amount = refund.amount
    pool = claim_pool(d, dispute)
    if amount > pool:
        return _beyond_pool(d, refund, pool)
    decided = _amended(dispute, refund=refund, resolved_at=e.at, resolved_by=by)
    if about_goods(dispute):
        # The goods have had their dispute, whatever dispute comes after (ESC-PARTIAL-RELEASE).
        d.milestones = mark(d.milestones, goods_decided_at=e.at)
    if dispute.after_receipt:
        d.released, d.held = d.released - amount, d.held + amount
        ends_now = not amount
    elif (
        dispute.prior_status is S.SHIPPED
        and dispute.reason is not DisputeReason.NOT_SHIPPED_ON_TIME
    ):
        # An outcome about the goods of a fully shipped order is their acceptance.
        d.released, d.held = d.released + d.held - amount, amount
        ends_now = not amount
    elif amount == d.held:
        ends_now = False  # the whole hold goes back: the order ends once it is paid out
    else:
        d.dispute = decided
        d.status = dispute.prior_status
        return None
    d.dispute = decided
    if ends_now:
        m = d.milestones
        d.status = S.COMPLETED
        d.milestones = mark(m, completed_at=m.completed_at or e.at)
    else:
        d.status = S.DISPUTED
    return None


def _issue_refund(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-REFUND-WINDOW, ESC-CONSERVATION: pay out the decided refund (or what a
    cancelled order still holds), never more than is still to pay out, with bank
    details for a T/T payment. An order that ends with the refund is refunded once
    nothing is held; one that goes on stays where it is."""
    assert isinstance(e, RefundIssued)
    if d.status is S.CANCELLED and not d.held:
        return closed(d)
    dispute = d.dispute
    if d.status is not S.CANCELLED and (dispute is None or dispute.refund is None):
        return RuleViolation(
            "ESC-PARTIAL-RELEASE",
            f"no refund has been decided on order {d.order_id}; the parties settle or the "
            "platform rules first",
        )
    amount = bare(d, e.amount, "the refund")
    owed = outstanding(d)
    if amount > owed:
        return RuleViolation(
            "ESC-CONSERVATION",
            f"a refund of {e.amount} exceeds the {d.money(owed)} decided and still to pay "
            f"out on order {d.order_id}",
        )
    if e.bank_account is None and account_missing(d):
        return RuleViolation(
            "ESC-REFUND-WINDOW",
            f"order {d.order_id} was paid by T/T; the refund needs the buyer's T/T bank "
            "account details (bank_account here, or a BankAccountProvided before)",
        )
    d.held -= amount
    d.refunded += amount
    if d.status is S.CANCELLED:
        if not d.held and dispute is not None and dispute.refund is not None:
            d.dispute = _amended(dispute, refund_issued=dispute.refund)
    else:
        assert dispute is not None
        assert dispute.refund is not None
        issued = amount if dispute.refund_issued is None else dispute.refund_issued.amount + amount
        d.dispute = _amended(dispute, refund_issued=d.money(issued))
        if d.status is S.DISPUTED and not d.held:
            d.status = S.REFUNDED
    d.milestones = mark(d.milestones, refund_issued_at=e.at)
    return None


def _refund_due(d: Draft, p: EscrowPolicy) -> bool:
    return bool(outstanding(d))


def _late_claim_open(d: Draft, p: EscrowPolicy) -> bool:
    """An open late-shipment dispute on goods still to ship: a new date may settle it."""
    dispute = d.dispute
    return (
        dispute is not None
        and dispute.refund is None
        and dispute.reason is DisputeReason.NOT_SHIPPED_ON_TIME
        and dispute.prior_status in _PAID_UNSHIPPED
    )


def _record_account(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-REFUND-WINDOW: the buyer's bank account for refunds of T/T money is
    recorded."""
    assert isinstance(e, BankAccountProvided)
    if d.status is S.CANCELLED and not d.held:
        return closed(d)
    if not d.held:
        return RuleViolation(
            "ESC-REFUND-WINDOW",
            f"order {d.order_id} holds nothing that could be refunded; the account is "
            "recorded while escrow holds the buyer's money",
        )
    d.bank_account = e.account
    return None


def _holds_money(d: Draft, p: EscrowPolicy) -> bool:
    return bool(d.held)


# -- timers -------------------------------------------------------------------------------


def _expire(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TMR-CONFIRM, TMR-PAY, TMR-BALANCE (cancel, returning the hold),
    TMR-AUTO-COMPLETE (complete and release), TMR-SUPPLIER-RESPONSE (escalate),
    TMR-CANCEL-LAPSE (the request lapses as declined, the order resumes),
    TMR-EVIDENCE (a claim without evidence is withdrawn, the order goes on): a timer
    fires only in its status and only once due (the timer table:
    :mod:`tradeassure.escrow.timers`)."""
    assert isinstance(e, TimerExpired)
    pending = pending_timer(d, p)
    if pending is None or pending[0].id != e.timer:
        return RuleViolation(
            e.timer, f"{e.timer} does not run while order {d.order_id} is {d.status.label}"
        )
    timer, due = pending
    if e.at < due:
        return RuleViolation(
            e.timer, f"{e.timer} on order {d.order_id} is not due until {when(due)}"
        )
    timer.fire(d, e)
    return None


def _timer_pending(d: Draft, p: EscrowPolicy) -> bool:
    return pending_timer(d, p) is not None


def _timer_out_of_turn(e: Event, status: OrderStatus) -> str:
    assert isinstance(e, TimerExpired)
    return e.timer


# -- the specs ----------------------------------------------------------------------------

_PRE_SHIPMENT: Final = (
    S.AWAITING_CONFIRMATION,
    S.AWAITING_PAYMENT,
    S.PARTIALLY_PAID,
    S.FUNDS_HELD,
    S.PARTIALLY_SHIPPED,
)
_PAID_UNSHIPPED_OR_SHIPPED: Final = PAID_BEFORE_RECEIPT
#: Where an order goes back to when a dispute is decided before full shipment.
_PAID_UNSHIPPED: Final = SHIPMENT_OWED
#: Where an outcome can lead: the refund waits for its payout, the order completes, or
#: it goes back to where it was when the dispute opened.
_OUTCOME_TARGETS: Final = (S.DISPUTED, S.COMPLETED, *PAID_BEFORE_RECEIPT)
#: Where an order may be going on with a decided refund still to pay out.
_GOING_ON: Final = (*_PAID_UNSHIPPED_OR_SHIPPED, S.COMPLETED, S.CANCELLATION_REQUESTED)
_DISPUTE_RULES: Final = (
    "ESC-DISPUTE-OPEN",
    "ESC-DISPUTE-COMPLETED",
    "TA-LATE-SHIPMENT",
    "TMR-CLAIM-AFTER-RECEIPT",
    "TA-INSPECTION",
    "ESC-CONSERVATION",
    "TA-CHECKOUT-ONLY",
    "SHIP-IN-TRANSIT",
)
_RULING_RULES: Final = (
    "TA-RULING-WITHIN-CLAIM",
    "TA-SUPPLIER-15-DAYS",
    "TA-INSPECTION",
    "TA-EVIDENCE",
    "TA-SPEC-QUANTIFIABLE",
    "TA-NO-BUYER-WHIM",
    "TA-SUPPLIER",
    "TA-MIN-ORDER",
    "TA-METHODS",
    "TA-CHECKOUT-ONLY",
    "TA-LIMIT",
    "ESC-PARTIAL-RELEASE",
    "ESC-CONSERVATION",
)

#: The rules that judge an order's first event (:func:`~tradeassure.escrow.place`).
PLACEMENT_RULES: Final = ("ESC-ORDER-ORIGIN", "ESC-CONTRACT-SCOPE")

_SPECS: Final = (
    EventSpec(
        event=OrderPlaced,
        handler=None,
        rules=PLACEMENT_RULES,
        rows={},
        out_of_turn=_everywhere("ESC-ORDER-ORIGIN"),
        describe=_describe_placed,
        brief=lambda e: f"{e.total}, {_ship_by_words(e)}",
        senders=_PARTIES,
    ),
    EventSpec(
        event=ContractConfirmed,
        handler=_confirm,
        rules=("ESC-ORDER-ORIGIN", "SHIP-WINDOW"),
        rows=_rows((S.AWAITING_CONFIRMATION,), (S.AWAITING_PAYMENT,)),
        out_of_turn=_everywhere("ESC-ORDER-ORIGIN"),
        describe=lambda e: f"the {e.by.value} confirmed the contract",
        brief=_by,
        senders=_confirmer,
    ),
    EventSpec(
        event=PaymentReceived,
        handler=_pay,
        rules=("ESC-PAY-AFTER-CONFIRM", "ESC-DEPOSIT", "TA-METHODS", "TA-CHECKOUT-ONLY"),
        rows=_rows((S.AWAITING_PAYMENT, S.PARTIALLY_PAID), (S.PARTIALLY_PAID, S.FUNDS_HELD)),
        out_of_turn=_refused_by(
            {
                S.AWAITING_CONFIRMATION: "ESC-PAY-AFTER-CONFIRM",
                **dict.fromkeys((S.FUNDS_HELD, S.PARTIALLY_SHIPPED, S.SHIPPED), "ESC-DEPOSIT"),
            }
        ),
        describe=_describe_paid,
        brief=lambda e: f"{e.amount} by {e.method.name}",
        senders=_BUYER,
    ),
    EventSpec(
        event=Shipped,
        handler=_ship,
        rules=("SHIP-PARTIAL",),
        rows=_rows((S.FUNDS_HELD, S.PARTIALLY_SHIPPED), (S.PARTIALLY_SHIPPED, S.SHIPPED)),
        out_of_turn=_refused_by(
            {
                S.AWAITING_CONFIRMATION: "ESC-HOLD",
                S.AWAITING_PAYMENT: "ESC-HOLD",
                S.PARTIALLY_PAID: "ESC-DEPOSIT",
                S.SHIPPED: "SHIP-PARTIAL",
            }
        ),
        describe=lambda e: (
            f"the supplier shipped goods worth {e.value} "
            f"({'final' if e.final else 'partial'} shipment)"
        ),
        brief=lambda e: f"{e.value}{' (final)' if e.final else ''}",
        senders=_SUPPLIER,
    ),
    EventSpec(
        event=ShippingDateExtended,
        handler=_extend_ship_by,
        rules=("SHIP-EXTEND", "TMR-SHIP-EXTEND-CAP", "SHIP-LATE-REFUND"),
        rows={
            **{status: Row((status,), _may_extend) for status in _PRE_SHIPMENT},
            S.DISPUTED: Row(_PAID_UNSHIPPED, _late_claim_open),
        },
        out_of_turn=_refused_by({S.SHIPPED: "SHIP-EXTEND"}),
        describe=lambda e: f"ship-by date moved to {e.new_ship_by.isoformat()}",
        brief=lambda e: f"to {e.new_ship_by.isoformat()}",
        senders=_PARTIES,
    ),
    EventSpec(
        event=ReceiptConfirmed,
        handler=_confirm_receipt,
        rules=("ESC-RELEASE",),
        rows=_rows((S.SHIPPED,), (S.COMPLETED,)),
        out_of_turn=_refused_by(
            dict.fromkeys((*_PRE_SHIPMENT, S.CANCELLATION_REQUESTED, S.DISPUTED), "ESC-RELEASE")
        ),
        describe=lambda e: "the buyer confirmed receipt",
        brief=_nothing,
        senders=_BUYER,
    ),
    EventSpec(
        event=ReceiptDeadlineExtended,
        handler=_extend_receipt,
        rules=("TMR-RECEIPT-EXTEND",),
        rows=_rows((S.SHIPPED,), (S.SHIPPED,), _extension_left),
        out_of_turn=_everywhere("TMR-RECEIPT-EXTEND"),
        describe=lambda e: f"the {e.by.value} extended the receipt deadline",
        brief=_by,
        senders=_extenders,
    ),
    EventSpec(
        event=FeedbackLeft,
        handler=_feedback,
        rules=("ESC-FEEDBACK",),
        rows=_rows((S.COMPLETED,), (S.COMPLETED,), _no_feedback),
        out_of_turn=_everywhere("ESC-FEEDBACK"),
        describe=_describe_feedback,
        brief=lambda e: f"{e.rating} of 5",
        senders=_BUYER,
    ),
    EventSpec(
        event=CancellationRequested,
        handler=_request_cancel,
        rules=("ESC-CANCEL-SHIPPED",),
        rows={
            **_rows((S.AWAITING_CONFIRMATION, S.AWAITING_PAYMENT), (S.CANCELLED,)),
            **_rows(_PAID_UNSHIPPED_OR_SHIPPED, (S.CANCELLATION_REQUESTED,)),
        },
        out_of_turn=_refused_by({}),
        describe=lambda e: f"the {e.by.value} asked to cancel",
        brief=_by,
        senders=_cancel_askers,
    ),
    EventSpec(
        event=CancellationAgreed,
        handler=_answer_cancel,
        rules=("ESC-CANCEL-SHIPPED",),
        rows=_rows((S.CANCELLATION_REQUESTED,), (S.CANCELLED,)),
        out_of_turn=_everywhere("ESC-CANCEL-SHIPPED"),
        describe=lambda e: f"the {e.by.value} agreed to cancel",
        brief=_by,
        senders=_cancel_answerer,
    ),
    EventSpec(
        event=CancellationDeclined,
        handler=_answer_cancel,
        rules=("ESC-CANCEL-SHIPPED",),
        rows=_rows((S.CANCELLATION_REQUESTED,), _PAID_UNSHIPPED_OR_SHIPPED),
        out_of_turn=_everywhere("ESC-CANCEL-SHIPPED"),
        describe=lambda e: f"the {e.by.value} declined to cancel",
        brief=_by,
        senders=_cancel_answerer,
    ),
    EventSpec(
        event=CancellationWithdrawn,
        handler=_withdraw_cancel,
        rules=("ESC-CANCEL-SHIPPED",),
        rows=_rows((S.CANCELLATION_REQUESTED,), _PAID_UNSHIPPED_OR_SHIPPED),
        out_of_turn=_everywhere("ESC-CANCEL-SHIPPED"),
        describe=lambda e: f"the {e.by.value} withdrew the cancellation request",
        brief=_by,
        senders=_cancel_asker,
    ),
    EventSpec(
        event=DisputeOpened,
        handler=_open_dispute,
        rules=_DISPUTE_RULES,
        rows={
            **_rows(_PAID_UNSHIPPED_OR_SHIPPED, (S.DISPUTED,), _no_refund_owed),
            **_rows((S.COMPLETED,), (S.DISPUTED,), _claim_open),
        },
        out_of_turn=_refused_by(
            dict.fromkeys(
                (S.AWAITING_CONFIRMATION, S.AWAITING_PAYMENT, S.DISPUTED), "ESC-DISPUTE-OPEN"
            )
        ),
        describe=_describe_dispute,
        brief=lambda e: f"{e.reason.name}, claim {e.claim}",
        senders=_BUYER,
    ),
    EventSpec(
        event=EvidenceSubmitted,
        handler=_submit_evidence,
        rules=("TA-EVIDENCE", "TMR-EVIDENCE"),
        rows=_rows((S.DISPUTED,), (S.DISPUTED,), _undecided),
        out_of_turn=_everywhere("TA-EVIDENCE"),
        describe=lambda e: f"the {e.by.value} submitted {_pieces(e.items)}",
        brief=lambda e: f"{_by(e)}, {len(e.items)} item{'' if len(e.items) == 1 else 's'}",
        senders=_PARTIES,
    ),
    EventSpec(
        event=DisputeEscalated,
        handler=_escalate_dispute,
        rules=("TMR-SUPPLIER-RESPONSE",),
        rows=_rows((S.DISPUTED,), (S.DISPUTED,), _not_escalated),
        out_of_turn=_everywhere("TMR-SUPPLIER-RESPONSE"),
        describe=lambda e: "the buyer escalated the dispute to the platform",
        brief=_nothing,
        senders=_BUYER,
    ),
    EventSpec(
        event=DisputeWithdrawn,
        handler=_withdraw_dispute,
        rules=("ESC-DISPUTE-OPEN",),
        rows=_rows((S.DISPUTED,), (*_PAID_UNSHIPPED_OR_SHIPPED, S.COMPLETED), _undecided),
        out_of_turn=_everywhere("ESC-DISPUTE-OPEN"),
        describe=lambda e: "the buyer withdrew the dispute",
        brief=_nothing,
        senders=_BUYER,
    ),
    EventSpec(
        event=InspectionReported,
        handler=_inspect,
        rules=("TA-INSPECTION",),
        rows={
            **{s: Row((s,)) for s in (S.FUNDS_HELD, S.PARTIALLY_SHIPPED, S.SHIPPED)},
            **_rows((S.DISPUTED,), (S.DISPUTED,), _undecided),
        },
        out_of_turn=_everywhere("TA-INSPECTION"),
        describe=_describe_inspection,
        brief=lambda e: "passed" if e.passed else "rejected",
        senders=_PLATFORM,
    ),
    EventSpec(
        event=DisputeSettled,
        handler=_settle,
        rules=("ESC-PARTIAL-RELEASE", "ESC-CONSERVATION"),
        rows=_rows((S.DISPUTED,), _OUTCOME_TARGETS, _undecided),
        out_of_turn=_refused_by({}),
        describe=lambda e: f"the parties settled: {e.refund} back to the buyer",
        brief=lambda e: f"refund {e.refund}",
        senders=_PARTIES,
    ),
    EventSpec(
        event=PlatformRuled,
        handler=_rule,
        rules=_RULING_RULES,
        rows=_rows((S.DISPUTED,), _OUTCOME_TARGETS, _undecided),
        out_of_turn=_refused_by({}),
        describe=lambda e: f"the platform ruled: {e.refund} back to the buyer",
        brief=lambda e: f"refund {e.refund}",
        senders=_PLATFORM,
    ),
    EventSpec(
        event=RefundIssued,
        handler=_issue_refund,
        rules=("ESC-PARTIAL-RELEASE", "ESC-REFUND-WINDOW", "ESC-CONSERVATION"),
        rows={
            **{s: Row((s,), _refund_due) for s in (*_GOING_ON, S.CANCELLED)},
            S.DISPUTED: Row((S.DISPUTED, S.REFUNDED), _refund_due),
        },
        out_of_turn=_everywhere("ESC-PARTIAL-RELEASE"),
        # The bank account is not repeated: a timeline gets shared.
        describe=lambda e: f"a refund of {e.amount} was issued",
        brief=lambda e: str(e.amount),
        senders=_PLATFORM,
    ),
    EventSpec(
        event=BankAccountProvided,
        handler=_record_account,
        rules=("ESC-REFUND-WINDOW",),
        # Wherever escrow may hold money: after a payment, and in a cancelled order
        # still holding T/T money that waits for it.
        rows={s: Row((s,), _holds_money) for s in (*_GOING_ON, S.DISPUTED, S.CANCELLED)},
        out_of_turn=_refused_by({}),
        # The account itself is not repeated: a timeline gets shared.
        describe=lambda e: "the buyer gave a bank account for refunds",
        brief=_nothing,
        senders=_BUYER,
    ),
    EventSpec(
        event=TimerExpired,
        handler=_expire,
        # Read off the timer table: the timers, where each runs, and where firing leads.
        rules=tuple(dict.fromkeys(timer.id for ts in TIMER_TABLE.values() for timer in ts)),
        rows={
            status: Row(
                tuple(dict.fromkeys(t for timer in timers for t in timer.targets)),
                _timer_pending,
            )
            for status, timers in TIMER_TABLE.items()
        },
        out_of_turn=_timer_out_of_turn,
        describe=lambda e: f"{e.timer} fell due: {RULES[e.timer].summary}",
        brief=lambda e: str(e.timer),
        senders=_sent_by(),
    ),
)

#: Every event type's spec, in the order of ``events.EVENT_TYPES``.
EVENT_SPECS: Final[Mapping[type[Event], EventSpec]] = MappingProxyType(
    {
        spec.event: spec
        for spec in sorted(_SPECS, key=lambda s: list(EVENT_TYPES.values()).index(s.event))
    }
)


@final
@attrs.frozen
class Transition:
    """One row of the state machine.

    Attributes:
        handler: decides the event: applies it to the fold's working copy of the order,
            or returns the violation that refuses it. Internal: call
            :func:`~tradeassure.escrow.apply`.
        targets: the statuses it can lead to (for docs and the diagram).
        rules: the rule ids the handler applies (for docs and a replay's rule trace).
        ready: whether the order, as it stands, can take this event type at all (for
            :func:`~tradeassure.escrow.allowed_events`); the handler still judges the
            event itself.
    """

    handler: Handler
    targets: tuple[OrderStatus, ...]
    rules: tuple[str, ...]
    ready: Ready = _always


def _transitions() -> dict[tuple[OrderStatus, type[Event]], Transition]:
    table: dict[tuple[OrderStatus, type[Event]], Transition] = {}
    for spec in EVENT_SPECS.values():
        for status, row in spec.rows.items():
            assert spec.handler is not None
            table[status, spec.event] = Transition(spec.handler, row.targets, spec.rules, row.ready)
    return table


_TABLE: Final = _transitions()
#: The state machine: (status, event type) -> transition. Anything not here is refused.
TRANSITIONS: Final[Mapping[tuple[OrderStatus, type[Event]], Transition]] = MappingProxyType(_TABLE)
#: The same rows by status, then event type: the fold's lookup (no key tuple per event).
ROWS: Final[dict[OrderStatus, dict[type[Event], Transition]]] = {
    status: {kind: row for (s, kind), row in _TABLE.items() if s is status} for status in S
}


def _spec(event: Event) -> EventSpec | None:
    return EVENT_SPECS.get(type(of_type(event, "event", Event)))


def describe(event: Event) -> str:
    """The event in one line of words (``the buyer paid USD 100.00 by T/T``), from its
    type's spec."""
    spec = _spec(event)
    text = spec.describe(event) if spec is not None else type(event).__name__
    return " ".join(text.split())


def brief(event: Event) -> str:
    """The event's own figures in a few words (``USD 100.00 by TT``), from its type's
    spec."""
    spec = _spec(event)
    return spec.brief(event) if spec is not None else ""
