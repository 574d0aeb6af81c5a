"""The fold's private working copy of an order, and the small jobs that handlers,
timers and the fold share (so each of them imports this, and none imports another's
helpers).

:func:`~tradeassure.escrow.replay` keeps one draft for a whole history and
:func:`~tradeassure.escrow.apply` one per event, so deciding an event assigns a few
fields instead of building a frozen ``Order`` and its ``Money`` values: the order is
frozen once, at the end (:func:`freeze`). Amounts are bare ``Decimal`` in the order's
currency, summed in the money context (60 digits, inexact results trapped); the seen
ids and the history are an ``immutables`` map mutation and a ``pyrsistent`` vector evolver, which
:func:`freeze` makes persistent again. A handler changes the draft only once it accepts
the event, so a refused event leaves it as it was. No draft leaves the package, and no
frozen value is ever changed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

import attrs
import immutables

from tradeassure._checks import of_type
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow.events import (
    DisputeReason,
    Event,
    OrderPlaced,
    contract_zone,
)
from tradeassure.escrow.order import (
    MONEY_FIELDS,
    CancellationRequest,
    Contract,
    Dispute,
    Inspection,
    Milestones,
    Order,
    OrderStatus,
    _amended,
    _trusted,
)
from tradeassure.escrow.policy import EscrowPolicy
from tradeassure.money import Money
from tradeassure.shipping import calendar_for, zone_of
from tradeassure.shipping import ship_by as counted_ship_by
from tradeassure.terms import Party, PaymentMethod

if TYPE_CHECKING:
    from pyrsistent import pvector
    from pyrsistent.typing import PVector, PVectorEvolver
else:
    try:  # pyrsistent's C vector, without the 20 ms the whole package takes to import
        from pvectorc import pvector
    except ImportError:  # pragma: no cover - pyrsistent without its C extension
        from pyrsistent import pvector

S = OrderStatus


class Draft:
    """An order being decided: :class:`~tradeassure.escrow.Order`'s fields (the Money
    ones as bare ``Decimal`` amounts, the collections as their mutable builders), plus
    what deciding needs on the way. A plain slotted record, filled field by field by
    :func:`thaw` and :func:`placed`; a test pins that every ``Order`` field is here."""

    order_id: str
    status: OrderStatus
    contract: Contract
    ship_by: date
    paid: Decimal
    held: Decimal
    released: Decimal
    refunded: Decimal
    shipped: Decimal
    milestones: Milestones
    inspection: Inspection | None
    cancellation: CancellationRequest | None
    dispute: Dispute | None
    updated_at: datetime
    seen: immutables.MapMutation[str | Event, Event]
    history: PVectorEvolver[Event]
    #: The paid, held, released, refunded and shipped Money the draft started from:
    #: :func:`freeze` reuses them where the amounts did not change.
    origin: tuple[Money, Money, Money, Money, Money]
    #: The contract's currency and total amount, read by nearly every handler.
    currency: str
    total: Decimal
    #: Whether the contract's deposit is paid (ESC-DEPOSIT): then the balance timer runs
    #: instead of the payment timer (TMR-BALANCE, TMR-PAY).
    deposit_paid: bool
    #: The closing timer of the current state and when it falls due, memoized per status,
    #: milestones, dispute and inspection (see the fold's ``_decide``: identity checks);
    #: a handler that changes anything else a closing timer reads (the ship-by, whether
    #: the deposit is paid) calls :meth:`timers_changed`.
    closing_status: OrderStatus | None
    closing_milestones: Milestones | None
    closing_dispute: Dispute | None
    closing_inspection: Inspection | None
    closing: tuple[str, datetime] | None
    escrow_paid_by: immutables.Map[PaymentMethod, Decimal]
    bank_account: str | None

    __slots__ = tuple(__annotations__)

    def timers_changed(self) -> None:
        """Forget the memoized closing timer: what it reads has changed."""
        self.closing_status = None

    def money(self, amount: Decimal) -> Money:
        """``amount`` in the order's currency (for messages and results)."""
        return Money._make(amount, self.currency)

    @property
    def zero(self) -> Decimal:
        """Nothing, at the scale of the order's total."""
        return self.total * 0


