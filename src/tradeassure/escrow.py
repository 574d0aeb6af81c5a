"""The escrow order lifecycle: a pure fold of events into an order's state.

A backend stores an order's events and asks this module what state the order is in
(:func:`replay`), whether the next event is allowed (:func:`check`, :func:`apply`),
what may happen next (:func:`allowed_events`), by when (:func:`deadlines`,
:func:`due_events`), and who gets the money (``Order.held``, ``released``,
``refunded``; :func:`covered_amount`). Nothing here reads a clock: "now" is always an
event's ``at`` or an argument.

The state machine is one table, :data:`TRANSITIONS` (status x event type -> handler),
read by :func:`apply`, :func:`allowed_events`, the docs and the diagram alike. A
refused event raises :class:`~tradeassure.errors.RuleViolation` naming the rule.

>>> from datetime import date, datetime, timedelta, timezone
>>> t0 = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
>>> usd = lambda amount: Money(amount, "USD")
>>> order = replay([
...     OrderPlaced(order_id="PO-7", at=t0, buyer="Acme Ltd", supplier="Shenzhen Co",
...                 total=usd(10_000), ship_by=date(2025, 10, 20)),
...     ContractConfirmed(at=t0 + timedelta(hours=2), by=Party.BUYER),
...     PaymentReceived(at=t0 + timedelta(days=1), amount=usd(10_000),
...                     method=PaymentMethod.TT),
...     Shipped(at=t0 + timedelta(days=30), value=usd(10_000), final=True),
... ])
>>> order.status, str(order.held)
(<OrderStatus.SHIPPED: 'shipped'>, 'USD 10,000.00')
>>> done = apply(order, ReceiptConfirmed(at=t0 + timedelta(days=50)))
>>> done.status, str(done.released)
(<OrderStatus.COMPLETED: 'completed'>, 'USD 10,000.00')
>>> late = DisputeOpened(at=t0 + timedelta(days=51), reason=DisputeReason.DAMAGED,
...                      claim=usd(500), evidence=("photo.jpg",))
>>> for violation in check(done, late):
...     print(violation)
ESC-DISPUTE-COMPLETED: order PO-7 was completed on 2025-10-21; a completed order cannot
be disputed
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs
import immutables

if TYPE_CHECKING:
    from pyrsistent import pvector
    from pyrsistent.typing import PVector, PVectorEvolver
else:
    # What ``Order.history``'s annotation resolves to at run time (attrs.resolve_types,
    # typing.get_type_hints): a PVector is a Sequence.
    from collections.abc import Sequence as PVector

    try:  # pyrsistent's C vector, without the 20 ms the whole package takes to import
        from pvectorc import pvector
    except ImportError:  # pragma: no cover - pyrsistent without its C extension
        from pyrsistent import pvector

from tradeassure import _display
from tradeassure.errors import CurrencyMismatch, InvalidInput, RuleViolation
from tradeassure.events import (
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
from tradeassure.money import Money, _MoneyContext
from tradeassure.policy import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.shipping import add_working_days, calendar_for, extend, is_late, refund_arrival
from tradeassure.terms import Party, PaymentMethod

__all__ = [
    "PLACEMENT_RULES",
    "TRANSITIONS",
    "CancellationAgreed",
    "CancellationDeclined",
    "CancellationRequest",
    "CancellationRequested",
    "Contract",
    "ContractConfirmed",
    "Deadlines",
    "Dispute",
    "DisputeOpened",
    "DisputeReason",
    "DisputeSettled",
    "Event",
    "EventIdConflict",
    "FeedbackLeft",
    "Inspection",
    "InspectionReported",
    "Milestones",
    "Order",
    "OrderPlaced",
    "OrderStatus",
    "Party",
    "PaymentMethod",
    "PaymentReceived",
    "PlatformRuled",
    "ReceiptConfirmed",
    "ReceiptDeadlineExtended",
    "RefundIssued",
    "Shipped",
    "ShippingDateExtended",
    "TimerExpired",
    "Transition",
    "advance",
    "allowed_events",
    "apply",
    "check",
    "covered_amount",
    "deadlines",
    "due_events",
    "place",
    "replay",
]


class OrderStatus(enum.Enum):
    """Where an order stands (RULES.md section 1, decision on states)."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"
    AWAITING_PAYMENT = "awaiting_payment"
    PARTIALLY_PAID = "partially_paid"
    FUNDS_HELD = "funds_held"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLATION_REQUESTED = "cancellation_requested"
    DISPUTED = "disputed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"

    # Members are singletons: identity hashing keeps the transition-table lookup in C.
    __hash__ = object.__hash__

    @property
    def label(self) -> str:
        """The status in words: ``funds held``."""
        return self.value.replace("_", " ")


S = OrderStatus


class EventIdConflict(InvalidInput):
    """An event reuses an ``event_id`` the order has seen, with different content."""


# -- values -------------------------------------------------------------------------------


@attrs.frozen
class Contract:
    """The terms fixed when the order was placed (ESC-CONTRACT-SCOPE).

    Attributes:
        buyer, supplier: the parties.
        total: the contract's total amount.
        drafted_by: who drafted it; the other party confirms (ESC-ORDER-ORIGIN).
        protected: whether the supplier participates (TA-SUPPLIER).
        protection_limit: the supplier's cap on coverage, or None (TA-LIMIT).
        deposit: the initial deposit asked for, or None (ESC-DEPOSIT).
        specifications: the measurable requirements (TA-SPEC-QUANTIFIABLE).
        supplier_country, buyer_country: calendars for ship dates and refund arrival.
        placed_at: when the contract was drafted.
    """

    buyer: str
    supplier: str
    total: Money
    drafted_by: Party
    protected: bool
    protection_limit: Money | None
    deposit: Money | None
    specifications: tuple[str, ...]
    supplier_country: str
    buyer_country: str | None
    placed_at: datetime


@attrs.frozen
class Inspection:
    """The inspection company's latest report (TA-INSPECTION)."""

    passed: bool
    at: datetime
    report: str


@attrs.frozen
class Dispute:
    """A dispute and, once decided, its outcome.

    Attributes:
        reason, claim, evidence: as the buyer filed them.
        opened_at: when the dispute was opened.
        after_receipt: filed after confirmed receipt, within the policy's claim window
            (TMR-CLAIM-AFTER-RECEIPT): its refund comes back out of the released money.
        window_opened_at: when the supplier's window began (TA-SUPPLIER-15-DAYS): at
            opening, or for a claim about the goods at the disagreement with a rejecting
            inspection (TA-INSPECTION); None while no window runs.
        escalated_at: when it escalated to the platform automatically
            (TMR-SUPPLIER-RESPONSE), or None.
        refund: the decided refund, None while undecided (ESC-PARTIAL-RELEASE).
        resolved_at, resolved_by: when and by whom it was decided (the parties'
            settlement is ``Party.SUPPLIER``, a ruling ``Party.PLATFORM``).
        prior_status: the status the order had when the dispute opened.
    """

    reason: DisputeReason
    claim: Money
    evidence: tuple[str, ...]
    opened_at: datetime
    after_receipt: bool
    prior_status: OrderStatus
    window_opened_at: datetime | None = None
    escalated_at: datetime | None = None
    refund: Money | None = None
    resolved_at: datetime | None = None
    resolved_by: Party | None = None


@attrs.frozen
class Milestones:
    """When the order passed the points that later rules count from."""

    confirmed_at: datetime | None = None
    final_shipped_at: datetime | None = None
    completed_at: datetime | None = None
    refund_issued_at: datetime | None = None
    receipt_extended_by: frozenset[Party] = frozenset()
    feedback: int | None = None


@attrs.frozen
class CancellationRequest:
    """A pending request to cancel (ESC-CANCEL-SHIPPED)."""

    by: Party
    at: datetime
    prior_status: OrderStatus


