"""The fold: an order is its events, decided one by one.

:func:`place` starts an order from its contract, :func:`apply` decides one more event
(raising the violation that refuses it), :func:`check` answers without raising,
:func:`replay` folds a whole history, :func:`steps` folds it one event at a time for a
timeline, :func:`allowed_events` reads the state machine for the current status, and
:func:`due_events` / :func:`advance` let time pass. Every function is pure: "now" is an
event's ``at`` or an argument.

The fold sums bare ``Decimal`` amounts with operators, so each function installs a
fresh private copy of the money context (60 digits, inexact results trapped) around
its own code and gives the caller's context back before returning; no caller code runs
in between (:func:`replay` reads the whole history first), so a caller's context
changes no result, and no caller can see or change the library's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import getcontext, setcontext
from typing import Final, NamedTuple

import attrs

from tradeassure._checks import aware
from tradeassure.errors import EventIdConflict, InvalidInput, RuleViolation
from tradeassure.escrow._draft import (
    Draft,
    arguments,
    claim_pool,
    closed,
    coverage,
    fits,
    freeze,
    history_argument,
    placed,
    policy_argument,
    ship_by_from,
    thaw,
    when,
)
from tradeassure.escrow.events import Event, OrderPlaced, TimerExpired
from tradeassure.escrow.handlers import EVENT_SPECS, ROWS
from tradeassure.escrow.order import CLOSED, Order, OrderStatus
from tradeassure.escrow.policy import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.escrow.timers import CLOSING, first_due, pending_timer
from tradeassure.money import Money, _private_context
from tradeassure.terms import Party

__all__ = [
    "Step",
    "advance",
    "allowed_events",
    "allowed_moves",
    "apply",
    "check",
    "covered_amount",
    "due_events",
    "place",
    "replay",
    "steps",
]


class _Redelivered(enum.Enum):
    """:func:`_decide`'s answer for an event the order has already taken."""

    REDELIVERED = 0


_REDELIVERED: Final = _Redelivered.REDELIVERED
_DISPUTED: Final = OrderStatus.DISPUTED


def _names(types: Iterable[type[Event]]) -> str:
    return ", ".join(sorted(t.__name__ for t in types)) or "nothing"


def _allowed(d: Draft, p: EscrowPolicy) -> frozenset[type[Event]]:
    """What a party may do now: the rows of the status ready for the order. Timers are
    not a party's move (:func:`due_events` reports them)."""
    if d.status in CLOSED and not d.held:
        return frozenset()
    return frozenset(
        kind for kind, row in ROWS[d.status].items() if kind is not TimerExpired and row.ready(d, p)
    )


def _out_of_turn(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation:
    """ESC-STATES for a closed order; else the rule the event type's spec names for the
    status (ESC-STATES where none is more specific)."""
    kind = type(e)
    if d.status in CLOSED and not d.held:
        return closed(d)
    spec = EVENT_SPECS.get(kind)
    rule = "ESC-STATES" if spec is None else spec.out_of_turn(e, d.status)
    return RuleViolation(
        rule,
        f"{kind.__name__} is not allowed while order {d.order_id} is {d.status.label}; "
        f"allowed now: {_names(_allowed(d, p))}",
    )


def _differences(a: Event, b: Event) -> list[str]:
    if type(a) is not type(b):
        return ["type"]
    return [f.name for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name)]


