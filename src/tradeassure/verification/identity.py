"""A buyer's identity: the five fields a verification checks, the checks on record, and
the tier they earn (ID-VERIFIED, ID-ACTIVITY, ID-UNCLEAR).

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
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final, final

import attrs
from dateutil.relativedelta import relativedelta

from tradeassure._checks import (
    count_field,
    date_field,
    member,
    of_type,
    optional_text,
    plain_date,
    text_field,
    tuple_of,
    validator,
)
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

__all__ = [
    "BuyerProfile",
    "FieldCheck",
    "IdentityField",
    "IdentityTier",
    "fields_to_verify",
    "identity_tier",
    "verified_until",
]


@final
class IdentityField(enum.Enum):
    """The five facts about a buyer that "Identity Verified" needs checked (ID-VERIFIED)."""

    COMPANY_NAME = "company_name"
    COMPANY_ADDRESS = "company_address"
    REGISTRATION_NUMBER = "registration_number"
    CONTACT_PERSON = "contact_person"
    JOB_TITLE = "job_title"


@final
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

    field: IdentityField = attrs.field(validator=member(IdentityField))
    checked_on: date = attrs.field(validator=date_field)
    checked_by: str = attrs.field(validator=text_field)
    source: str = attrs.field(validator=text_field)


def _field_checks(values: Iterable[FieldCheck]) -> tuple[FieldCheck, ...]:
    return tuple_of(values, FieldCheck, "checks")


@final
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

    checks: tuple[FieldCheck, ...] = attrs.field(default=(), converter=_field_checks)
    activity_count: int = attrs.field(default=0, validator=count_field)
    business_name: str | None = attrs.field(
        default=None,
        validator=validator(
            optional_text,
            must="be a non-empty string, or None for a buyer trading under a personal name",
        ),
    )


@final
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
    profile = of_type(profile, "profile", BuyerProfile)
    policy = of_type(policy, "policy", IdentityPolicy)
    as_of = plain_date(as_of, "as_of")
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
    profile = of_type(profile, "profile", BuyerProfile)
    policy = of_type(policy, "policy", IdentityPolicy)
    latest: dict[IdentityField, FieldCheck] = {}
    for check in profile.checks:
        if check.field not in latest or check.checked_on > latest[check.field].checked_on:
            latest[check.field] = check
    if len(latest) < len(IdentityField):
        return None
    return min(_expires(c, policy) for c in latest.values())