#: How the draft holds an ``Order`` field where it differs from the order: the money
#: figures as bare amounts, the persistent collections as their builders. Every other
#: field is copied as it is.
_THAWED: Final = {
    **{name: f"o.{name}.amount" for name in MONEY_FIELDS},
    "seen": "o.seen.mutate()",
    "history": "o.history.evolver()",
}
_FROZEN: Final = {
    # A money figure whose amount did not change keeps its Money (no new value to build).
    **{
        name: f"o_{name} if o_{name}.amount is d.{name} else make(d.{name}, d.currency)"
        for name in MONEY_FIELDS
    },
    "seen": "d.seen.finish()",
    "history": "d.history.persistent()",
}


def _generate() -> tuple[Callable[[Order], Draft], Callable[[Draft], Order]]:
    """:func:`thaw` and :func:`freeze`, written out from ``Order``'s field list, so that
    the list is written once (in the ``Order`` class) and a field added there is carried
    through the fold without another edit; spelled out, they cost a third of a loop over
    the fields (``thaw`` runs once per ``apply`` and ``check``). A test pins that every
    ``Order`` field is a ``Draft`` field."""
    names = [f.name for f in attrs.fields(Order)]
    thaw_lines = [f"    d.{n} = {_THAWED.get(n, f'o.{n}')}" for n in names]
    origin = ", ".join(f"o.{n}" for n in MONEY_FIELDS)
    source = "\n".join(
        [
            "def thaw(o):",
            "    d = Draft()",
            *thaw_lines,
            f"    d.origin = ({origin})",
            "    total = o.contract.total",
            "    d.currency = total.currency",
            "    d.total = total.amount",
            "    deposit = o.contract.deposit",
            "    d.deposit_paid = deposit is not None and o.paid.amount >= deposit.amount",
            "    d.closing_status = d.closing_milestones = d.closing = None",
            "    d.closing_dispute = d.closing_inspection = None",
            "    return d",
            "",
            "def freeze(d):",
            f"    {', '.join(f'o_{n}' for n in MONEY_FIELDS)} = d.origin",
            # Positional, in the order of the field list it is generated from: nothing
            # to swap, and a third cheaper than keywords.
            "    return Order(",
            *[f"        {_FROZEN.get(n, f'd.{n}')},  # {n}" for n in names],
            "    )",
        ]
    )
    namespace: dict[str, Any] = {
        "Draft": Draft,
        "Order": Order,
        "make": Money._make,
    }
    exec(compile(source, "<tradeassure.escrow._draft generated>", "exec"), namespace)
    return namespace["thaw"], namespace["freeze"]


_thaw, _freeze = _generate()


def thaw(o: Order) -> Draft:
    """A working copy of ``o``; deciding events on it never changes ``o``."""
    return _thaw(o)


def freeze(d: Draft) -> Order:
    """The frozen order a draft stands for, reusing the amounts it started from where
    they are unchanged. Finishes the draft's collections: the draft is not used again."""
    return _freeze(d)


_NO_MILESTONES: Final = Milestones()
_NO_IDS: Final[immutables.Map[str | Event, Event]] = immutables.Map()
_NO_HISTORY: Final[PVector[Event]] = pvector()
_NO_PAYMENTS: Final[immutables.Map[PaymentMethod, Decimal]] = immutables.Map()


