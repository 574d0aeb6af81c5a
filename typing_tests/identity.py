"""User code: a buyer's identity tier from the checks on record.

Type-checked in CI by ``mypy --strict`` and pyright (strict); runs with
``python typing_tests/identity.py``.
"""

from __future__ import annotations

from datetime import date
from typing import assert_type

from tradeassure.verification import (
    BuyerProfile,
    FieldCheck,
    IdentityField,
    IdentityTier,
    identity_tier,
)

checks = [FieldCheck(f, date(2025, 3, 1), "platform", "business register") for f in IdentityField]
profile = BuyerProfile(checks)
assert_type(profile.checks, tuple[FieldCheck, ...])
assert_type(profile.activity_count, int)
assert_type(profile.business_name, str | None)

tier = identity_tier(profile, as_of=date(2026, 3, 1))
assert_type(tier, IdentityTier)
assert tier is IdentityTier.VERIFIED
assert identity_tier(profile, as_of=date(2026, 3, 2)) is IdentityTier.UNCLEAR
assert_type(checks[0].field, IdentityField)
assert_type(checks[0].checked_on, date)
