"""The events of an order's life: immutable records of what happened, and when.

An order's state is a left fold of these (``tradeassure.escrow.replay``). Each event is
a frozen value with ``at``, a timezone-aware instant (a naive one is refused), and an
optional ``event_id``: a backend that redelivers an event with the same id gets the
order back unchanged. Events validate their own shape at construction (amounts
positive, dates as dates, a known timer id); whether an event may happen *now* is the
escrow module's business.

>>> from datetime import datetime, timezone
>>> ReceiptConfirmed(at=datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc), event_id="e-9")
ReceiptConfirmed(at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.timezone.utc),
                 event_id='e-9')
>>> ReceiptConfirmed(at=datetime(2025, 3, 1, 9, 0))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: ReceiptConfirmed.at 2025-03-01T09:00:00 is naive: ...
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, final

import attrs

from tradeassure._checks import (
    Strings,
    aware_field,
    boolean_field,
    date_field,
    day_count_field,
    fixed_offset,
    free_text_field,
    member,
    non_negative_whole_money_field,
    optional_text_field,
    positive_whole_money_field,
    text_field,
    tuple_of,
)
from tradeassure.errors import CurrencyMismatch, InvalidInput
from tradeassure.money import Money
from tradeassure.shipping import zone_for, zone_of
from tradeassure.terms import Party, PaymentMethod

__all__ = [
    "EVENT_TYPES",
    "TIMERS",
    "BankAccountProvided",
    "CancellationAgreed",
    "CancellationDeclined",
    "CancellationRequested",
    "CancellationWithdrawn",
    "ContractConfirmed",
    "DisputeEscalated",
    "DisputeOpened",
    "DisputeReason",
    "DisputeSettled",
    "DisputeWithdrawn",
    "Event",
    "EvidenceSubmitted",
    "FeedbackLeft",
    "InspectionReported",
    "OrderPlaced",
    "PaymentReceived",
    "PlatformRuled",
    "ReceiptConfirmed",
    "ReceiptDeadlineExtended",
    "RefundIssued",
    "Shipped",
    "ShippingDateExtended",
    "TimerExpired",
]

#: The time-driven rules a ``TimerExpired`` event can carry (RULES.md section 6).
TIMERS: Final = frozenset(
    {
        "TMR-CONFIRM",
        "TMR-PAY",
        "TMR-BALANCE",
        "TMR-AUTO-COMPLETE",
        "TMR-SUPPLIER-RESPONSE",
        "TMR-EVIDENCE",
        "TMR-CANCEL-LAPSE",
        "TMR-SHIP-OVERDUE",
    }
)


class DisputeReason(enum.Enum):
    """Why a buyer opens a dispute (ESC-DISPUTE-OPEN, TA-LATE-SHIPMENT, TA-QUALITY)."""

    NOT_SHIPPED_ON_TIME = "not_shipped_on_time"
    NOT_RECEIVED = "not_received"
    QUALITY_MISMATCH = "quality_mismatch"
    DAMAGED = "damaged"
    QUANTITY_SHORT = "quantity_short"

    @property
    def concerns_goods(self) -> bool:
        """True for claims about delivered goods, which an inspection decides
        (TA-QUALITY, TA-INSPECTION)."""
        return self in _GOODS_REASONS


_GOODS_REASONS: Final = frozenset(
    {DisputeReason.QUALITY_MISMATCH, DisputeReason.DAMAGED, DisputeReason.QUANTITY_SHORT}
)


def contract_zone(zone: str | None, country: str, party: str) -> str:
    """The zone a party's days are counted in: ``zone`` when given (an IANA name), else
    the country's own; InvalidInput when the country has several and none is named."""
    if zone is not None:
        zone_of(zone)
        return zone
    derived = zone_for(country)
    if derived is None:
        raise InvalidInput(
            f"OrderPlaced.{party}_country {country} keeps several time zones; name the one "
            f"the {party}'s days are counted in: {party}_zone, e.g. an IANA name such as "
            "'America/New_York'"
        )
    return derived


# The converters of the events' collections of text, each naming its field.


