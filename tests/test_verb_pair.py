"""The verb pair every deciding sibling module offers: ``check`` answers with every
violation it finds (empty when allowed), ``apply`` raises the first and otherwise returns
what was decided; malformed input raises ``InvalidInput`` from both.

The contract is stated once, over every decider (a property each), then examples on both
sides of each module's boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure import credit, shipping
from tradeassure._checks import FIRST_COUNTED_DAY, LAST_COUNTED_DAY
from tradeassure.credit import (
    AU_PARTNER_FINANCING,
    CAP_ORDER,
    DEFAULT_FINANCING,
    CreditLine,
    FinancingPolicy,
    quote,
)
from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money
from tradeassure.rules import RULES
from tradeassure.testing import (
    buyer_profiles,
    calendar_dates,
    credit_lines,
    money,
    payables,
    supplier_records,
    supported_dates,
)
from tradeassure.verification import (
    BuyerProfile,
    Inquiry,
    Membership,
    SupplierRecord,
    Transaction,
    max_order_for,
    may_place_order,
    membership,
    password_problems,
    passwords,
    protection_eligible,
    registration,
    registration_number_problems,
    standing,
    storefront,
)


def usd(amount: int | str) -> Money:
    return Money(amount, "USD")


def agrees(
    check: Callable[..., tuple[RuleViolation, ...]],
    apply: Callable[..., object],
    *args: Any,
    **kwargs: Any,
) -> tuple[tuple[RuleViolation, ...], object]:
    """Assert the contract for one call; return what check found and what apply gave."""
    found = check(*args, **kwargs)
    assert isinstance(found, tuple)
    assert all(isinstance(v, RuleViolation) and v.rule in RULES for v in found)
    if not found:
        return found, apply(*args, **kwargs)
    with pytest.raises(RuleViolation) as raised:
        apply(*args, **kwargs)
    assert raised.value == found[0]
    return found, None


# -- the contract, once per decider ---------------------------------------------------------

ANY_LINE = attrs.evolve(DEFAULT_FINANCING, edition="any-line", min_limit=None)
lines_and_payables = st.sampled_from([DEFAULT_FINANCING, ANY_LINE, AU_PARTNER_FINANCING]).flatmap(
    lambda p: st.tuples(st.just(p), credit_lines(policy=p), payables(p.currency))
)


@given(lines_and_payables, st.data())
def test_a_draw_is_refused_by_every_cap_below_it_and_apply_raises_the_binding_one(
    case: tuple[FinancingPolicy, CreditLine, Money], data: st.DataObject
) -> None:
    policy, line, payable = case
    amount = data.draw(money(currency=policy.currency, min_amount="0.01", max_amount=10**6))
    offer = quote(line, payable, policy)
    found, after = agrees(credit.check, credit.apply, line, amount, payable, policy)
    broken = {c.rule for c in offer.caps if c.amount < amount}
    assert {v.rule for v in found} == broken
    assert (not found) == (amount <= offer.amount)
    if found:
        assert found[0].rule == offer.limited_by
        assert [v.rule for v in found[1:]] == [
            r for r in CAP_ORDER if r in broken - {found[0].rule}
        ]
    else:
        assert after == credit.draw(line, amount, payable, policy)
        assert isinstance(after, CreditLine)
        assert after.outstanding == line.outstanding + amount


@given(
    calendar_dates(FIRST_COUNTED_DAY + timedelta(days=5), LAST_COUNTED_DAY - timedelta(days=200)),
    st.integers(-5, 200),
    st.booleans(),
    st.booleans(),
    st.none() | supported_dates(),
)
def test_an_extension_is_refused_for_every_rule_it_breaks(
    ship_by: date, days: int, buyer: bool, supplier: bool, confirmed_on: date | None
) -> None:
    new_date = ship_by + timedelta(days=days)
    found, moved = agrees(
        shipping.check,
        shipping.apply,
        ship_by,
        new_date,
        buyer,
        supplier,
        confirmed_on=confirmed_on,
    )
    capped = confirmed_on is not None and new_date > shipping.add_working_days(
        confirmed_on, 90, "CN"
    )
    expected = [
        *(["SHIP-EXTEND"] if not (buyer and supplier) else []),
        *(["SHIP-EXTEND"] if new_date <= ship_by else []),
        *(["TMR-SHIP-EXTEND-CAP"] if capped else []),
    ]
    assert [v.rule for v in found] == expected
    assert moved == (None if found else new_date)


@given(buyer_profiles(), money(currency="USD", min_amount="0.01", max_amount=10_000))
def test_an_order_is_refused_only_above_the_personal_name_bound(
    profile: BuyerProfile, total: Money
) -> None:
    found, placed = agrees(membership.check, membership.apply, profile, total)
    bound = max_order_for(profile)
    assert bool(found) == (bound is not None and total > bound)
    assert [v.rule for v in found] in ([], ["ID-BUSINESS-NAME"])
    assert may_place_order(profile, total).allowed is not found
    assert placed == (None if found else total)


@given(supplier_records(), st.dates(date(2015, 1, 1), date(2031, 12, 31)))
def test_protection_is_refused_once_per_failed_criterion(
    record: SupplierRecord, as_of: date
) -> None:
    found, admitted = agrees(standing.check, standing.apply, record, as_of)
    assert {v.rule for v in found} <= {"TA-SUPPLIER"}
    decision = protection_eligible(record, as_of)
    assert decision.allowed is not found
    if found:
        assert decision.reasons == tuple(v.message for v in found)
    assert storefront(record, as_of).protection_badge is not found
    assert admitted is (None if found else record)


@given(st.text(max_size=24))
def test_a_password_is_refused_once_per_problem(password: str) -> None:
    found, accepted = agrees(passwords.check, passwords.apply, password)
    problems = password_problems(password)
    assert [(v.rule, v.message) for v in found] == [(p.rule, p.message) for p in problems]
    assert accepted == (None if found else password)


@given(
    st.sampled_from(["CN", "US", "JP"]), st.text("0123456789ABCDEFGHJKLMNPQRTUWXY -", max_size=20)
)
def test_a_registration_number_is_refused_once_when_malformed(country: str, number: str) -> None:
    found, accepted = agrees(registration.check, registration.apply, number, country)
    assert [v.rule for v in found] in ([], ["ID-VERIFIED"])
    assert registration_number_problems(number, country) == tuple(v.message for v in found)
    assert accepted == (None if found else number)


# -- credit (CR-*) ----------------------------------------------------------------------------

WORKED_LINE = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000), drawn_total=usd(900_000))
WORKED_PAYABLE = usd(200_000)


def test_the_financeable_amount_is_drawn_and_one_cent_more_is_refused_by_one_cap() -> None:
    assert credit.check(WORKED_LINE, usd("99999.99"), WORKED_PAYABLE) == ()
    after = credit.apply(WORKED_LINE, usd("99999.99"), WORKED_PAYABLE)
    assert (after.outstanding, after.drawn_total) == (usd("999999.99"), usd("999999.99"))
    (refusal,) = credit.check(WORKED_LINE, usd("100000.00"), WORKED_PAYABLE)
    assert refusal.rule == "CR-OUTSTANDING"
    assert refusal.message.endswith("so at most USD 99,999.99 can be drawn")


def test_a_draw_breaking_three_caps_has_three_violations_each_with_its_own_figure() -> None:
    found = credit.check(WORKED_LINE, usd(155_000), WORKED_PAYABLE)
    assert [v.rule for v in found] == ["CR-OUTSTANDING", "CR-PER-TRADE", "CR-NEW-CUSTOMER"]
    assert "also breaks CR-PER-TRADE, CR-NEW-CUSTOMER" in found[0].message
    assert found[1].message.endswith("CR-PER-TRADE allows at most USD 150,000.00")
    assert found[2].message.endswith("CR-NEW-CUSTOMER allows at most USD 100,000.00")
    with pytest.raises(RuleViolation) as raised:
        credit.apply(WORKED_LINE, usd(155_000), WORKED_PAYABLE)
    assert raised.value == found[0]


def test_draw_is_apply_under_its_old_name() -> None:
    assert credit.draw is credit.apply


@pytest.mark.parametrize("verb", [credit.check, credit.apply])
def test_a_malformed_draw_or_a_line_without_terms_raises_from_both_verbs(
    verb: Callable[..., object],
) -> None:
    with pytest.raises(InvalidInput, match="more than zero"):
        verb(WORKED_LINE, usd(0), WORKED_PAYABLE)
    with pytest.raises(PolicyError, match="CR-TIER"):
        verb(CreditLine(limit=usd(1_000_000)), usd(1), usd(10))


# -- shipping (SHIP-EXTEND, TMR-SHIP-EXTEND-CAP) ------------------------------------------------


def test_an_agreed_later_date_moves_and_the_same_date_does_not() -> None:
    assert shipping.check(date(2025, 10, 16), date(2025, 10, 17), True, True) == ()
    assert shipping.apply(date(2025, 10, 16), date(2025, 10, 17), True, True) == date(2025, 10, 17)
    (refusal,) = shipping.check(date(2025, 10, 16), date(2025, 10, 16), True, True)
    assert refusal.rule == "SHIP-EXTEND"
    assert "is not later than" in refusal.message


def test_an_extension_breaking_every_rule_is_refused_for_each() -> None:
    found = shipping.check(
        date(2025, 10, 16), date(2025, 10, 1), False, True, confirmed_on=date(2025, 5, 1)
    )
    assert [v.rule for v in found] == ["SHIP-EXTEND", "SHIP-EXTEND", "TMR-SHIP-EXTEND-CAP"]
    assert "the buyer did not agree" in found[0].message


def test_the_cap_is_reached_on_its_last_day_and_passed_the_day_after() -> None:
    confirmed = date(2025, 9, 26)
    cap = shipping.add_working_days(confirmed, 90, "CN")  # working days, as the escrow counts
    assert shipping.check(date(2025, 10, 16), cap, True, True, confirmed_on=confirmed) == ()
    late = shipping.check(
        date(2025, 10, 16), cap + timedelta(days=1), True, True, confirmed_on=confirmed
    )
    assert [v.rule for v in late] == ["TMR-SHIP-EXTEND-CAP"]


def test_a_malformed_confirmation_date_is_refused_even_when_agreement_is_missing() -> None:
    with pytest.raises(InvalidInput, match=r"confirmed_on must be a datetime\.date"):
        shipping.check(date(2025, 10, 16), date(2025, 10, 1), False, False, confirmed_on="x")  # type: ignore[arg-type]


def test_extend_is_apply_under_its_old_name() -> None:
    assert shipping.extend is shipping.apply


# -- membership (ID-BUSINESS-NAME) ------------------------------------------------------------


def test_a_personal_name_orders_up_to_the_bound_and_not_a_cent_more() -> None:
    assert membership.check(BuyerProfile(), usd(1000)) == ()
    assert membership.apply(BuyerProfile(), usd(1000)) == usd(1000)
    (refusal,) = membership.check(BuyerProfile(), usd("1000.01"))
    assert refusal.rule == "ID-BUSINESS-NAME"
    assert "Add a business name" in refusal.message


def test_a_business_has_no_bound_from_the_rule() -> None:
    business = BuyerProfile(business_name="Acme Trading Ltd")
    assert membership.apply(business, usd(10**9)) == usd(10**9)


@pytest.mark.parametrize("verb", [membership.check, membership.apply])
def test_an_order_total_of_zero_is_malformed_for_both_verbs(verb: Callable[..., object]) -> None:
    with pytest.raises(InvalidInput, match="order_total must be more than zero"):
        verb(BuyerProfile(), usd(0))


# -- standing (TA-SUPPLIER) -------------------------------------------------------------------


def _record(membership: Membership, transactions: int) -> SupplierRecord:
    return SupplierRecord(
        membership,
        transactions=[Transaction(date(2025, 5, d + 1), usd(100)) for d in range(transactions)],
        inquiries=[Inquiry(date(2025, 5, 20), timedelta(hours=2))],
    )


def test_a_gold_supplier_meeting_the_criteria_is_admitted_and_one_short_is_not() -> None:
    admitted = _record(Membership.GOLD_SUPPLIER, 3)
    assert standing.check(admitted, date(2025, 6, 30)) == ()
    assert standing.apply(admitted, date(2025, 6, 30)) is admitted
    (refusal,) = standing.check(_record(Membership.GOLD_SUPPLIER, 2), date(2025, 6, 30))
    assert refusal.rule == "TA-SUPPLIER"
    assert "completed 2 transaction(s)" in refusal.message


def test_a_free_member_with_too_few_transactions_fails_two_criteria() -> None:
    found = standing.check(_record(Membership.FREE_MEMBER, 1), date(2025, 6, 30))
    assert [v.rule for v in found] == ["TA-SUPPLIER", "TA-SUPPLIER"]
    assert "Upgrade to Gold Supplier" in found[0].message
    with pytest.raises(RuleViolation, match="Upgrade to Gold Supplier"):
        standing.apply(_record(Membership.FREE_MEMBER, 1), date(2025, 6, 30))


def test_a_datetime_as_of_is_malformed() -> None:
    with pytest.raises(InvalidInput, match=r"as_of must be a datetime\.date"):
        standing.check(_record(Membership.GOLD_SUPPLIER, 3), datetime(2025, 6, 30))  # type: ignore[arg-type]


# -- passwords (SEC-PASSWORD) -----------------------------------------------------------------


def test_a_good_password_is_accepted_and_a_bad_one_refused_once_per_problem() -> None:
    assert passwords.check("beatlesfan28") == ()
    assert passwords.apply("thebestboss") == "thebestboss"
    found = passwords.check("bamboo")
    assert [v.message for v in found] == [p.message for p in password_problems("bamboo")]
    assert len(found) == 3


def test_a_password_holding_a_personal_detail_is_refused_for_it() -> None:
    with pytest.raises(RuleViolation, match="Leave your name out"):
        passwords.apply("liwei2024x", name="Li Wei")
    assert passwords.check("beatlesfan28", name="Li Wei") == ()


def test_a_malformed_personal_detail_raises_from_check() -> None:
    with pytest.raises(InvalidInput, match="email"):
        passwords.check("beatlesfan28", email="not-an-address")


# -- registration numbers (ID-VERIFIED) -------------------------------------------------------


def test_a_well_formed_number_is_accepted_and_a_bad_check_digit_refused() -> None:
    assert registration.check("91110000600037341L", "CN") == ()
    assert registration.apply("91110000600037341L", "CN") == "91110000600037341L"
    (refusal,) = registration.check("91110000600037341M", "CN")
    assert refusal.rule == "ID-VERIFIED"
    assert "check digit" in refusal.message


@pytest.mark.parametrize("verb", [registration.check, registration.apply])
def test_a_country_without_a_validator_is_a_policy_error_for_both_verbs(
    verb: Callable[..., object],
) -> None:
    with pytest.raises(PolicyError, match="check the number by other means"):
        verb("12345678", "HK")
