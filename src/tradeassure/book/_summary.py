"""One order's row of the book: the fold of its events, what is due at the book's
instant, and, for a history the library refuses or cannot read, the error instead of
going on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final, final

import attrs

from tradeassure._checks import (
    aware_field,
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
from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.escrow import (
    DisputeReason,
    EscrowPolicy,
    Event,
    Order,
    OrderStatus,
    Party,
    apply,
    covered_amount,
    deadlines,
    due_events,
    replay,
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


def _rule_ids(values: object) -> tuple[str, ...]:
    found = tuple_of(values, str, "OrderSummary.due")
    for rule in found:
        registered(rule, "each of OrderSummary.due")
    return found


@final
@attrs.frozen
class OrderSummary:
    """One order of the book, as its events leave it.

    Attributes:
        order_id, buyer, supplier, currency: as placed (None for a row whose first
            event could not be read).
        status: after the last event taken.
        total, paid, held, released, refunded: its money (ESC-CONSERVATION).
        covered: what protection covers now (``escrow.covered_amount``).
        limit: the supplier's protection limit on the order (TA-LIMIT: the contract's,
            else the policy's default), or None for none.
        next_deadline, next_rule, next_party: the move it waits for
            (``Deadlines.next_move``): by when (UTC; None where no rule sets a
            deadline), under which rule, whose.
        due: the timers due at the book's instant and not yet run (``due_events``).
        held_since: since when money has been held without a break, for the aging.
        dispute_reason, dispute_stage: its latest dispute, if any.
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
    dispute_stage: Stage | None = attrs.field(validator=_optional(attrs.validators.in_(STAGES)))
    events: int = attrs.field(validator=count_field)
    source: str | None = attrs.field(default=None, validator=optional_text_field)
    error: BookError | None = attrs.field(default=None, validator=_optional(member(BookError)))
    late_events: int = attrs.field(default=0, validator=count_field)


def _stage(order: Order) -> Stage | None:
    d = order.dispute
    if d is None:
        return None
    if d.withdrawn_at is not None:
        return "withdrawn"
    if d.refund is not None:
        return "decided"
    return "with the supplier" if d.escalated_at is None else "escalated"


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
    order: Order | None = None
    error: BookError | None = None
    seen = late = 0
    held_since: datetime | None = None
    source: str | None = None
    for item, where in events:
        seen += 1
        if source is None:
            source = where
        if error is not None:
            late += 1
            continue
        if isinstance(item, BookError):
            error = attrs.evolve(item, position=seen)
            continue
        try:
            order = replay((item,), policy) if order is None else apply(order, item, policy)
        except RuleViolation as refused:
            error = BookError(refused.rule, refused.message, seen, where)
            continue
        except InvalidInput as malformed:
            error = BookError(None, str(malformed), seen, where)
            continue
        if not order.held.amount:
            held_since = None
        elif held_since is None:
            held_since = item.at
    if order is None:
        return OrderSummary(
            order_id, None, None, None, None, None, None, None, None, None, None, None,
            None, None, None, (), None, None, None, seen, source, error, late,
        )  # fmt: skip
    move = deadlines(order, policy).next_move
    due = due_events(order, as_of, policy)
    dispute = order.dispute
    contract = order.contract
    return OrderSummary(
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
        dispute_stage=_stage(order),
        events=seen,
        source=source,
        error=error,
        late_events=late,
    )