def _specifications(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "OrderPlaced.specifications")


def _evidence(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "DisputeOpened.evidence")


def _items(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "EvidenceSubmitted.items")


# -- events -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Event:
    """What every event carries.

    Attributes:
        at: when it happened, timezone-aware, in any offset, on a supported date in UTC
            (1900-01-01 to 2100-12-31): a rule that takes the day of ``at`` takes it in
            the zone the contract names (the supplier's for the ship-by, the buyer's
            bank's for refund days), never in this offset.
        event_id: an id unique within the order, for idempotent redelivery; optional.
    """

    at: datetime = attrs.field(converter=fixed_offset, validator=aware_field)
    event_id: str | None = attrs.field(default=None, validator=optional_text_field)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The fold looks events up by their exact type, so an event type is final: a
        # subclass would be refused as out of turn instead of decided as its base.
        super().__init_subclass__(**kwargs)
        for base in cls.__mro__[1:]:
            if getattr(base, "__final__", False):
                raise TypeError(
                    f"{base.__name__} is final: the escrow decides events by their exact "
                    f"type, so {cls.__name__} cannot extend it; give the extra facts their "
                    "own field or event type (see docs/design.md, how to add an event type)"
                )


@final
@attrs.frozen(kw_only=True)
class OrderPlaced(Event):
    """A purchase contract was drafted (ESC-ORDER-ORIGIN, ESC-CONTRACT-SCOPE).

    Attributes:
        order_id: the order's identifier.
        buyer: the buyer's identifier.
        supplier: the supplier's identifier.
        total: the contract's total amount.
        ship_by: the agreed shipping date (SHIP-DATE), never before the day the contract
            is drafted; or None when the contract gives ``lead_days`` instead.
        lead_days: the lead time in the supplier's working days, instead of a date: the
            ship-by is then counted from the lead time's start (the confirmation, by
            default) in the supplier's calendar (SHIP-DATE, SHIP-WINDOW).
        drafted_by: the supplier, or the buyer through "Buy Now"; the other party confirms.
        protected: whether the supplier participates in Trade Assurance (TA-SUPPLIER).
        protection_limit: the supplier's protection limit, or None for the policy's
            default (TA-LIMIT).
        deposit: the initial deposit the contract asks for, or None (ESC-DEPOSIT).
        specifications: the contract's measurable requirements (TA-SPEC-QUANTIFIABLE).
        supplier_country: ISO 3166 code of the supplier's working calendar (SHIP-DATE).
        buyer_country: ISO 3166 code of the buyer's bank calendar, for refund arrival
            (ESC-REFUND-WINDOW); None uses the supplier's.
        supplier_zone: the IANA time zone the supplier's days are counted in (SHIP-DATE:
            ship-by, lateness, the extension cap); None takes the country's own
            (``tradeassure.shipping.zone_for``), which a country with several zones
            must name.
        buyer_zone: the zone of the buyer's bank days (refund arrival); None takes the
            buyer's country's, or the supplier's zone when no buyer country is named.
    """

    order_id: str = attrs.field(validator=text_field)
    buyer: str = attrs.field(validator=text_field)
    supplier: str = attrs.field(validator=text_field)
    total: Money = attrs.field(validator=positive_whole_money_field)
    ship_by: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(date_field)
    )
    lead_days: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(day_count_field)
    )
    drafted_by: Party = attrs.field(default=Party.SUPPLIER, validator=member(Party))
    protected: bool = attrs.field(default=True, validator=boolean_field)
    protection_limit: Money | None = attrs.field(default=None)
    deposit: Money | None = attrs.field(default=None)
    specifications: tuple[str, ...] = attrs.field(default=(), converter=_specifications)
    supplier_country: str = attrs.field(default="CN", validator=text_field)
    buyer_country: str | None = attrs.field(default=None, validator=optional_text_field)
    supplier_zone: str | None = attrs.field(default=None, validator=optional_text_field)
    buyer_zone: str | None = attrs.field(default=None, validator=optional_text_field)

    def __attrs_post_init__(self) -> None:
        if self.drafted_by is Party.PLATFORM:
            raise InvalidInput("OrderPlaced.drafted_by must be the buyer or the supplier")
        if (self.ship_by is None) == (self.lead_days is None):
            raise InvalidInput(
                "OrderPlaced needs either ship_by (a date) or lead_days (working days), "
                "not both and not neither"
            )
        contract_zone(self.supplier_zone, self.supplier_country, "supplier")
        if self.buyer_country is not None or self.buyer_zone is not None:
            contract_zone(self.buyer_zone, self.buyer_country or self.supplier_country, "buyer")
        for name in ("protection_limit", "deposit"):
            value = getattr(self, name)
            if value is None:
                continue
            positive_whole_money_field(self, attrs.fields_dict(OrderPlaced)[name], value)
            if value.currency != self.total.currency:
                raise CurrencyMismatch(
                    f"OrderPlaced.{name} is in {value.currency} but the total is in "
                    f"{self.total.currency}"
                )
        if self.deposit is not None and self.deposit > self.total:
            raise InvalidInput(f"OrderPlaced.deposit {self.deposit} exceeds the total {self.total}")


