"""Strategies for escrow events and whole, valid order histories."""

from __future__ import annotations

import enum
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    EVENT_TYPES,
    TIMERS,
    ContractConfirmed,
    DisputeOpened,
    DisputeSettled,
    EscrowPolicy,
    Event,
    FeedbackLeft,
    InspectionReported,
    Order,
    OrderPlaced,
    Party,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    RefundIssued,
    Shipped,
    TimerExpired,
    allowed_events,
    apply,
    check,
    covered_amount,
    deadlines,
    due_events,
    place,
)
from tradeassure.money import Money, minor_unit
from tradeassure.shipping import add_working_days
from tradeassure.testing._money import money

__all__ = ["any_events", "instants", "order_histories", "orders_placed", "timers_expired"]

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def instants(
    min_value: datetime = _EPOCH, max_value: datetime = datetime(2030, 1, 1, tzinfo=UTC)
) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants (UTC and a few fixed offsets), to the second."""
    offsets = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])
    return st.builds(
        lambda seconds, tz: (min_value + timedelta(seconds=seconds)).astimezone(tz),
        st.integers(0, int((max_value - min_value).total_seconds())),
        offsets,
    )


def _ship_by(draw: st.DrawFn, start: datetime) -> tuple[date | None, int | None]:
    """A ship-by for a contract drafted at ``start`` by a supplier in China: a date 10 to
    60 working days after its drafting day (so a confirmation some days later still lies
    within SHIP-WINDOW), or a lead time of 3 to 60 working days."""
    if draw(st.booleans()):
        return None, draw(st.integers(3, 60))
    drafted_on = start.astimezone(ZoneInfo("Asia/Shanghai")).date()
    return add_working_days(drafted_on, draw(st.integers(10, 60)), "CN"), None


def policy_currency(policy: EscrowPolicy) -> str | None:
    """The currency of the policy's money figures (an order under it must be in that
    currency: the library converts none), or None when it has none."""
    for field in attrs.fields(EscrowPolicy):
        figure = getattr(policy, field.name)
        if isinstance(figure, Money):
            return figure.currency
    return None


@st.composite
def orders_placed(
    draw: st.DrawFn, currency: str | None = None, at: datetime | None = None
) -> OrderPlaced:
    """An ``OrderPlaced`` event: a contract with a total, a ship-by date some weeks
    later, and sometimes a deposit, a protection limit or no protection at all."""
    code = currency or draw(st.sampled_from(("USD", "EUR", "CNY", "JPY")))
    total = draw(money(currency=code, min_amount=1, max_amount=10**6))
    start = at or draw(instants(max_value=datetime(2026, 6, 1, tzinfo=UTC)))
    deposit = draw(
        st.none()
        | money(
            currency=code, min_amount=Decimal(1).scaleb(-minor_unit(code)), max_amount=total.amount
        )
    )
    limit = draw(st.none() | money(currency=code, min_amount=1, max_amount=2 * total.amount))
    ship_by, lead_days = _ship_by(draw, start)
    return OrderPlaced(
        order_id=draw(st.from_regex(r"PO-[0-9]{1,6}", fullmatch=True)),
        at=start,
        buyer="buyer",
        supplier="supplier",
        total=total,
        ship_by=ship_by,
        lead_days=lead_days,
        drafted_by=draw(st.sampled_from((Party.SUPPLIER, Party.BUYER))),
        protected=draw(st.booleans()),
        protection_limit=limit,
        deposit=deposit,
        specifications=draw(st.sampled_from(((), ("PP, 2 mm wall, RAL 9010",)))),
    )


# -- events built from their fields ------------------------------------------------------
#
# Strategies read an event type's attrs fields, so a new event type needs nothing here:
# each field's type picks its values. For a candidate (an event an order should
# accept), money fields take the order's own figures; for any event, any amount.

_IBAN = "GB29NWBK60161331926819"
# The first of each choice makes a valid field, so that the simplest draw (the one
# hypothesis shrinks to) is a valid event.
_EVIDENCE = (("photo.jpg",), (), ("photo.jpg", "inspection-report.pdf"))


def _field_types(kind: type[Event]) -> tuple[tuple[str, Any, bool], ...]:
    """(name, type, has a default) of each field of ``kind`` but ``at`` and ``event_id``."""
    hints = typing.get_type_hints(kind)
    return tuple(
        (f.name, hints[f.name], f.default is not attrs.NOTHING)
        for f in attrs.fields(kind)
        if f.name not in ("at", "event_id")
    )


_FIELDS: Final = {kind: _field_types(kind) for kind in EVENT_TYPES.values()}


def _value(
    draw: st.DrawFn, hint: Any, money_values: st.SearchStrategy[Money], at: datetime, around: date
) -> object:
    """A value for a field of type ``hint``."""
    if hint is Money:
        return draw(money_values)
    if hint == Money | None:
        return draw(st.none() | money_values)
    if hint is bool:
        return draw(st.booleans())
    if hint is date:
        return around + timedelta(days=draw(st.integers(-5, 40)))
    if hint is int:
        return draw(st.integers(1, 6) | st.just(0))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return draw(st.sampled_from(list(hint)))
    if hint == tuple[str, ...]:
        return draw(st.sampled_from(_EVIDENCE))
    if hint == str | None:
        return draw(st.sampled_from((None, _IBAN)))
    if hint is str:
        return draw(st.sampled_from(("as agreed", "", "PO-1")))
    raise TypeError(  # pragma: no cover - a new field type: teach _value to build it
        f"tradeassure.testing cannot build a field of type {hint!r}; add it to _value"
    )


def _event(
    draw: st.DrawFn,
    kind: type[Event],
    at: datetime,
    money_values: st.SearchStrategy[Money],
    around: date,
    event_id: str | None = None,
) -> Event | None:
    """An event of ``kind`` at ``at`` built from its fields, or None when the drawn
    values make no valid event (its own validators refuse them)."""
    values: dict[str, object] = {}
    for name, hint, has_default in _FIELDS[kind]:
        if has_default and hint is str:
            continue  # free text (a comment, a report): its default will do
        values[name] = _value(draw, hint, money_values, at, around)
    try:
        return kind(at=at, event_id=event_id, **values)
    except InvalidInput:
        return None


def _figures(o: Order, p: EscrowPolicy) -> list[Money]:
    """The amounts an event on ``o`` may plausibly carry: what is still due or left to
    ship, the deposit, what is held, released or covered, the claim and its decided
    refund, and nothing."""
    c = o.contract
    zero = Money.zero(c.total.currency)
    figures = [c.total - o.paid, c.total - o.shipped, o.held, o.released, zero]
    figures.append(covered_amount(o, p))
    if c.deposit is not None:
        figures.append(c.deposit)
    if o.dispute is not None:
        figures.append(o.dispute.claim)
        if o.dispute.refund is not None:
            figures.append(o.dispute.refund)
    return figures


def _part_of(figures: list[Money]) -> st.SearchStrategy[Money]:
    """One of ``figures``, or an amount between one minor unit and one of them."""
    positive = [m for m in figures if m.amount > 0]
    whole = st.sampled_from(figures)
    if not positive:
        return whole
    currency = positive[0].currency
    unit = Decimal(1).scaleb(-minor_unit(currency))
    part = st.sampled_from(positive).flatmap(
        lambda top: money(currency=currency, min_amount=unit, max_amount=top.amount)
    )
    return st.one_of(whole, whole, whole, part)


def _candidate(
    draw: st.DrawFn, o: Order, kind: type[Event], at: datetime, p: EscrowPolicy
) -> Event | None:
    """An event of ``kind`` that the order may accept at ``at`` (or None): its fields
    drawn by type, its amounts among the order's own figures. Callers keep the ones
    :func:`~tradeassure.escrow.check` accepts."""
    eid = f"{kind.__name__}-{len(o.history)}"
    return _event(draw, kind, at, _part_of(_figures(o, p)), o.ship_by, event_id=eid)


@st.composite
def candidates(
    draw: st.DrawFn, order: Order, kind: type[Event], at: datetime, policy: EscrowPolicy
) -> Event | None:
    """An event of ``kind`` that ``order`` may accept at ``at``, or None (see
    :func:`_candidate`); keep the ones :func:`~tradeassure.escrow.check` accepts."""
    return _candidate(draw, order, kind, at, policy)


_TRIES: Final = 10
_MINUTE: Final = timedelta(minutes=1)


def _next_moment(draw: st.DrawFn, order: Order, policy: EscrowPolicy) -> datetime:
    """When the next event happens: some minutes to weeks later, or a minute either
    side of the end of a dispute's supplier window (:func:`deadlines`), where settling
    gives way to the platform's ruling."""
    after = order.updated_at
    end = deadlines(order, policy).supplier_deadline
    edges = [] if end is None else [t for t in (end - _MINUTE, end + _MINUTE) if t > after]
    days = draw(st.sampled_from((1, 1, 1, 3, 3, 10, 70)))
    later = after + timedelta(minutes=draw(st.integers(1, 60 * 24 * days)))
    at_an_edge = draw(st.integers(0, 3)) > 0
    return draw(st.sampled_from(edges)) if edges and at_an_edge else later


