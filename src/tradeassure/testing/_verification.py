"""Strategies for identity profiles and supplier records (tradeassure.verification)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from tradeassure.money import Money
from tradeassure.testing._money import money
from tradeassure.verification import (
    BuyerProfile,
    FieldCheck,
    IdentityField,
    Inquiry,
    Membership,
    SupplierRecord,
    Transaction,
)

__all__ = ["buyer_profiles", "field_checks", "inquiries", "supplier_records", "transactions"]

_MIN_DATE = date(2015, 1, 1)
_MAX_DATE = date(2030, 12, 31)
_CHECKERS = ("platform", "Dun & Bradstreet", "Bureau Veritas", "SGS")
_SOURCES = ("government records", "business register", "credit bureau database")


@st.composite
def field_checks(
    draw: st.DrawFn,
    fields: st.SearchStrategy[IdentityField] | None = None,
    min_date: date = _MIN_DATE,
    max_date: date = _MAX_DATE,
) -> FieldCheck:
    """One check of one identity field (any field unless ``fields`` says), dated between
    ``min_date`` and ``max_date`` inclusive."""
    return FieldCheck(
        field=draw(fields if fields is not None else st.sampled_from(IdentityField)),
        checked_on=draw(st.dates(min_date, max_date)),
        checked_by=draw(st.sampled_from(_CHECKERS)),
        source=draw(st.sampled_from(_SOURCES)),
    )


@st.composite
def buyer_profiles(
    draw: st.DrawFn,
    min_date: date = _MIN_DATE,
    max_date: date = _MAX_DATE,
    max_checks: int = 12,
    max_activity: int = 5,
) -> BuyerProfile:
    """A buyer profile with up to ``max_checks`` checks dated between the bounds (often
    all five fields, so that verified profiles are common), some activity and a business
    name or none."""
    checks = draw(st.lists(field_checks(min_date=min_date, max_date=max_date), max_size=max_checks))
    if draw(st.booleans()):
        near = draw(st.dates(min_date, max_date))
        checks += [
            draw(field_checks(st.just(f), max(min_date, near - timedelta(days=400)), near))
            for f in IdentityField
        ]
    return BuyerProfile(
        checks=checks,
        activity_count=draw(st.integers(0, max_activity)),
        business_name=draw(st.none() | st.sampled_from(("Acme Trading Ltd", "Li Wei Imports"))),
    )


def transactions(
    currency: str = "USD", min_date: date = _MIN_DATE, max_date: date = _MAX_DATE
) -> st.SearchStrategy[Transaction]:
    """A completed transaction in ``currency`` dated between the bounds."""
    return st.builds(
        Transaction,
        completed_on=st.dates(min_date, max_date),
        value=money(currency=currency, max_amount=10**6),
    )


def inquiries(min_date: date = _MIN_DATE, max_date: date = _MAX_DATE) -> st.SearchStrategy[Inquiry]:
    """A buyer inquiry received between the bounds, answered within 0 to 72 hours or not."""
    return st.builds(
        Inquiry,
        received_on=st.dates(min_date, max_date),
        response_time=st.none()
        | st.integers(0, 72 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    )


@st.composite
def supplier_records(
    draw: st.DrawFn,
    currency: str = "USD",
    min_date: date = _MIN_DATE,
    max_date: date = _MAX_DATE,
    max_size: int = 30,
) -> SupplierRecord:
    """A supplier's record, in ``currency``, with events dated between the bounds."""
    return SupplierRecord(
        membership=draw(st.sampled_from(Membership)),
        transactions=draw(st.lists(transactions(currency, min_date, max_date), max_size=max_size)),
        inquiries=draw(st.lists(inquiries(min_date, max_date), max_size=max_size)),
        protection_limit=draw(st.none() | st.just(Money(20_000, "USD"))),
        currency=currency,
    )