@final
@attrs.frozen(kw_only=True)
class ContractConfirmed(Event):
    """The party that did not draft the contract confirmed it (ESC-ORDER-ORIGIN)."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class PaymentReceived(Event):
    """The buyer paid ``amount`` by ``method``; ``via_checkout=False`` means straight to
    the supplier's own account, outside escrow (TA-CHECKOUT-ONLY)."""

    amount: Money = attrs.field(validator=positive_whole_money_field)
    method: PaymentMethod = attrs.field(validator=member(PaymentMethod))
    via_checkout: bool = attrs.field(default=True, validator=boolean_field)


@final
@attrs.frozen(kw_only=True)
class Shipped(Event):
    """Goods worth ``value`` left the supplier; ``final`` when this completes the order
    (SHIP-PARTIAL)."""

    value: Money = attrs.field(validator=positive_whole_money_field)
    final: bool = attrs.field(validator=boolean_field)


@final
@attrs.frozen(kw_only=True)
class ShippingDateExtended(Event):
    """A new ship-by date, with each party's agreement (SHIP-EXTEND)."""

    new_ship_by: date = attrs.field(validator=date_field)
    buyer_agrees: bool = attrs.field(validator=boolean_field)
    supplier_agrees: bool = attrs.field(validator=boolean_field)


@final
@attrs.frozen(kw_only=True)
class ReceiptConfirmed(Event):
    """The buyer confirmed receipt ("Confirm, Order Received"; ESC-RELEASE)."""


@final
@attrs.frozen(kw_only=True)
class ReceiptDeadlineExtended(Event):
    """One party extended the automatic-completion deadline, once (TMR-RECEIPT-EXTEND)."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class FeedbackLeft(Event):
    """The buyer's feedback after receipt, 1 to 5 stars (ESC-FEEDBACK)."""

    rating: int = attrs.field()
    comment: str = attrs.field(default="", validator=free_text_field)

    @rating.validator
    def _rating(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(f"FeedbackLeft.rating must be a whole number 1 to 5, got {value!r}")


@final
@attrs.frozen(kw_only=True)
class CancellationRequested(Event):
    """A party asked to cancel (ESC-CANCEL-SHIPPED)."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class CancellationAgreed(Event):
    """The other party agreed to the requested cancellation (ESC-CANCEL-SHIPPED)."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class CancellationDeclined(Event):
    """The other party declined the requested cancellation; the order goes on."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class CancellationWithdrawn(Event):
    """The party that asked to cancel withdrew the request; the order goes on where it
    was (ESC-CANCEL-SHIPPED)."""

    by: Party = attrs.field(validator=member(Party))


@final
@attrs.frozen(kw_only=True)
class DisputeOpened(Event):
    """The buyer opened a dispute claiming ``claim`` (ESC-DISPUTE-OPEN). ``evidence``
    may follow the claim (``EvidenceSubmitted``): a claim about the goods still without
    any when its deadline falls is withdrawn (TA-EVIDENCE, TMR-EVIDENCE)."""

    reason: DisputeReason = attrs.field(validator=member(DisputeReason))
    claim: Money = attrs.field(validator=positive_whole_money_field)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_evidence)


def _some(
    instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    if not value:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must name at least one item "
            "(a photo, a video, a report), got none"
        )


@final
@attrs.frozen(kw_only=True)
class EvidenceSubmitted(Event):
    """A party added evidence to the open dispute: the buyer's backs the claim (and
    stops its evidence deadline, TMR-EVIDENCE), the supplier's answers it (TA-EVIDENCE)."""

    by: Party = attrs.field(validator=member(Party))
    items: tuple[str, ...] = attrs.field(converter=_items, validator=_some)