def placed(event: Event) -> Draft:
    """The draft of the order a contract starts (ESC-ORDER-ORIGIN, ESC-CONTRACT-SCOPE):
    awaiting the other party's confirmation, nothing paid. Country codes are checked
    against the calendars."""
    if not isinstance(event, OrderPlaced):
        of_type(event, "event", Event)
        raise RuleViolation(
            "ESC-ORDER-ORIGIN",
            f"an order starts with OrderPlaced, not {type(event).__name__}",
        )
    calendar_for(event.supplier_country)
    if event.buyer_country is not None:
        calendar_for(event.buyer_country)
    supplier_zone = contract_zone(event.supplier_zone, event.supplier_country, "supplier")
    if event.lead_days is not None:
        # Provisional until the lead time's start is recorded (lead_time_start).
        drafted_on = day(event.at, supplier_zone)
        ship_by = calendar_for(event.supplier_country).add_working_days(drafted_on, event.lead_days)
    else:
        assert event.ship_by is not None
        ship_by = event.ship_by
        # Any zone's date lies within a day of the instant's own: only a ship-by that
        # close needs the supplier's day worked out.
        near = ship_by <= event.at.date() + days(1)
        if near and ship_by < (drafted_on := day(event.at, supplier_zone)):
            raise RuleViolation(
                "SHIP-DATE",
                f"order {event.order_id} is drafted on {drafted_on} (the supplier's day) "
                f"with a ship-by of {ship_by}, which has passed; agree a ship-by on or after "
                f"{drafted_on}",
            )
    total = event.total
    nothing = Money._make(total.amount * 0, total.currency)
    zero = nothing.amount
    seen = _NO_IDS.mutate()
    seen[event if event.event_id is None else event.event_id] = event
    history = _NO_HISTORY.evolver()
    history.append(event)
    contract = _trusted(Contract)(
        buyer=event.buyer,
        supplier=event.supplier,
        total=total,
        drafted_by=event.drafted_by,
        protected=event.protected,
        protection_limit=event.protection_limit,
        deposit=event.deposit,
        specifications=event.specifications,
        supplier_country=event.supplier_country,
        buyer_country=event.buyer_country,
        placed_at=event.at,
        supplier_zone=supplier_zone,
        lead_days=event.lead_days,
        buyer_zone=(
            supplier_zone
            if event.buyer_country is None and event.buyer_zone is None
            else contract_zone(
                event.buyer_zone, event.buyer_country or event.supplier_country, "buyer"
            )
        ),
    )
    d = Draft()
    d.order_id = event.order_id
    d.status = S.AWAITING_CONFIRMATION
    d.contract = contract
    d.ship_by = ship_by
    d.paid = d.held = d.released = d.refunded = d.shipped = zero
    d.milestones = _NO_MILESTONES
    d.inspection = d.cancellation = d.dispute = None
    d.updated_at = event.at
    d.seen = seen
    d.history = history
    d.origin = (nothing, nothing, nothing, nothing, nothing)
    d.currency = total.currency
    d.total = total.amount
    d.deposit_paid = False
    d.closing_status = d.closing_milestones = d.closing = None
    d.closing_dispute = d.closing_inspection = None
    d.escrow_paid_by = _NO_PAYMENTS
    d.bank_account = None
    return d


# -- small shared jobs --------------------------------------------------------------------


def closed(d: Draft) -> RuleViolation:
    """ESC-STATES: a cancelled or refunded order that holds nothing accepts no event."""
    return RuleViolation(
        "ESC-STATES",
        f"order {d.order_id} is {d.status.label}; a closed order accepts no event",
    )


def history_argument(events: object) -> Iterator[Event]:
    """An iterator over ``events``, refusing what is no collection at all (None, a lone
    event, an order, a string) before anything is decided; each item is checked when
    its turn comes."""
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidInput(
            "events must be an iterable of escrow events (a list or tuple of them, or a "
            f"history read from JSON lines), got {type(events).__name__}"
        )
    return iter(events)


def policy_argument(policy: object) -> None:
    """Refuse a policy argument that is not an escrow policy."""
    of_type(policy, "policy", EscrowPolicy)


def arguments(order: object, policy: object) -> None:
    """Refuse an order or policy argument of the wrong kind, or a policy whose money is
    in another currency than the order's."""
    o = of_type(order, "order", Order)
    p = of_type(policy, "policy", EscrowPolicy)
    fits(p, o.order_id, o.contract.total.currency)


#: The policy's money figures, and the rule each one feeds (a test pins that every
#: Money field of EscrowPolicy is here).
POLICY_MONEY: Final = {
    "min_protected_order": "TA-MIN-ORDER",
    "default_protection_limit": "TA-LIMIT",
}