def _decide(d: Draft, e: Event, p: EscrowPolicy) -> RuleViolation | _Redelivered | None:
    """Apply ``e`` to the draft and record it (None); or leave the draft as it was and
    say why: the violation that refuses ``e``, or that ``e`` was already taken. Raises
    for malformed input (a conflicting event id, an event back in time, another
    currency). Runs in a private copy of the money context (60 digits, inexact results
    trapped), which its callers install inline: a ``with`` block costs more."""
    if not isinstance(e, Event):
        raise InvalidInput(f"event must be an escrow event (tradeassure.events), got {e!r}")
    eid = e.event_id
    # An event is known by its id, or without one by its content: equal events are one.
    key: str | Event = e if eid is None else eid
    prior = d.seen.get(key)
    if prior is not None:
        if prior == e:
            return _REDELIVERED
        raise EventIdConflict(
            f"event id {eid!r} of order {d.order_id} was already used for another event; "
            f"these differ: {', '.join(_differences(prior, e))}"
        )
    if (
        eid is not None
        and ":TMR-" in eid  # found in C before any string is built: this runs per event
        and type(e) is not TimerExpired
        and eid.startswith(f"{d.order_id}:TMR-")
    ):
        # due_events names the timers' events so; another event taking such an id would
        # make that timer's event a conflict, and the order could never move on.
        raise InvalidInput(
            f"event id {eid!r} has the form ORDER:TMR-... that due_events gives timer "
            f"events of order {d.order_id}; give the {type(e).__name__} another id"
        )
    at = e.at
    if at < d.updated_at:
        raise InvalidInput(
            f"{type(e).__name__} at {at.isoformat()} is earlier than the latest event of "
            f"order {d.order_id} ({d.updated_at.isoformat()}); events must come in time order"
        )
    status = d.status
    kind = type(e)
    transition = ROWS[status].get(kind)
    if transition is None:
        return _out_of_turn(d, e, p)
    if kind is not TimerExpired:
        # Memoized per status and milestones, and in a dispute per dispute and
        # inspection too, which only its closing timer reads (identity checks: this runs
        # for every event); a handler that changes anything else a closing timer reads
        # resets it.
        m = d.milestones
        if (
            d.closing_status is not status
            or d.closing_milestones is not m
            or (
                status is _DISPUTED
                and (d.closing_dispute is not d.dispute or d.closing_inspection is not d.inspection)
            )
        ):
            timers = CLOSING.get(status)
            found = None if timers is None else first_due(timers, d, p)
            d.closing_status, d.closing_milestones = status, m
            d.closing_dispute, d.closing_inspection = d.dispute, d.inspection
            d.closing = None if found is None else (found[0].id, found[1])
        closing = d.closing
        if closing is not None and closing[1] <= at:
            timer, due = closing
            return RuleViolation(
                timer,
                f"{timer} fell due on order {d.order_id} at {when(due)}, "
                f"before this {kind.__name__}; apply due_events(order, now) first",
            )
    refusal = transition.handler(d, e, p)
    if refusal is not None:
        return refusal
    d.seen[key] = e
    d.history.append(e)
    d.updated_at = at
    return None


