"""Identity, membership, supplier standing and account security (ID-*, TA-SUPPLIER,
TA-LIMIT, SEC-PASSWORD).

What it decides:

- a buyer's identity tier, VERIFIED, ACTIVITY or UNCLEAR, from the checks made of its
  five identity fields and its platform activity (ID-VERIFIED, ID-ACTIVITY, ID-UNCLEAR),
  and the last day a verification lasts without new checks;
- what a member may do: sub-accounts for paid members only (ID-SUBACCOUNTS), small
  orders only for a buyer without a business name (ID-BUSINESS-NAME);
- a supplier's storefront figures over the previous 12 months (ID-STOREFRONT) and
  whether it may offer protection, judged on its last six-month review window
  (TA-SUPPLIER); its protection limit is part of its standing (TA-LIMIT);
- whether a company registration number has a valid format and check digit, where a
  maintained validator exists (python-stdnum, the ``stdnum`` extra);
- what is wrong with a sign-up password (SEC-PASSWORD, the ``passwords`` extra).

>>> from datetime import date
>>> checks = [FieldCheck(f, date(2024, 2, 29), "platform", "government records")
...           for f in IdentityField]
>>> profile = BuyerProfile(checks, activity_count=2, business_name="Acme Trading Ltd")
>>> identity_tier(profile, date(2025, 2, 28))
<IdentityTier.VERIFIED: 'verified'>
>>> identity_tier(profile, date(2025, 3, 1))
<IdentityTier.ACTIVITY: 'activity'>
>>> verified_until(profile)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from tradeassure import _display
from tradeassure._passwords import PasswordCode, PasswordProblem, password_problems
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money
from tradeassure.policy import DEFAULT_IDENTITY, IdentityPolicy
from tradeassure.rules import RULES

__all__ = [
    "PAID_MEMBERSHIPS",
    "PROTECTION_MEMBERSHIPS",
    "REGISTRATION_COUNTRIES",
    "BuyerProfile",
    "Decision",
    "FieldCheck",
    "IdentityField",
    "IdentityTier",
    "Inquiry",
    "Membership",
    "PasswordCode",
    "PasswordProblem",
    "Storefront",
    "SupplierRecord",
    "Transaction",
    "fields_to_verify",
    "identity_tier",
    "max_order_for",
    "may_have_subaccounts",
    "may_place_order",
    "password_problems",
    "protection_eligible",
    "registration_number_problems",
    "storefront",
    "verified_until",
]

_T = TypeVar("_T")


# -- shared validation -----------------------------------------------------------------


def _plain_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(
            f"{name} must be a date (a datetime is refused: pass its .date() in the "
            f"timezone it was recorded in), not {value!r}"
        )
    return value


def _date_field(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    _plain_date(value, attribute.name)


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{attribute.name} must be an int, not {value!r}")
    if value < 0:
        raise InvalidInput(f"{attribute.name} must be zero or more, not {value}")


def _non_blank(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{attribute.name} must be a non-blank str, not {value!r}")


def _tuple_of(values: object, kind: type[_T], name: str) -> tuple[_T, ...]:
    """``values`` as a tuple, refusing anything but an iterable of ``kind``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput(f"{name} must be a tuple or list of {kind.__name__}, not {values!r}")
    out = tuple(values)
    for v in out:
        if not isinstance(v, kind):
            raise InvalidInput(f"{name} must hold {kind.__name__} values only, not {v!r}")
    return out


def _is(kind: type) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise InvalidInput(f"{attribute.name} must be a {kind.__name__}, not {value!r}")

    return check


