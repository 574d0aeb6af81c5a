"""One order's row of the book: the fold of its events, what is due at the book's
instant, and, for a history the library refuses or cannot read, the error instead of
going on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final, cast, final

import attrs

from tradeassure._checks import (
    Strings,
    aware_field,
    checkless,
    count_field,
    currency_code,
    member,
    money_field,
    optional_text_field,
    registered,
    registered_field,
    text_field,
    tuple_of,
    validator,
)
from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import (
    DisputeReason,
    EscrowPolicy,
    Event,
    Order,
    OrderStatus,
    Party,
    PaymentReceived,
    covered_amount,
    due_events,
    next_move,
    replay,
    steps,
)
from tradeassure.money import Money

__all__ = ["BookError", "OrderSummary", "Stage", "summarize_order"]


@final
@attrs.frozen
class BookError:
    """Why an order's row stops short of its whole history.

    Attributes:
        rule: the id of the rule that refused an event, or None when the input could not
            be read (a malformed line, an event out of time order).
        message: the refusal's or the reader's message (with the JSON path for a
            malformed line).
        position: the event's position in the order's history, counting from 1.
        where: ``FILE:LINE`` of the event's line, when it was read from a file.
    """

    rule: str | None = attrs.field(validator=attrs.validators.optional(registered_field))
    message: str = attrs.field(validator=text_field)
    position: int = attrs.field(validator=count_field)
    where: str | None = attrs.field(default=None, validator=optional_text_field)


#: A dispute's stage in a row: with the supplier, with the platform, decided (refund
#: agreed or ruled), or withdrawn.
Stage = str
STAGES: Final = ("with the supplier", "escalated", "decided", "withdrawn")

_optional: Final = attrs.validators.optional


def _stage(value: object, what: str) -> str:
    if value not in STAGES:
        raise InvalidInput(f"{what} must be one of {', '.join(STAGES)}, got {value!r}")
    return str(value)


def _rule_ids(values: Strings) -> tuple[str, ...]:
    found = tuple_of(values, str, "OrderSummary.due")
    for rule in found:
        registered(rule, "each of OrderSummary.due")
    return found


@final
@attrs.frozen
class OrderSummary:
    """One order of the book, as its events leave it.

    Attributes:
        order_id: the order's id, as placed.
        buyer: the buyer, as placed (None for a row whose first event could not be
            read).
        supplier: the supplier, as placed (None likewise).
        currency: the order's currency, as placed (None likewise).
        status: after the last event taken.
        total: the contract's total.
        paid: what the buyer has paid (ESC-CONSERVATION: paid = held + released +
            refunded).
        held: what escrow holds now (ESC-HOLD).
        released: what has gone to the supplier (ESC-RELEASE).
        refunded: what has gone back to the buyer.
        covered: what protection covers now (``escrow.covered_amount``).
        limit: the supplier's protection limit on the order (TA-LIMIT: the contract's,
            else the policy's default), or None for none.
        next_deadline: by when the move it waits for is due (``Deadlines.next_move``;
            UTC; None where no rule sets a deadline).
        next_rule: the rule that move is due under.
        next_party: whose move it is.
        due: the timers due at the book's instant and not yet run (``due_events``).
        held_since: since when the money now held has been held (its first payment into
            escrow), for the aging.
        dispute_reason: why its latest dispute was opened, if any.
        dispute_stage: where its latest dispute stands, if any.
        events: how many of its events were read.
        source: where its first event was read (``FILE:LINE``, or ``item N``).
        error: why the row stops short, or None; the state is the one before it.
        late_events: events after the error, counted and not applied.
    """

    order_id: str = attrs.field(validator=text_field)
    buyer: str | None = attrs.field(validator=optional_text_field)
    supplier: str | None = attrs.field(validator=optional_text_field)
    currency: str | None = attrs.field(validator=_optional(validator(currency_code)))
    status: OrderStatus | None = attrs.field(validator=_optional(member(OrderStatus)))
    total: Money | None = attrs.field(validator=_optional(money_field))
    paid: Money | None = attrs.field(validator=_optional(money_field))
    held: Money | None = attrs.field(validator=_optional(money_field))
    released: Money | None = attrs.field(validator=_optional(money_field))
    refunded: Money | None = attrs.field(validator=_optional(money_field))
    covered: Money | None = attrs.field(validator=_optional(money_field))
    limit: Money | None = attrs.field(validator=_optional(money_field))
    next_deadline: datetime | None = attrs.field(validator=_optional(aware_field))
    next_rule: str | None = attrs.field(validator=_optional(registered_field))
    next_party: Party | None = attrs.field(validator=_optional(member(Party)))
    due: tuple[str, ...] = attrs.field(converter=_rule_ids)
    held_since: datetime | None = attrs.field(validator=_optional(aware_field))
    dispute_reason: DisputeReason | None = attrs.field(validator=_optional(member(DisputeReason)))
    dispute_stage: Stage | None = attrs.field(validator=_optional(validator(_stage)))
    events: int = attrs.field(validator=count_field)
    source: str | None = attrs.field(default=None, validator=optional_text_field)
    error: BookError | None = attrs.field(default=None, validator=_optional(member(BookError)))
    late_events: int = attrs.field(default=0, validator=count_field)


def _stage_of(order: Order) -> Stage | None:
    d = order.dispute
    if d is None:
        return None
    if d.withdrawn_at is not None:
        return "withdrawn"
    if d.refund is not None:
        return "decided"
    return "with the supplier" if d.escalated_at is None else "escalated"


def _until_refused(
    readable: list[Event],
    items: list[tuple[Event | BookError, str | None]],
    policy: EscrowPolicy,
) -> tuple[Order | None, int, BookError]:
    """The order before the event the rules refuse, how many events it took, and the
    refusal as the row's error."""
    order: Order | None = None
    taken = 0
    try:
        for step in steps(readable, policy):
            order, taken = step.after, taken + 1
    except RuleViolation as refused:
        return order, taken, BookError(refused.rule, refused.message, taken + 1, items[taken][1])
    except (InvalidInput, PolicyError) as other:  # malformed, or no edition covers it
        rule = other.rule if isinstance(other, PolicyError) else None
        return order, taken, BookError(rule, str(other), taken + 1, items[taken][1])
    raise AssertionError("replay refused a history its steps take")  # pragma: no cover