def _order_repr(order: Order) -> str:
    return (
        f"<Order {order.order_id} {order.status.label}: total {order.total}, paid {order.paid},"
        f" held {order.held}, released {order.released}, refunded {order.refunded};"
        f" {len(order.history)} events>"
    )


@attrs.frozen(repr=False)
class Order:
    """An order's state: what a fold of its events gives. Build it with :func:`place`
    or :func:`replay`, never by hand.

    Attributes:
        order_id: the order's id.
        status: where it stands.
        contract: the terms fixed at placement.
        ship_by: the agreed shipping date, as extended (SHIP-DATE, SHIP-EXTEND).
        paid: everything the buyer paid, in escrow or not (ESC-DEPOSIT).
        held: money in escrow, not yet the supplier's (ESC-HOLD).
        released: money that went to the supplier, including payments made outside the
            checkout, which never passed through escrow (ESC-RELEASE, TA-CHECKOUT-ONLY).
        refunded: money that went back to the buyer.
        shipped: the value shipped so far (SHIP-PARTIAL).
        milestones: when the order was confirmed, shipped, completed, refunded.
        inspection: the latest inspection report, or None.
        cancellation: a pending cancellation request, or None.
        dispute: the current or decided dispute, or None.
        updated_at: the instant of the latest event; events must not go back in time.
        seen: events by ``event_id``, for idempotent redelivery.
        history: every applied event, in order (a persistent vector).

    ESC-CONSERVATION holds for every order: ``paid == held + released + refunded``.
    """

    order_id: str
    status: OrderStatus
    contract: Contract
    ship_by: date
    paid: Money
    held: Money
    released: Money
    refunded: Money
    shipped: Money
    milestones: Milestones
    inspection: Inspection | None
    cancellation: CancellationRequest | None
    dispute: Dispute | None
    updated_at: datetime
    seen: immutables.Map[str, Event]
    history: PVector[Event]

    __repr__ = _order_repr

    @property
    def total(self) -> Money:
        """The contract's total."""
        return self.contract.total

    @property
    def events(self) -> tuple[Event, ...]:
        """Every applied event, in order (what :func:`replay` would take back)."""
        return tuple(self.history)

    # Notebook views: tradeassure.views registers them (tradeassure._display).

    def _repr_html_(self) -> str:
        return _display.html("order_html", self)

    def timeline_rows(self, policy: EscrowPolicy = DEFAULT_ESCROW) -> list[dict[str, object]]:
        """One plain dict per event, with the money after it (``pandas.DataFrame`` ready)."""
        return _display.rows("timeline_rows", self, policy)

    def money_rows(self) -> list[dict[str, object]]:
        """Paid, held, released, refunded and shipped as plain dicts."""
        return _display.rows("money_rows", self)

    def deadline_rows(self, policy: EscrowPolicy = DEFAULT_ESCROW) -> list[dict[str, object]]:
        """The next deadlines (:func:`deadlines`) as plain dicts, with their rule ids."""
        return _display.rows("deadline_rows", self, policy)

    @property
    def is_closed(self) -> bool:
        """True once the order is cancelled or refunded: it accepts no event any more
        (ESC-STATES). A completed order is not closed: it still takes its feedback."""
        return self.status in _CLOSED


class _Same(enum.Enum):
    """Marks a milestone :func:`_mark` keeps as it was."""

    SAME = 0


_SAME: Final = _Same.SAME


#: An order's paid, held, released, refunded and shipped amounts, in that order.
_Amounts = tuple[Money, Money, Money, Money, Money]


class _Draft:
    """An order being decided: the fold's private, mutable working copy of an
    :class:`Order`.

    :func:`replay` keeps one draft for a whole history and :func:`apply` one per event,
    so deciding an event assigns a few fields instead of building a frozen ``Order`` and
    its ``Money`` values: the order is frozen once, at the end (:func:`_freeze`).
    Amounts are bare ``Decimal`` in the order's currency, summed in the money context
    (:class:`_MoneyContext`); the seen ids and the history are an ``immutables`` map mutation
    and a ``pyrsistent`` vector evolver, which :func:`_freeze` makes persistent again.
    A handler changes the draft only once it accepts the event, so a refused event
    leaves it as it was. No draft leaves this module, and no frozen value is ever
    changed.
    """

    __slots__ = (
        "cancellation",
        "closing_at",
        "closing_milestones",
        "closing_status",
        "contract",
        "currency",
        "dispute",
        "held",
        "history",
        "inspection",
        "milestones",
        "order_id",
        "origin",
        "paid",
        "refunded",
        "released",
        "seen",
        "ship_by",
        "shipped",
        "status",
        "total",
        "updated_at",
    )

    def __init__(
        self,
        order_id: str,
        status: OrderStatus,
        contract: Contract,
        ship_by: date,
        origin: _Amounts,
        milestones: Milestones,
        inspection: Inspection | None,
        cancellation: CancellationRequest | None,
        dispute: Dispute | None,
        updated_at: datetime,
        seen: immutables.MapMutation[str, Event],
        history: PVectorEvolver[Event],
    ) -> None:
        self.order_id = order_id
        self.status = status
        self.contract = contract
        self.currency = contract.total.currency
        self.total = contract.total.amount
        self.ship_by = ship_by
        self.origin = origin
        self.paid = origin[0].amount
        self.held = origin[1].amount
        self.released = origin[2].amount
        self.refunded = origin[3].amount
        self.shipped = origin[4].amount
        self.milestones = milestones
        self.inspection = inspection
        self.cancellation = cancellation
        self.dispute = dispute
        self.updated_at = updated_at
        self.seen = seen
        self.history = history
        # When the closing timer of the current status falls due, computed once per
        # status and milestones (see _decide).
        self.closing_status: OrderStatus | None = None
        self.closing_milestones: Milestones | None = None
        self.closing_at: datetime | None = None

    def money(self, amount: Decimal) -> Money:
        """``amount`` in the order's currency (for messages and results)."""
        return Money._make(amount, self.currency)

    @property
    def zero(self) -> Decimal:
        """Nothing, at the scale of the order's total."""
        return self.total * 0


def _draft(o: Order) -> _Draft:
    """A working copy of ``o``; deciding events on it never changes ``o``."""
    return _Draft(
        o.order_id,
        o.status,
        o.contract,
        o.ship_by,
        (o.paid, o.held, o.released, o.refunded, o.shipped),
        o.milestones,
        o.inspection,
        o.cancellation,
        o.dispute,
        o.updated_at,
        o.seen.mutate(),
        o.history.evolver(),
    )


def _kept(before: Money, amount: Decimal) -> Money:
    """``before`` when its amount is unchanged (no new value to build), else a new Money."""
    if before.amount is amount:
        return before
    return Money._make(amount, before.currency)


def _freeze(d: _Draft) -> Order:
    """The frozen order a draft stands for, reusing the amounts it started from where
    they are unchanged. Finishes the draft's collections: the draft is not used again."""
    origin = d.origin
    return Order(
        d.order_id,
        d.status,
        d.contract,
        d.ship_by,
        _kept(origin[0], d.paid),
        _kept(origin[1], d.held),
        _kept(origin[2], d.released),
        _kept(origin[3], d.refunded),
        _kept(origin[4], d.shipped),
        d.milestones,
        d.inspection,
        d.cancellation,
        d.dispute,
        d.updated_at,
        d.seen.finish(),
        d.history.persistent(),
    )


def _mark(
    m: Milestones,
    *,
    confirmed_at: datetime | _Same = _SAME,
    final_shipped_at: datetime | _Same = _SAME,
    completed_at: datetime | _Same | None = _SAME,
    refund_issued_at: datetime | _Same = _SAME,
    receipt_extended_by: frozenset[Party] | _Same = _SAME,
    feedback: int | _Same = _SAME,
) -> Milestones:
    """``m`` with the given milestones set (one constructor call, no ``attrs.evolve``)."""
    return Milestones(
        m.confirmed_at if confirmed_at is _SAME else confirmed_at,
        m.final_shipped_at if final_shipped_at is _SAME else final_shipped_at,
        m.completed_at if completed_at is _SAME else completed_at,
        m.refund_issued_at if refund_issued_at is _SAME else refund_issued_at,
        m.receipt_extended_by if receipt_extended_by is _SAME else receipt_extended_by,
        m.feedback if feedback is _SAME else feedback,
    )