_WEIGHT: dict[type[Event], int] = {
    ContractConfirmed: 8,
    PaymentReceived: 8,
    Shipped: 8,
    ReceiptConfirmed: 4,
    DisputeOpened: 3,
    InspectionReported: 3,
    DisputeSettled: 4,
    PlatformRuled: 4,
    RefundIssued: 8,
    FeedbackLeft: 3,
}


@st.composite
def order_histories(
    draw: st.DrawFn,
    policy: EscrowPolicy = DEFAULT_ESCROW,
    max_events: int = 14,
    currency: str | None = None,
) -> tuple[Event, ...]:
    """A valid history: an ``OrderPlaced`` and up to ``max_events`` events that the
    policy accepts, in time order, with the timers that fell due on the way recorded as
    :func:`~tradeassure.escrow.due_events` gives them. Every event has an ``event_id``."""
    code = currency or policy_currency(policy)
    first = attrs.evolve(draw(orders_placed(currency=code)), event_id="placed")
    order = place(first, policy)
    history: list[Event] = [first]
    for _ in range(draw(st.integers(0, max_events))):
        now = _next_moment(draw, order, policy)
        for timer in due_events(order, now, policy):
            order = apply(order, timer, policy)
            history.append(timer)
        if not allowed_events(order, policy) - {TimerExpired}:
            break
        event = _forward(draw, order, max(now, order.updated_at), policy)
        if event is not None:
            order = apply(order, event, policy)
            history.append(event)
    return tuple(history)


