"""Strategies for escrow events and whole, valid order histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from tradeassure.escrow import (
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    FeedbackLeft,
    InspectionReported,
    Order,
    OrderPlaced,
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
    check,
    covered_amount,
    due_events,
    place,
)
from tradeassure.events import EVENT_TYPES
from tradeassure.money import Money, minor_unit
from tradeassure.policy import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.testing._money import money

__all__ = ["any_events", "instants", "order_histories", "orders_placed"]

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
    return OrderPlaced(
        order_id=draw(st.from_regex(r"PO-[0-9]{1,6}", fullmatch=True)),
        at=start,
        buyer="buyer",
        supplier="supplier",
        total=total,
        ship_by=start.date() + timedelta(days=draw(st.integers(3, 80))),
        drafted_by=draw(st.sampled_from((Party.SUPPLIER, Party.BUYER))),
        protected=draw(st.booleans()),
        protection_limit=limit,
        deposit=deposit,
        specifications=draw(st.sampled_from(((), ("PP, 2 mm wall, RAL 9010",)))),
    )


def _part(draw: st.DrawFn, up_to: Money, at_least: Money | None = None) -> Money:
    low = (
        at_least.amount if at_least is not None else Decimal(1).scaleb(-minor_unit(up_to.currency))
    )
    return draw(
        st.just(up_to)
        | money(currency=up_to.currency, min_amount=min(low, up_to.amount), max_amount=up_to.amount)
    )


def _candidate(
    draw: st.DrawFn, o: Order, kind: type[Event], at: datetime, p: EscrowPolicy
) -> Event | None:
    """An event of ``kind`` that the order should accept at ``at`` (or None)."""
    c = o.contract
    other = Party.SUPPLIER if c.drafted_by is Party.BUYER else Party.BUYER
    eid = f"{kind.__name__}-{len(o.history)}"
    if kind is ContractConfirmed:
        return ContractConfirmed(at=at, by=other, event_id=eid)
    if kind is PaymentReceived:
        due = c.total - o.paid
        floor = c.deposit if (c.deposit is not None and o.paid.is_zero) else None
        return PaymentReceived(
            at=at,
            amount=_part(draw, due, floor),
            method=draw(st.sampled_from(sorted(p.accepted_methods, key=lambda m: m.value))),
            via_checkout=draw(st.booleans() | st.just(True)),
            event_id=eid,
        )
    if kind is Shipped:
        left = c.total - o.shipped
        value = _part(draw, left)
        return Shipped(at=at, value=value, final=value == left, event_id=eid)
    if kind is ShippingDateExtended:
        return ShippingDateExtended(
            at=at,
            new_ship_by=o.ship_by + timedelta(days=draw(st.integers(1, 20))),
            buyer_agrees=True,
            supplier_agrees=True,
            event_id=eid,
        )
    if kind is ReceiptConfirmed:
        return ReceiptConfirmed(at=at, event_id=eid)
    if kind is ReceiptDeadlineExtended:
        return ReceiptDeadlineExtended(
            at=at, by=draw(st.sampled_from((Party.BUYER, Party.SUPPLIER))), event_id=eid
        )
    if kind is FeedbackLeft:
        return FeedbackLeft(at=at, rating=draw(st.integers(1, 5)), event_id=eid)
    if kind is CancellationRequested:
        return CancellationRequested(
            at=at, by=draw(st.sampled_from((Party.BUYER, Party.SUPPLIER))), event_id=eid
        )
    if kind in (CancellationAgreed, CancellationDeclined):
        assert o.cancellation is not None
        answer = Party.SUPPLIER if o.cancellation.by is Party.BUYER else Party.BUYER
        return kind(at=at, by=answer, event_id=eid)
    if kind is DisputeOpened:
        reason = draw(st.sampled_from(list(DisputeReason)))
        pool = o.held if o.status is not OrderStatus.COMPLETED else o.released
        if pool.is_zero:
            return None
        return DisputeOpened(
            at=at,
            reason=reason,
            claim=_part(draw, pool),
            evidence=("photo.jpg",),
            event_id=eid,
        )
    if kind is InspectionReported:
        return InspectionReported(at=at, passed=draw(st.booleans()), event_id=eid)
    if kind in (DisputeSettled, PlatformRuled):
        d = o.dispute
        assert d is not None
        pool = o.held if not d.after_receipt else o.held + o.released
        if kind is PlatformRuled:
            pool = min(pool, covered_amount(o, p))
            if d.window_opened_at is not None:
                at = max(at, d.window_opened_at + timedelta(days=p.supplier_window_days + 1))
            return PlatformRuled(
                at=at, refund=_part(draw, pool) if pool.amount else pool, event_id=eid
            )
        if d.window_opened_at is not None:
            at = min(at, d.window_opened_at + timedelta(days=p.supplier_window_days))
            at = max(at, o.updated_at)
        return DisputeSettled(
            at=at, refund=_part(draw, pool) if pool.amount else pool, event_id=eid
        )
    if kind is RefundIssued:
        return RefundIssued(
            at=at, amount=o.held, bank_account="GB29NWBK60161331926819", event_id=eid
        )
    return None


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
    first = attrs.evolve(draw(orders_placed(currency=currency)), event_id="placed")
    order = place(first, policy)
    history: list[Event] = [first]
    for _ in range(draw(st.integers(0, max_events))):
        days = draw(st.sampled_from((1, 1, 1, 3, 3, 10, 70)))
        now = order.updated_at + timedelta(minutes=draw(st.integers(1, 60 * 24 * days)))
        for timer in due_events(order, now, policy):
            order = apply(order, timer, policy)
            history.append(timer)
        kinds = sorted(allowed_events(order, policy) - {TimerExpired}, key=lambda k: k.__name__)
        if not kinds:
            break
        # Progress is likelier than detours, so histories reach disputes and refunds.
        kind = draw(st.sampled_from([k for k in kinds for _ in range(_WEIGHT.get(k, 1))]))
        event = _candidate(draw, order, kind, max(now, order.updated_at), policy)
        if event is None or check(order, event, policy):
            continue
        order = apply(order, event, policy)
        history.append(event)
    return tuple(history)


@st.composite
def any_events(draw: st.DrawFn, after: datetime, currency: str = "USD") -> Event:
    """Any event at all (valid or not for a given order), at or after ``after``: for
    checking that refusals leave an order unchanged."""
    at = after + timedelta(minutes=draw(st.integers(0, 60 * 24 * 40)))
    amount = money(currency=currency, min_amount=Decimal("0.01"), max_amount=10**6)
    party = st.sampled_from(list(Party))
    kind = draw(
        st.sampled_from([k for k in EVENT_TYPES.values() if k not in (OrderPlaced, TimerExpired)])
    )
    if kind in (
        ContractConfirmed,
        ReceiptDeadlineExtended,
        CancellationRequested,
        CancellationAgreed,
        CancellationDeclined,
    ):
        return kind(at=at, by=draw(party))
    if kind is PaymentReceived:
        return PaymentReceived(
            at=at,
            amount=draw(amount),
            method=draw(st.sampled_from(list(PaymentMethod))),
            via_checkout=draw(st.booleans()),
        )
    if kind is Shipped:
        return Shipped(at=at, value=draw(amount), final=draw(st.booleans()))
    if kind is ShippingDateExtended:
        return ShippingDateExtended(
            at=at,
            new_ship_by=at.date() + timedelta(days=draw(st.integers(-5, 120))),
            buyer_agrees=draw(st.booleans()),
            supplier_agrees=draw(st.booleans()),
        )
    if kind is FeedbackLeft:
        return FeedbackLeft(at=at, rating=draw(st.integers(1, 5)))
    if kind is DisputeOpened:
        return DisputeOpened(
            at=at,
            reason=draw(st.sampled_from(list(DisputeReason))),
            claim=draw(amount),
            evidence=draw(st.sampled_from(((), ("x",)))),
        )
    if kind is InspectionReported:
        return InspectionReported(at=at, passed=draw(st.booleans()))
    if kind in (DisputeSettled, PlatformRuled):
        return kind(at=at, refund=draw(amount))
    if kind is RefundIssued:
        return RefundIssued(
            at=at, amount=draw(amount), bank_account=draw(st.none() | st.just("GB29NWBK"))
        )
    return ReceiptConfirmed(at=at)
