"""Policies: every figure a rule uses, as frozen data with named editions.

No rule function holds a number of its own: each takes a policy argument whose default
is the documented edition. Editions exist where the documents show the rules changing,
so the same history can be judged under either.

Every policy lives beside the rules it serves, and is re-exported here so that ``from
tradeassure.policy import ...`` keeps working: ``EscrowPolicy`` and its editions
(``DEFAULT_ESCROW``, ``HELP_PAGES_ESCROW``, ``LAUNCH_2014_ESCROW``, by name in
``ESCROW_EDITIONS``) in :mod:`tradeassure.escrow.policy`; ``ShippingPolicy`` and
``DEFAULT_SHIPPING`` in :mod:`tradeassure.shipping`; ``FinancingPolicy``,
``DEFAULT_FINANCING``, ``AU_PARTNER_FINANCING`` and ``FINANCING_EDITIONS`` in
:mod:`tradeassure.credit`; ``IdentityPolicy`` and ``DEFAULT_IDENTITY`` in
:mod:`tradeassure.verification`.
"""

from __future__ import annotations

from tradeassure.credit import (
    AU_PARTNER_FINANCING,
    DEFAULT_FINANCING,
    FINANCING_EDITIONS,
    FinancingPolicy,
)
from tradeassure.escrow.policy import (
    DEFAULT_ESCROW,
    ESCROW_EDITIONS,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    EscrowPolicy,
)
from tradeassure.shipping import DEFAULT_SHIPPING, ShippingPolicy
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

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
