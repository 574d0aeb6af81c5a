"""Identity, membership, supplier standing and account security (ID-*, TA-SUPPLIER,
TA-LIMIT, SEC-PASSWORD).

One module per concept, every public name re-exported here:

- :mod:`~tradeassure.verification.identity`: a buyer's identity tier, VERIFIED, ACTIVITY
  or UNCLEAR, from the checks made of its five identity fields and its platform activity
  (ID-VERIFIED, ID-ACTIVITY, ID-UNCLEAR), and the last day a verification lasts without
  new checks;
- :mod:`~tradeassure.verification.membership`: what a member may do: sub-accounts for
  paid members only (ID-SUBACCOUNTS), small orders only for a buyer without a business
  name (ID-BUSINESS-NAME);
- :mod:`~tradeassure.verification.standing`: a supplier's storefront figures over the
  previous 12 months (ID-STOREFRONT) and whether it may offer protection, judged on its
  last six-month review window (TA-SUPPLIER); its protection limit is part of its
  standing (TA-LIMIT);
- :mod:`~tradeassure.verification.registration`: whether a company registration number
  has a valid format and check digit, where a maintained validator exists (python-stdnum,
  the ``stdnum`` extra), before a check of it counts toward ID-VERIFIED;
- :mod:`~tradeassure.verification.passwords`: what is wrong with a sign-up password
  (SEC-PASSWORD, the ``passwords`` extra);
- :mod:`~tradeassure.verification.policy`: :class:`IdentityPolicy`, every figure above.

Each module that decides offers the library's verb pair: ``check`` answers with every
violation it finds (empty when allowed), ``apply`` raises the first and otherwise returns
what was decided. The names they had before stay: :func:`may_place_order` and
:func:`protection_eligible` answer with a :class:`Decision`, and
:func:`password_problems` and :func:`registration_number_problems` with the problems.

>>> from datetime import date
>>> from tradeassure.money import Money
>>> profile = BuyerProfile(activity_count=2)
>>> identity_tier(profile, date(2025, 3, 1))
<IdentityTier.ACTIVITY: 'activity'>
>>> [v.rule for v in membership.check(profile, Money(1500, "USD"))]
['ID-BUSINESS-NAME']
>>> membership.apply(profile, Money(900, "USD"))
Money('900.00', 'USD')
"""

from __future__ import annotations

from tradeassure.verification import membership, passwords, registration, standing
from tradeassure.verification._decision import Decision
from tradeassure.verification.identity import (
    BuyerProfile,
    FieldCheck,
    IdentityField,
    IdentityTier,
    fields_to_verify,
    identity_tier,
    verified_until,
)
from tradeassure.verification.membership import (
    PAID_MEMBERSHIPS,
    PROTECTION_MEMBERSHIPS,
    Membership,
    max_order_for,
    may_have_subaccounts,
    may_place_order,
)
from tradeassure.verification.passwords import PasswordCode, PasswordProblem, password_problems
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy
from tradeassure.verification.registration import (
    REGISTRATION_COUNTRIES,
    registration_number_problems,
)
from tradeassure.verification.standing import (
    Inquiry,
    Storefront,
    SupplierRecord,
    Transaction,
    protection_eligible,
    storefront,
)

__all__ = [
    "DEFAULT_IDENTITY",
    "PAID_MEMBERSHIPS",
    "PROTECTION_MEMBERSHIPS",
    "REGISTRATION_COUNTRIES",
    "BuyerProfile",
    "Decision",
    "FieldCheck",
    "IdentityField",
    "IdentityPolicy",
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
    "membership",
    "password_problems",
    "passwords",
    "protection_eligible",
    "registration",
    "registration_number_problems",
    "standing",
    "storefront",
    "verified_until",
]
