from datetime import date, timedelta

from tradeassure.money import Money
from tradeassure.verification import (
    BuyerProfile,
    Decision,
    FieldCheck,
    IdentityField,
    Inquiry,
    Membership,
    PasswordCode,
    PasswordProblem,
    SupplierRecord,
    Transaction,
    storefront,
)

_CHECK = FieldCheck(IdentityField.COMPANY_NAME, date(2024, 2, 29), "platform", "government records")
_RECORD = SupplierRecord(
    Membership.GOLD_SUPPLIER,
    transactions=[Transaction(date(2025, 3, d), Money(5000, "USD")) for d in (1, 2, 3)],
    inquiries=[Inquiry(date(2025, 3, 4), timedelta(hours=2)), Inquiry(date(2025, 3, 5))],
    protection_limit=Money(20_000, "USD"),
)

EXAMPLES: list[object] = [
    _CHECK,
    FieldCheck(IdentityField.JOB_TITLE, date(2025, 1, 2), "SGS", "business register"),
    BuyerProfile(),
    BuyerProfile((_CHECK,), activity_count=3, business_name="Acme Trading Ltd"),
    Transaction(date(2025, 3, 1), Money(5000, "USD")),
    Transaction(date(2025, 3, 1), Money("5000.01", "USD")),
    Inquiry(date(2025, 3, 4)),
    Inquiry(date(2025, 3, 4), timedelta(hours=2)),
    SupplierRecord(Membership.FREE_MEMBER),
    _RECORD,
    storefront(_RECORD, date(2025, 6, 30)),
    storefront(_RECORD, date(2026, 6, 30)),
    Decision(True, "ID-SUBACCOUNTS"),
    Decision(False, "TA-SUPPLIER", ("Upgrade to Gold Supplier first.",)),
    PasswordProblem(PasswordCode.NO_MIX, "Mix letters and digits."),
    PasswordProblem(PasswordCode.CONTAINS_SPACE, "Leave out the spaces."),
]
