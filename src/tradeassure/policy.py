"""Policies: every figure a rule uses, as frozen data with named editions.

No rule function holds a number of its own: each takes a policy argument whose default
is the documented edition below. Editions exist where the documents show the rules
changing, so the same history can be judged under either.

Escrow editions (``ESCROW_EDITIONS``):

- ``DEFAULT_ESCROW``: the source documents' own figures (the supplier's 15 days,
  PayPal refused, no minimum order since 2015, no claim after a completed order) and,
  where they give none, the help-pages figures of RULES.md section 6.
- ``HELP_PAGES_ESCROW``: RULES.md section 6 throughout: the supplier answers a dispute
  in 3 days, the buyer may escalate from day 4, escalation is automatic on day 8, and a
  quality claim may be filed up to 30 days after confirmed receipt.
- ``LAUNCH_2014_ESCROW``: the programme at launch: only T/T payments covered, and a
  USD 1,000 minimum per protected order (TA-METHODS, TA-MIN-ORDER).

Financing editions: ``DEFAULT_FINANCING`` (the published e-Credit Line terms, CR-*)
and ``AU_PARTNER_FINANCING`` (the Australian partner line, CR-AU-LINE, which finances
at most the whole of a trade's payable amount: CR-80 at 100%).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

import attrs

from tradeassure.errors import InvalidInput
from tradeassure.money import Money
from tradeassure.terms import PaymentMethod

__all__ = [
    "AU_PARTNER_FINANCING",
    "DEFAULT_ESCROW",
    "DEFAULT_FINANCING",
    "DEFAULT_IDENTITY",
    "DEFAULT_SHIPPING",
    "ESCROW_EDITIONS",
    "FINANCING_EDITIONS",
    "HELP_PAGES_ESCROW",
    "LAUNCH_2014_ESCROW",
    "EscrowPolicy",
    "FinancingPolicy",
    "IdentityPolicy",
    "ShippingPolicy",
]


def _figure(amount: int | str, currency: str) -> Money:
    """A policy figure: a known-good literal, built without loading the ISO 4217 table,
    so that importing the library stays fast (the table loads with the first Money)."""
    return Money._make(Decimal(amount), currency)


def _non_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise InvalidInput(f"{attribute.name} must be zero or more, not {value}")


def _exact(name: str, value: object) -> None:
    """Refuse a rate or share that is not an exact number: a float would carry its binary
    error into money math (``Fraction(0.0004)`` is not 0.0004)."""
    if isinstance(value, float):
        raise TypeError(
            f"{name} {value!r} is a float, which is inexact: pass a Decimal, such as "
            "Decimal('0.0004')"
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidInput(f"{name} must be a Decimal, not {type(value).__name__}")


def _share(instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is None:
        return
    _exact(attribute.name, value)
    if not (0 <= value <= 1):
        raise InvalidInput(f"{attribute.name} must be a share from 0 to 1, not {value}")


@attrs.frozen
class ShippingPolicy:
    """Figures for ship-by dates and refund arrival.

    Attributes:
        min_lead_days: shortest lead time, in the supplier's working days (SHIP-WINDOW).
        max_lead_days: longest lead time, in working days (SHIP-WINDOW).
        refund_arrival_min_days: earliest arrival of an issued refund, in business days
            after issue (ESC-REFUND-WINDOW).
        refund_arrival_max_days: latest arrival, in business days (ESC-REFUND-WINDOW).
        ship_extend_cap_days: calendar days from confirmation that the ship-by date may
            never pass, however often it is extended (TMR-SHIP-EXTEND-CAP).
    """

    min_lead_days: int = attrs.field(default=3, validator=_non_negative)
    max_lead_days: int = attrs.field(default=60, validator=_non_negative)
    refund_arrival_min_days: int = attrs.field(default=7, validator=_non_negative)
    refund_arrival_max_days: int = attrs.field(default=10, validator=_non_negative)
    ship_extend_cap_days: int = attrs.field(default=90, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        if self.min_lead_days > self.max_lead_days:
            raise InvalidInput("min_lead_days must not exceed max_lead_days")
        if self.refund_arrival_min_days > self.refund_arrival_max_days:
            raise InvalidInput("refund_arrival_min_days must not exceed refund_arrival_max_days")


DEFAULT_SHIPPING = ShippingPolicy()

_ALL_METHODS = frozenset(PaymentMethod)


def _methods(values: Iterable[PaymentMethod]) -> frozenset[PaymentMethod]:
    methods = frozenset(values)
    for m in methods:
        if not isinstance(m, PaymentMethod):
            raise InvalidInput(f"payment methods must be PaymentMethod members, not {m!r}")
    return methods


@attrs.frozen
class EscrowPolicy:
    """Figures for the order lifecycle, coverage and disputes (ESC-*, TA-*, TMR-*).

    Attributes:
        edition: the edition's name, as in :data:`ESCROW_EDITIONS`.
        accepted_methods: methods that may pay into escrow at all (TA-METHODS).
        covered_methods: methods whose payments protection covers (TA-METHODS; T/T only
            at launch). Always a subset of ``accepted_methods``.
        min_protected_order: smallest order total that protection covers, or None
            (TA-MIN-ORDER).
        default_protection_limit: the cap on coverage when an order names none, or None
            for no cap (TA-LIMIT).
        supplier_window_days: calendar days the supplier has to resolve a disagreement
            before the platform may rule (TA-SUPPLIER-15-DAYS, TMR-SUPPLIER-RESPONSE).
        auto_escalate_days: calendar days after the disagreement at which the dispute
            escalates to the platform automatically (TMR-SUPPLIER-RESPONSE).
        confirm_days: calendar days a contract may wait for confirmation (TMR-CONFIRM).
        pay_days: calendar days a confirmed order may wait to be paid in full (TMR-PAY).
        auto_complete_days: calendar days after the final shipment at which an order
            nobody confirmed or disputed completes (TMR-AUTO-COMPLETE).
        receipt_extension_days: days one party's single extension adds to that deadline
            (TMR-RECEIPT-EXTEND).
        receipt_extension_max_days: most days all extensions together add
            (TMR-RECEIPT-EXTEND).
        claim_after_receipt_days: calendar days after confirmed receipt during which a
            claim about the goods may still be filed; 0 under the documents
            (TMR-CLAIM-AFTER-RECEIPT, ESC-DISPUTE-COMPLETED).
        refund_start_business_days: business days after an outcome by which the platform
            starts the refund (TMR-REFUND-START).
        shipping: ship-by and refund-arrival figures.
    """

    edition: str
    accepted_methods: frozenset[PaymentMethod] = attrs.field(
        default=_ALL_METHODS - {PaymentMethod.PAYPAL}, converter=_methods
    )
    covered_methods: frozenset[PaymentMethod] = attrs.field(
        default=_ALL_METHODS - {PaymentMethod.PAYPAL}, converter=_methods
    )
    min_protected_order: Money | None = None
    default_protection_limit: Money | None = None
    supplier_window_days: int = attrs.field(default=15, validator=_non_negative)
    auto_escalate_days: int = attrs.field(default=15, validator=_non_negative)
    confirm_days: int = attrs.field(default=30, validator=_non_negative)
    pay_days: int = attrs.field(default=60, validator=_non_negative)
    auto_complete_days: int = attrs.field(default=60, validator=_non_negative)
    receipt_extension_days: int = attrs.field(default=15, validator=_non_negative)
    receipt_extension_max_days: int = attrs.field(default=30, validator=_non_negative)
    claim_after_receipt_days: int = attrs.field(default=0, validator=_non_negative)
    refund_start_business_days: int = attrs.field(default=7, validator=_non_negative)
    shipping: ShippingPolicy = DEFAULT_SHIPPING

    def __attrs_post_init__(self) -> None:
        if not self.covered_methods <= self.accepted_methods:
            extra = sorted(m.name for m in self.covered_methods - self.accepted_methods)
            raise InvalidInput(f"covered_methods must be accepted too; not accepted: {extra}")
        if self.auto_escalate_days < self.supplier_window_days:
            raise InvalidInput(
                "auto_escalate_days must not fall inside the supplier's window "
                f"({self.auto_escalate_days} < {self.supplier_window_days})"
            )


DEFAULT_ESCROW = EscrowPolicy(edition="default")
HELP_PAGES_ESCROW = EscrowPolicy(
    edition="help-pages",
    supplier_window_days=3,
    auto_escalate_days=7,
    claim_after_receipt_days=30,
)
LAUNCH_2014_ESCROW = EscrowPolicy(
    edition="launch-2014",
    covered_methods=frozenset({PaymentMethod.TT}),
    min_protected_order=_figure(1000, "USD"),
)

#: Escrow editions by name, for a CLI flag or a stored setting.
ESCROW_EDITIONS: Mapping[str, EscrowPolicy] = MappingProxyType(
    {p.edition: p for p in (DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW)}
)


@attrs.frozen
class FinancingPolicy:
    """The caps and price of an e-Credit Line edition (CR-*). A cap set to None is not
    applied by this edition.

    Attributes:
        edition: the edition's name, as in :data:`FINANCING_EDITIONS`.
        currency: the currency of the line and of every figure below.
        min_limit: the terms apply only to lines whose limit is **over** this (CR-TIER);
            None applies them to any line.
        max_limit: the largest limit the edition grants, inclusive (CR-AU-LINE).
        financed_share: most of a trade's payable amount that is financed (CR-80).
        per_trade_max: most financed for one trade (CR-PER-TRADE).
        per_trade_share_of_limit: most financed for one trade, as a share of the limit
            (CR-PER-TRADE).
        outstanding_below: total outstanding financing must stay strictly below this
            (CR-OUTSTANDING).
        new_customer_share: before the first full repayment, most of the limit that may
            ever be drawn in all (CR-NEW-CUSTOMER).
        interest_rate: simple interest per ``rate_period`` (CR-INTEREST).
        rate_period: ``"day"``, or ``"month"``, a twelfth of a 365-day year: a monthly rate
            accrues ``rate * 12 / 365`` per day, computed exactly (CR-AU-LINE).
        insurance_fee_rate: the export-credit insurance fee, as a share of the principal
            per trade (CR-INTEREST; the documents do not price it, so zero).
        terms_rule: the rule id a refusal names when a line's limit is outside
            ``min_limit``/``max_limit`` (``CR-TIER``; ``CR-AU-LINE`` for the partner line).

    Limits are in whole minor units (``tradeassure.credit.CreditLine`` refuses others), so
    "over AUD 4,999.99" is exactly "AUD 5,000.00 or more".
    """

    edition: str
    currency: str = "USD"
    min_limit: Money | None = None
    max_limit: Money | None = None
    financed_share: Decimal | None = attrs.field(default=None, validator=_share)
    per_trade_max: Money | None = None
    per_trade_share_of_limit: Decimal | None = attrs.field(default=None, validator=_share)
    outstanding_below: Money | None = None
    new_customer_share: Decimal | None = attrs.field(default=None, validator=_share)
    interest_rate: Decimal = Decimal("0.0004")
    rate_period: Literal["day", "month"] = "day"
    insurance_fee_rate: Decimal = attrs.field(default=Decimal(0), validator=_share)
    terms_rule: str = "CR-TIER"

    def __attrs_post_init__(self) -> None:
        for name in ("min_limit", "max_limit", "per_trade_max", "outstanding_below"):
            value = getattr(self, name)
            if value is not None and value.currency != self.currency:
                raise InvalidInput(
                    f"{name} is in {value.currency} but the policy's currency is {self.currency}"
                )
            if value is not None and value.is_negative:
                raise InvalidInput(f"{name} must be zero or more, not {value}")
        if (
            self.min_limit is not None
            and self.max_limit is not None
            and self.max_limit <= self.min_limit
        ):
            raise InvalidInput(
                f"max_limit {self.max_limit} must be above min_limit {self.min_limit}: "
                "no line could qualify"
            )
        if self.terms_rule not in ("CR-TIER", "CR-AU-LINE"):
            raise InvalidInput(
                f"terms_rule must be 'CR-TIER' or 'CR-AU-LINE', not {self.terms_rule!r}"
            )
        _exact("interest_rate", self.interest_rate)
        if self.interest_rate < 0:
            raise InvalidInput(f"interest_rate must be zero or more, not {self.interest_rate}")
        if self.rate_period not in ("day", "month"):
            raise InvalidInput(f"rate_period must be 'day' or 'month', not {self.rate_period!r}")


DEFAULT_FINANCING = FinancingPolicy(
    edition="default",
    currency="USD",
    min_limit=_figure(1_000_000, "USD"),
    financed_share=Decimal("0.80"),
    per_trade_max=_figure(150_000, "USD"),
    per_trade_share_of_limit=Decimal("0.30"),
    outstanding_below=_figure(1_000_000, "USD"),
    new_customer_share=Decimal("0.50"),
    interest_rate=Decimal("0.0004"),
    rate_period="day",
)
# AU$5,000 to AU$300,000: limits are whole cents, so "over 4,999.99" is "5,000 or more".
# The partner's documents publish no financed share, but a purchase is never financed
# beyond what it costs: CR-80's cap at 100% of the trade's payable amount.
AU_PARTNER_FINANCING = FinancingPolicy(
    edition="au-partner",
    currency="AUD",
    min_limit=_figure("4999.99", "AUD"),
    max_limit=_figure(300_000, "AUD"),
    financed_share=Decimal(1),
    interest_rate=Decimal("0.0115"),
    rate_period="month",
    terms_rule="CR-AU-LINE",
)

#: Financing editions by name.
FINANCING_EDITIONS: Mapping[str, FinancingPolicy] = MappingProxyType(
    {p.edition: p for p in (DEFAULT_FINANCING, AU_PARTNER_FINANCING)}
)


@attrs.frozen
class IdentityPolicy:
    """Figures for identity tiers, membership, supplier standing and passwords (ID-*,
    TA-SUPPLIER, SEC-PASSWORD).

    The documents publish none of the supplier-review thresholds, the "small batch" or
    the password details; the defaults below are the library's, chosen as stated.

    Attributes:
        verification_valid_years: how long a field check stays current; a check exactly
            this many years old still counts (ID-VERIFIED).
        activity_threshold: platform activities that earn the Activity tier (ID-ACTIVITY).
        personal_name_max_order: the largest order a buyer without a business name may
            place, a "small batch" (ID-BUSINESS-NAME; not published, so a policy figure).
        storefront_months: the storefront's look-back window (ID-STOREFRONT).
        review_window_months: the length of one supplier review period (TA-SUPPLIER).
        min_transactions_per_window: completed transactions a supplier needs in the last
            review window to stay in the programme (TA-SUPPLIER; not published).
        min_response_rate: share of inquiries the supplier must answer (TA-SUPPLIER; not
            published).
        max_median_response: the slowest median response time, over the review window,
            that a participating supplier may have (TA-SUPPLIER; not published: 24 hours,
            the band the storefront's "responds within" figure commonly shows).
        password_word_min_length: the shortest dictionary word counted when a password
            is read as several words run together (SEC-PASSWORD: 3, so that "thebestboss"
            is the+best+boss but any string is not a run of one- and two-letter tokens).
        password_personal_min_length: the shortest part of the member's name, or local
            part of the e-mail address, looked for inside a password (SEC-PASSWORD: 3;
            the whole name and whole address are always looked for).
        password_phone_tail_digits: how many of the phone number's last digits count as
            the number without its country or area code (SEC-PASSWORD: 7, a subscriber
            number).
    """

    verification_valid_years: int = attrs.field(default=1, validator=_non_negative)
    activity_threshold: int = attrs.field(default=1, validator=_non_negative)
    personal_name_max_order: Money = _figure(1000, "USD")
    storefront_months: int = attrs.field(default=12, validator=_non_negative)
    review_window_months: int = attrs.field(default=6, validator=_non_negative)
    min_transactions_per_window: int = attrs.field(default=3, validator=_non_negative)
    min_response_rate: Decimal = attrs.field(default=Decimal("0.8"), validator=_share)
    max_median_response: timedelta = attrs.field(default=timedelta(hours=24))
    password_word_min_length: int = attrs.field(default=3, validator=_non_negative)
    password_personal_min_length: int = attrs.field(default=3, validator=_non_negative)
    password_phone_tail_digits: int = attrs.field(default=7, validator=_non_negative)

    @max_median_response.validator
    def _check_max_median_response(
        self, attribute: attrs.Attribute[timedelta], value: object
    ) -> None:
        if not isinstance(value, timedelta) or value < timedelta(0):
            raise InvalidInput(
                f"max_median_response must be a timedelta of zero or more, not {value!r}"
            )


DEFAULT_IDENTITY = IdentityPolicy()