def fits(p: EscrowPolicy, order_id: str, currency: str) -> None:
    """Raise PolicyError naming the first money figure of ``p`` that is not in the
    order's ``currency``: the library converts no currencies, so a figure in another
    currency can neither apply nor be ignored (TA-MIN-ORDER, TA-LIMIT)."""
    minimum, limit = p.min_protected_order, p.default_protection_limit
    if (minimum is None or minimum.currency == currency) and (
        limit is None or limit.currency == currency
    ):
        return
    for name, rule in POLICY_MONEY.items():
        figure: Money | None = getattr(p, name)
        if figure is not None and figure.currency != currency:
            raise PolicyError(
                f"the {p.edition} policy's {name} is {figure}, but order {order_id} is in "
                f"{currency}; the library converts no currencies: judge it under a policy "
                f"whose money is in {currency}, e.g. attrs.evolve(policy, {name}="
                f"Money(..., {currency!r}))",
                rule=rule,
            )


class _Same(enum.Enum):
    """Marks a milestone :func:`mark` keeps as it was."""

    SAME = 0


_SAME: Final = _Same.SAME


_new_milestones: Final = _trusted(Milestones)


def mark(
    m: Milestones,
    *,
    confirmed_at: datetime | _Same = _SAME,
    final_shipped_at: datetime | _Same = _SAME,
    completed_at: datetime | _Same | None = _SAME,
    refund_issued_at: datetime | _Same = _SAME,
    receipt_extended_by: frozenset[Party] | _Same = _SAME,
    feedback: int | _Same = _SAME,
    pay_paused: timedelta | _Same = _SAME,
    receipt_paused: timedelta | _Same = _SAME,
    cancelled_at: datetime | _Same = _SAME,
    goods_decided_at: datetime | _Same = _SAME,
) -> Milestones:
    """``m`` with the given milestones set (no ``attrs.evolve``, and no field checks:
    every value comes from a checked event or from ``m``)."""
    return _new_milestones(
        confirmed_at=m.confirmed_at if confirmed_at is _SAME else confirmed_at,
        final_shipped_at=m.final_shipped_at if final_shipped_at is _SAME else final_shipped_at,
        completed_at=m.completed_at if completed_at is _SAME else completed_at,
        refund_issued_at=m.refund_issued_at if refund_issued_at is _SAME else refund_issued_at,
        receipt_extended_by=(
            m.receipt_extended_by if receipt_extended_by is _SAME else receipt_extended_by
        ),
        feedback=m.feedback if feedback is _SAME else feedback,
        pay_paused=m.pay_paused if pay_paused is _SAME else pay_paused,
        receipt_paused=m.receipt_paused if receipt_paused is _SAME else receipt_paused,
        cancelled_at=m.cancelled_at if cancelled_at is _SAME else cancelled_at,
        goods_decided_at=m.goods_decided_at if goods_decided_at is _SAME else goods_decided_at,
    )


CONTRACT_PARTIES: Final = frozenset({Party.BUYER, Party.SUPPLIER})


#: Distinct day counts kept by :func:`days`: a policy's figures and their few sums (a
#: deadline plus one day, the receipt deadline with its extensions), for every policy in
#: use at once, many times over; a bound so that a stream of distinct figures cannot grow
#: the cache without end.
DAY_SPANS_CACHED: Final = 512


@lru_cache(maxsize=DAY_SPANS_CACHED)
def days(n: int) -> timedelta:
    """``n`` calendar days; cached because building a timedelta costs more than the rest
    of a timer check."""
    return timedelta(days=n)


def day(instant: datetime, zone: str) -> date:
    """The calendar date of an instant in the zone a rule names (SHIP-DATE: the
    supplier's; ESC-REFUND-WINDOW: the buyer's bank's), whatever offset the instant
    is written in."""
    return instant.astimezone(zone_of(zone)).date()


def supplier_day(o: Draft | Order, instant: datetime) -> date:
    """The supplier's calendar date of ``instant`` (SHIP-DATE)."""
    return day(instant, o.contract.supplier_zone)