# -- helpers ------------------------------------------------------------------------------

#: A handler decides one event on a draft: None once it has applied it, or the
#: violation that refuses it (the draft then untouched).
Handler = Callable[[_Draft, Event, EscrowPolicy], RuleViolation | None]

_CLOSED: Final = frozenset({S.CANCELLED, S.REFUNDED})
_CONTRACT_PARTIES: Final = frozenset({Party.BUYER, Party.SUPPLIER})


@cache
def _days(n: int) -> timedelta:
    """``n`` calendar days; cached because building a timedelta costs more than the rest
    of a timer check."""
    return timedelta(days=n)


def _currency(d: _Draft, amount: Money, what: str) -> Decimal:
    """The bare amount of ``amount``, which must be in the order's currency."""
    if amount.currency != d.currency:
        raise _mismatch(d, amount, what)
    return amount.amount


def _mismatch(d: _Draft, amount: Money, what: str) -> CurrencyMismatch:
    return CurrencyMismatch(
        f"{what} is in {amount.currency} but order {d.order_id} is in {d.currency}"
    )


def _day(instant: datetime) -> date:
    """The calendar date of an instant, in the instant's own offset."""
    return instant.date()


def _other_party(party: Party) -> Party:
    return Party.SUPPLIER if party is Party.BUYER else Party.BUYER


def _escrow_payments(d: _Draft) -> Iterator[PaymentReceived]:
    """The payments made through the checkout, read back from the history: only the rare
    coverage and refund questions need them, so the hot path keeps no tally."""
    history = d.history
    for i in range(len(history)):
        e = history[i]
        if type(e) is PaymentReceived and e.via_checkout:
            yield e


def _escrow_paid(d: _Draft) -> Decimal:
    total = d.zero
    for pay in _escrow_payments(d):
        total += pay.amount.amount
    return total


def _claim_pool(d: _Draft, dispute: Dispute | None = None) -> Decimal:
    """What a dispute's refund can come from: the hold, or for a claim after receipt the
    escrow money already released (ESC-CONSERVATION, TMR-CLAIM-AFTER-RECEIPT)."""
    if dispute is not None and dispute.after_receipt:
        return d.released - (d.paid - _escrow_paid(d)) + d.held
    return d.held


# -- handlers: contract and payment -------------------------------------------------------