def _registered(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in RULES:
        raise InvalidInput(f"{attribute.name} must be a registered rule id, not {value!r}")


def _reasons(values: Iterable[str]) -> tuple[str, ...]:
    return _tuple_of(values, str, "reasons")


@attrs.frozen
class Decision:
    """A rule's answer to "may this happen?", with reasons a person can act on.

    Attributes:
        allowed: whether the rule allows it.
        rule: the id of the rule that decided (registered in ``tradeassure.rules``).
        reasons: sentences saying why; on a refusal, each names what would change it.
    """

    allowed: bool = attrs.field(validator=_is(bool))
    rule: str = attrs.field(validator=_registered)
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_reasons)

    def enforce(self) -> None:
        """Raise ``RuleViolation`` naming :attr:`rule` and the reasons when refused."""
        if not self.allowed:
            raise RuleViolation(self.rule, " ".join(self.reasons) or "refused")


# -- identity tiers (ID-VERIFIED, ID-ACTIVITY, ID-UNCLEAR) -----------------------------


class IdentityField(enum.Enum):
    """The five facts about a buyer that "Identity Verified" needs checked (ID-VERIFIED)."""

    COMPANY_NAME = "company_name"
    COMPANY_ADDRESS = "company_address"
    REGISTRATION_NUMBER = "registration_number"
    CONTACT_PERSON = "contact_person"
    JOB_TITLE = "job_title"


@attrs.frozen
class FieldCheck:
    """One confirmation of one identity field (ID-VERIFIED).

    Attributes:
        field: the field confirmed.
        checked_on: the day it was confirmed (a ``date``; a ``datetime`` is refused).
        checked_by: who confirmed it: the platform or a named third-party verification
            agency.
        source: what it was checked against: government records or another third-party
            database.
    """

    field: IdentityField = attrs.field(validator=_is(IdentityField))
    checked_on: date = attrs.field(validator=_date_field)
    checked_by: str = attrs.field(validator=_non_blank)
    source: str = attrs.field(validator=_non_blank)