def when(instant: datetime) -> str:
    """An instant as messages print it: in UTC, so equal instants read alike."""
    return instant.astimezone(UTC).isoformat()


def other_party(party: Party) -> Party:
    """The contract's other party."""
    return Party.SUPPLIER if party is Party.BUYER else Party.BUYER


def mismatch(d: Draft, amount: Money, what: str) -> CurrencyMismatch:
    """The error for ``amount`` in another currency than the order's."""
    return CurrencyMismatch(
        f"{what} is in {amount.currency} but order {d.order_id} is in {d.currency}"
    )


def bare(d: Draft, amount: Money, what: str) -> Decimal:
    """The bare amount of ``amount``, which must be in the order's currency."""
    if amount.currency != d.currency:
        raise mismatch(d, amount, what)
    return amount.amount


def escrow_paid(d: Draft) -> Decimal:
    """Everything paid through the checkout."""
    return sum(d.escrow_paid_by.values(), d.zero)


def outside_paid(d: Draft) -> Decimal:
    """Everything paid straight to the supplier, outside the checkout (TA-CHECKOUT-ONLY):
    it is counted as released but never passed through escrow."""
    return d.paid - escrow_paid(d)


def outstanding(d: Draft) -> Decimal:
    """The decided refund still to be paid out (ESC-PARTIAL-RELEASE): part of the hold
    that belongs to the buyer already; all of it, in a cancelled order."""
    if d.status is S.CANCELLED:
        return d.held
    dispute = d.dispute
    if dispute is None or dispute.refund is None:
        return d.zero
    issued = dispute.refund_issued
    return dispute.refund.amount - (d.zero if issued is None else issued.amount)


def goods_disputed(d: Draft) -> bool:
    """Whether the goods have had their dispute already (a hold resolves once,
    ESC-PARTIAL-RELEASE): a claim about them, or any claim after receipt, was decided
    (``Milestones.goods_decided_at``, kept whatever dispute follows) or is open. A
    late-shipment dispute was about the date, not the goods; a withdrawn one decided
    nothing."""
    dispute = d.dispute
    return d.milestones.goods_decided_at is not None or (
        dispute is not None and dispute.is_open and about_goods(dispute)
    )


def about_goods(dispute: Dispute) -> bool:
    """Whether an outcome of ``dispute`` settles the goods: a claim about them, or any
    claim after receipt."""
    return dispute.after_receipt or dispute.reason is not DisputeReason.NOT_SHIPPED_ON_TIME


def claim_pool(d: Draft, dispute: Dispute | None = None) -> Decimal:
    """What a dispute's refund can come from (ESC-CONSERVATION, ESC-RELEASE): for a claim
    after receipt, the escrow money already released (TMR-CLAIM-AFTER-RECEIPT); for a
    late shipment or a claim on goods inspected before shipment, the whole free hold;
    for a claim about goods that shipped, only what
    is held for them: the free hold less what the goods still to ship are worth, so the
    unshipped value stays held and due (SHIP-PARTIAL)."""
    if dispute is not None and dispute.after_receipt:
        return d.released - outside_paid(d) + d.held
    free = d.held - outstanding(d)
    if dispute is None or dispute.reason is DisputeReason.NOT_SHIPPED_ON_TIME or not d.shipped:
        # A late shipment, or goods an inspection rejected before any shipped: the
        # compensation comes from the whole free hold, the goods still due in full.
        return free
    status = d.status if d.status is not S.DISPUTED else dispute.prior_status
    still_to_ship = d.total - d.shipped if status in SHIPMENT_OWED else d.zero
    return max(d.zero, free - still_to_ship)


#: The paid statuses in which goods are still owed: their value stays held.
SHIPMENT_OWED: Final = (S.PARTIALLY_PAID, S.FUNDS_HELD, S.PARTIALLY_SHIPPED)
#: The paid statuses before receipt: shipment owed, or the whole order shipped.
PAID_BEFORE_RECEIPT: Final = (*SHIPMENT_OWED, S.SHIPPED)