def _forward(draw: st.DrawFn, order: Order, at: datetime, policy: EscrowPolicy) -> Event | None:
    """A party's event the order accepts at ``at``, progress likelier than detours (so
    runs reach disputes and refunds), or None when a few tries find none."""
    kinds = sorted(allowed_events(order, policy) - {TimerExpired}, key=lambda k: k.__name__)
    if not kinds:
        return None
    kind = draw(st.sampled_from([k for k in kinds for _ in range(_WEIGHT.get(k, 1))]))
    # Fields are drawn by type, so a few tries find one the order accepts.
    for _ in range(_TRIES):
        event = _candidate(draw, order, kind, at, policy)
        if event is not None and not check(order, event, policy):
            return event
    return None


@st.composite
def forward_events(
    draw: st.DrawFn, order: Order, at: datetime, policy: EscrowPolicy = DEFAULT_ESCROW
) -> Event | None:
    """A party's event that ``order`` accepts at ``at``, drawn as :func:`order_histories`
    draws its steps (the lifecycle's way forward likelier than detours), or None."""
    return _forward(draw, order, at, policy)


#: The event types a party sends, drawn field by field: all but the contract that opens
#: an order (``orders_placed``) and the timers (``timers_expired``).
_PARTY_KINDS: Final = tuple(k for k in EVENT_TYPES.values() if k not in (OrderPlaced, TimerExpired))


@st.composite
def any_events(
    draw: st.DrawFn,
    after: datetime,
    currency: str = "USD",
    kinds: tuple[type[Event], ...] = _PARTY_KINDS,
) -> Event:
    """Any event at all (valid or not for a given order), at or after ``after``: for
    checking that refusals leave an order unchanged. One of ``kinds`` (every event type
    but ``OrderPlaced`` and ``TimerExpired`` unless told), its fields drawn by type."""
    at = after + timedelta(minutes=draw(st.integers(0, 60 * 24 * 40)))
    amounts = money(currency=currency, min_amount=Decimal("0.01"), max_amount=10**6)
    while True:
        kind = draw(st.sampled_from(kinds))
        event = _event(draw, kind, at, amounts, at.date())
        if event is not None:
            return event


def timers_expired(
    min_value: datetime = _EPOCH, max_value: datetime = datetime(2030, 1, 1, tzinfo=UTC)
) -> st.SearchStrategy[TimerExpired]:
    """A ``TimerExpired`` of any timer (``TIMERS``) at an instant between the bounds."""
    return st.builds(
        TimerExpired,
        at=instants(min_value, max_value),
        timer=st.sampled_from(sorted(TIMERS)),
        event_id=st.none() | st.from_regex(r"T-[0-9]{1,6}", fullmatch=True),
    )