def place(event: OrderPlaced, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order a contract starts (ESC-ORDER-ORIGIN): awaiting the other party's
    confirmation, nothing paid. Country codes are checked against the calendars, and the
    ship-by against the drafting day (SHIP-DATE; and SHIP-WINDOW under a policy whose
    lead time starts at placement)."""
    return _place(event, policy)


def _place(event: Event, policy: EscrowPolicy) -> Order:
    """:func:`place` of any event (the first of :func:`steps`, which ESC-ORDER-ORIGIN
    refuses unless it is an ``OrderPlaced``), in a private money context."""
    saved = getcontext()
    setcontext(_private_context())
    try:
        return freeze(_start(event, policy))
    finally:
        setcontext(saved)


def _start(event: Event, policy: EscrowPolicy) -> Draft:
    """The draft of the order ``event`` places, judged under ``policy``."""
    policy_argument(policy)
    d = placed(event)
    fits(policy, d.order_id, d.currency)
    if policy.shipping.lead_time_start == "placement":
        ship_by = ship_by_from(d, d.contract.placed_at, policy)
        if isinstance(ship_by, RuleViolation):
            raise ship_by
        d.ship_by = ship_by
    return d


def apply(order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order after ``event``; raises :class:`RuleViolation` naming the rule that
    refuses it. An event the order has already taken returns the order unchanged: one
    with an ``event_id`` the order has seen (or :class:`EventIdConflict` if its content
    differs), and one without an ``event_id`` equal by value to an event the order took
    (an event is identified by its content when it has no id: two equal events are one,
    so a webhook retried without ids counts once)."""
    if type(order) is not Order or type(policy) is not EscrowPolicy:
        arguments(order, policy)
    fits(policy, order.order_id, order.contract.total.currency)
    d = thaw(order)
    saved = getcontext()
    setcontext(_private_context())
    try:
        result = _decide(d, event, policy)
    finally:
        setcontext(saved)
    if result is None:
        return freeze(d)
    if result is _REDELIVERED:
        return order
    raise result


def check(
    order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW
) -> tuple[RuleViolation, ...]:
    """The violations ``event`` would raise, without raising: empty when it may apply.
    (Today at most one: the first rule it breaks.) Malformed input still raises."""
    if type(order) is not Order or type(policy) is not EscrowPolicy:
        arguments(order, policy)
    fits(policy, order.order_id, order.contract.total.currency)
    saved = getcontext()
    setcontext(_private_context())
    try:
        result = _decide(thaw(order), event, policy)
    finally:
        setcontext(saved)
    return (result,) if isinstance(result, RuleViolation) else ()


def replay(events: Iterable[Event], policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order a history gives: :func:`place` on the first event (an ``OrderPlaced``),
    then :func:`apply` of each of the rest, in order. One working copy runs through the
    whole history and is frozen once at the end, so each event costs about a
    microsecond, however long the history.

    A history is finite: it is read whole (``tuple(events)``) before the first event is
    decided, so an iterator's own code runs in the caller's decimal context, never in
    the library's; a refused event therefore raises after the whole history was read."""
    history = tuple(history_argument(events))
    if not history:
        raise InvalidInput("an order history needs at least its OrderPlaced event")
    it = iter(history)
    decide = _decide
    saved = getcontext()
    setcontext(_private_context())
    try:
        d = _start(next(it), policy)
        for event in it:
            result = decide(d, event, policy)
            if result is not None and result is not _REDELIVERED:
                raise result
    finally:
        setcontext(saved)
    return freeze(d)


class Step(NamedTuple):
    """One event of a history and what it did: the order ``before`` it (None for the
    ``OrderPlaced`` that starts the order) and ``after`` it (the same object as
    ``before`` when the event was a redelivery)."""

    before: Order | None
    event: Event
    after: Order


def steps(events: Iterable[Event], policy: EscrowPolicy = DEFAULT_ESCROW) -> Iterator[Step]:
    """Fold a history one event at a time, as :func:`replay` does, yielding each
    :class:`Step`: for timelines, rule traces and reading stored histories. A refused
    event raises its ``RuleViolation`` when its step is reached (the steps before it
    have been yielded), malformed input its ``InvalidInput``."""
    policy_argument(policy)
    order: Order | None = None
    for event in history_argument(events):
        after = _place(event, policy) if order is None else apply(order, event, policy)
        yield Step(order, event, after)
        order = after


def allowed_events(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> frozenset[type[Event]]:
    """The event types a party may send the order now, read off :data:`TRANSITIONS`
    (the handler still judges each event's content and time). ``TimerExpired`` is never
    among them: the passage of time is not a party's move, and :func:`due_events` says
    which timers have fallen due."""
    arguments(order, policy)
    saved = getcontext()
    setcontext(_private_context())
    try:
        return _allowed(thaw(order), policy)
    finally:
        setcontext(saved)


def allowed_moves(
    order: Order, policy: EscrowPolicy = DEFAULT_ESCROW
) -> dict[Party, frozenset[type[Event]]]:
    """:func:`allowed_events` by the party that may send them, every party a key: read
    off each event type's senders, which the handlers judge ``by`` with (only the party
    that did not draft confirms; only the party that did not ask to cancel answers)."""
    allowed = allowed_events(order, policy)
    d = thaw(order)
    senders = {kind: EVENT_SPECS[kind].senders(d) for kind in allowed}
    return {party: frozenset(kind for kind in allowed if party in senders[kind]) for party in Party}


def covered_amount(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Money:
    """What protection covers now (TA-SUPPLIER, TA-MIN-ORDER, TA-CHECKOUT-ONLY,
    TA-METHODS, TA-LIMIT): zero with a non-participating supplier or below the minimum
    order; otherwise the escrow money paid by covered methods and still held (or, for a
    claim after receipt, released), capped by the protection limit."""
    arguments(order, policy)
    d = thaw(order)
    saved = getcontext()
    setcontext(_private_context())
    try:
        covered = coverage(d, policy, claim_pool(d, d.dispute))[0]
    finally:
        setcontext(saved)
    return d.money(covered)


# -- time ---------------------------------------------------------------------------------


def _let_time_pass(
    order: Order, now: datetime, policy: EscrowPolicy
) -> tuple[tuple[TimerExpired, ...], Order]:
    """The timer events due by ``now`` and the order with them applied: one pass, which
    :func:`due_events` and :func:`advance` share."""
    aware(now, "now")
    arguments(order, policy)
    due: list[TimerExpired] = []
    saved = getcontext()
    setcontext(_private_context())  # apply() installs its own copy again: nested, harmless
    try:
        while (pending := pending_timer(thaw(order), policy)) is not None and pending[1] <= now:
            # In UTC, so that equal histories written in other offsets give equal timers.
            timer, at = pending[0].id, max(pending[1], order.updated_at).astimezone(UTC)
            event = TimerExpired(
                at=at, timer=timer, event_id=f"{order.order_id}:{timer}:{at.isoformat()}"
            )
            due.append(event)
            order = apply(order, event, policy)
    finally:
        setcontext(saved)
    return tuple(due), order


def due_events(
    order: Order, now: datetime, policy: EscrowPolicy = DEFAULT_ESCROW
) -> tuple[TimerExpired, ...]:
    """The timer events the passage of time makes due by ``now`` (RULES.md section 6),
    each stamped with the instant its deadline fell (or the order's latest event, if
    that came later) and with a deterministic ``event_id``, so storing them twice is
    harmless. A scheduler stores what this returns; :func:`advance` applies it."""
    return _let_time_pass(order, now, policy)[0]


def advance(order: Order, now: datetime, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order with every event :func:`due_events` gives for ``now`` applied."""
    return _let_time_pass(order, now, policy)[1]