def ship_overdue(d: Draft, e: Event) -> None:
    """TA-LATE-SHIPMENT, applied by TMR-SHIP-OVERDUE: a funded order not fully shipped
    long past its ship-by is cancelled for its unshipped part. With nothing shipped the
    whole order is cancelled and the hold returned; otherwise the money held for the
    unshipped goods is decided as a refund (the platform's, paid out by RefundIssued,
    together with any refund decided before and still to pay out), and what has
    shipped goes on to its receipt."""
    if not d.shipped:
        cancel_now(d, e)
        return
    owed = outstanding(d)
    amount = min(d.held - owed, d.total - d.shipped)
    if amount > 0:
        refund = d.money(owed + amount)
        d.dispute = _trusted(Dispute)(
            reason=DisputeReason.NOT_SHIPPED_ON_TIME,
            claim=refund,
            evidence=(),
            opened_at=e.at,
            after_receipt=False,
            prior_status=d.status,
            refund=refund,
            resolved_at=e.at,
            resolved_by=Party.PLATFORM,
        )
    d.status = S.SHIPPED
    d.milestones = mark(d.milestones, final_shipped_at=e.at)


def coverage(d: Draft, p: EscrowPolicy, pool: Decimal) -> tuple[Decimal, str | None]:
    """What protection covers out of ``pool``, and the rule that limits it (None when
    the whole pool is covered): TA-SUPPLIER, TA-MIN-ORDER, TA-METHODS, TA-LIMIT."""
    c = d.contract
    zero = d.zero
    if not c.protected:
        return zero, "TA-SUPPLIER"
    minimum = p.min_protected_order  # in the order's currency: the fold checked (fits)
    if minimum is not None and d.total < minimum.amount:
        return zero, "TA-MIN-ORDER"
    covered = pool
    binding: str | None = None
    # The pool never holds money paid outside the checkout (TA-CHECKOUT-ONLY): such
    # payments went straight to the supplier. Of escrow money, only covered methods count.
    covered_paid = zero
    for method, amount in d.escrow_paid_by.items():
        if method in p.covered_methods:
            covered_paid += amount
    if covered_paid < covered:
        covered, binding = covered_paid, "TA-METHODS"
    limit = c.protection_limit or p.default_protection_limit
    if limit is not None and limit.amount < covered:
        covered, binding = limit.amount, "TA-LIMIT"
    return (covered if covered > 0 else zero), binding


def complete(d: Draft, e: Event) -> None:
    """ESC-RELEASE: release the hold to the supplier and complete the order; a decided
    refund still to be paid out stays held for the buyer."""
    keep = outstanding(d)
    d.status = S.COMPLETED
    d.released += d.held - keep
    d.held = keep
    d.milestones = mark(d.milestones, completed_at=e.at)


def refund_account(d: Draft) -> str | None:
    """The bank account the buyer gave for refunds (the latest ``BankAccountProvided``),
    or None."""
    return d.bank_account


def paid_by_tt(d: Draft) -> bool:
    """Whether any escrow money came by T/T, whose refund needs a bank account."""
    return PaymentMethod.TT in d.escrow_paid_by


def account_missing(d: Draft) -> bool:
    """ESC-REFUND-WINDOW: escrow money came by T/T and the buyer has given no bank
    account to refund it to."""
    return paid_by_tt(d) and refund_account(d) is None


def cancel_now(d: Draft, e: Event) -> None:
    """Cancel, returning whatever escrow holds to the buyer (a decided refund still to
    be paid out among it): at once, unless it holds T/T money and the buyer has given
    no bank account yet (ESC-REFUND-WINDOW), in which case the cancelled order keeps
    it, owed to the buyer, until the account comes and the refund is issued."""
    d.status = S.CANCELLED
    d.cancellation = None
    d.milestones = mark(d.milestones, cancelled_at=e.at)
    if d.held and account_missing(d):
        return
    if d.held:
        d.refunded += d.held
        d.held = d.zero
        d.milestones = mark(d.milestones, refund_issued_at=e.at)
        dispute = d.dispute
        if dispute is not None and dispute.refund is not None:
            d.dispute = _amended(dispute, refund_issued=dispute.refund)


