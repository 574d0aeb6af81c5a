"""An order's state and its parts: what a fold of the order's events gives.

Build an :class:`Order` with :func:`~tradeassure.escrow.place` or
:func:`~tradeassure.escrow.replay`. Its money cannot be inconsistent: construction
checks ESC-CONSERVATION (``paid == held + released + refunded``, none negative, all in
the contract's currency, neither paid nor shipped over the total), so even
``attrs.evolve(order, held=...)`` cannot make an order that holds money never paid.

>>> from datetime import date, datetime, timezone
>>> from tradeassure.escrow import OrderPlaced, place
>>> from tradeassure.money import Money
>>> order = place(OrderPlaced(order_id="PO-7", at=datetime(2025, 9, 1, tzinfo=timezone.utc),
...     buyer="Acme Ltd", supplier="Shenzhen Co", total=Money(10_000, "USD"),
...     ship_by=date(2025, 10, 20)))
>>> attrs.evolve(order, held=Money(5, "USD"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: ESC-CONSERVATION: order PO-7 would hold USD 5.00, ...
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar, final

import attrs
import immutables

from tradeassure import _display
from tradeassure._checks import (
    Strings,
    aware_field,
    boolean_field,
    count_field,
    duration_field,
    fixed_offset,
    free_text_field,
    instances,
    integer,
    member,
    money_field,
    optional_text_field,
    text_field,
    tuple_of,
    validator,
)
from tradeassure._checks import (
    checkless as _checkless,
)
from tradeassure.errors import InvalidInput
from tradeassure.escrow.events import DisputeReason, Event
from tradeassure.escrow.policy import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.money import Money, _exact_add
from tradeassure.terms import Party, PaymentMethod

if TYPE_CHECKING:
    from pyrsistent.typing import PVector
else:
    # What ``Order.history``'s annotation resolves to at run time (attrs.resolve_types,
    # typing.get_type_hints): a PVector is a Sequence.
    from collections.abc import Sequence as PVector

_T = TypeVar("_T", bound=attrs.AttrsInstance)

_optional_instant: Final = attrs.validators.optional(aware_field)
_optional_money: Final = attrs.validators.optional(money_field)

__all__ = [
    "CancellationRequest",
    "Contract",
    "Dispute",
    "Inspection",
    "Milestones",
    "Order",
    "OrderStatus",
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


# The converters of the parts' collections of text, each naming its field.


def _specifications(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "Contract.specifications")


def _evidence(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "Dispute.evidence")


def _supplier_evidence(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "Dispute.supplier_evidence")


#: The statuses that accept no event at all (ESC-STATES).
CLOSED: Final = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})


@final
@attrs.frozen
class Contract:
    """The terms fixed when the order was placed (ESC-CONTRACT-SCOPE).

    Attributes:
        buyer: the buying party.
        supplier: the supplying party.
        total: the contract's total amount.
        drafted_by: who drafted it; the other party confirms (ESC-ORDER-ORIGIN).
        protected: whether the supplier participates (TA-SUPPLIER).
        protection_limit: the supplier's cap on coverage, or None (TA-LIMIT).
        deposit: the initial deposit asked for, or None (ESC-DEPOSIT).
        specifications: the measurable requirements (TA-SPEC-QUANTIFIABLE).
        supplier_country: the calendar ship dates are counted in.
        buyer_country: the calendar refund arrival is counted in, or None.
        placed_at: when the contract was drafted.
        supplier_zone: the IANA zone the supplier's days are counted in (SHIP-DATE).
        buyer_zone: the zone of the buyer's bank days (ESC-REFUND-WINDOW).
        lead_days: the lead time in working days when the contract gives one instead of
            a date (the ship-by is then counted from the lead time's start), or None.
    """

    buyer: str = attrs.field(validator=text_field)
    supplier: str = attrs.field(validator=text_field)
    total: Money = attrs.field(validator=money_field)
    drafted_by: Party = attrs.field(validator=member(Party))
    protected: bool = attrs.field(validator=boolean_field)
    protection_limit: Money | None = attrs.field(validator=_optional_money)
    deposit: Money | None = attrs.field(validator=_optional_money)
    specifications: tuple[str, ...] = attrs.field(converter=_specifications)
    supplier_country: str = attrs.field(validator=text_field)
    buyer_country: str | None = attrs.field(validator=optional_text_field)
    placed_at: datetime = attrs.field(converter=fixed_offset, validator=aware_field)
    supplier_zone: str = attrs.field(validator=text_field)
    buyer_zone: str = attrs.field(validator=text_field)
    lead_days: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(count_field)
    )


@final
@attrs.frozen
class Inspection:
    """The inspection company's latest report (TA-INSPECTION)."""

    passed: bool = attrs.field(validator=boolean_field)
    at: datetime = attrs.field(converter=fixed_offset, validator=aware_field)
    report: str = attrs.field(validator=free_text_field)


@final
@attrs.frozen
class Dispute:
    """A dispute and, once decided, its outcome.

    Attributes:
        reason: why the buyer opened it, as filed.
        claim: the refund the buyer asked for, as filed.
        evidence: the buyer's evidence, at opening and after (TA-EVIDENCE, TMR-EVIDENCE).
        opened_at: when the dispute was opened: the supplier's window, the evidence
            deadline and the escalation all count from it, whatever the reason
            (TA-SUPPLIER-15-DAYS, TMR-EVIDENCE, TMR-SUPPLIER-RESPONSE).
        after_receipt: filed after confirmed receipt, within the policy's claim window
            (TMR-CLAIM-AFTER-RECEIPT): its refund comes back out of the released money.
        escalated_at: when it went to the platform, by the buyer or automatically
            (TMR-SUPPLIER-RESPONSE), or None.
        refund: the decided refund, None while undecided (ESC-PARTIAL-RELEASE).
        resolved_at: when it was decided, or None.
        resolved_by: by whom it was decided (the parties' settlement is
            ``Party.SUPPLIER``, a ruling ``Party.PLATFORM``), or None.
        prior_status: the status the order had when the dispute opened, and goes back
            to when an outcome before full shipment leaves the order going on.
        refund_issued: how much of the decided refund has been paid out, or None while
            nothing has (ESC-REFUND-WINDOW).
        supplier_evidence: the supplier's evidence in answer (TA-EVIDENCE).
        withdrawn_at: when the claim was withdrawn undecided, by the buyer or for want
            of evidence (TMR-EVIDENCE), or None; a withdrawn dispute decides nothing.
    """

    reason: DisputeReason = attrs.field(validator=member(DisputeReason))
    claim: Money = attrs.field(validator=money_field)
    evidence: tuple[str, ...] = attrs.field(converter=_evidence)
    opened_at: datetime = attrs.field(converter=fixed_offset, validator=aware_field)
    after_receipt: bool = attrs.field(validator=boolean_field)
    prior_status: OrderStatus = attrs.field(validator=member(OrderStatus))
    escalated_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    refund: Money | None = attrs.field(default=None, validator=_optional_money)
    resolved_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    resolved_by: Party | None = attrs.field(
        default=None, validator=attrs.validators.optional(member(Party))
    )
    refund_issued: Money | None = attrs.field(default=None, validator=_optional_money)
    supplier_evidence: tuple[str, ...] = attrs.field(default=(), converter=_supplier_evidence)
    withdrawn_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )

    @property
    def is_open(self) -> bool:
        """Neither decided nor withdrawn: the dispute still waits for an outcome."""
        return self.refund is None and self.withdrawn_at is None

    @property
    def refund_outstanding(self) -> Money | None:
        """What is decided and still to be paid out, or None while undecided."""
        if self.refund is None:
            return None
        return self.refund if self.refund_issued is None else self.refund - self.refund_issued