def _confirm(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-ORDER-ORIGIN: the party that did not draft the contract confirms it."""
    assert isinstance(e, ContractConfirmed)
    drafter = d.contract.drafted_by
    if e.by is drafter or e.by is Party.PLATFORM:
        return RuleViolation(
            "ESC-ORDER-ORIGIN",
            f"order {d.order_id} was drafted by the {drafter.value}; only the "
            f"{_other_party(drafter).value} can confirm it",
        )
    d.status = S.AWAITING_PAYMENT
    d.milestones = _mark(d.milestones, confirmed_at=e.at)
    return None


def _pay(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-PAY-AFTER-CONFIRM, ESC-DEPOSIT, TA-METHODS, TA-CHECKOUT-ONLY: a payment on a
    confirmed order, never over the total, by an accepted method; money paid outside the
    checkout goes straight to the supplier and is never held."""
    assert isinstance(e, PaymentReceived)
    money = e.amount
    if money.currency != d.currency:  # _currency, inlined: payments are the commonest event
        raise _mismatch(d, money, "the payment")
    amount = money.amount
    if e.method not in p.accepted_methods:
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
    deposit = d.contract.deposit
    if deposit is not None and not d.paid and amount < deposit.amount:
        return RuleViolation(
            "ESC-DEPOSIT",
            f"the first payment on order {d.order_id} must cover the deposit of {deposit}; "
            f"{e.amount} was offered",
        )
    d.status = S.FUNDS_HELD if paid == total else S.PARTIALLY_PAID
    d.paid = paid
    if e.via_checkout:
        d.held += amount
    else:
        d.released += amount
    return None


# -- handlers: shipping and receipt -------------------------------------------------------


def _ship(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """SHIP-PARTIAL: shipments add up to the total at most; the one that completes the
    order is final."""
    assert isinstance(e, Shipped)
    value = e.value
    if value.currency != d.currency:  # _currency, inlined as in _pay
        raise _mismatch(d, value, "the shipment's value")
    total = d.total
    shipped = d.shipped + value.amount
    if shipped > total:
        return RuleViolation(
            "SHIP-PARTIAL",
            f"a shipment worth {e.value} would bring order {d.order_id} to "
            f"{d.money(shipped)} shipped, over its total {d.contract.total}; at most "
            f"{d.money(total - d.shipped)} remains",
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
    d.milestones = _mark(d.milestones, final_shipped_at=e.at)
    return None


def _extend_ship_by(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """SHIP-EXTEND, TMR-SHIP-EXTEND-CAP: a later ship-by date both parties agree to, never
    past the cap counted from confirmation (or placement, before it)."""
    assert isinstance(e, ShippingDateExtended)
    try:
        new_date = extend(d.ship_by, e.new_ship_by, e.buyer_agrees, e.supplier_agrees)
    except RuleViolation as refusal:
        return refusal
    start = _day(d.milestones.confirmed_at or d.contract.placed_at)
    cap = start + _days(p.shipping.ship_extend_cap_days)
    if new_date > cap:
        return RuleViolation(
            "TMR-SHIP-EXTEND-CAP",
            f"ship-by {new_date} is more than {p.shipping.ship_extend_cap_days} days after "
            f"{start}; the latest ship-by order {d.order_id} can have is {cap}",
        )
    d.ship_by = new_date
    return None


def _confirm_receipt(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-RELEASE: with the whole order shipped, the buyer's confirmation releases the
    hold to the supplier and completes the order."""
    _complete(d, e)
    return None


def _complete(d: _Draft, e: Event) -> None:
    d.status = S.COMPLETED
    d.released += d.held
    d.held = d.zero
    d.milestones = _mark(d.milestones, completed_at=e.at)


def _extend_receipt(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TMR-RECEIPT-EXTEND: each party may push the automatic completion back once, within
    the policy's total."""
    assert isinstance(e, ReceiptDeadlineExtended)
    m = d.milestones
    if e.by not in _CONTRACT_PARTIES:
        return RuleViolation(
            "TMR-RECEIPT-EXTEND", "only the buyer or the supplier can extend the receipt deadline"
        )
    if e.by in m.receipt_extended_by:
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
    d.milestones = _mark(m, receipt_extended_by=m.receipt_extended_by | {e.by})
    return None


def _feedback(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-FEEDBACK: after confirming receipt the buyer may leave feedback, once."""
    assert isinstance(e, FeedbackLeft)
    m = d.milestones
    if m.feedback is not None:
        return RuleViolation(
            "ESC-FEEDBACK", f"feedback on order {d.order_id} was already left; it is left once"
        )
    d.milestones = _mark(m, feedback=e.rating)
    return None


# -- handlers: cancellation ---------------------------------------------------------------


def _cancel_now(d: _Draft, e: Event) -> None:
    """Cancel, returning whatever escrow holds to the buyer at once."""
    d.status = S.CANCELLED
    d.cancellation = None
    if d.held:
        d.refunded += d.held
        d.held = d.zero
        d.milestones = _mark(d.milestones, refund_issued_at=e.at)


def _request_cancel(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-CANCEL-SHIPPED: either party cancels an unpaid order at once; a paid order
    needs the other's agreement, and after shipment only the buyer may ask."""
    assert isinstance(e, CancellationRequested)
    if e.by not in _CONTRACT_PARTIES:
        return RuleViolation(
            "ESC-CANCEL-SHIPPED", "a cancellation is requested by the buyer or the supplier"
        )
    if d.status in (S.AWAITING_CONFIRMATION, S.AWAITING_PAYMENT):
        _cancel_now(d, e)
        return None
    if d.status in (S.PARTIALLY_SHIPPED, S.SHIPPED) and e.by is not Party.BUYER:
        return RuleViolation(
            "ESC-CANCEL-SHIPPED",
            f"order {d.order_id} has shipped; only the buyer can ask to cancel it now",
        )
    d.cancellation = CancellationRequest(e.by, e.at, d.status)
    d.status = S.CANCELLATION_REQUESTED
    return None


def _answer_cancel(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-CANCEL-SHIPPED: the party that did not ask agrees (the hold goes back to the
    buyer) or declines (the order goes on where it was)."""
    assert isinstance(e, CancellationAgreed | CancellationDeclined)
    request = d.cancellation
    assert request is not None
    expected = _other_party(request.by)
    if e.by is not expected:
        return RuleViolation(
            "ESC-CANCEL-SHIPPED",
            f"the {request.by.value} asked to cancel order {d.order_id}; only the "
            f"{expected.value} can answer",
        )
    if isinstance(e, CancellationDeclined):
        d.status = request.prior_status
        d.cancellation = None
    else:
        _cancel_now(d, e)
    return None


# -- handlers: disputes and refunds -------------------------------------------------------


def _open_dispute(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-DISPUTE-OPEN, ESC-DISPUTE-COMPLETED, TA-LATE-SHIPMENT, TA-EVIDENCE,
    TMR-CLAIM-AFTER-RECEIPT: who may dispute what, and when the supplier's window starts
    (at once, or for a claim about the goods at the disagreement with a rejecting
    inspection: TA-INSPECTION)."""
    assert isinstance(e, DisputeOpened)
    claim = _currency(d, e.claim, "the claim")
    reason = e.reason
    after_receipt = d.status is S.COMPLETED
    if after_receipt:
        completed = d.milestones.completed_at
        assert completed is not None
        days = p.claim_after_receipt_days
        if days == 0 or d.dispute is not None or not reason.concerns_goods:
            return RuleViolation(
                "ESC-DISPUTE-COMPLETED",
                f"order {d.order_id} was completed on {_day(completed)}; a completed order "
                "cannot be disputed",
            )
        if e.at > completed + _days(days):
            return RuleViolation(
                "ESC-DISPUTE-COMPLETED",
                f"order {d.order_id} was completed on {_day(completed)}; claims about the "
                f"goods were open until {completed + _days(days)} "
                "(TMR-CLAIM-AFTER-RECEIPT)",
            )
    if reason is DisputeReason.NOT_SHIPPED_ON_TIME:
        final = d.milestones.final_shipped_at
        if not is_late(d.ship_by, None if final is None else _day(final), _day(e.at)):
            return RuleViolation(
                "TA-LATE-SHIPMENT",
                f"order {d.order_id} is due to ship by {d.ship_by}"
                + ("" if final is None else f" and shipped on {_day(final)}")
                + "; a late-shipment dispute needs that date to have passed without a final "
                "shipment",
            )
    elif not d.shipped:
        return RuleViolation(
            "ESC-DISPUTE-OPEN",
            f"nothing of order {d.order_id} has shipped, so there is nothing to receive or "
            f"inspect; after ship-by {d.ship_by} a NOT_SHIPPED_ON_TIME dispute can be opened",
        )
    elif reason.concerns_goods and not e.evidence:
        return RuleViolation(
            "TA-EVIDENCE",
            "a claim about the goods carries evidence (photos, videos, inspection reports); "
            "none was given",
        )
    inspection = d.inspection
    window_opens = not reason.concerns_goods or (inspection is not None and not inspection.passed)
    dispute = Dispute(
        reason=reason,
        claim=e.claim,
        evidence=e.evidence,
        opened_at=e.at,
        after_receipt=after_receipt,
        prior_status=d.status,
        window_opened_at=e.at if window_opens else None,
    )
    pool = _claim_pool(d, dispute)
    if claim > pool:
        return RuleViolation(
            "ESC-CONSERVATION",
            f"the claim of {e.claim} exceeds the {d.money(pool)} that a refund on order "
            f"{d.order_id} can come from; claim at most {d.money(pool)}",
        )
    d.status = S.DISPUTED
    d.dispute = dispute
    return None


def _inspect(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-INSPECTION: record the report; a rejecting report on an open claim about the
    goods is the disagreement that starts the supplier's window."""
    assert isinstance(e, InspectionReported)
    dispute = d.dispute
    if d.status is S.DISPUTED and dispute is not None:
        if dispute.refund is not None:
            return _decided(d, dispute)
        if dispute.reason.concerns_goods and not e.passed and dispute.window_opened_at is None:
            d.dispute = attrs.evolve(dispute, window_opened_at=e.at)
    d.inspection = Inspection(e.passed, e.at, e.report)
    return None


def _decided(d: _Draft, dispute: Dispute) -> RuleViolation:
    return RuleViolation(
        "ESC-PARTIAL-RELEASE",
        f"the dispute on order {d.order_id} was decided at {dispute.resolved_at}; a hold "
        "resolves once",
    )


def _dispute_to_decide(d: _Draft, refund: Money) -> Dispute | RuleViolation:
    """The open dispute an outcome would decide: a decided one resolves no more
    (ESC-PARTIAL-RELEASE); a refund in another currency is malformed."""
    dispute = d.dispute
    assert dispute is not None
    if dispute.refund is not None:
        return _decided(d, dispute)
    _currency(d, refund, "the refund")
    return dispute


def _window_end(dispute: Dispute, p: EscrowPolicy) -> datetime | None:
    opened = dispute.window_opened_at
    return None if opened is None else opened + _days(p.supplier_window_days)


def _settle(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-SUPPLIER-15-DAYS: the parties may settle while the supplier's window runs."""
    assert isinstance(e, DisputeSettled)
    dispute = _dispute_to_decide(d, e.refund)
    if isinstance(dispute, RuleViolation):
        return dispute
    end = _window_end(dispute, p)
    if end is not None and e.at > end:
        return RuleViolation(
            "TA-SUPPLIER-15-DAYS",
            f"the supplier's window on order {d.order_id} closed at {end}; the platform "
            "rules now (PlatformRuled)",
        )
    return _resolve(d, e, dispute, e.refund, Party.SUPPLIER)


def _rule(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TA-SUPPLIER-15-DAYS, TA-INSPECTION, TA-SPEC-QUANTIFIABLE, TA-NO-BUYER-WHIM and the
    coverage rules: the platform rules once the supplier's window has passed, or at once
    on an inspection that passed the goods (then refunding nothing), and never refunds
    more than protection covers."""
    assert isinstance(e, PlatformRuled)
    dispute = _dispute_to_decide(d, e.refund)
    if isinstance(dispute, RuleViolation):
        return dispute
    end = _window_end(dispute, p)
    if end is None:
        inspection = d.inspection
        if inspection is None:
            return RuleViolation(
                "TA-INSPECTION",
                f"the platform rules on the inspection report; order {d.order_id} has none yet",
            )
        if not e.refund.is_zero:
            rule = "TA-NO-BUYER-WHIM" if d.contract.specifications else "TA-SPEC-QUANTIFIABLE"
            return RuleViolation(
                rule,
                f"the inspection of {_day(inspection.at)} passed the goods of order "
                f"{d.order_id}; the platform refunds nothing on the buyer's word alone",
            )
    elif e.at <= end:
        return RuleViolation(
            "TA-SUPPLIER-15-DAYS",
            f"the supplier has until {end} to resolve the dispute on order {d.order_id}; "
            "the platform may rule after that",
        )
    refund = e.refund.amount
    pool = _claim_pool(d, dispute)
    if refund > pool:
        return _beyond_pool(d, e.refund, pool)
    covered, binding = _coverage(d, p, pool)
    if refund > covered:
        assert binding is not None  # covered falls short of the pool only under a rule
        return RuleViolation(
            binding,
            f"protection covers {d.money(covered)} of order {d.order_id}; the platform can "
            "refund at most that",
        )
    return _resolve(d, e, dispute, e.refund, Party.PLATFORM)


def _beyond_pool(d: _Draft, refund: Money, pool: Decimal) -> RuleViolation:
    return RuleViolation(
        "ESC-CONSERVATION",
        f"a refund of {refund} exceeds the {d.money(pool)} it can come from on order "
        f"{d.order_id}; at most {d.money(pool)} can be refunded",
    )


def _resolve(
    d: _Draft, e: Event, dispute: Dispute, refund: Money, by: Party
) -> RuleViolation | None:
    """ESC-PARTIAL-RELEASE: the hold resolves once; what is not refunded is released."""
    amount = refund.amount
    pool = _claim_pool(d, dispute)
    if amount > pool:
        return _beyond_pool(d, refund, pool)
    if dispute.after_receipt:
        d.released, d.held = d.released - amount, d.held + amount
    else:
        d.released, d.held = d.released + d.held - amount, amount
    d.dispute = attrs.evolve(dispute, refund=refund, resolved_at=e.at, resolved_by=by)
    if amount:
        d.status = S.DISPUTED
    else:
        m = d.milestones
        d.status = S.COMPLETED
        d.milestones = _mark(m, completed_at=m.completed_at or e.at)
    return None


def _issue_refund(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """ESC-REFUND-WINDOW, ESC-CONSERVATION: pay out the decided refund, never more than
    is held, with bank details for a T/T payment."""
    assert isinstance(e, RefundIssued)
    dispute = d.dispute
    if dispute is None or dispute.refund is None:
        return RuleViolation(
            "ESC-PARTIAL-RELEASE",
            f"no refund has been decided on order {d.order_id}; the parties settle or the "
            "platform rules first",
        )
    amount = _currency(d, e.amount, "the refund")
    if amount > d.held:
        return RuleViolation(
            "ESC-CONSERVATION",
            f"a refund of {e.amount} exceeds the {d.money(d.held)} decided and still held for "
            f"order {d.order_id}",
        )
    if e.bank_account is None and any(
        pay.method is PaymentMethod.TT for pay in _escrow_payments(d)
    ):
        return RuleViolation(
            "ESC-REFUND-WINDOW",
            f"order {d.order_id} was paid by T/T; the refund needs the buyer's T/T bank "
            "account details (bank_account)",
        )
    d.held -= amount
    d.refunded += amount
    d.status = S.DISPUTED if d.held else S.REFUNDED
    d.milestones = _mark(d.milestones, refund_issued_at=e.at)
    return None


# -- coverage -----------------------------------------------------------------------------


def _coverage(d: _Draft, p: EscrowPolicy, pool: Decimal) -> tuple[Decimal, str | None]:
    """What protection covers out of ``pool``, and the rule that limits it (None when
    the whole pool is covered)."""
    c = d.contract
    zero = d.zero
    if not c.protected:
        return zero, "TA-SUPPLIER"
    minimum = p.min_protected_order
    if minimum is not None and (minimum.currency != d.currency or d.total < minimum.amount):
        return zero, "TA-MIN-ORDER"
    covered = pool
    binding: str | None = None
    # The pool never holds money paid outside the checkout (TA-CHECKOUT-ONLY): such
    # payments went straight to the supplier. Of escrow money, only covered methods count.
    covered_paid = zero
    for pay in _escrow_payments(d):
        if pay.method in p.covered_methods:
            covered_paid += pay.amount.amount
    if covered_paid < covered:
        covered, binding = covered_paid, "TA-METHODS"
    limit = c.protection_limit or p.default_protection_limit
    if limit is not None and limit.currency == d.currency and limit.amount < covered:
        covered, binding = limit.amount, "TA-LIMIT"
    return (covered if covered > 0 else zero), binding


def covered_amount(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Money:
    """What protection covers now (TA-SUPPLIER, TA-MIN-ORDER, TA-CHECKOUT-ONLY,
    TA-METHODS, TA-LIMIT): zero with a non-participating supplier or below the minimum
    order; otherwise the escrow money paid by covered methods and still held (or, for a
    claim after receipt, released), capped by the protection limit."""
    _arguments(order, policy)
    d = _draft(order)
    with _MoneyContext():
        covered = _coverage(d, policy, _claim_pool(d, d.dispute))[0]
    return d.money(covered)


# -- timers -------------------------------------------------------------------------------

#: What the timers read: an order, or a draft being decided (the same fields).
_Timed = Order | _Draft


def _confirm_due(o: _Timed, p: EscrowPolicy) -> datetime | None:
    return o.contract.placed_at + _days(p.confirm_days)


def _pay_due(o: _Timed, p: EscrowPolicy) -> datetime | None:
    confirmed = o.milestones.confirmed_at
    return None if confirmed is None else confirmed + _days(p.pay_days)


def _receipt_due(o: _Timed, p: EscrowPolicy) -> datetime | None:
    m = o.milestones
    if m.final_shipped_at is None:
        return None
    days = p.auto_complete_days + len(m.receipt_extended_by) * p.receipt_extension_days
    return m.final_shipped_at + _days(days)


def _escalation_due(o: _Timed, p: EscrowPolicy) -> datetime | None:
    d = o.dispute
    if d is None or d.refund is not None or d.escalated_at is not None:
        return None
    opened = d.window_opened_at
    return None if opened is None else opened + _days(p.auto_escalate_days)


_DueAt = Callable[[_Timed, EscrowPolicy], datetime | None]

#: The time-driven rule that runs in each status: (timer id, when it falls due). A timer
#: that closes the order (cancels or completes it) must be recorded before any later
#: event; the escalation timer only marks the dispute, so later events need not wait.
_TIMERS: Final[Mapping[OrderStatus, tuple[str, _DueAt]]] = MappingProxyType(
    {
        S.AWAITING_CONFIRMATION: ("TMR-CONFIRM", _confirm_due),
        S.AWAITING_PAYMENT: ("TMR-PAY", _pay_due),
        S.PARTIALLY_PAID: ("TMR-PAY", _pay_due),
        S.SHIPPED: ("TMR-AUTO-COMPLETE", _receipt_due),
        S.DISPUTED: ("TMR-SUPPLIER-RESPONSE", _escalation_due),
    }
)
_CLOSING_TIMERS: Final = frozenset({"TMR-CONFIRM", "TMR-PAY", "TMR-AUTO-COMPLETE"})
#: The statuses a closing timer runs in, and when it falls due (a plain dict: the fold
#: reads it for every event). These deadlines read only the contract and the milestones,
#: so the fold computes one once per (status, milestones) value; the escalation timer
#: also reads the dispute, which is why it is not here.
_CLOSING_DUE: Final[dict[OrderStatus, _DueAt]] = {
    s: due for s, (timer, due) in _TIMERS.items() if timer in _CLOSING_TIMERS
}


def _pending_timer(o: _Timed, p: EscrowPolicy) -> tuple[str, datetime] | None:
    entry = _TIMERS.get(o.status)
    if entry is None:
        return None
    due = entry[1](o, p)
    return None if due is None else (entry[0], due)


def _expire(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | None:
    """TMR-CONFIRM, TMR-PAY (cancel, returning the hold), TMR-AUTO-COMPLETE (complete and
    release), TMR-SUPPLIER-RESPONSE (escalate): a timer fires only in its status and
    only once due."""
    assert isinstance(e, TimerExpired)
    pending = _pending_timer(d, p)
    if pending is None or pending[0] != e.timer:
        return RuleViolation(
            e.timer, f"{e.timer} does not run while order {d.order_id} is {d.status.label}"
        )
    due = pending[1]
    if e.at < due:
        return RuleViolation(e.timer, f"{e.timer} on order {d.order_id} is not due until {due}")
    if e.timer == "TMR-AUTO-COMPLETE":
        _complete(d, e)
    elif e.timer == "TMR-SUPPLIER-RESPONSE":
        assert d.dispute is not None
        d.dispute = attrs.evolve(d.dispute, escalated_at=e.at)
    else:
        _cancel_now(d, e)
    return None


# -- the transition table -----------------------------------------------------------------


def _always(d: _Draft, p: EscrowPolicy) -> bool:
    return True


def _undecided(d: _Draft, p: EscrowPolicy) -> bool:
    return d.dispute is not None and d.dispute.refund is None


def _refund_due(d: _Draft, p: EscrowPolicy) -> bool:
    return d.dispute is not None and d.dispute.refund is not None and bool(d.held)


def _no_feedback(d: _Draft, p: EscrowPolicy) -> bool:
    return d.milestones.feedback is None


def _claim_open(d: _Draft, p: EscrowPolicy) -> bool:
    return p.claim_after_receipt_days > 0 and d.dispute is None


def _timer_pending(d: _Draft, p: EscrowPolicy) -> bool:
    return _pending_timer(d, p) is not None


#: Whether an order, as it stands, can take an event type at all.
Ready = Callable[[_Draft, EscrowPolicy], bool]


@attrs.frozen
class Transition:
    """One row of the state machine.

    Attributes:
        handler: decides the event: applies it to the fold's working copy of the order,
            or returns the violation that refuses it. Internal: call :func:`apply`.
        targets: the statuses it can lead to (for docs and the diagram).
        rules: the rule ids the handler applies (for docs and a replay's rule trace).
        ready: whether the order, as it stands, can take this event type at all (for
            :func:`allowed_events`); the handler still judges the event itself.
    """

    handler: Handler
    targets: tuple[OrderStatus, ...]
    rules: tuple[str, ...]
    ready: Ready = _always


_PRE_SHIPMENT: Final = (
    S.AWAITING_CONFIRMATION,
    S.AWAITING_PAYMENT,
    S.PARTIALLY_PAID,
    S.FUNDS_HELD,
    S.PARTIALLY_SHIPPED,
)
_PAID_UNSHIPPED_OR_SHIPPED: Final = (S.PARTIALLY_PAID, S.FUNDS_HELD, S.PARTIALLY_SHIPPED, S.SHIPPED)


#: The rule ids each handler applies, as its docstring names them.
_HANDLER_RULES: Final[Mapping[Handler, tuple[str, ...]]] = MappingProxyType(
    {
        _confirm: ("ESC-ORDER-ORIGIN",),
        _pay: ("ESC-PAY-AFTER-CONFIRM", "ESC-DEPOSIT", "TA-METHODS", "TA-CHECKOUT-ONLY"),
        _ship: ("SHIP-PARTIAL",),
        _extend_ship_by: ("SHIP-EXTEND", "TMR-SHIP-EXTEND-CAP"),
        _confirm_receipt: ("ESC-RELEASE",),
        _extend_receipt: ("TMR-RECEIPT-EXTEND",),
        _feedback: ("ESC-FEEDBACK",),
        _request_cancel: ("ESC-CANCEL-SHIPPED",),
        _answer_cancel: ("ESC-CANCEL-SHIPPED",),
        _open_dispute: (
            "ESC-DISPUTE-OPEN",
            "ESC-DISPUTE-COMPLETED",
            "TA-LATE-SHIPMENT",
            "TA-EVIDENCE",
            "TMR-CLAIM-AFTER-RECEIPT",
            "TA-INSPECTION",
            "ESC-CONSERVATION",
        ),
        _inspect: ("TA-INSPECTION",),
        _settle: ("TA-SUPPLIER-15-DAYS", "ESC-PARTIAL-RELEASE", "ESC-CONSERVATION"),
        _rule: (
            "TA-SUPPLIER-15-DAYS",
            "TA-INSPECTION",
            "TA-SPEC-QUANTIFIABLE",
            "TA-NO-BUYER-WHIM",
            "TA-SUPPLIER",
            "TA-MIN-ORDER",
            "TA-METHODS",
            "TA-CHECKOUT-ONLY",
            "TA-LIMIT",
            "ESC-PARTIAL-RELEASE",
            "ESC-CONSERVATION",
        ),
        _issue_refund: ("ESC-PARTIAL-RELEASE", "ESC-REFUND-WINDOW", "ESC-CONSERVATION"),
        _expire: ("TMR-CONFIRM", "TMR-PAY", "TMR-AUTO-COMPLETE", "TMR-SUPPLIER-RESPONSE"),
    }
)
#: The rules that judge an order's first event (:func:`place`).
PLACEMENT_RULES: Final = ("ESC-ORDER-ORIGIN", "ESC-CONTRACT-SCOPE")


def _rows() -> dict[tuple[OrderStatus, type[Event]], Transition]:
    def t(
        handler: Handler,
        targets: tuple[OrderStatus, ...],
        ready: Ready = _always,
    ) -> Transition:
        return Transition(handler, targets, _HANDLER_RULES[handler], ready)

    rows: dict[tuple[OrderStatus, type[Event]], Transition] = {
        (S.AWAITING_CONFIRMATION, ContractConfirmed): t(_confirm, (S.AWAITING_PAYMENT,)),
        (S.AWAITING_PAYMENT, PaymentReceived): t(_pay, (S.PARTIALLY_PAID, S.FUNDS_HELD)),
        (S.PARTIALLY_PAID, PaymentReceived): t(_pay, (S.PARTIALLY_PAID, S.FUNDS_HELD)),
        (S.FUNDS_HELD, Shipped): t(_ship, (S.PARTIALLY_SHIPPED, S.SHIPPED)),
        (S.PARTIALLY_SHIPPED, Shipped): t(_ship, (S.PARTIALLY_SHIPPED, S.SHIPPED)),
        (S.SHIPPED, ReceiptConfirmed): t(_confirm_receipt, (S.COMPLETED,)),
        (S.SHIPPED, ReceiptDeadlineExtended): t(_extend_receipt, (S.SHIPPED,)),
        (S.COMPLETED, FeedbackLeft): t(_feedback, (S.COMPLETED,), _no_feedback),
        (S.COMPLETED, DisputeOpened): t(_open_dispute, (S.DISPUTED,), _claim_open),
        (S.AWAITING_CONFIRMATION, CancellationRequested): t(_request_cancel, (S.CANCELLED,)),
        (S.AWAITING_PAYMENT, CancellationRequested): t(_request_cancel, (S.CANCELLED,)),
        (S.CANCELLATION_REQUESTED, CancellationAgreed): t(_answer_cancel, (S.CANCELLED,)),
        (S.CANCELLATION_REQUESTED, CancellationDeclined): t(
            _answer_cancel, _PAID_UNSHIPPED_OR_SHIPPED
        ),
        (S.DISPUTED, InspectionReported): t(_inspect, (S.DISPUTED,), _undecided),
        (S.DISPUTED, DisputeSettled): t(_settle, (S.DISPUTED, S.COMPLETED), _undecided),
        (S.DISPUTED, PlatformRuled): t(_rule, (S.DISPUTED, S.COMPLETED), _undecided),
        (S.DISPUTED, RefundIssued): t(_issue_refund, (S.DISPUTED, S.REFUNDED), _refund_due),
        (S.DISPUTED, TimerExpired): t(_expire, (S.DISPUTED,), _timer_pending),
        (S.AWAITING_CONFIRMATION, TimerExpired): t(_expire, (S.CANCELLED,), _timer_pending),
        (S.AWAITING_PAYMENT, TimerExpired): t(_expire, (S.CANCELLED,), _timer_pending),
        (S.PARTIALLY_PAID, TimerExpired): t(_expire, (S.CANCELLED,), _timer_pending),
        (S.SHIPPED, TimerExpired): t(_expire, (S.COMPLETED,), _timer_pending),
    }
    for status in _PRE_SHIPMENT:
        rows[status, ShippingDateExtended] = t(_extend_ship_by, (status,))
    for status in _PAID_UNSHIPPED_OR_SHIPPED:
        rows[status, CancellationRequested] = t(_request_cancel, (S.CANCELLATION_REQUESTED,))
        rows[status, DisputeOpened] = t(_open_dispute, (S.DISPUTED,))
    for status in (S.FUNDS_HELD, S.PARTIALLY_SHIPPED, S.SHIPPED):
        rows[status, InspectionReported] = t(_inspect, (status,))
    return rows


_TABLE: Final = _rows()
#: The state machine: (status, event type) -> transition. Anything not here is refused.
TRANSITIONS: Final[Mapping[tuple[OrderStatus, type[Event]], Transition]] = MappingProxyType(_TABLE)
# The same rows by status, then event type: the fold's lookup (no key tuple per event).
_ROWS: Final[dict[OrderStatus, dict[type[Event], Transition]]] = {
    status: {kind: row for (s, kind), row in _TABLE.items() if s is status} for status in S
}

# The rule that refuses an event type in a status the table has no row for; ESC-STATES
# where no more specific rule says why.
_OUT_OF_TURN: Final[Mapping[type[Event], Mapping[OrderStatus, str]]] = MappingProxyType(
    {
        OrderPlaced: dict.fromkeys(S, "ESC-ORDER-ORIGIN"),
        ContractConfirmed: dict.fromkeys(S, "ESC-ORDER-ORIGIN"),
        PaymentReceived: {
            S.AWAITING_CONFIRMATION: "ESC-PAY-AFTER-CONFIRM",
            **dict.fromkeys((S.FUNDS_HELD, S.PARTIALLY_SHIPPED, S.SHIPPED), "ESC-DEPOSIT"),
        },
        Shipped: {
            S.AWAITING_CONFIRMATION: "ESC-HOLD",
            S.AWAITING_PAYMENT: "ESC-HOLD",
            S.PARTIALLY_PAID: "ESC-DEPOSIT",
            S.SHIPPED: "SHIP-PARTIAL",
        },
        ReceiptConfirmed: dict.fromkeys(
            (*_PRE_SHIPMENT, S.CANCELLATION_REQUESTED, S.DISPUTED), "ESC-RELEASE"
        ),
        FeedbackLeft: dict.fromkeys(S, "ESC-FEEDBACK"),
        DisputeOpened: dict.fromkeys(
            (S.AWAITING_CONFIRMATION, S.AWAITING_PAYMENT, S.DISPUTED), "ESC-DISPUTE-OPEN"
        ),
        ShippingDateExtended: {S.SHIPPED: "SHIP-EXTEND"},
        CancellationAgreed: dict.fromkeys(S, "ESC-CANCEL-SHIPPED"),
        CancellationDeclined: dict.fromkeys(S, "ESC-CANCEL-SHIPPED"),
        InspectionReported: dict.fromkeys(S, "TA-INSPECTION"),
        RefundIssued: dict.fromkeys(S, "ESC-PARTIAL-RELEASE"),
        ReceiptDeadlineExtended: dict.fromkeys(S, "TMR-RECEIPT-EXTEND"),
    }
)


def _names(types: Iterable[type[Event]]) -> str:
    return ", ".join(sorted(t.__name__ for t in types)) or "nothing"


def _out_of_turn(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation:
    kind = type(e)
    if d.status in _CLOSED:
        return RuleViolation(
            "ESC-STATES",
            f"order {d.order_id} is {d.status.label}; a closed order accepts no event",
        )
    if isinstance(e, TimerExpired):
        rule = e.timer
    else:
        rule = _OUT_OF_TURN.get(kind, {}).get(d.status, "ESC-STATES")
    return RuleViolation(
        rule,
        f"{kind.__name__} is not allowed while order {d.order_id} is {d.status.label}; "
        f"allowed now: {_names(_allowed(d, p))}",
    )


# -- the fold -----------------------------------------------------------------------------


class _Redelivered(enum.Enum):
    """:func:`_decide`'s answer for an event the order has already taken."""

    REDELIVERED = 0


_REDELIVERED: Final = _Redelivered.REDELIVERED


def _differences(a: Event, b: Event) -> list[str]:
    if type(a) is not type(b):
        return ["type"]
    return [f.name for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name)]


def _decide(d: _Draft, e: Event, p: EscrowPolicy) -> RuleViolation | _Redelivered | None:
    """Apply ``e`` to the draft and record it (None); or leave the draft as it was and
    say why: the violation that refuses ``e``, or that ``e`` was already taken. Raises
    for malformed input (a conflicting event id, an event back in time, another
    currency). Runs in the money context (:class:`_MoneyContext`)."""
    if not isinstance(e, Event):
        raise InvalidInput(f"expected an escrow event (tradeassure.events), got {e!r}")
    eid = e.event_id
    if eid is not None:
        prior = d.seen.get(eid)
        if prior is not None:
            if prior == e:
                return _REDELIVERED
            raise EventIdConflict(
                f"event id {eid!r} of order {d.order_id} was already used for another event; "
                f"these differ: {', '.join(_differences(prior, e))}"
            )
    at = e.at
    if at < d.updated_at:
        raise InvalidInput(
            f"{type(e).__name__} at {at.isoformat()} is earlier than the latest event of "
            f"order {d.order_id} ({d.updated_at.isoformat()}); events must come in time order"
        )
    status = d.status
    kind = type(e)
    transition = _ROWS[status].get(kind)
    if transition is None:
        return _out_of_turn(d, e, p)
    if kind is not TimerExpired:
        m = d.milestones
        if d.closing_status is not status or d.closing_milestones is not m:
            closing_due = _CLOSING_DUE.get(status)
            d.closing_status, d.closing_milestones = status, m
            d.closing_at = None if closing_due is None else closing_due(d, p)
        due = d.closing_at
        if due is not None and due <= at:
            timer = _TIMERS[status][0]
            return RuleViolation(
                timer,
                f"{timer} fell due on order {d.order_id} at {due.isoformat()}, "
                f"before this {kind.__name__}; apply due_events(order, now) first",
            )
    refusal = transition.handler(d, e, p)
    if refusal is not None:
        return refusal
    if eid is not None:
        d.seen[eid] = e
    d.history.append(e)
    d.updated_at = at
    return None


_NO_MILESTONES: Final = Milestones()
_NO_IDS: Final[immutables.Map[str, Event]] = immutables.Map()
_NO_HISTORY: Final[PVector[Event]] = pvector()


def _placed(event: OrderPlaced) -> _Draft:
    """The draft of the order a contract starts (ESC-ORDER-ORIGIN, ESC-CONTRACT-SCOPE)."""
    if not isinstance(event, OrderPlaced):
        raise RuleViolation(
            "ESC-ORDER-ORIGIN",
            f"an order starts with OrderPlaced, not {type(event).__name__}",
        )
    calendar_for(event.supplier_country)
    if event.buyer_country is not None:
        calendar_for(event.buyer_country)
    zero = Money._make(event.total.amount * 0, event.total.currency)
    seen = _NO_IDS.mutate()
    if event.event_id is not None:
        seen[event.event_id] = event
    history = _NO_HISTORY.evolver()
    history.append(event)
    contract = Contract(
        event.buyer,
        event.supplier,
        event.total,
        event.drafted_by,
        event.protected,
        event.protection_limit,
        event.deposit,
        event.specifications,
        event.supplier_country,
        event.buyer_country,
        event.at,
    )
    return _Draft(
        event.order_id,
        S.AWAITING_CONFIRMATION,
        contract,
        event.ship_by,
        (zero, zero, zero, zero, zero),
        _NO_MILESTONES,
        None,
        None,
        None,
        event.at,
        seen,
        history,
    )


def place(event: OrderPlaced, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order a contract starts (ESC-ORDER-ORIGIN): awaiting the other party's
    confirmation, nothing paid. Country codes are checked against the calendars."""
    _policy(policy)
    return _freeze(_placed(event))


def _arguments(order: object, policy: object) -> None:
    if not isinstance(order, Order):
        raise InvalidInput(f"expected an Order (from place or replay), got {order!r}")
    _policy(policy)


def _policy(policy: object) -> None:
    if not isinstance(policy, EscrowPolicy):
        raise InvalidInput(f"expected an EscrowPolicy (tradeassure.policy), got {policy!r}")


def apply(order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order after ``event``; raises :class:`RuleViolation` naming the rule that
    refuses it. An event whose ``event_id`` the order has seen returns the order unchanged
    (or raises :class:`EventIdConflict` if its content differs)."""
    _arguments(order, policy)
    d = _draft(order)
    with _MoneyContext():
        result = _decide(d, event, policy)
    if result is None:
        return _freeze(d)
    if result is _REDELIVERED:
        return order
    raise result


def check(
    order: Order, event: Event, policy: EscrowPolicy = DEFAULT_ESCROW
) -> tuple[RuleViolation, ...]:
    """The violations ``event`` would raise, without raising: empty when it may apply.
    (Today at most one: the first rule it breaks.) Malformed input still raises."""
    _arguments(order, policy)
    with _MoneyContext():
        result = _decide(_draft(order), event, policy)
    return (result,) if isinstance(result, RuleViolation) else ()


def replay(events: Iterable[Event], policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order a history gives: :func:`place` on the first event (an ``OrderPlaced``),
    then :func:`apply` of each of the rest, in order. One working copy runs through the
    whole history and is frozen once at the end, so each event costs about a
    microsecond, however long the history."""
    it = iter(events)
    first = next(it, None)
    if first is None:
        raise InvalidInput("an order history needs at least its OrderPlaced event")
    d = _placed(first)  # type: ignore[arg-type]
    _policy(policy)
    decide = _decide
    with _MoneyContext():
        for event in it:
            result = decide(d, event, policy)
            if result is not None and result is not _REDELIVERED:
                raise result
    return _freeze(d)


def _allowed(d: _Draft, p: EscrowPolicy) -> frozenset[type[Event]]:
    return frozenset(kind for kind, row in _ROWS[d.status].items() if row.ready(d, p))


def allowed_events(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> frozenset[type[Event]]:
    """The event types the order can take now, read off :data:`TRANSITIONS` (the
    handler still judges each event's content and time)."""
    _arguments(order, policy)
    return _allowed(_draft(order), policy)


# -- time ---------------------------------------------------------------------------------


def _aware(now: datetime) -> None:
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise InvalidInput(f"now must be a timezone-aware datetime, got {now!r}")


def due_events(
    order: Order, now: datetime, policy: EscrowPolicy = DEFAULT_ESCROW
) -> tuple[TimerExpired, ...]:
    """The timer events the passage of time makes due by ``now`` (RULES.md section 6),
    each stamped with the instant its deadline fell (or the order's latest event, if
    that came later) and with a deterministic ``event_id``, so storing them twice is
    harmless. A scheduler stores what this returns; :func:`advance` applies it."""
    _aware(now)
    due: list[TimerExpired] = []
    while (pending := _pending_timer(order, policy)) is not None and pending[1] <= now:
        timer, at = pending[0], max(pending[1], order.updated_at)
        event = TimerExpired(
            at=at, timer=timer, event_id=f"{order.order_id}:{timer}:{at.isoformat()}"
        )
        due.append(event)
        order = apply(order, event, policy)
    return tuple(due)


def advance(order: Order, now: datetime, policy: EscrowPolicy = DEFAULT_ESCROW) -> Order:
    """The order with every event :func:`due_events` gives for ``now`` applied."""
    for event in due_events(order, now, policy):
        order = apply(order, event, policy)
    return order


@attrs.frozen
class Deadlines:
    """The dates that matter next for an order; None where none applies now.

    Attributes:
        ship_by: the date a final shipment is due by (SHIP-DATE), while it is owed.
        confirm_by: automatic cancellation if still unconfirmed (TMR-CONFIRM).
        pay_by: automatic cancellation if still not paid in full (TMR-PAY).
        receipt_by: automatic completion and release (TMR-AUTO-COMPLETE).
        supplier_deadline: the end of the supplier's window on a dispute
            (TA-SUPPLIER-15-DAYS).
        platform_may_rule_after: the platform may rule once this instant has passed.
        escalates_at: automatic escalation of the dispute (TMR-SUPPLIER-RESPONSE).
        claim_by: the last instant a claim about the goods may follow receipt
            (TMR-CLAIM-AFTER-RECEIPT).
        refund_starts_by: the platform starts a decided refund by this date
            (TMR-REFUND-START).
        refund_arrival: earliest and latest arrival of the last refund issued
            (ESC-REFUND-WINDOW).
    """

    ship_by: date | None = None
    confirm_by: datetime | None = None
    pay_by: datetime | None = None
    receipt_by: datetime | None = None
    supplier_deadline: datetime | None = None
    platform_may_rule_after: datetime | None = None
    escalates_at: datetime | None = None
    claim_by: datetime | None = None
    refund_starts_by: date | None = None
    refund_arrival: tuple[date, date] | None = None


def deadlines(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Deadlines:
    """The order's next deadlines (SHIP-DATE, TMR-*, TA-SUPPLIER-15-DAYS,
    TMR-REFUND-START, ESC-REFUND-WINDOW), counted in the policy's figures and, for
    business days, in the buyer's bank calendar (the supplier's when none is named)."""
    o, p = order, policy
    status = o.status
    m = o.milestones
    d = o.dispute
    bank_country = o.contract.buyer_country or o.contract.supplier_country
    owed = m.final_shipped_at is None and status in (*_PRE_SHIPMENT, S.CANCELLATION_REQUESTED)
    supplier_deadline = platform_after = claim_by = refund_start = None
    if status is S.DISPUTED and d is not None and d.refund is None:
        supplier_deadline = _window_end(d, p)
        platform_after = supplier_deadline
        if supplier_deadline is None and o.inspection is not None and o.inspection.passed:
            platform_after = o.inspection.at
    if status is S.COMPLETED and p.claim_after_receipt_days and d is None:
        assert m.completed_at is not None
        claim_by = m.completed_at + _days(p.claim_after_receipt_days)
    if (
        d is not None
        and d.refund is not None
        and d.resolved_at is not None
        and status is S.DISPUTED
    ):
        refund_start = add_working_days(
            _day(d.resolved_at), p.refund_start_business_days, bank_country
        )
    arrival = None
    if m.refund_issued_at is not None:
        arrival = refund_arrival(_day(m.refund_issued_at), bank_country, p.shipping)
    pending = _pending_timer(o, p)
    timer, due = pending if pending is not None else (None, None)
    return Deadlines(
        ship_by=o.ship_by if owed else None,
        confirm_by=due if timer == "TMR-CONFIRM" else None,
        pay_by=due if timer == "TMR-PAY" else None,
        receipt_by=due if timer == "TMR-AUTO-COMPLETE" else None,
        supplier_deadline=supplier_deadline,
        platform_may_rule_after=platform_after,
        escalates_at=due if timer == "TMR-SUPPLIER-RESPONSE" else None,
        claim_by=claim_by,
        refund_starts_by=refund_start,
        refund_arrival=arrival,
    )
