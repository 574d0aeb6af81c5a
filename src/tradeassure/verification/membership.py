"""What a member may do: sub-accounts for paid members only (ID-SUBACCOUNTS), and small
orders only for a buyer without a business name (ID-BUSINESS-NAME).
"""

from __future__ import annotations

import enum
from typing import Final

from tradeassure._checks import of_type, positive_money
from tradeassure.errors import CurrencyMismatch
from tradeassure.money import Money
from tradeassure.verification._decision import Decision
from tradeassure.verification.identity import BuyerProfile
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

__all__ = [
    "PAID_MEMBERSHIPS",
    "PROTECTION_MEMBERSHIPS",
    "Membership",
    "max_order_for",
    "may_have_subaccounts",
    "may_place_order",
]


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
    positive_money(order_total, "order_total")
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