@final
@attrs.frozen
class Milestones:
    """When the order passed the points that later rules count from.

    Attributes:
        confirmed_at: when the order was confirmed.
        final_shipped_at: when it was fully shipped.
        completed_at: when it was completed.
        refund_issued_at: when it was last refunded.
        cancelled_at: when it was cancelled.
        receipt_extended_by: the parties that extended the receipt deadline
            (TMR-RECEIPT-EXTEND).
        feedback: the buyer's rating, once left (ESC-FEEDBACK).
        pay_paused: how long the payment clock stood still while cancellation
            requests waited for an answer (TMR-CANCEL-LAPSE): its deadline moves by
            exactly that time.
        receipt_paused: the same for the receipt clock.
        goods_decided_at: when a claim about the goods (or any claim after receipt) was
            decided: the goods have had their dispute, and a hold resolves once
            (ESC-PARTIAL-RELEASE), whatever dispute comes after it.
    """

    confirmed_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    final_shipped_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    completed_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    refund_issued_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    receipt_extended_by: frozenset[Party] = attrs.field(
        default=frozenset(), validator=instances(Party)
    )
    feedback: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(validator(integer))
    )
    pay_paused: timedelta = attrs.field(default=timedelta(0), validator=duration_field)
    receipt_paused: timedelta = attrs.field(default=timedelta(0), validator=duration_field)
    cancelled_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )
    goods_decided_at: datetime | None = attrs.field(
        default=None, converter=fixed_offset, validator=_optional_instant
    )


