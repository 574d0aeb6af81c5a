"""A supplier's standing: its trading record, its storefront figures (ID-STOREFRONT),
its protection limit (TA-LIMIT) and whether it may offer protection (TA-SUPPLIER),
judged on its last review window.

Protection is decided by the verb pair: :func:`check` answers with one violation of
TA-SUPPLIER per criterion the record fails (empty when the supplier may offer
protection), :func:`apply` raises the first or returns the record.

>>> from datetime import date, timedelta
>>> from tradeassure.money import Money
>>> from tradeassure.verification.membership import Membership
>>> record = SupplierRecord(
...     Membership.GOLD_SUPPLIER,
...     transactions=[Transaction(date(2025, 5, d), Money(5000, "USD")) for d in (1, 2, 3)],
...     inquiries=[Inquiry(date(2025, 5, 4), timedelta(hours=30))],
... )
>>> [v.rule for v in check(record, date(2025, 6, 30))]
['TA-SUPPLIER']
>>> print(check(record, date(2025, 6, 30))[0].message)  # doctest: +ELLIPSIS
The supplier's median response time in the review window ... is 30 hours; it must be ...
>>> lenient = attrs.evolve(DEFAULT_IDENTITY, max_median_response=timedelta(hours=48))
>>> apply(record, date(2025, 6, 30), lenient) is record
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, final

import attrs
from dateutil.relativedelta import relativedelta

from tradeassure import _display
from tradeassure._checks import (
    boolean_field,
    count_field,
    date_field,
    derived_date_field,
    duration_field,
    member,
    non_negative_money_field,
    of_type,
    plain_date,
    tuple_of,
)
from tradeassure.errors import CurrencyMismatch, InvalidInput, RuleViolation
from tradeassure.money import _ROUNDING, Money
from tradeassure.verification._decision import Decision, decided
from tradeassure.verification.membership import PROTECTION_MEMBERSHIPS, Membership
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

__all__ = [
    "Inquiry",
    "Storefront",
    "SupplierRecord",
    "Transaction",
    "apply",
    "check",
    "protection_eligible",
    "response_hours",
    "storefront",
]

_optional_duration = attrs.validators.optional(duration_field)
_optional_limit = attrs.validators.optional(non_negative_money_field)


@final
@attrs.frozen
class Transaction:
    """One transaction the supplier completed.

    Attributes:
        completed_on: the day it was completed.
        value: its value (zero or more).
    """

    completed_on: date = attrs.field(validator=date_field)
    value: Money = attrs.field(validator=non_negative_money_field)


@final
@attrs.frozen
class Inquiry:
    """One buyer inquiry to the supplier.

    Attributes:
        received_on: the day it arrived.
        response_time: how long the supplier took to answer it, or None while unanswered.
    """

    received_on: date = attrs.field(validator=date_field)
    response_time: timedelta | None = attrs.field(default=None, validator=_optional_duration)


def _currency(value: str) -> str:
    return Money.zero(of_type(value, "currency", str)).currency


def _transactions(values: Iterable[Transaction]) -> tuple[Transaction, ...]:
    return tuple_of(values, Transaction, "transactions")


def _inquiries(values: Iterable[Inquiry]) -> tuple[Inquiry, ...]:
    return tuple_of(values, Inquiry, "inquiries")


@final
@attrs.frozen
class SupplierRecord:
    """A supplier's trading record, as the platform keeps it.

    Attributes:
        membership: the supplier's subscription; only Gold Suppliers may offer protection
            (TA-SUPPLIER).
        transactions: transactions completed, all in ``currency``.
        inquiries: buyer inquiries and how fast each was answered.
        protection_limit: the most protection covers on one of its orders (TA-LIMIT),
            shown on its storefront; None when the platform set no limit of its own for
            this supplier, so the escrow policy's ``default_protection_limit`` applies.
        currency: the currency of its transaction values, and of the storefront total.
    """

    membership: Membership = attrs.field(validator=member(Membership))
    transactions: tuple[Transaction, ...] = attrs.field(default=(), converter=_transactions)
    inquiries: tuple[Inquiry, ...] = attrs.field(default=(), converter=_inquiries)
    protection_limit: Money | None = attrs.field(default=None, validator=_optional_limit)
    currency: str = attrs.field(default="USD", converter=_currency)

    def __attrs_post_init__(self) -> None:
        for t in self.transactions:
            if t.value.currency != self.currency:
                raise CurrencyMismatch(
                    f"transaction of {t.completed_on} is {t.value}, but the record's "
                    f"currency is {self.currency}: convert it first"
                )


@attrs.frozen
class _Window:
    first: date
    last: date
    transactions: tuple[Transaction, ...]
    inquiries: tuple[Inquiry, ...]

    @property
    def answered(self) -> tuple[timedelta, ...]:
        return tuple(sorted(i.response_time for i in self.inquiries if i.response_time is not None))


def _window(record: SupplierRecord, as_of: date, months: int) -> _Window:
    """The ``months`` months up to and including ``as_of``: from the day after the same
    calendar day ``months`` earlier."""
    first: date = as_of - relativedelta(months=months) + timedelta(days=1)
    return _Window(
        first,
        as_of,
        tuple(t for t in record.transactions if first <= t.completed_on <= as_of),
        tuple(i for i in record.inquiries if first <= i.received_on <= as_of),
    )


def _median(values: tuple[timedelta, ...]) -> timedelta | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def response_hours(duration: timedelta) -> str:
    """A response time as people read it on a storefront: hours, to one decimal (in
    the library's own decimal context, whatever the caller's)."""
    microseconds = Decimal(duration // timedelta(microseconds=1))
    hours = _ROUNDING.divide(microseconds, _MICROSECONDS_PER_HOUR)
    shown = hours.quantize(_TENTH, ROUND_HALF_UP, context=_ROUNDING).normalize(_ROUNDING)
    return f"{shown:f} hours"


_MICROSECONDS_PER_HOUR: Final = Decimal(3_600_000_000)
_TENTH: Final = Decimal("0.1")
_TEN_THOUSANDTH: Final = Decimal("0.0001")


def _review(
    supplier: SupplierRecord, as_of: date, policy: IdentityPolicy
) -> tuple[tuple[RuleViolation, ...], str]:
    """TA-SUPPLIER's violations on ``as_of``, and the reason it admits the supplier if
    none."""
    supplier = of_type(supplier, "supplier", SupplierRecord)
    policy = of_type(policy, "policy", IdentityPolicy)
    as_of = plain_date(as_of, "as_of")
    window = _window(supplier, as_of, policy.review_window_months)
    span = f"{window.first.isoformat()} to {window.last.isoformat()}"
    refusals: list[str] = []
    if supplier.membership not in PROTECTION_MEMBERSHIPS:
        refusals.append(
            f"Only Gold Suppliers may offer protection; this supplier is a "
            f"{supplier.membership.value.replace('_', ' ')}. Upgrade to Gold Supplier first."
        )
    done = len(window.transactions)
    if done < policy.min_transactions_per_window:
        refusals.append(
            f"The supplier completed {done} transaction(s) in the review window {span}; "
            f"at least {policy.min_transactions_per_window} are needed."
        )
    received, answered = len(window.inquiries), window.answered
    median = _median(answered)
    needed = _ROUNDING.multiply(policy.min_response_rate, received)
    if received and Decimal(len(answered)) < needed:
        refusals.append(
            f"The supplier answered {len(answered)} of {received} buyer inquiries in the "
            f"review window {span}; at least {policy.min_response_rate:%} must be answered."
        )
    if median is not None and median > policy.max_median_response:
        refusals.append(
            f"The supplier's median response time in the review window {span} is "
            f"{response_hours(median)}; it must be at most "
            f"{response_hours(policy.max_median_response)}."
        )
    if refusals:
        return tuple(RuleViolation("TA-SUPPLIER", r) for r in refusals), ""
    responses = (
        f"{len(answered)} of {received} inquiries answered, median response "
        f"{response_hours(median)}"
        if median is not None
        else f"{len(answered)} of {received} inquiries answered"
    )
    return (
        (),
        f"A Gold Supplier meeting the review criteria over {span}: "
        f"{done} transactions, {responses}.",
    )


def check(
    supplier: SupplierRecord, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> tuple[RuleViolation, ...]:
    """Every TA-SUPPLIER criterion the supplier fails on ``as_of``, one violation each;
    empty when it may offer protection.

    Only Gold Suppliers take part, and only those whose trading record over the last
    review window (``policy.review_window_months`` months up to ``as_of``, inclusive)
    meets the criteria: at least ``policy.min_transactions_per_window`` completed
    transactions; of the inquiries received in the window, at least
    ``policy.min_response_rate`` answered, with a median response time of at most
    ``policy.max_median_response``. A window with no inquiries has nothing to judge on
    responses and passes those two criteria.
    """
    return _review(supplier, as_of, policy)[0]


def apply(
    supplier: SupplierRecord, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> SupplierRecord:
    """``supplier``, admitted to offer protection on ``as_of``; raises the first of
    :func:`check`'s violations as ``RuleViolation`` (TA-SUPPLIER) when it may not."""
    found = check(supplier, as_of, policy)
    if found:
        raise found[0]
    return supplier