def _business_name(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidInput(
            f"business_name must be a non-blank str, or None for a buyer trading under a "
            f"personal name, not {value!r}"
        )


def _checks(values: Iterable[FieldCheck]) -> tuple[FieldCheck, ...]:
    return _tuple_of(values, FieldCheck, "checks")


@attrs.frozen
class BuyerProfile:
    """What the platform knows of a buyer's identity.

    Attributes:
        checks: every confirmation of an identity field, old ones included.
        activity_count: platform activities on record: RFQs posted, purchase orders
            placed online, product inspections requested (ID-ACTIVITY).
        business_name: the business the buyer trades as, or None for a buyer trading
            under a personal name (ID-BUSINESS-NAME).
    """

    checks: tuple[FieldCheck, ...] = attrs.field(default=(), converter=_checks)
    activity_count: int = attrs.field(default=0, validator=_count)
    business_name: str | None = attrs.field(default=None, validator=_business_name)


class IdentityTier(enum.Enum):
    """A buyer's label, from strongest to weakest (ID-VERIFIED, ID-ACTIVITY, ID-UNCLEAR)."""

    VERIFIED = "verified"
    ACTIVITY = "activity"
    UNCLEAR = "unclear"

    @property
    def rule(self) -> str:
        """The id of the rule that defines this tier."""
        return _TIER_RULES[self]


_TIER_RULES: Final[Mapping[IdentityTier, str]] = MappingProxyType(
    {
        IdentityTier.VERIFIED: "ID-VERIFIED",
        IdentityTier.ACTIVITY: "ID-ACTIVITY",
        IdentityTier.UNCLEAR: "ID-UNCLEAR",
    }
)


def _profile(value: object) -> BuyerProfile:
    if not isinstance(value, BuyerProfile):
        raise InvalidInput(f"expected a BuyerProfile, not {type(value).__name__}")
    return value


def _policy(value: object) -> IdentityPolicy:
    if not isinstance(value, IdentityPolicy):
        raise InvalidInput(f"policy must be an IdentityPolicy, not {type(value).__name__}")
    return value


def _expires(check: FieldCheck, policy: IdentityPolicy) -> date:
    # relativedelta keeps the calendar: 29 Feb 2024 + 1 year is 28 Feb 2025.
    expiry: date = check.checked_on + relativedelta(years=policy.verification_valid_years)
    return expiry


def fields_to_verify(
    profile: BuyerProfile, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> frozenset[IdentityField]:
    """The identity fields with no current check on ``as_of`` (ID-VERIFIED): never
    checked, or last checked more than ``policy.verification_valid_years`` before it.

    A check counts from the day it was made to the same calendar day
    ``verification_valid_years`` later, inclusive; a check dated after ``as_of`` has not
    happened yet on that day and does not count.
    """
    profile, policy = _profile(profile), _policy(policy)
    as_of = _plain_date(as_of, "as_of")
    current = {c.field for c in profile.checks if c.checked_on <= as_of <= _expires(c, policy)}
    return frozenset(IdentityField) - current


def identity_tier(
    profile: BuyerProfile, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> IdentityTier:
    """The buyer's identity tier on ``as_of``.

    VERIFIED when every field has a current check (ID-VERIFIED, see
    :func:`fields_to_verify`), whatever the activity; else ACTIVITY when the profile has
    at least ``policy.activity_threshold`` activities (ID-ACTIVITY); else UNCLEAR
    (ID-UNCLEAR).
    """
    if not fields_to_verify(profile, as_of, policy):
        return IdentityTier.VERIFIED
    if profile.activity_count >= policy.activity_threshold:
        return IdentityTier.ACTIVITY
    return IdentityTier.UNCLEAR


def verified_until(profile: BuyerProfile, policy: IdentityPolicy = DEFAULT_IDENTITY) -> date | None:
    """The last day the profile is VERIFIED without new checks (ID-VERIFIED): the
    earliest of the fields' latest checks, plus ``policy.verification_valid_years``.

    None when some field was never checked. The answer assumes the checks on record have
    all been made, so on any day from the latest check to this one, inclusive, the tier
    is VERIFIED, and from the day after it is not.
    """
    profile, policy = _profile(profile), _policy(policy)
    latest: dict[IdentityField, FieldCheck] = {}
    for check in profile.checks:
        if check.field not in latest or check.checked_on > latest[check.field].checked_on:
            latest[check.field] = check
    if len(latest) < len(IdentityField):
        return None
    return min(_expires(c, policy) for c in latest.values())


# -- membership (ID-SUBACCOUNTS, ID-BUSINESS-NAME) -------------------------------------


class Membership(enum.Enum):
    """A member's subscription."""

    FREE_MEMBER = "free_member"
    PAID_MEMBER = "paid_member"
    GOLD_SUPPLIER = "gold_supplier"


#: Memberships that are paid for, and so may have sub-accounts (ID-SUBACCOUNTS).
PAID_MEMBERSHIPS: Final = frozenset({Membership.PAID_MEMBER, Membership.GOLD_SUPPLIER})
#: Memberships whose holders may be admitted to offer protection (TA-SUPPLIER).
PROTECTION_MEMBERSHIPS: Final = frozenset({Membership.GOLD_SUPPLIER})


def _membership(value: object) -> Membership:
    if not isinstance(value, Membership):
        raise InvalidInput(f"membership must be a Membership member, not {value!r}")
    return value


def may_have_subaccounts(membership: Membership) -> bool:
    """Whether a member may have sub-accounts under the main account (ID-SUBACCOUNTS):
    paid members, Gold Suppliers among them, may; free members may not (they upgrade)."""
    return _membership(membership) in PAID_MEMBERSHIPS


def max_order_for(profile: BuyerProfile, policy: IdentityPolicy = DEFAULT_IDENTITY) -> Money | None:
    """The largest order the buyer may place under ID-BUSINESS-NAME: the policy's small
    batch (``personal_name_max_order``) for a buyer without a business name, None (no bound
    from this rule) for a business."""
    profile, policy = _profile(profile), _policy(policy)
    return None if profile.business_name is not None else policy.personal_name_max_order


def may_place_order(
    profile: BuyerProfile, order_total: Money, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Decision:
    """Whether the buyer may place an order of ``order_total`` (ID-BUSINESS-NAME): a
    buyer trading under a personal name buys in small batches, at most
    ``policy.personal_name_max_order``; a business has no bound from this rule.

    Raises ``InvalidInput`` for an order total of zero or less, and ``CurrencyMismatch``
    when the order is in another currency than the bound: the library converts no
    currencies, so convert the total first.
    """
    if not isinstance(order_total, Money):
        raise InvalidInput(f"order_total must be Money, not {type(order_total).__name__}")
    if order_total.is_negative or order_total.is_zero:
        raise InvalidInput(f"order_total must be more than zero, not {order_total}")
    bound = max_order_for(profile, policy)
    if bound is None:
        return Decision(True, "ID-BUSINESS-NAME", ("The buyer trades as a business.",))
    if order_total.currency != bound.currency:
        raise CurrencyMismatch(
            f"the order total {order_total} and the personal-name bound {bound} are in "
            "different currencies: convert the total to the bound's currency first"
        )
    if order_total <= bound:
        return Decision(
            True,
            "ID-BUSINESS-NAME",
            (f"{order_total} is within the {bound} a buyer without a business name may order.",),
        )
    return Decision(
        False,
        "ID-BUSINESS-NAME",
        (
            f"A buyer without a business name buys in small batches of at most {bound}; "
            f"this order is {order_total}. Add a business name to the profile, or order "
            f"at most {bound}.",
        ),
    )


# -- supplier standing (ID-STOREFRONT, TA-SUPPLIER, TA-LIMIT) ---------------------------


def _positive_money(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidInput(f"{attribute.name} must be Money, not {value!r}")
    if value.is_negative:
        raise InvalidInput(f"{attribute.name} must be zero or more, not {value}")


@attrs.frozen
class Transaction:
    """One transaction the supplier completed.

    Attributes:
        completed_on: the day it was completed.
        value: its value (zero or more).
    """

    completed_on: date = attrs.field(validator=_date_field)
    value: Money = attrs.field(validator=_positive_money)


def _response_time(
    instance: object, attribute: attrs.Attribute[timedelta | None], value: object
) -> None:
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        raise InvalidInput(
            f"response_time must be a timedelta of zero or more, or None while unanswered, "
            f"not {value!r}"
        )


@attrs.frozen
class Inquiry:
    """One buyer inquiry to the supplier.

    Attributes:
        received_on: the day it arrived.
        response_time: how long the supplier took to answer it, or None while unanswered.
    """

    received_on: date = attrs.field(validator=_date_field)
    response_time: timedelta | None = attrs.field(default=None, validator=_response_time)


def _currency(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"currency must be an ISO 4217 code string, not {value!r}")
    return Money.zero(value).currency


def _limit(instance: object, attribute: attrs.Attribute[Money | None], value: object) -> None:
    if value is not None and (not isinstance(value, Money) or value.is_negative):
        raise InvalidInput(
            f"{attribute.name} must be Money of zero or more, or None, not {value!r}"
        )


def _transactions(values: Iterable[Transaction]) -> tuple[Transaction, ...]:
    return _tuple_of(values, Transaction, "transactions")


def _inquiries(values: Iterable[Inquiry]) -> tuple[Inquiry, ...]:
    return _tuple_of(values, Inquiry, "inquiries")


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

    membership: Membership = attrs.field(validator=_is(Membership))
    transactions: tuple[Transaction, ...] = attrs.field(default=(), converter=_transactions)
    inquiries: tuple[Inquiry, ...] = attrs.field(default=(), converter=_inquiries)
    protection_limit: Money | None = attrs.field(default=None, validator=_limit)
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


def _hours(duration: timedelta) -> str:
    hours = Decimal(duration.total_seconds()) / 3600
    return f"{hours.quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f} hours"


def _record(value: object) -> SupplierRecord:
    if not isinstance(value, SupplierRecord):
        raise InvalidInput(f"expected a SupplierRecord, not {type(value).__name__}")
    return value


def protection_eligible(
    supplier: SupplierRecord, as_of: date, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Decision:
    """Whether the supplier may offer protection on ``as_of`` (TA-SUPPLIER).

    Only Gold Suppliers take part, and only those whose trading record over the last
    review window (``policy.review_window_months`` months up to ``as_of``, inclusive)
    meets the criteria: at least ``policy.min_transactions_per_window`` completed
    transactions; of the inquiries received in the window, at least
    ``policy.min_response_rate`` answered, with a median response time of at most
    ``policy.max_median_response``. A window with no inquiries has nothing to judge on
    responses and passes those two criteria.
    """
    supplier, policy = _record(supplier), _policy(policy)
    as_of = _plain_date(as_of, "as_of")
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
    if received and Decimal(len(answered)) < policy.min_response_rate * received:
        refusals.append(
            f"The supplier answered {len(answered)} of {received} buyer inquiries in the "
            f"review window {span}; at least {policy.min_response_rate:%} must be answered."
        )
    if median is not None and median > policy.max_median_response:
        refusals.append(
            f"The supplier's median response time in the review window {span} is "
            f"{_hours(median)}; it must be at most {_hours(policy.max_median_response)}."
        )
    if refusals:
        return Decision(False, "TA-SUPPLIER", refusals)
    responses = (
        f"{len(answered)} of {received} inquiries answered, median response {_hours(median)}"
        if median is not None
        else f"{len(answered)} of {received} inquiries answered"
    )
    return Decision(
        True,
        "TA-SUPPLIER",
        (
            f"A Gold Supplier meeting the review criteria over {span}: "
            f"{done} transactions, {responses}.",
        ),
    )


@attrs.frozen
class Storefront:
    """What a supplier's storefront shows on a given day (ID-STOREFRONT, TA-LIMIT).

    Attributes:
        as_of: the day shown.
        window_start: the first day of the previous ``storefront_months`` months counted
            (the window ends on ``as_of``, inclusive).
        protection_badge: whether the supplier may offer protection (TA-SUPPLIER).
        protection_limit: the supplier's protection limit, or None for the policy default
            (TA-LIMIT).
        transaction_count: transactions completed in the window.
        transaction_value: their total value.
        inquiries_received: buyer inquiries received in the window.
        inquiries_answered: how many of them were answered.
        median_response_time: the median time to answer them, or None if none was.
    """

    as_of: date = attrs.field(validator=_date_field)
    window_start: date = attrs.field(validator=_date_field)
    protection_badge: bool = attrs.field(validator=_is(bool))
    protection_limit: Money | None = attrs.field(validator=_limit)
    transaction_count: int = attrs.field(validator=_count)
    transaction_value: Money = attrs.field(validator=_positive_money)
    inquiries_received: int = attrs.field(validator=_count)
    inquiries_answered: int = attrs.field(validator=_count)
    median_response_time: timedelta | None = attrs.field(validator=_response_time)

    def __attrs_post_init__(self) -> None:
        if self.inquiries_answered > self.inquiries_received:
            raise InvalidInput("inquiries_answered must not exceed inquiries_received")

    @property
    def response_rate(self) -> Decimal | None:
        """The share of inquiries answered, to four places, or None with no inquiries."""
        if not self.inquiries_received:
            return None
        rate = Decimal(self.inquiries_answered) / Decimal(self.inquiries_received)
        return rate.quantize(Decimal("0.0001"), ROUND_HALF_UP)

    # Notebook views: tradeassure.views registers them (tradeassure._display).

    def rows(self) -> list[dict[str, object]]:
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
    record, policy = _record(record), _policy(policy)
    as_of = _plain_date(as_of, "as_of")
    window = _window(record, as_of, policy.storefront_months)
    total = Money.zero(record.currency)
    for t in window.transactions:
        total = total + t.value
    answered = window.answered
    return Storefront(
        as_of=as_of,
        window_start=window.first,
        protection_badge=protection_eligible(record, as_of, policy).allowed,
        protection_limit=record.protection_limit,
        transaction_count=len(window.transactions),
        transaction_value=total,
        inquiries_received=len(window.inquiries),
        inquiries_answered=len(answered),
        median_response_time=_median(answered),
    )


# -- company registration numbers (ID-VERIFIED inputs) ---------------------------------

# Country -> (python-stdnum module, the number's name). Company or business register
# identifiers only, not personal or VAT-only numbers, where stdnum has one.
_REGISTRATION_VALIDATORS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "AT": ("stdnum.at.businessid", "company register number (Firmenbuchnummer)"),
        "AU": ("stdnum.au.acn", "Australian Company Number"),
        "BE": ("stdnum.be.vat", "enterprise number (ondernemingsnummer)"),
        "BR": ("stdnum.br.cnpj", "CNPJ"),
        "CA": ("stdnum.ca.bn", "Business Number"),
        "CH": ("stdnum.ch.uid", "UID business identifier"),
        "CN": ("stdnum.cn.uscc", "Unified Social Credit Code"),
        "DK": ("stdnum.dk.cvr", "CVR number"),
        "EE": ("stdnum.ee.registrikood", "registry code (registrikood)"),
        "ES": ("stdnum.es.cif", "CIF"),
        "FI": ("stdnum.fi.ytunnus", "business ID (Y-tunnus)"),
        "FR": ("stdnum.fr.siren", "SIREN"),
        "IL": ("stdnum.il.hp", "company number"),
        "JP": ("stdnum.jp.cn", "Corporate Number"),
        "KR": ("stdnum.kr.brn", "Business Registration Number"),
        "MD": ("stdnum.md.idno", "IDNO"),
        "MX": ("stdnum.mx.rfc", "RFC"),
        "NO": ("stdnum.no.orgnr", "organisation number"),
        "PL": ("stdnum.pl.regon", "REGON"),
        "RO": ("stdnum.ro.onrc", "trade register number (ONRC)"),
        "RU": ("stdnum.ru.ogrn", "OGRN"),
        "SE": ("stdnum.se.orgnr", "organisation number"),
        "SG": ("stdnum.sg.uen", "Unique Entity Number"),
        "SI": ("stdnum.si.maticna", "company registration number (matična številka)"),
        "TW": ("stdnum.tw.ubn", "Unified Business Number"),
        "UA": ("stdnum.ua.edrpou", "EDRPOU code"),
        "US": ("stdnum.us.ein", "Employer Identification Number"),
    }
)
#: ISO 3166 alpha-2 codes whose company registration numbers can be checked.
REGISTRATION_COUNTRIES: Final = frozenset(_REGISTRATION_VALIDATORS)


def registration_number_problems(number: str, country: str) -> tuple[str, ...]:
    """What is wrong with a company registration number's format or check digit, as
    sentences; empty when it is well-formed. Run it on a verification agency's input
    before its check of REGISTRATION_NUMBER counts toward ID-VERIFIED.

    ``country`` is an ISO 3166 alpha-2 code from :data:`REGISTRATION_COUNTRIES` (China's
    18-character Unified Social Credit Code among them); another raises ``PolicyError``
    (no maintained validator: check the number by other means). A well-formed number may
    still not be registered: only the register can say. Needs the ``stdnum`` extra.
    """
    if not isinstance(number, str):
        raise InvalidInput(f"number must be a str, not {type(number).__name__}")
    if not isinstance(country, str):
        raise InvalidInput(f"country must be an ISO 3166 alpha-2 code str, not {country!r}")
    code = country.strip().upper()
    if code not in _REGISTRATION_VALIDATORS:
        raise PolicyError(
            f"no maintained validator for company registration numbers of {country!r}: "
            "check the number by other means; supported: "
            + ", ".join(sorted(REGISTRATION_COUNTRIES))
        )
    module_name, label = _REGISTRATION_VALIDATORS[code]
    try:
        from stdnum.exceptions import ValidationError

        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(
            "checking registration numbers needs python-stdnum: pip install 'tradeassure[stdnum]'"
        ) from exc
    try:
        module.validate(number)
    except ValidationError as exc:
        return (f"{number!r} is not a valid {code} {label}: {exc}",)
    return ()