@final
@attrs.frozen
class CancellationRequest:
    """A pending request to cancel (ESC-CANCEL-SHIPPED)."""

    by: Party = attrs.field(validator=member(Party))
    at: datetime = attrs.field(converter=fixed_offset, validator=aware_field)
    prior_status: OrderStatus = attrs.field(validator=member(OrderStatus))


def _trusted(cls: type[_T]) -> Callable[..., _T]:
    """The constructor of ``cls`` (one of an order's parts: :class:`Contract`,
    :class:`Milestones`, :class:`Dispute`...) for field values known to be valid
    already: the fold's hot-path constructor, as ``Money._make`` is Money's. The fold
    takes every value from a checked event or part, so the field checks would only run
    a second time, on nearly every event; these classes do no other work on
    construction. Same keywords and defaults as the class; a test pins that both build
    equal values."""
    return _CHECKLESS[cls]


def _amended(part: _T, **changes: object) -> _T:
    """``part`` with ``changes``: ``attrs.evolve`` for the fold, whose values are checked
    already (see :func:`_trusted`)."""
    return _trusted(type(part))(**{**attrs.asdict(part, recurse=False), **changes})


#: The order's parts, each with its constructor without field checks (:func:`_trusted`).
_CHECKLESS: Final[dict[type, Callable[..., Any]]] = {
    cls: _checkless(cls) for cls in (Contract, Inspection, Dispute, Milestones, CancellationRequest)
}


def _order_repr(order: Order) -> str:
    return (
        f"<Order {order.order_id} {order.status.label}: total {order.total}, paid {order.paid},"
        f" held {order.held}, released {order.released}, refunded {order.refunded};"
        f" {len(order.history)} events>"
    )


#: The order's money figures, each in the contract's currency and never negative.
MONEY_FIELDS: Final = ("paid", "held", "released", "refunded", "shipped")