def protection_eligible(
    supplier: SupplierRecord, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Decision:
    """:func:`check`'s answer as a :class:`~tradeassure.verification.Decision` of
    TA-SUPPLIER: every failed criterion a reason, or the record's figures when
    admitted."""
    return decided("TA-SUPPLIER", *_review(supplier, as_of, policy))


@final
@attrs.frozen
class Storefront:
    """What a supplier's storefront shows on a given day (ID-STOREFRONT, TA-LIMIT).

    Attributes:
        as_of: the day shown.
        window_start: the first day of the previous ``storefront_months`` months counted
            (the window ends on ``as_of``, inclusive); it may lie before the supported
            dates, which ``as_of`` may not.
        protection_badge: whether the supplier may offer protection (TA-SUPPLIER).
        protection_limit: the supplier's protection limit, or None for the policy default
            (TA-LIMIT).
        transaction_count: transactions completed in the window.
        transaction_value: their total value.
        inquiries_received: buyer inquiries received in the window.
        inquiries_answered: how many of them were answered.
        median_response_time: the median time to answer them, or None if none was.
    """

    as_of: date = attrs.field(validator=date_field)
    window_start: date = attrs.field(validator=derived_date_field)
    protection_badge: bool = attrs.field(validator=boolean_field)
    protection_limit: Money | None = attrs.field(validator=_optional_limit)
    transaction_count: int = attrs.field(validator=count_field)
    transaction_value: Money = attrs.field(validator=non_negative_money_field)
    inquiries_received: int = attrs.field(validator=count_field)
    inquiries_answered: int = attrs.field(validator=count_field)
    median_response_time: timedelta | None = attrs.field(validator=_optional_duration)

    def __attrs_post_init__(self) -> None:
        if self.inquiries_answered > self.inquiries_received:
            raise InvalidInput("inquiries_answered must not exceed inquiries_received")
        if self.window_start > self.as_of:
            raise InvalidInput(
                f"window_start {self.window_start} is after as_of {self.as_of}: the window "
                "ends on as_of"
            )

    @property
    def response_rate(self) -> Decimal | None:
        """The share of inquiries answered, to four places, or None with no inquiries."""
        if not self.inquiries_received:
            return None
        rate = _ROUNDING.divide(Decimal(self.inquiries_answered), self.inquiries_received)
        return rate.quantize(_TEN_THOUSANDTH, ROUND_HALF_UP, context=_ROUNDING)

    # Notebook views: tradeassure.views registers them (tradeassure._display).

    def rows(self) -> _display.Rows:
        """The storefront as a list of one plain dict (see
        :func:`tradeassure.views.storefront_rows`), so storefronts' rows concatenate into
        one ``pandas.DataFrame``."""
        return _display.rows("storefront_rows", self)

    def _repr_html_(self) -> str:
        """The storefront as a notebook shows it: badge, limit, transactions, responses."""
        return _display.html("storefront_html", self)


def storefront(
    record: SupplierRecord, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Storefront:
    """The supplier's storefront figures on ``as_of`` (ID-STOREFRONT): the protection
    badge (TA-SUPPLIER) and limit (TA-LIMIT); the number and total value of transactions
    completed in the previous ``policy.storefront_months`` months, ``as_of`` included;
    and how many inquiries received in that window were answered, and how fast."""
    record = of_type(record, "record", SupplierRecord)
    policy = of_type(policy, "policy", IdentityPolicy)
    as_of = plain_date(as_of, "as_of")
    window = _window(record, as_of, policy.storefront_months)
    total = Money.zero(record.currency)
    for t in window.transactions:
        total = total + t.value
    answered = window.answered
    return Storefront(
        as_of=as_of,
        window_start=window.first,
        protection_badge=not check(record, as_of, policy),
        protection_limit=record.protection_limit,
        transaction_count=len(window.transactions),
        transaction_value=total,
        inquiries_received=len(window.inquiries),
        inquiries_answered=len(answered),
        median_response_time=_median(answered),
    )
