"""Time in the escrow: the timer table (which time-driven rule runs in which status,
when it falls due, what firing does) and :func:`deadlines`.

Each timer is one :class:`Timer` row of :data:`TIMER_TABLE`, read by the fold (a
closing timer that has fallen due refuses later events until it is recorded), by the
``TimerExpired`` handler (whose rows of the state machine are read off this table), by
:func:`~tradeassure.escrow.due_events` and by :func:`deadlines`. Adding a timer touches
this module (its row, its due function and its ``Deadlines`` field), the timer id in
``events.TIMERS``, its policy figure and its id in the catalogue; a test pins that the
two lists of timer ids agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from decimal import getcontext, setcontext
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final, final

import attrs

from tradeassure._checks import (
    Validator,
    derived_date_field,
    derived_instant_field,
    member,
    optional_fixed_offset,
    registered_field,
    where,
)
from tradeassure.errors import InvalidInput
from tradeassure.escrow._draft import (
    PAID_BEFORE_RECEIPT,
    Draft,
    account_missing,
    arguments,
    cancel_now,
    complete,
    day,
    days,
    goods_disputed,
    has_evidence,
    other_party,
    outstanding,
    resume,
    ship_overdue,
    thaw,
    window_end,
    withdraw,
)
from tradeassure.escrow.events import Event
from tradeassure.escrow.order import CLOSED, Order, OrderStatus, _amended
from tradeassure.escrow.policy import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.money import _private_context
from tradeassure.shipping import add_working_days, refund_arrival, zone_of
from tradeassure.terms import Party

__all__ = [
    "TIMER_TABLE",
    "Deadlines",
    "NextMove",
    "Timer",
    "deadlines",
    "next_due",
    "next_move",
]

S = OrderStatus

#: When a timer falls due for an order (read on its working copy), or None while it
#: does not run.
DueAt = Callable[[Draft, EscrowPolicy], datetime | None]
#: What firing a timer does to the draft.
Fire = Callable[[Draft, Event], None]


@lru_cache(maxsize=4096)
def _start_of(day_: date, zone: str) -> datetime:
    """The first instant of ``day_`` in ``zone``, in UTC: the fold compares it with every
    later event's instant, and a comparison with a UTC instant is cheap where one with a
    zone's local time is not. Memoized: its inputs are immutable, and orders share their
    ship-by days."""
    return datetime.combine(day_, time(), zone_of(zone)).astimezone(UTC)


def _confirm_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    return o.contract.placed_at + days(p.confirm_days)


def _pay_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    m = o.milestones
    confirmed = m.confirmed_at
    if confirmed is None or o.deposit_paid:
        return None  # a deposit order with its deposit paid waits for its balance instead
    return confirmed + days(p.pay_days) + m.pay_paused


def _balance_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    if not o.deposit_paid:
        return None
    # The start of the day after the balance's last day, in the supplier's zone.
    after = o.ship_by + days(p.balance_due_days + 1)
    return _start_of(after, o.contract.supplier_zone)


def _receipt_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    m = o.milestones
    if m.final_shipped_at is None:
        return None
    extension = len(m.receipt_extended_by) * p.receipt_extension_days
    return m.final_shipped_at + days(p.auto_complete_days + extension) + m.receipt_paused


def _overdue_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    after = o.ship_by + days(p.ship_overdue_days + 1)
    return _start_of(after, o.contract.supplier_zone)


def _lapse_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    request = o.cancellation
    return None if request is None else request.at + days(p.cancel_request_days)


def _escalation_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    d = o.dispute
    if d is None or not d.is_open or d.escalated_at is not None:
        return None
    return d.opened_at + days(p.auto_escalate_days)


def _evidence_due(o: Draft, p: EscrowPolicy) -> datetime | None:
    d = o.dispute
    if d is None or not d.is_open or not d.reason.concerns_goods or has_evidence(o, d):
        return None
    return d.opened_at + days(p.evidence_days)


def _escalate(d: Draft, e: Event) -> None:
    assert d.dispute is not None
    d.dispute = _amended(d.dispute, escalated_at=e.at)


@final
@attrs.frozen
class Timer:
    """One time-driven rule (RULES.md section 6).

    Attributes:
        id: its rule id, what a ``TimerExpired`` event carries.
        targets: the statuses firing it can lead to (the ``TimerExpired`` rows).
        due: when it falls due for an order in a status it runs in (None: not running).
        fire: what firing does to the order being decided.
        closes: whether firing ends the status (cancels or completes the order), so
            that no later event may be decided before the timer is recorded.
        deadline: the :class:`Deadlines` field that shows when it falls due.
    """

    id: str
    targets: tuple[OrderStatus, ...]
    due: DueAt
    fire: Fire
    closes: bool
    deadline: str


_CANCELLED: Final = (S.CANCELLED,)
_CONFIRM: Final = Timer("TMR-CONFIRM", _CANCELLED, _confirm_due, cancel_now, True, "confirm_by")
_PAY: Final = Timer("TMR-PAY", _CANCELLED, _pay_due, cancel_now, True, "pay_by")
_BALANCE: Final = Timer("TMR-BALANCE", _CANCELLED, _balance_due, cancel_now, True, "balance_by")
_AUTO_COMPLETE: Final = Timer(
    "TMR-AUTO-COMPLETE", (S.COMPLETED,), _receipt_due, complete, True, "receipt_by"
)
_OVERDUE: Final = Timer(
    "TMR-SHIP-OVERDUE",
    (S.CANCELLED, S.SHIPPED),
    _overdue_due,
    ship_overdue,
    True,
    "shipment_overdue_at",
)
_LAPSE: Final = Timer(
    "TMR-CANCEL-LAPSE",
    PAID_BEFORE_RECEIPT,
    _lapse_due,
    resume,
    True,
    "cancellation_lapses_at",
)
# Escalation only marks the dispute, so later events need not wait for it.
_ESCALATE: Final = Timer(
    "TMR-SUPPLIER-RESPONSE", (S.DISPUTED,), _escalation_due, _escalate, False, "escalates_at"
)
# A claim withdrawn for want of evidence goes back where the order was when it opened.
_EVIDENCE: Final = Timer(
    "TMR-EVIDENCE",
    (*PAID_BEFORE_RECEIPT, S.COMPLETED),
    _evidence_due,
    withdraw,
    True,
    "evidence_by",
)

#: The time-driven rules that may run in each status; the one pending is the one due
#: first (TMR-PAY and TMR-BALANCE never run together: the deposit decides which).
TIMER_TABLE: Final[Mapping[OrderStatus, tuple[Timer, ...]]] = MappingProxyType(
    {
        S.AWAITING_CONFIRMATION: (_CONFIRM,),
        S.AWAITING_PAYMENT: (_PAY,),
        S.PARTIALLY_PAID: (_PAY, _BALANCE),
        S.FUNDS_HELD: (_OVERDUE,),
        S.PARTIALLY_SHIPPED: (_OVERDUE,),
        S.SHIPPED: (_AUTO_COMPLETE,),
        S.CANCELLATION_REQUESTED: (_LAPSE,),
        S.DISPUTED: (_EVIDENCE, _ESCALATE),
    }
)
#: The closing timers by status (a plain dict: the fold reads it for every event).
#: Their deadlines read the contract, the milestones, the ship-by, whether the deposit
#: is paid, the cancellation request, the dispute and the inspection, so the fold
#: computes them once per status, milestones, dispute and inspection, and a handler
#: that changes anything else they read calls ``Draft.timers_changed``; the escalation
#: timer, which does not close its status, is read afresh.
CLOSING: Final[dict[OrderStatus, tuple[Timer, ...]]] = {
    s: closing for s, ts in TIMER_TABLE.items() if (closing := tuple(t for t in ts if t.closes))
}


def first_due(
    timers: tuple[Timer, ...], o: Draft, p: EscrowPolicy
) -> tuple[Timer, datetime] | None:
    """The one of ``timers`` that falls due first for ``o``, and when; None if none runs."""
    found: tuple[Timer, datetime] | None = None
    for timer in timers:
        due = timer.due(o, p)
        if due is not None and (found is None or due < found[1]):
            found = (timer, due)
    return found


def pending_timer(o: Draft, p: EscrowPolicy) -> tuple[Timer, datetime] | None:
    """The timer running for ``o`` now and when it falls due, or None."""
    timers = TIMER_TABLE.get(o.status)
    return None if timers is None else first_due(timers, o, p)


# -- deadlines ----------------------------------------------------------------------------

#: The statuses in which the final shipment is still owed (SHIP-DATE).
_OWED: Final = frozenset(
    {
        S.AWAITING_CONFIRMATION,
        S.AWAITING_PAYMENT,
        S.PARTIALLY_PAID,
        S.FUNDS_HELD,
        S.PARTIALLY_SHIPPED,
        S.CANCELLATION_REQUESTED,
    }
)


@final
@attrs.frozen
class NextMove:
    """The move an order waits for now (liveness: every wait has an owner and, where the
    rules give one, a deadline).

    Attributes:
        at: the instant it falls due, in UTC, or None where no rule sets a deadline
            (the platform's ruling on an escalated dispute, the buyer's bank account);
            counted from supported dates, it may fall after them.
        rule: the rule id that says what happens, or who must act, by then.
        party: whose move it is.
    """

    at: datetime | None = attrs.field(
        converter=optional_fixed_offset,
        validator=attrs.validators.optional(derived_instant_field),
    )
    rule: str = attrs.field(validator=registered_field)
    party: Party = attrs.field(validator=member(Party))


#: Whose move keeps each timer from firing (TMR-CONFIRM's: the party that did not draft
#: the contract, decided from the contract).
_TIMER_PARTY: Final[Mapping[str, Party]] = MappingProxyType(
    {
        "TMR-PAY": Party.BUYER,
        "TMR-BALANCE": Party.BUYER,
        "TMR-AUTO-COMPLETE": Party.BUYER,
        "TMR-SUPPLIER-RESPONSE": Party.SUPPLIER,
        "TMR-EVIDENCE": Party.BUYER,
        "TMR-SHIP-OVERDUE": Party.SUPPLIER,
    }
)


def _date_pair(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of a span of two dates (the earliest and latest), or None."""
    if value is None:
        return
    if not isinstance(value, tuple) or len(value) != 2:
        raise InvalidInput(
            f"{where(instance, attribute)} must be two dates (earliest, latest) or None, "
            f"got {value!r}"
        )
    for day_ in value:
        derived_date_field(instance, attribute, day_)