@final
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
        seen: the events taken, by ``event_id`` (or, for one without an id, by the
            event itself), for idempotent redelivery.
        history: every applied event, in order (a persistent vector).
        escrow_paid_by: what the buyer paid through the checkout, by method (TA-METHODS'
            coverage; a T/T refund's bank account, ESC-REFUND-WINDOW): kept as the
            payments come, so no question reads the history back.
        bank_account: the buyer's account for refunds (the latest
            ``BankAccountProvided``), or None.

    ESC-CONSERVATION holds for every order, checked at construction:
    ``paid == held + released + refunded``, none of them negative, all in the
    contract's currency, and neither ``paid`` nor ``shipped`` over the total.
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
    seen: immutables.Map[str | Event, Event]
    history: PVector[Event]
    escrow_paid_by: immutables.Map[PaymentMethod, Decimal]
    bank_account: str | None

    __repr__ = _order_repr

    def __attrs_post_init__(self) -> None:
        # ESC-CONSERVATION as the value's invariant. Every fold result passes through
        # here, so the common case is one chain of comparisons; _explain says what is
        # wrong otherwise.
        contract = self.contract
        if type(contract) is Contract:
            total = contract.total
            currency = total.currency
            paid, held, released, refunded, shipped = (
                self.paid,
                self.held,
                self.released,
                self.refunded,
                self.shipped,
            )
            if (
                type(paid) is Money
                and type(held) is Money
                and type(released) is Money
                and type(refunded) is Money
                and type(shipped) is Money
                and paid.currency == currency
                and held.currency == currency
                and released.currency == currency
                and refunded.currency == currency
                and shipped.currency == currency
            ):
                h, r, f, s = held.amount, released.amount, refunded.amount, shipped.amount
                p, top = paid.amount, total.amount
                if (
                    (h >= 0 and r >= 0 and f >= 0 and 0 <= s <= top and p <= top)
                    and _exact_add(_exact_add(h, r), f) == p
                    and type(self.escrow_paid_by) is immutables.Map
                    and (self.bank_account is None or type(self.bank_account) is str)
                ):
                    return
        _explain(self)

    @property
    def total(self) -> Money:
        """The contract's total."""
        return self.contract.total

    @property
    def events(self) -> tuple[Event, ...]:
        """Every applied event, in order (what :func:`replay` would take back)."""
        return tuple(self.history)

    @property
    def is_closed(self) -> bool:
        """True once the order is cancelled or refunded with nothing held: it accepts no
        event any more (ESC-STATES). A cancelled order still holding T/T money waits for
        the buyer's bank account and the refund (ESC-REFUND-WINDOW); a completed order is
        not closed: it still takes its feedback."""
        return self.status in CLOSED and not self.held.amount

    # Notebook views: tradeassure.views registers them (tradeassure._display).

    def _repr_html_(self) -> str:
        return _display.html("order_html", self)

    def timeline_rows(self, policy: EscrowPolicy = DEFAULT_ESCROW) -> _display.Rows:
        """One plain dict per event, with the money after it (``pandas.DataFrame`` ready)."""
        return _display.rows("timeline_rows", self, policy)

    def money_rows(self) -> _display.Rows:
        """Paid, held, released, refunded and shipped as plain dicts."""
        return _display.rows("money_rows", self)

    def deadline_rows(self, policy: EscrowPolicy = DEFAULT_ESCROW) -> _display.Rows:
        """The next deadlines (:func:`deadlines`) as plain dicts, with their rule ids."""
        return _display.rows("deadline_rows", self, policy)


def _explain(o: Order) -> None:
    """Raise the InvalidInput that says what is wrong with ``o``'s money (or with the
    payments and account the fold keeps)."""
    contract = o.contract
    if type(contract) is not Contract:
        raise InvalidInput(f"Order.contract must be a Contract, got {contract!r}")
    total = contract.total
    currency = total.currency
    paid, held, released, refunded, shipped = figures = (
        o.paid,
        o.held,
        o.released,
        o.refunded,
        o.shipped,
    )
    for name, money in zip(MONEY_FIELDS, figures, strict=True):
        if type(money) is not Money:
            raise InvalidInput(f"Order.{name} must be Money, got {money!r}")
        if money.currency != currency:
            raise InvalidInput(
                f"Order.{name} is in {money.currency} but order {o.order_id} is in {currency}"
            )
        if money.amount < 0:
            raise InvalidInput(
                f"ESC-CONSERVATION: order {o.order_id} would have {name} {money}; no amount "
                "is negative"
            )
    for name, money in (("paid", paid), ("shipped", shipped)):
        if money.amount > total.amount:
            raise InvalidInput(
                f"ESC-CONSERVATION: order {o.order_id} would have {name} {money}, over its "
                f"total {total}"
            )
    if type(o.escrow_paid_by) is not immutables.Map:
        raise InvalidInput(
            "Order.escrow_paid_by must be the immutables.Map the fold keeps, got "
            f"{o.escrow_paid_by!r}"
        )
    if o.bank_account is not None and type(o.bank_account) is not str:
        raise InvalidInput(f"Order.bank_account must be text or None, got {o.bank_account!r}")
    if held.amount + released.amount + refunded.amount == paid.amount:
        raise AssertionError("an Order the checks accept was refused")  # pragma: no cover
    raise InvalidInput(
        f"ESC-CONSERVATION: order {o.order_id} would hold {held}, release {released} "
        f"and refund {refunded} of {paid} paid; paid must equal held + released + "
        "refunded"
    )