#: OrderSummary's constructor without its field checks (``_checks.checkless``), for
#: the rows of replayed orders, whose values were all checked on the way in.
_row: Final = checkless(OrderSummary)


def _held_since(order: Order | None, taken: list[Event]) -> datetime | None:
    """Since when the money now held has been held: the first payment into escrow, in
    UTC (as every instant of a row; the rows keep them so)."""
    if order is None or not order.held.amount:
        return None
    first = next((e for e in taken if isinstance(e, PaymentReceived) and e.via_checkout), None)
    return None if first is None else first.at.astimezone(UTC)


def summarize_order(
    order_id: str,
    events: Iterable[tuple[Event | BookError, str | None]],
    policy: EscrowPolicy,
    as_of: datetime,
) -> OrderSummary:
    """The row of ``order_id`` from its events in order, each with where it was read
    (an unreadable one comes as its :class:`BookError`): folded until the first
    refusal or unreadable event, which becomes the row's error; the events after it are
    counted. ``due`` and the aging are counted at ``as_of``."""
    items = list(events)
    seen = len(items)
    source = items[0][1] if items else None
    # The history ends at its first unreadable event, if any; the fold, at its first
    # refused one: one replay on one working copy, and a second, step by step, only for
    # a history the rules refuse, to find which event.
    cut = next((i for i, (item, _) in enumerate(items) if isinstance(item, BookError)), seen)
    readable = [cast(Event, item) for item, _ in items[:cut]]
    error: BookError | None = None
    try:
        order = replay(readable, policy) if readable else None
        taken = cut
    except (RuleViolation, InvalidInput, PolicyError):
        order, taken, error = _until_refused(readable, items, policy)
    if error is None and cut < seen:
        error = attrs.evolve(cast(BookError, items[cut][0]), position=cut + 1)
    late = seen - taken - (error is not None)
    held_since = _held_since(order, readable[:taken])
    if order is None:
        return OrderSummary(
            order_id, None, None, None, None, None, None, None, None, None, None, None,
            None, None, None, (), None, None, None, seen, source, error, late,
        )  # fmt: skip
    move = next_move(order, policy)
    due = due_events(order, as_of, policy)
    dispute = order.dispute
    contract = order.contract
    # Every value is a checked order's, policy's or event's: build the row unchecked.
    return _row(
        order_id=order_id,
        buyer=contract.buyer,
        supplier=contract.supplier,
        currency=contract.total.currency,
        status=order.status,
        total=contract.total,
        paid=order.paid,
        held=order.held,
        released=order.released,
        refunded=order.refunded,
        covered=covered_amount(order, policy),
        limit=contract.protection_limit or policy.default_protection_limit,
        next_deadline=None if move is None else move.at,
        next_rule=None if move is None else move.rule,
        next_party=None if move is None else move.party,
        due=tuple(t.timer for t in due),
        held_since=held_since,
        dispute_reason=None if dispute is None else dispute.reason,
        dispute_stage=_stage_of(order),
        events=seen,
        source=source,
        error=error,
        late_events=late,
    )
