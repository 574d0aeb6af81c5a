"""What a member may do: sub-accounts for paid members only (ID-SUBACCOUNTS), and small
orders only for a buyer without a business name (ID-BUSINESS-NAME).

An order is decided by the verb pair: :func:`check` answers with the violations of
ID-BUSINESS-NAME (empty when the order is allowed), :func:`apply` raises the first or
returns the order total.

>>> from tradeassure.money import Money
>>> personal = BuyerProfile()
>>> check(personal, Money(800, "USD"))
()
>>> apply(personal, Money(800, "USD"))
Money('800.00', 'USD')
>>> apply(personal, Money(2500, "USD"))
Traceback (most recent call last):
...
tradeassure.errors.RuleViolation: ID-BUSINESS-NAME: A buyer without a business name buys ...
"""

from __future__ import annotations

import enum
from typing import Final, final

from tradeassure._checks import of_type, positive_money
from tradeassure.errors import CurrencyMismatch, RuleViolation
from tradeassure.money import Money
from tradeassure.verification._decision import Decision, decided
from tradeassure.verification.identity import BuyerProfile
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

__all__ = [
    "PAID_MEMBERSHIPS",
    "PROTECTION_MEMBERSHIPS",
    "Membership",
    "apply",
    "check",
    "max_order_for",
    "may_have_subaccounts",
    "may_place_order",
]


@final
class Membership(enum.Enum):
    """A member's subscription."""

    FREE_MEMBER = "free_member"
    PAID_MEMBER = "paid_member"
    GOLD_SUPPLIER = "gold_supplier"


#: Memberships that are paid for, and so may have sub-accounts (ID-SUBACCOUNTS).
PAID_MEMBERSHIPS: Final = frozenset({Membership.PAID_MEMBER, Membership.GOLD_SUPPLIER})
#: Memberships whose holders may be admitted to offer protection (TA-SUPPLIER).
PROTECTION_MEMBERSHIPS: Final = frozenset({Membership.GOLD_SUPPLIER})


def may_have_subaccounts(membership: Membership) -> bool:
    """Whether a member may have sub-accounts under the main account (ID-SUBACCOUNTS):
    paid members, Gold Suppliers among them, may; free members may not (they upgrade)."""
    return of_type(membership, "membership", Membership) in PAID_MEMBERSHIPS


def max_order_for(profile: BuyerProfile, policy: IdentityPolicy = DEFAULT_IDENTITY) -> Money | None:
    """The largest order the buyer may place under ID-BUSINESS-NAME: the policy's small
    batch (``personal_name_max_order``) for a buyer without a business name, None (no bound
    from this rule) for a business."""
    profile = of_type(profile, "profile", BuyerProfile)
    policy = of_type(policy, "policy", IdentityPolicy)
    return None if profile.business_name is not None else policy.personal_name_max_order


def _decide(
    profile: BuyerProfile, order_total: Money, policy: IdentityPolicy
) -> tuple[tuple[RuleViolation, ...], str]:
    """ID-BUSINESS-NAME's violations for the order, and the reason it is allowed if none."""
    positive_money(order_total, "order_total")
    bound = max_order_for(profile, policy)
    if bound is None:
        return (), "The buyer trades as a business."
    if order_total.currency != bound.currency:
        raise CurrencyMismatch(
            f"the order total {order_total} and the personal-name bound {bound} are in "
            "different currencies: convert the total to the bound's currency first"
        )
    if order_total <= bound:
        return (), f"{order_total} is within the {bound} a buyer without a business name may order."
    refusal = RuleViolation(
        "ID-BUSINESS-NAME",
        f"A buyer without a business name buys in small batches of at most {bound}; "
        f"this order is {order_total}. Add a business name to the profile, or order "
        f"at most {bound}.",
    )
    return (refusal,), ""


def check(
    profile: BuyerProfile, order_total: Money, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> tuple[RuleViolation, ...]:
    """Whatever ID-BUSINESS-NAME has against the buyer placing an order of
    ``order_total``; empty when it may. A buyer trading under a personal name buys in
    small batches, at most ``policy.personal_name_max_order``; a business has no bound
    from this rule.

    Raises ``InvalidInput`` for an order total of zero or less, and ``CurrencyMismatch``
    when the order is in another currency than the bound: the library converts no
    currencies, so convert the total first.
    """
    return _decide(profile, order_total, policy)[0]


def apply(
    profile: BuyerProfile, order_total: Money, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Money:
    """``order_total``, the order the buyer may place; raises the first of
    :func:`check`'s violations as ``RuleViolation`` (ID-BUSINESS-NAME) when it may not."""
    found = check(profile, order_total, policy)
    if found:
        raise found[0]
    return order_total


def may_place_order(
    profile: BuyerProfile, order_total: Money, policy: IdentityPolicy = DEFAULT_IDENTITY
) -> Decision:
    """:func:`check`'s answer as a :class:`~tradeassure.verification.Decision` of
    ID-BUSINESS-NAME, with the reason when the order is allowed."""
    return decided("ID-BUSINESS-NAME", *_decide(profile, order_total, policy))