def lead_time_start(d: Draft | Order, p: EscrowPolicy) -> datetime | None:
    """The instant the lead time counts from (SHIP-WINDOW): the confirmation by default,
    or the drafting under ``lead_time_start="placement"``; None while not yet recorded."""
    if p.shipping.lead_time_start == "placement":
        return d.contract.placed_at
    return d.milestones.confirmed_at


def ship_by_from(d: Draft, start: datetime, p: EscrowPolicy) -> date | RuleViolation:
    """SHIP-WINDOW, SHIP-DATE: the ship-by once the lead time's start is ``start``:
    counted from it for a contract that gives its lead time in working days, else the
    agreed date, which must lie within the window's working days of it in the
    supplier's calendar."""
    figures = p.shipping
    low, high = figures.min_lead_days, figures.max_lead_days
    calendar = calendar_for(d.contract.supplier_country)
    start_day = supplier_day(d, start)
    lead = d.contract.lead_days
    if lead is not None:
        try:  # the lead time's own rule (SHIP-WINDOW), as shipping states it
            return counted_ship_by(start_day, lead, calendar, figures)
        except RuleViolation as refusal:
            return refusal
    lead = calendar.working_days_between(start_day, d.ship_by)
    if low <= lead <= high:
        return d.ship_by
    earliest = calendar.add_working_days(start_day, low)
    latest = calendar.add_working_days(start_day, high)
    return RuleViolation(
        "SHIP-WINDOW",
        f"order {d.order_id} is to ship by {d.ship_by}, {lead} working days after "
        f"{start_day} in the supplier's calendar; orders ship within {low} to {high} "
        f"working days: a ship-by from {earliest} to {latest}",
    )


def resume(d: Draft, e: Event) -> None:
    """The pending cancellation request ends without cancelling (declined, withdrawn or
    lapsed: TMR-CANCEL-LAPSE): the order goes back where it was, and the clocks that
    stood still while the request waited resume with the time they had left: the
    payment or receipt clock moves by the time waited, and a ship-by still owed moves by
    the supplier's days waited (SHIP-DATE)."""
    request = d.cancellation
    assert request is not None
    waited = e.at - request.at
    prior = request.prior_status
    m = d.milestones
    if prior is S.SHIPPED:
        d.milestones = mark(m, receipt_paused=m.receipt_paused + waited)
    else:
        if prior is S.PARTIALLY_PAID:
            d.milestones = mark(m, pay_paused=m.pay_paused + waited)
        d.ship_by += supplier_day(d, e.at) - supplier_day(d, request.at)
        d.timers_changed()
    d.status = prior
    d.cancellation = None


def window_end(dispute: Dispute, p: EscrowPolicy) -> datetime:
    """When the supplier's window on ``dispute`` closes, counted from its opening for
    every reason (TA-SUPPLIER-15-DAYS, TMR-SUPPLIER-RESPONSE): the buyer may escalate,
    and the platform rule, after it."""
    return dispute.opened_at + days(p.supplier_window_days)


def rejected(d: Draft) -> bool:
    """Whether the latest inspection report rejected the goods (TA-INSPECTION)."""
    inspection = d.inspection
    return inspection is not None and not inspection.passed


def has_evidence(d: Draft, dispute: Dispute) -> bool:
    """Whether a claim carries evidence (TA-EVIDENCE): the buyer's own, or the latest
    inspection report when it rejected the goods."""
    return bool(dispute.evidence) or rejected(d)


def withdraw(d: Draft, e: Event) -> None:
    """The open dispute ends undecided (the buyer withdrew it, or TMR-EVIDENCE closed it
    for want of evidence): the order goes back where it was when the dispute opened, its
    clocks having counted on meanwhile, and nothing is released or refunded."""
    dispute = d.dispute
    assert dispute is not None
    d.dispute = _amended(dispute, withdrawn_at=e.at)
    d.status = dispute.prior_status