_instant_or_none: Final = attrs.validators.optional(derived_instant_field)


def _deadline(label: str, rule: str, kind: Validator = _instant_or_none) -> Any:
    """A :class:`Deadlines` field of ``kind`` (an instant, unless told), None by default,
    with what it is in words and the rule that sets it (read by the views and the
    docs)."""
    return attrs.field(
        default=None,
        converter=optional_fixed_offset if kind is _instant_or_none else None,
        validator=kind,
        metadata={"label": label, "rule": rule},
    )


_date_or_none: Final = attrs.validators.optional(derived_date_field)


@final
@attrs.frozen
class Deadlines:
    """The dates that matter next for an order; None where none applies now. Each
    field's metadata holds its ``label`` and its ``rule``. Counted from supported dates,
    a deadline may fall after them (``tradeassure._checks.LAST_DAY``).

    Attributes:
        ship_by: the date a final shipment is due by (SHIP-DATE), while it is owed.
        confirm_by: automatic cancellation if still unconfirmed (TMR-CONFIRM).
        pay_by: automatic cancellation if still not paid in full, or for a deposit
            order if its deposit is still not paid (TMR-PAY).
        receipt_by: automatic completion and release (TMR-AUTO-COMPLETE).
        supplier_deadline: the end of the supplier's window on a dispute
            (TA-SUPPLIER-15-DAYS).
        platform_may_rule_after: the platform may rule once this instant has passed: the
            end of the supplier's window, or at once (the opening, or the report) when
            the latest inspection passed the goods of a claim about them.
        escalates_at: automatic escalation of the dispute (TMR-SUPPLIER-RESPONSE).
        evidence_by: a claim about the goods still without evidence is withdrawn, and
            the order goes on (TMR-EVIDENCE).
        claim_by: the last instant a claim about the goods may follow receipt
            (TMR-CLAIM-AFTER-RECEIPT).
        refund_starts_by: the platform starts a decided refund by this date
            (TMR-REFUND-START).
        refund_arrival: earliest and latest arrival of the last refund issued
            (ESC-REFUND-WINDOW).
        balance_by: automatic cancellation of a deposit order whose balance is still
            not paid (TMR-BALANCE): the start of the day after the balance's last day.
        cancellation_lapses_at: an unanswered cancellation request lapses, as if
            declined, and the order resumes (TMR-CANCEL-LAPSE).
        shipment_overdue_at: a funded order not fully shipped by its ship-by plus the
            policy's grace is cancelled for its unshipped part and that part refunded
            (TMR-SHIP-OVERDUE).
        next_move: the move the order waits for now, whose it is and by when; None
            when nothing is pending (a closed order, or a completed one with nothing
            held).
    """

    ship_by: date | None = _deadline("the final shipment is due by", "SHIP-DATE", _date_or_none)
    confirm_by: datetime | None = _deadline("cancelled unless confirmed by", "TMR-CONFIRM")
    pay_by: datetime | None = _deadline(
        "cancelled unless paid in full (with a deposit: the deposit paid) by", "TMR-PAY"
    )
    receipt_by: datetime | None = _deadline(
        "completed and released automatically at", "TMR-AUTO-COMPLETE"
    )
    supplier_deadline: datetime | None = _deadline(
        "the supplier's window ends at", "TA-SUPPLIER-15-DAYS"
    )
    platform_may_rule_after: datetime | None = _deadline(
        "the platform may rule after", "TA-SUPPLIER-15-DAYS"
    )
    escalates_at: datetime | None = _deadline(
        "escalates to the platform at", "TMR-SUPPLIER-RESPONSE"
    )
    claim_by: datetime | None = _deadline(
        "a claim about the goods may be filed until", "TMR-CLAIM-AFTER-RECEIPT"
    )
    refund_starts_by: date | None = _deadline(
        "the platform starts the refund by", "TMR-REFUND-START", _date_or_none
    )
    refund_arrival: tuple[date, date] | None = _deadline(
        "the refund arrives", "ESC-REFUND-WINDOW", _date_pair
    )
    balance_by: datetime | None = _deadline(
        "cancelled unless the balance is paid before", "TMR-BALANCE"
    )
    cancellation_lapses_at: datetime | None = _deadline(
        "the cancellation request lapses, as declined, at", "TMR-CANCEL-LAPSE"
    )
    shipment_overdue_at: datetime | None = _deadline(
        "the unshipped part is cancelled and refunded at", "TMR-SHIP-OVERDUE"
    )
    evidence_by: datetime | None = _deadline(
        "the claim is withdrawn unless it carries evidence by", "TMR-EVIDENCE"
    )
    next_move: NextMove | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(member(NextMove)),
        metadata={"label": "the move the order waits for", "rule": "ESC-STATES"},
    )