@final
@attrs.frozen(kw_only=True)
class DisputeEscalated(Event):
    """The buyer took the dispute to the platform once the supplier's window had passed
    (TMR-SUPPLIER-RESPONSE: from day 4 under the help pages)."""


@final
@attrs.frozen(kw_only=True)
class DisputeWithdrawn(Event):
    """The buyer withdrew the open dispute: nothing is decided, and the order goes on
    where it was when the dispute opened (ESC-DISPUTE-OPEN)."""


@final
@attrs.frozen(kw_only=True)
class InspectionReported(Event):
    """The platform's inspection company reported on the goods (TA-INSPECTION): the
    latest report is the one that decides."""

    passed: bool = attrs.field(validator=boolean_field)
    report: str = attrs.field(default="", validator=free_text_field)


@final
@attrs.frozen(kw_only=True)
class DisputeSettled(Event):
    """The parties agreed the dispute, at any time until the platform rules: ``refund``
    goes back to the buyer, the rest of the hold to the supplier (ESC-PARTIAL-RELEASE)."""

    refund: Money = attrs.field(validator=non_negative_whole_money_field)


@final
@attrs.frozen(kw_only=True)
class PlatformRuled(Event):
    """The platform decided the dispute after the supplier's window, never refunding
    more than the claim (TA-SUPPLIER-15-DAYS, TA-RULING-WITHIN-CLAIM)."""

    refund: Money = attrs.field(validator=non_negative_whole_money_field)


@final
@attrs.frozen(kw_only=True)
class RefundIssued(Event):
    """The platform paid a decided refund out; a T/T refund needs the buyer's bank
    account (ESC-REFUND-WINDOW)."""

    amount: Money = attrs.field(validator=positive_whole_money_field)
    bank_account: str | None = attrs.field(default=None, validator=optional_text_field)


@final
@attrs.frozen(kw_only=True)
class BankAccountProvided(Event):
    """The buyer gave the bank account that refunds of T/T money go to
    (ESC-REFUND-WINDOW): a refund of a T/T payment is issued only once one is known,
    here or on the ``RefundIssued`` itself."""

    account: str = attrs.field(validator=text_field)


@final
@attrs.frozen(kw_only=True)
class TimerExpired(Event):
    """A time-driven rule fired at ``at``, the instant its deadline fell (RULES.md
    section 6); ``timer`` is the rule id."""

    timer: str = attrs.field()

    @timer.validator
    def _known(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or value not in TIMERS:
            raise InvalidInput(f"TimerExpired.timer must be one of {sorted(TIMERS)}, got {value!r}")


#: Every event type, by class name (for serialization and docs).
EVENT_TYPES: Final[Mapping[str, type[Event]]] = MappingProxyType(
    {
        cls.__name__: cls
        for cls in (
            OrderPlaced,
            ContractConfirmed,
            PaymentReceived,
            Shipped,
            ShippingDateExtended,
            ReceiptConfirmed,
            ReceiptDeadlineExtended,
            FeedbackLeft,
            CancellationRequested,
            CancellationAgreed,
            CancellationDeclined,
            CancellationWithdrawn,
            DisputeOpened,
            EvidenceSubmitted,
            DisputeEscalated,
            DisputeWithdrawn,
            InspectionReported,
            DisputeSettled,
            PlatformRuled,
            RefundIssued,
            BankAccountProvided,
            TimerExpired,
        )
    }
)