def deadlines(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Deadlines:
    """The order's next deadlines (SHIP-DATE, TMR-*, TA-SUPPLIER-15-DAYS,
    TMR-REFUND-START, ESC-REFUND-WINDOW), counted in the policy's figures and, for
    business days, in the buyer's bank calendar (the supplier's when none is named).
    Its sums run in the library's own decimal context, whatever the caller's."""
    arguments(order, policy)
    saved = getcontext()
    setcontext(_private_context())
    try:
        return _deadlines(order, policy)
    finally:
        setcontext(saved)


def _deadlines(order: Order, policy: EscrowPolicy) -> Deadlines:
    o, p = order, policy
    status = o.status
    m = o.milestones
    d = o.dispute
    c = o.contract
    bank_country = c.buyer_country or c.supplier_country
    owed = m.final_shipped_at is None and status in _OWED
    supplier_deadline = platform_after = claim_by = refund_start = None
    if status is S.DISPUTED and d is not None and d.is_open:
        supplier_deadline = platform_after = window_end(d, p)
        inspection = o.inspection
        if d.reason.concerns_goods and inspection is not None and inspection.passed:
            # The latest report passed the goods: the platform may rule (nothing) at once.
            platform_after = max(inspection.at, d.opened_at)
    draft = thaw(o)
    if status is S.COMPLETED and p.claim_after_receipt_days and not goods_disputed(draft):
        assert m.completed_at is not None
        claim_by = m.completed_at + days(p.claim_after_receipt_days)
    owed_refund = outstanding(draft)
    refund_start = _refund_start(draft, p) if owed_refund else None
    arrival = None
    if m.refund_issued_at is not None:
        arrival = refund_arrival(day(m.refund_issued_at, c.buyer_zone), bank_country, p.shipping)
    pending = pending_timer(draft, p)

    def timer(field: str) -> datetime | None:
        """When the running timer falls due, in the field that shows it."""
        return pending[1] if pending is not None and pending[0].deadline == field else None

    return Deadlines(
        ship_by=o.ship_by if owed else None,
        confirm_by=timer("confirm_by"),
        pay_by=timer("pay_by"),
        receipt_by=timer("receipt_by"),
        supplier_deadline=supplier_deadline,
        platform_may_rule_after=platform_after,
        escalates_at=timer("escalates_at"),
        claim_by=claim_by,
        refund_starts_by=refund_start,
        refund_arrival=arrival,
        balance_by=timer("balance_by"),
        cancellation_lapses_at=timer("cancellation_lapses_at"),
        shipment_overdue_at=timer("shipment_overdue_at"),
        evidence_by=timer("evidence_by"),
        next_move=_next_move(draft, p, pending, refund_start, owed),
    )


def _refund_start(d: Draft, p: EscrowPolicy) -> date | None:
    """The day by which the platform starts an owed refund (TMR-REFUND-START), in the
    buyer's bank's business days from the decision; None before a decision."""
    m, c = d.milestones, d.contract
    decided_at = m.cancelled_at if d.status is S.CANCELLED else d.dispute and d.dispute.resolved_at
    if decided_at is None:
        return None
    bank_country = c.buyer_country or c.supplier_country
    return add_working_days(
        day(decided_at, c.buyer_zone), p.refund_start_business_days, bank_country
    )


def next_move(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> NextMove | None:
    """The move ``order`` waits for now (:attr:`Deadlines.next_move`), worked out
    without the rest of its deadlines: by when, under which rule, whose (liveness:
    every open order names one)."""
    arguments(order, policy)
    saved = getcontext()
    setcontext(_private_context())
    try:
        draft = thaw(order)
        owed = order.milestones.final_shipped_at is None and order.status in _OWED
        refund_start = _refund_start(draft, policy) if outstanding(draft) else None
        return _next_move(draft, policy, pending_timer(draft, policy), refund_start, owed)
    finally:
        setcontext(saved)


def _end_of(day_: date, zone: str) -> datetime:
    """The first instant after ``day_`` in ``zone``, in UTC: when a day-based deadline
    has passed."""
    return _start_of(day_ + days(1), zone)


def _next_move(
    d: Draft,
    p: EscrowPolicy,
    pending: tuple[Timer, datetime] | None,
    refund_start: date | None,
    shipment_owed: bool,
) -> NextMove | None:
    """Liveness: the move the order waits for now, the earliest due first (one with no
    deadline last). Every non-terminal state names one: the timer that will act for
    the silent party, the supplier's shipment, the platform's ruling or payout, or the
    buyer's bank account for a T/T refund."""
    if d.status in CLOSED and not d.held:
        return None
    moves: list[NextMove] = []
    if pending is not None:
        moves.append(_timer_move(d, pending))
    if shipment_owed and d.status in (S.FUNDS_HELD, S.PARTIALLY_SHIPPED):
        moves.append(
            NextMove(_end_of(d.ship_by, d.contract.supplier_zone), "SHIP-DATE", Party.SUPPLIER)
        )
    dispute = d.dispute
    if d.status is S.DISPUTED and dispute is not None and dispute.is_open and pending is None:
        # Escalated, with its evidence in: the platform rules when it rules.
        moves.append(NextMove(None, "TA-SUPPLIER-15-DAYS", Party.PLATFORM))
    if outstanding(d):
        if account_missing(d):
            moves.append(NextMove(None, "ESC-REFUND-WINDOW", Party.BUYER))
        else:
            at = None if refund_start is None else _end_of(refund_start, d.contract.buyer_zone)
            moves.append(NextMove(at, "TMR-REFUND-START", Party.PLATFORM))
    if not moves:
        return None
    return min(moves, key=lambda move: (move.at is None, move.at or _NEVER))


_NEVER: Final = datetime.max.replace(tzinfo=UTC)


def _timer_move(d: Draft, pending: tuple[Timer, datetime]) -> NextMove:
    """The running timer as a move: when it fires, its id, and whose move stops it."""
    timer, due = pending
    if timer.id == "TMR-CONFIRM":
        party = other_party(d.contract.drafted_by)
    elif timer.id == "TMR-CANCEL-LAPSE":
        assert d.cancellation is not None
        party = other_party(d.cancellation.by)
    else:
        party = _TIMER_PARTY[timer.id]
    return NextMove(due.astimezone(UTC), timer.id, party)


def next_timer(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> NextMove | None:
    """The timer running on ``order`` (RULES.md section 6): when, in UTC, it fires unless
    ``party`` moves first, and its id; None when no timer runs. A scheduler indexes on
    its ``at``: :func:`~tradeassure.escrow.due_events` gives that timer's event from then
    on (:func:`next_due` may name a party's deadline that no timer enforces)."""
    arguments(order, policy)
    saved = getcontext()
    setcontext(_private_context())
    try:
        draft = thaw(order)
        pending = pending_timer(draft, policy)
        return None if pending is None else _timer_move(draft, pending)
    finally:
        setcontext(saved)


def next_due(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> datetime | None:
    """The next instant, in UTC, at which something is due on ``order``
    (:attr:`Deadlines.next_move`'s), or None: what a backend indexes on to find the
    orders that need a look, or a timer run, at a given time."""
    move = next_move(order, policy)
    return None if move is None else move.at
